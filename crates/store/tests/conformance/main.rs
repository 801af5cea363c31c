//! Conformance suite of the storage layer: one set of specs, run against both backends.
//!
//! `cargo test -p iim-store --test conformance` runs it on SQLite; with
//! `IIM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` the same tests run on PostgreSQL.
//! Each test starts its own empty database (see `support::TestStore`), so tests share nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod accounts;
mod angebote_verwaltung;
mod audit;
mod auftraege;
mod ausnahmegesuche;
mod caseload_export;
mod caseload_import;
mod concurrency;
mod dossiers;
mod erstinformation;
mod formular;
mod fruehfoerderung;
mod gemeinden;
mod grenzen;
mod massnahmen;
mod mentoring;
mod persons;
mod register_import;
mod register_mutationen;
mod schema;
mod selbstdeklaration;
mod support;
mod uebergaben;
mod umzuege;
mod zielvorschlaege;

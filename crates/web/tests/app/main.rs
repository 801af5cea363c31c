//! The web layer's one integration-test binary: the real application on port 0, a fresh database per test
//! (SQLite, or PostgreSQL when IIM_TEST_POSTGRES_URL is set). Add modules here, not new test binaries.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod access_matrix;
mod angebote_browser;
mod angebote_public;
mod angebote_verwaltung;
mod api;
mod arbeitstag;
mod audit;
mod ausnahmegesuche;
mod browser;
mod caseload_export;
mod caseload_import;
mod dossier_access;
mod dossier_api;
mod dossiers;
mod form_tokens;
mod fruehfoerderung;
mod gemeinden;
mod grenzen;
mod hilfsplan;
mod listen_und_formulare;
mod login;
mod massnahmen;
mod mentoring;
mod ops;
mod persons;
mod register_import;
mod selbstdeklaration;
mod start_integration;
mod start_story;
mod startseite;
mod story;
mod support;
mod zielvorschlaege;
mod zusammenarbeit;

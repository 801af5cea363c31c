//! Versioned schema migrations, embedded in the binary and written once for both backends with SeaQuery's
//! schema builder. A landed migration is never edited: change the schema with a new one.
//!
//! The one dialect-specific part is the trigger pair that makes the access log append-only
//! ([`m20261121_000001_foundation::append_only_triggers`]): trigger syntax differs between the databases.

use sea_orm_migration::prelude::*;

mod m20261121_000001_foundation;
mod m20261121_000002_dossiers;
mod m20261121_000003_auftraege;
mod m20261121_000004_massnahmen;
mod m20261121_000005_register;
mod m20261122_000006_erstinformation;
mod m20261122_000007_gemeinden;
mod m20261122_000008_selbstdeklaration;
mod m20261122_000009_umzuege;
mod m20261122_000010_angebote;
mod m20261122_000011_mentoring;
mod m20261122_000012_angebot_links;
mod m20261204_000034_versionen;
mod m20261204_000035_form_tokens;
mod m20261204_000036_neuzuzueger;
mod m20261204_000037_form_token_cleanup;
mod m20261204_000038_form_token_claims;
mod m20261205_000001_register_ereignisse;
mod m20261205_000010_caseload_import;
mod m20261206_000101_zielvorschlaege;
mod m20261206_000102_erstes_kurzassessment;
mod m20261206_000201_ausnahmegesuche;
mod m20261206_000301_angebot_suchtext;
mod m20261206_000401_suchtext_neu_falten;

pub(crate) struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_foundation::Migration),
            Box::new(m20261121_000002_dossiers::Migration),
            Box::new(m20261121_000003_auftraege::Migration),
            Box::new(m20261121_000004_massnahmen::Migration),
            Box::new(m20261121_000005_register::Migration),
            Box::new(m20261122_000006_erstinformation::Migration),
            Box::new(m20261122_000007_gemeinden::Migration),
            Box::new(m20261122_000008_selbstdeklaration::Migration),
            Box::new(m20261122_000009_umzuege::Migration),
            Box::new(m20261122_000010_angebote::Migration),
            Box::new(m20261122_000011_mentoring::Migration),
            Box::new(m20261122_000012_angebot_links::Migration),
            Box::new(m20261204_000034_versionen::Migration),
            Box::new(m20261204_000035_form_tokens::Migration),
            Box::new(m20261204_000036_neuzuzueger::Migration),
            Box::new(m20261204_000037_form_token_cleanup::Migration),
            Box::new(m20261204_000038_form_token_claims::Migration),
            Box::new(m20261205_000001_register_ereignisse::Migration),
            Box::new(m20261205_000010_caseload_import::Migration),
            Box::new(m20261206_000101_zielvorschlaege::Migration),
            Box::new(m20261206_000102_erstes_kurzassessment::Migration),
            Box::new(m20261206_000201_ausnahmegesuche::Migration),
            Box::new(m20261206_000301_angebot_suchtext::Migration),
            Box::new(m20261206_000401_suchtext_neu_falten::Migration),
        ]
    }
}

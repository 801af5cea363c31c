//! The yearly Selbstdeklaration: the questionnaire of each year as numbered versions (each a whole snapshot
//! of its questions as JSON), and one declaration per Gemeinde and year with its answers as JSON (ADR 0009).

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000008_selbstdeklaration"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("selbstdeklaration_frageboegen")
                    .col(big_pk_auto("id"))
                    .col(integer("jahr"))
                    .col(integer("version"))
                    .col(text("fragen"))
                    .col(timestamp_with_time_zone("gespeichert_am"))
                    .col(big_integer_null("gespeichert_von"))
                    .col(text("kommentar"))
                    .foreign_key(&mut fk("selbstdeklaration_frageboegen", "gespeichert_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("selbstdeklaration_frageboegen", &["jahr", "version"]).unique().to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table("selbstdeklarationen")
                    .col(big_pk_auto("id"))
                    .col(integer("jahr"))
                    .col(integer("gemeinde_bfs"))
                    .col(string("status"))
                    .col(integer("fragebogen_version"))
                    .col(text("antworten"))
                    .col(timestamp_with_time_zone("geaendert_am"))
                    .col(big_integer("geaendert_von"))
                    .col(timestamp_with_time_zone_null("eingereicht_am"))
                    .col(big_integer_null("eingereicht_von"))
                    .col(timestamp_with_time_zone_null("zurueckgegeben_am"))
                    .col(big_integer_null("zurueckgegeben_von"))
                    .col(text_null("rueckgabe_begruendung"))
                    .foreign_key(&mut fk("selbstdeklarationen", "geaendert_von", "users"))
                    .foreign_key(&mut fk("selbstdeklarationen", "eingereicht_von", "users"))
                    .foreign_key(&mut fk("selbstdeklarationen", "zurueckgegeben_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("selbstdeklarationen", &["jahr", "gemeinde_bfs"]).unique().to_owned()).await
    }
}

//! The Massnahmen catalogue as numbered versions (each a whole snapshot), the German levels of a dossier's
//! person, and the participations in measures with their end and Anschluss.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000004_massnahmen"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("massnahmen_katalog")
                    .col(big_pk_auto("id"))
                    .col(integer_uniq("version"))
                    .col(date("gueltig_ab"))
                    .col(text("inhalt"))
                    .col(timestamp_with_time_zone("gespeichert_am"))
                    .col(big_integer_null("gespeichert_von"))
                    .col(text("kommentar"))
                    .foreign_key(&mut fk("massnahmen_katalog", "gespeichert_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sprachstaende")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(date("datum"))
                    .col(string("fertigkeit"))
                    .col(string("niveau"))
                    .col(string("nachweis"))
                    .col(text("bemerkung"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("sprachstaende", "dossier_id", "dossiers"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sprachstaende", &["dossier_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("teilnahmen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(string("massnahme_code"))
                    .col(string("massnahme_titel"))
                    .col(integer("katalog_version"))
                    .col(string("anbieter"))
                    .col(date("beginn"))
                    .col(date_null("geplantes_ende"))
                    .col(date_null("ende"))
                    .col(integer_null("anwesenheit"))
                    .col(string_null("ergebnis"))
                    .col(text_null("abbruchgrund"))
                    .col(string_null("anschluss"))
                    .col(text_null("anschluss_text"))
                    .col(string_null("anschluss_massnahme"))
                    .col(text_null("ausnahme_begruendung"))
                    .col(big_integer_null("ausnahme_von"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("teilnahmen", "dossier_id", "dossiers"))
                    .foreign_key(&mut fk("teilnahmen", "ausnahme_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("teilnahmen", &["dossier_id"])).await?;
        manager.create_index(index("teilnahmen", &["ergebnis", "anschluss"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Massnahmen lassen sich nicht zurücknehmen.".to_owned()))
    }
}

//! start.integration in the Gemeinden: how each Gemeinde is organised (contract with its Leitgemeinde,
//! strategic lead, contact), and the frühe Sprachförderung of young children with its information contacts.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000007_gemeinden"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("gemeindeorganisationen")
                    .col(big_pk_auto("id"))
                    .col(big_integer_uniq("organisation_id"))
                    .col(date_null("vertrag_beginn"))
                    .col(date_null("vertrag_ende"))
                    .col(string("leitung_name"))
                    .col(string("leitung_ressort"))
                    .col(text("ib_kontakt"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("updated_by"))
                    .foreign_key(&mut fk("gemeindeorganisationen", "organisation_id", "organisations"))
                    .foreign_key(&mut fk("gemeindeorganisationen", "updated_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("fruehfoerderungen")
                    .col(big_pk_auto("id"))
                    .col(big_integer_uniq("person_id"))
                    .col(string("quelle"))
                    .col(string_null("familiensprachen"))
                    .col(date_null("familiensprache_am"))
                    .col(date_null("geburtskontakt_am"))
                    .col(string_null("geburtskontakt_art"))
                    .col(text_null("geburtskontakt_notiz"))
                    .col(date_null("abklaerung_am"))
                    .col(string_null("abklaerung_ergebnis"))
                    .col(text_null("abklaerung_bemerkung"))
                    .col(date_null("empfehlung_am"))
                    .col(text_null("empfehlung"))
                    .col(boolean_null("teilnahme"))
                    .col(date_null("teilnahme_von"))
                    .col(date_null("teilnahme_bis"))
                    .col(string_null("stand_eintritt"))
                    .col(integer_null("eintritt_jahr"))
                    .col(integer_null("eintritt_gemeinde_bfs"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("updated_by"))
                    .foreign_key(&mut fk("fruehfoerderungen", "person_id", "persons"))
                    .foreign_key(&mut fk("fruehfoerderungen", "created_by", "users"))
                    .foreign_key(&mut fk("fruehfoerderungen", "updated_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("fruehfoerderungen", &["eintritt_gemeinde_bfs", "eintritt_jahr"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("fruehfoerderung_kontakte")
                    .col(big_pk_auto("id"))
                    .col(big_integer("fruehfoerderung_id"))
                    .col(date("datum"))
                    .col(string("art"))
                    .col(text("notiz"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("fruehfoerderung_kontakte", "fruehfoerderung_id", "fruehfoerderungen"))
                    .foreign_key(&mut fk("fruehfoerderung_kontakte", "created_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("fruehfoerderung_kontakte", &["fruehfoerderung_id"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Die frühe Sprachförderung lässt sich nicht zurücknehmen.".to_owned()))
    }
}

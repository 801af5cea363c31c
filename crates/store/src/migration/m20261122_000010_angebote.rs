//! The Angebotsplattform: integration offers of providers, Gemeinden and the Kanton with their places. An offer
//! is public once published; it holds no personal data of clients.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000010_angebote"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("angebote")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(string("status"))
                    .col(string("titel"))
                    .col(text("beschreibung"))
                    .col(string("kategorie"))
                    .col(string("handlungsfeld"))
                    .col(string("zielgruppen"))
                    .col(string_null("niveau_von"))
                    .col(string_null("niveau_bis"))
                    .col(string("sprachen"))
                    .col(string("tageszeiten"))
                    .col(text("zeitplan"))
                    .col(date_null("beginn"))
                    .col(date_null("ende"))
                    .col(big_integer("preis_rappen"))
                    .col(boolean("subventioniert"))
                    .col(boolean("kinderbetreuung"))
                    .col(boolean("barrierefrei"))
                    .col(text("anmeldung"))
                    .col(string_null("anmeldung_link"))
                    .col(date("gueltig_bis"))
                    .col(text_null("rueckweisung"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("updated_by"))
                    .col(timestamp_with_time_zone_null("eingereicht_at"))
                    .col(timestamp_with_time_zone_null("veroeffentlicht_at"))
                    .foreign_key(&mut fk("angebote", "organisation_id", "organisations"))
                    .foreign_key(&mut fk("angebote", "updated_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("angebote", &["status", "gueltig_bis"])).await?;
        manager.create_index(index("angebote", &["organisation_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("angebot_orte")
                    .col(big_pk_auto("id"))
                    .col(big_integer("angebot_id"))
                    .col(integer("position"))
                    .col(integer("gemeinde_bfs"))
                    .col(string("adresse"))
                    .foreign_key(&mut fk("angebot_orte", "angebot_id", "angebote"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("angebot_orte", &["angebot_id"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Angebote lassen sich nicht zurücknehmen.".to_owned()))
    }
}

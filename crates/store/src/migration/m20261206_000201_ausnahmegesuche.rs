//! Requests of a case worker to the Leitung for an exception from a measure's entry criteria (issue 12):
//! the booking as entered, the unmet criteria at the time of the request, the case worker's reason, and the
//! Leitung's decision with its reason. One open request per dossier and measure is checked by the store.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000201_ausnahmegesuche"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("ausnahmegesuche")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(string("massnahme_code"))
                    .col(string("massnahme_titel"))
                    .col(integer("katalog_version"))
                    .col(string("anbieter"))
                    .col(date("beginn"))
                    .col(date_null("geplantes_ende"))
                    .col(string_null("ausbildung"))
                    .col(text("kriterien"))
                    .col(text("begruendung"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("beantragt_at"))
                    .col(big_integer("beantragt_by"))
                    .col(timestamp_with_time_zone_null("entschieden_at"))
                    .col(big_integer_null("entschieden_by"))
                    .col(text_null("entscheid_begruendung"))
                    .foreign_key(&mut fk("ausnahmegesuche", "dossier_id", "dossiers"))
                    .foreign_key(&mut fk("ausnahmegesuche", "beantragt_by", "users"))
                    .foreign_key(&mut fk("ausnahmegesuche", "entschieden_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ausnahmegesuche", &["dossier_id", "status"])).await?;
        manager.create_index(index("ausnahmegesuche", &["status", "dossier_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("ausnahmegesuche").to_owned()).await
    }
}

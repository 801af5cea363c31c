//! Dossiers of the Durchgehende Fallführung, their timeline and the Kurzassessments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000002_dossiers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dossiers")
                    .col(big_pk_auto("id"))
                    .col(big_integer_uniq("person_id"))
                    .col(big_integer("stelle_id"))
                    .col(big_integer("responsible_user_id"))
                    .col(string_null("asyl"))
                    .col(boolean("sozialhilfe"))
                    .col(boolean("jugendliche"))
                    .col(boolean("gesundheitliche_einschraenkung"))
                    .col(timestamp_with_time_zone("opened_at"))
                    .col(date_null("kurzassessment_datum"))
                    .col(date_null("standortbestimmung_datum"))
                    .col(date_null("naechste_standortbestimmung"))
                    .col(string("status"))
                    .foreign_key(&mut super::m20261121_000001_foundation::fk("dossiers", "person_id", "persons"))
                    .foreign_key(&mut super::m20261121_000001_foundation::fk("dossiers", "stelle_id", "organisations"))
                    .foreign_key(&mut super::m20261121_000001_foundation::fk(
                        "dossiers",
                        "responsible_user_id",
                        "users",
                    ))
                    .to_owned(),
            )
            .await?;
        let index = super::m20261121_000001_foundation::index;
        manager.create_index(index("dossiers", &["stelle_id", "naechste_standortbestimmung"])).await?;
        manager.create_index(index("dossiers", &["responsible_user_id", "naechste_standortbestimmung"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("dossier_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(big_integer("actor_user_id"))
                    .col(string("kind"))
                    .col(text_null("detail"))
                    .foreign_key(&mut super::m20261121_000001_foundation::fk(
                        "dossier_events",
                        "dossier_id",
                        "dossiers",
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(super::m20261121_000001_foundation::index("dossier_events", &["dossier_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("kurzassessments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(integer("form_version"))
                    .col(date("datum"))
                    .col(text("answers"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut super::m20261121_000001_foundation::fk(
                        "kurzassessments",
                        "dossier_id",
                        "dossiers",
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(super::m20261121_000001_foundation::index("kurzassessments", &["dossier_id"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Dossiers lassen sich nicht zurücknehmen.".to_owned()))
    }
}

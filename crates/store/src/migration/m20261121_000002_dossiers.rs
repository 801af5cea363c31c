//! Dossiers of the Durchgehende Fallführung, their timeline, the Kurzassessments, the Hilfsplan goals and the
//! Standortbestimmungen that judge them.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

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
                    .foreign_key(&mut fk("dossiers", "person_id", "persons"))
                    .foreign_key(&mut fk("dossiers", "stelle_id", "organisations"))
                    .foreign_key(&mut fk("dossiers", "responsible_user_id", "users"))
                    .to_owned(),
            )
            .await?;
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
                    .foreign_key(&mut fk("dossier_events", "dossier_id", "dossiers"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("dossier_events", &["dossier_id"])).await?;
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
                    .foreign_key(&mut fk("kurzassessments", "dossier_id", "dossiers"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("kurzassessments", &["dossier_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("hilfsplan_ziele")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(string("handlungsfeld"))
                    .col(text("ziel"))
                    .col(text("kriterium"))
                    .col(date("faellig_am"))
                    .col(string_null("letzte_bewertung"))
                    .col(date_null("bewertet_am"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("hilfsplan_ziele", "dossier_id", "dossiers"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("hilfsplan_ziele", &["dossier_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("standortbestimmungen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(date("datum"))
                    .col(text("bemerkungen"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("standortbestimmungen", "dossier_id", "dossiers"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("standortbestimmungen", &["dossier_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("ziel_bewertungen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("standortbestimmung_id"))
                    .col(big_integer("ziel_id"))
                    .col(string("bewertung"))
                    .col(text("kommentar"))
                    .foreign_key(&mut fk("ziel_bewertungen", "standortbestimmung_id", "standortbestimmungen"))
                    .foreign_key(&mut fk("ziel_bewertungen", "ziel_id", "hilfsplan_ziele"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ziel_bewertungen", &["ziel_id"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Dossiers lassen sich nicht zurücknehmen.".to_owned()))
    }
}

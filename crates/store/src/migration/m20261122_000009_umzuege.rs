//! Moves between Gemeinden of the canton that the population register reports for a person with an open
//! dossier kept by another Sozialregion: a proposal to transfer the dossier, once per person and move date,
//! until the case worker requests the transfer or dismisses the proposal with a reason.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000009_umzuege"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("umzugsvorschlaege")
                    .col(big_pk_auto("id"))
                    .col(big_integer("person_id"))
                    .col(big_integer("dossier_id"))
                    .col(integer_null("von_bfs"))
                    .col(integer("nach_bfs"))
                    .col(date("umzug_am"))
                    .col(big_integer("lieferung_id"))
                    .col(string("status"))
                    .col(text_null("begruendung"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("erledigt_at"))
                    .col(big_integer_null("erledigt_by"))
                    .foreign_key(&mut fk("umzugsvorschlaege", "person_id", "persons"))
                    .foreign_key(&mut fk("umzugsvorschlaege", "dossier_id", "dossiers"))
                    .foreign_key(&mut fk("umzugsvorschlaege", "lieferung_id", "register_lieferungen"))
                    .foreign_key(&mut fk("umzugsvorschlaege", "erledigt_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("umzugsvorschlaege", &["person_id", "umzug_am"]).unique().to_owned()).await?;
        manager.create_index(index("umzugsvorschlaege", &["dossier_id", "status"])).await?;
        manager.create_index(index("umzugsvorschlaege", &["status"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Umzugsvorschläge lassen sich nicht zurücknehmen.".to_owned()))
    }
}

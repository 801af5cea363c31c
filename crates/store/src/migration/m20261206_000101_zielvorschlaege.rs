//! Goals proposed from the Kurzassessment (issue 12): a goal remembers the rule it was made from
//! (`iim_domain::zielvorschlaege::VorschlagRegel`), so the proposal is not made again, and a discarded proposal
//! is remembered per dossier and Kurzassessment version, so a later version may propose it again. The new column
//! is nullable (goals written by hand come from no rule); no foreign key is added to the existing table (SQLite
//! cannot), the new table has its own.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000101_zielvorschlaege"
    }
}

/// `VorschlagRegel::MAX_CODE_CHARS`.
const REGEL_CHARS: u32 = 40;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("hilfsplan_ziele")
                    .add_column(string_len_null("vorschlag_regel", REGEL_CHARS))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("zielvorschlaege_verworfen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("dossier_id"))
                    .col(big_integer("kurzassessment_id"))
                    .col(string_len("regel", REGEL_CHARS))
                    .col(timestamp_with_time_zone("verworfen_at"))
                    .col(big_integer("verworfen_by"))
                    .foreign_key(&mut fk("zielvorschlaege_verworfen", "dossier_id", "dossiers"))
                    .foreign_key(&mut fk("zielvorschlaege_verworfen", "kurzassessment_id", "kurzassessments"))
                    .foreign_key(&mut fk("zielvorschlaege_verworfen", "verworfen_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("zielvorschlaege_verworfen", &["dossier_id", "kurzassessment_id", "regel"]).unique().to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Zielvorschläge lassen sich nicht zurücknehmen.".to_owned()))
    }
}

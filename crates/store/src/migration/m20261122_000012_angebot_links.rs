//! Links from casework to the Angebotsplattform: an Empfehlung of the Erstinformationsgespräch and a goal of
//! the Hilfsplan may name the offer they recommend. The column is nullable (most Empfehlungen and goals name
//! none) and carries no foreign-key constraint, because adding one to an existing table is not portable (SQLite
//! cannot); offers are never deleted, only archived, so the link keeps its target.

use super::m20261121_000001_foundation::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000012_angebot_links"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["empfehlungen", "hilfsplan_ziele"] {
            manager
                .alter_table(Table::alter().table(table).add_column(big_integer_null("angebot_id")).to_owned())
                .await?;
            manager.create_index(index(table, &["angebot_id"])).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Verknüpfungen mit Angeboten lassen sich nicht zurücknehmen.".to_owned()))
    }
}

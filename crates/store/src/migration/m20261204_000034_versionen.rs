//! Versions for records edited in forms: the Gemeindeorganisation and the dossier carry the number of the
//! state a form was loaded with, so that a save based on an older state is refused instead of silently
//! overwriting a colleague's change (issue 10). Existing rows start at version 1.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000034_versionen"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["gemeindeorganisationen", "dossiers"] {
            manager
                .alter_table(Table::alter().table(table).add_column(integer("version").default(1)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Versionsnummern lassen sich nicht zurücknehmen.".to_owned()))
    }
}

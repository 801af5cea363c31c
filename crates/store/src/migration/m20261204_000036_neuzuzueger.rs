//! One concept, one name (issue 10): the record of a person who moved to a Gemeinde from abroad is a
//! Neuzuzüger everywhere, in the code as in the screens. The table `zuzuege` becomes `neuzuzueger` and the
//! columns that point to it `neuzuzueger_id`. `zuzug_am` stays: it is the date of the arrival (the Zuzug),
//! not the record. The access log is append-only and keeps its old entries under the code `zuzug`
//! (`Resource::logged_codes`).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000036_neuzuzueger"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, ("zuzuege", "neuzuzueger"), "zuzug_id", "neuzuzueger_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, ("neuzuzueger", "zuzuege"), "neuzuzueger_id", "zuzug_id").await
    }
}

async fn rename(
    manager: &SchemaManager<'_>,
    table: (&'static str, &'static str),
    from: &'static str,
    to: &'static str,
) -> Result<(), DbErr> {
    manager.rename_table(Table::rename().table(table.0, table.1).to_owned()).await?;
    for referring in ["erstgespraeche", "fordern_faelle"] {
        manager.alter_table(Table::alter().table(referring).rename_column(from, to).to_owned()).await?;
    }
    Ok(())
}

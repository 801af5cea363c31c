//! Form tokens are no longer issued and stored when a form is shown, only claimed when it is sent (ADR 0023):
//! the row is written by the first send, so the separate «used at» time is the creation time and goes.

use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000038_form_token_claims"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DELETE FROM form_tokens").await?;
        manager.alter_table(Table::alter().table("form_tokens").drop_column("used_at").to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("form_tokens")
                    .add_column(ColumnDef::new("used_at").timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await
    }
}

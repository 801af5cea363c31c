//! Expired form tokens are deleted by their creation time whenever a token is issued; the index keeps that
//! delete cheap however many forms are opened.

use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000037_form_token_cleanup"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name("idx_form_tokens_created_at").table("form_tokens").col("created_at").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_form_tokens_created_at").table("form_tokens").to_owned()).await
    }
}

//! One-time form tokens: a create form carries a token issued with it, and the creating transaction consumes
//! it, so a form sent twice (Back, then Speichern) creates one record, not two (issue 10, ADR 0018).

use super::m20261121_000001_foundation::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000035_form_tokens"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("form_tokens")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("token"))
                    .col(big_integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(string_null("record"))
                    .foreign_key(&mut fk("form_tokens", "user_id", "users"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("form_tokens").to_owned()).await
    }
}

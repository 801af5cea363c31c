use sea_orm::entity::prelude::*;

/// Append-only: the crate never updates or deletes rows, and database triggers refuse it too.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_user_id: Option<i64>,
    pub actor_username: String,
    pub actor_organisation_id: Option<i64>,
    pub channel: String,
    pub action: String,
    pub resource: String,
    pub record_id: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

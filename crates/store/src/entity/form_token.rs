use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token: String,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
    /// Set by the save that consumed it; a second save with the same token is refused.
    pub used_at: Option<DateTimeUtc>,
    /// The record the save created or changed (its number), to link to from the second attempt.
    pub record: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

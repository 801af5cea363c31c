use sea_orm::entity::prelude::*;

/// A claimed one-time form token (ADR 0023): written by the first send of a form.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token: String,
    pub user_id: i64,
    /// When the first send claimed it.
    pub created_at: DateTimeUtc,
    /// The page the first send led to, once it is known; a second send is led there too.
    pub record: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

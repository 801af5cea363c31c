use sea_orm::entity::prelude::*;

/// An information contact with the family during the first two years.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fruehfoerderung_kontakte")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub fruehfoerderung_id: i64,
    pub datum: Date,
    /// `Kontaktart` code.
    pub art: String,
    pub notiz: String,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

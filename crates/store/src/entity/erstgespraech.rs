use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erstgespraeche")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub neuzuzueger_id: i64,
    pub gefuehrt_am: Date,
    /// ISO 639 code of the conversation's language.
    pub sprache: String,
    pub dolmetscher: bool,
    /// `Thema` codes, comma-separated.
    pub themen: String,
    pub bemerkungen: String,
    pub nachfassen_am: Option<Date>,
    pub erfasst_at: DateTimeUtc,
    pub erfasst_von: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

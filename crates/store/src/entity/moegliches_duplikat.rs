use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moegliche_duplikate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The person the import created.
    pub person_id: i64,
    /// The existing person with the same name and date of birth.
    pub kandidat_id: i64,
    /// `offen` until a human decides: `verschieden` (two persons). A merge removes
    /// the pair with the new record.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub entschieden_at: Option<DateTimeUtc>,
    pub entschieden_von: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// How one Standortbestimmung judged one goal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ziel_bewertungen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub standortbestimmung_id: i64,
    pub ziel_id: i64,
    /// `Bewertung::code`.
    pub bewertung: String,
    pub kommentar: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

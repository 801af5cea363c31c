use sea_orm::entity::prelude::*;

/// One version of a year's Selbstdeklaration questionnaire: all its questions as JSON, who saved it, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "selbstdeklaration_frageboegen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub jahr: i32,
    pub version: i32,
    /// `Vec<iim_domain::selbstdeklaration::Frage>` as JSON.
    pub fragen: String,
    pub gespeichert_am: DateTimeUtc,
    /// None for the shipped questionnaire loaded at start.
    pub gespeichert_von: Option<i64>,
    pub kommentar: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

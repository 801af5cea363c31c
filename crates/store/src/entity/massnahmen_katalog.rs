use sea_orm::entity::prelude::*;

/// One version of the Massnahmen catalogue: the whole catalogue as TOML, who saved it, when and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "massnahmen_katalog")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub version: i32,
    pub gueltig_ab: Date,
    /// The catalogue in the form of `data/massnahmen-katalog.toml`.
    pub inhalt: String,
    pub gespeichert_am: DateTimeUtc,
    /// None for the shipped catalogue loaded at start.
    pub gespeichert_von: Option<i64>,
    pub kommentar: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

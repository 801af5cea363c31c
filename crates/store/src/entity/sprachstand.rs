use sea_orm::entity::prelude::*;

/// A German level of a dossier's person, with the codes of `iim_domain::sprache`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sprachstaende")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub datum: Date,
    pub fertigkeit: String,
    pub niveau: String,
    pub nachweis: String,
    pub bemerkung: String,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

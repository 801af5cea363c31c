use sea_orm::entity::prelude::*;

/// A row of a caseload list already taken over for a Stelle, by its key (`iim_domain::caseload::schluessel`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "caseload_zeilen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub stelle_id: i64,
    pub schluessel: String,
    pub person_id: i64,
    pub dossier_id: i64,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

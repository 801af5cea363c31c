use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kurzassessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// Version of the standardised form the answers belong to.
    pub form_version: i32,
    pub datum: Date,
    /// The answers as a JSON object of field name to answer code, as the form of `form_version` defines.
    pub answers: String,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

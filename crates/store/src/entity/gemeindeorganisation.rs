use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gemeindeorganisationen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The Gemeinde's organisation (kind `gemeinde`).
    #[sea_orm(unique)]
    pub organisation_id: i64,
    /// Contract with the Leitgemeinde, in the Leitgemeindemodell only.
    pub vertrag_beginn: Option<Date>,
    pub vertrag_ende: Option<Date>,
    pub leitung_name: String,
    pub leitung_ressort: String,
    pub ib_kontakt: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: i64,
    /// Grows by one with every change (optimistic concurrency of the form).
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

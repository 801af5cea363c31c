use sea_orm::entity::prelude::*;

/// A goal proposed from a Kurzassessment that the case worker discarded; it is not proposed again for that
/// Kurzassessment version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zielvorschlaege_verworfen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub kurzassessment_id: i64,
    /// `VorschlagRegel::code`.
    pub regel: String,
    pub verworfen_at: DateTimeUtc,
    pub verworfen_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "abschluss_antraege")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// `AbschlussGrund` code.
    pub grund: String,
    pub bemerkung: String,
    /// `offen`, `genehmigt` or `abgelehnt`.
    pub status: String,
    pub beantragt_at: DateTimeUtc,
    pub beantragt_by: i64,
    pub entschieden_at: Option<DateTimeUtc>,
    pub entschieden_by: Option<i64>,
    pub entscheid_begruendung: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uebergaben")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub von_stelle_id: i64,
    pub an_stelle_id: i64,
    pub neue_gemeinde_bfs: i32,
    pub bemerkung: String,
    /// `beantragt`, `angenommen` or `abgelehnt`.
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

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auftraege")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// `AuftragArt` code.
    pub art: String,
    /// The provider organisation the order is addressed to.
    pub anbieter_id: i64,
    pub fragestellung: String,
    /// `AuftragStatus` code.
    pub status: String,
    pub erteilt_at: DateTimeUtc,
    pub erteilt_by: i64,
    /// The Leitung's decision on a coaching order.
    pub entschieden_at: Option<DateTimeUtc>,
    pub entschieden_by: Option<i64>,
    pub entscheid_begruendung: Option<String>,
    /// The provider's report.
    pub ergebnis: Option<String>,
    pub empfehlungen: Option<String>,
    pub komplex: Option<bool>,
    pub ergebnis_at: Option<DateTimeUtc>,
    pub ergebnis_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A case worker's request to the Leitung for an exception from a measure's entry criteria, with the booking
/// as entered, so that an approval books exactly what was asked for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ausnahmegesuche")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub massnahme_code: String,
    /// The title when asked, as the catalogue version named it.
    pub massnahme_titel: String,
    pub katalog_version: i32,
    /// The provider as entered; empty: the measure's usual one.
    pub anbieter: String,
    pub beginn: Date,
    pub geplantes_ende: Option<Date>,
    /// `Ausbildungsgrundlage::code`, if given.
    pub ausbildung: Option<String>,
    /// The unmet entry criteria when asked, one per line.
    pub kriterien: String,
    pub begruendung: String,
    /// `offen`, `bewilligt` or `abgelehnt`.
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

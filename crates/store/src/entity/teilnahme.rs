use sea_orm::entity::prelude::*;

/// A participation in a measure, under the catalogue version it was booked with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teilnahmen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub massnahme_code: String,
    /// The title at booking time, as the catalogue version named it.
    pub massnahme_titel: String,
    pub katalog_version: i32,
    pub anbieter: String,
    pub beginn: Date,
    pub geplantes_ende: Option<Date>,
    /// Set together with `anwesenheit` and `ergebnis` when the participation ends.
    pub ende: Option<Date>,
    pub anwesenheit: Option<i32>,
    /// `Ergebnis::code`.
    pub ergebnis: Option<String>,
    pub abbruchgrund: Option<String>,
    /// `AnschlussArt::code`; none while nothing follows.
    pub anschluss: Option<String>,
    pub anschluss_text: Option<String>,
    pub anschluss_massnahme: Option<String>,
    /// The Leitung's reason for an exception from the entry criteria, and who granted it.
    pub ausnahme_begruendung: Option<String>,
    pub ausnahme_von: Option<i64>,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

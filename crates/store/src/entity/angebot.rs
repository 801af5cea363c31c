use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "angebote")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The provider, Gemeinde or Kanton office that owns and maintains the offer.
    pub organisation_id: i64,
    /// An `AngebotStatus` code.
    pub status: String,
    pub titel: String,
    /// The title folded for search (`iim_domain::person::fold_for_search`), for the casework pickers.
    pub suchtext: String,
    pub beschreibung: String,
    /// A `Kategorie` code.
    pub kategorie: String,
    /// A `Handlungsfeld` code.
    pub handlungsfeld: String,
    /// `Zielgruppe` codes, comma-separated.
    pub zielgruppen: String,
    pub niveau_von: Option<String>,
    pub niveau_bis: Option<String>,
    /// ISO 639 codes, comma-separated.
    pub sprachen: String,
    /// `Tageszeit` codes, comma-separated.
    pub tageszeiten: String,
    pub zeitplan: String,
    pub beginn: Option<Date>,
    pub ende: Option<Date>,
    pub preis_rappen: i64,
    pub subventioniert: bool,
    pub kinderbetreuung: bool,
    pub barrierefrei: bool,
    pub anmeldung: String,
    pub anmeldung_link: Option<String>,
    pub gueltig_bis: Date,
    /// The Kanton's reason when it returned a submission to draft.
    pub rueckweisung: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub updated_by: i64,
    pub eingereicht_at: Option<DateTimeUtc>,
    pub veroeffentlicht_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

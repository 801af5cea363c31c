use sea_orm::entity::prelude::*;

/// A Gemeinde's Selbstdeklaration of one year: status, answers as JSON, and the questionnaire version they
/// were last saved under. The last submission stays recorded when the Kanton returns it to draft.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "selbstdeklarationen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub jahr: i32,
    pub gemeinde_bfs: i32,
    /// `entwurf` or `eingereicht`.
    pub status: String,
    pub fragebogen_version: i32,
    /// `iim_domain::selbstdeklaration::Antworten` as JSON.
    pub antworten: String,
    pub geaendert_am: DateTimeUtc,
    pub geaendert_von: i64,
    pub eingereicht_am: Option<DateTimeUtc>,
    pub eingereicht_von: Option<i64>,
    pub zurueckgegeben_am: Option<DateTimeUtc>,
    pub zurueckgegeben_von: Option<i64>,
    pub rueckgabe_begruendung: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

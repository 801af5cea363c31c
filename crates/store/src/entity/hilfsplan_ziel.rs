use sea_orm::entity::prelude::*;

/// A goal of a dossier's Hilfsplan, with its latest judgement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hilfsplan_ziele")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// `Handlungsfeld::code`.
    pub handlungsfeld: String,
    pub ziel: String,
    pub kriterium: String,
    pub faellig_am: Date,
    /// `Bewertung::code` of the latest Standortbestimmung; a reached goal is no longer open.
    pub letzte_bewertung: Option<String>,
    pub bewertet_am: Option<Date>,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
    /// The offer of the Angebotsplattform this names, if any.
    pub angebot_id: Option<i64>,
    /// `VorschlagRegel::code` of the proposal the goal was made from; none for goals written by hand.
    pub vorschlag_regel: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

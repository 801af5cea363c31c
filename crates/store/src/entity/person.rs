use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub nachname: String,
    pub vornamen: String,
    /// Folded names and AHV number for the register search (see `PersonData::search_text`).
    pub search_text: String,
    pub geschlecht: String,
    pub geburtsjahr: i32,
    pub geburtsmonat: Option<i32>,
    pub geburtstag: Option<i32>,
    pub nationalitaet: String,
    pub aufenthaltsstatus: String,
    #[sea_orm(unique)]
    pub ahv_nummer: Option<String>,
    pub einreisejahr: Option<i32>,
    pub einreisemonat: Option<i32>,
    pub einreisetag: Option<i32>,
    /// Language codes separated by commas, in the order given.
    pub sprachen: String,
    pub wohngemeinde_bfs: i32,
    /// Optimistic concurrency: every change increments it; an edit based on an older version is refused.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
    pub updated_at: DateTimeUtc,
    pub updated_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentoring_mentoren")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub email: String,
    pub telefon: String,
    pub gemeinde_bfs: i32,
    /// Language codes, comma-separated.
    pub sprachen: String,
    pub verfuegbarkeit: String,
    /// `Interesse` codes, comma-separated.
    pub interessen: String,
    pub interessen_text: String,
    /// A `MentorStatus` code.
    pub status: String,
    pub gespraech_am: Option<Date>,
    pub notizen: String,
    pub angemeldet_at: DateTimeUtc,
    pub geaendert_at: DateTimeUtc,
    pub geaendert_von: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentoring_mentees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub gemeinde_bfs: i32,
    /// Language codes, comma-separated.
    pub sprachen: String,
    /// `Interesse` codes, comma-separated.
    pub interessen: String,
    pub interessen_text: String,
    pub kontakt: String,
    pub einwilligung_am: Date,
    pub zugewiesen_at: DateTimeUtc,
    pub zugewiesen_von: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

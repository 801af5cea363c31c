use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentoring_tandems")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Empty once the mentor's data is deleted after the retention period.
    pub mentor_id: Option<i64>,
    /// Empty once the mentee's data is deleted after the retention period.
    pub mentee_id: Option<i64>,
    /// The mentee's Gemeinde: decides the pool, also after anonymisation.
    pub gemeinde_bfs: i32,
    /// A `TandemStatus` code.
    pub status: String,
    pub vorgeschlagen_at: DateTimeUtc,
    pub begonnen_am: Option<Date>,
    pub beendet_am: Option<Date>,
    /// An `EndGrund` code.
    pub end_grund: Option<String>,
    pub end_text: String,
    pub geaendert_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

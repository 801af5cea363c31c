use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "umzugsvorschlaege")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub dossier_id: i64,
    /// The Gemeinde the register says the person came from, if delivered.
    pub von_bfs: Option<i32>,
    pub nach_bfs: i32,
    pub umzug_am: Date,
    pub lieferung_id: i64,
    /// `offen`, `erledigt` (transfer requested) or `verworfen` (dismissed with a reason).
    pub status: String,
    pub begruendung: Option<String>,
    pub created_at: DateTimeUtc,
    pub erledigt_at: Option<DateTimeUtc>,
    pub erledigt_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

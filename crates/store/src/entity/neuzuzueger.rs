use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "neuzuzueger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub gemeinde_bfs: i32,
    pub zuzug_am: Date,
    /// ISO alpha-2 code of the country of origin, if delivered.
    pub herkunft: Option<String>,
    /// A `NeuzuzuegerStatus` code.
    pub status: String,
    pub lieferung_id: i64,
    pub created_at: DateTimeUtc,
    /// The date of the invitation to the Erstinformationsgespräch.
    pub eingeladen_am: Option<Date>,
    pub geaendert_at: Option<DateTimeUtc>,
    pub geaendert_von: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

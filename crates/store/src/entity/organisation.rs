use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub kind: String,
    pub name: String,
    pub bfs_nr: Option<i32>,
    pub sozialregion_id: Option<i64>,
    pub leitgemeinde_id: Option<i64>,
    pub updated_at: DateTimeUtc,
    /// For providers: `AnbieterTyp` code.
    pub anbieter_typ: Option<String>,
    /// For a Sozialregion: closings need the Leitung's approval.
    pub abschluss_genehmigung: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

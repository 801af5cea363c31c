use sea_orm::entity::prelude::*;

/// The dossier's timeline: append-only, one row per thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_user_id: i64,
    /// `DossierEvent::code`.
    pub kind: String,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

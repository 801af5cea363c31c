use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "angebot_orte")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub angebot_id: i64,
    pub position: i32,
    pub gemeinde_bfs: i32,
    pub adresse: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "familien_mitglieder")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub familie_id: i64,
    #[sea_orm(unique)]
    pub dossier_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

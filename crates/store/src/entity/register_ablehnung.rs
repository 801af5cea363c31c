use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_ablehnungen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lieferung_id: i64,
    pub position: i32,
    pub ereignis: String,
    pub feld: String,
    pub meldung: String,
    /// `iim_domain::erstinformation::Abgelehnt` code; rows before it was recorded have none.
    pub grund: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

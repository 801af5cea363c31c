use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "empfehlungen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub erstgespraech_id: i64,
    pub position: i32,
    /// An `EmpfehlungArt` code.
    pub art: String,
    pub text: String,
    /// The offer of the Angebotsplattform this names, if any.
    pub angebot_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

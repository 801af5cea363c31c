use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_ereignisse")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lieferung_id: i64,
    pub position: i32,
    /// `iim_domain::erstinformation::Ereignisart` code.
    pub art: String,
    /// `gespeichert`, `zugeordnet`, `uebersprungen`, or `frueher` (done before events were recorded).
    pub ergebnis: String,
    /// `iim_domain::erstinformation::Uebersprungen` code of a skipped event.
    pub grund: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_lieferungen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub message_id: String,
    pub sender_id: String,
    /// File name as given to the import.
    pub datei: String,
    pub importiert_at: DateTimeUtc,
    pub importiert_von: String,
    pub gelesen: i32,
    pub gespeichert: i32,
    pub zugeordnet: i32,
    pub uebersprungen: i32,
    pub abgelehnt: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

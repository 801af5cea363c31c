use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fordern_faelle")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub neuzuzueger_id: i64,
    /// The Gemeinde (organisation) that handed the case over.
    pub organisation_id: i64,
    /// A `FordernEmpfehlung` code.
    pub empfehlung: String,
    pub begruendung: String,
    pub uebergeben_at: DateTimeUtc,
    pub uebergeben_von: i64,
    /// A `FordernEntscheid` code, once the Migrationsamt decided.
    pub entscheid: Option<String>,
    pub entscheid_begruendung: Option<String>,
    pub entschieden_at: Option<DateTimeUtc>,
    pub entschieden_von: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

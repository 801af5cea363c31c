use sea_orm::entity::prelude::*;

/// One child in the frühe Sprachförderung; each section is empty until recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fruehfoerderungen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub person_id: i64,
    /// `register` (started by a birth event) or `erfasst` (entered by hand).
    pub quelle: String,
    /// Language codes separated by commas, as confirmed by the Integrationsbeauftragte; `None` until then.
    pub familiensprachen: Option<String>,
    pub familiensprache_am: Option<Date>,
    pub geburtskontakt_am: Option<Date>,
    pub geburtskontakt_art: Option<String>,
    pub geburtskontakt_notiz: Option<String>,
    pub abklaerung_am: Option<Date>,
    pub abklaerung_ergebnis: Option<String>,
    pub abklaerung_bemerkung: Option<String>,
    pub empfehlung_am: Option<Date>,
    pub empfehlung: Option<String>,
    pub teilnahme: Option<bool>,
    pub teilnahme_von: Option<Date>,
    pub teilnahme_bis: Option<Date>,
    /// `Verstaendigung` code at the Kindergarten entry.
    pub stand_eintritt: Option<String>,
    pub eintritt_jahr: Option<i32>,
    /// The child's Wohngemeinde when the level was recorded: the figures count there.
    pub eintritt_gemeinde_bfs: Option<i32>,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
    pub updated_at: DateTimeUtc,
    pub updated_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::person::Entity", from = "Column::PersonId", to = "super::person::Column::Id")]
    Person,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossiers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// One dossier per person.
    #[sea_orm(unique)]
    pub person_id: i64,
    /// The fallführende Stelle (a Sozialregion).
    pub stelle_id: i64,
    pub responsible_user_id: i64,
    /// `va`, `fl` or none.
    pub asyl: Option<String>,
    pub sozialhilfe: bool,
    pub jugendliche: bool,
    pub gesundheitliche_einschraenkung: bool,
    pub opened_at: DateTimeUtc,
    /// Date of the earliest Kurzassessment (the Standortbestimmung clock starts there, however often the
    /// Kurzassessment is saved again) and of the latest Standortbestimmung, kept here for the worklists.
    pub kurzassessment_datum: Option<Date>,
    pub standortbestimmung_datum: Option<Date>,
    /// Due date of the next Standortbestimmung, computed on every change (see `next_standortbestimmung`), so that the
    /// worklists can sort and count by it.
    pub naechste_standortbestimmung: Option<Date>,
    /// Derived from the events (see `DossierStatus::after`), stored for lists and filters.
    pub status: String,
    /// Grows by one with every change of the dossier (optimistic concurrency of its forms).
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

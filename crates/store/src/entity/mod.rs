//! Table rows as SeaORM entities. Private to the crate: everything outside goes through the guarded API.

pub(crate) mod abschluss_antrag;
pub(crate) mod akkreditierung;
pub(crate) mod api_token;
pub(crate) mod audit_log;
pub(crate) mod auftrag;
pub(crate) mod dossier;
pub(crate) mod dossier_event;
pub(crate) mod familie;
pub(crate) mod familien_mitglied;
pub(crate) mod hilfsplan_ziel;
pub(crate) mod kurzassessment;
pub(crate) mod login_throttle;
pub(crate) mod massnahmen_katalog;
pub(crate) mod organisation;
pub(crate) mod person;
pub(crate) mod session;
pub(crate) mod sprachstand;
pub(crate) mod standortbestimmung;
pub(crate) mod teilnahme;
pub(crate) mod uebergabe;
pub(crate) mod user;
pub(crate) mod ziel_bewertung;

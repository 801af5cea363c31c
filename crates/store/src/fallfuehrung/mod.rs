//! Durchgehende Fallführung: persons, dossiers with Kurzassessment, Hilfsplan and Standortbestimmung, orders to providers, transfers, Massnahmen with exception requests, the worklist.

pub(crate) mod abschluss;
pub(crate) mod auftraege;
pub(crate) mod ausnahmegesuche;
pub(crate) mod caseload;
pub(crate) mod caseload_datei;
pub(crate) mod caseload_export;
pub(crate) mod dossiers;
pub(crate) mod familien;
pub(crate) mod massnahmen;
pub(crate) mod pendenzen;
pub(crate) mod persons;
pub(crate) mod uebergaben;
pub(crate) mod umzuege;

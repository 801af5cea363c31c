//! Pages of the Durchgehende Fallführung.

pub(crate) mod auftraege;
pub(crate) mod ausnahmegesuche;
pub(crate) mod caseload;
pub(crate) mod caseload_export;
pub(crate) mod dossiers;
pub(crate) mod hilfsplan;
pub(crate) mod massnahmen;
pub(crate) mod pendenzen;
pub(crate) mod persons;
pub(crate) mod uebergaben;

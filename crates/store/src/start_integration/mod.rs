//! start.integration of the Gemeinden: register deliveries, Neuzuzüger with Erstinformationsgespräch, the hand-over to the Migrationsamt (Fordern), possible duplicates, the frühe Sprachförderung.

pub(crate) mod duplikate;
pub(crate) mod erstinformation;
pub(crate) mod fordern;
pub(crate) mod fruehfoerderung;
pub(crate) mod lieferungen;
pub(crate) mod register_files;
pub(crate) mod register_import;

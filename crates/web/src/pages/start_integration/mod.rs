//! Pages of start.integration: Neuzuzüger, Fordern, register deliveries, duplicates, frühe Sprachförderung.

pub(crate) mod duplikate;
pub(crate) mod fordern;
pub(crate) mod fruehfoerderung;
pub(crate) mod neuzuzueger;
pub(crate) mod register_import;

//! The Angebotsplattform: the public search and the offers kept by their organisations and published by the Kanton.

pub(crate) mod oeffentlich;
pub(crate) mod verwaltung;

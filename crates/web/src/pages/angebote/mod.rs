//! Pages of the Angebotsplattform.

pub(crate) mod oeffentlich;
pub(crate) mod verwaltung;

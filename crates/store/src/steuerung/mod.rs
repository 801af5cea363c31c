//! Steuerung: how the Gemeinden organise start.integration, and their yearly Selbstdeklaration to the Kanton.

pub(crate) mod gemeinden;
pub(crate) mod selbstdeklaration;

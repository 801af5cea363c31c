//! Pages of the Steuerung: Gemeindeorganisation, Selbstdeklaration, Kennzahlen.

pub(crate) mod gemeinden;
pub(crate) mod kennzahlen;
pub(crate) mod selbstdeklaration;

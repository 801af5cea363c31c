//! Operator functions: what the command line does without a logged-in person (creating accounts and API
//! tokens, setting up organisations, bulk loads for the demo and the benchmarks, the mentoring retention run).
//!
//! Why a type of its own: these functions take no [`iim_domain::Actor`], so no permission matrix and no scope
//! stands between them and the data. They live on [`Operator`], and the only way to get one is
//! [`Store::operator`], which exists only with the cargo feature `operator` of iim-store. The command line
//! enables it; the web crate does not (only its tests do), so no request handler can call an operator
//! function, and `.ci/run` proves it by compiling the web library on its own (ADR 0020). Each function still
//! writes its access-log entry, under the name «kommandozeile» or as a bulk load.

mod aufbewahrung;
mod konten;
mod laden;
mod organisationen;

use crate::Store;

/// The operator's view of the store: functions without an actor (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Operator<'s> {
    store: &'s Store,
}

#[cfg(feature = "operator")]
impl Store {
    /// The operator functions, for the command line and tests (cargo feature `operator`).
    pub fn operator(&self) -> Operator<'_> {
        Operator { store: self }
    }
}

//! Refusals of the Durchgehende Fallführung found in the stored records.

use super::Regel;
use crate::BfsNr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallfuehrungRegel {
    /// The person's Wohngemeinde lies outside the Gemeinden the actor answers for.
    WohngemeindeAusserhalb(BfsNr),
    /// Another person already has this AHV number.
    AhvNummerVergeben,
}

impl Regel for FallfuehrungRegel {
    fn feld(&self) -> &'static str {
        match self {
            FallfuehrungRegel::WohngemeindeAusserhalb(_) => "wohngemeinde_bfs",
            FallfuehrungRegel::AhvNummerVergeben => "ahv_nummer",
        }
    }
}

impl std::fmt::Display for FallfuehrungRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FallfuehrungRegel::WohngemeindeAusserhalb(gemeinde) => write!(
                f,
                "{} gehört nicht zu Ihrem Zuständigkeitsgebiet. Bitte eine Gemeinde Ihres Gebiets wählen.",
                gemeinde.name()
            ),
            FallfuehrungRegel::AhvNummerVergeben => {
                f.write_str("Diese AHV-Nummer ist bereits bei einer anderen Person erfasst.")
            }
        }
    }
}

//! Why the stored records refuse a change: a second dossier for one person, a transfer already decided, an
//! offer that is not waiting for its Prüfung. The store finds these reasons inside the changing transaction
//! and names them as typed values; the sentence users read is written here once, beside the domain's other
//! German messages, and never in the store. One enum per Bereich.

mod angebote;
mod caseload;
mod fallfuehrung;
mod formular;
mod konten;
mod mentoring;
mod start_integration;
mod steuerung;

pub use angebote::AngeboteRegel;
pub use caseload::{CaseloadDateiRegel, CaseloadRegel};
pub use fallfuehrung::FallfuehrungRegel;
pub use formular::FormularRegel;
pub use konten::KontenRegel;
pub use mentoring::MentoringRegel;
pub use start_integration::StartIntegrationRegel;
pub use steuerung::SteuerungRegel;

use crate::FieldErrors;

/// A refusal found in the stored records, with the form field whose message it is.
pub trait Regel: std::fmt::Display {
    /// The field (as form and API name it) the message is shown at.
    fn feld(&self) -> &'static str;

    /// The refusal as the field message forms and the API show.
    fn als_feldfehler(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.add(self.feld(), self.to_string());
        errors
    }
}

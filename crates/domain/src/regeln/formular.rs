//! Refusals of a form as a whole, whatever it records.

use super::Regel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormularRegel {
    /// The form's one-time token is unknown, another user's, or older than a day.
    Abgelaufen,
}

impl Regel for FormularRegel {
    fn feld(&self) -> &'static str {
        "form_token"
    }
}

impl std::fmt::Display for FormularRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormularRegel::Abgelaufen => {
                f.write_str("Das Formular ist abgelaufen. Bitte die Seite neu laden und die Angaben nochmals eingeben.")
            }
        }
    }
}

//! Upper bounds for every text people type, and the one check that applies them (ADR 0016).
//!
//! Names may be long and in any script, but not endless: eCH-0044 allows 100 characters for official name and
//! first names, and without a bound a 1.9 MB «name» was stored. One check, used by every `*Input` parse, the
//! eCH-0020 reader and the forms' `maxlength`, keeps the bounds and the German messages the same everywhere.
//! It also refuses control characters: the NUL byte cannot be stored by PostgreSQL at all, and the others are
//! never part of a typed text (multi-line notes keep tab and line breaks).

use crate::field_errors::FieldErrors;

/// Official name, first names and other names of people (eCH-0044 `baseNameType`).
pub const NAME_CHARS: usize = 100;
/// One-line texts: titles, places, contacts, short answers.
pub const SHORT_TEXT_CHARS: usize = 200;
/// Notes, reasons and descriptions: about two typed pages.
pub const NOTE_CHARS: usize = 4000;

/// Which bound applies to a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLimit {
    Name,
    Short,
    Note,
    /// A bound of its own, e.g. a provider's long report; multi-line like a note.
    Long(usize),
}

impl TextLimit {
    pub const fn max_chars(self) -> usize {
        match self {
            TextLimit::Name => NAME_CHARS,
            TextLimit::Short => SHORT_TEXT_CHARS,
            TextLimit::Note => NOTE_CHARS,
            TextLimit::Long(chars) => chars,
        }
    }

    const fn multi_line(self) -> bool {
        matches!(self, TextLimit::Note | TextLimit::Long(_))
    }
}

/// Why a text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Höchstens {0} Zeichen.")]
    TooLong(usize),
    #[error("Enthält unzulässige Steuerzeichen.")]
    ControlCharacters,
}

/// Checks one text against its bound: not longer than the limit (in characters, not bytes) and free of
/// control characters, except tab and line breaks in multi-line texts. Reads at most the allowed length plus
/// one character beyond the control check, so a huge text costs no more than a short one.
pub fn check_text(text: &str, limit: TextLimit) -> Result<(), TextError> {
    let allowed = |c: char| !c.is_control() || (limit.multi_line() && matches!(c, '\t' | '\n' | '\r'));
    if text.chars().nth(limit.max_chars()).is_some() {
        return Err(TextError::TooLong(limit.max_chars()));
    }
    if !text.chars().all(allowed) {
        return Err(TextError::ControlCharacters);
    }
    Ok(())
}

impl FieldErrors {
    /// Checks each `(field, text, limit)` with [`check_text`] and records the messages; true when all passed.
    pub fn check_texts(&mut self, fields: &[(&'static str, &str, TextLimit)]) -> bool {
        let mut all_fine = true;
        for (field, text, limit) in fields {
            if let Err(error) = check_text(text, *limit) {
                self.add(field, error.to_string());
                all_fine = false;
            }
        }
        all_fine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_may_have_100_characters_in_any_script_but_not_101() {
        assert_eq!(check_text(&"ü".repeat(100), TextLimit::Name), Ok(()));
        assert_eq!(check_text(&"ü".repeat(101), TextLimit::Name), Err(TextError::TooLong(100)));
        assert_eq!(TextError::TooLong(100).to_string(), "Höchstens 100 Zeichen.");
    }

    #[test]
    fn control_characters_are_refused_but_notes_keep_their_lines() {
        assert_eq!(check_text("Ber\0he", TextLimit::Name), Err(TextError::ControlCharacters));
        assert_eq!(check_text("a\tb", TextLimit::Short), Err(TextError::ControlCharacters));
        assert_eq!(check_text("Zeile 1\r\nZeile 2\tEnde", TextLimit::Note), Ok(()));
        assert_eq!(check_text("a\u{1b}[31m", TextLimit::Note), Err(TextError::ControlCharacters));
        assert_eq!(TextError::ControlCharacters.to_string(), "Enthält unzulässige Steuerzeichen.");
    }

    #[test]
    fn the_note_fields_of_the_inputs_are_bounded() {
        use crate::{dossier, erstinformation, gemeindeorganisation, massnahmen, sprache};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
        let long = "x".repeat(NOTE_CHARS + 1);
        let refused: Vec<(&str, FieldErrors)> = vec![
            (
                "bemerkung",
                sprache::SprachstandInput { bemerkung: long.clone(), ..Default::default() }.parse(today).unwrap_err(),
            ),
            (
                "bemerkungen",
                dossier::KurzassessmentInput { bemerkungen: long.clone(), ..Default::default() }
                    .parse(today)
                    .unwrap_err(),
            ),
            (
                "bemerkungen",
                dossier::StandortbestimmungInput { bemerkungen: long.clone(), ..Default::default() }
                    .parse(&[], today)
                    .unwrap_err(),
            ),
            (
                "kriterium",
                dossier::ZielInput { kriterium: long.clone(), ..Default::default() }.parse(today).unwrap_err(),
            ),
            ("bemerkung", dossier::parse_abschluss("anderer", &long).unwrap_err()),
            (
                "abbruchgrund",
                massnahmen::TeilnahmeEndeInput { abbruchgrund: long.clone(), ..Default::default() }
                    .parse(today, today)
                    .unwrap_err(),
            ),
            ("text", massnahmen::AnschlussInput { text: long.clone(), ..Default::default() }.parse(&[]).unwrap_err()),
            (
                "begruendung",
                erstinformation::EntscheidInput { begruendung: long.clone(), ..Default::default() }
                    .check()
                    .unwrap_err(),
            ),
            (
                "begruendung",
                erstinformation::UebergabeInput { begruendung: long.clone(), ..Default::default() }
                    .check()
                    .unwrap_err(),
            ),
            (
                "bemerkungen",
                erstinformation::GespraechInput { bemerkungen: long.clone(), ..Default::default() }
                    .check(today, today)
                    .unwrap_err(),
            ),
            (
                "leitung_name",
                gemeindeorganisation::GemeindeorganisationInput {
                    leitung_name: "Ä".repeat(101), ..Default::default()
                }
                .check(gemeindeorganisation::Modell::Gemeindeintern)
                .unwrap_err(),
            ),
        ];
        for (field, errors) in refused {
            let message = errors.get(field).unwrap_or_default();
            assert!(message.starts_with("Höchstens"), "{field}: {errors}");
        }
    }

    #[test]
    fn every_failing_field_gets_its_message() {
        let mut errors = FieldErrors::new();
        let long = "x".repeat(4001);
        let fine = errors.check_texts(&[
            ("nachname", "Berhe", TextLimit::Name),
            ("bemerkung", &long, TextLimit::Note),
            ("ort", "Olten\0", TextLimit::Short),
        ]);
        assert!(!fine);
        assert_eq!(errors.get("bemerkung"), Some("Höchstens 4000 Zeichen."));
        assert_eq!(errors.get("ort"), Some("Enthält unzulässige Steuerzeichen."));
        assert_eq!(errors.get("nachname"), None);
    }
}

//! The yearly Selbstdeklaration of the Gemeinden to the Kanton (DOMAIN.md "start.integration"; seed 000,
//! Schwerpunkt 1: «Die Selbstdeklaration wird um Fragen zur Verankerung der Integrationsförderung in den
//! Gemeinden … erweitert»).
//!
//! The Kanton defines one questionnaire per year; each Gemeinde answers it (draft, then submitted). The rules
//! live here: what a question must state, which answers fit which question, what a submission must contain,
//! and how a questionnaire may change: freely until the first Gemeinde submits, afterwards only by adding
//! questions, so that no answer ever loses its question (ADR 0009).

use crate::dossier::exact_date;
use crate::field_errors::FieldErrors;
use crate::limits::{TextLimit, check_text};
use crate::person::Choice;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The answers of one Gemeinde: question key → answer in its stored form (`ja`/`nein`, digits, text, the
/// chosen option, or an ISO date). A question without an answer has no entry.
pub type Antworten = BTreeMap<String, String>;

/// What kind of answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrageTyp {
    JaNein,
    Zahl,
    Text,
    Auswahl,
    Datum,
}

impl Choice for FrageTyp {
    const ALL: &'static [Self] =
        &[FrageTyp::JaNein, FrageTyp::Zahl, FrageTyp::Text, FrageTyp::Auswahl, FrageTyp::Datum];

    fn code(self) -> &'static str {
        match self {
            FrageTyp::JaNein => "ja_nein",
            FrageTyp::Zahl => "zahl",
            FrageTyp::Text => "text",
            FrageTyp::Auswahl => "auswahl",
            FrageTyp::Datum => "datum",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FrageTyp::JaNein => "Ja/Nein",
            FrageTyp::Zahl => "Zahl (ganze Zahl ab 0)",
            FrageTyp::Text => "Text",
            FrageTyp::Auswahl => "Auswahl aus Antworten",
            FrageTyp::Datum => "Datum",
        }
    }
}

/// Where a Gemeinde's declaration of a year stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeklarationStatus {
    NichtBegonnen,
    Entwurf,
    Eingereicht,
}

impl Choice for DeklarationStatus {
    const ALL: &'static [Self] =
        &[DeklarationStatus::NichtBegonnen, DeklarationStatus::Entwurf, DeklarationStatus::Eingereicht];

    fn code(self) -> &'static str {
        match self {
            DeklarationStatus::NichtBegonnen => "nicht_begonnen",
            DeklarationStatus::Entwurf => "entwurf",
            DeklarationStatus::Eingereicht => "eingereicht",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DeklarationStatus::NichtBegonnen => "nicht begonnen",
            DeklarationStatus::Entwurf => "Entwurf",
            DeklarationStatus::Eingereicht => "eingereicht",
        }
    }
}

/// One question. The key is stable across versions and years: answers refer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frage {
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub hilfe: String,
    pub typ: FrageTyp,
    /// The possible answers of an `Auswahl` question; empty otherwise.
    #[serde(default)]
    pub optionen: Vec<String>,
    pub pflicht: bool,
}

const MAX_ZAHL: u64 = 1_000_000_000;

impl Frage {
    /// The form field of this question's answer.
    pub fn feldname(&self) -> String {
        format!("frage_{}", self.key)
    }

    /// Parses one raw answer; empty input is no answer (`None`). Every answer, of any type, is bounded like
    /// a note before it is read.
    pub fn antwort(&self, eingabe: &str) -> Result<Option<String>, String> {
        check_text(eingabe, TextLimit::Note).map_err(|error| error.to_string())?;
        let eingabe = eingabe.trim();
        if eingabe.is_empty() {
            return Ok(None);
        }
        let wert = match self.typ {
            FrageTyp::JaNein => match eingabe {
                "ja" | "nein" => eingabe.to_owned(),
                _ => return Err("Bitte Ja oder Nein wählen.".to_owned()),
            },
            FrageTyp::Zahl => zahl(eingabe)?.to_string(),
            FrageTyp::Text => eingabe.to_owned(),
            FrageTyp::Auswahl if self.optionen.iter().any(|o| o == eingabe) => eingabe.to_owned(),
            FrageTyp::Auswahl => return Err("Bitte eine der angebotenen Antworten wählen.".to_owned()),
            FrageTyp::Datum => exact_date(eingabe)?.format("%Y-%m-%d").to_string(),
        };
        Ok(Some(wert))
    }

    /// A stored answer as people read it (`Ja`, `21.11.2026`); empty when unanswered.
    pub fn anzeige(&self, wert: Option<&str>) -> String {
        let Some(wert) = wert else { return String::new() };
        match self.typ {
            FrageTyp::JaNein if wert == "ja" => "Ja".to_owned(),
            FrageTyp::JaNein if wert == "nein" => "Nein".to_owned(),
            FrageTyp::Datum => chrono::NaiveDate::parse_from_str(wert, "%Y-%m-%d")
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_else(|_| wert.to_owned()),
            _ => wert.to_owned(),
        }
    }

    /// A stored answer as the form shows it again (dates as TT.MM.JJJJ, everything else as stored).
    pub fn eingabewert(&self, wert: Option<&str>) -> String {
        match self.typ {
            FrageTyp::Datum => self.anzeige(wert),
            _ => wert.unwrap_or_default().to_owned(),
        }
    }
}

/// A non-negative whole number; Swiss thousands separators (`1'200`) and spaces are accepted.
fn zahl(eingabe: &str) -> Result<u64, String> {
    let ziffern: String = eingabe.chars().filter(|c| !matches!(c, '\'' | '’' | ' ')).collect();
    match ziffern.parse::<u64>() {
        Ok(n) if n <= MAX_ZAHL => Ok(n),
        _ => Err("Bitte eine ganze Zahl ab 0 eingeben, ohne Einheit.".to_owned()),
    }
}

/// The Kanton's form for one question, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrageInput {
    pub key: String,
    pub text: String,
    pub hilfe: String,
    pub typ: String,
    /// One possible answer per line.
    pub optionen: String,
    pub pflicht: String,
}

impl FrageInput {
    pub fn of(frage: &Frage) -> Self {
        Self {
            key: frage.key.clone(),
            text: frage.text.clone(),
            hilfe: frage.hilfe.clone(),
            typ: frage.typ.code().to_owned(),
            optionen: frage.optionen.join("\n"),
            pflicht: if frage.pflicht { "ja" } else { "nein" }.to_owned(),
        }
    }

    pub fn parse(&self) -> Result<Frage, FieldErrors> {
        let mut errors = FieldErrors::new();
        let key = errors.check("key", parse_key(&self.key));
        let text = self.text.trim();
        if text.is_empty() {
            errors.add("text", "Bitte die Frage formulieren.");
        } else if text.chars().count() > 500 {
            errors.add("text", "Bitte die Frage kürzer fassen (höchstens 500 Zeichen).");
        }
        let typ = FrageTyp::from_code(&self.typ);
        if typ.is_none() {
            errors.add("typ", "Bitte die Art der Antwort wählen.");
        }
        let optionen: Vec<String> =
            self.optionen.lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect();
        if typ == Some(FrageTyp::Auswahl) {
            let mut eindeutig = optionen.clone();
            eindeutig.sort();
            eindeutig.dedup();
            if optionen.len() < 2 {
                errors.add("optionen", "Bitte mindestens zwei Antworten angeben, eine pro Zeile.");
            } else if eindeutig.len() != optionen.len() {
                errors.add("optionen", "Jede Antwort darf nur einmal vorkommen.");
            }
        }
        let pflicht = match self.pflicht.trim() {
            "ja" => Some(true),
            "nein" => Some(false),
            _ => {
                errors.add("pflicht", "Bitte angeben, ob die Frage beantwortet werden muss.");
                None
            }
        };
        match (key, typ, pflicht) {
            (Some(key), Some(typ), Some(pflicht)) if errors.is_empty() => Ok(Frage {
                key,
                text: text.to_owned(),
                hilfe: self.hilfe.trim().to_owned(),
                typ,
                optionen: if typ == FrageTyp::Auswahl { optionen } else { Vec::new() },
                pflicht,
            }),
            _ => Err(errors),
        }
    }
}

/// 2 to 40 characters: lower-case letters, digits and `_`, starting with a letter.
fn parse_key(input: &str) -> Result<String, String> {
    let key = input.trim();
    let valid = (2..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err("Bitte einen Schlüssel aus 2 bis 40 Kleinbuchstaben, Ziffern oder _ angeben, beginnend mit einem Buchstaben, z. B. erstinfo_anzahl.".to_owned())
    }
}

/// One version of the questionnaire of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragebogen {
    pub jahr: i32,
    pub version: i32,
    pub fragen: Vec<Frage>,
}

const FROZEN: &str = "Seit der ersten Einreichung dieses Jahres können Fragen nur noch hinzugefügt werden.";

impl Fragebogen {
    /// The shipped questionnaire: what the Kanton asks of every Gemeinde (seed 000: Verankerung,
    /// Organisationsmodell, Informieren, Fördern, Fordern, regionaler Austausch).
    pub fn standard(jahr: i32) -> Self {
        let frage = |key: &str, text: &str, hilfe: &str, typ: FrageTyp, pflicht: bool| Frage {
            key: key.to_owned(),
            text: text.to_owned(),
            hilfe: hilfe.to_owned(),
            typ,
            optionen: Vec::new(),
            pflicht,
        };
        let mut organisation = frage(
            "organisationsmodell",
            "Wie organisiert die Gemeinde start.integration?",
            "",
            FrageTyp::Auswahl,
            true,
        );
        organisation.optionen = vec![
            "gemeindeinternes Modell".to_owned(),
            "Leitgemeindemodell, als Leitgemeinde".to_owned(),
            "Leitgemeindemodell, als angeschlossene Gemeinde".to_owned(),
        ];
        let fragen = vec![
            frage(
                "strategische_leitung",
                "Ist die Integrationsförderung einer politischen Funktion zugeordnet (strategische Leitung, z. B. ein Gemeinderessort)?",
                "",
                FrageTyp::JaNein,
                true,
            ),
            frage(
                "strategische_leitung_wer",
                "Wer hat die strategische Leitung inne?",
                "Funktion oder Ressort, z. B. Ressort Soziales.",
                FrageTyp::Text,
                false,
            ),
            frage(
                "schwerpunkte_definiert",
                "Hat die Gemeinde festgelegt, wo die Schwerpunkte ihrer Integrationsförderung liegen?",
                "Zum Beispiel in einer Integrationsstrategie, einem Leitbild oder im Legislaturprogramm.",
                FrageTyp::JaNein,
                true,
            ),
            organisation,
            frage(
                "ib_stellenprozente",
                "Stellenprozente der oder des Integrationsbeauftragten",
                "In Prozent, z. B. 20.",
                FrageTyp::Zahl,
                false,
            ),
            frage(
                "erstinfo_gespraeche",
                "Wie viele Erstinformationsgespräche wurden im Jahr geführt?",
                "Alle Gespräche mit Personen, die aus dem Ausland zugezogen sind.",
                FrageTyp::Zahl,
                true,
            ),
            frage(
                "erstinfo_dolmetschende",
                "Bei wie vielen davon waren interkulturell Dolmetschende beteiligt?",
                "",
                FrageTyp::Zahl,
                false,
            ),
            frage(
                "angebote_foerdern",
                "Welche eigenen Integrationsangebote führt die Gemeinde (Fördern)?",
                "Zum Beispiel Deutschtreff, Begrüssungsanlass, Mentoring.",
                FrageTyp::Text,
                false,
            ),
            frage(
                "regionaler_austausch",
                "Nimmt die Gemeinde an regionalen Austauschtreffen zu start.integration teil?",
                "",
                FrageTyp::JaNein,
                true,
            ),
            frage(
                "fordern_uebergaben",
                "Wie viele Fälle hat die Gemeinde dem Migrationsamt übergeben (Fordern)?",
                "Empfehlungen für eine Integrationsvereinbarung oder -empfehlung.",
                FrageTyp::Zahl,
                false,
            ),
            frage("bemerkungen", "Bemerkungen an den Kanton", "", FrageTyp::Text, false),
        ];
        Self { jahr, version: 1, fragen }
    }

    /// The start of another year's questionnaire: the same questions, version 1.
    pub fn kopie_fuer(&self, jahr: i32) -> Self {
        Self { jahr, version: 1, fragen: self.fragen.clone() }
    }

    pub fn frage(&self, key: &str) -> Option<&Frage> {
        self.fragen.iter().find(|f| f.key == key)
    }

    /// The next version with `frage` added (`neu`) or changed. Once a Gemeinde of the year has submitted
    /// (`eingefroren`), only additions are allowed, so every answer keeps its question.
    pub fn mit_frage(&self, frage: Frage, neu: bool, eingefroren: bool) -> Result<Fragebogen, FieldErrors> {
        let mut errors = FieldErrors::new();
        let position = self.fragen.iter().position(|f| f.key == frage.key);
        let mut fragen = self.fragen.clone();
        match (neu, position) {
            (true, Some(_)) => errors.add("key", "Diesen Schlüssel hat bereits eine andere Frage."),
            (true, None) => fragen.push(frage),
            (false, None) => errors.add("key", "Diese Frage gibt es im Fragebogen nicht."),
            (false, Some(_)) if eingefroren => errors.add("key", FROZEN),
            (false, Some(index)) => fragen[index] = frage,
        }
        if errors.is_empty() { Ok(self.next(fragen)) } else { Err(errors) }
    }

    /// The next version without the question `key`; refused once a Gemeinde has submitted.
    pub fn ohne_frage(&self, key: &str, eingefroren: bool) -> Result<Fragebogen, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.frage(key).is_none() {
            errors.add("key", "Diese Frage gibt es im Fragebogen nicht.");
        } else if eingefroren {
            errors.add("key", FROZEN);
        } else if self.fragen.len() == 1 {
            errors.add("key", "Der Fragebogen braucht mindestens eine Frage.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(self.next(self.fragen.iter().filter(|f| f.key != key).cloned().collect()))
    }

    fn next(&self, fragen: Vec<Frage>) -> Fragebogen {
        Fragebogen { jahr: self.jahr, version: self.version + 1, fragen }
    }

    /// Parses the form's answers (field `frage_<key>` per question). Anything type-valid is kept, empty
    /// answers are left out; errors are per field. Inputs for unknown questions are ignored.
    pub fn antworten(&self, eingaben: &BTreeMap<String, String>) -> Result<Antworten, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut antworten = Antworten::new();
        for frage in &self.fragen {
            let eingabe = eingaben.get(&frage.feldname()).map(String::as_str).unwrap_or_default();
            match frage.antwort(eingabe) {
                Ok(Some(wert)) => {
                    antworten.insert(frage.key.clone(), wert);
                }
                Ok(None) => {}
                Err(message) => errors.add_owned(frage.feldname(), message),
            }
        }
        if errors.is_empty() { Ok(antworten) } else { Err(errors) }
    }

    /// What a submission lacks: one message per required question without an answer.
    pub fn pruefe_einreichung(&self, antworten: &Antworten) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for frage in self.fragen.iter().filter(|f| f.pflicht && !antworten.contains_key(&f.key)) {
            errors.add_owned(frage.feldname(), format!("Bitte beantworten: «{}» ist eine Pflichtfrage.", frage.text));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eingaben(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (format!("frage_{k}"), (*v).to_owned())).collect()
    }

    fn input(key: &str, typ: &str) -> FrageInput {
        FrageInput {
            key: key.to_owned(),
            text: "Eine Frage?".to_owned(),
            typ: typ.to_owned(),
            pflicht: "nein".to_owned(),
            ..FrageInput::default()
        }
    }

    #[test]
    fn a_draft_keeps_every_type_valid_answer_and_leaves_out_empty_ones() {
        let bogen = Fragebogen::standard(2026);
        let antworten = bogen
            .antworten(&eingaben(&[
                ("strategische_leitung", "ja"),
                ("erstinfo_gespraeche", "1'204"),
                ("organisationsmodell", "gemeindeinternes Modell"),
                ("bemerkungen", "  "),
            ]))
            .unwrap();
        assert_eq!(antworten.get("erstinfo_gespraeche").map(String::as_str), Some("1204"));
        assert_eq!(antworten.get("strategische_leitung").map(String::as_str), Some("ja"));
        assert!(!antworten.contains_key("bemerkungen"));
    }

    #[test]
    fn every_answer_is_bounded_with_a_german_message() {
        let bogen = Fragebogen::standard(2026);
        let long = "1".repeat(crate::limits::NOTE_CHARS + 1);
        let errors = bogen
            .antworten(&eingaben(&[
                ("bemerkungen", &long),
                ("erstinfo_gespraeche", &long),
                ("organisationsmodell", "gemeindeinternes\0Modell"),
            ]))
            .unwrap_err();
        assert_eq!(errors.get("frage_bemerkungen"), Some("Höchstens 4000 Zeichen."));
        assert_eq!(errors.get("frage_erstinfo_gespraeche"), Some("Höchstens 4000 Zeichen."));
        assert_eq!(errors.get("frage_organisationsmodell"), Some("Enthält unzulässige Steuerzeichen."));
        let zeilen = bogen.antworten(&eingaben(&[("bemerkungen", "Erste Zeile\nZweite Zeile")])).unwrap();
        assert_eq!(zeilen.get("bemerkungen").map(String::as_str), Some("Erste Zeile\nZweite Zeile"));
    }

    #[test]
    fn answers_that_do_not_fit_their_question_are_refused_per_field() {
        let bogen = Fragebogen::standard(2026);
        let errors = bogen
            .antworten(&eingaben(&[
                ("erstinfo_gespraeche", "-3"),
                ("strategische_leitung", "vielleicht"),
                ("organisationsmodell", "Zweckverband"),
            ]))
            .unwrap_err();
        assert_eq!(errors.get("frage_erstinfo_gespraeche"), Some("Bitte eine ganze Zahl ab 0 eingeben, ohne Einheit."));
        assert_eq!(errors.get("frage_strategische_leitung"), Some("Bitte Ja oder Nein wählen."));
        assert_eq!(errors.get("frage_organisationsmodell"), Some("Bitte eine der angebotenen Antworten wählen."));
    }

    #[test]
    fn a_submission_needs_every_required_answer() {
        let bogen = Fragebogen::standard(2026);
        let antworten = bogen.antworten(&eingaben(&[("strategische_leitung", "nein")])).unwrap();
        let errors = bogen.pruefe_einreichung(&antworten).unwrap_err();
        assert!(errors.get("frage_erstinfo_gespraeche").is_some_and(|m| m.contains("Pflichtfrage")));
        assert_eq!(errors.get("frage_strategische_leitung"), None);
        assert_eq!(errors.get("frage_bemerkungen"), None);
    }

    #[test]
    fn dates_are_read_in_swiss_form_and_stored_as_iso() {
        let frage = input("stichtag", "datum").parse().unwrap();
        assert_eq!(frage.antwort("21.11.2026").unwrap().as_deref(), Some("2026-11-21"));
        assert_eq!(frage.anzeige(Some("2026-11-21")), "21.11.2026");
        assert!(frage.antwort("31.02.2026").is_err());
    }

    #[test]
    fn a_question_needs_a_clean_key_a_text_and_for_a_choice_two_distinct_options() {
        let mut bad = input("1Frage", "auswahl");
        bad.text = " ".to_owned();
        bad.optionen = "A\nA".to_owned();
        let errors = bad.parse().unwrap_err();
        assert!(errors.get("key").is_some());
        assert_eq!(errors.get("text"), Some("Bitte die Frage formulieren."));
        assert_eq!(errors.get("optionen"), Some("Jede Antwort darf nur einmal vorkommen."));
        let mut good = input("angebot_art", "auswahl");
        good.optionen = "Kurs\n\nTreffpunkt\n".to_owned();
        assert_eq!(good.parse().unwrap().optionen, vec!["Kurs", "Treffpunkt"]);
        assert!(input("zahl_frage", "zahl").parse().unwrap().optionen.is_empty());
    }

    #[test]
    fn before_the_first_submission_questions_change_freely_afterwards_they_are_only_added() {
        let bogen = Fragebogen::standard(2026);
        let mut geaendert = bogen.frage("bemerkungen").unwrap().clone();
        geaendert.text = "Weitere Bemerkungen".to_owned();
        let offen = bogen.mit_frage(geaendert.clone(), false, false).unwrap();
        assert_eq!(offen.version, 2);
        assert_eq!(offen.frage("bemerkungen").unwrap().text, "Weitere Bemerkungen");
        assert!(bogen.ohne_frage("bemerkungen", false).unwrap().frage("bemerkungen").is_none());

        assert_eq!(bogen.mit_frage(geaendert, false, true).unwrap_err().get("key"), Some(FROZEN));
        assert_eq!(bogen.ohne_frage("bemerkungen", true).unwrap_err().get("key"), Some(FROZEN));
        let neu = input("deutschkurse", "zahl").parse().unwrap();
        let erweitert = bogen.mit_frage(neu, true, true).unwrap();
        assert_eq!(erweitert.fragen.len(), bogen.fragen.len() + 1);
        assert_eq!(erweitert.fragen[..bogen.fragen.len()], bogen.fragen[..]);
    }

    #[test]
    fn a_key_is_used_once() {
        let bogen = Fragebogen::standard(2026);
        let doppelt = input("bemerkungen", "text").parse().unwrap();
        assert!(bogen.mit_frage(doppelt, true, false).is_err());
    }

    #[test]
    fn next_year_starts_as_a_copy_in_version_one() {
        let bogen = Fragebogen::standard(2026).mit_frage(input("neu_frage", "text").parse().unwrap(), true, false);
        let kopie = bogen.unwrap().kopie_fuer(2027);
        assert_eq!((kopie.jahr, kopie.version), (2027, 1));
        assert!(kopie.frage("neu_frage").is_some());
    }

    #[test]
    fn questions_survive_a_round_trip_through_their_stored_form() {
        let bogen = Fragebogen::standard(2026);
        for frage in &bogen.fragen {
            let wieder = FrageInput::of(frage).parse().unwrap();
            assert_eq!(&wieder, frage);
        }
    }
}

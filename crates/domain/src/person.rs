//! A person in the Personenregister: the facts every later step (dossier, start.integration) builds on.
//!
//! [`PersonInput`] is what a form or an API call delivers, all text; [`PersonInput::parse`] turns it into
//! [`PersonData`] or into German messages per field. Field names are the same in the form, the API and the
//! messages, so a message always finds its field.

use crate::ahv::Ahvn13;
use crate::catalog::{self, BfsNr};
use crate::date::PartialDate;
use crate::field_errors::FieldErrors;
use chrono::NaiveDate;

/// A name as the person writes it: UTF-8 of any length, trimmed, never empty, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("Bitte ausfüllen.")]
    Empty,
    #[error("Der Name enthält unzulässige Steuerzeichen.")]
    ControlCharacters,
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Sex as the population register (eCH-0044) records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Maennlich,
    Weiblich,
    Unbestimmt,
}

/// Residence status (Ausländerausweis) or Swiss citizenship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidenceStatus {
    B,
    C,
    /// F: vorläufig aufgenommen (VA).
    F,
    /// B for recognised refugees (FL).
    BFl,
    N,
    S,
    L,
    Swiss,
    Other,
}

/// Nationality: a country, or stateless, or not (yet) known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Nationality {
    Country(String),
    Stateless,
    Unknown,
}

/// A closed set of choices with a stable code (stored, sent in the API) and a German label (shown).
pub trait Choice: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|choice| choice.code() == code.trim())
    }
}

impl Choice for Sex {
    const ALL: &'static [Self] = &[Sex::Weiblich, Sex::Maennlich, Sex::Unbestimmt];

    fn code(self) -> &'static str {
        match self {
            Sex::Maennlich => "maennlich",
            Sex::Weiblich => "weiblich",
            Sex::Unbestimmt => "unbestimmt",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Sex::Maennlich => "männlich",
            Sex::Weiblich => "weiblich",
            Sex::Unbestimmt => "unbestimmt",
        }
    }
}

impl Choice for ResidenceStatus {
    const ALL: &'static [Self] = &[
        ResidenceStatus::B,
        ResidenceStatus::C,
        ResidenceStatus::F,
        ResidenceStatus::BFl,
        ResidenceStatus::N,
        ResidenceStatus::S,
        ResidenceStatus::L,
        ResidenceStatus::Swiss,
        ResidenceStatus::Other,
    ];

    fn code(self) -> &'static str {
        match self {
            ResidenceStatus::B => "B",
            ResidenceStatus::C => "C",
            ResidenceStatus::F => "F",
            ResidenceStatus::BFl => "B-FL",
            ResidenceStatus::N => "N",
            ResidenceStatus::S => "S",
            ResidenceStatus::L => "L",
            ResidenceStatus::Swiss => "CH",
            ResidenceStatus::Other => "andere",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ResidenceStatus::B => "B – Aufenthaltsbewilligung",
            ResidenceStatus::C => "C – Niederlassungsbewilligung",
            ResidenceStatus::F => "F – vorläufig aufgenommen (VA)",
            ResidenceStatus::BFl => "B-FL – anerkannter Flüchtling",
            ResidenceStatus::N => "N – Asylsuchend",
            ResidenceStatus::S => "S – Schutzstatus S",
            ResidenceStatus::L => "L – Kurzaufenthaltsbewilligung",
            ResidenceStatus::Swiss => "Schweizer Bürgerrecht",
            ResidenceStatus::Other => "anderer Status",
        }
    }
}

impl Nationality {
    pub const STATELESS: &'static str = "staatenlos";
    pub const UNKNOWN: &'static str = "unbekannt";

    pub fn parse(code: &str) -> Result<Self, NationalityError> {
        match code.trim() {
            "" => Err(NationalityError::Missing),
            Self::STATELESS => Ok(Nationality::Stateless),
            Self::UNKNOWN => Ok(Nationality::Unknown),
            iso2 if catalog::country_name(&iso2.to_ascii_uppercase()).is_some() => {
                Ok(Nationality::Country(iso2.to_ascii_uppercase()))
            }
            _ => Err(NationalityError::UnknownCountry),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Nationality::Country(iso2) => iso2,
            Nationality::Stateless => Self::STATELESS,
            Nationality::Unknown => Self::UNKNOWN,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Nationality::Country(iso2) => catalog::country_name(iso2).unwrap_or(iso2),
            Nationality::Stateless => "staatenlos",
            Nationality::Unknown => "unbekannt",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NationalityError {
    #[error("Bitte die Staatsangehörigkeit wählen (oder «unbekannt»).")]
    Missing,
    #[error("Dieses Land kennt die Liste nicht.")]
    UnknownCountry,
}

/// What a form or an API call delivers, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub nachname: String,
    pub vornamen: String,
    pub geschlecht: String,
    pub geburtsdatum: String,
    pub nationalitaet: String,
    pub aufenthaltsstatus: String,
    pub ahv_nummer: String,
    pub einreisedatum: String,
    pub sprachen: Vec<String>,
    pub wohngemeinde_bfs: String,
}

/// The valid facts about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonData {
    pub nachname: PersonName,
    pub vornamen: PersonName,
    pub geschlecht: Sex,
    pub geburtsdatum: PartialDate,
    pub nationalitaet: Nationality,
    pub aufenthaltsstatus: ResidenceStatus,
    pub ahv_nummer: Option<Ahvn13>,
    pub einreisedatum: Option<PartialDate>,
    pub sprachen: Vec<String>,
    pub wohngemeinde: BfsNr,
}

impl PersonInput {
    /// Parses every field and collects all messages at once, so the form shows them together.
    pub fn parse(&self, today: NaiveDate) -> Result<PersonData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let nachname = errors.check("nachname", PersonName::parse(&self.nachname));
        let vornamen = errors.check("vornamen", PersonName::parse(&self.vornamen));
        let geschlecht = errors.check("geschlecht", choice::<Sex>(&self.geschlecht, "Bitte das Geschlecht wählen."));
        let geburtsdatum = errors.check(
            "geburtsdatum",
            required(&self.geburtsdatum, "Bitte mindestens das Geburtsjahr eingeben.")
                .and_then(|text| PartialDate::parse(text).map_err(|e| e.to_string()))
                .and_then(|date| date.not_after(today).map_err(|e| e.to_string())),
        );
        let nationalitaet = errors.check("nationalitaet", Nationality::parse(&self.nationalitaet));
        let aufenthaltsstatus = errors.check(
            "aufenthaltsstatus",
            choice::<ResidenceStatus>(&self.aufenthaltsstatus, "Bitte den Aufenthaltsstatus wählen."),
        );
        let ahv_nummer = errors.check("ahv_nummer", optional(&self.ahv_nummer, Ahvn13::parse));
        let einreisedatum = errors.check(
            "einreisedatum",
            optional(&self.einreisedatum, |text| PartialDate::parse(text).and_then(|d| d.not_after(today))),
        );
        let sprachen = errors.check("sprachen", languages(&self.sprachen));
        let wohngemeinde = errors.check("wohngemeinde_bfs", BfsNr::parse(&self.wohngemeinde_bfs));

        if let (Some(birth), Some(Some(entry))) = (geburtsdatum, einreisedatum)
            && entry.certainly_before(birth)
        {
            errors.add("einreisedatum", "Das Einreisedatum liegt vor dem Geburtsdatum.");
        }
        if let (Some(Nationality::Country(iso2)), Some(status)) = (&nationalitaet, aufenthaltsstatus)
            && (iso2 == "CH") != (status == ResidenceStatus::Swiss)
        {
            errors.add("aufenthaltsstatus", "Schweizer Bürgerrecht und Staatsangehörigkeit Schweiz gehören zusammen.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let complete = || {
            Some(PersonData {
                nachname: nachname?,
                vornamen: vornamen?,
                geschlecht: geschlecht?,
                geburtsdatum: geburtsdatum?,
                nationalitaet: nationalitaet?,
                aufenthaltsstatus: aufenthaltsstatus?,
                ahv_nummer: ahv_nummer?,
                einreisedatum: einreisedatum?,
                sprachen: sprachen?,
                wohngemeinde: wohngemeinde?,
            })
        };
        complete().ok_or(errors)
    }
}

impl PersonData {
    /// Text the register search matches against: names folded to lower-case ASCII (so «Müller» is found by
    /// «muller» and «Çelik» by «celik»), plus the AHV number in both notations.
    pub fn search_text(&self) -> String {
        let mut text = fold_for_search(&format!("{} {}", self.nachname.as_str(), self.vornamen.as_str()));
        if let Some(ahv) = &self.ahv_nummer {
            let dotted = ahv.to_string();
            text.push(' ');
            text.push_str(&dotted);
            text.push(' ');
            text.push_str(&dotted.replace('.', ""));
        }
        text
    }
}

/// Lower-case ASCII folding used for both stored search text and queries, so they always agree.
pub fn fold_for_search(text: &str) -> String {
    let german = text.replace(['ä', 'Ä'], "a").replace(['ö', 'Ö'], "o").replace(['ü', 'Ü'], "u");
    deunicode::deunicode(&german).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn required<'a>(text: &'a str, message: &str) -> Result<&'a str, String> {
    if text.trim().is_empty() { Err(message.to_owned()) } else { Ok(text) }
}

fn choice<C: Choice>(code: &str, missing: &str) -> Result<C, String> {
    C::from_code(code).ok_or_else(|| missing.to_owned())
}

fn optional<T, E>(text: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    if text.trim().is_empty() { Ok(None) } else { parse(text).map(Some) }
}

fn languages(codes: &[String]) -> Result<Vec<String>, String> {
    let mut known = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if catalog::language_name(code).is_none() {
            return Err(format!("Die Sprache «{code}» kennt die Liste nicht."));
        }
        if !known.iter().any(|k| k == code) {
            known.push(code.to_owned());
        }
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn valid_input() -> PersonInput {
        PersonInput {
            nachname: "  Tesfamariam  Gebremedhin ".into(),
            vornamen: "Selam".into(),
            geschlecht: "weiblich".into(),
            geburtsdatum: "1994".into(),
            nationalitaet: "ER".into(),
            aufenthaltsstatus: "F".into(),
            ahv_nummer: "7569217076985".into(),
            einreisedatum: "03.2016".into(),
            sprachen: vec!["ti".into(), "ar".into(), "ti".into()],
            wohngemeinde_bfs: "2581".into(),
        }
    }

    #[test]
    fn valid_input_becomes_person_data() {
        let person = valid_input().parse(today()).unwrap();
        assert_eq!(person.nachname.as_str(), "Tesfamariam Gebremedhin");
        assert_eq!(person.geburtsdatum.to_string(), "1994");
        assert_eq!(person.ahv_nummer.map(|a| a.to_string()).as_deref(), Some("756.9217.0769.85"));
        assert_eq!(person.sprachen, vec!["ti".to_owned(), "ar".to_owned()]);
        assert_eq!(person.wohngemeinde.get(), 2581);
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let input = PersonInput {
            nachname: " ".into(),
            geschlecht: "x".into(),
            geburtsdatum: "31.02.1990".into(),
            ahv_nummer: "756.9217.0769.84".into(),
            wohngemeinde_bfs: "351".into(),
            ..valid_input()
        };
        let errors = input.parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["ahv_nummer", "geburtsdatum", "geschlecht", "nachname", "wohngemeinde_bfs"]);
        assert_eq!(errors.get("nachname"), Some("Bitte ausfüllen."));
    }

    #[test]
    fn entry_before_birth_is_refused() {
        let input = PersonInput { geburtsdatum: "2000".into(), einreisedatum: "1999".into(), ..valid_input() };
        assert!(input.parse(today()).unwrap_err().get("einreisedatum").is_some());
    }

    #[test]
    fn names_of_any_length_and_script_are_kept() {
        let long = "Thirunavukkarasu-".repeat(40);
        let input =
            PersonInput { nachname: long.clone(), vornamen: "Ἀλέξανδρος 李".into(), ..valid_input() };
        let person = input.parse(today()).unwrap();
        assert_eq!(person.nachname.as_str(), long);
        assert_eq!(person.vornamen.as_str(), "Ἀλέξανδρος 李");
    }

    #[test]
    fn search_text_folds_umlauts_and_accents() {
        assert_eq!(fold_for_search("Müller  Çelik"), "muller celik");
        let person = valid_input().parse(today()).unwrap();
        assert!(person.search_text().contains("7569217076985"));
    }
}

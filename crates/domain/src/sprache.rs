//! German language levels of a person (DOMAIN.md, "Sprachförderung ab 16"): CEFR levels A1..C2, per skill
//! where known, each dated and with its proof. Entry criteria of measures compare against the person's
//! current level, so the rule that derives it from several recorded levels lives here, once.

use crate::dossier::{full_date, pick};
use crate::field_errors::FieldErrors;
use crate::limits::TextLimit;
use crate::person::Choice;
use chrono::NaiveDate;

/// A level of the Common European Framework of Reference; A1 is the lowest, C2 the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Niveau {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

impl Choice for Niveau {
    const ALL: &'static [Self] = &[Niveau::A1, Niveau::A2, Niveau::B1, Niveau::B2, Niveau::C1, Niveau::C2];

    fn code(self) -> &'static str {
        match self {
            Niveau::A1 => "A1",
            Niveau::A2 => "A2",
            Niveau::B1 => "B1",
            Niveau::B2 => "B2",
            Niveau::C1 => "C1",
            Niveau::C2 => "C2",
        }
    }

    fn label(self) -> &'static str {
        self.code()
    }
}

/// Which skill a level describes; `Gesamt` is an overall level (e.g. a fide result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fertigkeit {
    Gesamt,
    Hoeren,
    Lesen,
    Sprechen,
    Schreiben,
}

impl Choice for Fertigkeit {
    const ALL: &'static [Self] =
        &[Fertigkeit::Gesamt, Fertigkeit::Hoeren, Fertigkeit::Lesen, Fertigkeit::Sprechen, Fertigkeit::Schreiben];

    fn code(self) -> &'static str {
        match self {
            Fertigkeit::Gesamt => "gesamt",
            Fertigkeit::Hoeren => "hoeren",
            Fertigkeit::Lesen => "lesen",
            Fertigkeit::Sprechen => "sprechen",
            Fertigkeit::Schreiben => "schreiben",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Fertigkeit::Gesamt => "gesamt",
            Fertigkeit::Hoeren => "Hören",
            Fertigkeit::Lesen => "Lesen",
            Fertigkeit::Sprechen => "Sprechen",
            Fertigkeit::Schreiben => "Schreiben",
        }
    }
}

/// What the level rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nachweis {
    Fide,
    Kursbericht,
    Einstufung,
    Sprachzertifikat,
    Andere,
}

impl Choice for Nachweis {
    const ALL: &'static [Self] =
        &[Nachweis::Fide, Nachweis::Kursbericht, Nachweis::Einstufung, Nachweis::Sprachzertifikat, Nachweis::Andere];

    fn code(self) -> &'static str {
        match self {
            Nachweis::Fide => "fide",
            Nachweis::Kursbericht => "kursbericht",
            Nachweis::Einstufung => "einstufung",
            Nachweis::Sprachzertifikat => "sprachzertifikat",
            Nachweis::Andere => "andere",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Nachweis::Fide => "fide",
            Nachweis::Kursbericht => "Kursbericht",
            Nachweis::Einstufung => "Einstufung/Assessment",
            Nachweis::Sprachzertifikat => "Sprachzertifikat",
            Nachweis::Andere => "anderer Nachweis",
        }
    }
}

/// One recorded German level: on a day, for a skill, with its proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sprachstand {
    pub datum: NaiveDate,
    pub fertigkeit: Fertigkeit,
    pub niveau: Niveau,
    pub nachweis: Nachweis,
    /// Which test, course or school; required for «anderer Nachweis».
    pub bemerkung: String,
}

impl Sprachstand {
    /// `A1 (fide, 03.02.2026)`: the level with where it comes from, for messages and lists.
    pub fn beschrieb(&self) -> String {
        let skill = match self.fertigkeit {
            Fertigkeit::Gesamt => String::new(),
            skill => format!(" {}", skill.label()),
        };
        format!("{}{skill} ({}, {})", self.niveau.code(), self.nachweis.label(), self.datum.format("%d.%m.%Y"))
    }
}

/// The language-level form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SprachstandInput {
    pub datum: String,
    pub fertigkeit: String,
    pub niveau: String,
    pub nachweis: String,
    pub bemerkung: String,
}

impl SprachstandInput {
    /// A level needs a date not in the future, a skill, a level and a proof; «anderer Nachweis» needs a note.
    pub fn parse(&self, today: NaiveDate) -> Result<Sprachstand, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("bemerkung", &self.bemerkung, TextLimit::Note)]);
        let datum = errors.check("datum", full_date(&self.datum, today));
        let fertigkeit =
            errors.check("fertigkeit", pick::<Fertigkeit>(&self.fertigkeit, "Bitte die Fertigkeit wählen."));
        let niveau = errors.check("niveau", pick::<Niveau>(&self.niveau, "Bitte das Niveau (A1 bis C2) wählen."));
        let nachweis = errors.check("nachweis", pick::<Nachweis>(&self.nachweis, "Bitte den Nachweis wählen."));
        let bemerkung = self.bemerkung.trim().to_owned();
        if nachweis == Some(Nachweis::Andere) && bemerkung.is_empty() {
            errors.add("bemerkung", "Bitte den anderen Nachweis kurz beschreiben.");
        }
        match (datum, fertigkeit, niveau, nachweis) {
            (Some(datum), Some(fertigkeit), Some(niveau), Some(nachweis)) if errors.is_empty() => {
                Ok(Sprachstand { datum, fertigkeit, niveau, nachweis, bemerkung })
            }
            _ => Err(errors),
        }
    }
}

/// The person's current German level, from the levels recorded in any order (oldest first where dates tie).
///
/// The rule: an overall level (`Gesamt`) describes the whole language, so the latest one is the current
/// level. Without any, each skill counts with its latest level, and the lowest of these is the current one:
/// a measure that needs B1 needs it in every skill that is known. `None` when nothing is recorded.
pub fn aktueller_sprachstand(staende: &[Sprachstand]) -> Option<&Sprachstand> {
    let latest = |fertigkeit: Fertigkeit| {
        staende.iter().enumerate().filter(|(_, s)| s.fertigkeit == fertigkeit).max_by_key(|(i, s)| (s.datum, *i))
    };
    if let Some((_, gesamt)) = latest(Fertigkeit::Gesamt) {
        return Some(gesamt);
    }
    Fertigkeit::ALL
        .iter()
        .filter_map(|fertigkeit| latest(*fertigkeit))
        .min_by_key(|(i, s)| (s.niveau, *i))
        .map(|(_, stand)| stand)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn stand(fertigkeit: Fertigkeit, niveau: Niveau, datum: NaiveDate) -> Sprachstand {
        Sprachstand { datum, fertigkeit, niveau, nachweis: Nachweis::Fide, bemerkung: String::new() }
    }

    #[test]
    fn levels_are_ordered_from_a1_to_c2() {
        assert!(Niveau::A1 < Niveau::A2 && Niveau::A2 < Niveau::B1 && Niveau::C1 < Niveau::C2);
        assert_eq!(Niveau::from_code("B1"), Some(Niveau::B1));
        assert_eq!(Niveau::from_code("b1"), None, "codes are exact");
    }

    #[test]
    fn the_latest_overall_level_is_the_current_one() {
        let staende = [
            stand(Fertigkeit::Gesamt, Niveau::B1, date(1, 3, 2026)),
            stand(Fertigkeit::Gesamt, Niveau::A2, date(3, 2, 2025)),
            stand(Fertigkeit::Sprechen, Niveau::A1, date(1, 10, 2026)),
        ];
        assert_eq!(aktueller_sprachstand(&staende).map(|s| s.niveau), Some(Niveau::B1));
    }

    #[test]
    fn without_an_overall_level_the_lowest_latest_skill_counts() {
        let staende = [
            stand(Fertigkeit::Lesen, Niveau::A1, date(1, 1, 2025)),
            stand(Fertigkeit::Lesen, Niveau::B1, date(1, 6, 2026)),
            stand(Fertigkeit::Sprechen, Niveau::A2, date(1, 6, 2026)),
            stand(Fertigkeit::Hoeren, Niveau::B2, date(1, 6, 2026)),
        ];
        let current = aktueller_sprachstand(&staende).unwrap();
        assert_eq!((current.fertigkeit, current.niveau), (Fertigkeit::Sprechen, Niveau::A2));
        assert_eq!(aktueller_sprachstand(&[]), None);
    }

    #[test]
    fn on_the_same_day_the_later_record_wins() {
        let staende = [
            stand(Fertigkeit::Gesamt, Niveau::A1, date(3, 2, 2026)),
            stand(Fertigkeit::Gesamt, Niveau::A2, date(3, 2, 2026)),
        ];
        assert_eq!(aktueller_sprachstand(&staende).map(|s| s.niveau), Some(Niveau::A2));
    }

    #[test]
    fn a_level_describes_itself_with_proof_and_date() {
        assert_eq!(stand(Fertigkeit::Gesamt, Niveau::A1, date(3, 2, 2026)).beschrieb(), "A1 (fide, 03.02.2026)");
        assert_eq!(stand(Fertigkeit::Lesen, Niveau::B1, date(3, 2, 2026)).beschrieb(), "B1 Lesen (fide, 03.02.2026)");
    }

    #[test]
    fn the_form_reports_each_bad_answer_in_german() {
        let today = date(21, 11, 2026);
        let good = SprachstandInput {
            datum: "03.02.2026".into(),
            fertigkeit: "gesamt".into(),
            niveau: "A2".into(),
            nachweis: "kursbericht".into(),
            bemerkung: " ".into(),
        };
        assert_eq!(good.parse(today).unwrap().niveau, Niveau::A2);
        let bad = SprachstandInput {
            datum: "22.11.2026".into(),
            niveau: "D1".into(),
            nachweis: "andere".into(),
            ..good.clone()
        };
        let errors = bad.parse(today).unwrap_err();
        assert_eq!(errors.get("datum"), Some("Das Datum liegt in der Zukunft."));
        assert_eq!(errors.get("niveau"), Some("Bitte das Niveau (A1 bis C2) wählen."));
        assert_eq!(errors.get("bemerkung"), Some("Bitte den anderen Nachweis kurz beschreiben."));
        let empty = SprachstandInput::default().parse(today).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["datum", "fertigkeit", "nachweis", "niveau"]);
    }
}

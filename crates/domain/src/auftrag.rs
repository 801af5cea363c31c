//! Orders (Aufträge) from the fallführende Stelle to providers: Praxisassessment, vertiefte
//! Potenzialerfassung and Integrationscoaching (seed 002, section 3.1; DOMAIN.md "The case", steps 3 to 5).
//!
//! The rules live here, not in the store or the pages: which provider may take which order (accreditation),
//! that Integrationscoaching needs a vertiefte Potenzialerfassung that classified the case complex and the
//! Leitung's approval, and what a provider's result must contain.

use crate::dossier::{pick, required_text, yes_no};
use crate::field_errors::FieldErrors;
use crate::person::Choice;
use chrono::NaiveDate;

/// What a provider is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuftragArt {
    /// Labour-market ability in practice, by an Arbeitsmarktintegrationsanbieter or Gemeindewerk.
    Praxisassessment,
    /// Interdisciplinary assessment for complex questions; its recommendations are binding and it classifies
    /// the case as complex or not.
    VertieftePotenzialerfassung,
    /// Coaching for complex cases only.
    Integrationscoaching,
}

impl Choice for AuftragArt {
    const ALL: &'static [Self] =
        &[AuftragArt::Praxisassessment, AuftragArt::VertieftePotenzialerfassung, AuftragArt::Integrationscoaching];

    fn code(self) -> &'static str {
        match self {
            AuftragArt::Praxisassessment => "praxisassessment",
            AuftragArt::VertieftePotenzialerfassung => "vertiefte_potenzialerfassung",
            AuftragArt::Integrationscoaching => "integrationscoaching",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AuftragArt::Praxisassessment => "Praxisassessment",
            AuftragArt::VertieftePotenzialerfassung => "Vertiefte Potenzialerfassung",
            AuftragArt::Integrationscoaching => "Integrationscoaching",
        }
    }
}

impl AuftragArt {
    /// Coaching goes to the provider only after the Leitung approved it.
    pub fn needs_approval(self) -> bool {
        self == AuftragArt::Integrationscoaching
    }

    /// The recommendations of a vertiefte Potenzialerfassung bind the person and the Stelle.
    pub fn recommendations_binding(self) -> bool {
        self == AuftragArt::VertieftePotenzialerfassung
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuftragStatus {
    /// Coaching waiting for the Leitung; the provider does not see it yet.
    GenehmigungAusstehend,
    /// The Leitung refused the coaching.
    Abgelehnt,
    /// With the provider.
    Erteilt,
    /// The provider reported; the case worker has not yet taken note.
    ErgebnisEingegangen,
    /// The case worker took note of the result.
    Erledigt,
}

impl AuftragStatus {
    pub const ALL: [AuftragStatus; 5] = [
        AuftragStatus::GenehmigungAusstehend,
        AuftragStatus::Abgelehnt,
        AuftragStatus::Erteilt,
        AuftragStatus::ErgebnisEingegangen,
        AuftragStatus::Erledigt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuftragStatus::GenehmigungAusstehend => "genehmigung_ausstehend",
            AuftragStatus::Abgelehnt => "abgelehnt",
            AuftragStatus::Erteilt => "erteilt",
            AuftragStatus::ErgebnisEingegangen => "ergebnis_eingegangen",
            AuftragStatus::Erledigt => "erledigt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuftragStatus::GenehmigungAusstehend => "wartet auf Genehmigung der Leitung",
            AuftragStatus::Abgelehnt => "von der Leitung abgelehnt",
            AuftragStatus::Erteilt => "beim Anbieter",
            AuftragStatus::ErgebnisEingegangen => "Ergebnis eingegangen",
            AuftragStatus::Erledigt => "Ergebnis zur Kenntnis genommen",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The status a new order starts in.
    pub fn initial(art: AuftragArt, approved_by_orderer: bool) -> Self {
        if art.needs_approval() && !approved_by_orderer {
            AuftragStatus::GenehmigungAusstehend
        } else {
            AuftragStatus::Erteilt
        }
    }
}

/// What a provider organisation is (seed 002: accredited providers, Gemeindewerke, Potenzialerfassungsstellen,
/// language schools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnbieterTyp {
    Arbeitsmarktintegration,
    Gemeindewerk,
    Potenzialerfassungsstelle,
    Sprachschule,
    Verein,
}

impl Choice for AnbieterTyp {
    const ALL: &'static [Self] = &[
        AnbieterTyp::Arbeitsmarktintegration,
        AnbieterTyp::Gemeindewerk,
        AnbieterTyp::Potenzialerfassungsstelle,
        AnbieterTyp::Sprachschule,
        AnbieterTyp::Verein,
    ];

    fn code(self) -> &'static str {
        match self {
            AnbieterTyp::Arbeitsmarktintegration => "arbeitsmarktintegration",
            AnbieterTyp::Gemeindewerk => "gemeindewerk",
            AnbieterTyp::Potenzialerfassungsstelle => "potenzialerfassungsstelle",
            AnbieterTyp::Sprachschule => "sprachschule",
            AnbieterTyp::Verein => "verein",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AnbieterTyp::Arbeitsmarktintegration => "akkreditierter Arbeitsmarktintegrationsanbieter",
            AnbieterTyp::Gemeindewerk => "Gemeindewerk",
            AnbieterTyp::Potenzialerfassungsstelle => "Potenzialerfassungsstelle",
            AnbieterTyp::Sprachschule => "Sprachschule",
            AnbieterTyp::Verein => "Verein oder Organisation",
        }
    }
}

/// The new-order form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuftragInput {
    pub art: String,
    pub anbieter: String,
    pub fragestellung: String,
}

/// A checked new order: which kind, to which provider, with which question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeuerAuftrag {
    pub art: AuftragArt,
    pub anbieter_id: i64,
    pub fragestellung: String,
}

/// A provider as the order form offers it: its accreditations decide which orders it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnbieterWahl {
    pub id: i64,
    pub name: String,
    pub akkreditiert_fuer: Vec<AuftragArt>,
}

/// The facts about earlier orders that decide whether coaching may be ordered: each vertiefte
/// Potenzialerfassung with its classification (`None` while the result is outstanding), newest last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VertiefteEinstufung {
    pub datum: NaiveDate,
    pub komplex: Option<bool>,
}

/// Why Integrationscoaching cannot be ordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoachingRefusal {
    #[error(
        "Integrationscoaching ist nur möglich, wenn eine vertiefte Potenzialerfassung den Fall als komplex eingestuft hat. Bisher wurde keine vertiefte Potenzialerfassung in Auftrag gegeben."
    )]
    KeineVertiefte,
    #[error(
        "Integrationscoaching ist erst möglich, wenn das Ergebnis der vertieften Potenzialerfassung vorliegt und den Fall als komplex einstuft."
    )]
    ErgebnisAusstehend,
    #[error(
        "Integrationscoaching ist nicht möglich: Die vertiefte Potenzialerfassung vom {} stuft den Fall als nicht komplex ein.",
        .0.format("%d.%m.%Y")
    )]
    NichtKomplex(NaiveDate),
}

/// Integrationscoaching is only for cases that the latest reported vertiefte Potenzialerfassung classified
/// as complex (seed 002, section 3.1: a hard rule).
pub fn check_coaching(einstufungen: &[VertiefteEinstufung]) -> Result<(), CoachingRefusal> {
    let latest_reported = einstufungen.iter().rev().find_map(|e| e.komplex.map(|komplex| (e.datum, komplex)));
    match latest_reported {
        Some((_, true)) => Ok(()),
        Some((datum, false)) => Err(CoachingRefusal::NichtKomplex(datum)),
        None if einstufungen.is_empty() => Err(CoachingRefusal::KeineVertiefte),
        None => Err(CoachingRefusal::ErgebnisAusstehend),
    }
}

impl AuftragInput {
    /// Checks the form against the providers on offer and the coaching rule.
    pub fn parse(
        &self,
        anbieter: &[AnbieterWahl],
        einstufungen: &[VertiefteEinstufung],
    ) -> Result<NeuerAuftrag, FieldErrors> {
        let mut errors = FieldErrors::new();
        let art = errors.check("art", pick::<AuftragArt>(&self.art, "Bitte die Art des Auftrags wählen."));
        let fragestellung = errors.check(
            "fragestellung",
            required_text(&self.fragestellung, "Bitte die Fragestellung an den Anbieter beschreiben.")
                .and_then(|text| limited(text, crate::limits::NOTE_CHARS)),
        );
        let provider = anbieter.iter().find(|a| a.id.to_string() == self.anbieter.trim());
        match (provider, art) {
            (None, _) => errors.add("anbieter", "Bitte einen Anbieter wählen."),
            (Some(provider), Some(art)) if !provider.akkreditiert_fuer.contains(&art) => {
                errors.add("anbieter", format!("{} ist nicht für {} akkreditiert.", provider.name, art.label()))
            }
            _ => {}
        }
        if art == Some(AuftragArt::Integrationscoaching) {
            errors.check("art", check_coaching(einstufungen));
        }
        match (art, provider, fragestellung) {
            (Some(art), Some(provider), Some(fragestellung)) if errors.is_empty() => {
                Ok(NeuerAuftrag { art, anbieter_id: provider.id, fragestellung })
            }
            _ => Err(errors),
        }
    }
}

/// The provider's report as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErgebnisInput {
    pub ergebnis: String,
    pub empfehlungen: String,
    /// «ja» / «nein»; asked only for a vertiefte Potenzialerfassung.
    pub komplex: String,
}

/// A provider's checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ergebnis {
    pub ergebnis: String,
    pub empfehlungen: String,
    pub komplex: Option<bool>,
}

impl ErgebnisInput {
    /// A result needs its findings; assessments need recommendations, and a vertiefte Potenzialerfassung
    /// must classify the case.
    pub fn parse(&self, art: AuftragArt) -> Result<Ergebnis, FieldErrors> {
        let mut errors = FieldErrors::new();
        let ergebnis = errors.check(
            "ergebnis",
            required_text(&self.ergebnis, "Bitte das Ergebnis beschreiben.")
                .and_then(|text| limited(text, REPORT_CHARS)),
        );
        let empfehlungen = if art == AuftragArt::Integrationscoaching {
            limited(self.empfehlungen.trim().to_owned(), REPORT_CHARS)
        } else {
            required_text(&self.empfehlungen, "Bitte die Empfehlungen für den Hilfsplan angeben.")
                .and_then(|text| limited(text, REPORT_CHARS))
        };
        let empfehlungen = errors.check("empfehlungen", empfehlungen);
        let komplex = if art == AuftragArt::VertieftePotenzialerfassung {
            errors.check("komplex", yes_no(&self.komplex, "Bitte angeben, ob der Fall komplex ist.")).map(Some)
        } else {
            Some(None)
        };
        match (ergebnis, empfehlungen, komplex) {
            (Some(ergebnis), Some(empfehlungen), Some(komplex)) if errors.is_empty() => {
                Ok(Ergebnis { ergebnis, empfehlungen, komplex })
            }
            _ => Err(errors),
        }
    }
}

/// The most characters of a provider's findings and recommendations: longer than a note, a report.
pub const REPORT_CHARS: usize = 8000;

fn limited(text: String, max_chars: usize) -> Result<String, String> {
    crate::limits::check_text(&text, crate::limits::TextLimit::Long(max_chars))
        .map(|()| text)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, day).unwrap()
    }

    fn providers() -> Vec<AnbieterWahl> {
        vec![
            AnbieterWahl { id: 7, name: "Lernwerk".to_owned(), akkreditiert_fuer: vec![AuftragArt::Praxisassessment] },
            AnbieterWahl {
                id: 8,
                name: "Potenzialerfassung Solothurn".to_owned(),
                akkreditiert_fuer: vec![AuftragArt::VertieftePotenzialerfassung, AuftragArt::Integrationscoaching],
            },
        ]
    }

    fn input(art: &str, anbieter: &str) -> AuftragInput {
        AuftragInput { art: art.to_owned(), anbieter: anbieter.to_owned(), fragestellung: "Arbeitsfähigkeit?".into() }
    }

    #[test]
    fn coaching_needs_a_vertiefte_potenzialerfassung_that_found_the_case_complex() {
        assert_eq!(check_coaching(&[]), Err(CoachingRefusal::KeineVertiefte));
        let outstanding = VertiefteEinstufung { datum: date(1), komplex: None };
        assert_eq!(check_coaching(std::slice::from_ref(&outstanding)), Err(CoachingRefusal::ErgebnisAusstehend));
        let simple = VertiefteEinstufung { datum: date(2), komplex: Some(false) };
        assert_eq!(check_coaching(std::slice::from_ref(&simple)), Err(CoachingRefusal::NichtKomplex(date(2))));
        let complex = VertiefteEinstufung { datum: date(3), komplex: Some(true) };
        assert_eq!(check_coaching(&[simple.clone(), complex.clone()]), Ok(()));
        assert_eq!(check_coaching(&[complex, simple, outstanding]), Err(CoachingRefusal::NichtKomplex(date(2))));
    }

    #[test]
    fn the_refusal_names_the_date_of_the_assessment() {
        let message = CoachingRefusal::NichtKomplex(date(2)).to_string();
        assert!(message.contains("02.10.2026"), "{message}");
        assert!(message.contains("nicht komplex"), "{message}");
    }

    #[test]
    fn an_order_goes_only_to_a_provider_accredited_for_it() {
        let errors = input("vertiefte_potenzialerfassung", "7").parse(&providers(), &[]).unwrap_err();
        assert_eq!(errors.get("anbieter"), Some("Lernwerk ist nicht für Vertiefte Potenzialerfassung akkreditiert."));
        let order = input("praxisassessment", "7").parse(&providers(), &[]).unwrap();
        assert_eq!(
            order,
            NeuerAuftrag {
                art: AuftragArt::Praxisassessment,
                anbieter_id: 7,
                fragestellung: "Arbeitsfähigkeit?".into()
            }
        );
    }

    #[test]
    fn coaching_form_is_refused_with_the_rule_in_plain_words() {
        let errors = input("integrationscoaching", "8").parse(&providers(), &[]).unwrap_err();
        assert!(errors.get("art").unwrap().contains("komplex"));
        let complex = [VertiefteEinstufung { datum: date(3), komplex: Some(true) }];
        assert!(input("integrationscoaching", "8").parse(&providers(), &complex).is_ok());
    }

    #[test]
    fn missing_fields_are_named() {
        let errors = AuftragInput::default().parse(&providers(), &[]).unwrap_err();
        assert!(errors.get("art").is_some());
        assert!(errors.get("anbieter").is_some());
        assert!(errors.get("fragestellung").is_some());
    }

    #[test]
    fn coaching_waits_for_the_leitung_unless_the_leitung_ordered_it() {
        assert_eq!(
            AuftragStatus::initial(AuftragArt::Integrationscoaching, false),
            AuftragStatus::GenehmigungAusstehend
        );
        assert_eq!(AuftragStatus::initial(AuftragArt::Integrationscoaching, true), AuftragStatus::Erteilt);
        assert_eq!(AuftragStatus::initial(AuftragArt::Praxisassessment, false), AuftragStatus::Erteilt);
    }

    #[test]
    fn a_vertiefte_potenzialerfassung_must_classify_the_case() {
        let report =
            ErgebnisInput { ergebnis: "Befund".into(), empfehlungen: "Modul 2".into(), komplex: String::new() };
        let errors = report.parse(AuftragArt::VertieftePotenzialerfassung).unwrap_err();
        assert_eq!(errors.get("komplex"), Some("Bitte angeben, ob der Fall komplex ist."));
        let report = ErgebnisInput { komplex: "ja".into(), ..report };
        assert_eq!(report.parse(AuftragArt::VertieftePotenzialerfassung).unwrap().komplex, Some(true));
        assert_eq!(report.parse(AuftragArt::Praxisassessment).unwrap().komplex, None);
    }

    #[test]
    fn assessments_need_recommendations_coaching_reports_do_not() {
        let report = ErgebnisInput { ergebnis: "Befund".into(), ..Default::default() };
        assert!(report.parse(AuftragArt::Praxisassessment).unwrap_err().get("empfehlungen").is_some());
        assert!(report.parse(AuftragArt::Integrationscoaching).is_ok());
    }
}

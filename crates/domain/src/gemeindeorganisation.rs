//! How a Gemeinde runs start.integration: on its own (gemeindeintern) or in the Leitgemeindemodell, where a
//! Leitgemeinde's Integrationsbeauftragte works on the Neuzuzüger of its member Gemeinden under a contract with
//! a start and an end. Every Gemeinde names its strategic lead (a member of the Gemeinderat and the Ressort).
//!
//! Which Gemeinde leads which is not recorded here: it comes from the Gemeinde → Sozialregion mapping that
//! also decides who may read whose personal data (ADR 0008). Here the model is derived from it, and the
//! contract dates, the strategic lead and the contact are recorded and checked.

use crate::dossier::exact_date;
use crate::field_errors::FieldErrors;
use crate::limits::TextLimit;
use chrono::NaiveDate;

/// The organisation model of a Gemeinde, as the mapping says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modell {
    /// Runs start.integration itself and leads no other Gemeinde.
    Gemeindeintern,
    /// Runs start.integration itself and for its member Gemeinden.
    Leitgemeinde,
    /// Leitgemeindemodell: a Leitgemeinde runs start.integration for it, under a contract.
    Mitglied,
}

impl Modell {
    pub fn label(self) -> &'static str {
        match self {
            Modell::Gemeindeintern => "gemeindeintern",
            Modell::Leitgemeinde => "Leitgemeinde",
            Modell::Mitglied => "Leitgemeindemodell",
        }
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GemeindeorganisationInput {
    pub vertrag_beginn: String,
    pub vertrag_ende: String,
    pub leitung_name: String,
    pub leitung_ressort: String,
    pub ib_kontakt: String,
}

/// What is recorded about a Gemeinde's organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gemeindeorganisation {
    /// Contract with the Leitgemeinde (only in the Leitgemeindemodell).
    pub vertrag_beginn: Option<NaiveDate>,
    pub vertrag_ende: Option<NaiveDate>,
    /// The strategic lead: name and Ressort of the responsible member of the Gemeinderat.
    pub leitung_name: String,
    pub leitung_ressort: String,
    /// How to reach the Integrationsbeauftragte (free text, optional).
    pub ib_kontakt: String,
}

impl GemeindeorganisationInput {
    /// In the Leitgemeindemodell the contract needs a start, and an end lies after the start; a Gemeinde that
    /// runs start.integration itself has no contract with a Leitgemeinde. The strategic lead is required.
    pub fn check(&self, modell: Modell) -> Result<Gemeindeorganisation, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[
            ("leitung_name", &self.leitung_name, TextLimit::Name),
            ("leitung_ressort", &self.leitung_ressort, TextLimit::Short),
            ("ib_kontakt", &self.ib_kontakt, TextLimit::Short),
        ]);
        let optional_date = |errors: &mut FieldErrors, field: &'static str, text: &str| -> Option<NaiveDate> {
            if text.trim().is_empty() { None } else { errors.check(field, exact_date(text)) }
        };
        let vertrag_beginn = optional_date(&mut errors, "vertrag_beginn", &self.vertrag_beginn);
        let vertrag_ende = optional_date(&mut errors, "vertrag_ende", &self.vertrag_ende);
        let vertrag_angegeben = !self.vertrag_beginn.trim().is_empty() || !self.vertrag_ende.trim().is_empty();
        match modell {
            Modell::Mitglied => {
                if self.vertrag_beginn.trim().is_empty() {
                    errors.add("vertrag_beginn", "Im Leitgemeindemodell braucht der Vertrag einen Beginn.");
                }
            }
            Modell::Gemeindeintern | Modell::Leitgemeinde if vertrag_angegeben => {
                errors.add(
                    "vertrag_beginn",
                    "Diese Gemeinde führt start.integration selbst: ein Vertrag mit einer Leitgemeinde wird nur im Leitgemeindemodell erfasst.",
                );
            }
            Modell::Gemeindeintern | Modell::Leitgemeinde => {}
        }
        if let (Some(beginn), Some(ende)) = (vertrag_beginn, vertrag_ende)
            && ende <= beginn
        {
            errors.add(
                "vertrag_ende",
                format!("Das Vertragsende liegt nach dem Beginn ({}).", beginn.format("%d.%m.%Y")),
            );
        }
        let leitung_name = single_line(&self.leitung_name);
        if leitung_name.is_empty() {
            errors.add("leitung_name", "Bitte den Namen der strategischen Leitung angeben.");
        }
        let leitung_ressort = single_line(&self.leitung_ressort);
        if leitung_ressort.is_empty() {
            errors.add("leitung_ressort", "Bitte das Ressort der strategischen Leitung angeben.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Gemeindeorganisation {
            vertrag_beginn,
            vertrag_ende,
            leitung_name,
            leitung_ressort,
            ib_kontakt: self.ib_kontakt.trim().to_owned(),
        })
    }
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Gemeindeorganisation {
    /// Names of the fields that differ, for the access log.
    pub fn geaenderte_felder(&self, neu: &Gemeindeorganisation) -> Vec<&'static str> {
        let mut felder = Vec::new();
        let mut vergleiche = |feld: &'static str, anders: bool| {
            if anders {
                felder.push(feld);
            }
        };
        vergleiche("vertrag_beginn", self.vertrag_beginn != neu.vertrag_beginn);
        vergleiche("vertrag_ende", self.vertrag_ende != neu.vertrag_ende);
        vergleiche("leitung_name", self.leitung_name != neu.leitung_name);
        vergleiche("leitung_ressort", self.leitung_ressort != neu.leitung_ressort);
        vergleiche("ib_kontakt", self.ib_kontakt != neu.ib_kontakt);
        felder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(beginn: &str, ende: &str) -> GemeindeorganisationInput {
        GemeindeorganisationInput {
            vertrag_beginn: beginn.to_owned(),
            vertrag_ende: ende.to_owned(),
            leitung_name: "  Anna   Muster ".to_owned(),
            leitung_ressort: "Soziales".to_owned(),
            ib_kontakt: String::new(),
        }
    }

    #[test]
    fn a_member_needs_a_contract_start_and_an_end_after_it() {
        let errors = input("", "").check(Modell::Mitglied).unwrap_err();
        assert_eq!(errors.get("vertrag_beginn"), Some("Im Leitgemeindemodell braucht der Vertrag einen Beginn."));
        let errors = input("01.01.2027", "01.01.2027").check(Modell::Mitglied).unwrap_err();
        assert_eq!(errors.get("vertrag_ende"), Some("Das Vertragsende liegt nach dem Beginn (01.01.2027)."));
        let ok = input("01.01.2027", "31.12.2030").check(Modell::Mitglied).unwrap();
        assert_eq!(ok.vertrag_beginn, NaiveDate::from_ymd_opt(2027, 1, 1));
        assert_eq!(ok.leitung_name, "Anna Muster");
    }

    #[test]
    fn a_gemeinde_running_start_integration_itself_has_no_contract() {
        assert!(input("", "").check(Modell::Gemeindeintern).is_ok());
        let errors = input("01.01.2027", "").check(Modell::Leitgemeinde).unwrap_err();
        assert!(errors.get("vertrag_beginn").unwrap().contains("nur im Leitgemeindemodell"));
    }

    #[test]
    fn the_strategic_lead_is_required_and_dates_must_be_real() {
        let blank = GemeindeorganisationInput { vertrag_beginn: "31.02.2027".to_owned(), ..Default::default() };
        let errors = blank.check(Modell::Mitglied).unwrap_err();
        assert_eq!(errors.get("vertrag_beginn"), Some("Dieses Datum gibt es nicht."));
        assert!(errors.get("leitung_name").is_some() && errors.get("leitung_ressort").is_some());
    }

    #[test]
    fn changed_fields_are_named() {
        let old = input("", "").check(Modell::Gemeindeintern).unwrap();
        let new = Gemeindeorganisation { ib_kontakt: "integration@olten.ch".to_owned(), ..old.clone() };
        assert_eq!(old.geaenderte_felder(&new), ["ib_kontakt"]);
    }
}

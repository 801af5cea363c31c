//! Goals proposed for the Hilfsplan from the Kurzassessment (seed 002, «Potenzialabklärung»: the Kurzassessment
//! decides between arbeitsmarktliche and soziale Integration and whether Sprachförderung is needed, and «zudem wird
//! ein individueller Hilfsplan erstellt»). The case worker accepts, edits or discards each proposal; nothing here
//! becomes a goal by itself.
//!
//! The rules, each at most one proposal, each saying why it was proposed («Vorgeschlagen, weil: …»). «Deutsch» is
//! the person's current German level ([`crate::sprache::aktueller_sprachstand`]), «jung» the target group 16–25:
//!
//! | rule ([`VorschlagRegel`]) | Handlungsfeld | proposed when | due in |
//! |---|---|---|---|
//! | `deutsch_a2` | Sprachförderung | Deutsch A1, or unknown with Sprachförderbedarf | 12 months |
//! | `deutsch_b1` | Sprachförderung | Deutsch A2 with Sprachförderbedarf | 12 months |
//! | `alphabetisierung` | Sprachförderung | reads and writes only partly or not at all | 12 months |
//! | `praxisassessment` | Arbeitsintegration | direction arbeitsmarktlich, potential unclear | 3 months |
//! | `arbeitserfahrung` | Arbeitsintegration | arbeitsmarktlich, potential judged, no work experience in Switzerland (Modul 1/2) | 12 months |
//! | `stellensuche` | Arbeitsintegration | arbeitsmarktlich, potential judged, work experience in Switzerland (Modul 4) | 12 months |
//! | `integrationsvorleistungen` | Bildungsintegration | jung, and fewer than 6 school years or Deutsch below A2 or unknown (Phase 1) | 12 months |
//! | `berufsvorbereitung` | Bildungsintegration | jung, at least 6 school years and Deutsch A2 or higher (Phase 2) | 12 months |
//! | `soziale_kontakte` | Soziale Integration | direction sozial | 6 months |
//!
//! The due date counts from the day the proposal is made (`heute`), since a goal may not be due in the past.
//! Which proposals are still open (no goal from the rule yet, not discarded for this Kurzassessment) is decided
//! by [`offene_vorschlaege`].

use crate::dossier::{Arbeitserfahrung, Handlungsfeld, Kurzassessment, Literalitaet, Potenzial, Richtung, Ziel};
use crate::person::Choice;
use crate::sprache::Niveau;
use chrono::{Months, NaiveDate};

/// The rule a proposal comes from; its code is stored with the goal made from it and with a discard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VorschlagRegel {
    DeutschA2,
    DeutschB1,
    Alphabetisierung,
    Praxisassessment,
    Arbeitserfahrung,
    Stellensuche,
    Integrationsvorleistungen,
    Berufsvorbereitung,
    SozialeKontakte,
}

impl VorschlagRegel {
    pub const ALL: [VorschlagRegel; 9] = [
        VorschlagRegel::DeutschA2,
        VorschlagRegel::DeutschB1,
        VorschlagRegel::Alphabetisierung,
        VorschlagRegel::Praxisassessment,
        VorschlagRegel::Arbeitserfahrung,
        VorschlagRegel::Stellensuche,
        VorschlagRegel::Integrationsvorleistungen,
        VorschlagRegel::Berufsvorbereitung,
        VorschlagRegel::SozialeKontakte,
    ];

    /// Longest code, for the stored column.
    pub const MAX_CODE_CHARS: usize = 40;

    pub fn code(self) -> &'static str {
        match self {
            VorschlagRegel::DeutschA2 => "deutsch_a2",
            VorschlagRegel::DeutschB1 => "deutsch_b1",
            VorschlagRegel::Alphabetisierung => "alphabetisierung",
            VorschlagRegel::Praxisassessment => "praxisassessment",
            VorschlagRegel::Arbeitserfahrung => "arbeitserfahrung",
            VorschlagRegel::Stellensuche => "stellensuche",
            VorschlagRegel::Integrationsvorleistungen => "integrationsvorleistungen",
            VorschlagRegel::Berufsvorbereitung => "berufsvorbereitung",
            VorschlagRegel::SozialeKontakte => "soziale_kontakte",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|regel| regel.code() == code)
    }

    pub fn handlungsfeld(self) -> Handlungsfeld {
        match self {
            VorschlagRegel::DeutschA2 | VorschlagRegel::DeutschB1 | VorschlagRegel::Alphabetisierung => {
                Handlungsfeld::Sprachfoerderung
            }
            VorschlagRegel::Praxisassessment | VorschlagRegel::Arbeitserfahrung | VorschlagRegel::Stellensuche => {
                Handlungsfeld::Arbeitsintegration
            }
            VorschlagRegel::Integrationsvorleistungen | VorschlagRegel::Berufsvorbereitung => {
                Handlungsfeld::Bildungsintegration
            }
            VorschlagRegel::SozialeKontakte => Handlungsfeld::SozialeIntegration,
        }
    }

    /// Goal text, criterion «erreicht, wenn» and months until due.
    fn ziel(self) -> (&'static str, &'static str, u32) {
        match self {
            VorschlagRegel::DeutschA2 => (
                "Deutsch auf Niveau A2",
                "Niveau A2 ist nachgewiesen (fide-Test, Sprachzertifikat oder Kursbericht).",
                12,
            ),
            VorschlagRegel::DeutschB1 => (
                "Deutsch auf Niveau B1",
                "Niveau B1 ist nachgewiesen (fide-Test, Sprachzertifikat oder Kursbericht).",
                12,
            ),
            VorschlagRegel::Alphabetisierung => (
                "Lesen und Schreiben lernen (Alphabetisierungskurs)",
                "Liest einfache Alltagstexte und füllt ein einfaches Formular selbst aus (Kursbericht).",
                12,
            ),
            VorschlagRegel::Praxisassessment => (
                "Arbeitsmarktfähigkeit in einem Praxisassessment klären",
                "Das Ergebnis des Praxisassessments liegt vor und ist im Hilfsplan berücksichtigt.",
                3,
            ),
            VorschlagRegel::Arbeitserfahrung => (
                "Erste Arbeitserfahrung in der Schweiz (Modul 1 und 2 der Arbeitsmarktintegration)",
                "Aufnahme in Modul 3 (Zugang zur öffentlichen Arbeitsvermittlung).",
                12,
            ),
            VorschlagRegel::Stellensuche => (
                "Stelle im ersten Arbeitsmarkt finden (Stellensuche mit dem RAV, Modul 4)",
                "Ein Arbeitsvertrag im ersten Arbeitsmarkt liegt vor.",
                12,
            ),
            VorschlagRegel::Integrationsvorleistungen => (
                "Integrationsvorleistungen: Deutsch bis A2, Orientierung, schulische Grundlagen (Phase 1)",
                "Die Eintrittsbedingungen der Vorbereitung auf die berufliche Grundbildung sind erfüllt (mindestens A2, schulische Grundlagen).",
                12,
            ),
            VorschlagRegel::Berufsvorbereitung => (
                "Vorbereitung auf die berufliche Grundbildung (Phase 2)",
                "Ein Lehrvertrag (EBA oder EFZ) oder die Zusage einer anderen nachobligatorischen Ausbildung liegt vor.",
                12,
            ),
            VorschlagRegel::SozialeKontakte => (
                "Kontakte im Alltag knüpfen (Verein, Quartier oder Mentoring)",
                "Nimmt seit mindestens drei Monaten regelmässig an einem Angebot der sozialen Integration teil.",
                6,
            ),
        }
    }
}

/// What the proposals are derived from: the Kurzassessment's answers, the current German level and whether the
/// person belongs to the target group of young people (16–25).
#[derive(Debug, Clone, Copy)]
pub struct Grundlage<'a> {
    pub kurzassessment: &'a Kurzassessment,
    pub deutsch: Option<Niveau>,
    pub jung: bool,
}

/// A goal the Kurzassessment suggests, with the rule it comes from and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zielvorschlag {
    pub regel: VorschlagRegel,
    pub ziel: Ziel,
    /// The answers that led to it, e.g. «Deutsch unter A2 (A1)».
    pub grund: String,
}

impl Zielvorschlag {
    /// «Vorgeschlagen, weil: …», as the case worker reads it.
    pub fn begruendung(&self) -> String {
        format!("Vorgeschlagen, weil: {}", self.grund)
    }
}

/// Every proposal the rules of the module doc give, in the order of the table there.
pub fn vorschlaege(grundlage: &Grundlage<'_>, heute: NaiveDate) -> Vec<Zielvorschlag> {
    VorschlagRegel::ALL
        .into_iter()
        .filter_map(|regel| grund(regel, grundlage).map(|grund| vorschlag(regel, grund, heute)))
        .collect()
}

/// The proposals not yet taken into the Hilfsplan (`aus_vorschlag`: the rules goals were made from, of any
/// Kurzassessment) and not discarded for this Kurzassessment (`verworfen`).
pub fn offene_vorschlaege(
    grundlage: &Grundlage<'_>,
    heute: NaiveDate,
    aus_vorschlag: &[VorschlagRegel],
    verworfen: &[VorschlagRegel],
) -> Vec<Zielvorschlag> {
    vorschlaege(grundlage, heute)
        .into_iter()
        .filter(|v| !aus_vorschlag.contains(&v.regel) && !verworfen.contains(&v.regel))
        .collect()
}

fn vorschlag(regel: VorschlagRegel, grund: String, heute: NaiveDate) -> Zielvorschlag {
    let (ziel, kriterium, monate) = regel.ziel();
    let faellig_am = heute.checked_add_months(Months::new(monate)).unwrap_or(heute);
    Zielvorschlag {
        regel,
        ziel: Ziel {
            handlungsfeld: regel.handlungsfeld(),
            ziel: ziel.to_owned(),
            kriterium: kriterium.to_owned(),
            faellig_am,
        },
        grund,
    }
}

/// Why the rule proposes its goal, or `None` when it does not apply.
fn grund(regel: VorschlagRegel, g: &Grundlage<'_>) -> Option<String> {
    let k = g.kurzassessment;
    let arbeitsmarktlich = k.richtung == Richtung::Arbeitsmarktlich;
    let potenzial_klar = k.potenzial != Potenzial::Unklar;
    match regel {
        VorschlagRegel::DeutschA2 => match g.deutsch {
            Some(niveau) if niveau < Niveau::A2 => Some(format!("Deutsch unter A2 ({})", niveau.code())),
            None if k.sprachfoerderbedarf => Some("Sprachförderbedarf, Deutschniveau noch nicht erfasst".to_owned()),
            _ => None,
        },
        VorschlagRegel::DeutschB1 => {
            (g.deutsch == Some(Niveau::A2) && k.sprachfoerderbedarf).then(|| "Sprachförderbedarf bei Deutsch A2".into())
        }
        VorschlagRegel::Alphabetisierung => match k.literalitaet {
            Literalitaet::Alphabetisiert => None,
            Literalitaet::Teilweise => Some("liest und schreibt nur teilweise".to_owned()),
            Literalitaet::NichtAlphabetisiert => Some("nicht alphabetisiert".to_owned()),
        },
        VorschlagRegel::Praxisassessment => (arbeitsmarktlich && !potenzial_klar)
            .then(|| "arbeitsmarktliche Integration angestrebt, Potenzial unklar".to_owned()),
        VorschlagRegel::Arbeitserfahrung => {
            (arbeitsmarktlich && potenzial_klar && k.arbeitserfahrung != Arbeitserfahrung::Schweiz)
                .then(|| format!("arbeitsmarktliche Integration angestrebt, {}", k.arbeitserfahrung.label()))
        }
        VorschlagRegel::Stellensuche => {
            (arbeitsmarktlich && potenzial_klar && k.arbeitserfahrung == Arbeitserfahrung::Schweiz)
                .then(|| "arbeitsmarktliche Integration angestrebt, Arbeitserfahrung in der Schweiz".to_owned())
        }
        VorschlagRegel::Integrationsvorleistungen => {
            if !g.jung {
                None
            } else if !k.schulgewohnt() {
                Some(format!("16–25 Jahre, schulungsgewohnt ({} Schuljahre)", k.schuljahre))
            } else {
                match g.deutsch {
                    Some(niveau) if niveau < Niveau::A2 => {
                        Some(format!("16–25 Jahre, Deutsch unter A2 ({})", niveau.code()))
                    }
                    None => Some("16–25 Jahre, Deutschniveau noch nicht erfasst".to_owned()),
                    _ => None,
                }
            }
        }
        VorschlagRegel::Berufsvorbereitung => match g.deutsch {
            Some(niveau) if g.jung && k.schulgewohnt() && niveau >= Niveau::A2 => {
                Some(format!("16–25 Jahre, schulgewohnt, Deutsch {}", niveau.code()))
            }
            _ => None,
        },
        VorschlagRegel::SozialeKontakte => {
            (k.richtung == Richtung::Sozial).then(|| "soziale Integration angestrebt".to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn heute() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    /// Labour-market direction, no need for German, literate, Swiss work experience, potential high: only the
    /// job search applies, so each test changes one answer and sees its rule.
    fn assessment() -> Kurzassessment {
        Kurzassessment {
            datum: heute(),
            richtung: Richtung::Arbeitsmarktlich,
            sprachfoerderbedarf: false,
            schuljahre: 9,
            literalitaet: Literalitaet::Alphabetisiert,
            arbeitserfahrung: Arbeitserfahrung::Schweiz,
            potenzial: Potenzial::Hoch,
            dolmetschende: false,
            bemerkungen: String::new(),
        }
    }

    fn rules(k: &Kurzassessment, deutsch: Option<Niveau>, jung: bool) -> Vec<VorschlagRegel> {
        vorschlaege(&Grundlage { kurzassessment: k, deutsch, jung }, heute()).into_iter().map(|v| v.regel).collect()
    }

    fn only(k: &Kurzassessment, deutsch: Option<Niveau>, jung: bool, regel: VorschlagRegel) -> Zielvorschlag {
        let found = vorschlaege(&Grundlage { kurzassessment: k, deutsch, jung }, heute());
        found.into_iter().find(|v| v.regel == regel).expect("rule applies")
    }

    #[test]
    fn the_baseline_only_proposes_the_job_search() {
        assert_eq!(rules(&assessment(), Some(Niveau::B1), false), [VorschlagRegel::Stellensuche]);
    }

    #[test]
    fn german_below_a2_proposes_a2_with_the_level_as_reason() {
        let social = Kurzassessment { richtung: Richtung::Sozial, ..assessment() };
        let a2 = only(&social, Some(Niveau::A1), false, VorschlagRegel::DeutschA2);
        assert_eq!(a2.ziel.handlungsfeld, Handlungsfeld::Sprachfoerderung);
        assert_eq!(a2.ziel.ziel, "Deutsch auf Niveau A2");
        assert_eq!(a2.begruendung(), "Vorgeschlagen, weil: Deutsch unter A2 (A1)");
        assert_eq!(a2.ziel.faellig_am, NaiveDate::from_ymd_opt(2027, 11, 21).unwrap());
        assert!(!rules(&social, Some(Niveau::A2), false).contains(&VorschlagRegel::DeutschA2));
    }

    #[test]
    fn need_for_german_without_a_known_level_proposes_a2() {
        let need = Kurzassessment { sprachfoerderbedarf: true, ..assessment() };
        let a2 = only(&need, None, false, VorschlagRegel::DeutschA2);
        assert_eq!(a2.grund, "Sprachförderbedarf, Deutschniveau noch nicht erfasst");
        assert!(!rules(&assessment(), None, false).contains(&VorschlagRegel::DeutschA2), "no need, no level");
    }

    #[test]
    fn need_for_german_at_a2_proposes_b1() {
        let need = Kurzassessment { sprachfoerderbedarf: true, ..assessment() };
        assert_eq!(only(&need, Some(Niveau::A2), false, VorschlagRegel::DeutschB1).ziel.ziel, "Deutsch auf Niveau B1");
        assert!(!rules(&need, Some(Niveau::B1), false).contains(&VorschlagRegel::DeutschB1));
        assert!(!rules(&assessment(), Some(Niveau::A2), false).contains(&VorschlagRegel::DeutschB1));
    }

    #[test]
    fn reading_and_writing_only_partly_proposes_literacy() {
        let partly = Kurzassessment { literalitaet: Literalitaet::Teilweise, ..assessment() };
        assert_eq!(
            only(&partly, None, false, VorschlagRegel::Alphabetisierung).grund,
            "liest und schreibt nur teilweise"
        );
        let not = Kurzassessment { literalitaet: Literalitaet::NichtAlphabetisiert, ..assessment() };
        assert_eq!(only(&not, None, false, VorschlagRegel::Alphabetisierung).grund, "nicht alphabetisiert");
    }

    #[test]
    fn unclear_potential_proposes_a_praxisassessment_first() {
        let unclear = Kurzassessment { potenzial: Potenzial::Unklar, ..assessment() };
        let found = only(&unclear, Some(Niveau::B1), false, VorschlagRegel::Praxisassessment);
        assert_eq!(found.ziel.faellig_am, NaiveDate::from_ymd_opt(2027, 2, 21).unwrap());
        assert_eq!(rules(&unclear, Some(Niveau::B1), false), [VorschlagRegel::Praxisassessment]);
        let social = Kurzassessment { richtung: Richtung::Sozial, ..unclear };
        assert!(!rules(&social, Some(Niveau::B1), false).contains(&VorschlagRegel::Praxisassessment));
    }

    #[test]
    fn no_swiss_work_experience_proposes_modul_1_and_2() {
        let abroad = Kurzassessment { arbeitserfahrung: Arbeitserfahrung::NurAusland, ..assessment() };
        let found = only(&abroad, Some(Niveau::B1), false, VorschlagRegel::Arbeitserfahrung);
        assert_eq!(found.grund, "arbeitsmarktliche Integration angestrebt, Arbeitserfahrung nur im Ausland");
        assert!(!rules(&abroad, Some(Niveau::B1), false).contains(&VorschlagRegel::Stellensuche));
    }

    #[test]
    fn swiss_work_experience_proposes_the_job_search() {
        let found = only(&assessment(), Some(Niveau::B1), false, VorschlagRegel::Stellensuche);
        assert_eq!(found.ziel.handlungsfeld, Handlungsfeld::Arbeitsintegration);
        let social = Kurzassessment { richtung: Richtung::Sozial, ..assessment() };
        assert!(!rules(&social, Some(Niveau::B1), false).contains(&VorschlagRegel::Stellensuche));
    }

    #[test]
    fn young_people_not_used_to_school_start_with_phase_1() {
        let few_years = Kurzassessment { schuljahre: 4, ..assessment() };
        let found = only(&few_years, Some(Niveau::B1), true, VorschlagRegel::Integrationsvorleistungen);
        assert_eq!(found.grund, "16–25 Jahre, schulungsgewohnt (4 Schuljahre)");
        let found = only(&assessment(), Some(Niveau::A1), true, VorschlagRegel::Integrationsvorleistungen);
        assert_eq!(found.grund, "16–25 Jahre, Deutsch unter A2 (A1)");
        assert!(!rules(&few_years, Some(Niveau::B1), false).contains(&VorschlagRegel::Integrationsvorleistungen));
    }

    #[test]
    fn young_people_used_to_school_with_a2_prepare_for_vocational_training() {
        let found = only(&assessment(), Some(Niveau::A2), true, VorschlagRegel::Berufsvorbereitung);
        assert_eq!(found.grund, "16–25 Jahre, schulgewohnt, Deutsch A2");
        assert!(!rules(&assessment(), None, true).contains(&VorschlagRegel::Berufsvorbereitung));
        assert!(!rules(&assessment(), Some(Niveau::B1), false).contains(&VorschlagRegel::Berufsvorbereitung));
    }

    #[test]
    fn the_social_direction_proposes_contacts_in_six_months() {
        let social = Kurzassessment { richtung: Richtung::Sozial, ..assessment() };
        let found = only(&social, Some(Niveau::B1), false, VorschlagRegel::SozialeKontakte);
        assert_eq!(found.ziel.handlungsfeld, Handlungsfeld::SozialeIntegration);
        assert_eq!(found.ziel.faellig_am, NaiveDate::from_ymd_opt(2027, 5, 21).unwrap());
        assert_eq!(found.begruendung(), "Vorgeschlagen, weil: soziale Integration angestrebt");
    }

    #[test]
    fn goals_made_and_discards_leave_the_open_proposals() {
        let social = Kurzassessment { richtung: Richtung::Sozial, sprachfoerderbedarf: true, ..assessment() };
        let grundlage = Grundlage { kurzassessment: &social, deutsch: None, jung: false };
        let open = |made: &[VorschlagRegel], discarded: &[VorschlagRegel]| -> Vec<VorschlagRegel> {
            offene_vorschlaege(&grundlage, heute(), made, discarded).into_iter().map(|v| v.regel).collect()
        };
        assert_eq!(open(&[], &[]), [VorschlagRegel::DeutschA2, VorschlagRegel::SozialeKontakte]);
        assert_eq!(open(&[VorschlagRegel::DeutschA2], &[]), [VorschlagRegel::SozialeKontakte]);
        assert_eq!(open(&[], &[VorschlagRegel::SozialeKontakte]), [VorschlagRegel::DeutschA2]);
    }

    #[test]
    fn codes_round_trip_and_fit_their_column() {
        for regel in VorschlagRegel::ALL {
            assert_eq!(VorschlagRegel::from_code(regel.code()), Some(regel));
            assert!(regel.code().len() <= VorschlagRegel::MAX_CODE_CHARS);
        }
        assert_eq!(VorschlagRegel::from_code("DEUTSCH_A2"), None);
    }

    fn any_assessment() -> impl Strategy<Value = Kurzassessment> {
        (
            prop::sample::select(Richtung::ALL.to_vec()),
            any::<bool>(),
            any::<u8>(),
            prop::sample::select(Literalitaet::ALL.to_vec()),
            prop::sample::select(Arbeitserfahrung::ALL.to_vec()),
            prop::sample::select(Potenzial::ALL.to_vec()),
            any::<bool>(),
        )
            .prop_map(
                |(
                    richtung,
                    sprachfoerderbedarf,
                    schuljahre,
                    literalitaet,
                    arbeitserfahrung,
                    potenzial,
                    dolmetschende,
                )| {
                    Kurzassessment {
                        datum: heute(),
                        richtung,
                        sprachfoerderbedarf,
                        schuljahre,
                        literalitaet,
                        arbeitserfahrung,
                        potenzial,
                        dolmetschende,
                        bemerkungen: String::new(),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn every_answer_gives_at_most_one_proposal_per_rule_in_its_field(
            k in any_assessment(),
            deutsch in prop::option::of(prop::sample::select(Niveau::ALL.to_vec())),
            jung in any::<bool>(),
            days in 0_u64..192_000_000,
        ) {
            let heute = NaiveDate::MIN.checked_add_days(chrono::Days::new(days)).unwrap_or(NaiveDate::MAX);
            let found = vorschlaege(&Grundlage { kurzassessment: &k, deutsch, jung }, heute);
            for regel in VorschlagRegel::ALL {
                prop_assert!(found.iter().filter(|v| v.regel == regel).count() <= 1);
            }
            for v in &found {
                prop_assert_eq!(v.ziel.handlungsfeld, v.regel.handlungsfeld());
                prop_assert!(v.ziel.faellig_am >= heute);
                prop_assert!(!v.grund.is_empty());
            }
            let direction = if k.richtung == Richtung::Sozial { VorschlagRegel::SozialeKontakte } else { VorschlagRegel::Praxisassessment };
            let some_direction = found.iter().any(|v| v.regel == direction || v.ziel.handlungsfeld == Handlungsfeld::Arbeitsintegration);
            prop_assert!(some_direction, "each direction gives a goal of its own field");
        }
    }
}

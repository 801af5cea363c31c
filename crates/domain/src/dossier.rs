//! The dossier of the Durchgehende Fallführung: one per person, kept by one fallführende Stelle and one
//! responsible case worker from opening to sustainable integration (seed 002, section 3.1).
//!
//! The status is never typed by hand: it follows from what happened ([`DossierEvent`]s), so it cannot
//! contradict the timeline.

use crate::date::PartialDate;
use crate::field_errors::FieldErrors;
use crate::limits::TextLimit;
use crate::person::{Choice, Nationality, PersonData, ResidenceStatus};
use chrono::{Months, NaiveDate};

/// Target groups with a high specific need (seed 002, section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetGroups {
    /// Asylum: vorläufig aufgenommen (VA) or anerkannter Flüchtling (FL), from the residence status.
    pub asyl: Option<AsylStatus>,
    pub sozialhilfe: bool,
    /// Young people and young adults, 16 to 25 years old at opening.
    pub jugendliche: bool,
    pub gesundheitliche_einschraenkung: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsylStatus {
    /// Vorläufig aufgenommen (F).
    Va,
    /// Anerkannter Flüchtling (B-FL).
    Fl,
}

impl TargetGroups {
    /// What follows from the person: VA/FL from the residence status, 16–25 from the date of birth.
    /// Sozialhilfe and health restrictions are the case worker's facts.
    pub fn derive(
        person: &PersonData,
        sozialhilfe: bool,
        gesundheitliche_einschraenkung: bool,
        today: NaiveDate,
    ) -> Self {
        let asyl = match person.aufenthaltsstatus {
            ResidenceStatus::F => Some(AsylStatus::Va),
            ResidenceStatus::BFl => Some(AsylStatus::Fl),
            _ => None,
        };
        let jugendliche = person.geburtsdatum.age_on(today).is_some_and(|age| (16..=25).contains(&age));
        Self { asyl, sozialhilfe, jugendliche, gesundheitliche_einschraenkung }
    }

    /// German labels of the groups that apply, for lists and the dossier page.
    pub fn labels(&self) -> Vec<&'static str> {
        let mut labels = Vec::new();
        match self.asyl {
            Some(AsylStatus::Va) => labels.push("Asyl: vorläufig aufgenommen (VA)"),
            Some(AsylStatus::Fl) => labels.push("Asyl: anerkannter Flüchtling (FL)"),
            None => {}
        }
        if self.sozialhilfe {
            labels.push("Sozialhilfe");
        }
        if self.jugendliche {
            labels.push("Jugendliche/junge Erwachsene (16–25)");
        }
        if self.gesundheitliche_einschraenkung {
            labels.push("gesundheitliche Einschränkung");
        }
        labels
    }
}

/// Why a dossier cannot be opened for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EligibilityError {
    #[error(
        "Ohne Sozialhilfe gehören Schweizerinnen und Schweizer nicht zur Zielgruppe. Bei Sozialhilfebezug bitte «Sozialhilfe» ankreuzen."
    )]
    SwissWithoutSozialhilfe,
    #[error(
        "Personen mit Kurzaufenthaltsbewilligung (L) gehören ohne Sozialhilfe nicht zur Zielgruppe des Integrationsmodells."
    )]
    ShortStayWithoutSozialhilfe,
}

/// The target group of the model: Sozialhilfe of any nationality, or foreign nationals with any residence
/// status except short stay (L). (Persons without legal stay are not in the register at all.)
pub fn check_eligibility(person: &PersonData, groups: &TargetGroups) -> Result<(), EligibilityError> {
    if groups.sozialhilfe {
        return Ok(());
    }
    let swiss = person.nationalitaet == Nationality::Country("CH".to_owned())
        || person.aufenthaltsstatus == ResidenceStatus::Swiss;
    if swiss {
        return Err(EligibilityError::SwissWithoutSozialhilfe);
    }
    if person.aufenthaltsstatus == ResidenceStatus::L {
        return Err(EligibilityError::ShortStayWithoutSozialhilfe);
    }
    Ok(())
}

/// What can happen in a dossier; the timeline is a list of these, and the status follows from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DossierEvent {
    Eroeffnet,
    Kurzassessment,
    Standortbestimmung,
    /// A goal was added to the Hilfsplan; the first one makes the plan active.
    ZielErfasst,
    /// A goal proposed from the Kurzassessment was discarded (for that Kurzassessment).
    ZielvorschlagVerworfen,
    /// The Leitung handed the dossier to another case worker of the Stelle.
    Zugewiesen,
    /// An order went to a provider (or, for coaching, waits for the Leitung's approval).
    AuftragErteilt,
    AuftragGenehmigt,
    AuftragAbgelehnt,
    ErgebnisEingegangen,
    MassnahmeGebucht,
    /// A case worker asked the Leitung for an exception from a measure's entry criteria; an approval books
    /// the measure (`MassnahmeGebucht`).
    AusnahmeBeantragt,
    AusnahmeAbgelehnt,
    TeilnahmeBeendet,
    /// What follows a completed measure («Kein Abschluss ohne Anschluss»).
    AnschlussErfasst,
    SprachstandErfasst,
    FamilieVerknuepft,
    FamilieGeloest,
    /// A transfer on Wohnortwechsel was requested; the Stelle keeps the dossier until the other accepts.
    UebergabeBeantragt,
    UebergabeAbgelehnt,
    /// The receiving Stelle took the dossier over; the old Stelle no longer sees it.
    UebergabeAngenommen,
    /// Closing waits for the Leitung where the Stelle requires approval.
    AbschlussBeantragt,
    AbschlussAbgelehnt,
    Abgeschlossen,
    Wiedereroeffnet,
}

impl DossierEvent {
    pub const ALL: [DossierEvent; 25] = [
        DossierEvent::Eroeffnet,
        DossierEvent::Kurzassessment,
        DossierEvent::Standortbestimmung,
        DossierEvent::ZielErfasst,
        DossierEvent::ZielvorschlagVerworfen,
        DossierEvent::Zugewiesen,
        DossierEvent::AuftragErteilt,
        DossierEvent::AuftragGenehmigt,
        DossierEvent::AuftragAbgelehnt,
        DossierEvent::ErgebnisEingegangen,
        DossierEvent::MassnahmeGebucht,
        DossierEvent::AusnahmeBeantragt,
        DossierEvent::AusnahmeAbgelehnt,
        DossierEvent::TeilnahmeBeendet,
        DossierEvent::AnschlussErfasst,
        DossierEvent::SprachstandErfasst,
        DossierEvent::FamilieVerknuepft,
        DossierEvent::FamilieGeloest,
        DossierEvent::UebergabeBeantragt,
        DossierEvent::UebergabeAbgelehnt,
        DossierEvent::UebergabeAngenommen,
        DossierEvent::AbschlussBeantragt,
        DossierEvent::AbschlussAbgelehnt,
        DossierEvent::Abgeschlossen,
        DossierEvent::Wiedereroeffnet,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DossierEvent::Eroeffnet => "eroeffnet",
            DossierEvent::Kurzassessment => "kurzassessment",
            DossierEvent::Standortbestimmung => "standortbestimmung",
            DossierEvent::ZielErfasst => "ziel",
            DossierEvent::ZielvorschlagVerworfen => "zielvorschlag_verworfen",
            DossierEvent::Zugewiesen => "zugewiesen",
            DossierEvent::AuftragErteilt => "auftrag_erteilt",
            DossierEvent::AuftragGenehmigt => "auftrag_genehmigt",
            DossierEvent::AuftragAbgelehnt => "auftrag_abgelehnt",
            DossierEvent::ErgebnisEingegangen => "ergebnis",
            DossierEvent::MassnahmeGebucht => "massnahme_gebucht",
            DossierEvent::AusnahmeBeantragt => "ausnahme_beantragt",
            DossierEvent::AusnahmeAbgelehnt => "ausnahme_abgelehnt",
            DossierEvent::TeilnahmeBeendet => "teilnahme_beendet",
            DossierEvent::AnschlussErfasst => "anschluss",
            DossierEvent::SprachstandErfasst => "sprachstand",
            DossierEvent::FamilieVerknuepft => "familie_verknuepft",
            DossierEvent::FamilieGeloest => "familie_geloest",
            DossierEvent::UebergabeBeantragt => "uebergabe_beantragt",
            DossierEvent::UebergabeAbgelehnt => "uebergabe_abgelehnt",
            DossierEvent::UebergabeAngenommen => "uebergabe_angenommen",
            DossierEvent::AbschlussBeantragt => "abschluss_beantragt",
            DossierEvent::AbschlussAbgelehnt => "abschluss_abgelehnt",
            DossierEvent::Abgeschlossen => "abgeschlossen",
            DossierEvent::Wiedereroeffnet => "wiedereroeffnet",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DossierEvent::Eroeffnet => "Dossier eröffnet",
            DossierEvent::Kurzassessment => "Kurzassessment erfasst",
            DossierEvent::Standortbestimmung => "Standortbestimmung erfasst",
            DossierEvent::ZielErfasst => "Ziel im Hilfsplan erfasst",
            DossierEvent::ZielvorschlagVerworfen => "Zielvorschlag verworfen",
            DossierEvent::Zugewiesen => "Fallführung übertragen",
            DossierEvent::AuftragErteilt => "Auftrag an Anbieter erteilt",
            DossierEvent::AuftragGenehmigt => "Auftrag von der Leitung genehmigt",
            DossierEvent::AuftragAbgelehnt => "Auftrag von der Leitung abgelehnt",
            DossierEvent::ErgebnisEingegangen => "Ergebnis des Anbieters eingegangen",
            DossierEvent::MassnahmeGebucht => "Massnahme gebucht",
            DossierEvent::AusnahmeBeantragt => "Ausnahme von den Eintrittskriterien beantragt",
            DossierEvent::AusnahmeAbgelehnt => "Ausnahme von den Eintrittskriterien abgelehnt",
            DossierEvent::TeilnahmeBeendet => "Teilnahme beendet",
            DossierEvent::AnschlussErfasst => "Anschluss erfasst",
            DossierEvent::SprachstandErfasst => "Sprachstand erfasst",
            DossierEvent::FamilieVerknuepft => "Mit Familie verknüpft",
            DossierEvent::FamilieGeloest => "Familienverknüpfung gelöst",
            DossierEvent::UebergabeBeantragt => "Übergabe an andere Stelle beantragt",
            DossierEvent::UebergabeAbgelehnt => "Übergabe abgelehnt",
            DossierEvent::UebergabeAngenommen => "Übergabe angenommen",
            DossierEvent::AbschlussBeantragt => "Abschluss zur Genehmigung vorgelegt",
            DossierEvent::AbschlussAbgelehnt => "Abschluss nicht genehmigt",
            DossierEvent::Abgeschlossen => "Dossier abgeschlossen",
            DossierEvent::Wiedereroeffnet => "Dossier wiedereröffnet",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.code() == code)
    }
}

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DossierStatus {
    Eroeffnet,
    InAbklaerung,
    HilfsplanAktiv,
    Abgeschlossen,
}

impl DossierStatus {
    pub fn label(self) -> &'static str {
        match self {
            DossierStatus::Eroeffnet => "eröffnet",
            DossierStatus::InAbklaerung => "in Abklärung",
            DossierStatus::HilfsplanAktiv => "Hilfsplan aktiv",
            DossierStatus::Abgeschlossen => "abgeschlossen",
        }
    }

    /// The status after `events`, oldest first. A reopened dossier continues where it stood before closing.
    pub fn after(events: &[DossierEvent]) -> Self {
        let closed = events
            .iter()
            .rev()
            .find(|event| matches!(event, DossierEvent::Abgeschlossen | DossierEvent::Wiedereroeffnet))
            == Some(&DossierEvent::Abgeschlossen);
        if closed {
            DossierStatus::Abgeschlossen
        } else if events.contains(&DossierEvent::ZielErfasst) {
            DossierStatus::HilfsplanAktiv
        } else if events.contains(&DossierEvent::Kurzassessment) {
            DossierStatus::InAbklaerung
        } else {
            DossierStatus::Eroeffnet
        }
    }
}

/// Why a dossier is closed (DOMAIN.md, "The case", step 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbschlussGrund {
    NachhaltigIntegriert,
    WegzugAusserkantonal,
    AbloesungSozialhilfe,
    Tod,
    Anderer,
}

impl Choice for AbschlussGrund {
    const ALL: &'static [Self] = &[
        AbschlussGrund::NachhaltigIntegriert,
        AbschlussGrund::AbloesungSozialhilfe,
        AbschlussGrund::WegzugAusserkantonal,
        AbschlussGrund::Tod,
        AbschlussGrund::Anderer,
    ];

    fn code(self) -> &'static str {
        match self {
            AbschlussGrund::NachhaltigIntegriert => "nachhaltig_integriert",
            AbschlussGrund::WegzugAusserkantonal => "wegzug_ausserkantonal",
            AbschlussGrund::AbloesungSozialhilfe => "abloesung_sozialhilfe",
            AbschlussGrund::Tod => "tod",
            AbschlussGrund::Anderer => "anderer",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AbschlussGrund::NachhaltigIntegriert => "nachhaltig integriert",
            AbschlussGrund::WegzugAusserkantonal => "Wegzug ausserkantonal",
            AbschlussGrund::AbloesungSozialhilfe => "Ablösung von der Sozialhilfe",
            AbschlussGrund::Tod => "Tod",
            AbschlussGrund::Anderer => "anderer Grund",
        }
    }
}

/// Closing: a reason from the list; «anderer Grund» needs an explanation.
pub fn parse_abschluss(grund: &str, bemerkung: &str) -> Result<(AbschlussGrund, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    errors.check_texts(&[("bemerkung", bemerkung, TextLimit::Note)]);
    let bemerkung = bemerkung.trim().to_owned();
    match AbschlussGrund::from_code(grund) {
        None => errors.add("grund", "Bitte den Grund des Abschlusses wählen."),
        Some(AbschlussGrund::Anderer) if bemerkung.is_empty() => {
            errors.add("bemerkung", "Bitte den anderen Grund kurz beschreiben.")
        }
        Some(grund) if errors.is_empty() => return Ok((grund, bemerkung)),
        Some(_) => {}
    }
    Err(errors)
}

/// The Standortbestimmung is due at most 12 months after the last one, or after the Kurzassessment.
pub fn next_standortbestimmung(
    kurzassessment: Option<NaiveDate>,
    last_standortbestimmung: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let since = last_standortbestimmung.or(kurzassessment)?;
    since.checked_add_months(Months::new(12))
}

/// Fields of action of the model (seed 002, chapter 3); every Hilfsplan goal belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handlungsfeld {
    SozialeIntegration,
    Bildungsintegration,
    Arbeitsintegration,
    Sprachfoerderung,
}

impl Choice for Handlungsfeld {
    const ALL: &'static [Self] = &[
        Handlungsfeld::Sprachfoerderung,
        Handlungsfeld::Arbeitsintegration,
        Handlungsfeld::Bildungsintegration,
        Handlungsfeld::SozialeIntegration,
    ];

    fn code(self) -> &'static str {
        match self {
            Handlungsfeld::SozialeIntegration => "soziale_integration",
            Handlungsfeld::Bildungsintegration => "bildungsintegration",
            Handlungsfeld::Arbeitsintegration => "arbeitsintegration",
            Handlungsfeld::Sprachfoerderung => "sprachfoerderung",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Handlungsfeld::SozialeIntegration => "Soziale Integration",
            Handlungsfeld::Bildungsintegration => "Bildungsintegration",
            Handlungsfeld::Arbeitsintegration => "Arbeitsintegration",
            Handlungsfeld::Sprachfoerderung => "Sprachförderung ab 16",
        }
    }
}

/// A goal of the individueller Hilfsplan: what is to be reached, how one sees it is reached, and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ziel {
    pub handlungsfeld: Handlungsfeld,
    pub ziel: String,
    pub kriterium: String,
    pub faellig_am: NaiveDate,
}

/// The goal form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZielInput {
    pub handlungsfeld: String,
    pub ziel: String,
    pub kriterium: String,
    pub faellig_am: String,
}

impl ZielInput {
    /// A goal needs a field of action, a text, a criterion and a due date not in the past.
    pub fn parse(&self, today: NaiveDate) -> Result<Ziel, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("ziel", &self.ziel, TextLimit::Note), ("kriterium", &self.kriterium, TextLimit::Note)]);
        let handlungsfeld = errors
            .check("handlungsfeld", pick::<Handlungsfeld>(&self.handlungsfeld, "Bitte das Handlungsfeld wählen."));
        let ziel = errors.check("ziel", required_text(&self.ziel, "Bitte das Ziel beschreiben."));
        let kriterium = errors
            .check("kriterium", required_text(&self.kriterium, "Bitte angeben, woran man das Erreichen erkennt."));
        let faellig_am = errors.check(
            "faellig_am",
            exact_date(&self.faellig_am).and_then(|date| {
                if date < today {
                    Err("Das Fälligkeitsdatum liegt in der Vergangenheit.".to_owned())
                } else {
                    Ok(date)
                }
            }),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        let complete = || {
            Some(Ziel { handlungsfeld: handlungsfeld?, ziel: ziel?, kriterium: kriterium?, faellig_am: faellig_am? })
        };
        complete().ok_or(errors)
    }
}

/// How a Standortbestimmung judges a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bewertung {
    Erreicht,
    TeilweiseErreicht,
    NichtErreicht,
    Angepasst,
}

impl Choice for Bewertung {
    const ALL: &'static [Self] =
        &[Bewertung::Erreicht, Bewertung::TeilweiseErreicht, Bewertung::NichtErreicht, Bewertung::Angepasst];

    fn code(self) -> &'static str {
        match self {
            Bewertung::Erreicht => "erreicht",
            Bewertung::TeilweiseErreicht => "teilweise",
            Bewertung::NichtErreicht => "nicht_erreicht",
            Bewertung::Angepasst => "angepasst",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Bewertung::Erreicht => "erreicht",
            Bewertung::TeilweiseErreicht => "teilweise erreicht",
            Bewertung::NichtErreicht => "nicht erreicht",
            Bewertung::Angepasst => "Ziel angepasst",
        }
    }
}

/// The judgement of one goal in a Standortbestimmung.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZielBewertung {
    pub ziel_id: i64,
    pub bewertung: Bewertung,
    pub kommentar: String,
}

/// A Standortbestimmung: at least yearly, it judges every open goal of the Hilfsplan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standortbestimmung {
    pub datum: NaiveDate,
    pub bewertungen: Vec<ZielBewertung>,
    pub bemerkungen: String,
}

/// One submitted answer per open goal: (goal id, judgement code, comment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandortbestimmungInput {
    pub datum: String,
    pub antworten: Vec<(i64, String, String)>,
    pub bemerkungen: String,
}

impl StandortbestimmungInput {
    /// Every goal in `open_goals` needs a judgement; messages go to the field `bewertung_<id>`.
    pub fn parse(&self, open_goals: &[i64], today: NaiveDate) -> Result<Standortbestimmung, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("bemerkungen", &self.bemerkungen, TextLimit::Note)]);
        let datum = errors.check("datum", full_date(&self.datum, today));
        if open_goals.is_empty() {
            errors.add("datum", "Der Hilfsplan hat keine offenen Ziele. Bitte zuerst ein Ziel erfassen.");
        }
        let mut bewertungen = Vec::new();
        for goal in open_goals {
            let answer = self.antworten.iter().find(|(id, _, _)| id == goal);
            match answer.and_then(|(_, code, comment)| Bewertung::from_code(code).map(|b| (b, comment))) {
                Some((bewertung, kommentar)) => bewertungen.push(ZielBewertung {
                    ziel_id: *goal,
                    bewertung,
                    kommentar: kommentar.trim().to_owned(),
                }),
                None => errors.add_owned(format!("bewertung_{goal}"), "Bitte dieses Ziel bewerten."),
            }
        }
        match datum {
            Some(datum) if errors.is_empty() => {
                Ok(Standortbestimmung { datum, bewertungen, bemerkungen: self.bemerkungen.trim().to_owned() })
            }
            _ => Err(errors),
        }
    }
}

/// Direction of integration the Kurzassessment decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Richtung {
    Arbeitsmarktlich,
    Sozial,
}

impl Choice for Richtung {
    const ALL: &'static [Self] = &[Richtung::Arbeitsmarktlich, Richtung::Sozial];

    fn code(self) -> &'static str {
        match self {
            Richtung::Arbeitsmarktlich => "arbeitsmarktlich",
            Richtung::Sozial => "sozial",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Richtung::Arbeitsmarktlich => "arbeitsmarktliche Integration",
            Richtung::Sozial => "soziale Integration",
        }
    }
}

/// Reading and writing in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literalitaet {
    Alphabetisiert,
    Teilweise,
    NichtAlphabetisiert,
}

impl Choice for Literalitaet {
    const ALL: &'static [Self] =
        &[Literalitaet::Alphabetisiert, Literalitaet::Teilweise, Literalitaet::NichtAlphabetisiert];

    fn code(self) -> &'static str {
        match self {
            Literalitaet::Alphabetisiert => "alphabetisiert",
            Literalitaet::Teilweise => "teilweise",
            Literalitaet::NichtAlphabetisiert => "nicht_alphabetisiert",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Literalitaet::Alphabetisiert => "liest und schreibt sicher (in irgendeiner Sprache)",
            Literalitaet::Teilweise => "liest und schreibt teilweise",
            Literalitaet::NichtAlphabetisiert => "nicht alphabetisiert",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arbeitserfahrung {
    Keine,
    NurAusland,
    Schweiz,
}

impl Choice for Arbeitserfahrung {
    const ALL: &'static [Self] = &[Arbeitserfahrung::Keine, Arbeitserfahrung::NurAusland, Arbeitserfahrung::Schweiz];

    fn code(self) -> &'static str {
        match self {
            Arbeitserfahrung::Keine => "keine",
            Arbeitserfahrung::NurAusland => "ausland",
            Arbeitserfahrung::Schweiz => "schweiz",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Arbeitserfahrung::Keine => "keine Arbeitserfahrung",
            Arbeitserfahrung::NurAusland => "Arbeitserfahrung nur im Ausland",
            Arbeitserfahrung::Schweiz => "Arbeitserfahrung in der Schweiz",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Potenzial {
    Hoch,
    Mittel,
    Gering,
    Unklar,
}

impl Choice for Potenzial {
    const ALL: &'static [Self] = &[Potenzial::Hoch, Potenzial::Mittel, Potenzial::Gering, Potenzial::Unklar];

    fn code(self) -> &'static str {
        match self {
            Potenzial::Hoch => "hoch",
            Potenzial::Mittel => "mittel",
            Potenzial::Gering => "gering",
            Potenzial::Unklar => "unklar",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Potenzial::Hoch => "hoch",
            Potenzial::Mittel => "mittel",
            Potenzial::Gering => "gering",
            Potenzial::Unklar => "unklar (Praxisassessment prüfen)",
        }
    }
}

/// Version of the standardised Kurzassessment form. A new version adds a new struct and keeps this one, so
/// that earlier assessments stay readable as they were answered.
pub const KURZASSESSMENT_VERSION: i32 = 1;

/// The standardised Kurzassessment, version 1 (DOMAIN.md, "The case", step 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kurzassessment {
    pub datum: NaiveDate,
    pub richtung: Richtung,
    pub sprachfoerderbedarf: bool,
    /// Years of schooling; fewer than 6 is «schulungsgewohnt» in the seed's words (not used to school).
    pub schuljahre: u8,
    pub literalitaet: Literalitaet,
    pub arbeitserfahrung: Arbeitserfahrung,
    pub potenzial: Potenzial,
    pub dolmetschende: bool,
    pub bemerkungen: String,
}

impl Kurzassessment {
    /// At least six years of schooling: «schulgewohnt».
    pub fn schulgewohnt(&self) -> bool {
        self.schuljahre >= 6
    }
}

/// The Kurzassessment form as submitted, all text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KurzassessmentInput {
    pub datum: String,
    pub richtung: String,
    pub sprachfoerderbedarf: String,
    pub schuljahre: String,
    pub literalitaet: String,
    pub arbeitserfahrung: String,
    pub potenzial: String,
    pub dolmetschende: String,
    pub bemerkungen: String,
}

impl KurzassessmentInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Kurzassessment, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("bemerkungen", &self.bemerkungen, TextLimit::Note)]);
        let datum = errors.check("datum", full_date(&self.datum, today));
        let richtung = errors.check("richtung", pick::<Richtung>(&self.richtung, "Bitte die Richtung wählen."));
        let sprachfoerderbedarf =
            errors.check("sprachfoerderbedarf", yes_no(&self.sprachfoerderbedarf, "Bitte ja oder nein wählen."));
        let schuljahre = errors.check("schuljahre", school_years(&self.schuljahre));
        let literalitaet = errors.check(
            "literalitaet",
            pick::<Literalitaet>(&self.literalitaet, "Bitte die Lese- und Schreibfähigkeit wählen."),
        );
        let arbeitserfahrung = errors.check(
            "arbeitserfahrung",
            pick::<Arbeitserfahrung>(&self.arbeitserfahrung, "Bitte die Arbeitserfahrung wählen."),
        );
        let potenzial =
            errors.check("potenzial", pick::<Potenzial>(&self.potenzial, "Bitte das Potenzial einschätzen."));
        let dolmetschende = errors.check("dolmetschende", yes_no(&self.dolmetschende, "Bitte ja oder nein wählen."));
        if !errors.is_empty() {
            return Err(errors);
        }
        let complete = || {
            Some(Kurzassessment {
                datum: datum?,
                richtung: richtung?,
                sprachfoerderbedarf: sprachfoerderbedarf?,
                schuljahre: schuljahre?,
                literalitaet: literalitaet?,
                arbeitserfahrung: arbeitserfahrung?,
                potenzial: potenzial?,
                dolmetschende: dolmetschende?,
                bemerkungen: self.bemerkungen.trim().to_owned(),
            })
        };
        complete().ok_or(errors)
    }
}

/// A full date (day, month, year) that is not in the future: the day something happened.
pub fn full_date(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = exact_date(text)?;
    if date > today {
        return Err("Das Datum liegt in der Zukunft.".to_owned());
    }
    Ok(date)
}

/// A full date in Swiss or ISO notation.
pub(crate) fn exact_date(text: &str) -> Result<NaiveDate, String> {
    let date = PartialDate::parse(text).map_err(|e| e.to_string())?;
    match (date.month(), date.day()) {
        (Some(month), Some(day)) => {
            NaiveDate::from_ymd_opt(date.year(), month, day).ok_or_else(|| "Dieses Datum gibt es nicht.".to_owned())
        }
        _ => Err("Bitte das vollständige Datum angeben (TT.MM.JJJJ).".to_owned()),
    }
}

pub(crate) fn required_text(text: &str, missing: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() { Err(missing.to_owned()) } else { Ok(text.to_owned()) }
}

pub(crate) fn pick<C: Choice>(code: &str, missing: &str) -> Result<C, String> {
    C::from_code(code).ok_or_else(|| missing.to_owned())
}

pub(crate) fn yes_no(text: &str, missing: &str) -> Result<bool, String> {
    match text.trim() {
        "ja" => Ok(true),
        "nein" => Ok(false),
        _ => Err(missing.to_owned()),
    }
}

fn school_years(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(years) if years <= 30 => Ok(years),
        _ => Err("Bitte die Anzahl Schuljahre als Zahl von 0 bis 30 angeben.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonInput;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn person(nationality: &str, status: &str, birth: &str) -> PersonData {
        PersonInput {
            nachname: "Test".into(),
            vornamen: "Person".into(),
            geschlecht: "weiblich".into(),
            geburtsdatum: birth.into(),
            nationalitaet: nationality.into(),
            aufenthaltsstatus: status.into(),
            wohngemeinde_bfs: "2581".into(),
            ..PersonInput::default()
        }
        .parse(today())
        .unwrap()
    }

    #[test]
    fn target_groups_follow_from_status_and_age() {
        let young_va = person("ER", "F", "2005");
        let groups = TargetGroups::derive(&young_va, false, false, today());
        assert_eq!(groups.asyl, Some(AsylStatus::Va));
        assert!(groups.jugendliche);
        let older_fl = person("SY", "B-FL", "1980");
        let groups = TargetGroups::derive(&older_fl, true, false, today());
        assert_eq!(groups.asyl, Some(AsylStatus::Fl));
        assert!(!groups.jugendliche);
        assert_eq!(groups.labels(), vec!["Asyl: anerkannter Flüchtling (FL)", "Sozialhilfe"]);
    }

    #[test]
    fn swiss_and_short_stay_need_sozialhilfe_to_be_in_the_target_group() {
        let swiss = person("CH", "CH", "1990");
        let short = person("PT", "L", "1990");
        let resident = person("PT", "B", "1990");
        let without = TargetGroups::default();
        let with = TargetGroups { sozialhilfe: true, ..TargetGroups::default() };
        assert_eq!(check_eligibility(&swiss, &without), Err(EligibilityError::SwissWithoutSozialhilfe));
        assert_eq!(check_eligibility(&short, &without), Err(EligibilityError::ShortStayWithoutSozialhilfe));
        assert_eq!(check_eligibility(&swiss, &with), Ok(()));
        assert_eq!(check_eligibility(&short, &with), Ok(()));
        assert_eq!(check_eligibility(&resident, &without), Ok(()));
    }

    #[test]
    fn status_follows_the_events() {
        use DossierEvent::*;
        assert_eq!(DossierStatus::after(&[Eroeffnet]), DossierStatus::Eroeffnet);
        assert_eq!(DossierStatus::after(&[Eroeffnet, Kurzassessment]), DossierStatus::InAbklaerung);
        assert_eq!(DossierStatus::after(&[Eroeffnet, Kurzassessment, ZielErfasst]), DossierStatus::HilfsplanAktiv);
        assert_eq!(
            DossierStatus::after(&[Eroeffnet, Kurzassessment, ZielErfasst, Abgeschlossen]),
            DossierStatus::Abgeschlossen
        );
        assert_eq!(
            DossierStatus::after(&[Eroeffnet, Kurzassessment, ZielErfasst, Abgeschlossen, Wiedereroeffnet]),
            DossierStatus::HilfsplanAktiv,
            "a reopened dossier continues with its plan"
        );
    }

    #[test]
    fn standortbestimmung_is_due_twelve_months_after_the_last_standortbestimmung_or_the_assessment() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(next_standortbestimmung(None, None), None);
        assert_eq!(next_standortbestimmung(Some(date(2026, 2, 10)), None), Some(date(2027, 2, 10)));
        assert_eq!(next_standortbestimmung(Some(date(2025, 1, 5)), Some(date(2026, 3, 1))), Some(date(2027, 3, 1)));
        assert_eq!(next_standortbestimmung(Some(date(2024, 2, 29)), None), Some(date(2025, 2, 28)));
    }

    fn assessment_input() -> KurzassessmentInput {
        KurzassessmentInput {
            datum: "20.11.2026".into(),
            richtung: "arbeitsmarktlich".into(),
            sprachfoerderbedarf: "ja".into(),
            schuljahre: "5".into(),
            literalitaet: "teilweise".into(),
            arbeitserfahrung: "ausland".into(),
            potenzial: "mittel".into(),
            dolmetschende: "ja".into(),
            bemerkungen: "  Tigrinya-Dolmetscherin ".into(),
        }
    }

    #[test]
    fn closing_needs_a_reason_and_an_explanation_for_other_reasons() {
        assert_eq!(
            parse_abschluss("nachhaltig_integriert", ""),
            Ok((AbschlussGrund::NachhaltigIntegriert, String::new()))
        );
        assert!(parse_abschluss("", "").unwrap_err().get("grund").is_some());
        assert!(parse_abschluss("anderer", " ").unwrap_err().get("bemerkung").is_some());
        assert_eq!(parse_abschluss("anderer", " Rückkehr ").map(|(_, text)| text), Ok("Rückkehr".to_owned()));
    }

    #[test]
    fn a_goal_needs_all_parts_and_a_due_date_ahead() {
        let input = ZielInput {
            handlungsfeld: "sprachfoerderung".into(),
            ziel: " Deutsch A2 ".into(),
            kriterium: "fide-Test A2 bestanden".into(),
            faellig_am: "30.06.2027".into(),
        };
        let ziel = input.parse(today()).unwrap();
        assert_eq!(ziel.ziel, "Deutsch A2");
        assert_eq!(ziel.handlungsfeld, Handlungsfeld::Sprachfoerderung);
        let past = ZielInput { faellig_am: "01.01.2026".into(), ..input.clone() };
        assert_eq!(
            past.parse(today()).unwrap_err().get("faellig_am"),
            Some("Das Fälligkeitsdatum liegt in der Vergangenheit.")
        );
        let empty = ZielInput::default().parse(today()).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["faellig_am", "handlungsfeld", "kriterium", "ziel"]);
    }

    #[test]
    fn a_standortbestimmung_judges_every_open_goal() {
        let input = StandortbestimmungInput {
            datum: "21.11.2026".into(),
            antworten: vec![(7, "erreicht".into(), " gut ".into()), (9, "teilweise".into(), String::new())],
            bemerkungen: String::new(),
        };
        let standortbestimmung = input.parse(&[7, 9], today()).unwrap();
        assert_eq!(standortbestimmung.bewertungen.len(), 2);
        assert_eq!(standortbestimmung.bewertungen[0].kommentar, "gut");
        let missing = input.parse(&[7, 9, 11], today()).unwrap_err();
        assert_eq!(missing.get("bewertung_11"), Some("Bitte dieses Ziel bewerten."));
        let no_goals = input.parse(&[], today()).unwrap_err();
        assert!(no_goals.get("datum").unwrap().contains("keine offenen Ziele"));
    }

    #[test]
    fn kurzassessment_parses_and_knows_schulgewohnt() {
        let assessment = assessment_input().parse(today()).unwrap();
        assert!(!assessment.schulgewohnt(), "fewer than six school years");
        assert_eq!(assessment.bemerkungen, "Tigrinya-Dolmetscherin");
        let six = KurzassessmentInput { schuljahre: "6".into(), ..assessment_input() };
        assert!(six.parse(today()).unwrap().schulgewohnt());
    }

    #[test]
    fn kurzassessment_reports_each_missing_answer() {
        let input = KurzassessmentInput {
            datum: "2026".into(),
            schuljahre: "viele".into(),
            richtung: String::new(),
            ..assessment_input()
        };
        let errors = input.parse(today()).unwrap_err();
        assert_eq!(errors.get("datum"), Some("Bitte das vollständige Datum angeben (TT.MM.JJJJ)."));
        assert!(errors.get("schuljahre").is_some());
        assert_eq!(errors.get("richtung"), Some("Bitte die Richtung wählen."));
        let future = KurzassessmentInput { datum: "22.11.2026".into(), ..assessment_input() };
        assert_eq!(future.parse(today()).unwrap_err().get("datum"), Some("Das Datum liegt in der Zukunft."));
    }
}

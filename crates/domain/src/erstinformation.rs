//! start.integration, Informieren and Fordern (seed 000, Schwerpunkt «Informieren»; DOMAIN.md
//! "start.integration"): every Neuzuzüger from abroad is invited to an Erstinformationsgespräch; the
//! Integrationsbeauftragte records the invitation, the conversation and its Empfehlungen, and may hand the case
//! to the Migrationsamt with a recommendation for an Integrationsvereinbarung or -empfehlung (Fordern).
//!
//! The rules live here: which status may follow which, what a conversation record must contain, and what a
//! hand-over and the Migrationsamt's decision must state, and why the register import skipped or refused an
//! event (`Ereignisart`, `Uebersprungen`, `Abgelehnt`): typed, so that the store keeps a code and the screens
//! group identical reasons.

use crate::catalog;
use crate::dossier::{exact_date, pick, required_text, yes_no};
use crate::field_errors::FieldErrors;
use crate::limits::TextLimit;
use crate::person::Choice;
use chrono::NaiveDate;

/// Where a Neuzuzüger stands in the Erstinformation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NeuzuzuegerStatus {
    Einzuladen,
    Eingeladen,
    Gefuehrt,
    Abgelehnt,
    NichtErreicht,
    Weggezogen,
}

impl Choice for NeuzuzuegerStatus {
    const ALL: &'static [Self] = &[
        NeuzuzuegerStatus::Einzuladen,
        NeuzuzuegerStatus::Eingeladen,
        NeuzuzuegerStatus::Gefuehrt,
        NeuzuzuegerStatus::Abgelehnt,
        NeuzuzuegerStatus::NichtErreicht,
        NeuzuzuegerStatus::Weggezogen,
    ];

    fn code(self) -> &'static str {
        match self {
            NeuzuzuegerStatus::Einzuladen => "einzuladen",
            NeuzuzuegerStatus::Eingeladen => "eingeladen",
            NeuzuzuegerStatus::Gefuehrt => "gefuehrt",
            NeuzuzuegerStatus::Abgelehnt => "abgelehnt",
            NeuzuzuegerStatus::NichtErreicht => "nicht_erreicht",
            NeuzuzuegerStatus::Weggezogen => "weggezogen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            NeuzuzuegerStatus::Einzuladen => "einzuladen",
            NeuzuzuegerStatus::Eingeladen => "eingeladen",
            NeuzuzuegerStatus::Gefuehrt => "Gespräch geführt",
            NeuzuzuegerStatus::Abgelehnt => "abgelehnt",
            NeuzuzuegerStatus::NichtErreicht => "nicht erreicht",
            NeuzuzuegerStatus::Weggezogen => "weggezogen",
        }
    }
}

impl NeuzuzuegerStatus {
    /// Whether the Integrationsbeauftragte may set `next` by hand. A held conversation and a move away are
    /// final; a conversation is recorded with its own form, never by a status change alone.
    pub fn may_change_to(self, next: NeuzuzuegerStatus) -> bool {
        use NeuzuzuegerStatus::*;
        matches!(
            (self, next),
            (Einzuladen, Eingeladen | Abgelehnt | NichtErreicht)
                | (Eingeladen, Abgelehnt | NichtErreicht | Eingeladen)
                | (NichtErreicht, Eingeladen | Abgelehnt)
                | (Abgelehnt, Eingeladen)
        )
    }

    /// Whether a conversation may still be recorded.
    pub fn conversation_possible(self) -> bool {
        !matches!(self, NeuzuzuegerStatus::Gefuehrt | NeuzuzuegerStatus::Weggezogen)
    }

    /// Whether the Neuzuzüger still waits for the Integrationsbeauftragte (the default list).
    pub fn open(self) -> bool {
        matches!(self, NeuzuzuegerStatus::Einzuladen | NeuzuzuegerStatus::Eingeladen | NeuzuzuegerStatus::NichtErreicht)
    }
}

/// A status change the Integrationsbeauftragte records: invited (with the date), declined, not reached.
#[derive(Debug, Clone, Default)]
pub struct StatusInput {
    pub status: String,
    pub datum: String,
}

/// A checked status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusWechsel {
    pub status: NeuzuzuegerStatus,
    /// The invitation date; required when inviting.
    pub eingeladen_am: Option<NaiveDate>,
}

impl StatusInput {
    pub fn check(&self, current: NeuzuzuegerStatus) -> Result<StatusWechsel, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = errors.check("status", pick::<NeuzuzuegerStatus>(&self.status, "Bitte den neuen Status wählen."));
        let mut eingeladen_am = None;
        if let Some(status) = status {
            if !current.may_change_to(status) {
                errors.add(
                    "status",
                    format!("Von «{}» kann der Status nicht auf «{}» wechseln.", current.label(), status.label()),
                );
            }
            if status == NeuzuzuegerStatus::Eingeladen {
                eingeladen_am = if self.datum.trim().is_empty() {
                    errors.add("datum", "Bitte das Datum der Einladung angeben.");
                    None
                } else {
                    errors.check("datum", exact_date(&self.datum))
                };
            }
        }
        match status {
            Some(status) if errors.is_empty() => Ok(StatusWechsel { status, eingeladen_am }),
            _ => Err(errors),
        }
    }
}

/// Topics of the Erstinformationsgespräch (the canton's guide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thema {
    Wohnen,
    Arbeit,
    Sprache,
    SchuleKinder,
    Gesundheit,
    Versicherungen,
    RechtePflichten,
    FreizeitVereine,
    Beratung,
    Finanzen,
}

impl Choice for Thema {
    const ALL: &'static [Self] = &[
        Thema::Wohnen,
        Thema::Arbeit,
        Thema::Sprache,
        Thema::SchuleKinder,
        Thema::Gesundheit,
        Thema::Versicherungen,
        Thema::RechtePflichten,
        Thema::FreizeitVereine,
        Thema::Beratung,
        Thema::Finanzen,
    ];

    fn code(self) -> &'static str {
        match self {
            Thema::Wohnen => "wohnen",
            Thema::Arbeit => "arbeit",
            Thema::Sprache => "sprache",
            Thema::SchuleKinder => "schule_kinder",
            Thema::Gesundheit => "gesundheit",
            Thema::Versicherungen => "versicherungen",
            Thema::RechtePflichten => "rechte_pflichten",
            Thema::FreizeitVereine => "freizeit_vereine",
            Thema::Beratung => "beratung",
            Thema::Finanzen => "finanzen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Thema::Wohnen => "Wohnen",
            Thema::Arbeit => "Arbeit und Erwerb",
            Thema::Sprache => "Deutsch lernen",
            Thema::SchuleKinder => "Schule und Kinderbetreuung",
            Thema::Gesundheit => "Gesundheit",
            Thema::Versicherungen => "Versicherungen und Vorsorge",
            Thema::RechtePflichten => "Rechte und Pflichten",
            Thema::FreizeitVereine => "Freizeit, Vereine, Nachbarschaft",
            Thema::Beratung => "Beratungsstellen",
            Thema::Finanzen => "Finanzen und Steuern",
        }
    }
}

/// What an Empfehlung points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmpfehlungArt {
    Deutschkurs,
    Angebot,
    Beratung,
    Andere,
}

impl Choice for EmpfehlungArt {
    const ALL: &'static [Self] =
        &[EmpfehlungArt::Deutschkurs, EmpfehlungArt::Angebot, EmpfehlungArt::Beratung, EmpfehlungArt::Andere];

    fn code(self) -> &'static str {
        match self {
            EmpfehlungArt::Deutschkurs => "deutschkurs",
            EmpfehlungArt::Angebot => "angebot",
            EmpfehlungArt::Beratung => "beratung",
            EmpfehlungArt::Andere => "andere",
        }
    }

    fn label(self) -> &'static str {
        match self {
            EmpfehlungArt::Deutschkurs => "Deutschkurs",
            EmpfehlungArt::Angebot => "Integrationsangebot",
            EmpfehlungArt::Beratung => "Beratungsstelle",
            EmpfehlungArt::Andere => "Andere",
        }
    }
}

/// One Empfehlung as typed into the form (kind, free text and the number of an offer of the
/// Angebotsplattform; empty rows are ignored).
#[derive(Debug, Clone, Default)]
pub struct EmpfehlungInput {
    pub art: String,
    pub text: String,
    pub angebot: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Empfehlung {
    pub art: EmpfehlungArt,
    pub text: String,
    /// The recommended offer; whether it is published is checked where the offers are, in the store.
    pub angebot_id: Option<i64>,
}

/// The Erstinformationsgespräch as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct GespraechInput {
    pub gefuehrt_am: String,
    pub sprache: String,
    pub dolmetscher: String,
    pub themen: Vec<String>,
    pub bemerkungen: String,
    pub empfehlungen: Vec<EmpfehlungInput>,
    pub nachfassen_am: String,
}

/// A checked conversation record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gespraech {
    pub gefuehrt_am: NaiveDate,
    pub sprache: String,
    pub dolmetscher: bool,
    pub themen: Vec<Thema>,
    pub bemerkungen: String,
    pub empfehlungen: Vec<Empfehlung>,
    pub nachfassen_am: Option<NaiveDate>,
}

impl GespraechInput {
    /// Checks the record against the arrival date and today: a conversation cannot lie before the arrival
    /// or in the future, and a follow-up lies after the conversation.
    pub fn check(&self, zuzug_am: NaiveDate, today: NaiveDate) -> Result<Gespraech, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("bemerkungen", &self.bemerkungen, TextLimit::Note)]);
        let gefuehrt_am = errors.check("gefuehrt_am", exact_date(&self.gefuehrt_am));
        if let Some(date) = gefuehrt_am {
            if date > today {
                errors.add("gefuehrt_am", "Das Gespräch kann nicht in der Zukunft liegen.");
            } else if date < zuzug_am {
                errors.add("gefuehrt_am", "Das Gespräch kann nicht vor dem Zuzug liegen.");
            }
        }
        let sprache = errors.check("sprache", conversation_language(&self.sprache));
        let dolmetscher = errors
            .check("dolmetscher", yes_no(&self.dolmetscher, "Bitte angeben, ob eine dolmetschende Person dabei war."));
        let themen = errors.check("themen", topics(&self.themen));
        let empfehlungen = recommendations(&self.empfehlungen, &mut errors);
        let nachfassen_am = match self.nachfassen_am.trim() {
            "" => None,
            text => errors.check("nachfassen_am", exact_date(text)),
        };
        if let (Some(follow_up), Some(held)) = (nachfassen_am, gefuehrt_am)
            && follow_up <= held
        {
            errors.add("nachfassen_am", "Das Nachfassen liegt nach dem Gespräch.");
        }
        match (gefuehrt_am, sprache, dolmetscher, themen) {
            (Some(gefuehrt_am), Some(sprache), Some(dolmetscher), Some(themen)) if errors.is_empty() => Ok(Gespraech {
                gefuehrt_am,
                sprache,
                dolmetscher,
                themen,
                bemerkungen: self.bemerkungen.trim().to_owned(),
                empfehlungen,
                nachfassen_am,
            }),
            _ => Err(errors),
        }
    }
}

fn conversation_language(code: &str) -> Result<String, String> {
    let code = code.trim();
    if code.is_empty() {
        return Err("Bitte die Sprache des Gesprächs wählen.".to_owned());
    }
    catalog::language_name(code)
        .map(|_| code.to_owned())
        .ok_or_else(|| format!("Die Sprache «{code}» kennt die Liste nicht."))
}

fn topics(codes: &[String]) -> Result<Vec<Thema>, String> {
    let mut themen = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let thema = Thema::from_code(code).ok_or_else(|| format!("Das Thema «{code}» kennt die Liste nicht."))?;
        if !themen.contains(&thema) {
            themen.push(thema);
        }
    }
    if themen.is_empty() { Err("Bitte mindestens ein besprochenes Thema wählen.".to_owned()) } else { Ok(themen) }
}

/// The filled-in rows; a row's problem is recorded on its own fields (`empfehlung_art_N`, `empfehlung_text_N`,
/// counted from 1) so that the form can show it where it belongs.
fn recommendations(rows: &[EmpfehlungInput], errors: &mut FieldErrors) -> Vec<Empfehlung> {
    let mut empfehlungen = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let text = row.text.trim();
        if text.is_empty() && row.art.trim().is_empty() && row.angebot.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        if let Err(error) = crate::limits::check_text(text, TextLimit::Note) {
            errors.add_owned(format!("empfehlung_text_{number}"), format!("Empfehlung {number}: {error}"));
        }
        let art = EmpfehlungArt::from_code(row.art.trim());
        if art.is_none() {
            errors.add_owned(format!("empfehlung_art_{number}"), format!("Empfehlung {number}: Bitte die Art wählen."));
        }
        let angebot_id = match crate::angebot::angebot_nr(&row.angebot) {
            Ok(id) => id,
            Err(message) => {
                errors.add_owned(format!("empfehlung_angebot_{number}"), format!("Empfehlung {number}: {message}"));
                None
            }
        };
        if text.is_empty() && angebot_id.is_none() {
            errors.add_owned(
                format!("empfehlung_text_{number}"),
                format!("Empfehlung {number}: Bitte beschreiben, was empfohlen wird, oder ein Angebot wählen."),
            );
        }
        if let Some(art) = art.filter(|_| !text.is_empty() || angebot_id.is_some()) {
            empfehlungen.push(Empfehlung { art, text: text.to_owned(), angebot_id });
        }
    }
    empfehlungen
}

/// What the Gemeinde recommends to the Migrationsamt (seed 000, «Fordern»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FordernEmpfehlung {
    Integrationsvereinbarung,
    Integrationsempfehlung,
}

impl Choice for FordernEmpfehlung {
    const ALL: &'static [Self] =
        &[FordernEmpfehlung::Integrationsvereinbarung, FordernEmpfehlung::Integrationsempfehlung];

    fn code(self) -> &'static str {
        match self {
            FordernEmpfehlung::Integrationsvereinbarung => "integrationsvereinbarung",
            FordernEmpfehlung::Integrationsempfehlung => "integrationsempfehlung",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FordernEmpfehlung::Integrationsvereinbarung => "Integrationsvereinbarung",
            FordernEmpfehlung::Integrationsempfehlung => "Integrationsempfehlung",
        }
    }
}

/// The Migrationsamt's decision on a hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FordernEntscheid {
    Integrationsvereinbarung,
    Integrationsempfehlung,
    Keine,
}

impl Choice for FordernEntscheid {
    const ALL: &'static [Self] = &[
        FordernEntscheid::Integrationsvereinbarung,
        FordernEntscheid::Integrationsempfehlung,
        FordernEntscheid::Keine,
    ];

    fn code(self) -> &'static str {
        match self {
            FordernEntscheid::Integrationsvereinbarung => "integrationsvereinbarung",
            FordernEntscheid::Integrationsempfehlung => "integrationsempfehlung",
            FordernEntscheid::Keine => "keine",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FordernEntscheid::Integrationsvereinbarung => "Integrationsvereinbarung abgeschlossen",
            FordernEntscheid::Integrationsempfehlung => "Integrationsempfehlung abgegeben",
            FordernEntscheid::Keine => "keine ausländerrechtliche Massnahme",
        }
    }
}

/// A hand-over to the Migrationsamt as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct UebergabeInput {
    pub empfehlung: String,
    pub begruendung: String,
}

impl UebergabeInput {
    pub fn check(&self) -> Result<(FordernEmpfehlung, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("begruendung", &self.begruendung, TextLimit::Note)]);
        let empfehlung = errors.check(
            "empfehlung",
            pick::<FordernEmpfehlung>(&self.empfehlung, "Bitte wählen, was dem Migrationsamt empfohlen wird."),
        );
        let begruendung = errors.check(
            "begruendung",
            required_text(&self.begruendung, "Bitte begründen, warum der Fall dem Migrationsamt übergeben wird."),
        );
        match (empfehlung, begruendung) {
            (Some(empfehlung), Some(begruendung)) if errors.is_empty() => Ok((empfehlung, begruendung)),
            _ => Err(errors),
        }
    }
}

/// The Migrationsamt's decision as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct EntscheidInput {
    pub entscheid: String,
    pub begruendung: String,
}

impl EntscheidInput {
    /// "None" needs a reason, so that the Gemeinde learns why its recommendation was not followed.
    pub fn check(&self) -> Result<(FordernEntscheid, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("begruendung", &self.begruendung, TextLimit::Note)]);
        let entscheid =
            errors.check("entscheid", pick::<FordernEntscheid>(&self.entscheid, "Bitte den Entscheid wählen."));
        let begruendung = self.begruendung.trim().to_owned();
        if entscheid == Some(FordernEntscheid::Keine) && begruendung.is_empty() {
            errors.add("begruendung", "Bitte begründen, warum keine Massnahme verfügt wird.");
        }
        match entscheid {
            Some(entscheid) if errors.is_empty() => Ok((entscheid, begruendung)),
            _ => Err(errors),
        }
    }
}

/// The kind of a register event, as the Integrationsbeauftragte calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ereignisart {
    Zuzug,
    Wegzug,
    Umzug,
    Geburt,
    Tod,
    /// A person of a baseDelivery (the whole register of a Gemeinde).
    Bestand,
    /// Any other kind of message (e.g. a marriage), or a part of the delivery that could not be read.
    Andere,
}

impl Choice for Ereignisart {
    const ALL: &'static [Self] = &[
        Ereignisart::Zuzug,
        Ereignisart::Wegzug,
        Ereignisart::Umzug,
        Ereignisart::Geburt,
        Ereignisart::Tod,
        Ereignisart::Bestand,
        Ereignisart::Andere,
    ];

    fn code(self) -> &'static str {
        match self {
            Ereignisart::Zuzug => "zuzug",
            Ereignisart::Wegzug => "wegzug",
            Ereignisart::Umzug => "umzug",
            Ereignisart::Geburt => "geburt",
            Ereignisart::Tod => "tod",
            Ereignisart::Bestand => "bestand",
            Ereignisart::Andere => "andere",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Ereignisart::Zuzug => "Zuzug",
            Ereignisart::Wegzug => "Wegzug",
            Ereignisart::Umzug => "Umzug",
            Ereignisart::Geburt => "Geburt",
            Ereignisart::Tod => "Tod",
            Ereignisart::Bestand => "Einwohnerbestand",
            Ereignisart::Andere => "andere Meldung",
        }
    }
}

impl Ereignisart {
    /// The kind of an eCH-0020 event element (`moveIn`, `birth`, ...), as the reader names it.
    pub fn of_ech(element: &str) -> Self {
        match element {
            "moveIn" => Ereignisart::Zuzug,
            "moveOut" => Ereignisart::Wegzug,
            "move" => Ereignisart::Umzug,
            "birth" => Ereignisart::Geburt,
            "death" => Ereignisart::Tod,
            "baseDelivery" | "messages" => Ereignisart::Bestand,
            _ => Ereignisart::Andere,
        }
    }
}

/// Why the import did not keep a register event: the Cockpit does not need it (data minimisation). Only the
/// event's kind, position and this reason are stored, nothing of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Uebersprungen {
    /// An arrival from abroad of a Swiss national.
    SchweizerStaatsangehoerigkeit,
    /// A move within the Gemeinde of a person the Cockpit does not know.
    UmzugInnerhalbDerGemeinde,
    /// A move from another Swiss Gemeinde of a person the Cockpit does not know.
    ZuzugAusDerSchweiz,
    /// A birth of a Swiss child without a parent the Cockpit knows as a foreign national.
    GeburtSchweizerKind,
    /// A birth of a foreign child whose residence the register does not name.
    GeburtOhneWohngemeinde,
    /// A move away, a death or a resident of a person the Cockpit does not know.
    PersonNichtBekannt,
    /// A kind of message the Cockpit does not use.
    MeldungNichtBenoetigt,
}

impl Choice for Uebersprungen {
    const ALL: &'static [Self] = &[
        Uebersprungen::SchweizerStaatsangehoerigkeit,
        Uebersprungen::UmzugInnerhalbDerGemeinde,
        Uebersprungen::ZuzugAusDerSchweiz,
        Uebersprungen::GeburtSchweizerKind,
        Uebersprungen::GeburtOhneWohngemeinde,
        Uebersprungen::PersonNichtBekannt,
        Uebersprungen::MeldungNichtBenoetigt,
    ];

    fn code(self) -> &'static str {
        match self {
            Uebersprungen::SchweizerStaatsangehoerigkeit => "schweizer",
            Uebersprungen::UmzugInnerhalbDerGemeinde => "umzug_in_gemeinde",
            Uebersprungen::ZuzugAusDerSchweiz => "zuzug_aus_schweiz",
            Uebersprungen::GeburtSchweizerKind => "geburt_schweizer_kind",
            Uebersprungen::GeburtOhneWohngemeinde => "geburt_ohne_gemeinde",
            Uebersprungen::PersonNichtBekannt => "nicht_bekannt",
            Uebersprungen::MeldungNichtBenoetigt => "nicht_benoetigt",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Uebersprungen::SchweizerStaatsangehoerigkeit => {
                "Schweizer Staatsangehörigkeit: kein Erstinformationsgespräch"
            }
            Uebersprungen::UmzugInnerhalbDerGemeinde => "Umzug innerhalb der Gemeinde",
            Uebersprungen::ZuzugAusDerSchweiz => {
                "Zuzug aus einer anderen Schweizer Gemeinde: kein Neuzuzüger aus dem Ausland"
            }
            Uebersprungen::GeburtSchweizerKind => "Kind mit Schweizer Staatsangehörigkeit: keine frühe Sprachförderung",
            Uebersprungen::GeburtOhneWohngemeinde => "Geburt ohne Wohngemeinde im Register",
            Uebersprungen::PersonNichtBekannt => "Person dem Cockpit nicht bekannt",
            Uebersprungen::MeldungNichtBenoetigt => "Meldung wird im Cockpit nicht gebraucht",
        }
    }
}

impl std::fmt::Display for Uebersprungen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Why the import refused a register event. A refused event is not done: a later import of the same
/// delivery tries it again (by someone in scope, or after the register corrected it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Abgelehnt {
    /// The event's Gemeinde is not one the importer answers for.
    AusserhalbZustaendigkeit,
    /// The event's Gemeinde is not a Gemeinde of the canton.
    GemeindeAusserhalbKanton,
    /// The event or the file is faulty (the reader's message names field and problem).
    FehlerInDerLieferung,
}

impl Choice for Abgelehnt {
    const ALL: &'static [Self] =
        &[Abgelehnt::AusserhalbZustaendigkeit, Abgelehnt::GemeindeAusserhalbKanton, Abgelehnt::FehlerInDerLieferung];

    fn code(self) -> &'static str {
        match self {
            Abgelehnt::AusserhalbZustaendigkeit => "ausserhalb_zustaendigkeit",
            Abgelehnt::GemeindeAusserhalbKanton => "ausserhalb_kanton",
            Abgelehnt::FehlerInDerLieferung => "fehler",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Abgelehnt::AusserhalbZustaendigkeit => "Gemeinde ausserhalb Ihres Zuständigkeitsbereichs",
            Abgelehnt::GemeindeAusserhalbKanton => "Gemeinde ausserhalb des Kantons Solothurn",
            Abgelehnt::FehlerInDerLieferung => "Fehler in der Lieferung",
        }
    }
}

impl std::fmt::Display for Abgelehnt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn valid_conversation() -> GespraechInput {
        GespraechInput {
            gefuehrt_am: "10.11.2026".to_owned(),
            sprache: "ti".to_owned(),
            dolmetscher: "ja".to_owned(),
            themen: vec!["sprache".to_owned(), "wohnen".to_owned(), "sprache".to_owned()],
            bemerkungen: " ".to_owned(),
            empfehlungen: vec![
                EmpfehlungInput {
                    art: "deutschkurs".to_owned(),
                    text: "Deutsch A1 am Abend".to_owned(),
                    angebot: String::new(),
                },
                EmpfehlungInput::default(),
            ],
            nachfassen_am: "10.02.2027".to_owned(),
        }
    }

    #[test]
    fn a_complete_conversation_is_accepted_with_duplicates_and_empty_rows_dropped() {
        let gespraech = valid_conversation().check(day(2026, 10, 1), day(2026, 11, 21)).unwrap();
        assert_eq!(gespraech.themen, vec![Thema::Sprache, Thema::Wohnen]);
        assert_eq!(gespraech.empfehlungen.len(), 1);
        assert!(gespraech.dolmetscher);
        assert_eq!(gespraech.nachfassen_am, Some(day(2027, 2, 10)));
    }

    #[test]
    fn an_empfehlung_may_name_an_offer_instead_of_a_text() {
        let input = GespraechInput {
            empfehlungen: vec![EmpfehlungInput {
                art: "angebot".to_owned(),
                angebot: "17".to_owned(),
                ..EmpfehlungInput::default()
            }],
            ..valid_conversation()
        };
        let gespraech = input.check(day(2026, 10, 1), day(2026, 11, 21)).unwrap();
        assert_eq!(gespraech.empfehlungen[0].angebot_id, Some(17));
        assert_eq!(gespraech.empfehlungen[0].text, "");
    }

    #[test]
    fn a_conversation_before_the_arrival_or_in_the_future_is_refused() {
        let errors = valid_conversation().check(day(2026, 11, 15), day(2026, 11, 21)).unwrap_err();
        assert_eq!(errors.get("gefuehrt_am"), Some("Das Gespräch kann nicht vor dem Zuzug liegen."));
        let errors = valid_conversation().check(day(2026, 10, 1), day(2026, 11, 9)).unwrap_err();
        assert_eq!(errors.get("gefuehrt_am"), Some("Das Gespräch kann nicht in der Zukunft liegen."));
    }

    #[test]
    fn missing_parts_are_named_field_by_field() {
        let input = GespraechInput {
            empfehlungen: vec![
                EmpfehlungInput { art: "beratung".to_owned(), ..EmpfehlungInput::default() },
                EmpfehlungInput { art: "angebot".to_owned(), angebot: "Kurs".to_owned(), ..EmpfehlungInput::default() },
            ],
            nachfassen_am: "01.01.2020".to_owned(),
            gefuehrt_am: "10.11.2026".to_owned(),
            ..GespraechInput::default()
        };
        let errors = input.check(day(2026, 10, 1), day(2026, 11, 21)).unwrap_err();
        assert_eq!(errors.get("sprache"), Some("Bitte die Sprache des Gesprächs wählen."));
        assert_eq!(errors.get("themen"), Some("Bitte mindestens ein besprochenes Thema wählen."));
        assert_eq!(
            errors.get("empfehlung_text_1"),
            Some("Empfehlung 1: Bitte beschreiben, was empfohlen wird, oder ein Angebot wählen."),
        );
        assert_eq!(errors.get("empfehlung_angebot_2"), Some("Empfehlung 2: Bitte ein Angebot aus der Liste wählen."));
        assert_eq!(errors.get("empfehlung_art_1"), None);
        assert_eq!(errors.get("nachfassen_am"), Some("Das Nachfassen liegt nach dem Gespräch."));
        assert!(errors.get("dolmetscher").is_some());
    }

    #[test]
    fn status_changes_follow_the_invitation_flow() {
        use NeuzuzuegerStatus::*;
        assert!(Einzuladen.may_change_to(Eingeladen));
        assert!(NichtErreicht.may_change_to(Eingeladen));
        assert!(!Gefuehrt.may_change_to(Eingeladen));
        assert!(!Weggezogen.may_change_to(Eingeladen));
        assert!(!Einzuladen.may_change_to(Gefuehrt));
        let input = StatusInput { status: "eingeladen".to_owned(), datum: String::new() };
        assert_eq!(input.check(Einzuladen).unwrap_err().get("datum"), Some("Bitte das Datum der Einladung angeben."));
        let input = StatusInput { status: "eingeladen".to_owned(), datum: "12.11.2026".to_owned() };
        assert_eq!(input.check(Einzuladen).unwrap().eingeladen_am, Some(day(2026, 11, 12)));
        let refused = input.check(Gefuehrt).unwrap_err();
        assert_eq!(
            refused.get("status"),
            Some("Von «Gespräch geführt» kann der Status nicht auf «eingeladen» wechseln.")
        );
    }

    #[test]
    fn every_register_reason_reads_back_from_its_code_and_speaks_german() {
        for reason in Uebersprungen::ALL {
            assert_eq!(Uebersprungen::from_code(reason.code()), Some(*reason));
            assert!(!reason.to_string().contains('_'), "{reason}");
        }
        for reason in Abgelehnt::ALL {
            assert_eq!(Abgelehnt::from_code(reason.code()), Some(*reason));
        }
        assert_eq!(Ereignisart::of_ech("moveIn"), Ereignisart::Zuzug);
        assert_eq!(Ereignisart::of_ech("Lieferung"), Ereignisart::Andere);
        assert_eq!(
            Uebersprungen::SchweizerStaatsangehoerigkeit.to_string(),
            "Schweizer Staatsangehörigkeit: kein Erstinformationsgespräch"
        );
    }

    #[test]
    fn a_hand_over_needs_a_recommendation_and_reasons_and_none_needs_a_reason() {
        let errors = UebergabeInput::default().check().unwrap_err();
        assert!(errors.get("empfehlung").is_some() && errors.get("begruendung").is_some());
        let input = UebergabeInput { empfehlung: "integrationsvereinbarung".to_owned(), begruendung: "x".to_owned() };
        assert_eq!(input.check().unwrap().0, FordernEmpfehlung::Integrationsvereinbarung);
        let none = EntscheidInput { entscheid: "keine".to_owned(), begruendung: " ".to_owned() };
        assert_eq!(
            none.check().unwrap_err().get("begruendung"),
            Some("Bitte begründen, warum keine Massnahme verfügt wird.")
        );
        let agreed = EntscheidInput { entscheid: "integrationsvereinbarung".to_owned(), begruendung: String::new() };
        assert_eq!(agreed.check().unwrap().0, FordernEntscheid::Integrationsvereinbarung);
    }
}

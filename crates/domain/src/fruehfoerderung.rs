//! Frühe Sprachförderung (start.integration): children of foreign-language families are accompanied from
//! birth to the Kindergarten, so that they can communicate in German when they enter it. The
//! Integrationsbeauftragte confirms the family language, contacts the family at the birth, informs it during
//! the first two years, assesses the child's German 18 months before the Kindergarten, recommends a
//! Deutschförderangebot, records the participation, and at the entry whether the child can communicate in
//! German. The canton's goal: 80 % of these children can, per Gemeinde and year.
//!
//! **The Kindergarten entry rule** ([`KindergartenRegel`]): in Solothurn the Kindergarten starts in August; a
//! child enters in the year in which it turns 4 on or before the cut-off date (Stichtag, default 31 July).
//! Both days are configuration. The assessment is planned 18 months before the entry.
//!
//! - A birthday *on* the cut-off counts as "on or before": the child enters that year.
//! - Birthdays are compared as (month, day), never by adding years to a date, so 29 February needs no special
//!   case: it lies after 28 February and before 1 March. (A cut-off on 29 February is refused: it does not
//!   exist every year.)
//! - **Partial birth dates** (only month and year, or only the year, as the register sometimes has them):
//!   the dates are computed for the *earliest* day the birth date can mean, so the assessment is never
//!   planned too late, and they are marked as provisional ([`Termine::genau`] is false) whenever another
//!   possible day would give a later entry. A year-only birth date in a canton with cut-off 31 July thus
//!   plans the entry for the earlier of the two possible years.
//! - An entry day late in the month can have no counterpart 18 months earlier (31 August → February): the
//!   assessment is then planned for the last day of that month.

use crate::catalog;
use crate::date::PartialDate;
use crate::dossier::{exact_date, pick, required_text};
use crate::field_errors::FieldErrors;
use crate::person::Choice;
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

/// The age at which a child enters the Kindergarten (HarmoS: 4 years at the cut-off).
pub const EINTRITTSALTER: i32 = 4;
/// How many months before the Kindergarten entry the German assessment is planned.
pub const ABKLAERUNG_MONATE_VOR_EINTRITT: u32 = 18;
/// How far ahead a planned assessment counts as due soon.
pub const FAELLIG_MONATE: u32 = 3;
/// The canton's goal: this share (in percent) of the children can communicate in German at the entry.
pub const ZIEL_PROZENT: u64 = 80;

/// A day of the year without the year, e.g. the cut-off 31 July (`31.07.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonatTag {
    monat: u32,
    tag: u32,
}

/// Why a day of the year in the configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonatTagError {
    #[error("«{0}» ist kein Tag im Jahr; bitte als TT.MM. angeben, z. B. 31.07.")]
    Format(String),
    #[error("Den 29. Februar gibt es nicht in jedem Jahr; bitte einen anderen Tag wählen.")]
    Schalttag,
}

impl MonatTag {
    pub fn new(monat: u32, tag: u32) -> Result<Self, MonatTagError> {
        if monat == 2 && tag == 29 {
            return Err(MonatTagError::Schalttag);
        }
        // 2001 is no leap year: every day accepted here exists in every year.
        NaiveDate::from_ymd_opt(2001, monat, tag)
            .map(|_| Self { monat, tag })
            .ok_or_else(|| MonatTagError::Format(format!("{tag:02}.{monat:02}.")))
    }

    /// Reads `31.07.`, `31.07` or `31.7.`.
    pub fn parse(text: &str) -> Result<Self, MonatTagError> {
        let format = || MonatTagError::Format(text.trim().to_owned());
        let trimmed = text.trim().trim_end_matches('.');
        let (tag, monat) = trimmed.split_once('.').ok_or_else(format)?;
        let number = |part: &str| -> Result<u32, MonatTagError> {
            if part.is_empty() || part.len() > 2 || !part.chars().all(|c| c.is_ascii_digit()) {
                return Err(format());
            }
            part.parse().map_err(|_| format())
        };
        Self::new(number(monat)?, number(tag)?)
    }

    pub fn monat(self) -> u32 {
        self.monat
    }

    pub fn tag(self) -> u32 {
        self.tag
    }

    /// This day in `jahr`; exists in every year because 29 February is refused.
    pub fn im_jahr(self, jahr: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(jahr, self.monat, self.tag)
    }
}

/// `31.07.`
impl fmt::Display for MonatTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}.", self.tag, self.monat)
    }
}

/// The canton's Kindergarten entry rule: cut-off date and first day of the Kindergarten year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindergartenRegel {
    stichtag: MonatTag,
    eintritt: MonatTag,
}

/// Solothurn: cut-off 31 July, Kindergarten from 1 August.
impl Default for KindergartenRegel {
    fn default() -> Self {
        Self { stichtag: MonatTag { monat: 7, tag: 31 }, eintritt: MonatTag { monat: 8, tag: 1 } }
    }
}

/// The dates of a child's track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termine {
    /// The first day in the Kindergarten.
    pub eintritt: NaiveDate,
    /// The planned German assessment: the entry minus 18 months.
    pub abklaerung: NaiveDate,
    /// False when the birth date is partial and a later day of it would give a later entry: the dates are
    /// then the earliest possible ones.
    pub genau: bool,
}

impl KindergartenRegel {
    pub fn new(stichtag: MonatTag, eintritt: MonatTag) -> Self {
        Self { stichtag, eintritt }
    }

    pub fn stichtag(&self) -> MonatTag {
        self.stichtag
    }

    pub fn eintritt(&self) -> MonatTag {
        self.eintritt
    }

    /// The year a child born on `geburt` enters the Kindergarten: the year it turns 4 if its birthday lies on
    /// or before the cut-off, else the year after.
    pub fn eintrittsjahr(&self, geburt: NaiveDate) -> i32 {
        let geburtstag = (geburt.month(), geburt.day());
        let spaet = geburtstag > (self.stichtag.monat, self.stichtag.tag);
        geburt.year() + EINTRITTSALTER + i32::from(spaet)
    }

    /// The first Kindergarten day of `jahr`.
    pub fn eintritt_im_jahr(&self, jahr: i32) -> NaiveDate {
        self.eintritt.im_jahr(jahr).unwrap_or(NaiveDate::MAX)
    }

    /// Entry and planned assessment for a (possibly partial) birth date; see the module documentation.
    pub fn termine(&self, geburt: PartialDate) -> Termine {
        let (frueheste, spaeteste) = moegliche_tage(geburt);
        let jahr = self.eintrittsjahr(frueheste);
        let eintritt = self.eintritt_im_jahr(jahr);
        let abklaerung = eintritt.checked_sub_months(Months::new(ABKLAERUNG_MONATE_VOR_EINTRITT)).unwrap_or(eintritt);
        Termine { eintritt, abklaerung, genau: self.eintrittsjahr(spaeteste) == jahr }
    }
}

/// The first and the last day a partial date can mean.
fn moegliche_tage(datum: PartialDate) -> (NaiveDate, NaiveDate) {
    let jahr = datum.year();
    let tag = |m: u32, d: u32| NaiveDate::from_ymd_opt(jahr, m, d).unwrap_or(NaiveDate::MIN);
    match (datum.month(), datum.day()) {
        (Some(m), Some(d)) => (tag(m, d), tag(m, d)),
        (Some(m), None) => {
            let letzter = if m == 12 { tag(12, 31) } else { tag(m + 1, 1).pred_opt().unwrap_or(NaiveDate::MIN) };
            (tag(m, 1), letzter)
        }
        (None, _) => (tag(1, 1), tag(12, 31)),
    }
}

/// Where a child's track stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Started from the register: the Integrationsbeauftragte has not yet confirmed the family language.
    FamiliensprachePruefen,
    /// Accompanied until the Kindergarten.
    Begleitung,
    /// The family speaks German: no track needed.
    KeinBedarf,
    /// The level at the Kindergarten entry is recorded.
    Abgeschlossen,
}

impl Phase {
    /// The phase from what is recorded: the level at entry closes the track; a family language that is only
    /// German (or Swiss German) means no need.
    pub fn aus(familiensprachen: Option<&[String]>, stand_erfasst: bool) -> Phase {
        match familiensprachen {
            _ if stand_erfasst => Phase::Abgeschlossen,
            None => Phase::FamiliensprachePruefen,
            Some(sprachen) if sprachen.iter().all(|s| ist_deutsch(s)) => Phase::KeinBedarf,
            Some(_) => Phase::Begleitung,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::FamiliensprachePruefen => "Familiensprache bestätigen",
            Phase::Begleitung => "in Begleitung",
            Phase::KeinBedarf => "kein Bedarf (Familiensprache Deutsch)",
            Phase::Abgeschlossen => "abgeschlossen (Stand beim Eintritt erfasst)",
        }
    }

    /// Whether the Integrationsbeauftragte still has to act (assessment, recommendation, entry).
    pub fn offen(self) -> bool {
        matches!(self, Phase::FamiliensprachePruefen | Phase::Begleitung)
    }
}

fn ist_deutsch(code: &str) -> bool {
    matches!(code, "de" | "gsw")
}

/// Whether the German assessment is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Faelligkeit {
    /// Planned date passed and no assessment recorded.
    Ueberfaellig,
    /// Planned within the next three months.
    Bald,
    Spaeter,
    /// Assessment recorded, or the track is closed or not needed.
    Erledigt,
}

impl Faelligkeit {
    pub fn von(geplant: NaiveDate, erledigt: bool, heute: NaiveDate) -> Faelligkeit {
        let bald_bis = heute.checked_add_months(Months::new(FAELLIG_MONATE)).unwrap_or(NaiveDate::MAX);
        if erledigt {
            Faelligkeit::Erledigt
        } else if geplant < heute {
            Faelligkeit::Ueberfaellig
        } else if geplant <= bald_bis {
            Faelligkeit::Bald
        } else {
            Faelligkeit::Spaeter
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Faelligkeit::Ueberfaellig => "überfällig",
            Faelligkeit::Bald => "fällig in den nächsten 3 Monaten",
            Faelligkeit::Spaeter => "geplant",
            Faelligkeit::Erledigt => "erledigt",
        }
    }
}

/// How the Integrationsbeauftragte reached the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kontaktart {
    Hausbesuch,
    Telefon,
    Brief,
    Elternberatung,
    Gemeinde,
    Anlass,
    Andere,
}

impl Choice for Kontaktart {
    const ALL: &'static [Self] = &[
        Kontaktart::Hausbesuch,
        Kontaktart::Telefon,
        Kontaktart::Brief,
        Kontaktart::Elternberatung,
        Kontaktart::Gemeinde,
        Kontaktart::Anlass,
        Kontaktart::Andere,
    ];

    fn code(self) -> &'static str {
        match self {
            Kontaktart::Hausbesuch => "hausbesuch",
            Kontaktart::Telefon => "telefon",
            Kontaktart::Brief => "brief",
            Kontaktart::Elternberatung => "elternberatung",
            Kontaktart::Gemeinde => "gemeinde",
            Kontaktart::Anlass => "anlass",
            Kontaktart::Andere => "andere",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kontaktart::Hausbesuch => "Hausbesuch",
            Kontaktart::Telefon => "Telefon",
            Kontaktart::Brief => "Brief oder Informationsmaterial",
            Kontaktart::Elternberatung => "über die Mütter- und Väterberatung",
            Kontaktart::Gemeinde => "Gespräch auf der Gemeinde",
            Kontaktart::Anlass => "Informationsanlass",
            Kontaktart::Andere => "anders",
        }
    }
}

/// The result of the German assessment 18 months before the Kindergarten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbklaerungErgebnis {
    Ausreichend,
    Foerderbedarf,
}

impl Choice for AbklaerungErgebnis {
    const ALL: &'static [Self] = &[AbklaerungErgebnis::Ausreichend, AbklaerungErgebnis::Foerderbedarf];

    fn code(self) -> &'static str {
        match self {
            AbklaerungErgebnis::Ausreichend => "ausreichend",
            AbklaerungErgebnis::Foerderbedarf => "foerderbedarf",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AbklaerungErgebnis::Ausreichend => "altersgemässe Deutschkenntnisse, keine Förderung nötig",
            AbklaerungErgebnis::Foerderbedarf => "Förderbedarf in Deutsch",
        }
    }
}

/// Whether the child can communicate in German at the Kindergarten entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verstaendigung {
    Ja,
    Teilweise,
    Nein,
}

impl Choice for Verstaendigung {
    const ALL: &'static [Self] = &[Verstaendigung::Ja, Verstaendigung::Teilweise, Verstaendigung::Nein];

    fn code(self) -> &'static str {
        match self {
            Verstaendigung::Ja => "ja",
            Verstaendigung::Teilweise => "teilweise",
            Verstaendigung::Nein => "nein",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Verstaendigung::Ja => "ja",
            Verstaendigung::Teilweise => "teilweise",
            Verstaendigung::Nein => "nein",
        }
    }
}

/// A dated contact with the family (at the birth, or an information during the first two years).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kontakt {
    pub datum: NaiveDate,
    pub art: Kontaktart,
    pub notiz: String,
}

/// The recorded German assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abklaerung {
    pub datum: NaiveDate,
    pub ergebnis: AbklaerungErgebnis,
    pub bemerkung: String,
}

/// The recommended Deutschförderangebot (free text until the Angebotsplattform exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Empfehlung {
    pub datum: NaiveDate,
    pub angebot: String,
}

/// Whether the child takes part in a Deutschförderangebot, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Teilnahme {
    pub teilnimmt: bool,
    pub von: Option<NaiveDate>,
    pub bis: Option<NaiveDate>,
}

/// The level at the Kindergarten entry and the year of the entry (the figures count by this year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandBeimEintritt {
    pub stand: Verstaendigung,
    pub jahr: i32,
}

/// What the checks of a form need to know about the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kontext {
    pub geburt: PartialDate,
    pub heute: NaiveDate,
    pub regel: KindergartenRegel,
}

/// A section of the track as typed into its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eingabe {
    Familiensprache { sprachen: Vec<String> },
    Geburtskontakt { datum: String, art: String, notiz: String },
    Kontakt { datum: String, art: String, notiz: String },
    Abklaerung { datum: String, ergebnis: String, bemerkung: String },
    Empfehlung { datum: String, angebot: String },
    Teilnahme { teilnahme: String, von: String, bis: String },
    Eintritt { stand: String, jahr: String },
}

/// A checked change of the track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aenderung {
    Familiensprache(Vec<String>),
    Geburtskontakt(Kontakt),
    /// Adds an information contact (the others replace their section).
    Kontakt(Kontakt),
    Abklaerung(Abklaerung),
    Empfehlung(Empfehlung),
    Teilnahme(Teilnahme),
    Eintritt(StandBeimEintritt),
}

impl Aenderung {
    /// The section's name, for the access log and the notices.
    pub fn abschnitt(&self) -> &'static str {
        match self {
            Aenderung::Familiensprache(_) => "Familiensprache",
            Aenderung::Geburtskontakt(_) => "Kontakt bei der Geburt",
            Aenderung::Kontakt(_) => "Informationskontakt",
            Aenderung::Abklaerung(_) => "Abklärung Deutsch",
            Aenderung::Empfehlung(_) => "Empfehlung Deutschförderangebot",
            Aenderung::Teilnahme(_) => "Teilnahme",
            Aenderung::Eintritt(_) => "Stand beim Kindergarteneintritt",
        }
    }
}

impl Eingabe {
    /// Checks the input against the child's birth date, today and the entry rule; every problem is named at
    /// its field.
    pub fn check(&self, kontext: &Kontext) -> Result<Aenderung, FieldErrors> {
        let mut errors = FieldErrors::new();
        let aenderung = match self {
            Eingabe::Familiensprache { sprachen } => {
                errors.check("sprachen", familiensprachen(sprachen)).map(Aenderung::Familiensprache)
            }
            Eingabe::Geburtskontakt { datum, art, notiz } => {
                kontakt(&mut errors, kontext, datum, art, notiz).map(Aenderung::Geburtskontakt)
            }
            Eingabe::Kontakt { datum, art, notiz } => {
                kontakt(&mut errors, kontext, datum, art, notiz).map(Aenderung::Kontakt)
            }
            Eingabe::Abklaerung { datum, ergebnis, bemerkung } => {
                errors.check_texts(&[("bemerkung", bemerkung, crate::limits::TextLimit::Note)]);
                let datum =
                    tag_seit_geburt(&mut errors, kontext, "datum", datum, "Bitte das Datum der Abklärung angeben.");
                let ergebnis = errors.check(
                    "ergebnis",
                    pick::<AbklaerungErgebnis>(ergebnis, "Bitte das Ergebnis der Abklärung wählen."),
                );
                match (datum, ergebnis) {
                    (Some(datum), Some(ergebnis)) => Some(Aenderung::Abklaerung(Abklaerung {
                        datum,
                        ergebnis,
                        bemerkung: bemerkung.trim().to_owned(),
                    })),
                    _ => None,
                }
            }
            Eingabe::Empfehlung { datum, angebot } => {
                let datum =
                    tag_seit_geburt(&mut errors, kontext, "datum", datum, "Bitte das Datum der Empfehlung angeben.");
                let angebot = errors.check(
                    "angebot",
                    required_text(angebot, "Bitte beschreiben, welches Deutschförderangebot empfohlen wird."),
                );
                match (datum, angebot) {
                    (Some(datum), Some(angebot)) => Some(Aenderung::Empfehlung(Empfehlung { datum, angebot })),
                    _ => None,
                }
            }
            Eingabe::Teilnahme { teilnahme, von, bis } => teilnahme_pruefen(&mut errors, kontext, teilnahme, von, bis),
            Eingabe::Eintritt { stand, jahr } => eintritt_pruefen(&mut errors, kontext, stand, jahr),
        };
        match aenderung {
            Some(aenderung) if errors.is_empty() => Ok(aenderung),
            _ => Err(errors),
        }
    }
}

fn familiensprachen(codes: &[String]) -> Result<Vec<String>, String> {
    let mut sprachen: Vec<String> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if catalog::language_name(code).is_none() {
            return Err(format!("Die Sprache «{code}» kennt die Liste nicht."));
        }
        if !sprachen.iter().any(|known| known == code) {
            sprachen.push(code.to_owned());
        }
    }
    if sprachen.is_empty() {
        return Err("Bitte mindestens eine Sprache wählen, die in der Familie gesprochen wird.".to_owned());
    }
    Ok(sprachen)
}

/// A full date that is neither in the future nor certainly before the birth.
fn tag_seit_geburt(
    errors: &mut FieldErrors,
    kontext: &Kontext,
    field: &'static str,
    text: &str,
    fehlt: &str,
) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        errors.add(field, fehlt);
        return None;
    }
    let datum = errors.check(field, exact_date(text))?;
    if datum > kontext.heute {
        errors.add(field, "Das Datum liegt in der Zukunft.");
        return None;
    }
    if vor_geburt(datum, kontext.geburt) {
        errors.add(field, format!("Das Datum liegt vor der Geburt ({}).", kontext.geburt));
        return None;
    }
    Some(datum)
}

fn vor_geburt(datum: NaiveDate, geburt: PartialDate) -> bool {
    PartialDate::from_parts(datum.year(), Some(datum.month()), Some(datum.day()))
        .is_ok_and(|tag| tag.certainly_before(geburt))
}

fn kontakt(errors: &mut FieldErrors, kontext: &Kontext, datum: &str, art: &str, notiz: &str) -> Option<Kontakt> {
    let datum = tag_seit_geburt(errors, kontext, "datum", datum, "Bitte das Datum des Kontakts angeben.");
    let art = errors.check("art", pick::<Kontaktart>(art, "Bitte wählen, wie die Familie erreicht wurde."));
    errors.check_texts(&[("notiz", notiz, crate::limits::TextLimit::Note)]);
    Some(Kontakt { datum: datum?, art: art?, notiz: notiz.trim().to_owned() })
}

fn teilnahme_pruefen(
    errors: &mut FieldErrors,
    kontext: &Kontext,
    teilnahme: &str,
    von: &str,
    bis: &str,
) -> Option<Aenderung> {
    let teilnimmt = match teilnahme.trim() {
        "ja" => Some(true),
        "nein" => Some(false),
        _ => {
            errors.add("teilnahme", "Bitte angeben, ob das Kind an einem Deutschförderangebot teilnimmt.");
            None
        }
    };
    let datum = |errors: &mut FieldErrors, field: &'static str, text: &str| -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        let datum = errors.check(field, exact_date(text))?;
        if vor_geburt(datum, kontext.geburt) {
            errors.add(field, format!("Das Datum liegt vor der Geburt ({}).", kontext.geburt));
            return None;
        }
        Some(Some(datum))
    };
    let von = datum(errors, "von", von);
    let bis = datum(errors, "bis", bis);
    if teilnimmt == Some(false) && (von.flatten().is_some() || bis.flatten().is_some()) {
        errors.add("von", "Daten nur angeben, wenn das Kind teilnimmt.");
    }
    if let (Some(Some(von)), Some(Some(bis))) = (von, bis)
        && bis < von
    {
        errors.add("bis", format!("Das Ende liegt vor dem Beginn ({}).", von.format("%d.%m.%Y")));
    }
    Some(Aenderung::Teilnahme(Teilnahme { teilnimmt: teilnimmt?, von: von?, bis: bis? }))
}

fn eintritt_pruefen(errors: &mut FieldErrors, kontext: &Kontext, stand: &str, jahr: &str) -> Option<Aenderung> {
    let stand = errors
        .check("stand", pick::<Verstaendigung>(stand, "Bitte wählen, ob sich das Kind auf Deutsch verständigen kann."));
    let geburtsjahr = kontext.geburt.year();
    let frueheste = geburtsjahr + EINTRITTSALTER - 1;
    let spaeteste = geburtsjahr + EINTRITTSALTER + 3;
    let jahr = match jahr.trim().parse::<i32>() {
        Ok(jahr) if (frueheste..=spaeteste).contains(&jahr) => Some(jahr),
        _ => {
            errors.add(
                "jahr",
                format!("Bitte das Jahr des Kindergarteneintritts angeben (zwischen {frueheste} und {spaeteste})."),
            );
            None
        }
    };
    if let Some(jahr) = jahr {
        let eintritt = kontext.regel.eintritt_im_jahr(jahr);
        if eintritt > kontext.heute {
            errors.add(
                "jahr",
                format!(
                    "Der Stand beim Eintritt lässt sich erst ab dem Eintritt erfassen (ab {}).",
                    eintritt.format("%d.%m.%Y")
                ),
            );
        }
    }
    Some(Aenderung::Eintritt(StandBeimEintritt { stand: stand?, jahr: jahr? }))
}

/// Whether a child may still be taken into the track by hand: until one year after its (earliest possible)
/// Kindergarten entry, so that the level at entry can still be recorded; later it is in school. A child too
/// old is refused with the day of that entry, which the refusal names.
pub fn aufnahme_moeglich(geburt: PartialDate, regel: &KindergartenRegel, heute: NaiveDate) -> Result<(), NaiveDate> {
    let eintritt = regel.termine(geburt).eintritt;
    let grenze = eintritt.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
    if heute >= grenze {
        return Err(eintritt);
    }
    Ok(())
}

/// The figure of one Gemeinde and entry year: children with a recorded level, and those who can
/// communicate in German.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kennzahl {
    pub erfasst: u64,
    pub verstaendigen: u64,
}

impl Kennzahl {
    /// The share in tenths of a percent (`796` = 79.6 %), rounded down, so that a share shown as 80.0 %
    /// always reaches the goal; `None` without children.
    pub fn anteil_promille(&self) -> Option<u64> {
        (self.erfasst > 0).then(|| self.verstaendigen * 1000 / self.erfasst)
    }

    /// The share as shown: `79.6 %`, or an empty string without children.
    pub fn anteil_text(&self) -> String {
        self.anteil_promille().map(|p| format!("{}.{} %", p / 10, p % 10)).unwrap_or_default()
    }

    /// Whether at least 80 % can communicate, compared exactly (79.96 % does not reach the goal).
    pub fn ziel_erreicht(&self) -> Option<bool> {
        (self.erfasst > 0).then(|| self.verstaendigen * 100 >= ZIEL_PROZENT * self.erfasst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn geburt(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    fn solothurn() -> KindergartenRegel {
        KindergartenRegel::default()
    }

    #[test]
    fn a_child_born_on_the_cut_off_enters_the_year_it_turns_four() {
        let termine = solothurn().termine(geburt("31.07.2022"));
        assert_eq!(termine.eintritt, day(2026, 8, 1));
        assert_eq!(termine.abklaerung, day(2025, 2, 1), "18 months before the entry");
        assert!(termine.genau);
    }

    #[test]
    fn a_child_born_the_day_after_the_cut_off_enters_a_year_later() {
        let termine = solothurn().termine(geburt("01.08.2022"));
        assert_eq!(termine.eintritt, day(2027, 8, 1));
        assert_eq!(termine.abklaerung, day(2026, 2, 1));
    }

    #[test]
    fn the_first_of_january_and_the_last_of_december() {
        assert_eq!(solothurn().termine(geburt("01.01.2023")).eintritt, day(2027, 8, 1));
        assert_eq!(solothurn().termine(geburt("31.12.2023")).eintritt, day(2028, 8, 1));
    }

    #[test]
    fn the_29th_of_february_is_compared_as_a_day_of_the_year() {
        assert_eq!(solothurn().termine(geburt("29.02.2024")).eintritt, day(2028, 8, 1));
        let stichtag_28_februar = KindergartenRegel::new(MonatTag::new(2, 28).unwrap(), MonatTag::new(8, 1).unwrap());
        assert_eq!(
            stichtag_28_februar.termine(geburt("28.02.2024")).eintritt,
            day(2028, 8, 1),
            "on the cut-off: the year it turns four"
        );
        assert_eq!(
            stichtag_28_februar.termine(geburt("29.02.2024")).eintritt,
            day(2029, 8, 1),
            "29 February lies after a cut-off on 28 February"
        );
        assert_eq!(
            MonatTag::parse("29.02."),
            Err(MonatTagError::Schalttag),
            "no cut-off that is missing in most years"
        );
    }

    #[test]
    fn a_month_and_year_before_or_after_the_cut_off_month_is_exact() {
        let mai = solothurn().termine(geburt("05.2023"));
        assert_eq!((mai.eintritt, mai.genau), (day(2027, 8, 1), true));
        let september = solothurn().termine(geburt("09.2023"));
        assert_eq!((september.eintritt, september.genau), (day(2028, 8, 1), true));
        let juli = solothurn().termine(geburt("07.2023"));
        assert_eq!((juli.eintritt, juli.genau), (day(2027, 8, 1), true), "every July day is on or before 31 July");
    }

    #[test]
    fn a_partial_birth_date_that_spans_the_cut_off_plans_the_earliest_entry_as_provisional() {
        let nur_jahr = solothurn().termine(geburt("2023"));
        assert_eq!(nur_jahr.eintritt, day(2027, 8, 1), "the earlier of the two possible years");
        assert_eq!(nur_jahr.abklaerung, day(2026, 2, 1));
        assert!(!nur_jahr.genau);
        let mitte_monat = KindergartenRegel::new(MonatTag::new(7, 15).unwrap(), MonatTag::new(8, 1).unwrap());
        let juli = mitte_monat.termine(geburt("07.2023"));
        assert_eq!((juli.eintritt, juli.genau), (day(2027, 8, 1), false));
        let ende_jahr = KindergartenRegel::new(MonatTag::new(12, 31).unwrap(), MonatTag::new(8, 1).unwrap());
        assert!(ende_jahr.termine(geburt("2023")).genau, "with cut-off 31 December a year is enough");
    }

    #[test]
    fn an_entry_day_without_counterpart_18_months_earlier_takes_the_last_day_of_that_month() {
        let regel = KindergartenRegel::new(MonatTag::new(7, 31).unwrap(), MonatTag::new(8, 31).unwrap());
        let termine = regel.termine(geburt("15.03.2022"));
        assert_eq!(termine.eintritt, day(2026, 8, 31));
        assert_eq!(termine.abklaerung, day(2025, 2, 28));
    }

    #[test]
    fn days_of_the_year_are_read_in_swiss_notation() {
        assert_eq!(MonatTag::parse("31.07.").unwrap(), MonatTag::new(7, 31).unwrap());
        assert_eq!(MonatTag::parse(" 1.8 ").unwrap().to_string(), "01.08.");
        assert!(matches!(MonatTag::parse("31.06."), Err(MonatTagError::Format(_))));
        assert!(matches!(MonatTag::parse("2026-07-31"), Err(MonatTagError::Format(_))));
        assert!(matches!(MonatTag::parse(""), Err(MonatTagError::Format(_))));
    }

    #[test]
    fn due_overdue_and_done() {
        let heute = day(2026, 11, 21);
        assert_eq!(Faelligkeit::von(day(2026, 11, 20), false, heute), Faelligkeit::Ueberfaellig);
        assert_eq!(Faelligkeit::von(heute, false, heute), Faelligkeit::Bald);
        assert_eq!(Faelligkeit::von(day(2027, 2, 21), false, heute), Faelligkeit::Bald);
        assert_eq!(Faelligkeit::von(day(2027, 2, 22), false, heute), Faelligkeit::Spaeter);
        assert_eq!(Faelligkeit::von(day(2026, 1, 1), true, heute), Faelligkeit::Erledigt);
    }

    #[test]
    fn the_phase_follows_the_family_language_and_the_level_at_entry() {
        let sprachen = |codes: &[&str]| codes.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert_eq!(Phase::aus(None, false), Phase::FamiliensprachePruefen);
        assert_eq!(Phase::aus(Some(&sprachen(&["ti"])), false), Phase::Begleitung);
        assert_eq!(Phase::aus(Some(&sprachen(&["de", "ti"])), false), Phase::Begleitung, "bilingual stays");
        assert_eq!(Phase::aus(Some(&sprachen(&["gsw", "de"])), false), Phase::KeinBedarf);
        assert_eq!(Phase::aus(Some(&sprachen(&["ti"])), true), Phase::Abgeschlossen);
    }

    fn kontext() -> Kontext {
        Kontext { geburt: geburt("15.03.2025"), heute: day(2026, 11, 21), regel: solothurn() }
    }

    #[test]
    fn a_contact_lies_between_the_birth_and_today_and_names_its_kind() {
        let eingabe = Eingabe::Kontakt { datum: "01.03.2025".into(), art: String::new(), notiz: String::new() };
        let errors = eingabe.check(&kontext()).unwrap_err();
        assert_eq!(errors.get("datum"), Some("Das Datum liegt vor der Geburt (15.03.2025)."));
        assert_eq!(errors.get("art"), Some("Bitte wählen, wie die Familie erreicht wurde."));
        let morgen =
            Eingabe::Geburtskontakt { datum: "22.11.2026".into(), art: "telefon".into(), notiz: String::new() };
        assert_eq!(morgen.check(&kontext()).unwrap_err().get("datum"), Some("Das Datum liegt in der Zukunft."));
        let gut =
            Eingabe::Geburtskontakt { datum: "20.03.2025".into(), art: "hausbesuch".into(), notiz: " Mutter ".into() };
        assert_eq!(
            gut.check(&kontext()).unwrap(),
            Aenderung::Geburtskontakt(Kontakt {
                datum: day(2025, 3, 20),
                art: Kontaktart::Hausbesuch,
                notiz: "Mutter".into()
            })
        );
    }

    #[test]
    fn a_contact_on_a_day_of_a_partial_birth_month_is_not_before_the_birth() {
        let kontext = Kontext { geburt: geburt("03.2025"), ..kontext() };
        let eingabe = Eingabe::Kontakt { datum: "02.03.2025".into(), art: "brief".into(), notiz: String::new() };
        assert!(eingabe.check(&kontext).is_ok(), "the birth may have been on 1 March");
    }

    #[test]
    fn the_family_language_needs_one_known_language() {
        let leer = Eingabe::Familiensprache { sprachen: vec![] };
        assert!(leer.check(&kontext()).unwrap_err().get("sprachen").is_some());
        let unbekannt = Eingabe::Familiensprache { sprachen: vec!["xx".into()] };
        assert_eq!(
            unbekannt.check(&kontext()).unwrap_err().get("sprachen"),
            Some("Die Sprache «xx» kennt die Liste nicht.")
        );
        let doppelt = Eingabe::Familiensprache { sprachen: vec!["ti".into(), "ar".into(), "ti".into()] };
        assert_eq!(doppelt.check(&kontext()).unwrap(), Aenderung::Familiensprache(vec!["ti".into(), "ar".into()]));
    }

    #[test]
    fn participation_dates_only_with_participation_and_in_order() {
        let ohne = Eingabe::Teilnahme { teilnahme: "nein".into(), von: "01.09.2026".into(), bis: String::new() };
        assert_eq!(ohne.check(&kontext()).unwrap_err().get("von"), Some("Daten nur angeben, wenn das Kind teilnimmt."));
        let verkehrt =
            Eingabe::Teilnahme { teilnahme: "ja".into(), von: "01.09.2026".into(), bis: "01.08.2026".into() };
        assert_eq!(
            verkehrt.check(&kontext()).unwrap_err().get("bis"),
            Some("Das Ende liegt vor dem Beginn (01.09.2026).")
        );
        let geplant = Eingabe::Teilnahme { teilnahme: "ja".into(), von: "01.09.2026".into(), bis: "30.06.2027".into() };
        assert_eq!(
            geplant.check(&kontext()).unwrap(),
            Aenderung::Teilnahme(Teilnahme {
                teilnimmt: true,
                von: Some(day(2026, 9, 1)),
                bis: Some(day(2027, 6, 30))
            }),
            "a planned end may lie in the future"
        );
        let fehlt = Eingabe::Teilnahme { teilnahme: String::new(), von: String::new(), bis: String::new() };
        assert!(fehlt.check(&kontext()).unwrap_err().get("teilnahme").is_some());
    }

    #[test]
    fn the_level_at_entry_is_recorded_from_the_entry_on_and_for_a_plausible_year() {
        let kind = Kontext { geburt: geburt("15.03.2022"), heute: day(2026, 11, 21), regel: solothurn() };
        let gut = Eingabe::Eintritt { stand: "teilweise".into(), jahr: "2026".into() };
        assert_eq!(
            gut.check(&kind).unwrap(),
            Aenderung::Eintritt(StandBeimEintritt { stand: Verstaendigung::Teilweise, jahr: 2026 })
        );
        let zu_frueh = Eingabe::Eintritt { stand: "ja".into(), jahr: "2027".into() };
        assert_eq!(
            zu_frueh.check(&kind).unwrap_err().get("jahr"),
            Some("Der Stand beim Eintritt lässt sich erst ab dem Eintritt erfassen (ab 01.08.2027).")
        );
        let unplausibel = Eingabe::Eintritt { stand: "ja".into(), jahr: "2020".into() };
        assert_eq!(
            unplausibel.check(&kind).unwrap_err().get("jahr"),
            Some("Bitte das Jahr des Kindergarteneintritts angeben (zwischen 2025 und 2029).")
        );
        let ohne_stand = Eingabe::Eintritt { stand: "vielleicht".into(), jahr: "2026".into() };
        assert!(ohne_stand.check(&kind).unwrap_err().get("stand").is_some());
    }

    #[test]
    fn an_assessment_and_a_recommendation_need_their_parts() {
        let abklaerung =
            Eingabe::Abklaerung { datum: String::new(), ergebnis: String::new(), bemerkung: String::new() };
        let errors = abklaerung.check(&kontext()).unwrap_err();
        assert_eq!(errors.get("datum"), Some("Bitte das Datum der Abklärung angeben."));
        assert_eq!(errors.get("ergebnis"), Some("Bitte das Ergebnis der Abklärung wählen."));
        let empfehlung = Eingabe::Empfehlung { datum: "20.11.2026".into(), angebot: "  ".into() };
        assert_eq!(
            empfehlung.check(&kontext()).unwrap_err().get("angebot"),
            Some("Bitte beschreiben, welches Deutschförderangebot empfohlen wird.")
        );
    }

    #[test]
    fn a_child_is_taken_in_by_hand_until_a_year_after_its_entry() {
        let regel = solothurn();
        assert!(aufnahme_moeglich(geburt("15.03.2022"), &regel, day(2027, 7, 31)).is_ok(), "entered 01.08.2026");
        assert_eq!(aufnahme_moeglich(geburt("15.03.2022"), &regel, day(2027, 8, 1)), Err(day(2026, 8, 1)));
    }

    #[test]
    fn the_goal_is_compared_exactly_and_the_share_rounded_down_for_display() {
        let knapp = Kennzahl { erfasst: 2500, verstaendigen: 1999 };
        assert_eq!(knapp.anteil_text(), "79.9 %", "79.96 % is not shown as 80.0 %");
        assert_eq!(knapp.ziel_erreicht(), Some(false));
        let genau = Kennzahl { erfasst: 5, verstaendigen: 4 };
        assert_eq!((genau.anteil_text(), genau.ziel_erreicht()), ("80.0 %".to_owned(), Some(true)));
        let zwei_drittel = Kennzahl { erfasst: 3, verstaendigen: 2 };
        assert_eq!(zwei_drittel.anteil_text(), "66.6 %");
        assert_eq!(Kennzahl::default().ziel_erreicht(), None);
    }
}

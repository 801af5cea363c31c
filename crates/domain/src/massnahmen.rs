//! The Massnahmen catalogue and the participations in its measures (DOMAIN.md, "Handlungsfelder and the
//! Massnahmen catalogue").
//!
//! The catalogue is data the Kanton keeps, not code: it is read from TOML (the shipped default is
//! `data/massnahmen-katalog.toml`), edited on forms and stored as whole, numbered versions. Every entry passes
//! through the same parser as the Kanton's form ([`MassnahmeInput::parse`]), so a file cannot hold what the
//! form would refuse. The rules around a participation live here too: entry criteria with reasons a case
//! worker can read, how a participation ends, and «Kein Abschluss ohne Anschluss».

use crate::dossier::{Handlungsfeld, Kurzassessment, exact_date, full_date, pick, required_text};
use crate::field_errors::FieldErrors;
use crate::limits::TextLimit;
use crate::person::Choice;
use crate::sprache::{Niveau, Sprachstand};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The catalogue as shipped with the program; it becomes version 1 where no version is stored yet.
pub const AUSGELIEFERTER_KATALOG: &str = include_str!("../../../data/massnahmen-katalog.toml");

/// Years of schooling from which a person counts as «schulgewohnt» (see [`Kurzassessment::schulgewohnt`]).
const SCHULGEWOHNT_AB_JAHREN: u8 = 6;

/// What a measure requires before a person may start it. Every criterion is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eintrittskriterien {
    pub mindestniveau: Option<Niveau>,
    /// At least six years of schooling according to the Kurzassessment.
    pub schulgewohnt: bool,
    pub mindestalter: Option<u8>,
    /// A valid apprenticeship contract, or for adults a decision for Berufsabschluss für Erwachsene.
    pub lehrvertrag_oder_bfe: bool,
}

/// One measure of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Massnahme {
    /// Short, stable key (`BI-2`); bookings refer to it.
    pub code: String,
    pub titel: String,
    pub handlungsfeld: Handlungsfeld,
    pub beschreibung: String,
    /// Typical provider; a booking may name another.
    pub anbieter: String,
    pub kriterien: Eintrittskriterien,
    /// Codes of the measures that may follow.
    pub anschluesse: Vec<String>,
    /// Inactive measures stay for old bookings but cannot be booked.
    pub aktiv: bool,
}

/// A whole version of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Katalog {
    pub version: i32,
    pub gueltig_ab: NaiveDate,
    pub massnahmen: Vec<Massnahme>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KatalogError {
    #[error("Der Massnahmenkatalog ist nicht lesbar: {0}")]
    Format(String),
    #[error("Massnahme «{code}» im Katalog ist ungültig: {errors}")]
    Massnahme { code: String, errors: FieldErrors },
    #[error("Der Massnahmenkatalog ist ungültig: {0}")]
    Inhalt(FieldErrors),
}

/// The file form of the catalogue (`version`, `gueltig_ab`, then one `[[massnahme]]` table per measure).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KatalogDatei {
    version: i32,
    gueltig_ab: toml::value::Datetime,
    #[serde(rename = "massnahme", default)]
    massnahmen: Vec<MassnahmeDatei>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MassnahmeDatei {
    code: String,
    titel: String,
    handlungsfeld: String,
    beschreibung: String,
    anbieter: String,
    #[serde(default)]
    anschluesse: Vec<String>,
    aktiv: bool,
    #[serde(default)]
    kriterien: KriterienDatei,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KriterienDatei {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mindestniveau: Option<String>,
    #[serde(default)]
    schulgewohnt: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mindestalter: Option<u8>,
    #[serde(default)]
    lehrvertrag_oder_bfe: bool,
}

impl Katalog {
    /// Reads a catalogue from TOML; every measure is parsed like the Kanton's form, and follow-ups must exist.
    pub fn from_toml(text: &str) -> Result<Self, KatalogError> {
        let datei: KatalogDatei = toml::from_str(text).map_err(|e| KatalogError::Format(e.message().to_owned()))?;
        let gueltig_ab = datei
            .gueltig_ab
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
            .ok_or_else(|| KatalogError::Format("«gueltig_ab» braucht ein Datum (JJJJ-MM-TT).".to_owned()))?;
        let mut massnahmen = Vec::with_capacity(datei.massnahmen.len());
        for entry in datei.massnahmen {
            let code = entry.code.clone();
            let massnahme = entry.input().parse().map_err(|errors| KatalogError::Massnahme { code, errors })?;
            massnahmen.push(massnahme);
        }
        let katalog = Katalog { version: datei.version, gueltig_ab, massnahmen };
        katalog.pruefe().map_err(KatalogError::Inhalt)?;
        Ok(katalog)
    }

    /// The shipped default catalogue.
    pub fn ausgeliefert() -> Result<Self, KatalogError> {
        Self::from_toml(AUSGELIEFERTER_KATALOG)
    }

    /// The catalogue as TOML, in the form [`Katalog::from_toml`] reads.
    pub fn to_toml(&self) -> Result<String, KatalogError> {
        let datei = KatalogDatei {
            version: self.version,
            gueltig_ab: toml_date(self.gueltig_ab),
            massnahmen: self.massnahmen.iter().map(MassnahmeDatei::from).collect(),
        };
        toml::to_string(&datei).map_err(|e| KatalogError::Format(e.to_string()))
    }

    pub fn massnahme(&self, code: &str) -> Option<&Massnahme> {
        self.massnahmen.iter().find(|m| m.code == code)
    }

    /// The active measures that may follow `code`, in catalogue order.
    pub fn folgemassnahmen(&self, code: &str) -> Vec<&Massnahme> {
        let Some(massnahme) = self.massnahme(code) else { return Vec::new() };
        self.massnahmen.iter().filter(|m| m.aktiv && massnahme.anschluesse.contains(&m.code)).collect()
    }

    /// The next version, valid from `gueltig_ab`, with `massnahme` added (`neu`) or replacing the measure
    /// with the same code. Refuses a new code that exists, an unknown code to change, and unknown follow-ups.
    pub fn mit_massnahme(&self, massnahme: Massnahme, neu: bool, gueltig_ab: NaiveDate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut massnahmen = self.massnahmen.clone();
        match (massnahmen.iter().position(|m| m.code == massnahme.code), neu) {
            (Some(_), true) => errors.add("code", "Diesen Code gibt es im Katalog schon. Bitte einen anderen wählen."),
            (None, false) => errors.add("code", "Diese Massnahme gibt es im Katalog nicht."),
            (Some(index), false) => massnahmen[index] = massnahme,
            (None, true) => massnahmen.push(massnahme),
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let katalog = Katalog { version: self.version + 1, gueltig_ab, massnahmen };
        katalog.pruefe()?;
        Ok(katalog)
    }

    /// Codes are unique; follow-ups name measures of the catalogue, never the measure itself.
    fn pruefe(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (index, massnahme) in self.massnahmen.iter().enumerate() {
            if self.massnahmen[..index].iter().any(|m| m.code == massnahme.code) {
                errors.add("code", format!("Der Code «{}» kommt mehrmals vor.", massnahme.code));
            }
            for folge in &massnahme.anschluesse {
                if *folge == massnahme.code || self.massnahme(folge).is_none() {
                    errors.add(
                        "anschluesse",
                        format!("«{}»: Folgemassnahme «{folge}» gibt es im Katalog nicht.", massnahme.code),
                    );
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn toml_date(date: NaiveDate) -> toml::value::Datetime {
    use chrono::Datelike;
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: u16::try_from(date.year()).unwrap_or_default(),
            month: u8::try_from(date.month()).unwrap_or_default(),
            day: u8::try_from(date.day()).unwrap_or_default(),
        }),
        time: None,
        offset: None,
    }
}

impl MassnahmeDatei {
    fn input(self) -> MassnahmeInput {
        let yes_no = |value: bool| if value { "ja" } else { "nein" }.to_owned();
        MassnahmeInput {
            code: self.code,
            titel: self.titel,
            handlungsfeld: self.handlungsfeld,
            beschreibung: self.beschreibung,
            anbieter: self.anbieter,
            mindestniveau: self.kriterien.mindestniveau.unwrap_or_default(),
            schulgewohnt: yes_no(self.kriterien.schulgewohnt),
            mindestalter: self.kriterien.mindestalter.map(|age| age.to_string()).unwrap_or_default(),
            lehrvertrag_oder_bfe: yes_no(self.kriterien.lehrvertrag_oder_bfe),
            anschluesse: self.anschluesse,
            aktiv: yes_no(self.aktiv),
        }
    }
}

impl From<&Massnahme> for MassnahmeDatei {
    fn from(m: &Massnahme) -> Self {
        MassnahmeDatei {
            code: m.code.clone(),
            titel: m.titel.clone(),
            handlungsfeld: m.handlungsfeld.code().to_owned(),
            beschreibung: m.beschreibung.clone(),
            anbieter: m.anbieter.clone(),
            anschluesse: m.anschluesse.clone(),
            aktiv: m.aktiv,
            kriterien: KriterienDatei {
                mindestniveau: m.kriterien.mindestniveau.map(|n| n.code().to_owned()),
                schulgewohnt: m.kriterien.schulgewohnt,
                mindestalter: m.kriterien.mindestalter,
                lehrvertrag_oder_bfe: m.kriterien.lehrvertrag_oder_bfe,
            },
        }
    }
}

/// The Kanton's form for one measure, all text; criteria are separate fields, follow-ups a list of codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MassnahmeInput {
    pub code: String,
    pub titel: String,
    pub handlungsfeld: String,
    pub beschreibung: String,
    pub anbieter: String,
    pub mindestniveau: String,
    pub schulgewohnt: String,
    pub mindestalter: String,
    pub lehrvertrag_oder_bfe: String,
    pub anschluesse: Vec<String>,
    pub aktiv: String,
}

impl MassnahmeInput {
    /// The form of an existing measure, for editing.
    pub fn of(massnahme: &Massnahme) -> Self {
        MassnahmeDatei::from(massnahme).input()
    }

    pub fn parse(&self) -> Result<Massnahme, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[
            ("titel", &self.titel, TextLimit::Short),
            ("beschreibung", &self.beschreibung, TextLimit::Note),
            ("anbieter", &self.anbieter, TextLimit::Short),
        ]);
        let code = errors.check("code", massnahme_code(&self.code));
        let titel = errors.check("titel", required_text(&self.titel, "Bitte den Titel angeben."));
        let handlungsfeld = errors
            .check("handlungsfeld", pick::<Handlungsfeld>(&self.handlungsfeld, "Bitte das Handlungsfeld wählen."));
        let beschreibung =
            errors.check("beschreibung", required_text(&self.beschreibung, "Bitte die Massnahme kurz beschreiben."));
        let anbieter = errors.check("anbieter", required_text(&self.anbieter, "Bitte den üblichen Anbieter angeben."));
        let mindestniveau = errors.check("mindestniveau", optional_niveau(&self.mindestniveau));
        let schulgewohnt = errors.check("schulgewohnt", yes_no(&self.schulgewohnt));
        let mindestalter = errors.check("mindestalter", optional_age(&self.mindestalter));
        let lehrvertrag_oder_bfe = errors.check("lehrvertrag_oder_bfe", yes_no(&self.lehrvertrag_oder_bfe));
        let aktiv = errors.check("aktiv", yes_no(&self.aktiv));
        let mut anschluesse: Vec<String> = Vec::new();
        for folge in self.anschluesse.iter().map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()) {
            if !anschluesse.contains(&folge) {
                anschluesse.push(folge);
            }
        }
        let complete = || {
            Some(Massnahme {
                code: code?,
                titel: titel?,
                handlungsfeld: handlungsfeld?,
                beschreibung: beschreibung?,
                anbieter: anbieter?,
                kriterien: Eintrittskriterien {
                    mindestniveau: mindestniveau?,
                    schulgewohnt: schulgewohnt?,
                    mindestalter: mindestalter?,
                    lehrvertrag_oder_bfe: lehrvertrag_oder_bfe?,
                },
                anschluesse,
                aktiv: aktiv?,
            })
        };
        match complete() {
            Some(massnahme) if errors.is_empty() => Ok(massnahme),
            _ => Err(errors),
        }
    }
}

/// 2 to 20 letters, digits or hyphens; stored in capitals (`bi-2` becomes `BI-2`).
fn massnahme_code(text: &str) -> Result<String, String> {
    let code = text.trim().to_uppercase();
    let allowed = code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if (2..=20).contains(&code.len()) && allowed {
        Ok(code)
    } else {
        Err("Der Code hat 2 bis 20 Zeichen: Buchstaben A–Z, Ziffern und Bindestriche, z. B. BI-2.".to_owned())
    }
}

fn optional_niveau(text: &str) -> Result<Option<Niveau>, String> {
    match text.trim() {
        "" => Ok(None),
        code => Niveau::from_code(code).map(Some).ok_or_else(|| "Bitte ein Niveau von A1 bis C2 wählen.".to_owned()),
    }
}

fn optional_age(text: &str) -> Result<Option<u8>, String> {
    match text.trim() {
        "" => Ok(None),
        age => match age.parse::<u8>() {
            Ok(age) if age <= 99 => Ok(Some(age)),
            _ => Err("Bitte das Mindestalter als Zahl von 0 bis 99 angeben, oder leer lassen.".to_owned()),
        },
    }
}

fn yes_no(text: &str) -> Result<bool, String> {
    match text.trim() {
        "ja" => Ok(true),
        "nein" => Ok(false),
        _ => Err("Bitte ja oder nein wählen.".to_owned()),
    }
}

/// The ground for vocational training that Phase 3 requires; the case worker states it when booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ausbildungsgrundlage {
    Lehrvertrag,
    BerufsabschlussErwachsene,
}

impl Choice for Ausbildungsgrundlage {
    const ALL: &'static [Self] = &[Ausbildungsgrundlage::Lehrvertrag, Ausbildungsgrundlage::BerufsabschlussErwachsene];

    fn code(self) -> &'static str {
        match self {
            Ausbildungsgrundlage::Lehrvertrag => "lehrvertrag",
            Ausbildungsgrundlage::BerufsabschlussErwachsene => "bfe",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Ausbildungsgrundlage::Lehrvertrag => "gültiger Lehrvertrag liegt vor",
            Ausbildungsgrundlage::BerufsabschlussErwachsene => "Entscheid für Berufsabschluss für Erwachsene liegt vor",
        }
    }
}

/// What is known about the person when a measure is booked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Voraussetzungen<'a> {
    /// The current level ([`crate::sprache::aktueller_sprachstand`]).
    pub sprachstand: Option<&'a Sprachstand>,
    /// The latest Kurzassessment.
    pub kurzassessment: Option<&'a Kurzassessment>,
    /// Age in whole years on the day of booking.
    pub alter: Option<i32>,
    pub ausbildung: Option<Ausbildungsgrundlage>,
}

/// Every entry criterion of `massnahme` the person does not meet, as a sentence a case worker understands.
/// Missing facts (no level, no Kurzassessment, unknown age) count as unmet and say so. Empty: may start.
pub fn check_entry(massnahme: &Massnahme, person: &Voraussetzungen) -> Vec<String> {
    let kriterien = &massnahme.kriterien;
    let mut reasons = Vec::new();
    if let Some(mindest) = kriterien.mindestniveau {
        match person.sprachstand {
            None => reasons
                .push(format!("Verlangt mindestens Deutsch {}; es ist noch kein Sprachstand erfasst.", mindest.code())),
            Some(stand) if stand.niveau < mindest => reasons.push(format!(
                "Verlangt mindestens Deutsch {}; erfasst ist {}.",
                mindest.code(),
                stand.beschrieb()
            )),
            Some(_) => {}
        }
    }
    if kriterien.schulgewohnt {
        let verlangt = format!("Verlangt schulgewohnte Personen (mindestens {SCHULGEWOHNT_AB_JAHREN} Schuljahre)");
        match person.kurzassessment {
            None => reasons.push(format!("{verlangt}; es ist noch kein Kurzassessment erfasst.")),
            Some(k) if !k.schulgewohnt() => {
                reasons.push(format!("{verlangt}; laut Kurzassessment sind es {}.", k.schuljahre))
            }
            Some(_) => {}
        }
    }
    if let Some(mindestalter) = kriterien.mindestalter {
        let verlangt = format!("Verlangt ein Mindestalter von {mindestalter} Jahren");
        match person.alter {
            None => reasons.push(format!("{verlangt}; das Alter der Person ist nicht bekannt.")),
            Some(alter) if alter < i32::from(mindestalter) => {
                reasons.push(format!("{verlangt}; die Person ist {alter}."))
            }
            Some(_) => {}
        }
    }
    if kriterien.lehrvertrag_oder_bfe && person.ausbildung.is_none() {
        reasons.push(
            "Verlangt einen gültigen Lehrvertrag oder einen Entscheid für Berufsabschluss für Erwachsene; keines von beiden ist angegeben."
                .to_owned(),
        );
    }
    reasons
}

/// The booking form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuchungInput {
    pub massnahme: String,
    pub anbieter: String,
    pub beginn: String,
    pub geplantes_ende: String,
    pub ausbildung: String,
    /// The Leitung's reason for an exception from the entry criteria; empty: no exception asked for.
    pub ausnahme: String,
}

/// The most characters of a reason for or against an exception from the entry criteria: the case worker's
/// and the Leitung's reason together stay within a note, the bound of the exception a booking stores.
pub const AUSNAHME_BEGRUENDUNG_CHARS: usize = 1000;

/// A reason for or against an exception, checked against [`AUSNAHME_BEGRUENDUNG_CHARS`] and for control
/// characters; the message goes to `feld`. Empty is left to the caller, which names its own refusal.
pub fn ausnahme_begruendung(feld: &'static str, text: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::new();
    let text = text.trim();
    if errors.check_texts(&[(feld, text, TextLimit::Long(AUSNAHME_BEGRUENDUNG_CHARS))]) {
        Ok(text.to_owned())
    } else {
        Err(errors)
    }
}

/// A parsed booking of an active measure of a catalogue version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buchung {
    pub massnahme: Massnahme,
    pub katalog_version: i32,
    pub anbieter: String,
    pub beginn: NaiveDate,
    pub geplantes_ende: Option<NaiveDate>,
    pub ausbildung: Option<Ausbildungsgrundlage>,
    pub ausnahme: Option<String>,
}

impl BuchungInput {
    /// An active measure of `katalog`, a start date and an optional planned end not before it; without a
    /// provider the measure's usual one.
    pub fn parse(&self, katalog: &Katalog) -> Result<Buchung, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("ausnahme", &self.ausnahme, TextLimit::Note)]);
        let massnahme = katalog.massnahme(self.massnahme.trim()).filter(|m| m.aktiv);
        if massnahme.is_none() {
            errors.add("massnahme", "Bitte eine Massnahme aus dem Katalog wählen.");
        }
        let beginn = errors.check("beginn", exact_date(&self.beginn));
        let geplantes_ende = match self.geplantes_ende.trim() {
            "" => None,
            text => errors.check("geplantes_ende", exact_date(text)),
        };
        if let (Some(beginn), Some(ende)) = (beginn, geplantes_ende)
            && ende < beginn
        {
            errors.add("geplantes_ende", "Das geplante Ende liegt vor dem Beginn.");
        }
        let ausbildung = match self.ausbildung.trim() {
            "" | "keine" => None,
            code => {
                let grundlage = Ausbildungsgrundlage::from_code(code);
                if grundlage.is_none() {
                    errors.add("ausbildung", "Bitte eine der Angaben wählen.");
                }
                grundlage
            }
        };
        let ausnahme = Some(self.ausnahme.trim().to_owned()).filter(|text| !text.is_empty());
        match (massnahme, beginn) {
            (Some(massnahme), Some(beginn)) if errors.is_empty() => Ok(Buchung {
                anbieter: match self.anbieter.trim() {
                    "" => massnahme.anbieter.clone(),
                    anbieter => anbieter.to_owned(),
                },
                massnahme: massnahme.clone(),
                katalog_version: katalog.version,
                beginn,
                geplantes_ende,
                ausbildung,
                ausnahme,
            }),
            _ => Err(errors),
        }
    }
}

/// How a participation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ergebnis {
    Abgeschlossen,
    Abgebrochen,
}

impl Choice for Ergebnis {
    const ALL: &'static [Self] = &[Ergebnis::Abgeschlossen, Ergebnis::Abgebrochen];

    fn code(self) -> &'static str {
        match self {
            Ergebnis::Abgeschlossen => "abgeschlossen",
            Ergebnis::Abgebrochen => "abgebrochen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Ergebnis::Abgeschlossen => "abgeschlossen",
            Ergebnis::Abgebrochen => "abgebrochen",
        }
    }
}

/// The end of a participation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeilnahmeEnde {
    pub ende: NaiveDate,
    /// Attendance in percent, 0 to 100.
    pub anwesenheit: u8,
    pub ergebnis: Ergebnis,
    /// Why it was broken off; empty when completed.
    pub abbruchgrund: String,
}

/// The form that ends a participation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeilnahmeEndeInput {
    pub ende: String,
    pub anwesenheit: String,
    pub ergebnis: String,
    pub abbruchgrund: String,
}

impl TeilnahmeEndeInput {
    /// An end not in the future and not before `beginn`, attendance 0–100 %, and a reason when broken off.
    pub fn parse(&self, beginn: NaiveDate, today: NaiveDate) -> Result<TeilnahmeEnde, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("abbruchgrund", &self.abbruchgrund, TextLimit::Note)]);
        let ende = errors.check("ende", full_date(&self.ende, today));
        if ende.is_some_and(|ende| ende < beginn) {
            errors.add("ende", format!("Das Ende liegt vor dem Beginn ({}).", beginn.format("%d.%m.%Y")));
        }
        let anwesenheit = errors.check("anwesenheit", percent(&self.anwesenheit));
        let ergebnis = errors.check("ergebnis", pick::<Ergebnis>(&self.ergebnis, "Bitte das Ergebnis wählen."));
        let abbruchgrund = self.abbruchgrund.trim().to_owned();
        if ergebnis == Some(Ergebnis::Abgebrochen) && abbruchgrund.is_empty() {
            errors.add("abbruchgrund", "Bitte den Grund des Abbruchs angeben.");
        }
        match (ende, anwesenheit, ergebnis) {
            (Some(ende), Some(anwesenheit), Some(ergebnis)) if errors.is_empty() => {
                Ok(TeilnahmeEnde { ende, anwesenheit, ergebnis, abbruchgrund })
            }
            _ => Err(errors),
        }
    }
}

/// `85`, `85 %` or `85%`: a whole percentage from 0 to 100.
fn percent(text: &str) -> Result<u8, String> {
    match text.trim().trim_end_matches('%').trim().parse::<u8>() {
        Ok(value) if value <= 100 => Ok(value),
        _ => Err("Bitte die Anwesenheit in Prozent als ganze Zahl von 0 bis 100 angeben.".to_owned()),
    }
}

/// What follows a participation («Kein Abschluss ohne Anschluss»).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnschlussArt {
    WeitereMassnahme,
    Lehrstelle,
    Arbeitsstelle,
    AndereAusbildung,
    DokumentiertesEnde,
}

impl Choice for AnschlussArt {
    const ALL: &'static [Self] = &[
        AnschlussArt::WeitereMassnahme,
        AnschlussArt::Lehrstelle,
        AnschlussArt::Arbeitsstelle,
        AnschlussArt::AndereAusbildung,
        AnschlussArt::DokumentiertesEnde,
    ];

    fn code(self) -> &'static str {
        match self {
            AnschlussArt::WeitereMassnahme => "weitere_massnahme",
            AnschlussArt::Lehrstelle => "lehrstelle",
            AnschlussArt::Arbeitsstelle => "arbeitsstelle",
            AnschlussArt::AndereAusbildung => "andere_ausbildung",
            AnschlussArt::DokumentiertesEnde => "dokumentiertes_ende",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AnschlussArt::WeitereMassnahme => "weitere Massnahme",
            AnschlussArt::Lehrstelle => "Lehrstelle",
            AnschlussArt::Arbeitsstelle => "Arbeitsstelle",
            AnschlussArt::AndereAusbildung => "andere Ausbildung",
            AnschlussArt::DokumentiertesEnde => "dokumentiertes Ende",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anschluss {
    pub art: AnschlussArt,
    /// Details (employer, school); for a documented end the reason, required.
    pub text: String,
    /// The follow-up measure's code, for «weitere Massnahme».
    pub massnahme: Option<String>,
}

/// The Anschluss form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnschlussInput {
    pub art: String,
    pub text: String,
    pub massnahme: String,
}

impl AnschlussInput {
    /// `folgemassnahmen`: the codes the catalogue allows after this measure; «weitere Massnahme» picks one.
    pub fn parse(&self, folgemassnahmen: &[String]) -> Result<Anschluss, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("text", &self.text, TextLimit::Note)]);
        let art = errors.check("art", pick::<AnschlussArt>(&self.art, "Bitte wählen, was auf die Massnahme folgt."));
        let text = self.text.trim().to_owned();
        let code = self.massnahme.trim();
        let massnahme = match art {
            Some(AnschlussArt::WeitereMassnahme) if folgemassnahmen.is_empty() => {
                errors.add(
                    "art",
                    "Für diese Massnahme sieht der Katalog keine Folgemassnahme vor. Bitte eine andere Art wählen.",
                );
                None
            }
            Some(AnschlussArt::WeitereMassnahme) if !folgemassnahmen.iter().any(|c| c == code) => {
                errors.add("massnahme", "Bitte die folgende Massnahme wählen.");
                None
            }
            Some(AnschlussArt::WeitereMassnahme) => Some(code.to_owned()),
            _ => None,
        };
        if art == Some(AnschlussArt::DokumentiertesEnde) && text.is_empty() {
            errors.add("text", "Bitte festhalten, warum nichts folgt.");
        }
        match art {
            Some(art) if errors.is_empty() => Ok(Anschluss { art, text, massnahme }),
            _ => Err(errors),
        }
    }
}

/// A participation in a measure, under the catalogue version it was booked with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teilnahme {
    pub massnahme_code: String,
    pub massnahme_titel: String,
    pub katalog_version: i32,
    pub anbieter: String,
    pub beginn: NaiveDate,
    pub geplantes_ende: Option<NaiveDate>,
    pub ende: Option<TeilnahmeEnde>,
    pub anschluss: Option<Anschluss>,
    /// The reason for an exception from the entry criteria, if the Leitung granted one.
    pub ausnahme: Option<String>,
}

impl Teilnahme {
    /// «Kein Abschluss ohne Anschluss»: a completed participation without a recorded follow-up is flagged.
    /// A broken-off participation is not: what follows is decided in the Hilfsplan.
    pub fn ohne_anschluss(&self) -> bool {
        self.ende.as_ref().is_some_and(|ende| ende.ergebnis == Ergebnis::Abgeschlossen) && self.anschluss.is_none()
    }

    pub fn laeuft(&self) -> bool {
        self.ende.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::KurzassessmentInput;
    use crate::sprache::{Fertigkeit, Nachweis};

    fn date(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn katalog() -> Katalog {
        Katalog::ausgeliefert().unwrap()
    }

    fn level(niveau: Niveau) -> Sprachstand {
        Sprachstand {
            datum: date(3, 2, 2026),
            fertigkeit: Fertigkeit::Gesamt,
            niveau,
            nachweis: Nachweis::Fide,
            bemerkung: String::new(),
        }
    }

    fn assessment(schuljahre: u8) -> Kurzassessment {
        KurzassessmentInput {
            datum: "20.11.2026".into(),
            richtung: "arbeitsmarktlich".into(),
            sprachfoerderbedarf: "ja".into(),
            schuljahre: schuljahre.to_string(),
            literalitaet: "alphabetisiert".into(),
            arbeitserfahrung: "ausland".into(),
            potenzial: "hoch".into(),
            dolmetschende: "nein".into(),
            bemerkungen: String::new(),
        }
        .parse(date(21, 11, 2026))
        .unwrap()
    }

    #[test]
    fn the_shipped_catalogue_covers_every_handlungsfeld_and_survives_a_round_trip() {
        let katalog = katalog();
        assert_eq!(katalog.version, 1);
        for feld in Handlungsfeld::ALL {
            assert!(katalog.massnahmen.iter().any(|m| m.handlungsfeld == *feld), "{feld:?}");
        }
        for code in ["BI-1", "BI-2", "BI-3", "AI-1", "AI-2", "AI-3", "AI-4", "SF-S", "SF-F", "SF-A", "SI-M", "SI-V"] {
            assert!(katalog.massnahme(code).is_some(), "{code}");
        }
        let again = Katalog::from_toml(&katalog.to_toml().unwrap()).unwrap();
        assert_eq!(again, katalog);
    }

    #[test]
    fn phase_2_needs_a2_and_schulgewohnt() {
        let katalog = katalog();
        let phase2 = katalog.massnahme("BI-2").unwrap();
        let (a1, a2) = (level(Niveau::A1), level(Niveau::A2));
        let (four, eight) = (assessment(4), assessment(8));
        let met =
            Voraussetzungen { sprachstand: Some(&a2), kurzassessment: Some(&eight), alter: Some(19), ausbildung: None };
        assert_eq!(check_entry(phase2, &met), Vec::<String>::new());
        let unmet = Voraussetzungen { sprachstand: Some(&a1), kurzassessment: Some(&four), ..met };
        assert_eq!(
            check_entry(phase2, &unmet),
            [
                "Verlangt mindestens Deutsch A2; erfasst ist A1 (fide, 03.02.2026).",
                "Verlangt schulgewohnte Personen (mindestens 6 Schuljahre); laut Kurzassessment sind es 4.",
            ]
        );
    }

    #[test]
    fn missing_facts_count_as_unmet_with_their_own_message() {
        let katalog = katalog();
        let reasons = check_entry(katalog.massnahme("BI-2").unwrap(), &Voraussetzungen::default());
        assert_eq!(
            reasons,
            [
                "Verlangt mindestens Deutsch A2; es ist noch kein Sprachstand erfasst.",
                "Verlangt schulgewohnte Personen (mindestens 6 Schuljahre); es ist noch kein Kurzassessment erfasst.",
                "Verlangt ein Mindestalter von 16 Jahren; das Alter der Person ist nicht bekannt.",
            ]
        );
    }

    #[test]
    fn phase_3_needs_b1_and_an_apprenticeship_contract_or_bfe() {
        let katalog = katalog();
        let phase3 = katalog.massnahme("BI-3").unwrap();
        let b1 = level(Niveau::B1);
        let a2 = level(Niveau::A2);
        let eight = assessment(8);
        let with_contract = Voraussetzungen {
            sprachstand: Some(&b1),
            kurzassessment: Some(&eight),
            alter: Some(22),
            ausbildung: Some(Ausbildungsgrundlage::Lehrvertrag),
        };
        assert!(check_entry(phase3, &with_contract).is_empty());
        let adult =
            Voraussetzungen { ausbildung: Some(Ausbildungsgrundlage::BerufsabschlussErwachsene), ..with_contract };
        assert!(check_entry(phase3, &adult).is_empty());
        let without = Voraussetzungen { sprachstand: Some(&a2), ausbildung: None, ..with_contract };
        let reasons = check_entry(phase3, &without);
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("Verlangt mindestens Deutsch B1; erfasst ist A2"));
        assert!(reasons[1].contains("Lehrvertrag") && reasons[1].contains("Berufsabschluss für Erwachsene"));
    }

    #[test]
    fn a_too_young_person_is_told_the_age() {
        let katalog = katalog();
        let person = Voraussetzungen { alter: Some(15), ..Voraussetzungen::default() };
        assert_eq!(
            check_entry(katalog.massnahme("SF-S").unwrap(), &person),
            ["Verlangt ein Mindestalter von 16 Jahren; die Person ist 15."]
        );
    }

    fn teilnahme() -> Teilnahme {
        Teilnahme {
            massnahme_code: "BI-2".into(),
            massnahme_titel: "Phase 2".into(),
            katalog_version: 1,
            anbieter: "BBZ".into(),
            beginn: date(1, 8, 2025),
            geplantes_ende: None,
            ende: None,
            anschluss: None,
            ausnahme: None,
        }
    }

    #[test]
    fn a_completed_participation_without_anschluss_is_flagged() {
        let running = teilnahme();
        assert!(!running.ohne_anschluss() && running.laeuft());
        let ende = TeilnahmeEnde {
            ende: date(30, 6, 2026),
            anwesenheit: 90,
            ergebnis: Ergebnis::Abgeschlossen,
            abbruchgrund: String::new(),
        };
        let completed = Teilnahme { ende: Some(ende.clone()), ..teilnahme() };
        assert!(completed.ohne_anschluss());
        let followed = Teilnahme {
            anschluss: Some(Anschluss { art: AnschlussArt::Lehrstelle, text: String::new(), massnahme: None }),
            ..completed.clone()
        };
        assert!(!followed.ohne_anschluss());
        let broken_off = Teilnahme {
            ende: Some(TeilnahmeEnde { ergebnis: Ergebnis::Abgebrochen, abbruchgrund: "Umzug".into(), ..ende }),
            ..teilnahme()
        };
        assert!(!broken_off.ohne_anschluss());
    }

    #[test]
    fn ending_a_participation_checks_dates_attendance_and_reason() {
        let beginn = date(1, 8, 2025);
        let today = date(21, 11, 2026);
        let good = TeilnahmeEndeInput {
            ende: "30.06.2026".into(),
            anwesenheit: "85 %".into(),
            ergebnis: "abgeschlossen".into(),
            abbruchgrund: String::new(),
        };
        assert_eq!(good.parse(beginn, today).unwrap().anwesenheit, 85);
        let bad = TeilnahmeEndeInput {
            ende: "31.07.2025".into(),
            anwesenheit: "120".into(),
            ergebnis: "abgebrochen".into(),
            abbruchgrund: " ".into(),
        };
        let errors = bad.parse(beginn, today).unwrap_err();
        assert_eq!(errors.get("ende"), Some("Das Ende liegt vor dem Beginn (01.08.2025)."));
        assert!(errors.get("anwesenheit").unwrap().contains("0 bis 100"));
        assert_eq!(errors.get("abbruchgrund"), Some("Bitte den Grund des Abbruchs angeben."));
        let nonsense = TeilnahmeEndeInput { anwesenheit: "viel".into(), ergebnis: "fertig".into(), ..good };
        let errors = nonsense.parse(beginn, today).unwrap_err();
        assert!(errors.get("anwesenheit").is_some() && errors.get("ergebnis").is_some());
    }

    #[test]
    fn an_anschluss_needs_an_allowed_follow_up_or_a_reason_for_the_end() {
        let allowed = vec!["BI-3".to_owned()];
        let next = AnschlussInput { art: "weitere_massnahme".into(), massnahme: "BI-3".into(), text: String::new() };
        assert_eq!(next.parse(&allowed).unwrap().massnahme.as_deref(), Some("BI-3"));
        let wrong = AnschlussInput { massnahme: "AI-4".into(), ..next.clone() };
        assert_eq!(wrong.parse(&allowed).unwrap_err().get("massnahme"), Some("Bitte die folgende Massnahme wählen."));
        assert!(next.parse(&[]).unwrap_err().get("art").unwrap().contains("keine Folgemassnahme"));
        let end = AnschlussInput { art: "dokumentiertes_ende".into(), ..AnschlussInput::default() };
        assert_eq!(end.parse(&allowed).unwrap_err().get("text"), Some("Bitte festhalten, warum nichts folgt."));
        assert!(AnschlussInput::default().parse(&allowed).unwrap_err().get("art").is_some());
    }

    #[test]
    fn a_booking_needs_an_active_measure_and_sensible_dates() {
        let katalog = katalog();
        let input = BuchungInput {
            massnahme: "BI-2".into(),
            beginn: "01.12.2026".into(),
            geplantes_ende: "30.06.2027".into(),
            ..BuchungInput::default()
        };
        let buchung = input.parse(&katalog).unwrap();
        assert_eq!(buchung.anbieter, katalog.massnahme("BI-2").unwrap().anbieter, "the usual provider by default");
        assert_eq!(buchung.katalog_version, 1);
        let bad = BuchungInput {
            massnahme: "XX".into(),
            beginn: "2026".into(),
            geplantes_ende: "kein Datum".into(),
            ausbildung: "vielleicht".into(),
            ..input.clone()
        };
        let errors = bad.parse(&katalog).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["ausbildung", "beginn", "geplantes_ende", "massnahme"]);
        let backwards = BuchungInput { geplantes_ende: "30.11.2026".into(), ..input.clone() };
        assert_eq!(
            backwards.parse(&katalog).unwrap_err().get("geplantes_ende"),
            Some("Das geplante Ende liegt vor dem Beginn.")
        );
        let mut inactive = katalog.massnahme("BI-2").unwrap().clone();
        inactive.aktiv = false;
        let katalog = katalog.mit_massnahme(inactive, false, date(21, 11, 2026)).unwrap();
        assert!(input.parse(&katalog).unwrap_err().get("massnahme").is_some(), "inactive measures are not booked");
    }

    #[test]
    fn the_kanton_form_parses_criteria_as_fields() {
        let mut input = MassnahmeInput::of(katalog().massnahme("BI-3").unwrap());
        assert_eq!((input.mindestniveau.as_str(), input.lehrvertrag_oder_bfe.as_str()), ("B1", "ja"));
        input.mindestalter = "200".into();
        input.mindestniveau = "D2".into();
        input.code = "B I 3".into();
        input.schulgewohnt = String::new();
        let errors = input.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["code", "mindestalter", "mindestniveau", "schulgewohnt"]);
    }

    #[test]
    fn a_new_version_adds_or_replaces_one_measure_and_checks_codes() {
        let katalog = katalog();
        let today = date(21, 11, 2026);
        let mut neu = katalog.massnahme("SI-M").unwrap().clone();
        neu.code = "SI-X".into();
        neu.anschluesse = vec!["GIBT-ES-NICHT".into()];
        let errors = katalog.mit_massnahme(neu.clone(), true, today).unwrap_err();
        assert!(errors.get("anschluesse").unwrap().contains("GIBT-ES-NICHT"));
        neu.anschluesse = vec!["SI-V".into()];
        let next = katalog.mit_massnahme(neu.clone(), true, today).unwrap();
        assert_eq!((next.version, next.gueltig_ab, next.massnahmen.len()), (2, today, katalog.massnahmen.len() + 1));
        assert!(next.mit_massnahme(neu.clone(), true, today).unwrap_err().get("code").is_some());
        neu.code = "SI-Y".into();
        assert!(katalog.mit_massnahme(neu, false, today).unwrap_err().get("code").is_some());
    }

    #[test]
    fn a_broken_catalogue_file_is_refused_with_a_reason() {
        assert!(matches!(Katalog::from_toml("version = "), Err(KatalogError::Format(_))));
        let unknown_field = format!("{}\nfarbe = \"rot\"\n", AUSGELIEFERTER_KATALOG);
        assert!(Katalog::from_toml(&unknown_field).is_err());
        let bad_level = AUSGELIEFERTER_KATALOG.replacen("mindestniveau = \"A2\"", "mindestniveau = \"Z9\"", 1);
        assert!(matches!(Katalog::from_toml(&bad_level), Err(KatalogError::Massnahme { .. })));
    }
}

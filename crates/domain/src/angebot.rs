//! Integration offers of the Angebotsplattform (seed 002 §3.2; DOMAIN.md "Angebotsplattform and
//! Mentoring-Pools"): what an offer states, which states it passes through, and the checks of its form.
//!
//! An offer is public once published, so it holds no personal data of clients: only the provider's offer and how
//! to register. The price is kept in Rappen to avoid rounding, and «subventioniert» means the Integrationspauschale
//! reduces the price (DOMAIN.md "Finanzen"), nothing else.

use crate::catalog;
use crate::dossier::{Handlungsfeld, exact_date, pick, required_text};
use crate::field_errors::FieldErrors;
use crate::limits::{TextLimit, check_text};
use crate::person::Choice;
use crate::sprache::Niveau;
use chrono::NaiveDate;

/// How to register: a few lines, shown in full on the offer's card.
pub const ANMELDUNG_LIMIT: TextLimit = TextLimit::Long(500);

/// The category the public search filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kategorie {
    Sprache,
    Arbeit,
    Bildung,
    FruehKindheit,
    Beratung,
    FreizeitBegegnung,
    Gesundheit,
    Information,
}

impl Choice for Kategorie {
    const ALL: &'static [Self] = &[
        Kategorie::Sprache,
        Kategorie::Arbeit,
        Kategorie::Bildung,
        Kategorie::FruehKindheit,
        Kategorie::Beratung,
        Kategorie::FreizeitBegegnung,
        Kategorie::Gesundheit,
        Kategorie::Information,
    ];

    fn code(self) -> &'static str {
        match self {
            Kategorie::Sprache => "sprache",
            Kategorie::Arbeit => "arbeit",
            Kategorie::Bildung => "bildung",
            Kategorie::FruehKindheit => "fruehe_kindheit",
            Kategorie::Beratung => "beratung",
            Kategorie::FreizeitBegegnung => "freizeit_begegnung",
            Kategorie::Gesundheit => "gesundheit",
            Kategorie::Information => "information",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kategorie::Sprache => "Sprache",
            Kategorie::Arbeit => "Arbeit",
            Kategorie::Bildung => "Bildung",
            Kategorie::FruehKindheit => "Frühe Kindheit",
            Kategorie::Beratung => "Beratung",
            Kategorie::FreizeitBegegnung => "Freizeit und Begegnung",
            Kategorie::Gesundheit => "Gesundheit",
            Kategorie::Information => "Information und Orientierung",
        }
    }
}

/// Who an offer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Zielgruppe {
    Erwachsene,
    Jugendliche,
    Kinder,
    Eltern,
    Frauen,
    Maenner,
    Fluechtlinge,
    Neuzugezogene,
}

impl Choice for Zielgruppe {
    const ALL: &'static [Self] = &[
        Zielgruppe::Erwachsene,
        Zielgruppe::Jugendliche,
        Zielgruppe::Kinder,
        Zielgruppe::Eltern,
        Zielgruppe::Frauen,
        Zielgruppe::Maenner,
        Zielgruppe::Fluechtlinge,
        Zielgruppe::Neuzugezogene,
    ];

    fn code(self) -> &'static str {
        match self {
            Zielgruppe::Erwachsene => "erwachsene",
            Zielgruppe::Jugendliche => "jugendliche",
            Zielgruppe::Kinder => "kinder",
            Zielgruppe::Eltern => "eltern",
            Zielgruppe::Frauen => "frauen",
            Zielgruppe::Maenner => "maenner",
            Zielgruppe::Fluechtlinge => "fluechtlinge",
            Zielgruppe::Neuzugezogene => "neuzugezogene",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Zielgruppe::Erwachsene => "Erwachsene",
            Zielgruppe::Jugendliche => "Jugendliche und junge Erwachsene (16–25)",
            Zielgruppe::Kinder => "Kinder",
            Zielgruppe::Eltern => "Eltern",
            Zielgruppe::Frauen => "Frauen",
            Zielgruppe::Maenner => "Männer",
            Zielgruppe::Fluechtlinge => "Geflüchtete (VA/FL)",
            Zielgruppe::Neuzugezogene => "Neu Zugezogene",
        }
    }
}

/// When in the day or week an offer takes place (a facet of the search).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tageszeit {
    Morgen,
    Nachmittag,
    Abend,
    Wochenende,
}

impl Choice for Tageszeit {
    const ALL: &'static [Self] = &[Tageszeit::Morgen, Tageszeit::Nachmittag, Tageszeit::Abend, Tageszeit::Wochenende];

    fn code(self) -> &'static str {
        match self {
            Tageszeit::Morgen => "morgen",
            Tageszeit::Nachmittag => "nachmittag",
            Tageszeit::Abend => "abend",
            Tageszeit::Wochenende => "wochenende",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tageszeit::Morgen => "Morgen",
            Tageszeit::Nachmittag => "Nachmittag",
            Tageszeit::Abend => "Abend",
            Tageszeit::Wochenende => "Wochenende",
        }
    }
}

/// Where an offer stands: a provider writes a draft and submits it; the Kanton publishes it or returns it to
/// draft with a reason; a published offer expires at its validity date and can be archived by its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AngebotStatus {
    Entwurf,
    Eingereicht,
    Veroeffentlicht,
    Abgelaufen,
    Archiviert,
}

impl Choice for AngebotStatus {
    const ALL: &'static [Self] = &[
        AngebotStatus::Entwurf,
        AngebotStatus::Eingereicht,
        AngebotStatus::Veroeffentlicht,
        AngebotStatus::Abgelaufen,
        AngebotStatus::Archiviert,
    ];

    fn code(self) -> &'static str {
        match self {
            AngebotStatus::Entwurf => "entwurf",
            AngebotStatus::Eingereicht => "eingereicht",
            AngebotStatus::Veroeffentlicht => "veroeffentlicht",
            AngebotStatus::Abgelaufen => "abgelaufen",
            AngebotStatus::Archiviert => "archiviert",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AngebotStatus::Entwurf => "Entwurf",
            AngebotStatus::Eingereicht => "eingereicht, wartet auf Prüfung",
            AngebotStatus::Veroeffentlicht => "veröffentlicht",
            AngebotStatus::Abgelaufen => "abgelaufen",
            AngebotStatus::Archiviert => "archiviert",
        }
    }
}

/// A place where an offer takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ort {
    pub gemeinde: catalog::BfsNr,
    pub adresse: String,
}

/// A checked offer, as stored and as the public sees it once published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AngebotData {
    pub titel: String,
    pub beschreibung: String,
    pub kategorie: Kategorie,
    pub handlungsfeld: Handlungsfeld,
    pub zielgruppen: Vec<Zielgruppe>,
    /// CEFR levels a language course leads from and to; `None` for other offers.
    pub niveau_von: Option<Niveau>,
    pub niveau_bis: Option<Niveau>,
    /// ISO 639 codes of the languages of instruction or support.
    pub sprachen: Vec<String>,
    pub orte: Vec<Ort>,
    pub tageszeiten: Vec<Tageszeit>,
    /// Dates or recurring schedule in words, e.g. «jeden Dienstag, 19.00–21.00».
    pub zeitplan: String,
    pub beginn: Option<NaiveDate>,
    pub ende: Option<NaiveDate>,
    /// Price for the participant in Rappen; 0 is free of charge.
    pub preis_rappen: i64,
    pub subventioniert: bool,
    pub kinderbetreuung: bool,
    pub barrierefrei: bool,
    pub anmeldung: String,
    pub anmeldung_link: Option<String>,
    pub gueltig_bis: NaiveDate,
}

/// The offer form as typed in.
#[derive(Debug, Clone, Default)]
pub struct AngebotInput {
    pub titel: String,
    pub beschreibung: String,
    pub kategorie: String,
    pub handlungsfeld: String,
    pub zielgruppen: Vec<String>,
    pub niveau_von: String,
    pub niveau_bis: String,
    pub sprachen: Vec<String>,
    /// Up to three places: Gemeinde BFS number and address; empty rows are ignored.
    pub orte: Vec<(String, String)>,
    pub tageszeiten: Vec<String>,
    pub zeitplan: String,
    pub beginn: String,
    pub ende: String,
    /// Swiss notation: «120», «120.50», «0» or empty for free of charge.
    pub preis: String,
    pub subventioniert: bool,
    pub kinderbetreuung: bool,
    pub barrierefrei: bool,
    pub anmeldung: String,
    pub anmeldung_link: String,
    pub gueltig_bis: String,
}

impl AngebotInput {
    /// The form's values of a stored offer: what the edit form shows, and what a generated offer must pass.
    pub fn from_data(data: &AngebotData) -> Self {
        let swiss = |date: NaiveDate| date.format("%d.%m.%Y").to_string();
        AngebotInput {
            titel: data.titel.clone(),
            beschreibung: data.beschreibung.clone(),
            kategorie: data.kategorie.code().to_owned(),
            handlungsfeld: data.handlungsfeld.code().to_owned(),
            zielgruppen: data.zielgruppen.iter().map(|z| z.code().to_owned()).collect(),
            niveau_von: data.niveau_von.map(|n| n.code().to_owned()).unwrap_or_default(),
            niveau_bis: data.niveau_bis.map(|n| n.code().to_owned()).unwrap_or_default(),
            sprachen: data.sprachen.clone(),
            orte: data.orte.iter().map(|o| (o.gemeinde.get().to_string(), o.adresse.clone())).collect(),
            tageszeiten: data.tageszeiten.iter().map(|t| t.code().to_owned()).collect(),
            zeitplan: data.zeitplan.clone(),
            beginn: data.beginn.map(swiss).unwrap_or_default(),
            ende: data.ende.map(swiss).unwrap_or_default(),
            preis: if data.preis_rappen == 0 {
                String::new()
            } else {
                format!("{}.{:02}", data.preis_rappen / 100, data.preis_rappen % 100)
            },
            subventioniert: data.subventioniert,
            kinderbetreuung: data.kinderbetreuung,
            barrierefrei: data.barrierefrei,
            anmeldung: data.anmeldung.clone(),
            anmeldung_link: data.anmeldung_link.clone().unwrap_or_default(),
            gueltig_bis: swiss(data.gueltig_bis),
        }
    }

    /// Checks the form; `today` bounds the validity date (an offer valid only in the past is no offer).
    pub fn check(&self, today: NaiveDate) -> Result<AngebotData, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[
            ("titel", &self.titel, TextLimit::Short),
            ("beschreibung", &self.beschreibung, TextLimit::Note),
            ("zeitplan", &self.zeitplan, TextLimit::Short),
            ("anmeldung", &self.anmeldung, ANMELDUNG_LIMIT),
            ("anmeldung_link", &self.anmeldung_link, TextLimit::Short),
        ]);
        let titel = errors.check("titel", required_text(&self.titel, "Bitte einen Titel angeben."));
        let beschreibung =
            errors.check("beschreibung", required_text(&self.beschreibung, "Bitte das Angebot beschreiben."));
        let kategorie = errors.check("kategorie", pick::<Kategorie>(&self.kategorie, "Bitte eine Kategorie wählen."));
        let handlungsfeld = errors
            .check("handlungsfeld", pick::<Handlungsfeld>(&self.handlungsfeld, "Bitte ein Handlungsfeld wählen."));
        let zielgruppen = errors.check("zielgruppen", codes::<Zielgruppe>(&self.zielgruppen, "Zielgruppe"));
        let niveau_von = errors.check("niveau_von", optional_level(&self.niveau_von));
        let niveau_bis = errors.check("niveau_bis", optional_level(&self.niveau_bis));
        if let (Some(Some(von)), Some(Some(bis))) = (niveau_von, niveau_bis)
            && bis < von
        {
            errors.add("niveau_bis", "Das Zielniveau liegt unter dem Einstiegsniveau.");
        }
        let sprachen = errors.check("sprachen", languages(&self.sprachen));
        let orte = places(&self.orte, &mut errors);
        let tageszeiten = errors.check("tageszeiten", codes::<Tageszeit>(&self.tageszeiten, "Tageszeit"));
        let beginn = errors.check("beginn", optional_date(&self.beginn));
        let ende = errors.check("ende", optional_date(&self.ende));
        if let (Some(Some(beginn)), Some(Some(ende))) = (beginn, ende)
            && ende < beginn
        {
            errors.add("ende", "Das Ende liegt vor dem Beginn.");
        }
        let preis_rappen = errors.check("preis", price(&self.preis));
        let anmeldung =
            errors.check("anmeldung", required_text(&self.anmeldung, "Bitte angeben, wie man sich anmeldet."));
        let anmeldung_link = errors.check("anmeldung_link", link(&self.anmeldung_link));
        let gueltig_bis = errors.check("gueltig_bis", exact_date(&self.gueltig_bis));
        if gueltig_bis.is_some_and(|date| date < today) {
            errors.add("gueltig_bis", "Das Angebot muss mindestens bis heute gültig sein.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match (titel, beschreibung, kategorie, handlungsfeld, zielgruppen, niveau_von, niveau_bis, sprachen) {
            (
                Some(titel),
                Some(beschreibung),
                Some(kategorie),
                Some(handlungsfeld),
                Some(zielgruppen),
                Some(niveau_von),
                Some(niveau_bis),
                Some(sprachen),
            ) => Ok(AngebotData {
                titel,
                beschreibung,
                kategorie,
                handlungsfeld,
                zielgruppen,
                niveau_von,
                niveau_bis,
                sprachen,
                orte,
                tageszeiten: tageszeiten.unwrap_or_default(),
                zeitplan: self.zeitplan.trim().to_owned(),
                beginn: beginn.flatten(),
                ende: ende.flatten(),
                preis_rappen: preis_rappen.unwrap_or_default(),
                subventioniert: self.subventioniert,
                kinderbetreuung: self.kinderbetreuung,
                barrierefrei: self.barrierefrei,
                anmeldung: anmeldung.unwrap_or_default(),
                anmeldung_link: anmeldung_link.flatten(),
                gueltig_bis: gueltig_bis.unwrap_or(today),
            }),
            _ => Err(errors),
        }
    }
}

/// «Fr. 120.50», or «kostenlos».
pub fn format_price(rappen: i64) -> String {
    if rappen == 0 { "kostenlos".to_owned() } else { format!("Fr. {}.{:02}", rappen / 100, rappen % 100) }
}

/// The number of an offer picked in casework (an Empfehlung, a Hilfsplan goal); empty is none.
pub fn angebot_nr(text: &str) -> Result<Option<i64>, String> {
    match text.trim() {
        "" => Ok(None),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(Some)
            .ok_or_else(|| "Bitte ein Angebot aus der Liste wählen.".to_owned()),
    }
}

fn codes<C: Choice + PartialEq>(codes: &[String], what: &str) -> Result<Vec<C>, String> {
    let mut chosen = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let value = C::from_code(code).ok_or_else(|| format!("{what} «{code}» gibt es nicht."))?;
        if !chosen.contains(&value) {
            chosen.push(value);
        }
    }
    Ok(chosen)
}

fn optional_level(code: &str) -> Result<Option<Niveau>, String> {
    match code.trim() {
        "" => Ok(None),
        code => Niveau::from_code(code).map(Some).ok_or_else(|| format!("Das Niveau «{code}» gibt es nicht.")),
    }
}

fn optional_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() { Ok(None) } else { exact_date(text).map(Some) }
}

fn languages(codes: &[String]) -> Result<Vec<String>, String> {
    let mut chosen: Vec<String> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if catalog::language_name(code).is_none() {
            return Err(format!("Die Sprache «{code}» kennt die Liste nicht."));
        }
        if !chosen.iter().any(|c| c == code) {
            chosen.push(code.to_owned());
        }
    }
    if chosen.is_empty() {
        Err("Bitte mindestens eine Kurs- oder Beratungssprache wählen.".to_owned())
    } else {
        Ok(chosen)
    }
}

/// The filled-in places; problems are recorded on the row's own fields (`ort_gemeinde_N`, counted from 1).
fn places(rows: &[(String, String)], errors: &mut FieldErrors) -> Vec<Ort> {
    let mut orte = Vec::new();
    for (index, (gemeinde, adresse)) in rows.iter().enumerate() {
        if gemeinde.trim().is_empty() && adresse.trim().is_empty() {
            continue;
        }
        if let Err(error) = check_text(adresse, TextLimit::Short) {
            errors.add_owned(format!("ort_adresse_{}", index + 1), error.to_string());
        }
        match catalog::BfsNr::parse(gemeinde) {
            Ok(gemeinde) => orte.push(Ort { gemeinde, adresse: adresse.trim().to_owned() }),
            Err(_) => errors.add_owned(format!("ort_gemeinde_{}", index + 1), "Bitte die Gemeinde wählen."),
        }
    }
    if orte.is_empty() && rows.iter().all(|(g, a)| g.trim().is_empty() && a.trim().is_empty()) {
        errors.add("ort_gemeinde_1", "Bitte mindestens einen Ort angeben.");
    }
    orte
}

/// Francs with up to two decimals («120», «120.50», «120,50», «Fr. 80»); empty is free of charge.
fn price(text: &str) -> Result<i64, String> {
    let cleaned = text.trim().trim_start_matches("Fr.").trim().replace(',', ".").replace('\'', "");
    if cleaned.is_empty() {
        return Ok(0);
    }
    let invalid = || "Bitte den Preis in Franken angeben, zum Beispiel 120 oder 120.50 (0 für kostenlos).".to_owned();
    let (francs, cents) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if francs.is_empty() || cents.len() > 2 || !francs.chars().chain(cents.chars()).all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let francs: i64 = francs.parse().map_err(|_| invalid())?;
    let cents: i64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().map_err(|_| invalid())? };
    if francs > 100_000 {
        Err("Der Preis scheint zu hoch: bitte prüfen.".to_owned())
    } else {
        Ok(francs * 100 + cents)
    }
}

fn link(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace) {
        Ok(Some(text.to_owned()))
    } else {
        Err("Bitte eine vollständige Webadresse angeben, beginnend mit https://.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn course() -> AngebotInput {
        AngebotInput {
            titel: "Deutschkurs A1 am Abend".to_owned(),
            beschreibung: "Deutsch für den Alltag, mit Kinderhütedienst.".to_owned(),
            kategorie: "sprache".to_owned(),
            handlungsfeld: "sprachfoerderung".to_owned(),
            zielgruppen: vec!["erwachsene".to_owned()],
            niveau_von: "A1".to_owned(),
            niveau_bis: "A2".to_owned(),
            sprachen: vec!["de".to_owned()],
            orte: vec![("2581".to_owned(), "Kirchgasse 3, Olten".to_owned()), (String::new(), String::new())],
            tageszeiten: vec!["abend".to_owned()],
            zeitplan: "Dienstag und Donnerstag, 19.00–21.00".to_owned(),
            beginn: "11.01.2027".to_owned(),
            ende: "30.06.2027".to_owned(),
            preis: "120.50".to_owned(),
            subventioniert: true,
            kinderbetreuung: true,
            barrierefrei: false,
            anmeldung: "Sekretariat, 062 000 00 00".to_owned(),
            anmeldung_link: "https://example.org/anmeldung".to_owned(),
            gueltig_bis: "30.06.2027".to_owned(),
        }
    }

    #[test]
    fn a_complete_course_is_accepted_with_its_price_in_rappen() {
        let data = course().check(today()).unwrap();
        assert_eq!(data.preis_rappen, 12050);
        assert_eq!(data.orte.len(), 1);
        assert_eq!(data.niveau_von, Some(Niveau::A1));
        assert_eq!(format_price(data.preis_rappen), "Fr. 120.50");
        assert_eq!(format_price(0), "kostenlos");
    }

    #[test]
    fn every_text_of_an_offer_is_bounded_with_a_german_message() {
        let long = "x".repeat(crate::limits::NOTE_CHARS + 1);
        let offer = AngebotInput {
            titel: "T".repeat(201),
            beschreibung: long,
            zeitplan: "Z".repeat(201),
            anmeldung: "A".repeat(501),
            anmeldung_link: format!("https://example.org/{}", "a".repeat(200)),
            orte: vec![("2581".to_owned(), "Kirchgasse\0 3".to_owned())],
            ..course()
        };
        let errors = offer.check(today()).unwrap_err();
        assert_eq!(errors.get("titel"), Some("Höchstens 200 Zeichen."));
        assert_eq!(errors.get("beschreibung"), Some("Höchstens 4000 Zeichen."));
        assert_eq!(errors.get("zeitplan"), Some("Höchstens 200 Zeichen."));
        assert_eq!(errors.get("anmeldung"), Some("Höchstens 500 Zeichen."));
        assert_eq!(errors.get("anmeldung_link"), Some("Höchstens 200 Zeichen."));
        assert_eq!(errors.get("ort_adresse_1"), Some("Enthält unzulässige Steuerzeichen."));
    }

    #[test]
    fn prices_are_read_in_swiss_notation() {
        assert_eq!(price(""), Ok(0));
        assert_eq!(price("Fr. 80"), Ok(8000));
        assert_eq!(price("1'200,5"), Ok(120_050));
        assert!(price("12.345").is_err());
        assert!(price("-5").is_err());
        assert!(price("gratis").is_err());
    }

    #[test]
    fn an_offer_picked_in_casework_is_a_positive_number_or_none() {
        assert_eq!(angebot_nr(" "), Ok(None));
        assert_eq!(angebot_nr("42"), Ok(Some(42)));
        assert!(angebot_nr("0").is_err());
        assert!(angebot_nr("Deutschkurs").is_err());
    }

    #[test]
    fn wrong_input_is_named_field_by_field() {
        let input = AngebotInput {
            niveau_von: "B1".to_owned(),
            niveau_bis: "A2".to_owned(),
            beginn: "01.02.2027".to_owned(),
            ende: "01.01.2027".to_owned(),
            anmeldung_link: "www.example.org".to_owned(),
            gueltig_bis: "01.01.2026".to_owned(),
            orte: vec![("9999".to_owned(), "irgendwo".to_owned())],
            ..course()
        };
        let errors = input.check(today()).unwrap_err();
        assert_eq!(errors.get("niveau_bis"), Some("Das Zielniveau liegt unter dem Einstiegsniveau."));
        assert_eq!(errors.get("ende"), Some("Das Ende liegt vor dem Beginn."));
        assert!(errors.get("anmeldung_link").unwrap().contains("https://"));
        assert_eq!(errors.get("gueltig_bis"), Some("Das Angebot muss mindestens bis heute gültig sein."));
        assert_eq!(errors.get("ort_gemeinde_1"), Some("Bitte die Gemeinde wählen."));
        let empty = AngebotInput::default().check(today()).unwrap_err();
        for field in ["titel", "beschreibung", "kategorie", "handlungsfeld", "sprachen", "anmeldung", "ort_gemeinde_1"]
        {
            assert!(empty.get(field).is_some(), "{field}");
        }
    }
}

//! A Sozialregion's existing caseload, taken over from its Excel list: the template's columns and the parser
//! of one row. Pure, so that every refusal is tested without a database; what needs the stored records (case
//! workers, known persons, the catalogue) the store checks afterwards.
//!
//! Why the bounds: a list is read whole before anything is stored (so the preview can list every row), so
//! the file (10 MB), its rows (20 000), each cell (the text limits) and each list cell (20 entries) are
//! bounded.

use crate::ahv::Ahvn13;
use crate::catalog::{self, BfsNr};
use crate::dossier::Handlungsfeld;
use crate::limits::{TextLimit, check_text};
use crate::person::{Choice, PersonData, PersonInput, fold_for_search};
use crate::regeln::{CaseloadDateiRegel, CaseloadRegel};
use crate::sprache::Niveau;
use chrono::NaiveDate;

/// Largest file taken over at once.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most rows below the header.
pub const MAX_ROWS: usize = 20_000;
/// Most goals or measures in one cell.
pub const MAX_ENTRIES: usize = 20;
/// Longest cell of the list cells (goals, measures).
const MAX_LIST_CHARS: usize = 4000;

/// The columns of the template, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spalte {
    Name,
    Vorname,
    Geburtsdatum,
    AhvNummer,
    Geschlecht,
    Staatsangehoerigkeit,
    Aufenthaltsstatus,
    Gemeinde,
    Sozialhilfe,
    EroeffnetAm,
    Fallfuehrung,
    Kurzassessment,
    Ziele,
    Deutsch,
    Massnahmen,
}

impl Spalte {
    pub const ALL: [Spalte; 15] = [
        Spalte::Name,
        Spalte::Vorname,
        Spalte::Geburtsdatum,
        Spalte::AhvNummer,
        Spalte::Geschlecht,
        Spalte::Staatsangehoerigkeit,
        Spalte::Aufenthaltsstatus,
        Spalte::Gemeinde,
        Spalte::Sozialhilfe,
        Spalte::EroeffnetAm,
        Spalte::Fallfuehrung,
        Spalte::Kurzassessment,
        Spalte::Ziele,
        Spalte::Deutsch,
        Spalte::Massnahmen,
    ];

    /// The heading as the template writes it.
    pub fn titel(self) -> &'static str {
        match self {
            Spalte::Name => "Name",
            Spalte::Vorname => "Vorname",
            Spalte::Geburtsdatum => "Geburtsdatum",
            Spalte::AhvNummer => "AHV-Nummer",
            Spalte::Geschlecht => "Geschlecht",
            Spalte::Staatsangehoerigkeit => "Staatsangehörigkeit",
            Spalte::Aufenthaltsstatus => "Aufenthaltsstatus",
            Spalte::Gemeinde => "Gemeinde (BFS-Nr. oder Name)",
            Spalte::Sozialhilfe => "Sozialhilfe (ja/nein)",
            Spalte::EroeffnetAm => "Dossier eröffnet am",
            Spalte::Fallfuehrung => "Fallführung (Benutzername)",
            Spalte::Kurzassessment => "Letztes Kurzassessment",
            Spalte::Ziele => "Offene Ziele (Handlungsfeld: Ziel)",
            Spalte::Deutsch => "Deutsch Niveau (A1..C2)",
            Spalte::Massnahmen => "Laufende Massnahmen (Code)",
        }
    }

    /// The heading's name without its hint in brackets, as it appears in messages.
    pub fn name(self) -> &'static str {
        let titel = self.titel();
        titel.split(" (").next().unwrap_or(titel)
    }

    /// Whether every row must fill it.
    pub fn pflicht(self) -> bool {
        matches!(
            self,
            Spalte::Name
                | Spalte::Vorname
                | Spalte::Geburtsdatum
                | Spalte::Geschlecht
                | Spalte::Staatsangehoerigkeit
                | Spalte::Aufenthaltsstatus
                | Spalte::Gemeinde
                | Spalte::EroeffnetAm
                | Spalte::Fallfuehrung
        )
    }

    /// An example cell for the template.
    pub fn beispiel(self) -> &'static str {
        match self {
            Spalte::Name => "Tesfamariam",
            Spalte::Vorname => "Selam",
            Spalte::Geburtsdatum => "14.03.1994",
            Spalte::AhvNummer => "756.9217.0769.85",
            Spalte::Geschlecht => "weiblich",
            Spalte::Staatsangehoerigkeit => "ER",
            Spalte::Aufenthaltsstatus => "F",
            Spalte::Gemeinde => "2581",
            Spalte::Sozialhilfe => "ja",
            Spalte::EroeffnetAm => "01.02.2025",
            Spalte::Fallfuehrung => "fallfuehrung.olten",
            Spalte::Kurzassessment => "15.03.2025",
            Spalte::Ziele => "Sprachförderung: Deutsch A2 erreichen; Arbeitsintegration: Praktikum finden",
            Spalte::Deutsch => "A1",
            Spalte::Massnahmen => "SF-S ab 01.04.2025",
        }
    }
}

/// Where each column stands in the file's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kopfzeile {
    positionen: Vec<(Spalte, usize)>,
}

impl Kopfzeile {
    /// Finds the columns by their heading (case, hints in brackets and surrounding spaces ignored; order
    /// free; other columns ignored). A required column that is missing refuses the file.
    pub fn parse(cells: &[String]) -> Result<Self, CaseloadDateiRegel> {
        let key = |text: &str| fold_for_search(text.split('(').next().unwrap_or(text));
        let mut positionen = Vec::new();
        for spalte in Spalte::ALL {
            match cells.iter().position(|cell| key(cell) == key(spalte.titel())) {
                Some(index) => positionen.push((spalte, index)),
                None if spalte.pflicht() => return Err(CaseloadDateiRegel::SpalteFehlt(spalte.name())),
                None => {}
            }
        }
        Ok(Self { positionen })
    }

    /// The row's cell of a column, trimmed; empty if the file has no such column.
    pub fn text<'a>(&self, cells: &'a [String], spalte: Spalte) -> &'a str {
        self.positionen
            .iter()
            .find(|(s, _)| *s == spalte)
            .and_then(|(_, index)| cells.get(*index))
            .map_or("", |cell| cell.trim())
    }
}

/// A running measure named in the list: its catalogue code and, if given, its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaufendeMassnahme {
    pub code: String,
    pub beginn: Option<NaiveDate>,
}

/// One valid row: the person and what their dossier holds today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadZeile {
    pub person: PersonData,
    pub sozialhilfe: bool,
    pub eroeffnet_am: NaiveDate,
    /// The case worker's user name (checked against the Stelle by the store).
    pub fallfuehrung: String,
    pub kurzassessment: Option<NaiveDate>,
    pub ziele: Vec<(Handlungsfeld, String)>,
    pub deutsch: Option<Niveau>,
    pub massnahmen: Vec<LaufendeMassnahme>,
}

impl CaseloadZeile {
    /// Parses one row; every reason to refuse it is returned, so the preview shows them all at once.
    pub fn parse(kopf: &Kopfzeile, cells: &[String], today: NaiveDate) -> Result<Self, Vec<CaseloadRegel>> {
        let mut fehler = Vec::new();
        let cell = |spalte: Spalte| kopf.text(cells, spalte);
        for spalte in Spalte::ALL {
            check_cell(spalte, cell(spalte), &mut fehler);
        }
        let person = parse_person(&cell, today, &mut fehler);
        let eroeffnet_am = take(date(Spalte::EroeffnetAm, cell(Spalte::EroeffnetAm), today), &mut fehler).flatten();
        let kurzassessment =
            take(date(Spalte::Kurzassessment, cell(Spalte::Kurzassessment), today), &mut fehler).flatten();
        let sozialhilfe = take(yes_no(cell(Spalte::Sozialhilfe)), &mut fehler).unwrap_or(false);
        let ziele = take(goals(cell(Spalte::Ziele)), &mut fehler).unwrap_or_default();
        let deutsch = take(niveau(cell(Spalte::Deutsch)), &mut fehler).flatten();
        let massnahmen = take(measures(cell(Spalte::Massnahmen), today), &mut fehler).unwrap_or_default();
        match (person, eroeffnet_am) {
            (Some(person), Some(eroeffnet_am)) if fehler.is_empty() => Ok(Self {
                person,
                sozialhilfe,
                eroeffnet_am,
                fallfuehrung: cell(Spalte::Fallfuehrung).to_owned(),
                kurzassessment,
                ziele,
                deutsch,
                massnahmen,
            }),
            _ => Err(fehler),
        }
    }

    /// The key under which the row is imported once per Stelle: the AHV number, else name and birth date.
    pub fn schluessel(&self) -> String {
        schluessel(&self.person)
    }
}

/// The import key of a person: `ahv:756…`, else `name:<folded names>|<birth date>`.
pub fn schluessel(person: &PersonData) -> String {
    match &person.ahv_nummer {
        Some(ahv) => format!("ahv:{ahv}"),
        None => format!("name:{}|{}", name_key(person), person.geburtsdatum.to_iso()),
    }
}

/// Names folded as the register search folds them, so «Müller» and «Muller» are one person.
pub fn name_key(person: &PersonData) -> String {
    fold_for_search(&format!("{} {}", person.nachname.as_str(), person.vornamen.as_str()))
}

fn take<T>(result: Result<T, CaseloadRegel>, fehler: &mut Vec<CaseloadRegel>) -> Option<T> {
    result.map_err(|regel| fehler.push(regel)).ok()
}

fn check_cell(spalte: Spalte, text: &str, fehler: &mut Vec<CaseloadRegel>) {
    if spalte.pflicht() && text.is_empty() {
        fehler.push(CaseloadRegel::Fehlt(spalte.name()));
        return;
    }
    let too_long = match spalte {
        Spalte::Ziele | Spalte::Massnahmen => text.chars().count() > MAX_LIST_CHARS,
        _ => check_text(text, TextLimit::Short).is_err(),
    };
    if too_long {
        fehler.push(CaseloadRegel::ZuLang(spalte.name()));
    }
}

fn parse_person<'a>(
    cell: &dyn Fn(Spalte) -> &'a str,
    today: NaiveDate,
    fehler: &mut Vec<CaseloadRegel>,
) -> Option<PersonData> {
    let ahv = cell(Spalte::AhvNummer);
    if !ahv.is_empty()
        && let Err(grund) = Ahvn13::parse(ahv)
    {
        fehler.push(CaseloadRegel::AhvUngueltig(grund));
    }
    let gemeinde = cell(Spalte::Gemeinde);
    let bfs = gemeinde_of(gemeinde);
    if bfs.is_none() && !gemeinde.is_empty() {
        fehler.push(CaseloadRegel::GemeindeUnbekannt);
    }
    let geburtsdatum = cell(Spalte::Geburtsdatum);
    if !geburtsdatum.is_empty() && crate::PartialDate::parse(geburtsdatum).is_err() {
        fehler.push(CaseloadRegel::KeinDatum(Spalte::Geburtsdatum.name()));
    }
    let input = PersonInput {
        nachname: cell(Spalte::Name).to_owned(),
        vornamen: cell(Spalte::Vorname).to_owned(),
        geschlecht: sex_code(cell(Spalte::Geschlecht)).to_owned(),
        geburtsdatum: geburtsdatum.to_owned(),
        nationalitaet: nationality_code(cell(Spalte::Staatsangehoerigkeit)),
        aufenthaltsstatus: cell(Spalte::Aufenthaltsstatus).to_ascii_uppercase().replace("ANDERE", "andere"),
        ahv_nummer: ahv.to_owned(),
        einreisedatum: String::new(),
        sprachen: Vec::new(),
        wohngemeinde_bfs: bfs.map(|b| b.to_string()).unwrap_or_default(),
    };
    match input.parse(today) {
        Ok(person) => Some(person),
        Err(errors) => {
            for (field, grund) in errors.iter() {
                if let Some(spalte) = column_of_field(field)
                    && !fehler.iter().any(|f| mentions(f, spalte))
                {
                    fehler.push(CaseloadRegel::Ungueltig { spalte: spalte.name(), grund: grund.to_owned() });
                }
            }
            None
        }
    }
}

/// Whether a reason already speaks of this column (so the person parser's message is not said twice).
fn mentions(regel: &CaseloadRegel, spalte: Spalte) -> bool {
    match regel {
        CaseloadRegel::Fehlt(name) | CaseloadRegel::ZuLang(name) | CaseloadRegel::KeinDatum(name) => {
            *name == spalte.name()
        }
        CaseloadRegel::AhvUngueltig(_) => spalte == Spalte::AhvNummer,
        CaseloadRegel::GemeindeUnbekannt => spalte == Spalte::Gemeinde,
        _ => false,
    }
}

fn column_of_field(field: &str) -> Option<Spalte> {
    Some(match field {
        "nachname" => Spalte::Name,
        "vornamen" => Spalte::Vorname,
        "geschlecht" => Spalte::Geschlecht,
        "geburtsdatum" => Spalte::Geburtsdatum,
        "nationalitaet" => Spalte::Staatsangehoerigkeit,
        "aufenthaltsstatus" => Spalte::Aufenthaltsstatus,
        "ahv_nummer" => Spalte::AhvNummer,
        "wohngemeinde_bfs" => Spalte::Gemeinde,
        _ => return None,
    })
}

/// A Gemeinde of the canton by BFS number or by name (case and umlauts ignored).
pub fn gemeinde_of(text: &str) -> Option<BfsNr> {
    if let Ok(bfs) = BfsNr::parse(text) {
        return Some(bfs);
    }
    let wanted = fold_for_search(text);
    catalog::gemeinden().find(|g| fold_for_search(&g.name) == wanted).map(|g| g.bfs)
}

fn sex_code(text: &str) -> &str {
    match fold_for_search(text).as_str() {
        "w" | "f" | "weiblich" => "weiblich",
        "m" | "mannlich" | "maennlich" => "maennlich",
        "u" | "unbestimmt" | "divers" => "unbestimmt",
        _ => text,
    }
}

/// An ISO code (`ER`) or the country's German name (`Eritrea`).
fn nationality_code(text: &str) -> String {
    let wanted = fold_for_search(text);
    catalog::countries()
        .iter()
        .find(|c| fold_for_search(&c.name) == wanted)
        .map_or_else(|| text.to_owned(), |c| c.code.clone())
}

fn date(spalte: Spalte, text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, CaseloadRegel> {
    if text.is_empty() {
        return Ok(None);
    }
    let date = crate::dossier::exact_date(text).map_err(|_| CaseloadRegel::KeinDatum(spalte.name()))?;
    if date > today {
        return Err(CaseloadRegel::DatumInZukunft(spalte.name()));
    }
    Ok(Some(date))
}

fn yes_no(text: &str) -> Result<bool, CaseloadRegel> {
    match fold_for_search(text).as_str() {
        "" | "nein" | "n" | "0" => Ok(false),
        "ja" | "j" | "x" | "1" => Ok(true),
        _ => Err(CaseloadRegel::Ungueltig {
            spalte: Spalte::Sozialhilfe.name(),
            grund: "Bitte «ja» oder «nein».".into(),
        }),
    }
}

fn entries(text: &str, spalte: Spalte) -> Result<Vec<&str>, CaseloadRegel> {
    let list: Vec<&str> = text.split([';', '\n']).map(str::trim).filter(|e| !e.is_empty()).collect();
    if list.len() > MAX_ENTRIES {
        return Err(CaseloadRegel::ZuVieleEintraege(spalte.name()));
    }
    Ok(list)
}

/// `Handlungsfeld: Ziel; Handlungsfeld: Ziel`.
fn goals(text: &str) -> Result<Vec<(Handlungsfeld, String)>, CaseloadRegel> {
    entries(text, Spalte::Ziele)?
        .into_iter()
        .map(|entry| {
            let (feld, ziel) = entry.split_once(':').ok_or_else(|| CaseloadRegel::Ungueltig {
                spalte: Spalte::Ziele.name(),
                grund: format!("«{entry}»: bitte «Handlungsfeld: Ziel» schreiben."),
            })?;
            let ziel = ziel.trim();
            if ziel.is_empty() {
                return Err(CaseloadRegel::Fehlt(Spalte::Ziele.name()));
            }
            Ok((handlungsfeld(feld.trim())?, ziel.to_owned()))
        })
        .collect()
}

fn handlungsfeld(text: &str) -> Result<Handlungsfeld, CaseloadRegel> {
    let folded = fold_for_search(text);
    let feld = match folded.as_str() {
        "sprache" | "sprachforderung" | "sprachforderung ab 16" | "deutsch" => Handlungsfeld::Sprachfoerderung,
        "arbeit" | "arbeitsintegration" => Handlungsfeld::Arbeitsintegration,
        "bildung" | "bildungsintegration" => Handlungsfeld::Bildungsintegration,
        "soziales" | "soziale integration" => Handlungsfeld::SozialeIntegration,
        _ => {
            return Handlungsfeld::from_code(text).ok_or_else(|| CaseloadRegel::HandlungsfeldUnbekannt(text.into()));
        }
    };
    Ok(feld)
}

fn niveau(text: &str) -> Result<Option<Niveau>, CaseloadRegel> {
    if text.is_empty() {
        return Ok(None);
    }
    Niveau::from_code(&text.to_ascii_uppercase()).map(Some).ok_or(CaseloadRegel::NiveauUnbekannt)
}

/// `Code` or `Code ab TT.MM.JJJJ`, separated by `;`.
fn measures(text: &str, today: NaiveDate) -> Result<Vec<LaufendeMassnahme>, CaseloadRegel> {
    entries(text, Spalte::Massnahmen)?
        .into_iter()
        .map(|entry| {
            let (code, beginn) = match entry.split_once(" ab ") {
                Some((code, beginn)) => (code.trim(), date(Spalte::Massnahmen, beginn.trim(), today)?),
                None => (entry, None),
            };
            Ok(LaufendeMassnahme { code: code.to_owned(), beginn })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ahv::AhvError;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn header() -> Vec<String> {
        Spalte::ALL.iter().map(|s| s.titel().to_owned()).collect()
    }

    fn good_row() -> Vec<String> {
        Spalte::ALL.iter().map(|s| s.beispiel().to_owned()).collect()
    }

    fn with(spalte: Spalte, value: &str) -> Vec<String> {
        let mut row = good_row();
        row[Spalte::ALL.iter().position(|s| *s == spalte).unwrap()] = value.to_owned();
        row
    }

    fn refusals(row: &[String]) -> Vec<CaseloadRegel> {
        let kopf = Kopfzeile::parse(&header()).unwrap();
        CaseloadZeile::parse(&kopf, row, today()).unwrap_err()
    }

    #[test]
    fn the_template_example_is_a_good_row() {
        let kopf = Kopfzeile::parse(&header()).unwrap();
        let zeile = CaseloadZeile::parse(&kopf, &good_row(), today()).unwrap();
        assert_eq!(zeile.person.nachname.as_str(), "Tesfamariam");
        assert_eq!(zeile.person.wohngemeinde.get(), 2581);
        assert_eq!(zeile.eroeffnet_am, NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
        assert_eq!(zeile.fallfuehrung, "fallfuehrung.olten");
        assert_eq!(zeile.ziele.len(), 2);
        assert_eq!(zeile.ziele[1].0, Handlungsfeld::Arbeitsintegration);
        assert_eq!(zeile.deutsch, Some(Niveau::A1));
        assert_eq!(zeile.massnahmen[0].code, "SF-S");
        assert_eq!(zeile.massnahmen[0].beginn, NaiveDate::from_ymd_opt(2025, 4, 1));
        assert!(zeile.sozialhilfe);
        assert_eq!(zeile.schluessel(), "ahv:756.9217.0769.85");
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_and_without_hints() {
        let mut cells = vec!["Gemeinde".to_owned(), "name".to_owned()];
        cells.extend(
            Spalte::ALL.iter().filter(|s| !matches!(s, Spalte::Gemeinde | Spalte::Name)).map(|s| s.name().to_owned()),
        );
        assert!(Kopfzeile::parse(&cells).is_ok());
        let without_name: Vec<String> = cells.into_iter().filter(|c| c != "name").collect();
        assert_eq!(Kopfzeile::parse(&without_name), Err(CaseloadDateiRegel::SpalteFehlt("Name")));
    }

    #[test]
    fn a_gemeinde_is_found_by_name_and_a_person_without_ahv_is_keyed_by_name_and_birth() {
        let mut row = with(Spalte::Gemeinde, "olten");
        row[3] = String::new();
        let kopf = Kopfzeile::parse(&header()).unwrap();
        let zeile = CaseloadZeile::parse(&kopf, &row, today()).unwrap();
        assert_eq!(zeile.person.wohngemeinde.get(), 2581);
        assert_eq!(zeile.schluessel(), "name:tesfamariam selam|1994-03-14");
    }

    #[test]
    fn an_invalid_ahv_number_is_refused_with_its_reason() {
        assert_eq!(
            refusals(&with(Spalte::AhvNummer, "756.9217.0769.84")),
            [CaseloadRegel::AhvUngueltig(AhvError::WrongCheckDigit)]
        );
    }

    #[test]
    fn an_unknown_gemeinde_is_refused() {
        assert_eq!(refusals(&with(Spalte::Gemeinde, "Zürich")), [CaseloadRegel::GemeindeUnbekannt]);
    }

    #[test]
    fn a_date_that_is_no_date_is_refused() {
        assert_eq!(
            refusals(&with(Spalte::EroeffnetAm, "31.02.2025")),
            [CaseloadRegel::KeinDatum("Dossier eröffnet am")]
        );
        assert_eq!(refusals(&with(Spalte::Geburtsdatum, "gestern")), [CaseloadRegel::KeinDatum("Geburtsdatum")]);
        assert_eq!(
            refusals(&with(Spalte::Kurzassessment, "01.01.2027")),
            [CaseloadRegel::DatumInZukunft("Letztes Kurzassessment")]
        );
    }

    #[test]
    fn missing_required_cells_are_each_named() {
        let row = with(Spalte::Name, "");
        let row = {
            let mut r = row;
            r[10] = " ".into();
            r
        };
        assert_eq!(refusals(&row), [CaseloadRegel::Fehlt("Name"), CaseloadRegel::Fehlt("Fallführung")]);
    }

    #[test]
    fn goals_levels_and_measures_are_checked() {
        assert_eq!(
            refusals(&with(Spalte::Ziele, "Freizeit: Verein finden")),
            [CaseloadRegel::HandlungsfeldUnbekannt("Freizeit".into())]
        );
        assert_eq!(refusals(&with(Spalte::Deutsch, "B3")), [CaseloadRegel::NiveauUnbekannt]);
        let many = vec!["SF-S"; MAX_ENTRIES + 1].join(";");
        assert_eq!(
            refusals(&with(Spalte::Massnahmen, &many)),
            [CaseloadRegel::ZuVieleEintraege("Laufende Massnahmen")]
        );
    }

    #[test]
    fn a_cell_over_its_limit_is_refused() {
        assert_eq!(refusals(&with(Spalte::Fallfuehrung, &"x".repeat(201))), [CaseloadRegel::ZuLang("Fallführung")]);
    }

    #[test]
    fn the_person_parsers_own_reasons_are_kept() {
        let refused = refusals(&with(Spalte::Aufenthaltsstatus, "CH"));
        assert!(matches!(&refused[..], [CaseloadRegel::Ungueltig { spalte: "Aufenthaltsstatus", .. }]), "{refused:?}");
    }
}

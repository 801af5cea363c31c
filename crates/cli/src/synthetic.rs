//! A synthetic canton for demos and benchmarks: persons of many origins with realistic names, partial
//! birth dates, residence statuses that fit the origin, some AHV numbers, spread over the Gemeinden.
//! Deterministic: the same seed gives the same persons.

use chrono::{Datelike, NaiveDate};
use iim_domain::catalog;
use iim_domain::{Ahvn13, PersonData, PersonInput};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

const NAMES_CSV: &str = include_str!("../../../data/demo-names.csv");

/// Origins with their weight in the population, residence statuses and languages.
const ORIGINS: &[(&str, u32, &[&str], &[&str])] = &[
    ("ch", 10, &["CH"], &["de"]),
    ("er", 10, &["F", "B-FL", "B", "N"], &["ti", "ar"]),
    ("af", 10, &["F", "B-FL", "N"], &["prs", "ps", "fa"]),
    ("sy", 8, &["F", "B-FL", "B"], &["ar", "ku"]),
    ("tr", 7, &["B", "C", "N"], &["tr", "ku"]),
    ("xk", 7, &["B", "C"], &["sq"]),
    ("pt", 7, &["B", "C", "L"], &["pt"]),
    ("it", 5, &["C", "B"], &["it"]),
    ("ua", 9, &["S", "S", "B"], &["uk", "ru"]),
    ("lk", 5, &["B", "C", "F"], &["ta"]),
    ("so", 5, &["F", "B-FL", "N"], &["so", "ar"]),
    ("rs", 4, &["C", "B"], &["sr"]),
    ("de", 3, &["B", "C", "L"], &["de"]),
    ("ir", 3, &["N", "B-FL", "F"], &["fa"]),
    ("iq", 3, &["F", "B-FL"], &["ar", "ku"]),
    ("cd", 2, &["F", "B-FL", "N"], &["fr", "ln"]),
    ("ma", 1, &["B", "C"], &["ar", "fr"]),
    ("br", 1, &["B", "L"], &["pt"]),
];

/// Gemeinden with more inhabitants get more persons.
const TOWNS: &[(u16, u32)] = &[(2601, 12), (2546, 12), (2581, 12), (2583, 4), (2534, 4), (2500, 3), (2520, 3)];

struct NameBook {
    family: HashMap<String, Vec<String>>,
    female: HashMap<String, Vec<String>>,
    male: HashMap<String, Vec<String>>,
    nationality: HashMap<String, String>,
}

impl NameBook {
    fn load() -> Self {
        let mut book = NameBook {
            family: HashMap::new(),
            female: HashMap::new(),
            male: HashMap::new(),
            nationality: HashMap::new(),
        };
        let mut reader = csv::Reader::from_reader(NAMES_CSV.as_bytes());
        for record in reader.records().filter_map(Result::ok) {
            let (Some(origin), Some(iso2), Some(kind), Some(name)) =
                (record.get(0), record.get(1), record.get(2), record.get(3))
            else {
                continue;
            };
            book.nationality.insert(origin.to_owned(), iso2.to_owned());
            let list = match kind {
                "family" => &mut book.family,
                "female" => &mut book.female,
                _ => &mut book.male,
            };
            list.entry(origin.to_owned()).or_default().push(name.to_owned());
        }
        book
    }
}

/// Generates `count` valid persons. AHV serials depend on the seed: loads with seeds below 1000 and at most
/// 500 000 persons each never collide.
pub fn persons(count: usize, seed: u64, today: NaiveDate) -> Vec<PersonData> {
    let book = NameBook::load();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gemeinden: Vec<(u16, u32)> = catalog::gemeinden()
        .map(|g| (g.bfs.get(), TOWNS.iter().find(|(bfs, _)| *bfs == g.bfs.get()).map_or(1, |(_, w)| *w)))
        .collect();
    let ahv_base = 100_000_000 + (seed % 1000) as u32 * 500_000;
    (0..count)
        .filter_map(|index| {
            let input = person(&book, &gemeinden, &mut rng, today, ahv_base + index as u32);
            input.parse(today).ok()
        })
        .collect()
}

fn person(
    book: &NameBook,
    gemeinden: &[(u16, u32)],
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    ahv_serial: u32,
) -> PersonInput {
    let (origin, _, statuses, languages) = ORIGINS.choose_weighted(rng, |o| o.1).copied().unwrap_or(ORIGINS[0]);
    let female = rng.random_bool(0.5);
    let pick = |list: &HashMap<String, Vec<String>>, rng: &mut ChaCha8Rng| {
        list.get(origin).and_then(|names| names.choose(rng)).cloned().unwrap_or_else(|| "Muster".to_owned())
    };
    let nachname = pick(&book.family, rng);
    let vornamen = if female { pick(&book.female, rng) } else { pick(&book.male, rng) };
    let birth_year = rng.random_range(today.year() - 75..=today.year() - 1);
    let uncertain_origin = matches!(origin, "er" | "af" | "so" | "cd");
    let geburtsdatum = partial_date(rng, birth_year, if uncertain_origin { 0.35 } else { 0.05 });
    let swiss = origin == "ch";
    let einreisedatum = if swiss {
        String::new()
    } else {
        let year = rng.random_range((birth_year + 1).max(1990).min(today.year())..=today.year());
        year_only_if_future(partial_date(rng, year, 0.3), today)
    };
    let mut sprachen: Vec<String> =
        languages.iter().take(rng.random_range(1..=languages.len())).map(|s| (*s).to_owned()).collect();
    if !swiss && rng.random_bool(0.4) {
        sprachen.push("de".to_owned());
    }
    let wohngemeinde = gemeinden.choose_weighted(rng, |g| g.1).map(|g| g.0).unwrap_or(2581);
    PersonInput {
        nachname,
        vornamen,
        geschlecht: if female { "weiblich" } else { "maennlich" }.to_owned(),
        geburtsdatum,
        nationalitaet: book.nationality.get(origin).cloned().unwrap_or_else(|| "unbekannt".to_owned()),
        aufenthaltsstatus: statuses.choose(rng).copied().unwrap_or("B").to_owned(),
        ahv_nummer: if swiss || rng.random_bool(0.4) {
            Ahvn13::from_serial(ahv_serial).to_string()
        } else {
            String::new()
        },
        einreisedatum,
        sprachen,
        wohngemeinde_bfs: wohngemeinde.to_string(),
    }
}

/// A plausible Kurzassessment form held on `datum`.
pub fn kurzassessment(rng: &mut ChaCha8Rng, datum: NaiveDate) -> iim_domain::dossier::KurzassessmentInput {
    let pick = |rng: &mut ChaCha8Rng, options: &[&str]| options.choose(rng).copied().unwrap_or_default().to_owned();
    iim_domain::dossier::KurzassessmentInput {
        datum: datum.format("%d.%m.%Y").to_string(),
        richtung: pick(rng, &["arbeitsmarktlich", "arbeitsmarktlich", "sozial"]),
        sprachfoerderbedarf: pick(rng, &["ja", "ja", "nein"]),
        schuljahre: rng.random_range(0..=14u8).to_string(),
        literalitaet: pick(rng, &["alphabetisiert", "alphabetisiert", "teilweise", "nicht_alphabetisiert"]),
        arbeitserfahrung: pick(rng, &["keine", "ausland", "ausland", "schweiz"]),
        potenzial: pick(rng, &["hoch", "mittel", "mittel", "gering", "unklar"]),
        dolmetschende: pick(rng, &["ja", "nein"]),
        bemerkungen: String::new(),
    }
}

/// Two goals of a typical Hilfsplan, due within the next year.
pub fn ziele(rng: &mut ChaCha8Rng, today: NaiveDate) -> Vec<iim_domain::dossier::Ziel> {
    const GOALS: &[(&str, &str, &str)] = &[
        ("sprachfoerderung", "Deutsch auf Niveau A2", "fide-Test A2 bestanden"),
        ("sprachfoerderung", "Deutsch auf Niveau B1", "Sprachnachweis B1"),
        ("arbeitsintegration", "Aufnahme in Modul 3", "Eintritt Modul 3 bestätigt"),
        ("arbeitsintegration", "Stelle im ersten Arbeitsmarkt", "Arbeitsvertrag liegt vor"),
        ("bildungsintegration", "Lehrstelle EBA", "Lehrvertrag unterschrieben"),
        ("soziale_integration", "Kontakte im Quartier", "nimmt regelmässig an einem Vereinsangebot teil"),
    ];
    let due = today + chrono::Duration::days(rng.random_range(60..365));
    GOALS
        .choose_multiple(rng, 2)
        .filter_map(|(feld, ziel, kriterium)| {
            iim_domain::dossier::ZielInput {
                handlungsfeld: (*feld).to_owned(),
                ziel: (*ziel).to_owned(),
                kriterium: (*kriterium).to_owned(),
                faellig_am: due.format("%d.%m.%Y").to_string(),
            }
            .parse(today)
            .ok()
        })
        .collect()
}

/// A date in `year`: full, or with probability `partial` only year-month or year.
fn partial_date(rng: &mut ChaCha8Rng, year: i32, partial: f64) -> String {
    let month = rng.random_range(1..=12u32);
    let day = rng.random_range(1..=28u32);
    if rng.random_bool(partial) {
        if rng.random_bool(0.5) { format!("{year}") } else { format!("{month:02}.{year}") }
    } else {
        format!("{day:02}.{month:02}.{year}")
    }
}

/// Dates drawn in the current year may lie after today; those keep just the year.
fn year_only_if_future(date: String, today: NaiveDate) -> String {
    match iim_domain::PartialDate::parse(&date) {
        Ok(parsed) if parsed.not_after(today).is_err() => parsed.year().to_string(),
        _ => date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn same_seed_gives_same_persons_and_all_are_valid() {
        let first = persons(300, 7, today());
        assert_eq!(first.len(), 300, "every generated person passes the register's rules");
        assert_eq!(first, persons(300, 7, today()));
        assert_ne!(first, persons(300, 8, today()));
    }

    #[test]
    fn generated_kurzassessments_are_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..100 {
            assert!(kurzassessment(&mut rng, today()).parse(today()).is_ok());
        }
    }

    #[test]
    fn population_is_varied() {
        let people = persons(1000, 1, today());
        let partial = people.iter().filter(|p| p.geburtsdatum.day().is_none()).count();
        let with_ahv = people.iter().filter(|p| p.ahv_nummer.is_some()).count();
        let nationalities: std::collections::HashSet<_> =
            people.iter().map(|p| p.nationalitaet.code().to_owned()).collect();
        let gemeinden: std::collections::HashSet<_> = people.iter().map(|p| p.wohngemeinde).collect();
        assert!(partial > 30 && partial < 400, "partial birth dates: {partial}");
        assert!(with_ahv > 200 && with_ahv < 800, "with AHV number: {with_ahv}");
        assert!(nationalities.len() >= 15, "nationalities: {}", nationalities.len());
        assert!(gemeinden.len() >= 90, "Gemeinden: {}", gemeinden.len());
    }

    #[test]
    fn persons_kurzassessments_and_goals_are_valid_on_hard_days() {
        for (year, month, day) in crate::synthetic_angebote::HARD_DAYS {
            let today = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(persons(500, 11, today).len(), 500, "{today}: every person passes the register's rules");
            let mut rng = ChaCha8Rng::seed_from_u64(year as u64 * 100 + u64::from(month));
            for _ in 0..50 {
                let datum = today - chrono::Duration::days(rng.random_range(30..460));
                let assessment = kurzassessment(&mut rng, datum).parse(today);
                assert!(assessment.is_ok(), "{today}: {:?}", assessment.err());
                assert_eq!(ziele(&mut rng, today).len(), 2, "{today}: both goals valid");
            }
        }
    }
}

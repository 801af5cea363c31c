//! The search-quality table: for each query, the offers that must come first. A change of analysis or weights
//! that makes the platform answer worse fails here.

use super::*;
use iim_domain::BfsNr;
use iim_domain::angebot::{Kategorie, Ort, Tageszeit, Zielgruppe};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::sprache::Niveau;

const OLTEN: u16 = 2581;
const DULLIKEN: u16 = 2573;
const SOLOTHURN: u16 = 2601;
const GRENCHEN: u16 = 2546;
const BALSTHAL: u16 = 2422;

struct Spec {
    id: i64,
    titel: &'static str,
    beschreibung: &'static str,
    kategorie: Kategorie,
    gemeinde: u16,
    region: &'static str,
    tageszeit: Tageszeit,
    franken: i64,
    kinderbetreuung: bool,
}

const OFFERS: &[Spec] = &[
    Spec {
        id: 1,
        titel: "Deutschkurs A1 am Abend",
        beschreibung: "Deutsch für den Alltag.",
        kategorie: Kategorie::Sprache,
        gemeinde: OLTEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Abend,
        franken: 120,
        kinderbetreuung: true,
    },
    Spec {
        id: 2,
        titel: "Deutsch-Kurs B1 für Berufstätige",
        beschreibung: "Nach der Arbeit Deutsch lernen.",
        kategorie: Kategorie::Sprache,
        gemeinde: OLTEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Abend,
        franken: 250,
        kinderbetreuung: false,
    },
    Spec {
        id: 3,
        titel: "Deutschkurse für Mütter",
        beschreibung: "Mit Kinderbetreuung im Nebenraum.",
        kategorie: Kategorie::Sprache,
        gemeinde: OLTEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Morgen,
        franken: 50,
        kinderbetreuung: true,
    },
    Spec {
        id: 4,
        titel: "Deutschkurs am Abend",
        beschreibung: "Konversation und Grammatik.",
        kategorie: Kategorie::Sprache,
        gemeinde: SOLOTHURN,
        region: "Sozialregion Solothurn",
        tageszeit: Tageszeit::Abend,
        franken: 80,
        kinderbetreuung: false,
    },
    Spec {
        id: 5,
        titel: "Deutschkurs für Anfängerinnen und Anfänger",
        beschreibung: "Kleine Gruppe.",
        kategorie: Kategorie::Sprache,
        gemeinde: DULLIKEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Abend,
        franken: 60,
        kinderbetreuung: false,
    },
    Spec {
        id: 6,
        titel: "Spielgruppe Regenbogen",
        beschreibung: "Spielen und Deutsch hören, für Kinder ab drei Jahren.",
        kategorie: Kategorie::FruehKindheit,
        gemeinde: GRENCHEN,
        region: "Sozialregion Oberer Leberberg",
        tageszeit: Tageszeit::Morgen,
        franken: 0,
        kinderbetreuung: false,
    },
    Spec {
        id: 7,
        titel: "Bewerbungswerkstatt",
        beschreibung: "Hilfe beim Lebenslauf und bei Bewerbungen.",
        kategorie: Kategorie::Arbeit,
        gemeinde: OLTEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Nachmittag,
        franken: 0,
        kinderbetreuung: false,
    },
    Spec {
        id: 8,
        titel: "Treffpunkt Frauencafé",
        beschreibung: "Austausch bei Kaffee und Kuchen.",
        kategorie: Kategorie::FreizeitBegegnung,
        gemeinde: BALSTHAL,
        region: "Sozialregion Thal",
        tageszeit: Tageszeit::Nachmittag,
        franken: 0,
        kinderbetreuung: true,
    },
    Spec {
        id: 9,
        titel: "Erziehungsberatung für Eltern",
        beschreibung: "Fragen zu Schule und Erziehung.",
        kategorie: Kategorie::Beratung,
        gemeinde: OLTEN,
        region: "Sozialregion Olten",
        tageszeit: Tageszeit::Morgen,
        franken: 0,
        kinderbetreuung: false,
    },
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

fn offer(spec: &Spec) -> SearchOffer {
    let sprache = spec.kategorie == Kategorie::Sprache;
    SearchOffer {
        id: spec.id,
        anbieter: "Verein Lernen".to_owned(),
        data: AngebotData {
            titel: spec.titel.to_owned(),
            beschreibung: spec.beschreibung.to_owned(),
            kategorie: spec.kategorie,
            handlungsfeld: Handlungsfeld::SozialeIntegration,
            zielgruppen: vec![Zielgruppe::Erwachsene],
            niveau_von: sprache.then_some(Niveau::A1),
            niveau_bis: sprache.then_some(Niveau::A2),
            sprachen: vec!["de".to_owned()],
            orte: vec![Ort {
                gemeinde: BfsNr::known(spec.gemeinde).unwrap_or_else(|| panic!("{}", spec.gemeinde)),
                adresse: "Hauptgasse 1".to_owned(),
            }],
            tageszeiten: vec![spec.tageszeit],
            zeitplan: "wöchentlich".to_owned(),
            beginn: NaiveDate::from_ymd_opt(2027, 1, u32::try_from(spec.id).unwrap_or(1)),
            ende: None,
            preis_rappen: spec.franken * 100,
            subventioniert: spec.id == 1,
            kinderbetreuung: spec.kinderbetreuung,
            barrierefrei: false,
            anmeldung: "Telefon".to_owned(),
            anmeldung_link: None,
            gueltig_bis: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default(),
        },
        regionen: vec![spec.region.to_owned()],
        veroeffentlicht: None,
    }
}

fn index() -> SearchIndex {
    SearchIndex::build(OFFERS.iter().map(offer)).unwrap()
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        filters: Vec::new(),
        sort: Sort::Relevanz,
        page: 1,
        per_page: 20,
        today: today(),
    }
}

fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<i64> {
    index.search(query).unwrap().hits.iter().map(|hit| hit.id).collect()
}

/// Query → ids that must all be among the first `ids.len()` results.
const TABLE: &[(&str, &[i64])] = &[
    ("deutschkurs abend olten", &[1, 2]),
    ("Deutschkurse", &[1, 2, 3, 4, 5]),
    ("Deutsch-Kurs", &[1, 2, 3, 4, 5]),
    ("deutschkrus", &[1, 2, 4, 5]),
    ("spielgruppe", &[6]),
    ("bewerbung", &[7]),
    ("kinderbetreuung", &[1, 3, 8]),
    ("frühe kindheit", &[6]),
    ("fruehe Kindheit", &[6]),
    ("kurs", &[1, 2, 3, 4, 5]),
];

#[test]
fn the_quality_table_holds() {
    let index = index();
    for (text, wanted) in TABLE {
        let found = ids(&index, &query(text));
        let first = &found[..wanted.len().min(found.len())];
        for id in *wanted {
            assert!(first.contains(id), "«{text}»: {id} not among the first {}: {found:?}", wanted.len());
        }
    }
}

#[test]
fn evening_german_in_and_around_olten_puts_olten_first_and_leaves_other_regions_out() {
    let found = ids(&index(), &query("deutschkurs abend olten"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[2], 5, "Dulliken, in the Sozialregion Olten, after Olten itself: {found:?}");
    assert!(!found.contains(&4), "Solothurn is not around Olten");
    assert!(!found.contains(&3), "a morning course is no evening course");
}

#[test]
fn cheapest_first_when_asked() {
    let found = ids(&index(), &SearchQuery { sort: Sort::Preis, ..query("deutschkurs abend olten") });
    assert_eq!(found, vec![5, 1, 2]);
}

#[test]
fn facets_narrow_and_count() {
    let index = index();
    let filtered = SearchQuery {
        filters: vec![(Facet::Gemeinde, OLTEN.to_string()), (Facet::Kategorie, "sprache".to_owned())],
        ..query("deutschkurs")
    };
    let result = index.search(&filtered).unwrap();
    let mut found: Vec<i64> = result.hits.iter().map(|hit| hit.id).collect();
    found.sort();
    assert_eq!(found, vec![1, 2, 3]);
    let gemeinden = result.facets.iter().find(|g| g.facet == Facet::Gemeinde).unwrap();
    let olten = gemeinden.values.iter().find(|v| v.value == "2581").unwrap();
    assert!(olten.selected);
    assert_eq!(olten.count, 3);
    let solothurn = gemeinden.values.iter().find(|v| v.value == "2601").unwrap();
    assert_eq!((solothurn.count, solothurn.label.as_str()), (1, "Solothurn"), "other values counted as if chosen");
    let kosten = result.facets.iter().find(|g| g.facet == Facet::Kosten).unwrap();
    assert_eq!(
        kosten.values.iter().map(|v| (v.value.as_str(), v.count)).collect::<Vec<_>>(),
        vec![("bis_100", 1), ("ueber_100", 2), ("subventioniert", 1)]
    );
}

#[test]
fn no_words_lists_everything_and_unmatched_words_relax() {
    let index = index();
    assert_eq!(index.search(&query("")).unwrap().total, OFFERS.len());
    let relaxed = index.search(&query("spielgruppe zürich")).unwrap();
    assert!(relaxed.relaxed);
    assert_eq!(relaxed.hits[0].id, 6);
    assert!(index.search(&query("xylophon")).unwrap().hits.is_empty());
}

#[test]
fn changes_reach_the_index_and_expired_offers_drop_out() {
    let index = index();
    let mut renamed = offer(&OFFERS[5]);
    renamed.data.titel = "Krabbelgruppe Sonnenschein".to_owned();
    index.upsert(renamed).unwrap();
    assert!(ids(&index, &query("spielgruppe")).is_empty());
    assert_eq!(ids(&index, &query("krabbelgruppe")), vec![6]);
    index.remove(6).unwrap();
    assert!(ids(&index, &query("krabbelgruppe")).is_empty());
    assert_eq!(index.len(), OFFERS.len() - 1);
    let later = SearchQuery { today: NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(), ..query("") };
    assert_eq!(index.search(&later).unwrap().total, 0);
}

#[test]
fn pages_cut_the_result_and_the_raw_engine_agrees() {
    let index = index();
    let page = index.search(&SearchQuery { per_page: 2, page: 2, ..query("deutschkurs") }).unwrap();
    assert_eq!((page.total, page.pages, page.page, page.hits.len()), (5, 3, 2, 2));
    let top = index.top_ten("spielgruppe").unwrap();
    assert_eq!(top, vec![6]);
}

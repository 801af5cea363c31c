//! Synthetic offers of the Angebotsplattform for the demo and the search benchmark: German courses at every
//! level in the morning and the evening, Integrationskurse, Elternbildung, Spielgruppen, Bewerbungswerkstätten,
//! meeting places, counselling and health courses, spread over the 104 Gemeinden with the larger towns more often.
//! Titles vary the way people write them (Deutschkurs, Deutsch-Kurs, Deutschkurse; with or without the town,
//! level and time), so search tests meet the compounds and spellings of real data. Deterministic by seed.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use iim_domain::Choice;
use iim_domain::angebot::{AngebotData, AngebotStatus, Kategorie, Ort, Tageszeit, Zielgruppe};
use iim_domain::catalog::{self, BfsNr};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::sprache::Niveau;
use iim_store::NeuesAngebot;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Who owns the generated offers: providers, and the Gemeinden (by BFS number) for their own offers.
pub struct Owners {
    pub anbieter: Vec<i64>,
    pub gemeinden: HashMap<BfsNr, i64>,
    /// The user recorded as the last editor.
    pub updated_by: i64,
}

/// One kind of offer: how it is named and described, and what it costs.
struct Art {
    kategorie: Kategorie,
    handlungsfeld: Handlungsfeld,
    titel: &'static [&'static str],
    beschreibung: &'static str,
    zielgruppen: &'static [Zielgruppe],
    sprachen: &'static [&'static str],
    /// Price range in francs; the lower bound 0 makes many offers free.
    preis: (i64, i64),
    sprachkurs: bool,
    gewicht: u32,
}

const ARTEN: &[Art] = &[
    Art {
        kategorie: Kategorie::Sprache,
        handlungsfeld: Handlungsfeld::Sprachfoerderung,
        titel: &[
            "Deutschkurs {niveau}",
            "Deutsch-Kurs {niveau} am {zeit}",
            "Deutschkurse {niveau} in {ort}",
            "Intensivkurs Deutsch {niveau}",
            "Deutsch für den Alltag ({niveau})",
            "Abendkurs Deutsch {niveau}",
            "Deutschkurs für Mütter mit Kinderhüte {niveau}",
            "Deutsch lernen am {zeit} – Niveau {niveau}",
        ],
        beschreibung: "Deutsch sprechen, verstehen, lesen und schreiben für den Alltag in {ort}: einkaufen, Termine beim Arzt, Gespräche mit der Schule. Kleine Gruppen, erfahrene Kursleitung, Einstufung vor Kursbeginn.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Neuzugezogene],
        sprachen: &["de"],
        preis: (0, 480),
        sprachkurs: true,
        gewicht: 30,
    },
    Art {
        kategorie: Kategorie::Sprache,
        handlungsfeld: Handlungsfeld::Sprachfoerderung,
        titel: &["Alphabetisierungskurs Deutsch", "Lesen und Schreiben lernen auf Deutsch", "Alpha-Kurs in {ort}"],
        beschreibung: "Für Erwachsene, die noch nicht oder wenig lesen und schreiben: die lateinische Schrift und erste deutsche Wörter, im eigenen Tempo.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Fluechtlinge],
        sprachen: &["de", "ar", "ti"],
        preis: (0, 120),
        sprachkurs: false,
        gewicht: 4,
    },
    Art {
        kategorie: Kategorie::Bildung,
        handlungsfeld: Handlungsfeld::Bildungsintegration,
        titel: &[
            "Integrationskurs Leben in der Schweiz",
            "Integrationskurs {ort}",
            "Kurs «Ankommen im Kanton Solothurn»",
        ],
        beschreibung: "Wie die Schweiz funktioniert: Gemeinde, Schule, Arbeit, Versicherungen, Wohnen und Gesundheit. Mit Besuch der Gemeindeverwaltung in {ort}.",
        zielgruppen: &[Zielgruppe::Neuzugezogene, Zielgruppe::Erwachsene],
        sprachen: &["de", "en", "ar", "ti", "prs"],
        preis: (0, 80),
        sprachkurs: false,
        gewicht: 6,
    },
    Art {
        kategorie: Kategorie::FruehKindheit,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &["Spielgruppe mit Deutsch", "Spielgruppe plus {ort}", "Deutsch-Spielgruppe für Kinder ab 3"],
        beschreibung: "Spielen, singen, basteln – und dabei Deutsch lernen, ein Jahr vor dem Kindergarten. Zwei Halbtage pro Woche in {ort}.",
        zielgruppen: &[Zielgruppe::Kinder, Zielgruppe::Eltern],
        sprachen: &["de"],
        preis: (0, 400),
        sprachkurs: false,
        gewicht: 8,
    },
    Art {
        kategorie: Kategorie::FruehKindheit,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &[
            "Mütter- und Väterberatung",
            "Mütter- und Väterberatung {ort}",
            "Elternbildung: Gut begleitet ins erste Jahr",
        ],
        beschreibung: "Beratung zu Ernährung, Schlaf und Entwicklung von Säuglingen und Kleinkindern. Ohne Anmeldung, bei Bedarf mit interkultureller Dolmetscherin.",
        zielgruppen: &[Zielgruppe::Eltern, Zielgruppe::Frauen],
        sprachen: &["de", "sq", "tr", "ti", "ar"],
        preis: (0, 0),
        sprachkurs: false,
        gewicht: 6,
    },
    Art {
        kategorie: Kategorie::Bildung,
        handlungsfeld: Handlungsfeld::Bildungsintegration,
        titel: &[
            "Elternbildung: Schule in der Schweiz",
            "Elterncafé {ort}",
            "Elternabend «Wie funktioniert die Schule?»",
        ],
        beschreibung: "Für Eltern von Kindern im Kindergarten und in der Primarschule: Stundenplan, Elterngespräch, Hausaufgaben, Freizeit. Mit Kinderbetreuung.",
        zielgruppen: &[Zielgruppe::Eltern],
        sprachen: &["de", "pt", "sq", "ar"],
        preis: (0, 30),
        sprachkurs: false,
        gewicht: 5,
    },
    Art {
        kategorie: Kategorie::Arbeit,
        handlungsfeld: Handlungsfeld::Arbeitsintegration,
        titel: &[
            "Bewerbungswerkstatt",
            "Bewerbungs-Werkstatt {ort}",
            "Bewerbungen schreiben – offene Werkstatt",
            "Job-Café am {zeit}",
        ],
        beschreibung: "Lebenslauf, Bewerbungsschreiben und Vorbereitung auf das Vorstellungsgespräch, mit Unterstützung von Freiwilligen. Bitte Zeugnisse mitbringen.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Jugendliche, Zielgruppe::Fluechtlinge],
        sprachen: &["de", "en", "fr"],
        preis: (0, 0),
        sprachkurs: false,
        gewicht: 6,
    },
    Art {
        kategorie: Kategorie::FreizeitBegegnung,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &[
            "Nähcafé",
            "Nähcafé {ort}",
            "Deutsch-Treff {ort}",
            "Deutschtreff am {zeit}",
            "Frauentreff International",
            "Erzählcafé: Deutsch sprechen beim Kaffee",
        ],
        beschreibung: "Treffpunkt für Einheimische und Zugezogene in {ort}: zusammen nähen, plaudern, Deutsch üben. Ohne Anmeldung, Kaffee und Kuchen offeriert.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Frauen, Zielgruppe::Neuzugezogene],
        sprachen: &["de"],
        preis: (0, 5),
        sprachkurs: false,
        gewicht: 12,
    },
    Art {
        kategorie: Kategorie::Beratung,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &[
            "Migrationsberatung",
            "Beratungsstelle für Migrantinnen und Migranten",
            "Sozialberatung {ort}",
            "Rechtsberatung Aufenthalt und Familiennachzug",
        ],
        beschreibung: "Vertrauliche Beratung zu Aufenthalt, Arbeit, Wohnen, Finanzen und Familie. Termin nach Vereinbarung, auf Wunsch mit Dolmetscherin.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Fluechtlinge, Zielgruppe::Neuzugezogene],
        sprachen: &["de", "en", "fr", "ar", "ti", "uk"],
        preis: (0, 0),
        sprachkurs: false,
        gewicht: 7,
    },
    Art {
        kategorie: Kategorie::Gesundheit,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &[
            "Gesundheitskurs: Gesund im Alltag",
            "Gesundheit in der Schweiz – Infoabend",
            "Bewegungskurs für Frauen {ort}",
        ],
        beschreibung: "Wie das Gesundheitswesen funktioniert: Hausarzt, Notfall, Krankenkasse, Prämienverbilligung. Mit Fachpersonen und Dolmetschenden.",
        zielgruppen: &[Zielgruppe::Erwachsene, Zielgruppe::Frauen],
        sprachen: &["de", "ti", "ar", "ta", "tr"],
        preis: (0, 60),
        sprachkurs: false,
        gewicht: 5,
    },
    Art {
        kategorie: Kategorie::Information,
        handlungsfeld: Handlungsfeld::SozialeIntegration,
        titel: &[
            "Willkommensanlass für Neuzugezogene",
            "Stadtrundgang «Neu in {ort}»",
            "Begrüssungsapéro der Gemeinde {ort}",
        ],
        beschreibung: "Die Gemeinde {ort} heisst neue Einwohnerinnen und Einwohner willkommen: Vereine, Schule, Entsorgung und Verwaltung stellen sich vor.",
        zielgruppen: &[Zielgruppe::Neuzugezogene],
        sprachen: &["de", "en"],
        preis: (0, 0),
        sprachkurs: false,
        gewicht: 4,
    },
];

/// Larger towns get more offers (weights on top of 1 for every Gemeinde).
const TOWNS: &[(u16, u32)] =
    &[(2601, 30), (2581, 30), (2546, 25), (2583, 6), (2534, 6), (2500, 5), (2520, 5), (2473, 4)];

const NIVEAUS: &[Niveau] =
    &[Niveau::A1, Niveau::A1, Niveau::A2, Niveau::A2, Niveau::B1, Niveau::B1, Niveau::B2, Niveau::C1];

/// `count` offers, the first in every Gemeinde: about 80 % published, 10 % submitted, 10 % drafts; changed within the last 15 months, so some
/// are due for the yearly update; some valid only until shortly before today, so they read as expired.
pub fn offers(count: usize, seed: u64, now: DateTime<Utc>, owners: &Owners) -> Vec<NeuesAngebot> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let towns = town_weights();
    let today = now.date_naive();
    (0..count)
        .map(|index| {
            // Every Gemeinde gets one offer first, then the larger towns more.
            let gemeinde = match towns.get(index) {
                Some((bfs, _)) => *bfs,
                None => towns.choose_weighted(&mut rng, |(_, w)| *w).map(|(bfs, _)| *bfs).unwrap_or(towns[0].0),
            };
            offer(&mut rng, gemeinde, today, now, owners)
        })
        .collect()
}

fn town_weights() -> Vec<(BfsNr, u32)> {
    catalog::gemeinden()
        .map(|g| (g.bfs, 1 + TOWNS.iter().find(|(bfs, _)| *bfs == g.bfs.get()).map_or(0, |(_, w)| *w)))
        .collect()
}

fn offer(rng: &mut ChaCha8Rng, gemeinde: BfsNr, today: NaiveDate, now: DateTime<Utc>, owners: &Owners) -> NeuesAngebot {
    let art = ARTEN.choose_weighted(rng, |a| a.gewicht).unwrap_or(&ARTEN[0]);
    let ort = gemeinde.name().to_owned();
    let tageszeit =
        *[Tageszeit::Morgen, Tageszeit::Nachmittag, Tageszeit::Abend, Tageszeit::Abend, Tageszeit::Wochenende]
            .choose(rng)
            .unwrap_or(&Tageszeit::Abend);
    let niveau = if art.sprachkurs { NIVEAUS.choose(rng).copied() } else { None };
    let niveau_bis = niveau.and_then(|n| <Niveau as Choice>::ALL.iter().copied().find(|next| *next > n)).or(niveau);
    let fill = |text: &str| {
        text.replace("{ort}", &ort)
            .replace("{zeit}", tageszeit_wort(tageszeit))
            .replace("{niveau}", niveau.map(|n| n.code()).unwrap_or(""))
            .trim()
            .to_owned()
    };
    let titel = fill(art.titel.choose(rng).unwrap_or(&art.titel[0]));
    let francs =
        if art.preis.1 == 0 || rng.random_bool(0.35) { 0 } else { rng.random_range(art.preis.0..=art.preis.1) };
    let preis_rappen = francs / 10 * 1000;
    let (beginn, gueltig_bis) = if rng.random_bool(0.05) {
        let ende = today - Duration::days(rng.random_range(1..90));
        (ende - Duration::days(120), ende)
    } else {
        let beginn = today + Duration::days(rng.random_range(-60..120));
        (beginn, beginn + Duration::days(rng.random_range(90..400)))
    };
    // Saved while the offer was still valid: an offer valid only in the past cannot be saved.
    let updated_at = (now - Duration::days(rng.random_range(0..450))).min(last_valid_moment(gueltig_bis, now));
    let status = match rng.random_range(0..10) {
        0 => AngebotStatus::Entwurf,
        1 => AngebotStatus::Eingereicht,
        _ => AngebotStatus::Veroeffentlicht,
    };
    let organisation_id = match owners.gemeinden.get(&gemeinde) {
        Some(id) if rng.random_bool(0.25) || owners.anbieter.is_empty() => *id,
        _ => owners.anbieter.choose(rng).copied().unwrap_or(owners.updated_by),
    };
    let mut sprachen: Vec<String> = vec![art.sprachen[0].to_owned()];
    if let Some(extra) = art.sprachen.get(1..).and_then(|rest| rest.choose(rng)) {
        sprachen.push((*extra).to_owned());
    }
    NeuesAngebot {
        organisation_id,
        status,
        updated_by: owners.updated_by,
        updated_at,
        data: AngebotData {
            beschreibung: format!("{} {}", fill(art.beschreibung), zeit_satz(tageszeit)),
            titel,
            kategorie: art.kategorie,
            handlungsfeld: art.handlungsfeld,
            zielgruppen: art.zielgruppen.to_vec(),
            niveau_von: niveau,
            niveau_bis,
            sprachen,
            orte: vec![Ort { gemeinde, adresse: adresse(rng, &ort) }],
            tageszeiten: vec![tageszeit],
            zeitplan: zeitplan(rng, tageszeit),
            beginn: Some(beginn),
            ende: Some(gueltig_bis),
            preis_rappen,
            subventioniert: preis_rappen > 0 && rng.random_bool(0.6),
            kinderbetreuung: rng.random_bool(0.3),
            barrierefrei: rng.random_bool(0.5),
            anmeldung: format!(
                "Sekretariat, 032 {} {:02} {:02}",
                rng.random_range(600..700),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
            anmeldung_link: rng.random_bool(0.5).then(|| "https://www.so.ch/integration".to_owned()),
            gueltig_bis,
        },
    }
}

/// Noon (UTC) of the offer's last valid day, or `now` if that is later than now.
fn last_valid_moment(gueltig_bis: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    gueltig_bis.and_hms_opt(11, 0, 0).map_or(now, |noon| noon.and_utc().min(now))
}

fn tageszeit_wort(tageszeit: Tageszeit) -> &'static str {
    match tageszeit {
        Tageszeit::Morgen => "Morgen",
        Tageszeit::Nachmittag => "Nachmittag",
        Tageszeit::Abend => "Abend",
        Tageszeit::Wochenende => "Samstag",
    }
}

fn zeit_satz(tageszeit: Tageszeit) -> &'static str {
    match tageszeit {
        Tageszeit::Morgen => "Morgenkurs, passend zu den Schulzeiten der Kinder.",
        Tageszeit::Nachmittag => "Am Nachmittag.",
        Tageszeit::Abend => "Abendkurs nach der Arbeit.",
        Tageszeit::Wochenende => "Am Samstag.",
    }
}

fn zeitplan(rng: &mut ChaCha8Rng, tageszeit: Tageszeit) -> String {
    let tag = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"].choose(rng).copied().unwrap_or("Montag");
    match tageszeit {
        Tageszeit::Morgen => format!("jeden {tag}, 08.30–11.00"),
        Tageszeit::Nachmittag => format!("jeden {tag}, 14.00–16.00"),
        Tageszeit::Abend => format!("{tag} und Donnerstag, 19.00–21.00"),
        Tageszeit::Wochenende => "Samstag, 09.30–12.00".to_owned(),
    }
}

fn adresse(rng: &mut ChaCha8Rng, ort: &str) -> String {
    let strasse = ["Bahnhofstrasse", "Kirchgasse", "Hauptstrasse", "Schulhausweg", "Dorfplatz"].choose(rng).copied();
    format!("{} {}, {ort}", strasse.unwrap_or("Hauptstrasse"), rng.random_range(1..60))
}

/// Days on which date arithmetic goes wrong most easily: month ends, 29 February, the turn of the year and
/// the Kindergarten cut-off.
#[cfg(test)]
pub const HARD_DAYS: [(i32, u32, u32); 9] = [
    (2026, 2, 28),
    (2026, 7, 31),
    (2026, 8, 1),
    (2026, 12, 31),
    (2027, 1, 1),
    (2027, 3, 31),
    (2027, 11, 30),
    (2028, 2, 29),
    (2028, 3, 1),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn owners() -> Owners {
        Owners { anbieter: vec![7, 8], gemeinden: HashMap::new(), updated_by: 1 }
    }

    #[test]
    fn the_same_seed_gives_the_same_varied_offers() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let first = offers(500, 3, now, &owners());
        assert_eq!(first, offers(500, 3, now, &owners()));
        let titles: std::collections::HashSet<&str> = first.iter().map(|o| o.data.titel.as_str()).collect();
        assert!(titles.len() > 150, "{}", titles.len());
        assert!(first.iter().any(|o| o.data.titel.starts_with("Deutsch-Kurs")));
        assert!(first.iter().any(|o| o.data.titel.starts_with("Deutschkurse")));
        assert!(first.iter().any(|o| o.data.preis_rappen == 0) && first.iter().any(|o| o.data.subventioniert));
        let published = first.iter().filter(|o| o.status == AngebotStatus::Veroeffentlicht).count();
        assert!(published > 350, "{published}");
        let places: std::collections::HashSet<BfsNr> = first.iter().map(|o| o.data.orte[0].gemeinde).collect();
        assert_eq!(places.len(), catalog::gemeinden().count(), "every Gemeinde has an offer");
    }

    #[test]
    fn every_offer_passes_the_forms_check_on_the_day_it_was_last_saved_on_hard_days() {
        for (year, month, day) in HARD_DAYS {
            let now = Utc.with_ymd_and_hms(year, month, day, 11, 0, 0).unwrap();
            let generated = offers(400, 2026, now, &owners());
            assert_eq!(generated.len(), 400);
            for offer in &generated {
                assert!(offer.updated_at <= now, "{now}: saved in the future");
                let saved_on = iim_domain::clock::local_date(offer.updated_at);
                let checked = iim_domain::angebot::AngebotInput::from_data(&offer.data).check(saved_on);
                assert_eq!(
                    checked.as_ref().map_err(|e| format!("{e:?}")),
                    Ok(&offer.data),
                    "{now}: {}",
                    offer.data.titel
                );
            }
            let today = now.date_naive();
            let expired = generated.iter().filter(|o| o.data.gueltig_bis < today).count();
            let current = generated.iter().filter(|o| o.data.gueltig_bis >= today).count();
            assert!(expired > 0 && current > 300, "{now}: {expired} expired, {current} current");
        }
    }
}

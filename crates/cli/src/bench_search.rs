//! `iim bench-search`: loads N deterministic offers into a fresh database, builds the in-memory search index
//! as the server does at start, and measures (a) the raw engine: queries straight against the index, both the
//! tantivy top ten alone and the full search with facets and sorting, and (b) the public search through the
//! real HTTP stack, page and JSON API, with concurrent clients in the same process (ADR 0012).

use crate::bench::{run_load, scenario};
use crate::bench_setup::{RunningServer, TABLE_HEADER, add_user, cores, fresh_store};
use clap::Args;
use hdrhistogram::Histogram;
use iim_domain::angebot::{AngebotData, AngebotStatus, Kategorie, Ort, Tageszeit, Zielgruppe};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::sprache::Niveau;
use iim_domain::{Choice, Role};
use iim_search::{SearchQuery, Sort};
use iim_store::NeuesAngebot;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct BenchSearchArgs {
    /// Published offers in the index.
    #[arg(long, default_value_t = 100_000)]
    offers: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Concurrent connections for the HTTP scenarios.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Run on a fresh database on this PostgreSQL server; default: a fresh SQLite file.
    #[arg(long)]
    postgres: Option<String>,
}

/// The query mix: what people type, from very common to rare, with and without filters and sorting.
const QUERIES: &[&str] = &[
    "q=deutschkurs+abend+olten",
    "q=deutschkurs+abend+olten&sort=preis",
    "q=Deutschkurse",
    "q=deutschkrus",
    "q=spielgruppe",
    "q=bewerbung",
    "q=kinderbetreuung&kosten=kostenlos",
    "q=deutsch&kategorie=sprache&tageszeit=abend&niveau=A2",
    "q=beratung+grenchen",
    "",
    "kategorie=fruehe_kindheit&gemeinde=2581",
    "q=treffpunkt+frauen&sort=beginn",
];

pub async fn run(args: BenchSearchArgs) -> anyhow::Result<()> {
    let (_scratch, store) = fresh_store(args.postgres.as_deref()).await?;
    let provider = store.operator().upsert_provider("anbieter-bench-angebote", "Bench Angebote").await?;
    let user = add_user(&store, "anbieter.bench", "Bench Anbieter", "anbieter-bench-angebote", Role::Anbieter).await?;
    let today = store.clock().today();
    let started = Instant::now();
    let offers = generate(args.offers, today, 7);
    let now = store.clock().now();
    for chunk in offers.chunks(10_000) {
        let rows: Vec<NeuesAngebot> = chunk
            .iter()
            .map(|data| NeuesAngebot {
                organisation_id: provider,
                status: AngebotStatus::Veroeffentlicht,
                data: data.clone(),
                updated_by: user,
                updated_at: now,
            })
            .collect();
        store.operator().load_offers(&rows).await?;
    }
    let load_seconds = started.elapsed().as_secs_f64();

    let rss_before = resident_mb();
    let started = Instant::now();
    let index = iim_web::search_hook::build_index(&store).await?;
    let build_seconds = started.elapsed().as_secs_f64();
    let rss_after = resident_mb();

    println!("# iim bench-search");
    println!(
        "backend: {:?}, offers: {}, load: {load_seconds:.1} s, index build (read from the database + index): {build_seconds:.1} s, resident memory {rss_before:.0} → {rss_after:.0} MB",
        store.backend(),
        index.len()
    );
    let duration = Duration::from_secs(args.duration);
    println!(
        "concurrency (HTTP): {}, duration per scenario: {} s, cores: {}",
        args.concurrency,
        args.duration,
        cores()
    );
    println!("{TABLE_HEADER}");
    let index = Arc::new(index);
    let texts: Vec<String> = QUERIES.iter().map(|q| query_text(q)).collect();
    raw(duration, |i| index.top_ten(&texts[i % texts.len()]).is_ok())?.print("engine: tantivy top ten, 1 thread");
    let queries: Vec<SearchQuery> = QUERIES.iter().map(|q| search_query(q, today)).collect();
    raw(duration, |i| index.search(&queries[i % queries.len()]).is_ok())?
        .print("engine: full search (facets, sort, page), 1 thread");
    drop(index);

    let server = RunningServer::start(&store).await?;
    let base = server.base.clone();
    let client = reqwest::Client::builder().build()?;
    let picks: Vec<i64> = (0..QUERIES.len() as i64).collect();
    for (path, name) in [("/angebote", "HTTP page /angebote"), ("/api/v1/angebote", "HTTP API /api/v1/angebote")] {
        let (client, url) = (client.clone(), format!("{base}{path}"));
        let outcome = scenario(&picks, args.concurrency, duration, move |i| {
            client.get(format!("{url}?{}", QUERIES[i as usize % QUERIES.len()]))
        })
        .await?;
        outcome.print(name);
    }
    let (client, url) = (client.clone(), format!("{base}/health"));
    let floor = run_load(&picks, args.concurrency, duration, move |_| {
        let sent = client.get(url.clone()).send();
        async move { sent.await.is_ok() }
    })
    .await?;
    floor.print("HTTP floor: /health (no search)");
    server.stop().await
}

/// Runs `call` in a loop on this thread for `duration` and records each call's latency.
fn raw(duration: Duration, call: impl Fn(usize) -> bool) -> anyhow::Result<crate::bench::Outcome> {
    let mut histogram = Histogram::<u64>::new(3)?;
    let mut errors = 0;
    let started = Instant::now();
    let mut i = 0;
    while started.elapsed() < duration {
        let sent = Instant::now();
        if call(i) {
            histogram.record(sent.elapsed().as_micros() as u64)?;
        } else {
            errors += 1;
        }
        i += 1;
    }
    Ok(crate::bench::Outcome { histogram, errors, elapsed: started.elapsed() })
}

fn query_text(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn search_query(query: &str, today: chrono::NaiveDate) -> SearchQuery {
    let mut search =
        SearchQuery { text: String::new(), filters: Vec::new(), sort: Sort::Relevanz, page: 1, per_page: 20, today };
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "q" => search.text = value.into_owned(),
            "sort" => search.sort = Sort::from_code(&value),
            facet => search.filters.extend(iim_search::Facet::from_code(facet).map(|f| (f, value.into_owned()))),
        }
    }
    search
}

/// Resident memory of this process in MB (Linux), 0 elsewhere.
fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Kinds of offers: title, category, field, whether it is a language course, description.
const KINDS: &[(&str, Kategorie, Handlungsfeld, bool, &str)] = &[
    (
        "Deutschkurs",
        Kategorie::Sprache,
        Handlungsfeld::Sprachfoerderung,
        true,
        "Deutsch für Alltag und Beruf in kleinen Gruppen.",
    ),
    (
        "Deutsch-Kurs für Eltern",
        Kategorie::Sprache,
        Handlungsfeld::Sprachfoerderung,
        true,
        "Deutsch lernen, während die Kinder betreut werden.",
    ),
    (
        "Konversationskurs Deutsch",
        Kategorie::Sprache,
        Handlungsfeld::Sprachfoerderung,
        true,
        "Sprechen üben zu Themen des Alltags.",
    ),
    (
        "Alphabetisierungskurs",
        Kategorie::Sprache,
        Handlungsfeld::Sprachfoerderung,
        true,
        "Lesen und Schreiben lernen in lateinischer Schrift.",
    ),
    (
        "Spielgruppe",
        Kategorie::FruehKindheit,
        Handlungsfeld::Bildungsintegration,
        false,
        "Spielen, basteln und Deutsch hören für Kinder ab drei Jahren.",
    ),
    (
        "Bewerbungswerkstatt",
        Kategorie::Arbeit,
        Handlungsfeld::Arbeitsintegration,
        false,
        "Hilfe bei Lebenslauf, Bewerbungen und Vorstellungsgesprächen.",
    ),
    (
        "Treffpunkt für Frauen",
        Kategorie::FreizeitBegegnung,
        Handlungsfeld::SozialeIntegration,
        false,
        "Austausch, Ausflüge und Kaffee, Kinder willkommen.",
    ),
    (
        "Erziehungsberatung",
        Kategorie::Beratung,
        Handlungsfeld::SozialeIntegration,
        false,
        "Beratung zu Schule, Erziehung und Familie.",
    ),
    (
        "Computerkurs für Einsteiger",
        Kategorie::Bildung,
        Handlungsfeld::Bildungsintegration,
        false,
        "E-Mail, Formulare und Behördenportale.",
    ),
    (
        "Gesundheitsinformation",
        Kategorie::Gesundheit,
        Handlungsfeld::SozialeIntegration,
        false,
        "Wie das Gesundheitswesen in der Schweiz funktioniert.",
    ),
    (
        "Begrüssungsanlass",
        Kategorie::Information,
        Handlungsfeld::SozialeIntegration,
        false,
        "Die Gemeinde stellt sich den Neuzugezogenen vor.",
    ),
];

/// `count` offers, the same for the same seed: kinds, places, times and prices spread over the canton.
pub fn generate(count: usize, today: chrono::NaiveDate, seed: u64) -> Vec<AngebotData> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let gemeinden: Vec<_> = iim_domain::catalog::gemeinden().map(|g| g.bfs).collect();
    let sprachen = ["de", "de", "de", "en", "fr", "ti", "ar", "fa", "pt", "es", "sq", "tr"];
    (0..count)
        .map(|n| {
            let (titel, kategorie, handlungsfeld, kurs, beschreibung) = *KINDS.choose(&mut rng).unwrap_or(&KINDS[0]);
            let von = Niveau::ALL[rng.random_range(0..4)];
            let tageszeit = *Tageszeit::ALL.choose(&mut rng).unwrap_or(&Tageszeit::Abend);
            let gemeinde = *gemeinden.choose(&mut rng).unwrap_or(&gemeinden[0]);
            let preis = [0, 0, 5_000, 12_000, 25_000, 40_000][rng.random_range(0..6)];
            let titel =
                if kurs { format!("{titel} {} am {}", von.code(), tageszeit.label()) } else { format!("{titel} {n}") };
            AngebotData {
                titel,
                beschreibung: beschreibung.to_owned(),
                kategorie,
                handlungsfeld,
                zielgruppen: vec![*Zielgruppe::ALL.choose(&mut rng).unwrap_or(&Zielgruppe::Erwachsene)],
                niveau_von: kurs.then_some(von),
                niveau_bis: kurs.then(|| Niveau::ALL[Niveau::ALL.iter().position(|l| *l == von).unwrap_or(0) + 1]),
                sprachen: vec![(*sprachen.choose(&mut rng).unwrap_or(&"de")).to_owned()],
                orte: vec![Ort { gemeinde, adresse: format!("Bahnhofstrasse {}", n % 90 + 1) }],
                tageszeiten: vec![tageszeit],
                zeitplan: format!("jede Woche am {}", tageszeit.label()),
                beginn: Some(today + chrono::Duration::days(rng.random_range(0..200))),
                ende: None,
                preis_rappen: preis,
                subventioniert: preis > 0 && rng.random_bool(0.4),
                kinderbetreuung: rng.random_bool(0.3),
                barrierefrei: rng.random_bool(0.5),
                anmeldung: "Sekretariat, 062 000 00 00".to_owned(),
                anmeldung_link: None,
                gueltig_bis: today + chrono::Duration::days(365),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_benchmark_offer_passes_the_forms_check_on_hard_days() {
        for (year, month, day) in crate::synthetic_angebote::HARD_DAYS {
            let today = chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap();
            for offer in generate(300, today, 7) {
                let checked = iim_domain::angebot::AngebotInput::from_data(&offer).check(today);
                assert_eq!(checked.map_err(|e| format!("{e:?}")), Ok(offer), "{today}");
            }
        }
    }
}

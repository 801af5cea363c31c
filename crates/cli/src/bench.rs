//! `iim bench`: loads N synthetic persons and their dossiers into a fresh database, starts the real application
//! on a free port and measures person, dossier and worklist pages through the whole stack (HTTP, session or
//! token, access check, database reads, access log, template). The load generator runs in the same process and
//! shares the machine's cores with the server, as `wrk` would on the same machine.

use crate::bench_setup::{PASSWORD, RunningServer, TABLE_HEADER, add_user, cores, fresh_store, login};
use anyhow::Context;
use clap::Args;
use hdrhistogram::Histogram;
use iim_domain::{PersonData, Role};
use iim_store::{PersonQuery, Store};
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Persons in the register.
    #[arg(long, default_value_t = 100_000)]
    persons: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Concurrent connections.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Run on a fresh database on this PostgreSQL server (e.g. postgres://postgres@127.0.0.1/test);
    /// default: a fresh SQLite file.
    #[arg(long)]
    postgres: Option<String>,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let (_scratch, store) = fresh_store(args.postgres.as_deref()).await?;
    let user = add_user(&store, "bench.olten", "Bench", "sr-olten", Role::Fallfuehrung).await?;
    let started = Instant::now();
    load(&store, user, args.persons).await?;
    let load_seconds = started.elapsed().as_secs_f64();
    let actor = login(&store, "bench.olten").await?;
    let ids = ids_in_scope(&store, &actor).await?;
    let started = Instant::now();
    let dossier_count = load_dossiers(&store, user).await?;
    let dossier_seconds = started.elapsed().as_secs_f64();
    let leitung = login(&store, "leitung.olten").await?;
    let own_dossiers: Vec<i64> = store.caseload(&actor, 1, 200).await?.items.iter().map(|d| d.id).collect();
    let region_dossiers = dossier_ids(&store, &leitung).await?;
    let orders = order_for(&store, &actor, &own_dossiers).await?;
    let (_, token) = store.operator().create_api_token("bench.olten", "bench", None).await?;

    let server = RunningServer::start(&store).await?;
    let base = server.base.clone();
    let browser = logged_in_client(&base, "bench.olten").await?;
    let leitung_browser = logged_in_client(&base, "leitung.olten").await?;
    let api = reqwest::Client::builder().build()?;

    println!("# iim bench");
    println!(
        "backend: {:?}, persons: {}, ids sampled from the case worker's region: {}, load: {:.1} s ({:.0} persons/s)",
        store.backend(),
        args.persons,
        ids.len(),
        load_seconds,
        args.persons as f64 / load_seconds
    );
    println!(
        "dossiers: {dossier_count} (load {dossier_seconds:.1} s), own dossiers of the case worker: {}, dossiers of the Stelle sampled: {}",
        own_dossiers.len(),
        region_dossiers.len()
    );
    println!("orders of the case worker: {orders} Praxisassessments, half of them with a reported result");
    println!("concurrency: {}, duration per scenario: {} s, cores: {}", args.concurrency, args.duration, cores());
    println!("{TABLE_HEADER}");
    let duration = Duration::from_secs(args.duration);
    let url = base.clone();
    let client = api.clone();
    let ceiling = scenario(&ids, args.concurrency, duration, move |_| client.get(format!("{url}/health"))).await?;
    ceiling.print("ceiling: /health (HTTP stack, no database)");
    let direct = store_scenario(&store, &actor, &ids, args.concurrency, duration).await?;
    direct.print("ceiling: store.get_person (access check, read, log; no HTTP)");
    let (client, url) = (browser.clone(), base.clone());
    let page = scenario(&ids, args.concurrency, duration, move |id| client.get(format!("{url}/personen/{id}"))).await?;
    page.print("person page (HTML, session)");
    let url = base.clone();
    let api_result = scenario(&ids, args.concurrency, duration, move |id| {
        api.get(format!("{url}/api/v1/persons/{id}")).bearer_auth(&token)
    })
    .await?;
    api_result.print("person (JSON API, token)");
    let (client, url) = (browser.clone(), base.clone());
    let list =
        scenario(&ids, args.concurrency, duration, move |_| client.get(format!("{url}/personen?q=a&seite=2"))).await?;
    list.print("register list, search «a», page 2");
    let (client, url) = (browser.clone(), base.clone());
    let dossier_page =
        scenario(&own_dossiers, args.concurrency, duration, move |id| client.get(format!("{url}/dossiers/{id}")))
            .await?;
    dossier_page.print("dossier page (HTML), own dossier");
    let (client, url) = (leitung_browser.clone(), base.clone());
    let stelle_dossier =
        scenario(&region_dossiers, args.concurrency, duration, move |id| client.get(format!("{url}/dossiers/{id}")))
            .await?;
    stelle_dossier.print("dossier page (HTML), Leitung, any dossier of the Stelle");
    let (client, url) = (browser.clone(), base.clone());
    let worklist =
        scenario(&own_dossiers, args.concurrency, duration, move |_| client.get(format!("{url}/dossiers"))).await?;
    worklist.print("worklist «Meine Fälle», case worker");
    let (client, url) = (leitung_browser.clone(), base.clone());
    let stelle_list =
        scenario(&region_dossiers, args.concurrency, duration, move |_| client.get(format!("{url}/dossiers?seite=3")))
            .await?;
    stelle_list.print("worklist «Fälle der Stelle», Leitung, page 3");
    let (client, url) = (browser.clone(), base.clone());
    let pendenzen =
        scenario(&own_dossiers, args.concurrency, duration, move |_| client.get(format!("{url}/pendenzen"))).await?;
    pendenzen.print("«Meine Pendenzen», case worker");
    let (client, url) = (leitung_browser.clone(), base.clone());
    let stelle_pendenzen =
        scenario(&own_dossiers, args.concurrency, duration, move |_| client.get(format!("{url}/pendenzen"))).await?;
    stelle_pendenzen.print("«Meine Pendenzen», Leitung (whole Stelle)");
    let (client, url) = (browser.clone(), base.clone());
    let start_page =
        scenario(&own_dossiers, args.concurrency, duration, move |_| client.get(format!("{url}/"))).await?;
    start_page.print("start page with worklist counts, case worker");

    server.stop().await
}

async fn load(store: &Store, created_by: i64, count: usize) -> anyhow::Result<()> {
    let today = store.clock().today();
    let chunk = 20_000;
    let mut done = 0;
    let mut seed = 0;
    let progress = indicatif::ProgressBar::new(count as u64);
    while done < count {
        let size = chunk.min(count - done);
        seed += 1;
        let persons: Vec<PersonData> = crate::synthetic::persons(size, seed, today);
        store.operator().load_persons(created_by, &persons).await?;
        done += size;
        progress.set_position(done as u64);
    }
    progress.finish_and_clear();
    Ok(())
}

/// Gives every person a dossier at the Stelle of its Wohngemeinde, with a Kurzassessment (1 to 15 months old,
/// so some Standortbestimmungen are overdue) and two goals for most. The bench case worker keeps 60 dossiers of Olten, the
/// rest of each Stelle belongs to a colleague. Returns the number of dossiers.
async fn load_dossiers(store: &Store, bench_user: i64) -> anyhow::Result<usize> {
    let directory = store.directory();
    let olten = directory.by_code("sr-olten").map(|o| o.id).context("Sozialregion Olten fehlt")?;
    add_user(store, "leitung.olten", "Bench Leitung", "sr-olten", Role::Leitung).await?;
    let mut colleagues = std::collections::HashMap::new();
    for region in directory.all().filter(|o| o.kind == iim_store::OrganisationKind::Sozialregion) {
        let username = format!("kollege.{}", region.code);
        let colleague =
            add_user(store, &username, &format!("Kollege {}", region.name), &region.code, Role::Fallfuehrung).await?;
        colleagues.insert(region.id, colleague);
    }
    let today = store.clock().today();
    let now = store.clock().now();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    let mut own = 0;
    let mut seeds = Vec::new();
    for (person_id, region) in store.operator().person_regions().await? {
        let Some(stelle_id) = region else { continue };
        let responsible = if stelle_id == olten && own < 60 {
            own += 1;
            bench_user
        } else {
            colleagues.get(&stelle_id).copied().unwrap_or(bench_user)
        };
        let datum = today - chrono::Duration::days(rand::Rng::random_range(&mut rng, 30..460));
        let assessed = rand::Rng::random_bool(&mut rng, 0.85);
        let kurzassessment =
            if assessed { crate::synthetic::kurzassessment(&mut rng, datum).parse(today).ok() } else { None };
        let ziele = if assessed { crate::synthetic::ziele(&mut rng, today) } else { Vec::new() };
        seeds.push(iim_store::DossierSeed {
            person_id,
            stelle_id,
            responsible_user_id: responsible,
            opened_at: now,
            kurzassessment,
            ziele,
        });
    }
    store.operator().load_dossiers(&seeds).await?;
    Ok(seeds.len())
}

/// A provider accredited for Praxisassessments gets an order for the first 30 of the case worker's dossiers
/// and reports on half of them, so that the dossier pages and the worklist carry orders and results.
/// Returns the number of orders.
async fn order_for(store: &Store, case_worker: &iim_domain::Actor, dossiers: &[i64]) -> anyhow::Result<usize> {
    use iim_domain::auftrag::{AnbieterTyp, AuftragArt, AuftragInput, ErgebnisInput};
    let provider = store.operator().upsert_provider("anbieter-bench", "Bench Arbeitsintegration").await?;
    store
        .operator()
        .set_provider_profile("anbieter-bench", AnbieterTyp::Arbeitsmarktintegration, &[AuftragArt::Praxisassessment])
        .await?;
    add_user(store, "anbieter.bench", "Bench Anbieter", "anbieter-bench", Role::Anbieter).await?;
    let reporter = login(store, "anbieter.bench").await?;
    let input = AuftragInput {
        art: "praxisassessment".to_owned(),
        anbieter: provider.to_string(),
        fragestellung: "Belastbarkeit und Pünktlichkeit im Arbeitsalltag?".to_owned(),
    };
    let report = ErgebnisInput {
        ergebnis: "Zuverlässig und pünktlich.".to_owned(),
        empfehlungen: "Arbeitsintegration Modul 3.".to_owned(),
        komplex: String::new(),
    };
    let chosen = &dossiers[..dossiers.len().min(30)];
    for (n, dossier) in chosen.iter().enumerate() {
        let ordered = store.order(case_worker, *dossier, &input).await?;
        if n % 2 == 0
            && let Some(order) = ordered.auftraege.last()
        {
            store.report_result(&reporter, order.id, &report).await?;
        }
    }
    Ok(chosen.len())
}

/// Up to 2 000 dossier ids of the Leitung's Stelle.
async fn dossier_ids(store: &Store, leitung: &iim_domain::Actor) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for page in 1..=10 {
        let found = store.caseload(leitung, page, 200).await?;
        ids.extend(found.items.iter().map(|d| d.id));
        if found.items.is_empty() {
            break;
        }
    }
    anyhow::ensure!(!ids.is_empty(), "keine Dossiers in der Stelle");
    Ok(ids)
}

async fn ids_in_scope(store: &Store, actor: &iim_domain::Actor) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for page in 1..=10 {
        let found = store.list_persons(actor, &PersonQuery { text: String::new(), page, per_page: 200 }).await?;
        ids.extend(found.items.iter().map(|p| p.id));
        if found.items.is_empty() {
            break;
        }
    }
    anyhow::ensure!(!ids.is_empty(), "keine Personen im Gebiet des Bench-Benutzers");
    Ok(ids)
}

async fn logged_in_client(base: &str, username: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let form = client.get(format!("{base}/login")).send().await?.text().await?;
    let token = form
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("login form without CSRF token")?
        .to_owned();
    let response = client
        .post(format!("{base}/login"))
        .form(&[("username", username), ("password", PASSWORD), ("csrf_token", token.as_str()), ("weiter", "/")])
        .send()
        .await?;
    anyhow::ensure!(response.status().is_redirection(), "login failed: {}", response.status());
    Ok(client)
}

pub(crate) struct Outcome {
    pub(crate) histogram: Histogram<u64>,
    pub(crate) errors: u64,
    pub(crate) elapsed: Duration,
}

impl Outcome {
    pub(crate) fn print(&self, name: &str) {
        let ms = |micros: u64| micros as f64 / 1000.0;
        let count = self.histogram.len();
        println!(
            "| {name} | {count} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            count as f64 / self.elapsed.as_secs_f64(),
            ms(self.histogram.value_at_quantile(0.5)),
            ms(self.histogram.value_at_quantile(0.99)),
            ms(self.histogram.max()),
            self.errors
        );
    }
}

/// Calls the store directly, as the handlers do, to show what the HTTP layer adds.
async fn store_scenario(
    store: &Store,
    actor: &iim_domain::Actor,
    ids: &[i64],
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let (store, actor) = (store.clone(), actor.clone());
    run_load(ids, concurrency, duration, move |id| {
        let (store, actor) = (store.clone(), actor.clone());
        async move { store.get_person(&actor, id).await.is_ok() }
    })
    .await
}

/// Sends HTTP requests for random ids; a request counts when it answers 2xx with a complete body.
pub(crate) async fn scenario(
    ids: &[i64],
    concurrency: usize,
    duration: Duration,
    request: impl Fn(i64) -> reqwest::RequestBuilder + Clone + Send + Sync + 'static,
) -> anyhow::Result<Outcome> {
    run_load(ids, concurrency, duration, move |id| {
        let sent = request(id).send();
        async move {
            match sent.await {
                Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await
}

/// Runs `concurrency` loops, each calling `call` with random ids until the time is up, and merges the
/// latencies of the successful calls.
pub(crate) async fn run_load<F, Fut>(
    ids: &[i64],
    concurrency: usize,
    duration: Duration,
    call: F,
) -> anyhow::Result<Outcome>
where
    F: Fn(i64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (ids, call) = (ids.to_vec(), call.clone());
        workers.push(tokio::spawn(async move {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(worker as u64);
            let mut histogram = Histogram::<u64>::new(3)?;
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let id = ids.choose(&mut rng).copied().unwrap_or(1);
                let sent = Instant::now();
                if call(id).await {
                    histogram.record(sent.elapsed().as_micros() as u64)?;
                } else {
                    errors += 1;
                }
            }
            anyhow::Ok((histogram, errors))
        }));
    }
    let mut total = Histogram::<u64>::new(3)?;
    let mut errors = 0;
    for worker in workers {
        let (histogram, worker_errors) = worker.await??;
        total.add(histogram)?;
        errors += worker_errors;
    }
    Ok(Outcome { histogram: total, errors, elapsed: started.elapsed() })
}

//! `iim bench-audit`: the cost of the access log on reads. Loads a small register into a fresh database and
//! reads persons as fast as `concurrency` callers can, once straight through the store (access check, read,
//! access-log entry) and once through the JSON API, then counts the log entries: every acknowledged read must
//! have one. Small and quick on purpose, so that it can be run before and after a change of the log's write
//! path (docs/performance.md).

use crate::bench_setup::{RunningServer, TABLE_HEADER, add_user, cores, fresh_store, login};
use clap::Args;
use iim_domain::Role;
use iim_store::{AuditQuery, PersonQuery, Store};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct BenchAuditArgs {
    /// Persons in the register.
    #[arg(long, default_value_t = 5_000)]
    persons: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Concurrent callers.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Run on a fresh database on this PostgreSQL server (e.g. postgres://postgres@127.0.0.1/test);
    /// default: a fresh SQLite file.
    #[arg(long)]
    postgres: Option<String>,
}

pub async fn run(args: BenchAuditArgs) -> anyhow::Result<()> {
    let (_scratch, store) = fresh_store(args.postgres.as_deref()).await?;
    let reader = add_user(&store, "bench.olten", "bench.olten", "sr-olten", Role::Fallfuehrung).await?;
    add_user(&store, "bench.kanton", "bench.kanton", "aso", Role::Kanton).await?;
    let persons = crate::synthetic::persons(args.persons, 7, store.clock().today());
    store.operator().load_persons(reader, &persons).await?;
    let actor = login(&store, "bench.olten").await?;
    let kanton = login(&store, "bench.kanton").await?;
    let ids: Vec<i64> = store
        .list_persons(&actor, &PersonQuery { text: String::new(), page: 1, per_page: 200 })
        .await?
        .items
        .iter()
        .map(|p| p.id)
        .collect();
    anyhow::ensure!(!ids.is_empty(), "keine Personen im Gebiet des Bench-Benutzers");
    let (_, token) = store.operator().create_api_token("bench.olten", "bench", None).await?;
    let server = RunningServer::start(&store).await?;
    let base = server.base.clone();

    println!("# iim bench-audit");
    println!(
        "backend: {:?}, persons: {}, concurrency: {}, duration per scenario: {} s, cores: {}",
        store.backend(),
        args.persons,
        args.concurrency,
        args.duration,
        cores()
    );
    println!("{TABLE_HEADER}");
    let duration = Duration::from_secs(args.duration);
    let logged_before = person_entries(&store, &kanton).await?;
    let (direct_store, direct_actor) = (store.clone(), actor.clone());
    let direct = crate::bench::run_load(&ids, args.concurrency, duration, move |id| {
        let (store, actor) = (direct_store.clone(), direct_actor.clone());
        async move { store.get_person(&actor, id).await.is_ok() }
    })
    .await?;
    direct.print("audited read: store.get_person (no HTTP)");
    let (client, url) = (reqwest::Client::new(), base.clone());
    let api = crate::bench::scenario(&ids, args.concurrency, duration, move |id| {
        client.get(format!("{url}/api/v1/persons/{id}")).bearer_auth(&token)
    })
    .await?;
    api.print("audited read: person (JSON API, token)");
    store.flush_audit().await;
    let logged = person_entries(&store, &kanton).await? - logged_before;
    let acknowledged = direct.histogram.len() + api.histogram.len();
    println!("\nacknowledged reads: {acknowledged}, person read entries in the log: {logged}");
    server.stop().await
}

/// Entries on persons in the whole log (the Kanton's view).
async fn person_entries(store: &Store, kanton: &iim_domain::Actor) -> anyhow::Result<u64> {
    let query =
        AuditQuery { resource: Some(iim_domain::Resource::Person), page: 1, per_page: 1, ..AuditQuery::default() };
    Ok(store.list_audit(kanton, &query).await?.total)
}

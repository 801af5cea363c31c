//! What every benchmark sets up the same way: a fresh database with the canton's organisations, accounts
//! with one password, the real application on a free port, and the facts of the machine for the report. One
//! place, so that the benchmarks measure the same ground and differ only in what they measure.

use anyhow::Context;
use iim_domain::clock::SystemClock;
use iim_domain::{Actor, Role};
use iim_store::scratch::ScratchDatabase;
use iim_store::{NewUser, RegionMapping, Store};
use iim_web::{Application, Settings};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The password of every benchmark account.
pub(crate) const PASSWORD: &str = "bench-passwort";

/// The header of the result table every load benchmark prints.
pub(crate) const TABLE_HEADER: &str =
    "\n| scenario | requests | req/s | p50 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|";

/// A fresh, migrated database with the canton's organisations: a new database on the PostgreSQL server
/// `postgres`, or a new SQLite file. The database is dropped with the returned [`ScratchDatabase`].
pub(crate) async fn fresh_store(postgres: Option<&str>) -> anyhow::Result<(ScratchDatabase, Store)> {
    let scratch = match postgres {
        Some(server) => ScratchDatabase::postgres(server).await?,
        None => ScratchDatabase::sqlite()?,
    };
    let store = Store::connect(&scratch.url, Arc::new(SystemClock)).await?;
    store.migrate().await?;
    store.operator().sync_organisations(&RegionMapping::example()?).await?;
    Ok((scratch, store))
}

/// Creates the account `username` (display name `name`) in `organisation` with `role` and the benchmark
/// password; returns its id.
pub(crate) async fn add_user(
    store: &Store,
    username: &str,
    name: &str,
    organisation: &str,
    role: Role,
) -> anyhow::Result<i64> {
    let user = store
        .operator()
        .create_user(NewUser {
            username: username.to_owned(),
            display_name: name.to_owned(),
            organisation_code: organisation.to_owned(),
            roles: vec![role],
            password: Some(PASSWORD.to_owned()),
        })
        .await?;
    Ok(user.id)
}

/// The actor of a benchmark account, as after its login.
pub(crate) async fn login(store: &Store, username: &str) -> anyhow::Result<Actor> {
    store.login(username, PASSWORD, "127.0.0.1").await.map_err(|e| anyhow::anyhow!("Anmeldung {username}: {e}"))
}

/// The real application, serving `store` on a free local port until [`RunningServer::stop`].
pub(crate) struct RunningServer {
    /// `http://127.0.0.1:<port>`.
    pub(crate) base: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    pub(crate) async fn start(store: &Store) -> anyhow::Result<Self> {
        let settings = Settings { listen: "127.0.0.1:0".to_owned(), ..Settings::default() };
        let app = Application::build(settings, store.clone()).await?;
        let base = format!("http://{}", app.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Ok(RunningServer { base, stop, task })
    }

    /// Shuts the server down and waits until it has closed the store.
    pub(crate) async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await.context("server task")??;
        Ok(())
    }
}

/// The cores this process may use, for the report.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Peak resident memory of this process since its start or the last reset (Linux), in MB.
pub(crate) fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

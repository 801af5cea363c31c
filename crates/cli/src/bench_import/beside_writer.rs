//! A big baseDelivery imported while a colleague keeps working (issue 11): the import commits in batches so
//! that another writer waits for one batch, never for the whole delivery. This phase proves it with figures:
//! a second task changes a person every 20 ms through the Store API (access check, write transaction, log
//! entry), as a case worker saving forms would, and records how long each change took; the import reports its
//! events per second, its peak memory and its longest batch. The writer is first measured alone for a second,
//! so its usual latency stands beside the one during the import.

use super::{importing_store, person, reset_peak_memory, write_base_delivery};
use crate::bench_setup::{add_user, login, peak_memory_mb};
use iim_domain::{Actor, BfsNr, PersonData, Role};
use iim_ech::read_delivery;
use iim_store::{Store, StoreError, delivery_files};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// How often the concurrent writer changes its person.
const WRITE_EVERY: Duration = Duration::from_millis(20);

/// Register numbers of the arrivals stored before the baseDelivery; the unknown residents come after them.
const KNOWN_FROM: usize = 3_000_000;
const UNKNOWN_FROM: usize = 4_000_000;

/// Writes the arrivals (every second person of the baseDelivery, one single-event delivery each, into
/// `dir/ankuenfte`) and the baseDelivery `dir/bestand.xml` of `events` persons.
pub(super) fn generate(dir: &Path, events: usize) -> anyhow::Result<(std::path::PathBuf, std::path::PathBuf)> {
    let folder = dir.join("ankuenfte");
    std::fs::create_dir_all(&folder)?;
    for k in 0..events.div_ceil(2) {
        let xml = super::delivery(&format!("ankunft-{k}"), &super::arrival(KNOWN_FROM + k, 2581));
        std::fs::write(folder.join(format!("{k:07}.xml")), xml)?;
    }
    let base = dir.join("bestand.xml");
    write_base_delivery(&base, "bestand", events, |n| {
        if n.is_multiple_of(2) { person(KNOWN_FROM + n / 2, "ER") } else { person(UNKNOWN_FROM + n, "CH") }
    })?;
    Ok((folder, base))
}

/// Measures the writer alone, then beside the import of the arrivals (one transaction each) and beside the
/// baseDelivery (in batches); prints a row for each.
pub(super) async fn run(name: &str, postgres: Option<&str>, arrivals: &Path, base: &Path) -> anyhow::Result<()> {
    let (_scratch, store, admin) = importing_store(postgres).await?;
    let writer = Writer::new(&store).await?;
    let (writer, ()) = beside(writer, tokio::time::sleep(Duration::from_secs(1))).await?;
    writer.print(&format!("{name}: the writer alone, 1 s"), None);
    let files = delivery_files(&[(arrivals.to_path_buf(), "ankuenfte".to_owned())]);
    reset_peak_memory();
    let started = Instant::now();
    let (writer, results) = beside(writer.fresh(), store.import_register_files(&admin, &files, |_| ())).await?;
    let folder = ImportFigures {
        events: results?.len(),
        seconds: started.elapsed().as_secs_f64(),
        peak_mb: peak_memory_mb(),
        longest_batch: None,
    };
    writer.print(&format!("{name}: folder of the arrivals, one delivery each, beside the writer"), Some(&folder));
    let longest = Arc::new(AtomicU64::new(0));
    let reader = PauseTimer { inner: std::fs::File::open(base)?, last: Instant::now(), longest: longest.clone() };
    let delivery = read_delivery(reader)?;
    reset_peak_memory();
    let started = Instant::now();
    let (writer, report) =
        beside(writer.fresh(), store.import_register_delivery(&admin, "bestand.xml", delivery)).await?;
    let report = report?;
    let import = ImportFigures {
        events: report.gelesen,
        seconds: started.elapsed().as_secs_f64(),
        peak_mb: peak_memory_mb(),
        longest_batch: Some(Duration::from_micros(longest.load(Ordering::Relaxed))),
    };
    writer.print(&format!("{name}: baseDelivery, half of it stored arrivals, beside the writer"), Some(&import));
    anyhow::ensure!(report.zugeordnet + report.uebersprungen == report.gelesen, "not every event done: {report:?}");
    store.close().await;
    Ok(())
}

/// Runs `work` while the writer changes its person every [`WRITE_EVERY`]; the writer stops when `work` ends.
async fn beside<T>(writer: Writer, work: impl Future<Output = T>) -> anyhow::Result<(Writer, T)> {
    let stop = Arc::new(AtomicBool::new(false));
    let task = tokio::spawn(writer.run(stop.clone()));
    let result = work.await;
    stop.store(true, Ordering::Relaxed);
    Ok((task.await?, result))
}

/// What the import did, for its row.
struct ImportFigures {
    events: usize,
    seconds: f64,
    peak_mb: Option<f64>,
    /// The longest transaction, where one delivery has several.
    longest_batch: Option<Duration>,
}

/// A case worker of Olten who changes one person again and again, alternating between two sets of data.
struct Writer {
    store: Store,
    actor: Actor,
    id: i64,
    version: i32,
    data: [PersonData; 2],
    latencies: Vec<Duration>,
    errors: usize,
}

impl Writer {
    async fn new(store: &Store) -> anyhow::Result<Self> {
        add_user(store, "bench.schreiber", "Bench Schreiber", "sr-olten", Role::Fallfuehrung).await?;
        let actor = login(store, "bench.schreiber").await?;
        let olten = BfsNr::known(2581).ok_or_else(|| anyhow::anyhow!("Olten fehlt im Katalog"))?;
        let mut persons = crate::synthetic::persons(2, 7, store.clock().today()).into_iter().map(|mut p| {
            p.wohngemeinde = olten;
            p
        });
        let (Some(first), Some(second)) = (persons.next(), persons.next()) else {
            anyhow::bail!("keine synthetischen Personen");
        };
        let created = store.create_person(&actor, first.clone()).await?;
        Ok(Writer {
            store: store.clone(),
            actor,
            id: created.id,
            version: created.version,
            data: [second, first],
            latencies: Vec::new(),
            errors: 0,
        })
    }

    /// The same writer with its figures cleared, for the next measurement.
    fn fresh(self) -> Self {
        Writer { latencies: Vec::new(), errors: 0, ..self }
    }

    /// Changes the person every [`WRITE_EVERY`] until `stop` is set, recording how long each change took.
    async fn run(mut self, stop: Arc<AtomicBool>) -> Self {
        let mut ticks = tokio::time::interval(WRITE_EVERY);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        while !stop.load(Ordering::Relaxed) {
            ticks.tick().await;
            let data = self.data[self.latencies.len() % 2].clone();
            let started = Instant::now();
            let result = self.store.update_person(&self.actor, self.id, self.version, data).await;
            self.latencies.push(started.elapsed());
            match result {
                Ok(person) => self.version = person.version,
                Err(StoreError::Stale(current)) => {
                    self.version = current.version;
                    self.errors += 1;
                }
                Err(_) => self.errors += 1,
            }
        }
        self
    }

    /// One row of the table: the import's figures (if any) and the writer's latencies.
    fn print(&self, what: &str, import: Option<&ImportFigures>) {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let ms = |d: Option<&Duration>| d.map_or_else(|| "–".to_owned(), |d| format!("{:.1}", d.as_secs_f64() * 1e3));
        let at = |share: f64| sorted.get(((sorted.len() as f64 * share).ceil() as usize).saturating_sub(1));
        let import_columns = import.map_or_else(
            || "– | – | – | – | –".to_owned(),
            |i| {
                let peak = i.peak_mb.map_or_else(|| "–".to_owned(), |mb| format!("{mb:.0}"));
                format!(
                    "{} | {:.1} | {:.0} | {peak} | {}",
                    i.events,
                    i.seconds,
                    i.events as f64 / i.seconds,
                    ms(i.longest_batch.as_ref())
                )
            },
        );
        println!(
            "| {what} | {import_columns} | {} | {} | {} | {} | {} |",
            sorted.len(),
            ms(at(0.5)),
            ms(at(0.99)),
            ms(sorted.last()),
            self.errors
        );
    }
}

/// The header of the table [`Writer::print`] fills.
pub(super) const TABLE_HEADER: &str = "| what | events | seconds | events/s | peak MB | longest read gap ms | changes | p50 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|---|---|---|---|";

/// A reader that notes the longest pause between two reads. The import reads a batch's events, then holds
/// them in one transaction, so the longest pause is its longest batch: waiting for the write lock, the work
/// and the commit (plus the parsing of the few events left in the buffer, microseconds, and on SQLite the
/// import's pause between batches).
struct PauseTimer<R> {
    inner: R,
    last: Instant,
    longest: Arc<AtomicU64>,
}

impl<R: Read> Read for PauseTimer<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let pause = u64::try_from(self.last.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.longest.fetch_max(pause, Ordering::Relaxed);
        let read = self.inner.read(buffer);
        self.last = Instant::now();
        read
    }
}

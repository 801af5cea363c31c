//! `iim bench-import`: the eCH-0020 import end to end into a fresh database, the way a week's batch arrives:
//! (a) a folder of single-event deliveries (a realistic mix of moveIn from abroad of foreign nationals, moveIn
//! of Swiss nationals, moveOut, move, birth and death, over the Gemeinden of the canton) and (b) one
//! baseDelivery of as many persons. Reports events per second, wall time and the peak memory of each phase,
//! next to the raw speed of the reader on the same files, on SQLite and (with `--postgres`) on PostgreSQL.
//! Then (c) a baseDelivery of `--beside-writer` persons, half of them arrivals stored before, while another
//! user changes a person every 20 ms (`beside_writer`): how long that user waits, and the import's longest
//! batch. Figures in docs/performance.md.

mod beside_writer;

use crate::bench_setup::{add_user, fresh_store, peak_memory_mb};
use clap::Args;
use iim_domain::{Role, catalog};
use iim_ech::read_delivery;
use iim_store::scratch::ScratchDatabase;
use iim_store::{FileOutcome, Store, delivery_files};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchImportArgs {
    /// Single-event deliveries in the folder, and persons in the baseDelivery.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// Also measure on a fresh database on this PostgreSQL server (e.g. postgres://postgres@127.0.0.1/test).
    #[arg(long)]
    postgres: Option<String>,
    /// Persons in the baseDelivery imported while another user changes a person every 20 ms.
    #[arg(long, default_value_t = 20_000)]
    beside_writer: usize,
}

const NAMESPACES: &str = r#"xmlns="http://www.ech.ch/xmlns/eCH-0020/3" xmlns:p="http://www.ech.ch/xmlns/eCH-0044/4" xmlns:m="http://www.ech.ch/xmlns/eCH-0007/5" xmlns:h="http://www.ech.ch/xmlns/eCH-0058/5" xmlns:d="http://www.ech.ch/xmlns/eCH-0011/8" xmlns:c="http://www.ech.ch/xmlns/eCH-0008/3""#;

/// One of the event kinds of the mix, in per mille of a week's events (moves dominate, births and deaths
/// are rarer; arrivals from abroad of foreign nationals are what the Cockpit stores).
const MIX: &[(Kind, u32)] = &[
    (Kind::ArrivalFromAbroad, 150),
    (Kind::SwissArrival, 250),
    (Kind::MoveOut, 250),
    (Kind::Move, 200),
    (Kind::Birth, 80),
    (Kind::Death, 70),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ArrivalFromAbroad,
    SwissArrival,
    MoveOut,
    Move,
    Birth,
    Death,
}

fn kind_of(n: usize) -> Kind {
    let slot = u32::try_from(n % 1000).unwrap_or_default();
    let mut upto = 0;
    for (kind, share) in MIX {
        upto += share;
        if slot < upto {
            return *kind;
        }
    }
    Kind::Move
}

fn person(n: usize, country: &str) -> String {
    format!(
        "<personIdentification><p:localPersonId><p:personIdCategory>CH.ZAR</p:personIdCategory><p:personId>{n}</p:personId></p:localPersonId><p:officialName>Tesfamariam-Čelik {n}</p:officialName><p:firstName>Selam</p:firstName><p:sex>2</p:sex><p:dateOfBirth><p:yearMonthDay>1994-03-{:02}</p:yearMonthDay></p:dateOfBirth></personIdentification><nationalityData><d:nationalityStatus>2</d:nationalityStatus><d:countryInfo><d:country><c:countryIdISO2>{country}</c:countryIdISO2><c:countryNameShort>{country}</c:countryNameShort></d:country></d:countryInfo></nationalityData><residencePermitData><d:residencePermit>05</d:residencePermit></residencePermitData>",
        n % 28 + 1
    )
}

fn municipality(bfs: u16) -> String {
    format!(
        "<reportingMunicipality><m:municipalityId>{bfs}</m:municipalityId><m:municipalityName>G{bfs}</m:municipalityName></reportingMunicipality>"
    )
}

fn single_event(n: usize, gemeinden: &[u16]) -> String {
    let here = gemeinden[n % gemeinden.len()];
    let there = gemeinden[(n / 7 + 3) % gemeinden.len()];
    let body = match kind_of(n) {
        Kind::ArrivalFromAbroad => arrival(n, here),
        Kind::SwissArrival => format!(
            "<moveIn><moveInPerson>{}</moveInPerson><hasMainResidence>{}<arrivalDate>2026-11-03</arrivalDate><comesFrom><d:swissTown><m:municipalityId>{there}</m:municipalityId><m:municipalityName>G{there}</m:municipalityName></d:swissTown></comesFrom></hasMainResidence></moveIn>",
            person(n, "CH"),
            municipality(here)
        ),
        Kind::MoveOut => format!(
            "<moveOut><moveOutPerson>{}</moveOutPerson><moveOutReportingDestination>{}<departureDate>2026-11-04</departureDate><goesTo><d:swissTown><m:municipalityId>351</m:municipalityId><m:municipalityName>Bern</m:municipalityName></d:swissTown></goesTo></moveOutReportingDestination></moveOut>",
            person(n, "CH"),
            municipality(here)
        ),
        Kind::Move => format!(
            "<move><movePerson>{}</movePerson><moveReportingMunicipality>{}</moveReportingMunicipality></move>",
            person(n, "IT"),
            municipality(here)
        ),
        Kind::Birth => format!(
            "<birth><birthPerson>{}</birthPerson><hasMainResidence><mainResidence>{}</mainResidence></hasMainResidence></birth>",
            person(n, if n.is_multiple_of(3) { "TR" } else { "CH" }),
            municipality(here)
        ),
        Kind::Death => format!(
            "<death><deathPerson>{}</deathPerson><deathData><deathPeriod><dateFrom>2026-11-05</dateFrom></deathPeriod></deathData></death>",
            person(n, "CH")
        ),
    };
    delivery(&format!("einzeln-{n}"), &body)
}

/// The moveIn from abroad of foreign national `n` into Gemeinde `here`.
fn arrival(n: usize, here: u16) -> String {
    format!(
        "<moveIn><moveInPerson>{}</moveInPerson><hasMainResidence>{}<arrivalDate>2026-11-02</arrivalDate><comesFrom><d:foreignCountry><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:foreignCountry></comesFrom></hasMainResidence></moveIn>",
        person(n, "ER"),
        municipality(here)
    )
}

/// A single-event delivery with message id `message`.
fn delivery(message: &str, body: &str) -> String {
    format!(
        "<delivery {NAMESPACES}><deliveryHeader><h:senderId>sedex://bench</h:senderId><h:messageId>{message}</h:messageId></deliveryHeader>{body}</delivery>"
    )
}

/// Writes the folder of single-event deliveries and the baseDelivery; returns their paths.
fn generate(dir: &Path, events: usize) -> anyhow::Result<(PathBuf, PathBuf)> {
    let gemeinden: Vec<u16> = catalog::gemeinden().map(|g| g.bfs.get()).collect();
    let folder = dir.join("einzeln");
    std::fs::create_dir_all(&folder)?;
    for n in 0..events {
        std::fs::write(folder.join(format!("{n:07}.xml")), single_event(n, &gemeinden))?;
    }
    let base = dir.join("basis.xml");
    write_base_delivery(&base, "basis", events, |n| {
        person(1_000_000 + n, if n.is_multiple_of(4) { "ER" } else { "CH" })
    })?;
    Ok((folder, base))
}

/// Writes a baseDelivery `message` of `events` persons, the `n`-th given by `person_of(n)`, spread over the
/// Gemeinden of the canton.
fn write_base_delivery(
    path: &Path,
    message: &str,
    events: usize,
    person_of: impl Fn(usize) -> String,
) -> anyhow::Result<()> {
    let gemeinden: Vec<u16> = catalog::gemeinden().map(|g| g.bfs.get()).collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    write!(
        out,
        "<delivery {NAMESPACES}><deliveryHeader><h:senderId>sedex://bench</h:senderId><h:messageId>{message}</h:messageId></deliveryHeader><baseDelivery>"
    )?;
    for n in 0..events {
        write!(
            out,
            "<messages><baseDeliveryPerson>{}</baseDeliveryPerson><hasMainResidence>{}</hasMainResidence></messages>",
            person_of(n),
            municipality(gemeinden[n % gemeinden.len()])
        )?;
    }
    write!(out, "</baseDelivery></delivery>")?;
    out.flush()?;
    Ok(())
}

/// Hostile files that once took gigabytes (issue 11): one «name» of 256 MB, thirty million empty elements in
/// one event, and the first as a zip bomb of about 260 KB. Each must be refused with the memory flat.
fn hostile(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let gemeinden = [2581];
    let event = |id: &str| single_event(0, &gemeinden).replace("einzeln-0", id);
    let name_tag = "<p:officialName>";
    let huge_text = event("feindlich-text").replacen(name_tag, &format!("{name_tag}{}", "A".repeat(256 << 20)), 1);
    let many = event("feindlich-elemente").replacen(name_tag, &format!("{name_tag}{}", "<x/>".repeat(30_000_000)), 1);
    let text_path = dir.join("langer-text.xml");
    let many_path = dir.join("viele-elemente.xml");
    std::fs::write(&text_path, &huge_text)?;
    std::fs::write(&many_path, many)?;
    let bomb_path = dir.join("zip-bombe.zip");
    let mut bomb = zip::ZipWriter::new(std::fs::File::create(&bomb_path)?);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(false);
    bomb.start_file("bombe.xml", options)?;
    bomb.write_all(huge_text.replace("feindlich-text", "feindlich-zip").as_bytes())?;
    bomb.finish()?;
    Ok(vec![
        ("hostile: one text of 256 MB".to_owned(), text_path),
        ("hostile: 30 million empty elements in one event".to_owned(), many_path),
        (
            format!("hostile: zip bomb of {} KB (256 MB unpacked)", std::fs::metadata(&bomb_path)?.len() >> 10),
            bomb_path,
        ),
    ])
}

/// Resets the peak to the current size, so that each phase reports its own peak (Linux `clear_refs`).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Row {
    what: String,
    events: usize,
    seconds: f64,
    peak_mb: Option<f64>,
}

impl Row {
    fn print(&self) {
        let peak = self.peak_mb.map_or_else(|| "–".to_owned(), |mb| format!("{mb:.0}"));
        println!(
            "| {} | {} | {:.1} | {:.0} | {peak} |",
            self.what,
            self.events,
            self.seconds,
            self.events as f64 / self.seconds
        );
    }
}

/// The reader alone over the same files, from disk.
fn parse_only(what: &str, files: &[PathBuf]) -> anyhow::Result<Row> {
    reset_peak_memory();
    let started = Instant::now();
    let mut events = 0;
    for file in files {
        events += read_delivery(BufReader::new(std::fs::File::open(file)?))?.count();
    }
    Ok(Row { what: what.to_owned(), events, seconds: started.elapsed().as_secs_f64(), peak_mb: peak_memory_mb() })
}

/// A fresh database with an administrator of the Kanton, who imports.
async fn importing_store(postgres: Option<&str>) -> anyhow::Result<(ScratchDatabase, Store, iim_domain::Actor)> {
    let (scratch, store) = fresh_store(postgres).await?;
    add_user(&store, "bench.import", "Bench Import", "aso", Role::Admin).await?;
    let actor = store.operator().operator_actor("bench.import").await?;
    Ok((scratch, store, actor))
}

/// Imports the inputs into a fresh database with a progress bar; the row counts events read.
async fn import(what: &str, postgres: Option<&str>, inputs: &[(PathBuf, String)]) -> anyhow::Result<Row> {
    let (_scratch, store, actor) = importing_store(postgres).await?;
    let files = delivery_files(inputs);
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_message(what.to_owned());
    reset_peak_memory();
    let started = Instant::now();
    let results = store.import_register_files(&actor, &files, |_| progress.inc(1)).await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_mb = peak_memory_mb();
    progress.finish_and_clear();
    let events = results
        .iter()
        .map(|r| match &r.outcome {
            FileOutcome::Imported(report) => report.gelesen,
            _ => 0,
        })
        .sum();
    store.close().await;
    Ok(Row { what: what.to_owned(), events, seconds, peak_mb })
}

pub async fn run(args: BenchImportArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("iim-bench-import-").tempdir()?;
    let (folder, base) = generate(dir.path(), args.events)?;
    let mut singles: Vec<PathBuf> =
        std::fs::read_dir(&folder)?.filter_map(|e| e.ok().map(|e| e.path())).collect::<Vec<_>>();
    singles.sort();
    println!("# iim bench-import ({} events)\n", args.events);
    println!("| what | events | seconds | events/s | peak MB |\n|---|---|---|---|---|");
    parse_only("reader only: folder of single-event deliveries", &singles)?.print();
    parse_only("reader only: one baseDelivery", std::slice::from_ref(&base))?.print();
    let folder_input = [(folder.clone(), "einzeln".to_owned())];
    let base_input = [(base.clone(), "basis.xml".to_owned())];
    let mut backends = vec![("SQLite", None)];
    if let Some(url) = args.postgres.as_deref() {
        backends.push(("PostgreSQL", Some(url)));
    }
    for (name, url) in &backends {
        import(&format!("import {name}: folder of single-event deliveries"), *url, &folder_input).await?.print();
        import(&format!("import {name}: one baseDelivery"), *url, &base_input).await?.print();
    }
    println!("\nA baseDelivery of {} persons beside a writer that changes a person every 20 ms:\n", args.beside_writer);
    println!("{}", beside_writer::TABLE_HEADER);
    let (arrivals, known) = beside_writer::generate(dir.path(), args.beside_writer)?;
    for (name, url) in &backends {
        beside_writer::run(name, *url, &arrivals, &known).await?;
    }
    println!("\nHostile files, each refused (events read: 0 or 1), imported on SQLite; peak MB is what matters:\n");
    println!("| what | events | seconds | events/s | peak MB |\n|---|---|---|---|---|");
    for (what, path) in hostile(dir.path())? {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        import(&what, None, &[(path, name)]).await?.print();
    }
    Ok(())
}

//! The sedex inbox: `iim import ech0020 --watch ORDNER`. The population registers deliver through sedex, whose
//! adapter writes each delivery as a file into an inbox folder; this loop picks the files up, imports them as
//! `iim import ech0020` does, and moves each to `ORDNER/processed/` or, with a reason file
//! `<name>.grund.txt`, to `ORDNER/refused/`, so the folder holds only what is still to do.
//!
//! Why it is built this way:
//! - Plain polling every `--intervall` seconds: an inbox receives a few files a day, and polling works the same
//!   on every file system (network shares included), where change notifications do not.
//! - A file is taken only when complete: sedex writes the envelope `envl_<id>.xml` after its data file
//!   `data_<id>.xml` (or `.zip`), so a data file with its envelope is complete; any other file is complete once
//!   its size and time of change stayed the same between two looks. Envelopes are never imported: each moves
//!   with its data file (first, so that a crash between the two moves leaves the data file, which is then
//!   taken again), and an envelope without data file waits for it.
//! - Nothing is lost in a crash: a file is moved only after its import has committed, by a rename within the
//!   folder (atomic on one file system), and a reason file is written beside the target under a temporary
//!   name and renamed. A file whose import was cut off stays where it is and is imported again at the next
//!   start; the import is idempotent per event (see `iim_store::import_register_delivery`), so nothing is
//!   stored twice.
//! - A database failure leaves the file in place for the next look; Ctrl-C (or SIGTERM) stops between files.

use crate::import::file_name;
use iim_domain::Actor;
use iim_store::{FileOutcome, FileResult, ImportReport, Store, delivery_files};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

const PROCESSED: &str = "processed";
const REFUSED: &str = "refused";
const ENVELOPE_PREFIX: &str = "envl_";
const DATA_PREFIX: &str = "data_";

/// The most files looked at in one round; the rest wait for the next (a folder of millions stays cheap).
const MAX_FILES_PER_ROUND: usize = 10_000;

/// Where a file goes after its import.
#[derive(Debug, PartialEq, Eq)]
enum Ziel {
    Processed,
    /// Into `refused/`, with the reason in plain German.
    Refused(String),
}

/// The one mapping from what the import did to where the file goes: `processed/` when every delivery of the
/// file was read and none of its events was refused; `refused/` otherwise, with the reasons. Events refused
/// because they lie outside the importer's Gemeinden stay open in the store, so the file in `refused/` can be
/// imported again by someone who answers for them.
fn ziel(results: &[FileResult]) -> Ziel {
    let mut reasons = Vec::new();
    for result in results {
        match &result.outcome {
            FileOutcome::Refused(reason) => reasons.push(format!("{}: {reason}", result.name)),
            FileOutcome::Imported(report) if !report.abgelehnt.is_empty() => reasons.extend(refused_events(report)),
            FileOutcome::Imported(_) | FileOutcome::Skipped(_) => {}
        }
    }
    if results.is_empty() {
        reasons.push("Die Datei enthält keine Lieferung.".to_owned());
    }
    if reasons.is_empty() { Ziel::Processed } else { Ziel::Refused(reasons.join("\n")) }
}

fn refused_events(report: &ImportReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .abgelehnt_nach_grund
        .iter()
        .map(|(grund, count)| format!("Lieferung {}: {count} Ereignis(se) abgelehnt: {grund}", report.message_id))
        .collect();
    lines.extend(report.abgelehnt.iter().take(LISTED_EVENTS).map(|error| format!("  {error}")));
    let more = report.abgelehnt.len().saturating_sub(LISTED_EVENTS);
    if more > 0 {
        lines.push(format!("  … und {more} weitere abgelehnte Ereignisse (alle auf der Seite der Lieferung)"));
    }
    lines
}

/// How many refused events a reason file lists one by one; the rest are counted.
const LISTED_EVENTS: usize = 100;

/// The text of a reason file.
fn reason_text(name: &str, reasons: &str) -> String {
    format!(
        "Die Datei «{name}» wurde nicht oder nicht ganz übernommen.\n\nGründe:\n{reasons}\n\nWas gespeichert werden \
         konnte, ist gespeichert. Nach einer Korrektur oder durch eine Person, die für die genannten Gemeinden \
         zuständig ist, kann die Datei nochmals eingelesen werden; bereits Gespeichertes wird dabei nicht doppelt \
         gespeichert.\n"
    )
}

/// Size and time of the last change: a file still being written changes them between two looks.
type Fingerprint = (u64, Option<SystemTime>);

struct Inbox {
    dir: PathBuf,
    /// What each file looked like at the previous look.
    seen: HashMap<String, Fingerprint>,
    stop: watch::Receiver<bool>,
}

/// Watches `dir` until stopped (or, with `once`, handles what is there and returns).
pub async fn run(store: &Store, actor: &Actor, dir: &Path, interval: Duration, once: bool) -> anyhow::Result<()> {
    for folder in [PROCESSED, REFUSED] {
        std::fs::create_dir_all(dir.join(folder))
            .map_err(|e| anyhow::anyhow!("Ordner {} nicht anlegbar: {e}", dir.join(folder).display()))?;
    }
    let (stopper, stop) = watch::channel(false);
    tokio::spawn(async move {
        crate::shutdown_signal().await;
        let _ = stopper.send(true);
    });
    let mut inbox = Inbox { dir: dir.to_owned(), seen: HashMap::new(), stop };
    tracing::info!(ordner = %dir.display(), intervall_s = interval.as_secs(), "Eingangsordner wird überwacht");
    let mut looks = 0;
    loop {
        let waiting = match inbox.round(store, actor).await {
            Ok(waiting) => waiting,
            Err(error) if once => return Err(error),
            // Tried again at the next look; the error is in the log.
            Err(_) => 0,
        };
        looks += 1;
        if inbox.stopped() || (once && (waiting == 0 || looks == 2)) {
            return Ok(());
        }
        let mut stop = inbox.stop.clone();
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.wait_for(|stopped| *stopped) => return Ok(()),
        }
    }
}

impl Inbox {
    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }

    /// One look: imports every complete file; returns how many wait to be complete.
    async fn round(&mut self, store: &Store, actor: &Actor) -> anyhow::Result<usize> {
        let listing = self.listing();
        let ready: Vec<&String> = listing
            .iter()
            .filter(|(name, fingerprint)| {
                listing.contains_key(&envelope_of(name)) || self.seen.get(*name) == Some(fingerprint)
            })
            .map(|(name, _)| name)
            .filter(|name| !name.starts_with(ENVELOPE_PREFIX))
            .collect();
        let waiting = listing.keys().filter(|name| !name.starts_with(ENVELOPE_PREFIX)).count() - ready.len();
        for name in ready {
            if self.stopped() {
                break;
            }
            if let Err(error) = self.handle(store, actor, name, listing.contains_key(&envelope_of(name))).await {
                tracing::error!(datei = %name, %error, "Datei bleibt im Eingangsordner");
                return Err(error);
            }
        }
        self.seen = listing.into_iter().collect();
        Ok(waiting)
    }

    /// The candidate files of the folder, by name: deliveries and envelopes, not hidden ones.
    fn listing(&self) -> BTreeMap<String, Fingerprint> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            tracing::warn!(ordner = %self.dir.display(), "Eingangsordner nicht lesbar");
            return BTreeMap::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let metadata = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
                let delivery = has_extension(&name, "xml") || has_extension(&name, "zip");
                (delivery && !name.starts_with('.')).then(|| (name, (metadata.len(), metadata.modified().ok())))
            })
            .take(MAX_FILES_PER_ROUND)
            .collect()
    }

    /// Imports one file and moves it (and its envelope) to where [`ziel`] says.
    async fn handle(&self, store: &Store, actor: &Actor, name: &str, envelope: bool) -> anyhow::Result<()> {
        let path = self.dir.join(name);
        let files = delivery_files(&[(path.clone(), file_name(&path))]);
        let results = store.import_register_files(actor, &files, |_| {}).await?;
        let ziel = ziel(&results);
        let folder = self.dir.join(if ziel == Ziel::Processed { PROCESSED } else { REFUSED });
        if let Ziel::Refused(reasons) = &ziel {
            write_atomically(&folder, &format!("{name}.grund.txt"), &reason_text(name, reasons))?;
        }
        if envelope {
            move_into(&self.dir, &envelope_of(name), &folder)?;
        }
        move_into(&self.dir, name, &folder)?;
        log(name, &results, &ziel);
        Ok(())
    }
}

/// The envelope sedex writes beside a data file: `envl_<id>.xml` for `data_<id>.xml` or `data_<id>.zip`.
fn envelope_of(name: &str) -> String {
    let id = name.strip_prefix(DATA_PREFIX).and_then(|rest| rest.rsplit_once('.')).map(|(id, _)| id);
    id.map_or_else(String::new, |id| format!("{ENVELOPE_PREFIX}{id}.xml"))
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name).extension().is_some_and(|ext| ext.eq_ignore_ascii_case(extension))
}

/// Renames `dir/name` into `folder` (a sub-folder of `dir`, so the same file system); a name already there is
/// kept and the newcomer numbered.
fn move_into(dir: &Path, name: &str, folder: &Path) -> anyhow::Result<()> {
    let target = (1..).map(|n| if n == 1 { folder.join(name) } else { folder.join(format!("{n}_{name}")) });
    let target = target.take(1000).find(|path| !path.exists()).unwrap_or_else(|| folder.join(name));
    std::fs::rename(dir.join(name), &target)
        .map_err(|e| anyhow::anyhow!("{name} nicht nach {} verschiebbar: {e}", folder.display()))?;
    sync_folder(folder);
    Ok(())
}

/// Writes `folder/name` under a temporary name, flushed to disk, then renames it: a crash leaves the old file
/// or the new one, never half of it.
fn write_atomically(folder: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let temporary = folder.join(format!(".{name}.tmp"));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(text.as_bytes()).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, folder.join(name)));
    written.map_err(|e| anyhow::anyhow!("Begründung {name} nicht schreibbar: {e}"))?;
    sync_folder(folder);
    Ok(())
}

/// Makes a rename in `folder` durable (Unix: the folder's entry is flushed too); best effort.
fn sync_folder(folder: &Path) {
    if let Err(error) = std::fs::File::open(folder).and_then(|folder| folder.sync_all()) {
        tracing::debug!(%error, "Ordner nicht auf die Platte geschrieben");
    }
}

/// One log line per file.
fn log(name: &str, results: &[FileResult], ziel: &Ziel) {
    let reports = results.iter().filter_map(|result| match &result.outcome {
        FileOutcome::Imported(report) => Some(report),
        _ => None,
    });
    let (mut read, mut stored, mut matched, mut skipped, mut earlier, mut refused) = (0, 0, 0, 0, 0, 0);
    for report in reports {
        read += report.gelesen;
        stored += report.gespeichert;
        matched += report.zugeordnet;
        skipped += report.uebersprungen;
        earlier += report.frueher_importiert;
        refused += report.abgelehnt.len();
    }
    let ordner = if *ziel == Ziel::Processed { PROCESSED } else { REFUSED };
    tracing::info!(
        datei = %name, ordner, gelesen = read, gespeichert = stored, zugeordnet = matched, uebersprungen = skipped,
        frueher_importiert = earlier, abgelehnt = refused,
        "Lieferung eingelesen"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_belongs_to_the_data_file_of_the_same_id() {
        assert_eq!(envelope_of("data_olten-0001.xml"), "envl_olten-0001.xml");
        assert_eq!(envelope_of("data_olten-0001.zip"), "envl_olten-0001.xml");
        assert_eq!(envelope_of("lieferung.xml"), "");
    }

    #[test]
    fn a_file_without_delivery_or_with_a_refused_part_goes_to_refused() {
        assert_eq!(ziel(&[]), Ziel::Refused("Die Datei enthält keine Lieferung.".to_owned()));
        let refused = FileResult { name: "x.xml".to_owned(), outcome: FileOutcome::Refused("kaputt".to_owned()) };
        let skipped = FileResult { name: "a.zip/b.pdf".to_owned(), outcome: FileOutcome::Skipped("pdf".to_owned()) };
        assert_eq!(ziel(&[skipped.clone(), refused]), Ziel::Refused("x.xml: kaputt".to_owned()));
        assert_eq!(ziel(&[skipped]), Ziel::Processed);
    }

    #[test]
    fn a_reason_file_lists_at_most_a_hundred_refused_events_and_counts_the_rest() {
        let error = |position| iim_ech::EventError {
            position,
            kind: "moveIn".to_owned(),
            field: "reportingMunicipality".to_owned(),
            message: "Gemeinde ausserhalb".to_owned(),
        };
        let report = ImportReport { abgelehnt: (1..=250).map(error).collect(), ..ImportReport::default() };
        let lines = refused_events(&report);
        assert_eq!(lines.len(), LISTED_EVENTS + 1, "{lines:?}");
        assert!(lines.last().unwrap().contains("und 150 weitere"), "{lines:?}");
    }
}

//! `iim import ech0020 FILE_OR_DIR...`: imports eCH-0020 deliveries (files, or every `.xml` file of a folder,
//! in name order) with a progress bar, prints what each file did and what was refused, and exits non-zero
//! when anything was refused, so that a scheduled job notices.

use clap::Subcommand;
use iim_ech::read_delivery;
use iim_store::{ImportReport, Store};
use std::io::BufReader;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import eCH-0020 v3 deliveries from the population register.
    /// Example: iim import ech0020 --user ib.olten lieferungen/2026-47/
    Ech0020 {
        /// The account in whose name the import runs (e.g. the Integrationsbeauftragte or an admin).
        #[arg(long)]
        user: String,
        /// Delivery files or folders of delivery files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// The totals over all files of one run.
#[derive(Default)]
struct Totals {
    files: usize,
    repeated: usize,
    refused_files: usize,
    read: usize,
    stored: usize,
    matched: usize,
    skipped: usize,
    refused: usize,
}

pub async fn run(command: ImportCommand, store: &Store) -> anyhow::Result<()> {
    let ImportCommand::Ech0020 { user, paths } = command;
    let files = delivery_files(&paths)?;
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    let mut totals = Totals::default();
    for file in &files {
        progress.set_message(file.display().to_string());
        match import_file(store, &user, file).await {
            Ok(report) => totals.add(&report, |line| progress.suspend(|| println!("{line}"))),
            Err(message) => {
                totals.refused_files += 1;
                progress.suspend(|| println!("{}: abgelehnt: {message}", file.display()));
            }
        }
        totals.files += 1;
        progress.inc(1);
    }
    progress.finish_and_clear();
    totals.print();
    store.clone().close().await;
    anyhow::ensure!(
        totals.refused == 0 && totals.refused_files == 0,
        "{} Ereignisse und {} Dateien abgelehnt (siehe oben).",
        totals.refused,
        totals.refused_files
    );
    Ok(())
}

/// The files to import: given files as they are, folders' `.xml` files in name order.
fn delivery_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("xml")))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    anyhow::ensure!(!files.is_empty(), "Keine Lieferungen gefunden (erwartet: .xml-Dateien).");
    Ok(files)
}

/// One file; a file that is not a delivery at all is refused with the reason.
async fn import_file(store: &Store, user: &str, file: &Path) -> Result<ImportReport, String> {
    let opened = std::fs::File::open(file).map_err(|e| format!("nicht lesbar: {e}"))?;
    let delivery = read_delivery(BufReader::new(opened)).map_err(|e| e.to_string())?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    store.import_register_delivery(user, &name, delivery).await.map_err(|e| e.to_string())
}

impl Totals {
    fn add(&mut self, report: &ImportReport, mut say: impl FnMut(String)) {
        if report.bereits_importiert {
            self.repeated += 1;
            return;
        }
        self.read += report.gelesen;
        self.stored += report.gespeichert;
        self.matched += report.zugeordnet;
        self.skipped += report.uebersprungen;
        self.refused += report.abgelehnt.len();
        for refusal in &report.abgelehnt {
            say(format!("Lieferung {}: {refusal}", report.message_id));
        }
    }

    fn print(&self) {
        println!(
            "{} Dateien, davon {} schon früher importiert und {} abgelehnt.",
            self.files, self.repeated, self.refused_files
        );
        println!(
            "{} Ereignisse gelesen: {} gespeichert (Zuzüge aus dem Ausland, Geburten), {} bekannten Personen zugeordnet, {} übersprungen (nicht benötigt, nicht gespeichert), {} abgelehnt.",
            self.read, self.stored, self.matched, self.skipped, self.refused
        );
    }
}

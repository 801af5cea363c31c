//! `iim import ech0020 FILE_OR_DIR...`: imports eCH-0020 deliveries (files, every `.xml` and `.zip` file of a
//! folder, every `.xml` entry of a zip, in name order; see `iim_store::delivery_files`) with a progress bar,
//! prints what each file did and what was refused, and exits non-zero when anything was refused, so that a
//! scheduled job notices. Events an earlier import of the same delivery stored, matched or skipped are counted
//! as «bereits früher importiert»; refused ones are tried again (see `iim_store::import_register_delivery`).
//! With `--watch ORDNER` it watches a sedex inbox folder instead (see `inbox.rs`).

use clap::Subcommand;
use iim_store::{FileOutcome, FileResult, ImportReport, Store, delivery_files};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import eCH-0020 v3 deliveries from the population register.
    /// Example: iim import ech0020 --user ib.olten lieferungen/2026-47/
    /// or, for the sedex inbox: iim import ech0020 --user admin --watch /var/sedex/inbox
    Ech0020 {
        /// The account in whose name the import runs (e.g. the Integrationsbeauftragte or an admin).
        #[arg(long)]
        user: String,
        /// Delivery files, zip archives of delivery files, or folders of either.
        #[arg(required_unless_present = "watch", conflicts_with = "watch")]
        paths: Vec<PathBuf>,
        /// Watch this inbox folder (sedex): import each new file, then move it to processed/ or refused/.
        #[arg(long, value_name = "ORDNER")]
        watch: Option<PathBuf>,
        /// Seconds between two looks into the inbox folder.
        #[arg(long, default_value_t = 10, requires = "watch", value_parser = clap::value_parser!(u64).range(1..=86_400))]
        intervall: u64,
        /// Handle what is in the inbox folder now, then stop (for cron and tests).
        #[arg(long, requires = "watch")]
        einmal: bool,
    },
}

/// The totals over all files of one run.
#[derive(Default)]
struct Totals {
    files: usize,
    repeated: usize,
    refused_files: usize,
    skipped_files: usize,
    read: usize,
    stored: usize,
    matched: usize,
    skipped: usize,
    refused: usize,
    earlier: usize,
    proposals: usize,
}

pub async fn run(command: ImportCommand, store: &Store) -> anyhow::Result<()> {
    let ImportCommand::Ech0020 { user, paths, watch, intervall, einmal } = command;
    let actor = store.operator().operator_actor(&user).await?;
    if let Some(folder) = watch {
        let watched =
            crate::inbox::run(store, &actor, &folder, std::time::Duration::from_secs(intervall), einmal).await;
        store.clone().close().await;
        return watched;
    }
    let inputs: Vec<(PathBuf, String)> = paths.iter().map(|p| (p.clone(), file_name(p))).collect();
    let files = delivery_files(&inputs);
    anyhow::ensure!(!files.is_empty(), "Keine Lieferungen gefunden (erwartet: .xml- oder .zip-Dateien).");
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    let mut totals = Totals::default();
    store
        .import_register_files(&actor, &files, |result| {
            progress.suspend(|| totals.add(result));
            progress.inc(1);
        })
        .await?;
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

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

impl Totals {
    /// Counts one file and prints what was refused.
    fn add(&mut self, result: &FileResult) {
        self.files += 1;
        match &result.outcome {
            FileOutcome::Imported(report) => self.add_report(report),
            FileOutcome::Refused(reason) => {
                self.refused_files += 1;
                println!("{}: abgelehnt: {reason}", result.name);
            }
            FileOutcome::Skipped(reason) => {
                self.skipped_files += 1;
                println!("{}: übersprungen: {reason}", result.name);
            }
        }
    }

    fn add_report(&mut self, report: &ImportReport) {
        self.repeated += usize::from(report.bereits_importiert);
        self.earlier += report.frueher_importiert;
        self.read += report.gelesen;
        self.stored += report.gespeichert;
        self.matched += report.zugeordnet;
        self.skipped += report.uebersprungen;
        self.refused += report.abgelehnt.len();
        self.proposals += report.umzugsvorschlaege;
        for refusal in &report.abgelehnt {
            println!("Lieferung {}: {refusal}", report.message_id);
        }
    }

    fn print(&self) {
        println!(
            "{} Dateien, davon {} schon früher importiert, {} abgelehnt und {} übersprungen.",
            self.files, self.repeated, self.refused_files, self.skipped_files
        );
        println!(
            "{} Ereignisse gelesen: {} neu gespeichert (Zuzüge aus dem Ausland, Geburten), {} bekannten Personen zugeordnet, {} übersprungen (nicht benötigt, nicht gespeichert), {} bereits früher importiert, {} abgelehnt.",
            self.read, self.stored, self.matched, self.skipped, self.earlier, self.refused
        );
        if self.proposals > 0 {
            println!("{} Umzüge in eine andere Sozialregion: Übergabe vorgeschlagen.", self.proposals);
        }
    }
}

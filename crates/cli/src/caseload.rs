//! `iim import caseload FILE --stelle CODE --user NAME [--probelauf]`: takes over a Sozialregion's existing
//! caseload from its Excel list (template: docs/caseload-import.md). With `--probelauf` it only shows what it
//! would create and refuse; without, it imports and prints the same. Exits non-zero when a row was refused,
//! so that nobody misses one. Beside the register import (`import.rs`) as its own subcommand, so the two
//! grow apart without touching each other.

use clap::{Args, Subcommand};
use iim_store::{CaseloadBericht, Store};
use std::path::PathBuf;

/// `iim import …`: register deliveries and caseload lists.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    #[command(flatten)]
    Register(crate::import::ImportCommand),
    /// Take over a Sozialregion's existing caseload from an Excel (.xlsx) or CSV list.
    /// Example: iim import caseload fallliste.xlsx --stelle sr-olten --user leitung.olten --probelauf
    Caseload(CaseloadArgs),
}

#[derive(Debug, Args)]
pub struct CaseloadArgs {
    /// The list: .xlsx (first sheet) or .csv (UTF-8, ; or ,), with the template's column headings.
    file: PathBuf,
    /// Code of the Sozialregion that keeps the dossiers (e.g. sr-olten; see `iim org list`).
    #[arg(long)]
    stelle: String,
    /// The account in whose name the import runs: the Stelle's Leitung or an admin.
    #[arg(long)]
    user: String,
    /// Only show what would be created and refused; store nothing.
    #[arg(long)]
    probelauf: bool,
}

pub async fn run(command: ImportCommand, store: &Store) -> anyhow::Result<()> {
    match command {
        ImportCommand::Register(command) => crate::import::run(command, store).await,
        ImportCommand::Caseload(args) => caseload(args, store).await,
    }
}

async fn caseload(args: CaseloadArgs, store: &Store) -> anyhow::Result<()> {
    let actor = store.operator().operator_actor(&args.user).await?;
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    anyhow::ensure!(
        size <= iim_domain::caseload::MAX_BYTES as u64,
        "Die Datei ist grösser als 10 MB. Bitte die Liste aufteilen."
    );
    let bytes = std::fs::read(&args.file)
        .map_err(|e| anyhow::anyhow!("Die Datei {} lässt sich nicht lesen: {e}", args.file.display()))?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bericht = if args.probelauf {
        store.preview_caseload(&actor, &args.stelle, &name, &bytes).await?
    } else {
        store.import_caseload(&actor, &args.stelle, &name, &bytes).await?
    };
    print(&bericht, args.probelauf);
    store.clone().close().await;
    anyhow::ensure!(bericht.abgelehnt.is_empty(), "{} Zeilen abgelehnt (siehe oben).", bericht.abgelehnt.len());
    Ok(())
}

fn print(bericht: &CaseloadBericht, probelauf: bool) {
    let verb = if probelauf { "würde angelegt" } else { "angelegt" };
    for zeile in &bericht.neu {
        println!(
            "Zeile {}: {verb}: {}, geboren {}, {}, Fallführung {}, eröffnet am {}",
            zeile.zeile,
            zeile.name,
            zeile.geburtsdatum,
            zeile.gemeinde,
            zeile.fallfuehrung,
            zeile.eroeffnet_am.format("%d.%m.%Y")
        );
    }
    for zeile in &bericht.abgelehnt {
        let gruende: Vec<String> = zeile.gruende.iter().map(ToString::to_string).collect();
        println!("Zeile {}: abgelehnt ({}): {}", zeile.zeile, zeile.name, gruende.join(" "));
    }
    let was = if probelauf { "Probelauf, nichts gespeichert" } else { "Fallliste übernommen" };
    println!(
        "{was} für {}: {} Dossiers {}, {} Zeilen bereits früher übernommen, {} Zeilen abgelehnt.",
        bericht.stelle,
        bericht.neu.len(),
        if probelauf { "neu" } else { "angelegt" },
        bericht.bereits.len(),
        bericht.abgelehnt.len()
    );
}

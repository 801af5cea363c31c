//! `iim mentoring aufraeumen`: deletes the data of mentors who left (or were not accepted) and of mentees
//! whose tandems ended, once the configured retention period has passed. `serve` runs the same clean-up at
//! every start, so a server restarted at least now and then needs no separate scheduler (ADR 0013).

use crate::config::Config;
use clap::Subcommand;
use iim_store::Store;

#[derive(Debug, Subcommand)]
pub enum MentoringCommand {
    /// Delete people's data whose retention period (`IIM_MENTORING_AUFBEWAHRUNG_TAGE`) has passed.
    Aufraeumen,
}

pub async fn run(command: MentoringCommand, config: &Config, store: &Store) -> anyhow::Result<()> {
    match command {
        MentoringCommand::Aufraeumen => {
            let bericht = clean_up(config, store).await?;
            println!(
                "Mentoring: {} Mentor/innen und {} Mentees gelöscht, {} Tandems anonymisiert (Aufbewahrung {} Tage).",
                bericht.mentoren, bericht.mentees, bericht.tandems_anonymisiert, config.mentoring_aufbewahrung_tage
            );
            Ok(())
        }
    }
}

/// Runs the retention clean-up with the configured period.
pub async fn clean_up(config: &Config, store: &Store) -> anyhow::Result<iim_store::AufraeumBericht> {
    Ok(store.operator().mentoring_aufraeumen(config.mentoring_aufbewahrung_tage).await?)
}

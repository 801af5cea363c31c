//! `iim`: the one command of IIM Cockpit. Thin: it reads configuration, opens the store and hands over to
//! the library bootstrap ([`iim_web::Application`]), the same one the tests and the benchmark use.

mod accounts;
mod bench;
mod bench_audit;
mod bench_ech;
mod bench_import;
mod bench_search;
mod bench_setup;
mod caseload;
mod config;
mod demo;
mod import;
mod inbox;
mod mentoring;
mod synthetic;
mod synthetic_angebote;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Config;
use iim_store::Store;
use iim_web::{Application, Settings};
use std::path::PathBuf;

/// IIM Cockpit: Fallführung und start.integration des Kantons Solothurn.
///
/// Configuration comes from a TOML file (--config, or ./iim.toml) and from environment variables:
/// IIM_DATABASE_URL (sqlite://… or postgres://…; default: a SQLite file in IIM_DATA_DIR, default ./var),
/// IIM_LISTEN (default 127.0.0.1:8080), IIM_SECURE_COOKIES, IIM_REGION_MAPPING, IIM_LOG_FORMAT (text|json),
/// IIM_KINDERGARTEN_STICHTAG (default 31.07.), IIM_KINDERGARTEN_BEGINN (default 01.08.),
/// IIM_LOG (log filter, e.g. "info" or "debug"); for tests only, IIM_HEUTE=TT.MM.JJJJ stops the clock on that day.
#[derive(Debug, Parser)]
#[command(name = "iim", version, about, long_about)]
struct Cli {
    /// Configuration file (TOML). Default: ./iim.toml if present.
    #[arg(long, global = true, env = "IIM_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the web server (applies pending migrations first).
    Serve,
    /// Apply pending database migrations and load the organisations, then exit.
    Migrate,
    /// Demo: prepare the database with organisations, one login per role and synthetic persons, then serve.
    Demo(demo::DemoArgs),
    /// Manage user accounts (the first admin is created this way).
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Manage personal API tokens for the JSON API.
    #[command(subcommand)]
    Token(accounts::TokenCommand),
    /// Show and add organisations.
    #[command(subcommand)]
    Org(accounts::OrgCommand),
    /// Import deliveries from the population register, or a Sozialregion's caseload list.
    #[command(subcommand)]
    Import(caseload::ImportCommand),
    /// Mentoring-Pools: maintenance.
    #[command(subcommand)]
    Mentoring(mentoring::MentoringCommand),
    /// Measure throughput and latency of person, dossier and worklist pages through the real HTTP stack.
    Bench(bench::BenchArgs),
    /// Audited person reads per second (store and JSON API) and a count of their access-log entries.
    BenchAudit(bench_audit::BenchAuditArgs),
    /// Measure the raw speed of the eCH-0020 reader (no database).
    BenchEch(bench_ech::BenchEchArgs),
    /// Speed of the eCH-0020 import end to end into a fresh database (SQLite, and PostgreSQL if given).
    BenchImport(bench_import::BenchImportArgs),
    /// Latency and throughput of the public offer search (raw engine and through HTTP) at N offers.
    BenchSearch(bench_search::BenchSearchArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("Fehler: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("Fehler: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Fehler: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let store = open_store(&config).await?;
            serve(&config, store, config.secure_cookies.unwrap_or(true)).await
        }
        Command::Migrate => {
            let store = open_store(&config).await?;
            println!("Migrationen angewendet: {}", store.applied_migrations().await?.join(", "));
            store.close().await;
            Ok(())
        }
        Command::Demo(args) => demo::run(args, &config).await,
        Command::User(command) => accounts::user(command, &open_store(&config).await?).await,
        Command::Token(command) => accounts::token(command, &open_store(&config).await?).await,
        Command::Org(command) => accounts::org(command, &open_store(&config).await?).await,
        Command::Import(command) => caseload::run(command, &open_store(&config).await?).await,
        Command::Mentoring(command) => mentoring::run(command, &config, &open_store(&config).await?).await,
        Command::Bench(args) => bench::run(args).await,
        Command::BenchAudit(args) => bench_audit::run(args).await,
        Command::BenchEch(args) => bench_ech::run(args),
        Command::BenchImport(args) => bench_import::run(args).await,
        Command::BenchSearch(args) => bench_search::run(args).await,
    }
}

/// Connects, migrates and brings the organisations in line with the configured mapping.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.database_url();
    let kindergarten = config.kindergarten_regel().context("Konfiguration ungültig")?;
    let store = Store::connect(&url, config.clock()?)
        .await
        .with_context(|| format!("Datenbank {} nicht erreichbar", config.database_url_redacted()))?
        .with_kindergarten_regel(kindergarten);
    store.migrate().await.context("Migration fehlgeschlagen")?;
    store.operator().sync_organisations(&config.region_mapping()?).await.context("Organisationen nicht geladen")?;
    tracing::info!(database = %config.database_url_redacted(), "database ready");
    Ok(store)
}

/// Serves until Ctrl-C or SIGTERM, then finishes running requests and flushes the access log.
pub async fn serve(config: &Config, store: Store, secure_cookies: bool) -> anyhow::Result<()> {
    mentoring::clean_up(config, &store).await?;
    let trusted_proxies = config.trusted_proxies()?;
    let settings = Settings { listen: config.listen.clone(), secure_cookies, trusted_proxies };
    let app = Application::build(settings, store)
        .await
        .with_context(|| format!("Adresse {} nicht verfügbar", config.listen))?;
    tracing::info!(address = %app.local_addr()?, "listening");
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("IIM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    // Colours only on a terminal: a log written to a file or read by a program stays plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_has_help() {
        let command = Cli::command();
        command.clone().debug_assert();
        for sub in command.get_subcommands() {
            assert!(sub.get_about().is_some(), "{} has no help text", sub.get_name());
        }
    }
}

//! Storage of IIM Cockpit: one API over SQLite (embedded default) and PostgreSQL (production).
//!
//! Why this shape: every query and migration is written once with SeaORM/SeaQuery and runs on both
//! backends (ADR 0001). Personal data is reachable only through methods that take an [`iim_domain::Actor`]: they ask
//! the domain's permission matrix, filter by the actor's scope and write the access log, so no caller can
//! forget the check. Table rows (`entity`) stay private to this crate.

mod aenderung;
mod agenda;
mod angebote;
mod audit;
mod betrieb;
mod directory;
mod entity;
mod fallfuehrung;
mod formular;
mod guard;
mod konten;
mod mentoring;
mod migration;
mod reach;
mod schema;
pub mod scratch;
mod start_integration;
mod steuerung;

use iim_domain::{Clock, Denied, FieldErrors};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use agenda::{AGENDA_TAGE, AGENDA_ZEILEN, Abschnitt, Agenda, Dringlichkeit, Termin, Verweis};
pub use angebote::oeffentlich::Angebot;
pub use angebote::verwaltung::{AngebotFilter, AngebotQuery, AngebotVerweis, NeuesAngebot, VerwaltetesAngebot};
pub use audit::{AuditQuery, AuditRecord};
pub use betrieb::Operator;
pub use directory::{Directory, OrganisationInfo, OrganisationKind, RegionMapping};
pub use fallfuehrung::abschluss::AbschlussAntrag;
pub use fallfuehrung::auftraege::{Anbieter, Auftrag, AuftragFuerAnbieter};
pub use fallfuehrung::ausnahmegesuche::{AusnahmeEntscheid, Ausnahmegesuch};
pub use fallfuehrung::caseload::{AbgelehnteZeile, CaseloadBericht, NeueZeile};
pub use fallfuehrung::caseload_export::{CaseloadRow, ExportFormat};
pub use fallfuehrung::dossiers::{
    Dossier, DossierSeed, DossierSummary, FRUEHERE_FASSUNGEN, HilfsplanZiel, KurzassessmentFassung,
    KurzassessmentGelesen, TimelineEntry,
};
pub use fallfuehrung::familien::FamilienMitglied;
pub use fallfuehrung::massnahmen::{KatalogVersion, TeilnahmeEintrag};
pub use fallfuehrung::pendenzen::{Pendenz, Pendenzen, PendenzenZahlen};
pub use fallfuehrung::persons::{Person, PersonQuery, PersonSummary};
pub use fallfuehrung::uebergaben::{EingehendeUebergabe, Uebergabe, WeitergegebenesDossier};
pub use fallfuehrung::umzuege::Umzugsvorschlag;
pub use formular::new_form_token;
pub use konten::accounts::{ApiTokenInfo, LoginError, NewUser, Session, UserInfo};
pub use mentoring::{
    AnmeldungError, AufraeumBericht, CheckinEintrag, MAX_ANMELDUNGEN_PRO_STUNDE, Mentee, MenteeZeile, Mentor,
    MentorQuery, MentorZeile, PoolZahlen, Tandem, TandemZeile, Vorschlag,
};
pub use start_integration::duplikate::{DuplikatEntscheid, DuplikatPerson, MoeglichesDuplikat};
pub use start_integration::erstinformation::{
    Erstgespraech, FordernStand, Neuzuzueger, NeuzuzuegerDetail, NeuzuzuegerFilter, NeuzuzuegerQuery,
};
pub use start_integration::fordern::FordernFall;
pub use start_integration::fruehfoerderung::{
    Fruehfoerderung, KennzahlZeile, KindZeile, KinderFilter, KinderQuery, KontaktEintrag, Quelle,
};
pub use start_integration::lieferungen::{Lieferung, LieferungAblehnung, LieferungDetail, Uebersprungene};
pub use start_integration::register_files::{DeliveryFile, FileOutcome, FileResult, delivery_files};
pub use start_integration::register_import::{EVENTS_PER_BATCH, ImportReport};
pub use steuerung::gemeinden::{GemeindeEintrag, GemeindeQuery};
pub use steuerung::selbstdeklaration::{DeklarationFilter, FragebogenStand, Rueckgabe, Selbstdeklaration};

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A page of results with the total count, for paginated lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T> Page<T> {
    /// How many pages the list has: at least one, at most [`MAX_PAGE`].
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).clamp(1, MAX_PAGE)
    }
}

/// The deepest page a list serves. Nobody leafs through more pages (a search or a filter finds the rest), and
/// with it no offset comes near an overflow, whatever number arrives in a URL.
pub const MAX_PAGE: u64 = 10_000;

/// A page number and page size as a list may use them: the page between 1 and [`MAX_PAGE`], the size between 1
/// and the list's own maximum; the offset computed from them cannot overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub page: u64,
    pub per_page: u64,
}

impl PageWindow {
    pub fn new(page: u64, per_page: u64, max_per_page: u64) -> Self {
        Self { page: page.clamp(1, MAX_PAGE), per_page: per_page.clamp(1, max_per_page.max(1)) }
    }

    /// How many rows come before this page.
    pub fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or lies outside the actor's scope (the two look the same on purpose).
    #[error("Datensatz nicht gefunden")]
    NotFound,
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("Eingaben ungültig: {0}")]
    Invalid(FieldErrors),
    /// Someone else changed the record since the caller read it; carries the current state.
    #[error("Datensatz wurde inzwischen geändert")]
    Stale(Box<Person>),
    /// Someone else changed the record since the caller's form was loaded (its version is no longer the
    /// stored one); nothing was stored. The caller reloads the record to show the current values.
    #[error("Datensatz wurde inzwischen geändert")]
    Changed { current_version: i32 },
    /// The form was sent before with the same one-time token; nothing new was stored. Carries the page the
    /// first send led to, empty while it is not known.
    #[error("Dieses Formular wurde bereits gespeichert.")]
    AlreadySaved { record: String },
    #[error("Konfiguration: {0}")]
    Config(String),
    #[error("gespeicherte Daten ungültig: {0}")]
    Corrupt(String),
    #[error("Datenbank: {0}")]
    Database(#[from] DbErr),
    /// The access log cannot be written right now, so the read it would record is refused: no personal
    /// data leaves without its committed entry.
    #[error("Zugriffsprotokoll nicht verfügbar")]
    AuditUnavailable,
}

impl StoreError {
    /// A change the stored records refuse, named by its typed reason (the sentence is the domain's).
    pub(crate) fn regel(regel: impl iim_domain::Regel) -> Self {
        StoreError::Invalid(regel.als_feldfehler())
    }
}

/// The storage handle. Cheap to clone; all clones share one pool, one access-log writer, one directory.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    audit: audit::AuditWriter,
    directory: Arc<RwLock<Arc<Directory>>>,
    /// The Kindergarten entry rule of the frühe Sprachförderung (configuration).
    kindergarten: iim_domain::fruehfoerderung::KindergartenRegel,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to `sqlite://PATH` or `postgres://...`. SQLite files and their folder are created as needed
    /// and run in WAL mode. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
        if url.starts_with("sqlite:") {
            prepare_sqlite_folder(url)?;
            options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            options.max_connections(16);
        } else {
            return Err(StoreError::Config(
                "IIM_DATABASE_URL muss mit sqlite:// oder postgres:// beginnen.".to_owned(),
            ));
        }
        let db = Database::connect(options).await?;
        let audit = audit::AuditWriter::start(db.clone());
        Ok(Self {
            db,
            clock,
            audit,
            directory: Arc::new(RwLock::new(Arc::new(Directory::default()))),
            kindergarten: iim_domain::fruehfoerderung::KindergartenRegel::default(),
        })
    }

    /// Applies all pending migrations, loads the shipped Massnahmen catalogue and Selbstdeklaration
    /// questionnaire if none is stored yet, then loads the organisation directory.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migration::Migrator::up(&self.db, None).await?;
        self.seed_katalog().await?;
        self.seed_fragebogen().await?;
        self.reload_directory().await
    }

    /// Names of the migrations applied, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<String>, StoreError> {
        Ok(migration::Migrator::get_applied_migrations(&self.db)
            .await?
            .into_iter()
            .map(|m| m.name().to_owned())
            .collect())
    }

    pub fn backend(&self) -> Backend {
        match self.db.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// Readiness: the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// Refreshes the query planner's statistics (`ANALYZE`, the same statement on both backends). Bulk
    /// loads call it, so that the first queries after a load use the indexes.
    pub(crate) async fn refresh_statistics(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Waits until every access-log entry queued so far is handled. Reads wait for their own entry anyway;
    /// shutdown calls it for entries whose readers went away.
    pub async fn flush_audit(&self) {
        self.audit.flush().await;
    }

    /// Flushes the access log and closes the pool.
    pub async fn close(self) {
        self.audit.flush().await;
        if let Err(error) = self.db.close_by_ref().await {
            tracing::warn!(%error, "closing the database pool failed");
        }
    }

    /// The schema as normalised text (tables, columns with generic type and nullability, indexes), the same
    /// on both backends when their migrations agree. Dialect-specific by necessity: catalogue queries differ.
    pub async fn describe_schema(&self) -> Result<String, StoreError> {
        schema::describe(&self.db).await
    }
}

fn prepare_sqlite_folder(url: &str) -> Result<(), StoreError> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(':') {
        return Ok(());
    }
    if let Some(folder) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| StoreError::Config(format!("Ordner {} lässt sich nicht anlegen: {e}", folder.display())))?;
    }
    Ok(())
}

/// Whether a database error is a unique-constraint violation (both backends).
pub(crate) fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Decodes a code read from the database. An unknown code is corruption, never a default: a wrong default
/// would show a social worker something nobody recorded.
pub(crate) fn decode<T>(what: &str, code: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(code).ok_or_else(|| StoreError::Corrupt(format!("{what} «{code}» unbekannt")))
}

/// [`decode`] for a column that may be empty.
pub(crate) fn decode_optional<T>(
    what: &str,
    code: Option<&str>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    code.map(|code| decode(what, code, parse)).transpose()
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: it takes the write lock up front (waiting
/// up to the busy timeout) instead of failing with "database is locked" when another connection writes
/// between its first read and its first write. PostgreSQL ignores the option.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::TransactionTrait;
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

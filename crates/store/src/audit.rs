//! The access log: append-only, one row per read or change of personal data.
//!
//! Changes write their entry inside the change's own transaction ([`insert_entry`]): no change without
//! its entry. Reads use group commit: the entry goes through a bounded queue to one background writer that
//! stores whatever has queued up in one transaction, and the reader waits until the batch holding its entry
//! is committed. Only then does the data leave the store, so a crash can lose a read only together with
//! its answer. Many concurrent readers share one commit, which keeps the cost per read low. When the log
//! cannot be written (the batch fails after a few attempts, the writer is gone, or no answer comes in
//! time) the reader gets [`StoreError::AuditUnavailable`] instead of the data. When the queue is full,
//! readers wait (back-pressure). Refused attempts return no data and are only queued (see
//! [`AuditWriter::write`]). See ADR 0017, which supersedes ADR 0003's read path.
//!
//! What an entry may say is part of the same rule: search words and free text about clients are not
//! copied into the log ([`search_note`]), and an export names every record that left ([`export_detail`]).

use crate::entity::audit_log;
use crate::{Page, PageWindow, Store, StoreError};
use chrono::{DateTime, Utc};
use iim_domain::{Action, Actor, AuditEntry, Channel, Outcome, Resource, Scope};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

const QUEUE_CAPACITY: usize = 20_000;
const BATCH_SIZE: usize = 1_000;
/// Attempts to store one batch before its readers are told that the log is unavailable.
const ATTEMPTS: u32 = 3;
/// Pause before the second attempt; doubled before each further one.
const FIRST_PAUSE: Duration = Duration::from_millis(50);
/// Longest a reader waits for its batch; beyond it the read is refused, whatever becomes of the entry.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

enum Command {
    /// An entry, and where to say whether its batch was committed.
    Write(Box<AuditEntry>, oneshot::Sender<bool>),
    Flush(oneshot::Sender<()>),
}

/// Handle to the background writer; cloning shares the queue.
#[derive(Clone)]
pub(crate) struct AuditWriter {
    queue: mpsc::Sender<Command>,
}

impl AuditWriter {
    pub(crate) fn start(db: DatabaseConnection) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(run_writer(db, receiver));
        Self { queue }
    }

    /// Queues an entry and, if it records data that is about to be returned, waits until the batch holding
    /// it is committed. A refused attempt returns no data, so its entry is only queued: it is often written
    /// from inside a change's transaction, and on SQLite waiting there for the writer, which needs the same
    /// write lock, would block both.
    pub(crate) async fn write(&self, entry: AuditEntry) -> Result<(), StoreError> {
        let refused = entry.outcome == Outcome::Denied;
        let (committed, receipt) = oneshot::channel();
        if self.queue.send(Command::Write(Box::new(entry), committed)).await.is_err() {
            tracing::error!("access-log writer has stopped; read refused");
            return Err(StoreError::AuditUnavailable);
        }
        if refused {
            return Ok(());
        }
        match tokio::time::timeout(ANSWER_TIMEOUT, receipt).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err(StoreError::AuditUnavailable),
            Ok(Err(_)) => {
                tracing::error!("access-log writer stopped before answering; read refused");
                Err(StoreError::AuditUnavailable)
            }
            Err(_) => {
                tracing::error!(seconds = ANSWER_TIMEOUT.as_secs(), "access-log writer did not answer; read refused");
                Err(StoreError::AuditUnavailable)
            }
        }
    }

    /// Returns once every entry queued before the call has been handled.
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Command::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

/// Takes what has queued up (at most `BATCH_SIZE` entries), stores it in one transaction and tells every
/// waiting reader how it went.
async fn run_writer(db: DatabaseConnection, mut receiver: mpsc::Receiver<Command>) {
    while let Some(first) = receiver.recv().await {
        let mut batch: Vec<AuditEntry> = Vec::new();
        let mut receipts = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(command) = next {
            match command {
                Command::Write(entry, receipt) => {
                    batch.push(*entry);
                    receipts.push(receipt);
                }
                Command::Flush(done) => flushes.push(done),
            }
            next = if batch.len() < BATCH_SIZE { receiver.try_recv().ok() } else { None };
        }
        let committed = batch.is_empty() || store_with_retry(&db, &batch).await;
        for receipt in receipts {
            let _ = receipt.send(committed);
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Stores the batch, trying `ATTEMPTS` times with growing pauses; false if every attempt failed.
async fn store_with_retry(db: &DatabaseConnection, batch: &[AuditEntry]) -> bool {
    let mut pause = FIRST_PAUSE;
    for attempt in 1..=ATTEMPTS {
        match store_batch(db, batch).await {
            Ok(()) => return true,
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, entries = batch.len(), attempt, "access log batch not stored; retrying");
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            Err(error) => {
                tracing::error!(%error, entries = batch.len(), "access log batch not stored; the reads are refused");
            }
        }
    }
    false
}

async fn store_batch(db: &DatabaseConnection, batch: &[AuditEntry]) -> Result<(), sea_orm::DbErr> {
    let txn = crate::begin_write(db).await?;
    audit_log::Entity::insert_many(batch.iter().map(row)).exec(&txn).await?;
    txn.commit().await
}

/// What the log says about a search: whether there was one and how long it was, never its words (they
/// are often a client's name).
pub(crate) fn search_note(text: &str) -> String {
    match text.trim().chars().count() {
        0 => "ohne Suche".to_owned(),
        length => format!("Suche ({length} Zeichen)"),
    }
}

/// What the log says about an export: what, how many and which records left, e.g.
/// «Export Fallliste als XLSX: 5 Dossiers: 3-5,9,12». Ids are listed in full (an export of the largest
/// allowed size stays a few hundred kilobytes), runs of consecutive ids as ranges.
/// `nouns` is the record's name in singular and plural.
pub(crate) fn export_detail(what: &str, nouns: (&str, &str), ids: impl IntoIterator<Item = i64>) -> String {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.len() {
        0 => format!("{what}: 0 {}", nouns.1),
        1 => format!("{what}: 1 {}: {}", nouns.0, id_ranges(&ids)),
        count => format!("{what}: {count} {}: {}", nouns.1, id_ranges(&ids)),
    }
}

/// Sorted ids as «1-3,7,9-10».
fn id_ranges(sorted: &[i64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < sorted.len() {
        let start = sorted[index];
        let mut end = start;
        while index + 1 < sorted.len() && sorted[index + 1] == end + 1 {
            index += 1;
            end = sorted[index];
        }
        parts.push(if end == start { start.to_string() } else { format!("{start}-{end}") });
        index += 1;
    }
    parts.join(",")
}

/// The one entry a bulk load from the command line writes (demo data, benchmarks): who, what and how many.
pub(crate) fn bulk_load_entry(
    resource: Resource,
    by_user: Option<i64>,
    detail: String,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        occurred_at: now,
        actor_user_id: by_user,
        actor_username: "kommandozeile".to_owned(),
        actor_organisation_id: None,
        channel: Channel::Cli,
        action: Action::Create.code().to_owned(),
        resource: resource.code().to_owned(),
        record_id: None,
        outcome: Outcome::Allowed,
        detail: Some(detail),
    }
}

/// Writes one entry on `db`, which is the transaction of the change it records.
pub(crate) async fn insert_entry(db: &impl ConnectionTrait, entry: &AuditEntry) -> Result<(), StoreError> {
    audit_log::Entity::insert(row(entry)).exec(db).await?;
    Ok(())
}

fn row(entry: &AuditEntry) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        id: NotSet,
        occurred_at: Set(entry.occurred_at),
        actor_user_id: Set(entry.actor_user_id),
        actor_username: Set(entry.actor_username.clone()),
        actor_organisation_id: Set(entry.actor_organisation_id),
        channel: Set(entry.channel.code().to_owned()),
        action: Set(entry.action.clone()),
        resource: Set(entry.resource.clone()),
        record_id: Set(entry.record_id.clone()),
        outcome: Set(entry.outcome.code().to_owned()),
        detail: Set(entry.detail.clone()),
    }
}

/// Filter for reading the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub resource: Option<Resource>,
    pub record_id: Option<String>,
    pub username: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

/// A stored log entry as shown to auditors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_username: String,
    pub actor_organisation: String,
    pub channel: String,
    pub action: String,
    pub resource: String,
    pub record_id: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

impl Store {
    /// Writes a read entry and returns once it is committed, or [`StoreError::AuditUnavailable`]: the caller
    /// must return that error instead of the data (see the module docs).
    pub(crate) async fn log_read(&self, entry: AuditEntry) -> Result<(), StoreError> {
        self.audit.write(entry).await
    }

    /// Reads the access log, newest first, within the actor's scope: the Kanton sees all entries, a
    /// Leitung those of its own organisation's staff. Reading the log is itself logged.
    pub async fn list_audit(&self, actor: &Actor, query: &AuditQuery) -> Result<Page<AuditRecord>, StoreError> {
        let scope = actor.scope_for(Resource::AuditLog, Action::Read)?;
        let mut select = audit_log::Entity::find();
        if scope < Scope::Canton {
            select = select.filter(audit_log::Column::ActorOrganisationId.eq(actor.organisation_id));
        }
        if let Some(resource) = query.resource {
            select = select.filter(audit_log::Column::Resource.is_in(resource.logged_codes()));
        }
        if let Some(record_id) = query.record_id.as_deref().filter(|r| !r.is_empty()) {
            select = select.filter(audit_log::Column::RecordId.eq(record_id));
        }
        if let Some(username) = query.username.as_deref().filter(|u| !u.is_empty()) {
            select = select.filter(audit_log::Column::ActorUsername.eq(username.trim().to_lowercase()));
        }
        let window = PageWindow::new(query.page, query.per_page, 500);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows =
            select.order_by_desc(audit_log::Column::Id).offset(window.offset()).limit(per_page).all(&self.db).await?;
        let directory = self.directory();
        let items = rows
            .into_iter()
            .map(|row| AuditRecord {
                id: row.id,
                occurred_at: row.occurred_at,
                actor_username: row.actor_username,
                actor_organisation: row
                    .actor_organisation_id
                    .and_then(|id| directory.get(id))
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                channel: row.channel,
                action: row.action,
                resource: row.resource,
                record_id: row.record_id,
                outcome: row.outcome,
                detail: row.detail,
            })
            .collect();
        let entry = AuditEntry::of(actor, Action::Read, Resource::AuditLog, None, Outcome::Allowed, self.clock.now())
            .with_detail(format!("Seite {page}"));
        self.log_read(entry).await?;
        Ok(Page { items, page, per_page, total })
    }

    /// Records an event that is not tied to a record (login, logout, token use), once committed.
    pub async fn log_event(&self, actor: &Actor, action: &str, detail: Option<String>) -> Result<(), StoreError> {
        let mut entry = AuditEntry::of(
            actor,
            Action::Read,
            Resource::User,
            Some(actor.user_id.to_string()),
            Outcome::Allowed,
            self.clock.now(),
        );
        entry.action = action.to_owned();
        entry.detail = detail;
        self.log_read(entry).await
    }

    /// Records a refused login attempt for a user name (no actor exists yet).
    pub(crate) async fn log_failed_login(
        &self,
        username: &str,
        channel: Channel,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.log_read(AuditEntry {
            occurred_at: self.clock.now(),
            actor_user_id: None,
            actor_username: username.to_owned(),
            actor_organisation_id: None,
            channel,
            action: "login".to_owned(),
            resource: Resource::User.code().to_owned(),
            record_id: None,
            outcome: Outcome::Denied,
            detail: Some(detail.to_owned()),
        })
        .await
    }
}

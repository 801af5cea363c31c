//! The access log: append-only, one row per read or change of personal data.
//!
//! Changes write their entry inside the change's own transaction ([`insert_entry`]): no change without
//! its entry. Reads must not make a case worker wait, so their entries go through a bounded queue to a
//! background writer that stores them in batches, one transaction per batch. When the queue is full,
//! readers wait (back-pressure); entries are never dropped. `flush` and `close` drain the queue; an entry
//! is lost only if the process dies between the read and the next batch (a few milliseconds). See ADR 0003.

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

enum Command {
    Write(Box<AuditEntry>),
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

    /// Queues an entry; waits only if the queue is full.
    pub(crate) async fn write(&self, entry: AuditEntry) {
        if self.queue.send(Command::Write(Box::new(entry))).await.is_err() {
            tracing::error!("access-log writer has stopped; entry not recorded");
        }
    }

    /// Returns once every entry queued before the call is stored.
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Command::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run_writer(db: DatabaseConnection, mut receiver: mpsc::Receiver<Command>) {
    let mut batch: Vec<AuditEntry> = Vec::with_capacity(BATCH_SIZE);
    while let Some(first) = receiver.recv().await {
        let mut waiting = Vec::new();
        let mut next = Some(first);
        while let Some(command) = next {
            match command {
                Command::Write(entry) => batch.push(*entry),
                Command::Flush(done) => waiting.push(done),
            }
            next = if batch.len() < BATCH_SIZE { receiver.try_recv().ok() } else { None };
        }
        store_with_retry(&db, &mut batch).await;
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Stores the batch; on failure keeps it and retries with growing pauses, so nothing is dropped.
async fn store_with_retry(db: &DatabaseConnection, batch: &mut Vec<AuditEntry>) {
    let mut pause = Duration::from_millis(50);
    while !batch.is_empty() {
        match store_batch(db, batch).await {
            Ok(()) => batch.clear(),
            Err(error) => {
                tracing::error!(%error, entries = batch.len(), "access log batch not stored; retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn store_batch(db: &DatabaseConnection, batch: &[AuditEntry]) -> Result<(), sea_orm::DbErr> {
    let txn = crate::begin_write(db).await?;
    audit_log::Entity::insert_many(batch.iter().map(row)).exec(&txn).await?;
    txn.commit().await
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
    pub resource: Option<String>,
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
    /// Queues a read entry (see the module docs for why reads are written in the background).
    pub(crate) async fn log_read(&self, entry: AuditEntry) {
        self.audit.write(entry).await;
    }

    /// Reads the access log, newest first, within the actor's scope: the Kanton sees all entries, a
    /// Leitung those of its own organisation's staff. Reading the log is itself logged.
    pub async fn list_audit(&self, actor: &Actor, query: &AuditQuery) -> Result<Page<AuditRecord>, StoreError> {
        let scope = actor.scope_for(Resource::AuditLog, Action::Read)?;
        let mut select = audit_log::Entity::find();
        if scope < Scope::Canton {
            select = select.filter(audit_log::Column::ActorOrganisationId.eq(actor.organisation_id));
        }
        if let Some(resource) = query.resource.as_deref().filter(|r| !r.is_empty()) {
            select = select.filter(audit_log::Column::Resource.eq(resource));
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
        self.log_read(entry).await;
        Ok(Page { items, page, per_page, total })
    }

    /// Records an event that is not tied to a record (login, logout, token use) in the background.
    pub async fn log_event(&self, actor: &Actor, action: &str, detail: Option<String>) {
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
        self.log_read(entry).await;
    }

    /// Records a refused login attempt for a user name (no actor exists yet).
    pub(crate) async fn log_failed_login(&self, username: &str, channel: Channel, detail: &str) {
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
        .await;
    }
}

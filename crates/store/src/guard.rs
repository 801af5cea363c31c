//! The one guarded path to personal data. Every store method that reads or changes a guarded record goes
//! through a [`Guard`]:
//!
//! 1. [`Store::guard`] asks the permission matrix (`iim_domain::access`) whether the actor's roles allow the
//!    action on the resource at all. A refusal is logged; when it names a record the actor may not even read,
//!    it answers "not found", so that a record number reveals nothing.
//! 2. The guard hands out queries already limited to the rows the actor reaches ([`Guard::select`]) and
//!    by-id lookups within them ([`Guard::find`], and [`Guard::find_for_change`] with the row lock of a change).
//!    Which rows a scope reaches is declared once per table, in [`crate::reach`]; no module filters by scope
//!    on its own, and no Rust check repeats the SQL condition.
//! 3. Data leaves through [`Guard::logged`], which returns it only once its access-log entry is committed;
//!    a change writes its entry with [`Guard::log_change`] in the changing transaction.
//!
//! Why one type: before, twenty `authorize_*` helpers each applied the scope twice (SQL filter and Rust
//! check) and had to agree; a new module could forget either. Now forgetting is a compile error or an
//! unused-guard warning (`#[must_use]`).

use crate::aenderung::{Versioned, check_version, lock_for_change};
use crate::audit::insert_entry;
use crate::{Store, StoreError};
use iim_domain::{Action, Actor, AuditEntry, Outcome, Resource, Scope};
use sea_orm::sea_query::{IntoCondition, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Select};
use std::marker::PhantomData;

/// A table of guarded records: its resource in the permission matrix, and which of its rows an actor
/// reaches with each [`Scope`]. Implemented only in [`crate::reach`], the table a data protection officer
/// reads (ARCHITECTURE.md lists it).
pub(crate) trait Guarded: EntityTrait {
    /// The resource of the permission matrix these rows belong to.
    const RESOURCE: Resource;

    /// The primary key, for lookups by record number.
    fn id_column() -> Self::Column;

    /// The condition for record `id`. The record number is an `i64`; a table whose id column is narrower
    /// overrides this, since PostgreSQL refuses a parameter wider than its column.
    fn is_record(id: i64) -> SimpleExpr {
        Self::id_column().eq(id)
    }

    /// The rows `actor` reaches with `scope`, as one SQL condition.
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr;
}

/// Why a refusal happened, as the access log says it.
const ROLE_REFUSED: &str = "Rolle ohne Berechtigung";
const OUTSIDE_SCOPE: &str = "ausserhalb des Zuständigkeitsgebiets";

/// The permission of one actor for one action on one kind of record, granted by the matrix. Obtained from
/// [`Store::guard`]; all reads and changes of guarded records go through it.
#[must_use = "a guard authorizes only the queries made through it, and data leaves only through Guard::logged"]
pub(crate) struct Guard<'a, E: Guarded> {
    store: &'a Store,
    actor: &'a Actor,
    action: Action,
    scope: Scope,
    table: PhantomData<E>,
}

impl Store {
    /// The guard for `action` on the records of `E`, or the logged refusal of a role the matrix does not
    /// allow it. `record` names the record the caller is about to touch, if any: it goes into the refusal's
    /// log entry, and a refusal on a record the actor cannot read answers [`StoreError::NotFound`].
    pub(crate) async fn guard<'a, E: Guarded>(
        &'a self,
        actor: &'a Actor,
        action: Action,
        record: Option<i64>,
    ) -> Result<Guard<'a, E>, StoreError> {
        match actor.scope_for(E::RESOURCE, action) {
            Ok(scope) => Ok(Guard { store: self, actor, action, scope, table: PhantomData }),
            Err(denied) => {
                let entry = refusal(self, actor, E::RESOURCE, action, record, ROLE_REFUSED);
                self.log_read(entry).await?;
                match record {
                    Some(id) if !self.readable::<E>(actor, id).await? => Err(StoreError::NotFound),
                    _ => Err(denied.into()),
                }
            }
        }
    }

    /// Refuses, and logs the refusal of, an actor whose roles allow `action` on no record of `resource` at
    /// all. For pages that check before they show a form or a list; the record-level check follows in the
    /// store call that reads or changes.
    pub async fn check_permission(
        &self,
        actor: &Actor,
        resource: Resource,
        action: Action,
    ) -> Result<Scope, StoreError> {
        match actor.scope_for(resource, action) {
            Ok(scope) => Ok(scope),
            Err(denied) => {
                self.log_read(refusal(self, actor, resource, action, None, ROLE_REFUSED)).await?;
                Err(denied.into())
            }
        }
    }

    /// Whether the actor may read record `id` of `E`.
    async fn readable<E: Guarded>(&self, actor: &Actor, id: i64) -> Result<bool, StoreError> {
        let Ok(scope) = actor.scope_for(E::RESOURCE, Action::Read) else {
            return Ok(false);
        };
        let select = E::find().filter(E::is_record(id)).filter(E::reach(actor, scope));
        Ok(select.one(&self.db).await?.is_some())
    }
}

impl<'a, E: Guarded> Guard<'a, E> {
    pub(crate) fn actor(&self) -> &'a Actor {
        self.actor
    }

    pub(crate) fn scope(&self) -> Scope {
        self.scope
    }

    /// The condition for the rows this guard reaches, for queries that join the table or filter another
    /// table by it.
    pub(crate) fn reach(&self) -> SimpleExpr {
        E::reach(self.actor, self.scope)
    }

    /// All rows the actor reaches; the caller adds its filters, order and page.
    pub(crate) fn select(&self) -> Select<E> {
        E::find().filter(self.reach().into_condition())
    }

    /// Record `id`, if the actor reaches it. A record that exists outside the scope is logged as refused;
    /// both cases answer [`StoreError::NotFound`].
    pub(crate) async fn find(&self, db: &impl ConnectionTrait, id: i64) -> Result<E::Model, StoreError> {
        match self.select().filter(E::is_record(id)).one(db).await? {
            Some(row) => Ok(row),
            None => Err(self.not_found(db, id).await),
        }
    }

    /// Record `id` for a change in `txn`: found as by [`Guard::find`], locked until the transaction ends
    /// (see [`crate::aenderung`]).
    pub(crate) async fn find_for_change(&self, txn: &DatabaseTransaction, id: i64) -> Result<E::Model, StoreError> {
        match lock_for_change(txn, self.select().filter(E::is_record(id))).await? {
            Some(row) => Ok(row),
            None => Err(self.not_found(txn, id).await),
        }
    }

    /// [`Guard::find_for_change`] for a record edited in forms: refuses with [`StoreError::Changed`] when the
    /// stored version is not `expected` (the version the form was loaded with; `None` checks nothing).
    pub(crate) async fn find_version_for_change(
        &self,
        txn: &DatabaseTransaction,
        id: i64,
        expected: Option<i32>,
    ) -> Result<E::Model, StoreError>
    where
        E::Model: Versioned,
    {
        let row = self.find_for_change(txn, id).await?;
        if let Some(expected) = expected {
            check_version(&row, expected)?;
        }
        Ok(row)
    }

    /// The log entry of this guard's action on `record`.
    pub(crate) fn entry(&self, record: Option<String>, outcome: Outcome) -> AuditEntry {
        AuditEntry::of(self.actor, self.action, E::RESOURCE, record, outcome, self.store.clock.now())
    }

    /// Returns `data` once the read entry naming `record` (with `detail`, if any) is committed, or
    /// [`StoreError::AuditUnavailable`] instead of the data.
    pub(crate) async fn logged<T>(self, record: Option<i64>, detail: Option<String>, data: T) -> Result<T, StoreError> {
        let mut entry = self.entry(record.map(|id| id.to_string()), Outcome::Allowed);
        entry.detail = detail;
        self.store.log_read(entry).await?;
        Ok(data)
    }

    /// Writes the entry of a change to `record` in the changing transaction, so that both commit or neither.
    pub(crate) async fn log_change(
        &self,
        txn: &DatabaseTransaction,
        record: i64,
        detail: Option<String>,
    ) -> Result<(), StoreError> {
        let mut entry = self.entry(Some(record.to_string()), Outcome::Allowed);
        entry.detail = detail;
        insert_entry(txn, &entry).await
    }

    /// Logs a refusal of this guard's action on `record` for a reason of the calling module (a rule of the
    /// record's state that the matrix cannot see), and returns [`StoreError::NotFound`] or the log's error.
    pub(crate) async fn refuse(&self, record: Option<i64>, detail: &str) -> StoreError {
        let entry = refusal(self.store, self.actor, E::RESOURCE, self.action, record, detail);
        self.store.log_read(entry).await.err().unwrap_or(StoreError::NotFound)
    }

    /// The answer for a record the guard does not reach: a record that exists (outside the scope) is logged
    /// as refused; both answer "not found".
    async fn not_found(&self, db: &impl ConnectionTrait, id: i64) -> StoreError {
        match E::find().filter(E::is_record(id)).one(db).await {
            Ok(Some(_)) => self.refuse(Some(id), OUTSIDE_SCOPE).await,
            Ok(None) => StoreError::NotFound,
            Err(error) => error.into(),
        }
    }
}

fn refusal(
    store: &Store,
    actor: &Actor,
    resource: Resource,
    action: Action,
    record: Option<i64>,
    detail: &str,
) -> AuditEntry {
    AuditEntry::of(actor, action, resource, record.map(|id| id.to_string()), Outcome::Denied, store.clock.now())
        .with_detail(detail)
}

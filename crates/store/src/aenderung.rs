//! Changes that stay correct when two people save at the same moment (issue 10).
//!
//! Why this shape: a check that guards a change («is the goal still open?», «is there already a decision?»,
//! «did a colleague save since this form was loaded?») is only worth something if it runs in the same
//! transaction as the change and sees the row as it will be changed. So every change path loads its row
//! through [`load_for_change`], inside the write transaction from [`crate::begin_write`]:
//!
//! - on PostgreSQL the row is read with `SELECT … FOR UPDATE`: a second transaction that wants the same row
//!   waits until the first commits, then sees its result;
//! - on SQLite the lock clause is left out by the query builder, and needs not be there: `begin_write` is
//!   `BEGIN IMMEDIATE`, which holds the database's write lock for the whole transaction.
//!
//! Both backends thus run the checks one after the other, and behave alike. Records edited in forms carry a
//! version ([`Versioned`]); the form sends back the version it was loaded with, and a save based on another
//! version is refused with [`StoreError::Changed`], so nobody overwrites a colleague's change unseen.

use crate::StoreError;
use sea_orm::{DatabaseTransaction, EntityTrait, QuerySelect, Select};

/// A record whose changes are counted, so that a form can say which state it was based on.
pub(crate) trait Versioned {
    fn version(&self) -> i32;
}

/// Loads the row a change is about, locked until the transaction ends, and checks that it still has the
/// version the caller's form was based on (`expected`; `None` where the caller names no version, e.g. the
/// API, and only the lock is wanted).
pub(crate) async fn load_for_change<E>(
    txn: &DatabaseTransaction,
    select: Select<E>,
    expected: Option<i32>,
) -> Result<Option<E::Model>, StoreError>
where
    E: EntityTrait,
    E::Model: Versioned,
{
    let row = lock_for_change(txn, select).await?;
    if let (Some(row), Some(expected)) = (&row, expected) {
        check_version(row, expected)?;
    }
    Ok(row)
}

/// Loads the row a change is about, locked until the transaction ends, for records without a version.
pub(crate) async fn lock_for_change<E: EntityTrait>(
    txn: &DatabaseTransaction,
    select: Select<E>,
) -> Result<Option<E::Model>, StoreError> {
    Ok(select.lock_exclusive().one(txn).await?)
}

/// Refuses a change based on a version other than the stored one.
pub(crate) fn check_version(row: &impl Versioned, expected: i32) -> Result<(), StoreError> {
    if row.version() == expected { Ok(()) } else { Err(StoreError::Changed { current_version: row.version() }) }
}

impl Versioned for crate::entity::gemeindeorganisation::Model {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for crate::entity::dossier::Model {
    fn version(&self) -> i32 {
        self.version
    }
}

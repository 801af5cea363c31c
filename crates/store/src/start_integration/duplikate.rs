//! Possible duplicates from the register import: a person the import created with the same name and date of
//! birth as an existing one. The import never merges (a namesake is a different person more often than not);
//! a human decides here. «Different persons» closes the question; «the same person» moves the register link
//! and the arrivals of the new record to the existing one and removes the new record with its pairs, in one
//! transaction; the access log keeps the decision.
//! A new record that already has a dossier is not merged: that needs a closer look first. A new record that
//! is a child in the frühe Sprachförderung hands its track over, unless the existing record has one too.

use crate::aenderung::lock_for_change;
use crate::entity::{dossier, fruehfoerderung, moegliches_duplikat, neuzuzueger, person, register_person};
use crate::guard::Guard;
use crate::start_integration::erstinformation::{bfs_of, birth_date};
use crate::{Page, PageWindow, Store, StoreError, begin_write};
use chrono::{DateTime, Utc};
use iim_domain::regeln::StartIntegrationRegel;
use iim_domain::{Action, Actor, BfsNr, Resource, catalog};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

const OFFEN: &str = "offen";
/// The refusal's log detail names the decision: the record it names is the pair's new person.
const OUTSIDE_SCOPE: &str = "Duplikat-Entscheid ausserhalb des Zuständigkeitsgebiets";
const VERSCHIEDEN: &str = "verschieden";
/// Pairs per page of the list.
const DUPLIKATE_PER_PAGE: u64 = 20;

/// One side of a possible duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplikatPerson {
    pub id: i64,
    pub name: String,
    pub geburtsdatum: String,
    pub nationalitaet: String,
    pub gemeinde: String,
    pub ahv_nummer: String,
    pub erfasst_at: DateTime<Utc>,
}

/// A pair waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoeglichesDuplikat {
    pub id: i64,
    /// The record the import created.
    pub neu: DuplikatPerson,
    /// The record that existed before.
    pub bestehend: DuplikatPerson,
}

/// The human decision on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplikatEntscheid {
    Verschieden,
    DieselbePerson,
}

impl Store {
    /// One page of the open pairs whose two persons both lie in the actor's scope, oldest first: one scoped
    /// query for the page, one for its persons. Shown only to who may decide (change persons); logged as a read.
    pub async fn possible_duplicates(&self, actor: &Actor, page: u64) -> Result<Page<MoeglichesDuplikat>, StoreError> {
        self.check_permission(actor, Resource::Person, Action::Update).await?;
        let guard = self.guard::<moegliches_duplikat::Entity>(actor, Action::Read, None).await?;
        let window = PageWindow::new(page, DUPLIKATE_PER_PAGE, DUPLIKATE_PER_PAGE);
        let open = open_pairs(&guard);
        let total = open.clone().count(&self.db).await?;
        let rows = open
            .order_by_asc(moegliches_duplikat::Column::Id)
            .offset(window.offset())
            .limit(DUPLIKATE_PER_PAGE)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().flat_map(|row| [row.person_id, row.kandidat_id]).collect();
        let persons: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let items: Vec<MoeglichesDuplikat> = rows
            .iter()
            .filter_map(|row| {
                let (neu, bestehend) = (persons.get(&row.person_id)?, persons.get(&row.kandidat_id)?);
                Some(MoeglichesDuplikat { id: row.id, neu: side(neu), bestehend: side(bestehend) })
            })
            .collect();
        let shown: Vec<String> =
            items.iter().flat_map(|p| [p.neu.id.to_string(), p.bestehend.id.to_string()]).collect();
        let detail = format!("Mögliche Duplikate, angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), Page { items, page: window.page, per_page: DUPLIKATE_PER_PAGE, total }).await
    }

    /// How many open pairs the list shows the actor in all (the same query, counted), for the start page.
    pub async fn count_possible_duplicates(&self, actor: &Actor) -> Result<u64, StoreError> {
        if !actor.may(Resource::Person, Action::Update) {
            return Ok(0);
        }
        let guard = self.guard::<moegliches_duplikat::Entity>(actor, Action::Update, None).await?;
        Ok(open_pairs(&guard).count(&self.db).await?)
    }

    /// Records the decision on pair `id`; see the module docs for what «the same person» does. The pair is
    /// read, locked and checked inside the transaction that changes it, so two decisions cannot both pass.
    pub async fn decide_duplicate(
        &self,
        actor: &Actor,
        id: i64,
        entscheid: DuplikatEntscheid,
    ) -> Result<(), StoreError> {
        let guard = self.guard::<moegliches_duplikat::Entity>(actor, Action::Update, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        let Some(row) = lock_for_change(&txn, guard.select().filter(moegliches_duplikat::Column::Id.eq(id))).await?
        else {
            let pair = moegliches_duplikat::Entity::find_by_id(id).one(&txn).await?;
            txn.rollback().await?;
            return Err(match pair {
                Some(pair) => guard.refuse(Some(pair.person_id), OUTSIDE_SCOPE).await,
                None => StoreError::NotFound,
            });
        };
        let (Some(neu), Some(bestehend)) = (load(&txn, row.person_id).await?, load(&txn, row.kandidat_id).await?)
        else {
            return Err(StoreError::NotFound);
        };
        if row.status != OFFEN {
            return Err(StoreError::regel(StartIntegrationRegel::DuplikatEntschieden));
        }
        let detail = match entscheid {
            DuplikatEntscheid::Verschieden => {
                close(&txn, row, VERSCHIEDEN, actor, self.clock.now()).await?;
                format!("Mögliches Duplikat: Person {} und {} sind verschiedene Personen", neu.id, bestehend.id)
            }
            DuplikatEntscheid::DieselbePerson => {
                merge(&txn, &neu, &bestehend).await?;
                person::Entity::delete_by_id(neu.id).exec(&txn).await?;
                format!(
                    "Mögliches Duplikat: Person {} mit Person {} zusammengeführt und entfernt",
                    neu.id, bestehend.id
                )
            }
        };
        guard.log_change(&txn, bestehend.id, Some(detail)).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The open pairs the guard reaches (both persons in the actor's scope): the one rule of the list and the
/// start page's count.
fn open_pairs(guard: &Guard<'_, moegliches_duplikat::Entity>) -> Select<moegliches_duplikat::Entity> {
    guard.select().filter(moegliches_duplikat::Column::Status.eq(OFFEN))
}

async fn load(db: &impl ConnectionTrait, id: i64) -> Result<Option<person::Model>, StoreError> {
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

fn side(row: &person::Model) -> DuplikatPerson {
    DuplikatPerson {
        id: row.id,
        name: format!("{}, {}", row.nachname, row.vornamen),
        geburtsdatum: birth_date(row),
        nationalitaet: catalog::country_name(&row.nationalitaet).unwrap_or(&row.nationalitaet).to_owned(),
        gemeinde: bfs_of(row.wohngemeinde_bfs).map(BfsNr::name).unwrap_or_default(),
        ahv_nummer: row.ahv_nummer.clone().unwrap_or_default(),
        erfasst_at: row.created_at,
    }
}

async fn close(
    db: &impl ConnectionTrait,
    row: moegliches_duplikat::Model,
    status: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut active = row.into_active_model();
    active.status = Set(status.to_owned());
    active.entschieden_at = Set(Some(now));
    active.entschieden_von = Set(Some(actor.user_id));
    active.update(db).await?;
    Ok(())
}

/// Moves what the import attached to the new record over to the existing one. Refuses a new record with a
/// dossier, and an arrival that the existing record already has on the same date.
async fn merge(db: &impl ConnectionTrait, neu: &person::Model, bestehend: &person::Model) -> Result<(), StoreError> {
    let dossiers = dossier::Entity::find().filter(dossier::Column::PersonId.eq(neu.id)).count(db).await?;
    if dossiers > 0 {
        return Err(StoreError::regel(StartIntegrationRegel::DuplikatMitDossier));
    }
    let arrivals: Vec<chrono::NaiveDate> = neuzuzueger::Entity::find()
        .filter(neuzuzueger::Column::PersonId.eq(neu.id))
        .select_only()
        .column(neuzuzueger::Column::ZuzugAm)
        .into_tuple()
        .all(db)
        .await?;
    let clash = neuzuzueger::Entity::find()
        .filter(neuzuzueger::Column::PersonId.eq(bestehend.id))
        .filter(neuzuzueger::Column::ZuzugAm.is_in(arrivals))
        .count(db)
        .await?;
    if clash > 0 {
        return Err(StoreError::regel(StartIntegrationRegel::DuplikatZuzugAmSelbenTag));
    }
    move_child_track(db, neu, bestehend).await?;
    neuzuzueger::Entity::update_many()
        .col_expr(neuzuzueger::Column::PersonId, Expr::value(bestehend.id))
        .filter(neuzuzueger::Column::PersonId.eq(neu.id))
        .exec(db)
        .await?;
    register_person::Entity::update_many()
        .col_expr(register_person::Column::PersonId, Expr::value(bestehend.id))
        .filter(register_person::Column::PersonId.eq(neu.id))
        .exec(db)
        .await?;
    moegliches_duplikat::Entity::delete_many()
        .filter(moegliches_duplikat::Column::PersonId.eq(neu.id).or(moegliches_duplikat::Column::KandidatId.eq(neu.id)))
        .exec(db)
        .await?;
    Ok(())
}

/// A new record that is a child in the frühe Sprachförderung hands its track to the existing record; if that
/// one has a track already, two tracks cannot become one by a click.
async fn move_child_track(
    db: &impl ConnectionTrait,
    neu: &person::Model,
    bestehend: &person::Model,
) -> Result<(), StoreError> {
    let tracks =
        |person_id: i64| fruehfoerderung::Entity::find().filter(fruehfoerderung::Column::PersonId.eq(person_id));
    if tracks(neu.id).count(db).await? == 0 {
        return Ok(());
    }
    if tracks(bestehend.id).count(db).await? > 0 {
        return Err(StoreError::regel(StartIntegrationRegel::DuplikatZweiBegleitungen));
    }
    fruehfoerderung::Entity::update_many()
        .col_expr(fruehfoerderung::Column::PersonId, Expr::value(bestehend.id))
        .filter(fruehfoerderung::Column::PersonId.eq(neu.id))
        .exec(db)
        .await?;
    Ok(())
}

//! Possible duplicates from the register import: a person the import created with the same name and date of
//! birth as an existing one. The import never merges (a namesake is a different person more often than not);
//! a human decides here. «Different persons» closes the question; «the same person» moves the register link
//! and the arrivals of the new record to the existing one and removes the new record with its pairs, in one
//! transaction; the access log keeps the decision.
//! A new record that already has a dossier is not merged: that needs a closer look first.

use crate::audit::insert_entry;
use crate::entity::{dossier, moegliches_duplikat, person, register_person, zuzug};
use crate::erstinformation::{bfs_of, birth_date, entry};
use crate::{Store, StoreError, begin_write};
use chrono::{DateTime, Utc};
use iim_domain::{Action, Actor, BfsNr, Outcome, Resource, catalog};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

const OFFEN: &str = "offen";
const VERSCHIEDEN: &str = "verschieden";
const SHOWN: u64 = 100;

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
    /// Open pairs whose two persons both lie in the actor's scope (up to 100, oldest first).
    pub async fn possible_duplicates(&self, actor: &Actor) -> Result<Vec<MoeglichesDuplikat>, StoreError> {
        let scope = self.authorize_resource(actor, Resource::Person, Action::Update, None).await?;
        let rows = moegliches_duplikat::Entity::find()
            .filter(moegliches_duplikat::Column::Status.eq(OFFEN))
            .order_by_asc(moegliches_duplikat::Column::Id)
            .all(&self.db)
            .await?;
        let mut pairs = Vec::new();
        for row in rows {
            let (Some(neu), Some(bestehend)) =
                (load(&self.db, row.person_id).await?, load(&self.db, row.kandidat_id).await?)
            else {
                continue;
            };
            let reachable =
                |p: &person::Model| bfs_of(p.wohngemeinde_bfs).is_some_and(|g| actor.reaches_gemeinde(scope, g));
            if reachable(&neu) && reachable(&bestehend) {
                pairs.push(MoeglichesDuplikat { id: row.id, neu: side(&neu), bestehend: side(&bestehend) });
            }
            if pairs.len() as u64 >= SHOWN {
                break;
            }
        }
        let shown: Vec<String> =
            pairs.iter().flat_map(|p| [p.neu.id.to_string(), p.bestehend.id.to_string()]).collect();
        let detail = format!("Mögliche Duplikate, angezeigt: {}", shown.join(","));
        self.log_read(entry(actor, Resource::Person, Action::Read, None, Outcome::Allowed, self).with_detail(detail))
            .await?;
        Ok(pairs)
    }

    /// How many open pairs have their new record in the actor's scope, for the start page.
    pub async fn count_possible_duplicates(&self, actor: &Actor) -> Result<u64, StoreError> {
        let Ok(scope) = actor.scope_for(Resource::Person, Action::Update) else { return Ok(0) };
        let mut persons = person::Entity::find().select_only().column(person::Column::Id);
        if let Some(gemeinden) = actor.gemeinden_in(scope) {
            persons =
                persons.filter(person::Column::WohngemeindeBfs.is_in(gemeinden.iter().map(|g| i32::from(g.get()))));
        }
        Ok(moegliches_duplikat::Entity::find()
            .filter(moegliches_duplikat::Column::Status.eq(OFFEN))
            .filter(Expr::col(moegliches_duplikat::Column::PersonId).in_subquery(persons.into_query()))
            .count(&self.db)
            .await?)
    }

    /// Records the decision on pair `id`; see the module docs for what «the same person» does.
    pub async fn decide_duplicate(
        &self,
        actor: &Actor,
        id: i64,
        entscheid: DuplikatEntscheid,
    ) -> Result<(), StoreError> {
        let scope = self.authorize_resource(actor, Resource::Person, Action::Update, Some(id)).await?;
        let row = moegliches_duplikat::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let (Some(neu), Some(bestehend)) =
            (load(&self.db, row.person_id).await?, load(&self.db, row.kandidat_id).await?)
        else {
            return Err(StoreError::NotFound);
        };
        let reachable =
            |p: &person::Model| bfs_of(p.wohngemeinde_bfs).is_some_and(|g| actor.reaches_gemeinde(scope, g));
        if !reachable(&neu) || !reachable(&bestehend) {
            self.log_read(
                entry(actor, Resource::Person, Action::Update, Some(row.person_id), Outcome::Denied, self)
                    .with_detail("Duplikat-Entscheid ausserhalb des Zuständigkeitsgebiets"),
            )
            .await?;
            return Err(StoreError::NotFound);
        }
        if row.status != OFFEN {
            return Err(StoreError::invalid("entscheid", "Über dieses Paar ist bereits entschieden."));
        }
        let txn = begin_write(&self.db).await?;
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
        insert_entry(
            &txn,
            &entry(actor, Resource::Person, Action::Update, Some(bestehend.id), Outcome::Allowed, self)
                .with_detail(detail),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
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
        return Err(StoreError::invalid(
            "entscheid",
            "Die neu erfasste Person hat bereits ein Dossier. Bitte zuerst mit der fallführenden Stelle klären.",
        ));
    }
    let arrivals: Vec<chrono::NaiveDate> = zuzug::Entity::find()
        .filter(zuzug::Column::PersonId.eq(neu.id))
        .select_only()
        .column(zuzug::Column::ZuzugAm)
        .into_tuple()
        .all(db)
        .await?;
    let clash = zuzug::Entity::find()
        .filter(zuzug::Column::PersonId.eq(bestehend.id))
        .filter(zuzug::Column::ZuzugAm.is_in(arrivals))
        .count(db)
        .await?;
    if clash > 0 {
        return Err(StoreError::invalid(
            "entscheid",
            "Beide Personen haben einen Zuzug am selben Tag. Bitte den doppelten Zuzug zuerst klären.",
        ));
    }
    zuzug::Entity::update_many()
        .col_expr(zuzug::Column::PersonId, Expr::value(bestehend.id))
        .filter(zuzug::Column::PersonId.eq(neu.id))
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

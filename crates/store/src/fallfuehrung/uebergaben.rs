//! Transfer of a dossier on Wohnortwechsel (DOMAIN.md "The case", step 8). The case worker asks the Stelle
//! responsible for the new Gemeinde to take the dossier over; until it accepts, the old Stelle keeps it.
//! Acceptance moves the dossier with its whole history: the accepting person becomes responsible, the
//! person's Wohngemeinde follows, and the old Stelle's access ends because access follows the keeping Stelle.
//! Before accepting, the receiving Stelle sees only what it needs to decide (name, birth date, from where).

use crate::entity::{dossier, dossier_event, person, uebergabe};
use crate::fallfuehrung::dossiers::{DossierChange, add_event, user_names};
use crate::fallfuehrung::umzuege::settle_proposals;
use crate::guard::{Guard, Guarded};
use crate::{Dossier, Store, StoreError, begin_write};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::clock::local_date;
use iim_domain::dossier::DossierEvent;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, BfsNr, FieldErrors, PartialDate, Scope, TextLimit};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, NotSet, QueryFilter, QueryOrder,
};

const BEANTRAGT: &str = "beantragt";
const ANGENOMMEN: &str = "angenommen";
const ABGELEHNT: &str = "abgelehnt";

/// A transfer as the dossier shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uebergabe {
    pub id: i64,
    pub an_stelle: String,
    pub neue_gemeinde: String,
    pub bemerkung: String,
    pub beantragt_at: DateTime<Utc>,
    pub offen: bool,
    /// The receiving Stelle's reason when it refused.
    pub ablehnung: Option<String>,
}

/// Where a dossier went that the actor's Stelle handed over, for a bookmark of a former case worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeitergegebenesDossier {
    /// The day the receiving Stelle took the dossier over (Swiss local date).
    pub uebergeben_am: NaiveDate,
    pub an_stelle: String,
}

/// A transfer waiting for the receiving Stelle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EingehendeUebergabe {
    pub id: i64,
    pub person_name: String,
    pub geburtsdatum: String,
    pub von_stelle: String,
    pub beantragt_von: String,
    pub beantragt_at: DateTime<Utc>,
    pub neue_gemeinde: String,
    pub bemerkung: String,
}

impl Store {
    /// Asks the Stelle responsible for `gemeinde` to take the dossier over.
    pub async fn request_transfer(
        &self,
        actor: &Actor,
        dossier_id: i64,
        gemeinde: &str,
        bemerkung: &str,
    ) -> Result<Dossier, StoreError> {
        let Ok(bfs) = BfsNr::parse(gemeinde) else {
            return Err(StoreError::regel(FallfuehrungRegel::NeueWohngemeindeFehlt));
        };
        let mut errors = FieldErrors::new();
        if !errors.check_texts(&[("bemerkung", bemerkung, TextLimit::Note)]) {
            return Err(StoreError::Invalid(errors));
        }
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let directory = self.directory();
        let Some(target) = directory.region_of_gemeinde(bfs) else {
            return Err(StoreError::regel(FallfuehrungRegel::KeineSozialregion));
        };
        if target.id == row.stelle_id {
            return Err(StoreError::regel(FallfuehrungRegel::GemeindeDerEigenenRegion));
        }
        if open_transfer(&txn, row.id).await?.is_some() {
            return Err(StoreError::regel(FallfuehrungRegel::UebergabeBereitsBeantragt));
        }
        uebergabe::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            von_stelle_id: Set(row.stelle_id),
            an_stelle_id: Set(target.id),
            neue_gemeinde_bfs: Set(i32::from(bfs.get())),
            bemerkung: Set(bemerkung.trim().to_owned()),
            status: Set(BEANTRAGT.to_owned()),
            beantragt_at: Set(now),
            beantragt_by: Set(actor.user_id),
            entschieden_at: Set(None),
            entschieden_by: Set(None),
            entscheid_begruendung: Set(None),
        }
        .insert(&txn)
        .await?;
        settle_proposals(&txn, row.id, actor.user_id, now).await?;
        let summary = format!("an {} (neue Wohngemeinde {})", target.name, bfs.name());
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::UebergabeBeantragt, Some(summary), now)
            .await
    }

    /// Transfers waiting for the actor's Stelle; the read is logged with the dossiers shown.
    pub async fn incoming_transfers(&self, actor: &Actor) -> Result<Vec<EingehendeUebergabe>, StoreError> {
        let guard = self.guard::<uebergabe::Entity>(actor, Action::Read, None).await?;
        let rows = guard
            .select()
            .filter(uebergabe::Column::Status.eq(BEANTRAGT))
            .order_by_asc(uebergabe::Column::Id)
            .all(&self.db)
            .await?;
        let dossiers: std::collections::HashMap<i64, i64> = dossier::Entity::find()
            .filter(dossier::Column::Id.is_in(rows.iter().map(|r| r.dossier_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.id, d.person_id))
            .collect();
        let persons: std::collections::HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(dossiers.values().copied().collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let requesters = user_names(&self.db, rows.iter().map(|r| r.beantragt_by)).await?;
        let directory = self.directory();
        let items: Vec<EingehendeUebergabe> = rows
            .into_iter()
            .map(|row| {
                let person = dossiers.get(&row.dossier_id).and_then(|id| persons.get(id));
                EingehendeUebergabe {
                    id: row.id,
                    person_name: person.map(|p| format!("{}, {}", p.nachname, p.vornamen)).unwrap_or_default(),
                    geburtsdatum: person.map(birth_date).unwrap_or_default(),
                    von_stelle: directory.get(row.von_stelle_id).map(|o| o.name.clone()).unwrap_or_default(),
                    beantragt_von: requesters.get(&row.beantragt_by).cloned().unwrap_or_default(),
                    beantragt_at: row.beantragt_at,
                    neue_gemeinde: gemeinde_name(row.neue_gemeinde_bfs),
                    bemerkung: row.bemerkung,
                }
            })
            .collect();
        if items.is_empty() {
            return Ok(items);
        }
        let shown: Vec<String> = items.iter().map(|u| u.id.to_string()).collect();
        guard.logged(None, Some(format!("eingehende Übergaben angezeigt: {}", shown.join(","))), items).await
    }

    /// Where dossier `dossier_id` went, for a user who had it before it was handed over: it asked for the
    /// transfer, wrote on the dossier's timeline, or reads all dossiers of the sending Stelle. The answer is a
    /// logged read of the dossier; anyone else gets `None`, so that a dossier number still reveals nothing.
    pub async fn former_dossier(
        &self,
        actor: &Actor,
        dossier_id: i64,
    ) -> Result<Option<WeitergegebenesDossier>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let Some(transfer) = uebergabe::Entity::find()
            .filter(uebergabe::Column::DossierId.eq(dossier_id))
            .filter(uebergabe::Column::Status.eq(ANGENOMMEN))
            .filter(uebergabe::Column::VonStelleId.eq(actor.organisation_id))
            .order_by_desc(uebergabe::Column::Id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if !had_dossier(&self.db, actor, guard.scope(), &transfer).await? {
            return Ok(None);
        }
        let seen = WeitergegebenesDossier {
            uebergeben_am: local_date(transfer.entschieden_at.unwrap_or(transfer.beantragt_at)),
            an_stelle: self.directory().get(transfer.an_stelle_id).map(|o| o.name.clone()).unwrap_or_default(),
        };
        let detail = format!("Hinweis auf die Übergabe an {} angezeigt", seen.an_stelle);
        guard.logged(Some(dossier_id), Some(detail), Some(seen)).await
    }

    /// The receiving Stelle accepts: the dossier moves, the actor becomes responsible, the person's
    /// Wohngemeinde follows. Returns the dossier's number.
    pub async fn accept_transfer(&self, actor: &Actor, uebergabe_id: i64) -> Result<i64, StoreError> {
        let guard = self.guard::<uebergabe::Entity>(actor, Action::Update, Some(uebergabe_id)).await?;
        let txn = begin_write(&self.db).await?;
        let transfer = open_incoming(&guard, &txn, uebergabe_id).await?;
        let now = self.clock.now();
        let row = dossier::Entity::find_by_id(transfer.dossier_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let dossier_id = row.id;
        let person_id = row.person_id;
        let mut active = row.into_active_model();
        active.stelle_id = Set(actor.organisation_id);
        active.responsible_user_id = Set(actor.user_id);
        active.update(&txn).await?;
        move_person(&txn, person_id, transfer.neue_gemeinde_bfs, actor.user_id, now).await?;
        let directory = self.directory();
        let from = directory.get(transfer.von_stelle_id).map(|o| o.name.clone()).unwrap_or_default();
        let summary = format!("von {from} an {}, Fallführung {}", actor.organisation_name, actor.display_name);
        add_event(&txn, dossier_id, actor.user_id, DossierEvent::UebergabeAngenommen, Some(summary.clone()), now)
            .await?;
        decide(&txn, transfer, ANGENOMMEN, actor.user_id, None, now).await?;
        let detail =
            format!("Dossier {dossier_id} übernommen ({summary}); Wohngemeinde der Person {person_id} nachgeführt");
        guard.log_change(&txn, uebergabe_id, Some(detail)).await?;
        txn.commit().await?;
        Ok(dossier_id)
    }

    /// The receiving Stelle refuses with a reason; the old Stelle keeps the dossier.
    pub async fn reject_transfer(&self, actor: &Actor, uebergabe_id: i64, begruendung: &str) -> Result<(), StoreError> {
        let begruendung = begruendung.trim();
        if begruendung.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::UebergabeAblehnungOhneBegruendung));
        }
        let guard = self.guard::<uebergabe::Entity>(actor, Action::Update, Some(uebergabe_id)).await?;
        let txn = begin_write(&self.db).await?;
        let transfer = open_incoming(&guard, &txn, uebergabe_id).await?;
        let now = self.clock.now();
        let summary = format!("von {}: {begruendung}", actor.organisation_name);
        add_event(&txn, transfer.dossier_id, actor.user_id, DossierEvent::UebergabeAbgelehnt, Some(summary), now)
            .await?;
        decide(&txn, transfer, ABGELEHNT, actor.user_id, Some(begruendung.to_owned()), now).await?;
        guard.log_change(&txn, uebergabe_id, Some("Übergabe abgelehnt".to_owned())).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// An incoming transfer within the guard's reach, locked for the decision, if still open.
async fn open_incoming(
    guard: &Guard<'_, uebergabe::Entity>,
    txn: &DatabaseTransaction,
    uebergabe_id: i64,
) -> Result<uebergabe::Model, StoreError> {
    let row = guard.find_for_change(txn, uebergabe_id).await?;
    if row.status != BEANTRAGT {
        return Err(StoreError::regel(FallfuehrungRegel::UebergabeBereitsEntschieden));
    }
    Ok(row)
}

/// The latest transfer of a dossier (open, or refused and not followed by another), for the dossier page.
pub(crate) async fn latest_transfer(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    directory: &crate::Directory,
) -> Result<Option<Uebergabe>, StoreError> {
    let row = uebergabe::Entity::find()
        .filter(uebergabe::Column::DossierId.eq(dossier_id))
        .filter(uebergabe::Column::Status.ne(ANGENOMMEN))
        .order_by_desc(uebergabe::Column::Id)
        .one(db)
        .await?;
    Ok(row.map(|row| Uebergabe {
        id: row.id,
        an_stelle: directory.get(row.an_stelle_id).map(|o| o.name.clone()).unwrap_or_default(),
        neue_gemeinde: gemeinde_name(row.neue_gemeinde_bfs),
        bemerkung: row.bemerkung,
        beantragt_at: row.beantragt_at,
        offen: row.status == BEANTRAGT,
        ablehnung: row.entscheid_begruendung,
    }))
}

/// Whether the actor had the dossier before `transfer` moved it away from its Stelle.
async fn had_dossier(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: Scope,
    transfer: &uebergabe::Model,
) -> Result<bool, StoreError> {
    if scope != Scope::Own || transfer.beantragt_by == actor.user_id {
        return Ok(true);
    }
    let wrote = dossier_event::Entity::find()
        .filter(dossier_event::Column::DossierId.eq(transfer.dossier_id))
        .filter(dossier_event::Column::ActorUserId.eq(actor.user_id))
        .filter(dossier_event::Column::OccurredAt.lte(transfer.beantragt_at))
        .one(db)
        .await?;
    Ok(wrote.is_some())
}

async fn open_transfer(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Option<uebergabe::Model>, StoreError> {
    Ok(uebergabe::Entity::find()
        .filter(uebergabe::Column::DossierId.eq(dossier_id))
        .filter(uebergabe::Column::Status.eq(BEANTRAGT))
        .one(db)
        .await?)
}

/// How many transfers wait for the actor's Stelle (start page; no personal data).
pub(crate) async fn count_incoming(db: &impl ConnectionTrait, actor: &Actor, scope: Scope) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(uebergabe::Entity::find()
        .filter(<uebergabe::Entity as Guarded>::reach(actor, scope))
        .filter(uebergabe::Column::Status.eq(BEANTRAGT))
        .count(db)
        .await?)
}

async fn decide(
    db: &impl ConnectionTrait,
    transfer: uebergabe::Model,
    status: &str,
    by: i64,
    begruendung: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut active = transfer.into_active_model();
    active.status = Set(status.to_owned());
    active.entschieden_at = Set(Some(now));
    active.entschieden_by = Set(Some(by));
    active.entscheid_begruendung = Set(begruendung);
    active.update(db).await?;
    Ok(())
}

/// The person now lives in the new Gemeinde; a new version, so that open edit forms notice.
async fn move_person(
    db: &impl ConnectionTrait,
    person_id: i64,
    bfs: i32,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    person::Entity::update_many()
        .col_expr(person::Column::WohngemeindeBfs, Expr::value(bfs))
        .col_expr(person::Column::Version, Expr::col(person::Column::Version).add(1))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .col_expr(person::Column::UpdatedBy, Expr::value(by))
        .filter(person::Column::Id.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

fn gemeinde_name(bfs: i32) -> String {
    u16::try_from(bfs).ok().and_then(BfsNr::known).map(BfsNr::name).unwrap_or_else(|| bfs.to_string())
}

fn birth_date(person: &person::Model) -> String {
    let month = person.geburtsmonat.and_then(|m| u32::try_from(m).ok());
    let day = person.geburtstag.and_then(|d| u32::try_from(d).ok());
    PartialDate::from_parts(person.geburtsjahr, month, day).map(|date| date.to_string()).unwrap_or_default()
}

/// The oldest open transfers among `reached` (the guard's rows), at most `limit`: (transfer, dossier, since),
/// for the start page's agenda.
pub(crate) async fn oldest_incoming(
    db: &impl ConnectionTrait,
    reached: sea_orm::sea_query::SimpleExpr,
    limit: u64,
) -> Result<Vec<(i64, i64, DateTime<Utc>)>, StoreError> {
    use sea_orm::QuerySelect;
    Ok(uebergabe::Entity::find()
        .filter(reached)
        .filter(uebergabe::Column::Status.eq(BEANTRAGT))
        .order_by_asc(uebergabe::Column::BeantragtAt)
        .order_by_asc(uebergabe::Column::Id)
        .limit(limit)
        .select_only()
        .columns([uebergabe::Column::Id, uebergabe::Column::DossierId, uebergabe::Column::BeantragtAt])
        .into_tuple()
        .all(db)
        .await?)
}

//! Transfer proposals after a move between Sozialregionen of the canton. When the population register reports
//! that a person the Cockpit knows moved into a Gemeinde of the canton, and the person's open dossier is kept
//! by a Stelle whose Sozialregion does not include the new Gemeinde, the keeping Stelle is asked to propose the
//! transfer (`uebergaben.rs`): the proposal waits in «Meine Pendenzen» and on the dossier until the case worker
//! requests the transfer (the proposal is then done) or dismisses it with a reason. A move within the
//! Stelle's own Sozialregion records nothing: the dossier stays where it is.
//!
//! Access follows the dossier: whoever may read the dossier sees the proposal, whoever may change it settles it.

use crate::directory::Directory;
use crate::entity::{dossier, uebergabe, umzugsvorschlag};
use crate::fallfuehrung::dossiers::{DossierChange, status_code};
use crate::fallfuehrung::pendenzen::{OpenInScope, Pendenz, WORKLIST_LIMIT, dossier_person_names};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::dossier::DossierStatus;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, BfsNr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

const OFFEN: &str = "offen";
const ERLEDIGT: &str = "erledigt";
const VERWORFEN: &str = "verworfen";

/// A move as the register reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Umzug {
    /// The Gemeinde the person came from, if the register names it.
    pub von: Option<u16>,
    pub nach: BfsNr,
    pub am: NaiveDate,
}

/// An open proposal, as the dossier shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Umzugsvorschlag {
    pub id: i64,
    pub dossier_id: i64,
    /// The Gemeinde the person came from, by name, if the register named it.
    pub von: Option<String>,
    pub nach: String,
    pub nach_bfs: u16,
    pub umzug_am: NaiveDate,
}

impl Store {
    /// The open proposal of a dossier the actor may read, if any; part of reading the dossier.
    pub async fn move_proposal(&self, actor: &Actor, dossier_id: i64) -> Result<Option<Umzugsvorschlag>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, Some(dossier_id)).await?;
        guard.find(&self.db, dossier_id).await?;
        let row = umzugsvorschlag::Entity::find()
            .filter(umzugsvorschlag::Column::DossierId.eq(dossier_id))
            .filter(umzugsvorschlag::Column::Status.eq(OFFEN))
            .order_by_desc(umzugsvorschlag::Column::UmzugAm)
            .one(&self.db)
            .await?;
        let Some(row) = row else { return Ok(None) };
        guard.logged(Some(dossier_id), Some(format!("Umzugsvorschlag {}", row.id)), Some(proposal(row))).await
    }

    /// Dismisses an open proposal with a reason (e.g. the register was wrong, or the Stelle keeps the case
    /// by agreement); the dossier stays where it is.
    pub async fn dismiss_move_proposal(
        &self,
        actor: &Actor,
        dossier_id: i64,
        proposal_id: i64,
        begruendung: &str,
    ) -> Result<(), StoreError> {
        let begruendung = begruendung.trim();
        if begruendung.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::UmzugOhneBegruendung));
        }
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let found = umzugsvorschlag::Entity::find_by_id(proposal_id)
            .filter(umzugsvorschlag::Column::DossierId.eq(row.id))
            .filter(umzugsvorschlag::Column::Status.eq(OFFEN))
            .one(&txn)
            .await?;
        let Some(found) = found else { return Err(StoreError::NotFound) };
        let mut active = found.into_active_model();
        active.status = Set(VERWORFEN.to_owned());
        active.begruendung = Set(Some(begruendung.to_owned()));
        active.erledigt_at = Set(Some(now));
        active.erledigt_by = Set(Some(actor.user_id));
        active.update(&txn).await?;
        let detail =
            format!("Umzugsvorschlag {proposal_id} verworfen, Begründung ({} Zeichen)", begruendung.chars().count());
        guard.log_change(&txn, row.id, Some(detail)).await?;
        txn.commit().await?;
        Ok(())
    }
}

fn proposal(row: umzugsvorschlag::Model) -> Umzugsvorschlag {
    let name = |bfs: i32| u16::try_from(bfs).ok().and_then(BfsNr::known);
    let nach = name(row.nach_bfs);
    Umzugsvorschlag {
        id: row.id,
        dossier_id: row.dossier_id,
        von: row.von_bfs.and_then(name).map(|g| g.name().to_owned()),
        nach: nach.map_or_else(|| row.nach_bfs.to_string(), |g| g.name().to_owned()),
        nach_bfs: u16::try_from(row.nach_bfs).unwrap_or_default(),
        umzug_am: row.umzug_am,
    }
}

/// Records a proposal for the open dossier of `person_id` when its Stelle's Sozialregion does not include the
/// new Gemeinde, no transfer is requested yet and none was proposed for this move. Returns how many it recorded.
pub(crate) async fn propose_transfer(
    db: &impl ConnectionTrait,
    directory: &Directory,
    person_id: i64,
    umzug: &Umzug,
    lieferung_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let open = dossier::Entity::find()
        .filter(dossier::Column::PersonId.eq(person_id))
        .filter(dossier::Column::Status.ne(status_code(DossierStatus::Abgeschlossen)))
        .one(db)
        .await?;
    let Some(open) = open else { return Ok(0) };
    let target = directory.region_of_gemeinde(umzug.nach);
    if target.is_none_or(|region| region.id == open.stelle_id) {
        return Ok(0);
    }
    let requested = uebergabe::Entity::find()
        .filter(uebergabe::Column::DossierId.eq(open.id))
        .filter(uebergabe::Column::Status.eq("beantragt"))
        .count(db)
        .await?;
    let proposed = umzugsvorschlag::Entity::find()
        .filter(umzugsvorschlag::Column::PersonId.eq(person_id))
        .filter(umzugsvorschlag::Column::UmzugAm.eq(umzug.am))
        .count(db)
        .await?;
    if requested > 0 || proposed > 0 {
        return Ok(0);
    }
    umzugsvorschlag::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        dossier_id: Set(open.id),
        von_bfs: Set(umzug.von.map(i32::from)),
        nach_bfs: Set(i32::from(umzug.nach.get())),
        umzug_am: Set(umzug.am),
        lieferung_id: Set(lieferung_id),
        status: Set(OFFEN.to_owned()),
        begruendung: Set(None),
        created_at: Set(now),
        erledigt_at: Set(None),
        erledigt_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(1)
}

/// Marks the open proposals of a dossier done: its transfer has been requested.
pub(crate) async fn settle_proposals(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    umzugsvorschlag::Entity::update_many()
        .col_expr(umzugsvorschlag::Column::Status, sea_orm::sea_query::Expr::value(ERLEDIGT))
        .col_expr(umzugsvorschlag::Column::ErledigtAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(umzugsvorschlag::Column::ErledigtBy, sea_orm::sea_query::Expr::value(user_id))
        .filter(umzugsvorschlag::Column::DossierId.eq(dossier_id))
        .filter(umzugsvorschlag::Column::Status.eq(OFFEN))
        .exec(db)
        .await?;
    Ok(())
}

/// Open proposals of the dossiers in scope, oldest move first, for «Meine Pendenzen».
pub(crate) async fn open_proposals(db: &impl ConnectionTrait, scope: &OpenInScope) -> Result<Vec<Pendenz>, StoreError> {
    let rows = umzugsvorschlag::Entity::find()
        .filter(umzugsvorschlag::Column::Status.eq(OFFEN))
        .filter(scope.reaches(umzugsvorschlag::Column::DossierId))
        .order_by_asc(umzugsvorschlag::Column::UmzugAm)
        .limit(WORKLIST_LIMIT)
        .all(db)
        .await?;
    let names = dossier_person_names(db, rows.iter().map(|r| r.dossier_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let dossier_id = row.dossier_id;
            let vorschlag = proposal(row);
            Pendenz {
                dossier_id,
                person_name: names.get(&dossier_id).cloned().unwrap_or_default(),
                was: format!("Umzug nach {} laut Register: Übergabe prüfen", vorschlag.nach),
                seit: vorschlag.umzug_am,
                ausnahmegesuch: None,
            }
        })
        .collect())
}

/// How many proposals wait in scope (start page; no personal data).
pub(crate) async fn count_open_proposals(db: &impl ConnectionTrait, scope: &OpenInScope) -> Result<u64, StoreError> {
    Ok(umzugsvorschlag::Entity::find()
        .filter(umzugsvorschlag::Column::Status.eq(OFFEN))
        .filter(scope.reaches(umzugsvorschlag::Column::DossierId))
        .count(db)
        .await?)
}

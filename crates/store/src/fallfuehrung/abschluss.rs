//! Closing a dossier (DOMAIN.md "The case", step 9). Where a Sozialregion has configured it
//! (`abschluss_genehmigung` of its organisation, set with `iim org abschluss-genehmigung`), a case
//! worker's closing becomes a request that the Leitung approves or refuses with a reason; the Leitung
//! itself closes directly. Reopening needs no approval.

use crate::entity::{abschluss_antrag, organisation};
use crate::fallfuehrung::dossiers::{DossierChange, user_name};
use crate::fallfuehrung::pendenzen::OpenInScope;
use crate::{Dossier, Store, StoreError};
use chrono::{DateTime, Utc};
use iim_domain::dossier::{AbschlussGrund, DossierEvent};
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, Resource};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

const OFFEN: &str = "offen";

/// A closing that waits for the Leitung.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbschlussAntrag {
    pub grund: AbschlussGrund,
    pub bemerkung: String,
    pub beantragt_von: String,
    pub beantragt_at: DateTime<Utc>,
}

impl Store {
    /// Closes the dossier with a reason from the list, or, where the Stelle requires approval and the
    /// actor cannot approve, submits the closing to the Leitung.
    pub async fn close_dossier(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i32>,
        grund: AbschlussGrund,
        bemerkung: &str,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } =
            self.begin_versioned_change(actor, id, Action::Update, expected_version).await?;
        let pending = open_request(&txn, row.id).await?;
        let summary = closing_summary(grund, bemerkung);
        if actor.may(Resource::Dossier, Action::Approve) {
            if let Some(request) = pending {
                settle(&txn, request, "genehmigt", actor.user_id, None, now).await?;
            }
            let active = row.into_active_model();
            return self.finish_change(&guard, txn, active, DossierEvent::Abgeschlossen, Some(summary), now).await;
        }
        if pending.is_some() {
            return Err(StoreError::regel(FallfuehrungRegel::AbschlussBereitsBeantragt));
        }
        if !requires_approval(&txn, row.stelle_id).await? {
            let active = row.into_active_model();
            return self.finish_change(&guard, txn, active, DossierEvent::Abgeschlossen, Some(summary), now).await;
        }
        abschluss_antrag::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            grund: Set(grund.code().to_owned()),
            bemerkung: Set(bemerkung.trim().to_owned()),
            status: Set(OFFEN.to_owned()),
            beantragt_at: Set(now),
            beantragt_by: Set(actor.user_id),
            entschieden_at: Set(None),
            entschieden_by: Set(None),
            entscheid_begruendung: Set(None),
        }
        .insert(&txn)
        .await?;
        let active = row.into_active_model();
        self.finish_change(&guard, txn, active, DossierEvent::AbschlussBeantragt, Some(summary), now).await
    }

    /// The Leitung approves a submitted closing (the dossier closes with the requested reason) or refuses it
    /// with a reason (the dossier stays open).
    pub async fn decide_closing(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        begruendung: &str,
    ) -> Result<Dossier, StoreError> {
        let begruendung = begruendung.trim();
        if !approve && begruendung.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::AbschlussAblehnungOhneBegruendung));
        }
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Approve, false).await?;
        let Some(request) = open_request(&txn, row.id).await? else {
            return Err(StoreError::regel(FallfuehrungRegel::KeinAbschlussBeantragt));
        };
        let grund = AbschlussGrund::from_code(&request.grund)
            .ok_or_else(|| StoreError::Corrupt(format!("Abschlussgrund {} unbekannt", request.grund)))?;
        let (event, summary, status) = if approve {
            (DossierEvent::Abgeschlossen, closing_summary(grund, &request.bemerkung), "genehmigt")
        } else {
            (DossierEvent::AbschlussAbgelehnt, begruendung.to_owned(), "abgelehnt")
        };
        let reason = Some(begruendung.to_owned()).filter(|text| !text.is_empty());
        settle(&txn, request, status, actor.user_id, reason, now).await?;
        self.finish_change(&guard, txn, row.into_active_model(), event, Some(summary), now).await
    }
}

/// The open closing request of a dossier, for the dossier page.
pub(crate) async fn pending_closing(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Option<AbschlussAntrag>, StoreError> {
    let Some(request) = open_request(db, dossier_id).await? else {
        return Ok(None);
    };
    Ok(Some(AbschlussAntrag {
        grund: AbschlussGrund::from_code(&request.grund)
            .ok_or_else(|| StoreError::Corrupt(format!("Abschlussgrund {} unbekannt", request.grund)))?,
        bemerkung: request.bemerkung,
        beantragt_von: user_name(db, request.beantragt_by).await?,
        beantragt_at: request.beantragt_at,
    }))
}

/// Open closing requests of the open dossiers `in_scope`: (dossier, since).
pub(crate) async fn open_requests_in(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
    limit: u64,
) -> Result<Vec<(i64, DateTime<Utc>)>, StoreError> {
    Ok(abschluss_antrag::Entity::find()
        .filter(abschluss_antrag::Column::Status.eq(OFFEN))
        .filter(in_scope.reaches(abschluss_antrag::Column::DossierId))
        .order_by_asc(abschluss_antrag::Column::Id)
        .limit(limit)
        .select_only()
        .column(abschluss_antrag::Column::DossierId)
        .column(abschluss_antrag::Column::BeantragtAt)
        .into_tuple()
        .all(db)
        .await?)
}

pub(crate) async fn count_open_requests(db: &impl ConnectionTrait, in_scope: &OpenInScope) -> Result<u64, StoreError> {
    Ok(abschluss_antrag::Entity::find()
        .filter(abschluss_antrag::Column::Status.eq(OFFEN))
        .filter(in_scope.reaches(abschluss_antrag::Column::DossierId))
        .count(db)
        .await?)
}

async fn open_request(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Option<abschluss_antrag::Model>, StoreError> {
    Ok(abschluss_antrag::Entity::find()
        .filter(abschluss_antrag::Column::DossierId.eq(dossier_id))
        .filter(abschluss_antrag::Column::Status.eq(OFFEN))
        .one(db)
        .await?)
}

async fn requires_approval(db: &impl ConnectionTrait, stelle_id: i64) -> Result<bool, StoreError> {
    Ok(organisation::Entity::find_by_id(stelle_id).one(db).await?.is_some_and(|o| o.abschluss_genehmigung))
}

async fn settle(
    db: &impl ConnectionTrait,
    request: abschluss_antrag::Model,
    status: &str,
    by: i64,
    begruendung: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut active = request.into_active_model();
    active.status = Set(status.to_owned());
    active.entschieden_at = Set(Some(now));
    active.entschieden_by = Set(Some(by));
    active.entscheid_begruendung = Set(begruendung);
    active.update(db).await?;
    Ok(())
}

fn closing_summary(grund: AbschlussGrund, bemerkung: &str) -> String {
    let bemerkung = bemerkung.trim();
    if bemerkung.is_empty() { grund.label().to_owned() } else { format!("{}: {bemerkung}", grund.label()) }
}

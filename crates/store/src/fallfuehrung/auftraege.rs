//! Orders to providers, from both sides. The fallführende Stelle orders within its dossier scope (coaching
//! waits for the Leitung); the provider sees only orders addressed to its organisation, and only what it
//! needs for the job: the person's name, birth date and languages, the question, who ordered. Its report
//! becomes a timeline event of the dossier and lands in the case worker's worklist.

use crate::entity::{akkreditierung, auftrag, dossier, organisation, person};
use crate::fallfuehrung::dossiers::{DossierChange, add_event, user_name};
use crate::fallfuehrung::pendenzen::{OpenInScope, Pendenz, WORKLIST_LIMIT, dossier_person_names};
use crate::fallfuehrung::persons::{PersonSummary, person_data};
use crate::{Dossier, Page, PageWindow, Store, StoreError, begin_write};
use chrono::{DateTime, Utc};
use iim_domain::auftrag::{
    AnbieterTyp, AnbieterWahl, AuftragArt, AuftragInput, AuftragStatus, Ergebnis, ErgebnisInput, VertiefteEinstufung,
};
use iim_domain::dossier::DossierEvent;
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, Resource, sortierung};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// An order as the fallführende Stelle sees it in the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auftrag {
    pub id: i64,
    pub art: AuftragArt,
    pub anbieter: String,
    pub fragestellung: String,
    pub status: AuftragStatus,
    pub erteilt_at: DateTime<Utc>,
    pub erteilt_von: String,
    /// The Leitung's reason when it refused a coaching order.
    pub entscheid_begruendung: Option<String>,
    pub ergebnis: Option<Ergebnis>,
    pub ergebnis_at: Option<DateTime<Utc>>,
}

/// An order as the provider sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuftragFuerAnbieter {
    pub id: i64,
    pub art: AuftragArt,
    pub status: AuftragStatus,
    pub person: PersonSummary,
    pub stelle: String,
    pub erteilt_von: String,
    pub erteilt_at: DateTime<Utc>,
    pub fragestellung: String,
    pub ergebnis: Option<Ergebnis>,
}

/// A provider with its kind and accreditations (for the Kanton's overview and the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anbieter {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub typ: Option<AnbieterTyp>,
    pub akkreditiert_fuer: Vec<AuftragArt>,
}

impl Store {
    /// Every provider with its accreditations, by name.
    pub async fn providers(&self) -> Result<Vec<Anbieter>, StoreError> {
        let mut rows =
            organisation::Entity::find().filter(organisation::Column::Kind.eq("anbieter")).all(&self.db).await?;
        sortierung::nach_deutsch(&mut rows, |row| row.name.as_str());
        let accreditations = akkreditierung::Entity::find().all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| Anbieter {
                id: row.id,
                akkreditiert_fuer: accreditations
                    .iter()
                    .filter(|a| a.organisation_id == row.id)
                    .filter_map(|a| AuftragArt::from_code(&a.leistung))
                    .collect(),
                code: row.code,
                name: row.name,
                typ: row.anbieter_typ.as_deref().and_then(AnbieterTyp::from_code),
            })
            .collect())
    }

    /// The providers the order form offers.
    pub async fn providers_for_orders(&self) -> Result<Vec<AnbieterWahl>, StoreError> {
        Ok(self
            .providers()
            .await?
            .into_iter()
            .filter(|a| !a.akkreditiert_fuer.is_empty())
            .map(|a| AnbieterWahl { id: a.id, name: a.name, akkreditiert_fuer: a.akkreditiert_fuer })
            .collect())
    }

    /// Orders a provider for a dossier the actor may change. Coaching needs a vertiefte Potenzialerfassung
    /// that found the case complex, and waits for the Leitung unless the Leitung orders it itself.
    pub async fn order(&self, actor: &Actor, dossier_id: i64, input: &AuftragInput) -> Result<Dossier, StoreError> {
        let providers = self.providers_for_orders().await?;
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let einstufungen = einstufungen(&txn, row.id).await?;
        let order = input.parse(&providers, &einstufungen).map_err(StoreError::Invalid)?;
        let status = AuftragStatus::initial(order.art, actor.may(Resource::Dossier, Action::Approve));
        let provider = providers.iter().find(|p| p.id == order.anbieter_id).map(|p| p.name.clone()).unwrap_or_default();
        auftrag::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            art: Set(order.art.code().to_owned()),
            anbieter_id: Set(order.anbieter_id),
            fragestellung: Set(order.fragestellung),
            status: Set(status.code().to_owned()),
            erteilt_at: Set(now),
            erteilt_by: Set(actor.user_id),
            entschieden_at: Set(None),
            entschieden_by: Set(None),
            entscheid_begruendung: Set(None),
            ergebnis: Set(None),
            empfehlungen: Set(None),
            komplex: Set(None),
            ergebnis_at: Set(None),
            ergebnis_by: Set(None),
        }
        .insert(&txn)
        .await?;
        let summary = format!("{} an {provider} ({})", order.art.label(), status.label());
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::AuftragErteilt, Some(summary), now).await
    }

    /// The Leitung approves or refuses a coaching order that waits for it; a refusal needs a reason.
    pub async fn decide_order(
        &self,
        actor: &Actor,
        dossier_id: i64,
        auftrag_id: i64,
        approve: bool,
        begruendung: &str,
    ) -> Result<Dossier, StoreError> {
        let begruendung = begruendung.trim();
        if !approve && begruendung.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::CoachingAblehnungOhneBegruendung));
        }
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Approve, false).await?;
        let order = order_of_dossier(&txn, row.id, auftrag_id).await?;
        if order.status != AuftragStatus::GenehmigungAusstehend.code() {
            return Err(StoreError::regel(FallfuehrungRegel::AuftragWartetNichtAufGenehmigung));
        }
        let (status, event) = if approve {
            (AuftragStatus::Erteilt, DossierEvent::AuftragGenehmigt)
        } else {
            (AuftragStatus::Abgelehnt, DossierEvent::AuftragAbgelehnt)
        };
        let art = AuftragArt::from_code(&order.art).map(|a| a.label()).unwrap_or_default();
        let summary = if begruendung.is_empty() { art.to_owned() } else { format!("{art}: {begruendung}") };
        let mut active = order.into_active_model();
        active.status = Set(status.code().to_owned());
        active.entschieden_at = Set(Some(now));
        active.entschieden_by = Set(Some(actor.user_id));
        active.entscheid_begruendung = Set(Some(begruendung.to_owned()).filter(|text| !text.is_empty()));
        active.update(&txn).await?;
        self.finish_change(&guard, txn, row.into_active_model(), event, Some(summary), now).await
    }

    /// The case worker has read the provider's result; it leaves the worklist.
    pub async fn acknowledge_result(
        &self,
        actor: &Actor,
        dossier_id: i64,
        auftrag_id: i64,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, .. } = self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let order = order_of_dossier(&txn, row.id, auftrag_id).await?;
        if order.status != AuftragStatus::ErgebnisEingegangen.code() {
            return Err(StoreError::regel(FallfuehrungRegel::KeinNeuesErgebnis));
        }
        let mut active = order.into_active_model();
        active.status = Set(AuftragStatus::Erledigt.code().to_owned());
        active.update(&txn).await?;
        let detail = format!("Ergebnis von Auftrag {auftrag_id} zur Kenntnis genommen");
        guard.log_change(&txn, row.id, Some(detail)).await?;
        let dossier = self.dossier_from_row(&txn, row).await?;
        txn.commit().await?;
        Ok(dossier)
    }

    /// The orders addressed to the provider's organisation, newest first; open ones first.
    pub async fn provider_orders(
        &self,
        actor: &Actor,
        page: u64,
        per_page: u64,
    ) -> Result<Page<AuftragFuerAnbieter>, StoreError> {
        let guard = self.guard::<auftrag::Entity>(actor, Action::Read, None).await?;
        let select = guard.select();
        let window = PageWindow::new(page, per_page, 200);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select
            // «erteilt» sorts after «erledigt» and «ergebnis_eingegangen»: open orders come first.
            .order_by_desc(auftrag::Column::Status)
            .order_by_desc(auftrag::Column::Id)
            .offset(window.offset())
            .limit(per_page)
            .all(&self.db)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(self.order_for_provider(&self.db, row).await?);
        }
        let shown: Vec<String> = items.iter().map(|o| o.id.to_string()).collect();
        let detail = format!("Auftragsliste Seite {page}, angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// One order of the provider's organisation; the read is logged.
    pub async fn provider_order(&self, actor: &Actor, auftrag_id: i64) -> Result<AuftragFuerAnbieter, StoreError> {
        let guard = self.guard::<auftrag::Entity>(actor, Action::Read, Some(auftrag_id)).await?;
        let row = guard.find(&self.db, auftrag_id).await?;
        let order = self.order_for_provider(&self.db, row).await?;
        guard.logged(Some(auftrag_id), None, order).await
    }

    /// The provider reports its result and recommendations; the dossier's timeline records it.
    pub async fn report_result(
        &self,
        actor: &Actor,
        auftrag_id: i64,
        input: &ErgebnisInput,
    ) -> Result<AuftragFuerAnbieter, StoreError> {
        let guard = self.guard::<auftrag::Entity>(actor, Action::Update, Some(auftrag_id)).await?;
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, auftrag_id).await?;
        if row.status != AuftragStatus::Erteilt.code() {
            return Err(StoreError::regel(FallfuehrungRegel::ErgebnisBereitsGemeldet));
        }
        let art = art_of(&row)?;
        let report = input.parse(art).map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        let dossier_id = row.dossier_id;
        let mut active = row.into_active_model();
        active.status = Set(AuftragStatus::ErgebnisEingegangen.code().to_owned());
        active.ergebnis = Set(Some(report.ergebnis));
        active.empfehlungen = Set(Some(report.empfehlungen));
        active.komplex = Set(report.komplex);
        active.ergebnis_at = Set(Some(now));
        active.ergebnis_by = Set(Some(actor.user_id));
        let row = active.update(&txn).await?;
        let classification = match report.komplex {
            Some(true) => ", Fall komplex",
            Some(false) => ", Fall nicht komplex",
            None => "",
        };
        let summary = format!("{} von {}{classification}", art.label(), actor.organisation_name);
        add_event(&txn, dossier_id, actor.user_id, DossierEvent::ErgebnisEingegangen, Some(summary), now).await?;
        guard.log_change(&txn, auftrag_id, None).await?;
        let order = self.order_for_provider(&txn, row).await?;
        txn.commit().await?;
        Ok(order)
    }

    async fn order_for_provider(
        &self,
        db: &impl ConnectionTrait,
        row: auftrag::Model,
    ) -> Result<AuftragFuerAnbieter, StoreError> {
        let dossier = dossier::Entity::find_by_id(row.dossier_id).one(db).await?.ok_or(StoreError::NotFound)?;
        let person_row = person::Entity::find_by_id(dossier.person_id).one(db).await?.ok_or(StoreError::NotFound)?;
        let person = PersonSummary { id: person_row.id, data: person_data(&person_row, self.clock.today())? };
        let stelle = self.directory().get(dossier.stelle_id).map(|o| o.name.clone()).unwrap_or_default();
        Ok(AuftragFuerAnbieter {
            id: row.id,
            art: art_of(&row)?,
            status: status_of(&row)?,
            person,
            stelle,
            erteilt_von: user_name(db, row.erteilt_by).await?,
            erteilt_at: row.erteilt_at,
            ergebnis: ergebnis_of(&row),
            fragestellung: row.fragestellung,
        })
    }
}

/// The orders of a dossier, oldest first, for the dossier page.
pub(crate) async fn orders_of(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<Auftrag>, StoreError> {
    let rows = auftrag::Entity::find()
        .filter(auftrag::Column::DossierId.eq(dossier_id))
        .order_by_asc(auftrag::Column::Id)
        .all(db)
        .await?;
    let providers: std::collections::HashMap<i64, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.anbieter_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        orders.push(Auftrag {
            id: row.id,
            art: art_of(&row)?,
            anbieter: providers.get(&row.anbieter_id).cloned().unwrap_or_default(),
            status: status_of(&row)?,
            erteilt_at: row.erteilt_at,
            erteilt_von: user_name(db, row.erteilt_by).await?,
            entscheid_begruendung: row.entscheid_begruendung.clone(),
            ergebnis: ergebnis_of(&row),
            ergebnis_at: row.ergebnis_at,
            fragestellung: row.fragestellung,
        });
    }
    Ok(orders)
}

/// Orders of the open dossiers `in_scope` in a status, as worklist lines: results
/// arrived, coaching to approve.
pub(crate) async fn orders_in_status(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
    status: AuftragStatus,
) -> Result<Vec<Pendenz>, StoreError> {
    let rows = auftrag::Entity::find()
        .filter(auftrag::Column::Status.eq(status.code()))
        .filter(in_scope.reaches(auftrag::Column::DossierId))
        .order_by_asc(auftrag::Column::Id)
        .limit(WORKLIST_LIMIT)
        .all(db)
        .await?;
    let names = dossier_person_names(db, rows.iter().map(|r| r.dossier_id)).await?;
    rows.into_iter()
        .map(|row| {
            let art = art_of(&row)?;
            Ok(Pendenz {
                dossier_id: row.dossier_id,
                person_name: names.get(&row.dossier_id).cloned().unwrap_or_default(),
                was: format!("{}: {}", art.label(), status.label()),
                seit: row.ergebnis_at.unwrap_or(row.erteilt_at).date_naive(),
                ausnahmegesuch: None,
            })
        })
        .collect()
}

/// How many orders of the dossiers `in_scope` are in a status (start page; no personal data).
pub(crate) async fn count_orders_in_status(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
    status: AuftragStatus,
) -> Result<u64, StoreError> {
    Ok(auftrag::Entity::find()
        .filter(auftrag::Column::Status.eq(status.code()))
        .filter(in_scope.reaches(auftrag::Column::DossierId))
        .count(db)
        .await?)
}

/// The vertiefte Potenzialerfassungen of a dossier (not refused), oldest first, with their classification.
async fn einstufungen(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<VertiefteEinstufung>, StoreError> {
    let rows = auftrag::Entity::find()
        .filter(auftrag::Column::DossierId.eq(dossier_id))
        .filter(auftrag::Column::Art.eq(AuftragArt::VertieftePotenzialerfassung.code()))
        .filter(auftrag::Column::Status.ne(AuftragStatus::Abgelehnt.code()))
        .order_by_asc(auftrag::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| VertiefteEinstufung {
            datum: row.ergebnis_at.unwrap_or(row.erteilt_at).date_naive(),
            komplex: row.komplex,
        })
        .collect())
}

async fn order_of_dossier(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    auftrag_id: i64,
) -> Result<auftrag::Model, StoreError> {
    auftrag::Entity::find_by_id(auftrag_id)
        .filter(auftrag::Column::DossierId.eq(dossier_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

fn art_of(row: &auftrag::Model) -> Result<AuftragArt, StoreError> {
    AuftragArt::from_code(&row.art).ok_or_else(|| StoreError::Corrupt(format!("Auftragsart {} unbekannt", row.art)))
}

fn status_of(row: &auftrag::Model) -> Result<AuftragStatus, StoreError> {
    AuftragStatus::from_code(&row.status)
        .ok_or_else(|| StoreError::Corrupt(format!("Auftragsstatus {} unbekannt", row.status)))
}

fn ergebnis_of(row: &auftrag::Model) -> Option<Ergebnis> {
    row.ergebnis.as_ref().map(|ergebnis| Ergebnis {
        ergebnis: ergebnis.clone(),
        empfehlungen: row.empfehlungen.clone().unwrap_or_default(),
        komplex: row.komplex,
    })
}

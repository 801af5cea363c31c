//! "Meine Pendenzen": what waits for the actor within its dossier scope – overdue Standortbestimmungen,
//! results that providers reported, transfers addressed to its Stelle, completed measures without
//! Anschluss, moves to another Sozialregion that the register reported (transfer proposals, `umzuege.rs`),
//! and (for the Leitung) coaching orders, closings and exceptions from entry criteria to approve. The start page shows the counts (no personal data, not logged); the
//! worklist shows names and is logged with the dossiers it shows.

use crate::entity::dossier;
use crate::fallfuehrung::abschluss::{count_open_requests, open_requests_in};
use crate::fallfuehrung::auftraege::{count_orders_in_status, orders_in_status};
use crate::fallfuehrung::ausnahmegesuche as ausnahmen;
use crate::fallfuehrung::dossiers::{person_names, status_code};
use crate::fallfuehrung::massnahmen::{count_without_anschluss, without_anschluss};
use crate::fallfuehrung::uebergaben::{EingehendeUebergabe, count_incoming};
use crate::fallfuehrung::umzuege::{count_open_proposals, open_proposals};
use crate::guard::{Guard, Guarded};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use iim_domain::auftrag::AuftragStatus;
use iim_domain::dossier::DossierStatus;
use iim_domain::{Action, Actor, Resource, Scope};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The most lines a worklist section shows; the count says how many there are in all.
pub(crate) const WORKLIST_LIMIT: u64 = 100;

/// One line of a worklist: which dossier, whose, what is waiting and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pendenz {
    pub dossier_id: i64,
    pub person_name: String,
    pub was: String,
    pub seit: NaiveDate,
    /// The exception request the line asks the Leitung to decide, if it is one.
    pub ausnahmegesuch: Option<i64>,
}

/// The worklist, section by section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pendenzen {
    pub ueberfaellig: Vec<Pendenz>,
    pub ergebnisse: Vec<Pendenz>,
    pub uebergaben: Vec<EingehendeUebergabe>,
    /// Coaching orders, closings and exception requests waiting for the Leitung; empty for those who cannot
    /// approve.
    pub genehmigungen: Vec<Pendenz>,
    /// Completed measures without a follow-up («Kein Abschluss ohne Anschluss»).
    pub ohne_anschluss: Vec<Pendenz>,
    /// Moves to a Gemeinde of another Sozialregion reported by the register: the transfer to propose.
    pub umzuege: Vec<Pendenz>,
}

/// How many items wait in each section (start page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendenzenZahlen {
    pub ueberfaellig: u64,
    pub ergebnisse: u64,
    pub uebergaben: u64,
    pub genehmigungen: u64,
    pub ohne_anschluss: u64,
    pub umzuege: u64,
}

impl PendenzenZahlen {
    pub fn total(&self) -> u64 {
        self.ueberfaellig + self.ergebnisse + self.uebergaben + self.genehmigungen + self.ohne_anschluss + self.umzuege
    }
}

impl Store {
    /// The actor's worklist; logged with the dossiers it names.
    pub async fn pendenzen(&self, actor: &Actor) -> Result<Pendenzen, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let scope = guard.scope();
        let mut worklist = Pendenzen {
            ueberfaellig: self.overdue_list(&guard).await?,
            ergebnisse: orders_in_status(&self.db, &OpenInScope::new(actor, scope), AuftragStatus::ErgebnisEingegangen)
                .await?,
            ohne_anschluss: without_anschluss(&self.db, &OpenInScope::new(actor, scope), WORKLIST_LIMIT).await?,
            umzuege: open_proposals(&self.db, &OpenInScope::new(actor, scope)).await?,
            ..Pendenzen::default()
        };
        if actor.may(Resource::Uebergabe, Action::Read) {
            worklist.uebergaben = self.incoming_transfers(actor).await?;
        }
        if let Ok(approve) = actor.scope_for(Resource::Dossier, Action::Approve) {
            worklist.genehmigungen = self.approvals(actor, approve).await?;
        }
        let sections = [
            &worklist.ueberfaellig,
            &worklist.ergebnisse,
            &worklist.genehmigungen,
            &worklist.ohne_anschluss,
            &worklist.umzuege,
        ];
        let shown: Vec<String> = sections.into_iter().flatten().map(|p| p.dossier_id.to_string()).collect();
        if shown.is_empty() {
            return Ok(worklist);
        }
        guard.logged(None, Some(format!("Pendenzen, angezeigt: {}", shown.join(","))), worklist).await
    }

    /// The counts of the worklist sections, for the start page.
    pub async fn pendenzen_zahlen(&self, actor: &Actor) -> Result<PendenzenZahlen, StoreError> {
        let scope = actor.scope_for(Resource::Dossier, Action::Read)?;
        let mut counts = PendenzenZahlen {
            ueberfaellig: self.overdue_standortbestimmungen(actor).await?,
            ergebnisse: count_orders_in_status(
                &self.db,
                &OpenInScope::new(actor, scope),
                AuftragStatus::ErgebnisEingegangen,
            )
            .await?,
            ohne_anschluss: count_without_anschluss(&self.db, &OpenInScope::new(actor, scope)).await?,
            umzuege: count_open_proposals(&self.db, &OpenInScope::new(actor, scope)).await?,
            ..PendenzenZahlen::default()
        };
        if let Ok(incoming) = actor.scope_for(Resource::Uebergabe, Action::Read) {
            counts.uebergaben = count_incoming(&self.db, actor, incoming).await?;
        }
        if let Ok(approve) = actor.scope_for(Resource::Dossier, Action::Approve) {
            let coaching = count_orders_in_status(
                &self.db,
                &OpenInScope::new(actor, approve),
                AuftragStatus::GenehmigungAusstehend,
            )
            .await?;
            let closings = count_open_requests(&self.db, &OpenInScope::new(actor, approve)).await?;
            let exceptions = ausnahmen::count_open_requests(&self.db, &OpenInScope::new(actor, approve)).await?;
            counts.genehmigungen = coaching + closings + exceptions;
        }
        Ok(counts)
    }

    async fn overdue_list(&self, guard: &Guard<'_, dossier::Entity>) -> Result<Vec<Pendenz>, StoreError> {
        let rows = guard
            .select()
            .filter(open())
            .filter(dossier::Column::NaechsteStandortbestimmung.lt(self.clock.today()))
            .order_by_asc(dossier::Column::NaechsteStandortbestimmung)
            .limit(WORKLIST_LIMIT)
            .all(&self.db)
            .await?;
        let names = person_names(&self.db, rows.iter().map(|r| r.person_id)).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let due = row.naechste_standortbestimmung?;
                Some(Pendenz {
                    dossier_id: row.id,
                    person_name: names.get(&row.person_id).cloned().unwrap_or_default(),
                    was: format!("Standortbestimmung fällig seit {}", due.format("%d.%m.%Y")),
                    seit: due,
                    ausnahmegesuch: None,
                })
            })
            .collect())
    }

    pub(crate) async fn approvals(&self, actor: &Actor, scope: Scope) -> Result<Vec<Pendenz>, StoreError> {
        let mut items =
            orders_in_status(&self.db, &OpenInScope::new(actor, scope), AuftragStatus::GenehmigungAusstehend).await?;
        let closings = open_requests_in(&self.db, &OpenInScope::new(actor, scope), WORKLIST_LIMIT).await?;
        let names = dossier_person_names(&self.db, closings.iter().map(|(id, _)| *id)).await?;
        items.extend(closings.into_iter().map(|(dossier_id, since)| Pendenz {
            dossier_id,
            person_name: names.get(&dossier_id).cloned().unwrap_or_default(),
            was: "Abschluss zur Genehmigung".to_owned(),
            seit: since.date_naive(),
            ausnahmegesuch: None,
        }));
        items.extend(ausnahmen::open_requests_in(&self.db, &OpenInScope::new(actor, scope), WORKLIST_LIMIT).await?);
        items.sort_by_key(|p| p.seit);
        Ok(items)
    }
}

/// The condition of an open dossier.
pub(crate) fn open() -> SimpleExpr {
    dossier::Column::Status.ne(status_code(DossierStatus::Abgeschlossen))
}

/// The open dossiers an actor reaches, as a filter for the rows that point to a dossier (orders, closing
/// requests, participations). It is a correlated `EXISTS`, so the database starts from the few rows that wait
/// (found by an index on their status) and checks each one's dossier by primary key; a list of all dossier ids
/// of a Stelle would be read for every section instead (measured: 14 req/s for a Leitung of 14 000 dossiers).
pub(crate) struct OpenInScope {
    dossiers: SimpleExpr,
}

impl OpenInScope {
    /// The open dossiers `actor` reaches with `scope`, by the dossier's reach (`crate::reach`).
    pub(crate) fn new(actor: &Actor, scope: Scope) -> Self {
        Self { dossiers: <dossier::Entity as Guarded>::reach(actor, scope).and(open()) }
    }

    /// `EXISTS (SELECT 1 FROM dossiers WHERE dossiers.id = <column> AND open AND reached)`.
    pub(crate) fn reaches(&self, column: impl ColumnTrait) -> SimpleExpr {
        let mut query = Query::select();
        query
            .expr(Expr::val(1))
            .from(dossier::Entity)
            .and_where(Expr::col((dossier::Entity, dossier::Column::Id)).equals(column.as_column_ref()))
            .and_where(self.dossiers.clone());
        Expr::exists(query.to_owned())
    }
}

/// «Nachname, Vornamen» of the persons of several dossiers, by dossier id, in two queries.
pub(crate) async fn dossier_person_names(
    db: &impl ConnectionTrait,
    dossier_ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let persons: Vec<(i64, i64)> = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(dossier_ids.collect::<Vec<_>>()))
        .select_only()
        .column(dossier::Column::Id)
        .column(dossier::Column::PersonId)
        .into_tuple()
        .all(db)
        .await?;
    let names = person_names(db, persons.iter().map(|(_, person)| *person)).await?;
    Ok(persons.into_iter().filter_map(|(id, person)| Some((id, names.get(&person)?.clone()))).collect())
}

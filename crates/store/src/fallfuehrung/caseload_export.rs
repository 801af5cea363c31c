//! The caseload as a file: every dossier in the actor's scope at once, for the case worker's own lists in
//! Excel. Guarded like the caseload page, but an export discloses many records in one go, so it is logged
//! as one read naming the format and how many dossiers left the system.
//!
//! Names, case workers and open goals are loaded per batch of dossiers with one query each, so an export of
//! a whole Stelle costs a handful of queries, not several per row.

use crate::entity::{dossier, hilfsplan_ziel, person};
use crate::fallfuehrung::dossiers::{groups_of, status_from_code, user_names};
use crate::fallfuehrung::persons::person_data;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use iim_domain::clock::local_date;
use iim_domain::dossier::{Bewertung, DossierStatus, TargetGroups};
use iim_domain::person::Choice;
use iim_domain::{Action, Actor, PartialDate};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Dossiers per batch: keeps the `IN (…)` lists well below the bind-parameter limits of both backends.
const BATCH: usize = 1000;

/// The file format of an export, named in the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Xlsx => "XLSX",
        }
    }
}

/// One dossier as a line of the caseload export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    pub id: i64,
    pub nachname: String,
    pub vornamen: String,
    pub geburtsdatum: PartialDate,
    pub wohngemeinde: String,
    pub status: DossierStatus,
    pub responsible: String,
    /// The Swiss date of opening.
    pub opened_on: NaiveDate,
    pub kurzassessment_am: Option<NaiveDate>,
    pub next_standortbestimmung: Option<NaiveDate>,
    /// The next Standortbestimmung is past due today.
    pub overdue: bool,
    pub groups: TargetGroups,
    /// Goals not yet judged «erreicht».
    pub open_goals: u64,
}

impl Store {
    /// All dossiers within the actor's scope ("Meine Fälle", or the Stelle's for the Leitung), by dossier
    /// number, without pagination. Logged as one read with the format and the number of dossiers.
    pub async fn export_caseload(&self, actor: &Actor, format: ExportFormat) -> Result<Vec<CaseloadRow>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let dossiers = guard.select().order_by_asc(dossier::Column::Id).all(&self.db).await?;
        let mut rows = Vec::with_capacity(dossiers.len());
        for batch in dossiers.chunks(BATCH) {
            rows.extend(self.caseload_rows(batch).await?);
        }
        let what = format!("Export Fallliste als {}", format.label());
        let detail = crate::audit::export_detail(&what, ("Dossier", "Dossiers"), rows.iter().map(|r| r.id));
        guard.logged(None, Some(detail), rows).await
    }

    async fn caseload_rows(&self, batch: &[dossier::Model]) -> Result<Vec<CaseloadRow>, StoreError> {
        let today = self.clock.today();
        let persons: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(batch.iter().map(|d| d.person_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        let case_workers = user_names(&self.db, batch.iter().map(|d| d.responsible_user_id)).await?;
        let open_goals = open_goals(&self.db, batch.iter().map(|d| d.id)).await?;
        batch
            .iter()
            .map(|row| {
                let person = persons.get(&row.person_id).ok_or(StoreError::NotFound)?;
                let data = person_data(person, today)?;
                let next = row.naechste_standortbestimmung;
                Ok(CaseloadRow {
                    id: row.id,
                    nachname: data.nachname.as_str().to_owned(),
                    vornamen: data.vornamen.as_str().to_owned(),
                    geburtsdatum: data.geburtsdatum,
                    wohngemeinde: data.wohngemeinde.name(),
                    status: status_from_code(&row.status)?,
                    responsible: case_workers.get(&row.responsible_user_id).cloned().unwrap_or_default(),
                    opened_on: local_date(row.opened_at),
                    kurzassessment_am: row.kurzassessment_datum,
                    next_standortbestimmung: next,
                    overdue: next.is_some_and(|due| due < today),
                    groups: groups_of(row),
                    open_goals: open_goals.get(&row.id).copied().unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// Open goals per dossier, in one grouped query.
async fn open_goals(
    db: &impl ConnectionTrait,
    dossier_ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, u64>, StoreError> {
    let not_reached = Condition::any()
        .add(hilfsplan_ziel::Column::LetzteBewertung.is_null())
        .add(hilfsplan_ziel::Column::LetzteBewertung.ne(Bewertung::Erreicht.code()));
    let counts: Vec<(i64, i64)> = hilfsplan_ziel::Entity::find()
        .filter(hilfsplan_ziel::Column::DossierId.is_in(dossier_ids.collect::<Vec<_>>()))
        .filter(not_reached)
        .select_only()
        .column(hilfsplan_ziel::Column::DossierId)
        .column_as(hilfsplan_ziel::Column::Id.count(), "open")
        .group_by(hilfsplan_ziel::Column::DossierId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, count)| (id, u64::try_from(count).unwrap_or_default())).collect())
}

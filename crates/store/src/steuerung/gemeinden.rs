//! Gemeindeorganisation: how each Gemeinde runs start.integration. The model (gemeindeintern, Leitgemeinde,
//! member of a Leitgemeinde) comes from the organisation directory, i.e. from the Gemeinde → Sozialregion
//! mapping, because the same link decides whose residents a Leitgemeinde's Integrationsbeauftragte reaches
//! (ADR 0008). Recorded here: the contract with the Leitgemeinde, the strategic lead and the contact.
//!
//! An Integrationsbeauftragte sees and edits its own Gemeinde and the members it leads; the Kanton and the
//! administration all Gemeinden (the record is the Gemeinde, reached as declared in `reach/steuerung.rs`).
//! Changes are logged in their transaction; an attempt on a Gemeinde outside the scope is refused like an
//! unknown Gemeinde and logged. The records name office holders, not clients, so
//! reading them is not logged.

use crate::aenderung::load_for_change;
use crate::directory::{Directory, OrganisationInfo, OrganisationKind};
use crate::entity::{gemeindeorganisation, organisation, user};
use crate::{Store, StoreError, begin_write, is_unique_violation};
use chrono::{DateTime, Utc};
use iim_domain::gemeindeorganisation::{Gemeindeorganisation, GemeindeorganisationInput, Modell};
use iim_domain::person::fold_for_search;
use iim_domain::{Action, Actor, BfsNr, sortierung};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// A Gemeinde with its model and what is recorded about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemeindeEintrag {
    pub bfs: BfsNr,
    pub name: String,
    /// Id and name of the Sozialregion.
    pub sozialregion: Option<(i64, String)>,
    pub modell: Modell,
    /// For a member: its Leitgemeinde.
    pub leitgemeinde: Option<(BfsNr, String)>,
    /// For a Leitgemeinde: the Gemeinden it leads, by name.
    pub mitglieder: Vec<(BfsNr, String)>,
    /// `None` until someone records it.
    pub organisation: Option<Gemeindeorganisation>,
    pub geaendert_am: Option<DateTime<Utc>>,
    pub geaendert_von: String,
    /// The version of what is recorded; 0 while nothing is. A save names the version its form was loaded with.
    pub version: i32,
}

/// Filter of the overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GemeindeQuery {
    /// Id of a Sozialregion.
    pub sozialregion: Option<i64>,
    /// Words that must all occur in the Gemeinde's name (case and umlauts ignored).
    pub text: String,
}

impl Store {
    /// The Gemeinden in the actor's scope, by name, filtered by Sozialregion and name.
    pub async fn list_gemeinden(
        &self,
        actor: &Actor,
        query: &GemeindeQuery,
    ) -> Result<Vec<GemeindeEintrag>, StoreError> {
        let guard = self.guard::<organisation::Entity>(actor, Action::Read, None).await?;
        let reached: Vec<i64> =
            guard.select().select_only().column(organisation::Column::Id).into_tuple().all(&self.db).await?;
        let reached: HashSet<i64> = reached.into_iter().collect();
        let directory = self.directory();
        let words: Vec<String> = fold_for_search(&query.text).split_whitespace().map(str::to_owned).collect();
        let gemeinden: Vec<(BfsNr, &OrganisationInfo)> = directory
            .all()
            .filter(|o| reached.contains(&o.id))
            .filter_map(|o| o.bfs.map(|bfs| (bfs, o)))
            .filter(|(_, o)| query.sozialregion.is_none_or(|region| o.sozialregion_id == Some(region)))
            .filter(|(_, o)| {
                let name = fold_for_search(&o.name);
                words.iter().all(|word| name.contains(word.as_str()))
            })
            .collect();
        let ids: Vec<i64> = gemeinden.iter().map(|(_, o)| o.id).collect();
        let rows = gemeindeorganisation::Entity::find()
            .filter(gemeindeorganisation::Column::OrganisationId.is_in(ids))
            .all(&self.db)
            .await?;
        let names = user_names(&self.db, rows.iter().map(|r| r.updated_by).collect()).await?;
        let mut rows: HashMap<i64, gemeindeorganisation::Model> =
            rows.into_iter().map(|r| (r.organisation_id, r)).collect();
        let mut eintraege: Vec<GemeindeEintrag> =
            gemeinden.into_iter().map(|(bfs, o)| eintrag(&directory, bfs, o, rows.remove(&o.id), &names)).collect();
        sortierung::nach_deutsch(&mut eintraege, |e| e.name.as_str());
        Ok(eintraege)
    }

    /// One Gemeinde, if within the actor's scope; an attempt outside is logged and looks like an unknown one.
    pub async fn get_gemeinde(&self, actor: &Actor, bfs: BfsNr) -> Result<GemeindeEintrag, StoreError> {
        let guard = self.guard::<organisation::Entity>(actor, Action::Read, Some(record(bfs))).await?;
        let gemeinde = guard.find(&self.db, record(bfs)).await?;
        let directory = self.directory();
        let organisation = directory.get(gemeinde.id).ok_or(StoreError::NotFound)?;
        let row = gemeindeorganisation::Entity::find()
            .filter(gemeindeorganisation::Column::OrganisationId.eq(organisation.id))
            .one(&self.db)
            .await?;
        let names = user_names(&self.db, row.iter().map(|r| r.updated_by).collect()).await?;
        Ok(eintrag(&directory, bfs, organisation, row, &names))
    }

    /// Records contract, strategic lead and contact of a Gemeinde, checked against its model. Logged with the
    /// names of the changed fields in the same transaction; saving unchanged values changes nothing.
    /// `expected_version` is the [`GemeindeEintrag::version`] the form was loaded with: if a colleague saved
    /// in between, nothing is stored and the answer is [`StoreError::Changed`].
    pub async fn save_gemeindeorganisation(
        &self,
        actor: &Actor,
        bfs: BfsNr,
        expected_version: i32,
        input: &GemeindeorganisationInput,
    ) -> Result<GemeindeEintrag, StoreError> {
        let guard = self.guard::<organisation::Entity>(actor, Action::Update, Some(record(bfs))).await?;
        let gemeinde = guard.find(&self.db, record(bfs)).await?;
        let directory = self.directory();
        let organisation = directory.get(gemeinde.id).ok_or(StoreError::NotFound)?;
        let modell = modell_of(&directory, organisation);
        let neu = input.check(modell).map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let select = gemeindeorganisation::Entity::find()
            .filter(gemeindeorganisation::Column::OrganisationId.eq(organisation.id));
        let existing = load_for_change(&txn, select, Some(expected_version)).await?;
        if existing.is_none() && expected_version != 0 {
            return Err(StoreError::Changed { current_version: 0 });
        }
        let geaendert = match &existing {
            Some(row) => organisation_of(row).geaenderte_felder(&neu),
            None => vec!["neu erfasst"],
        };
        if !geaendert.is_empty() {
            let row = gemeindeorganisation::ActiveModel {
                id: existing.as_ref().map_or(NotSet, |row| Set(row.id)),
                organisation_id: Set(organisation.id),
                vertrag_beginn: Set(neu.vertrag_beginn),
                vertrag_ende: Set(neu.vertrag_ende),
                leitung_name: Set(neu.leitung_name.clone()),
                leitung_ressort: Set(neu.leitung_ressort.clone()),
                ib_kontakt: Set(neu.ib_kontakt.clone()),
                updated_at: Set(now),
                updated_by: Set(actor.user_id),
                version: Set(expected_version + 1),
            };
            if existing.is_some() {
                row.update(&txn).await?;
            } else if let Err(error) = row.insert(&txn).await {
                // Two first saves at once on PostgreSQL: there was no row to lock, the unique key decides.
                return Err(if is_unique_violation(&error) {
                    StoreError::Changed { current_version: 1 }
                } else {
                    error.into()
                });
            }
            let detail = format!("Gemeindeorganisation {}: {}", organisation.name, geaendert.join(", "));
            guard.log_change(&txn, record(bfs), Some(detail)).await?;
        }
        txn.commit().await?;
        self.get_gemeinde(actor, bfs).await
    }

    /// The Sozialregionen (id, name), sorted by name, for the filter of the overview. No personal data.
    pub fn sozialregionen(&self) -> Vec<(i64, String)> {
        let mut regions: Vec<(i64, String)> = self
            .directory()
            .all()
            .filter(|o| o.kind == OrganisationKind::Sozialregion)
            .map(|o| (o.id, o.name.clone()))
            .collect();
        sortierung::nach_deutsch(&mut regions, |r| r.1.as_str());
        regions
    }
}

/// A Gemeinde's record number: its BFS number.
fn record(bfs: BfsNr) -> i64 {
    i64::from(bfs.get())
}

/// The model a Gemeinde has by the directory: member if it has a Leitgemeinde, Leitgemeinde if it leads one.
fn modell_of(directory: &Directory, organisation: &OrganisationInfo) -> Modell {
    if organisation.leitgemeinde_id.is_some() {
        Modell::Mitglied
    } else if directory.all().any(|o| o.leitgemeinde_id == Some(organisation.id)) {
        Modell::Leitgemeinde
    } else {
        Modell::Gemeindeintern
    }
}

fn eintrag(
    directory: &Directory,
    bfs: BfsNr,
    organisation: &OrganisationInfo,
    row: Option<gemeindeorganisation::Model>,
    names: &HashMap<i64, String>,
) -> GemeindeEintrag {
    let named = |o: &OrganisationInfo| o.bfs.map(|bfs| (bfs, o.name.clone()));
    let mut mitglieder: Vec<(BfsNr, String)> =
        directory.all().filter(|o| o.leitgemeinde_id == Some(organisation.id)).filter_map(named).collect();
    sortierung::nach_deutsch(&mut mitglieder, |m| m.1.as_str());
    GemeindeEintrag {
        bfs,
        name: organisation.name.clone(),
        sozialregion: organisation
            .sozialregion_id
            .and_then(|id| directory.get(id))
            .map(|region| (region.id, region.name.clone())),
        modell: modell_of(directory, organisation),
        leitgemeinde: organisation.leitgemeinde_id.and_then(|id| directory.get(id)).and_then(named),
        mitglieder,
        geaendert_am: row.as_ref().map(|r| r.updated_at),
        geaendert_von: row.as_ref().and_then(|r| names.get(&r.updated_by).cloned()).unwrap_or_default(),
        organisation: row.as_ref().map(organisation_of),
        version: row.as_ref().map_or(0, |r| r.version),
    }
}

fn organisation_of(row: &gemeindeorganisation::Model) -> Gemeindeorganisation {
    Gemeindeorganisation {
        vertrag_beginn: row.vertrag_beginn,
        vertrag_ende: row.vertrag_ende,
        leitung_name: row.leitung_name.clone(),
        leitung_ressort: row.leitung_ressort.clone(),
        ib_kontakt: row.ib_kontakt.clone(),
    }
}

async fn user_names(db: &impl sea_orm::ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

//! The yearly Selbstdeklaration of the Gemeinden to the Kanton (ADR 0009).
//!
//! Questionnaires are numbered versions per year, each a whole snapshot of its questions; a change writes the
//! next version, nothing is updated in place, and years before the current one are never changed. Once a
//! Gemeinde of the year has submitted, the domain allows only additions, so every stored answer keeps its
//! question. The questionnaire holds no personal data: everyone logged in reads it without a log entry; only
//! `Create` on Selbstdeklaration (the Kanton) changes it.
//!
//! A declaration is reached through its Gemeinde: the Integrationsbeauftragte of the Gemeinde (or of its
//! Leitgemeinde) with organisation scope, the Kanton with canton scope (declared in `reach/steuerung.rs`). Outside the scope it does not exist
//! (NotFound, logged as refused). Returning a submitted declaration to draft is the supervisor's act: it
//! needs `Update` with canton scope.

use crate::audit::insert_entry;
use crate::entity::{organisation, selbstdeklaration, selbstdeklaration_fragebogen};
use crate::fallfuehrung::dossiers::user_names;
use crate::guard::Guard;
use crate::start_integration::erstinformation::bfs_of;
use crate::{Store, StoreError, begin_write, is_unique_violation, reach};
use chrono::{DateTime, Datelike, Utc};
use iim_domain::regeln::SteuerungRegel;
use iim_domain::selbstdeklaration::{Antworten, DeklarationStatus, Frage, Fragebogen};
use iim_domain::{Action, Actor, BfsNr, Denied, FieldErrors, Outcome, Resource, Scope, sortierung};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// The guard of the declarations (and of the questionnaire, which `Create` on them changes).
type Deklarationen<'a> = Guard<'a, selbstdeklaration::Entity>;

const ENTWURF: &str = "entwurf";
const EINGEREICHT: &str = "eingereicht";

/// The newest version of a year's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragebogenStand {
    pub fragebogen: Fragebogen,
    /// A Gemeinde has submitted this year: questions may only be added.
    pub eingefroren: bool,
    /// The year lies before the current one: nothing changes any more.
    pub abgeschlossen: bool,
    pub gespeichert_am: DateTime<Utc>,
    /// Empty for the shipped questionnaire.
    pub gespeichert_von: String,
}

/// A Gemeinde's declaration of a year, also when not yet begun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selbstdeklaration {
    pub jahr: i32,
    pub gemeinde: BfsNr,
    pub gemeinde_name: String,
    pub sozialregion: String,
    pub status: DeklarationStatus,
    /// The questionnaire version the answers were last saved under.
    pub fragebogen_version: Option<i32>,
    pub antworten: Antworten,
    pub geaendert_am: Option<DateTime<Utc>>,
    pub eingereicht_am: Option<DateTime<Utc>>,
    pub eingereicht_von: String,
    /// When, by whom and why the Kanton returned it to draft (the latest time).
    pub rueckgabe: Option<Rueckgabe>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rueckgabe {
    pub am: DateTime<Utc>,
    pub von: String,
    pub begruendung: String,
}

/// Which declarations of a year to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeklarationFilter {
    pub status: Option<DeklarationStatus>,
    /// Organisation id of a Sozialregion.
    pub sozialregion: Option<i64>,
}

impl Store {
    /// Loads the shipped questionnaire for the current year if no questionnaire is stored (called by
    /// `migrate`; like the Massnahmen catalogue, ADR 0007).
    pub(crate) async fn seed_fragebogen(&self) -> Result<(), StoreError> {
        if selbstdeklaration_fragebogen::Entity::find().one(&self.db).await?.is_some() {
            return Ok(());
        }
        let bogen = Fragebogen::standard(self.clock.today().year());
        let row = fragebogen_row(&bogen, self.clock.now(), None, "Ausgelieferter Fragebogen")?;
        match row.insert(&self.db).await {
            Err(error) if is_unique_violation(&error) => Ok(()),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    /// Years with a questionnaire, newest first. No personal data: no check, no log entry.
    pub async fn selbstdeklaration_jahre(&self) -> Result<Vec<i32>, StoreError> {
        let jahre: Vec<i32> = selbstdeklaration_fragebogen::Entity::find()
            .select_only()
            .column(selbstdeklaration_fragebogen::Column::Jahr)
            .distinct()
            .order_by_desc(selbstdeklaration_fragebogen::Column::Jahr)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(jahre)
    }

    /// The newest version of the year's questionnaire, if the Kanton has created one.
    pub async fn fragebogen(&self, jahr: i32) -> Result<Option<FragebogenStand>, StoreError> {
        let Some(row) = newest_row(&self.db, jahr).await? else { return Ok(None) };
        let eingefroren = ever_submitted(&self.db, jahr).await?;
        let von = match row.gespeichert_von {
            Some(id) => user_names(&self.db, std::iter::once(id)).await?.remove(&id).unwrap_or_default(),
            None => String::new(),
        };
        Ok(Some(FragebogenStand {
            fragebogen: parse_fragebogen(&row)?,
            eingefroren,
            abgeschlossen: jahr < self.clock.today().year(),
            gespeichert_am: row.gespeichert_am,
            gespeichert_von: von,
        }))
    }

    /// The Kanton creates the questionnaire of `jahr` (the current or a later year) as a copy of the newest
    /// questionnaire of an earlier year, or of the shipped one.
    pub async fn create_fragebogen(&self, actor: &Actor, jahr: i32) -> Result<Fragebogen, StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Create, None).await?;
        self.check_fragebogen_jahr(jahr)?;
        let txn = begin_write(&self.db).await?;
        if newest_row(&txn, jahr).await?.is_some() {
            return Err(StoreError::regel(SteuerungRegel::FragebogenVorhanden));
        }
        let vorlage = selbstdeklaration_fragebogen::Entity::find()
            .filter(selbstdeklaration_fragebogen::Column::Jahr.lt(jahr))
            .order_by_desc(selbstdeklaration_fragebogen::Column::Jahr)
            .order_by_desc(selbstdeklaration_fragebogen::Column::Version)
            .one(&txn)
            .await?;
        let bogen = match vorlage {
            Some(row) => parse_fragebogen(&row)?.kopie_fuer(jahr),
            None => Fragebogen::standard(jahr),
        };
        let kommentar = format!("Fragebogen {jahr} angelegt");
        self.store_fragebogen(txn, &guard, &bogen, &kommentar).await?;
        Ok(bogen)
    }

    /// The Kanton adds (`neu`) or changes one question; saved as the next version of the year.
    pub async fn save_frage(
        &self,
        actor: &Actor,
        jahr: i32,
        frage: Frage,
        neu: bool,
    ) -> Result<Fragebogen, StoreError> {
        self.change_fragebogen(actor, jahr, &format!("Frage {} gespeichert", frage.key), |bogen, eingefroren| {
            bogen.mit_frage(frage.clone(), neu, eingefroren)
        })
        .await
    }

    /// The Kanton removes one question (only before the first submission of the year).
    pub async fn remove_frage(&self, actor: &Actor, jahr: i32, key: &str) -> Result<Fragebogen, StoreError> {
        self.change_fragebogen(actor, jahr, &format!("Frage {key} entfernt"), |bogen, eingefroren| {
            bogen.ohne_frage(key, eingefroren)
        })
        .await
    }

    async fn change_fragebogen(
        &self,
        actor: &Actor,
        jahr: i32,
        kommentar: &str,
        change: impl Fn(&Fragebogen, bool) -> Result<Fragebogen, FieldErrors>,
    ) -> Result<Fragebogen, StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Create, None).await?;
        self.check_fragebogen_jahr(jahr)?;
        let txn = begin_write(&self.db).await?;
        let row = newest_row(&txn, jahr).await?.ok_or(StoreError::NotFound)?;
        let eingefroren = ever_submitted(&txn, jahr).await?;
        let bogen = change(&parse_fragebogen(&row)?, eingefroren).map_err(StoreError::Invalid)?;
        self.store_fragebogen(txn, &guard, &bogen, kommentar).await?;
        Ok(bogen)
    }

    async fn store_fragebogen(
        &self,
        txn: sea_orm::DatabaseTransaction,
        guard: &Deklarationen<'_>,
        bogen: &Fragebogen,
        kommentar: &str,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        if let Err(error) = fragebogen_row(bogen, now, Some(guard.actor().user_id), kommentar)?.insert(&txn).await {
            return Err(if is_unique_violation(&error) { changed_meanwhile() } else { error.into() });
        }
        let entry = guard.entry(Some(format!("fragebogen-{}", bogen.jahr)), Outcome::Allowed);
        insert_entry(&txn, &entry.with_detail(format!("Version {}: {kommentar}", bogen.version))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Questionnaires change only for the current or a later year.
    fn check_fragebogen_jahr(&self, jahr: i32) -> Result<(), StoreError> {
        if jahr < self.clock.today().year() {
            return Err(StoreError::regel(SteuerungRegel::FragebogenVergangen));
        }
        Ok(())
    }

    /// The declarations of a year of every Gemeinde in the actor's scope (also those not begun), sorted by
    /// Gemeinde name; one log entry for the list.
    pub async fn selbstdeklarationen(
        &self,
        actor: &Actor,
        jahr: i32,
        filter: &DeklarationFilter,
    ) -> Result<Vec<Selbstdeklaration>, StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Read, None).await?;
        let items = self.declarations_in_reach(&guard, jahr, filter).await?;
        let detail = format!("Übersicht {jahr}: {} Gemeinden", items.len());
        guard.logged(Some(i64::from(jahr)), Some(detail), items).await
    }

    /// All declarations of a year in scope for an export file; one log entry naming the count.
    pub async fn export_selbstdeklarationen(
        &self,
        actor: &Actor,
        jahr: i32,
    ) -> Result<Vec<Selbstdeklaration>, StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Read, None).await?;
        let items = self.declarations_in_reach(&guard, jahr, &DeklarationFilter::default()).await?;
        let detail = format!("Export XLSX {jahr}: {} Gemeinden", items.len());
        guard.logged(Some(i64::from(jahr)), Some(detail), items).await
    }

    /// The declarations of every Gemeinde the guard reaches, begun or not.
    async fn declarations_in_reach(
        &self,
        guard: &Deklarationen<'_>,
        jahr: i32,
        filter: &DeklarationFilter,
    ) -> Result<Vec<Selbstdeklaration>, StoreError> {
        let mut select = organisation::Entity::find().filter(reach::steuerung::gemeinden(guard.actor(), guard.scope()));
        if let Some(region) = filter.sozialregion {
            select = select.filter(organisation::Column::SozialregionId.eq(region));
        }
        let mut gemeinden: Vec<BfsNr> =
            select.all(&self.db).await?.iter().filter_map(|o| o.bfs_nr.and_then(bfs_of)).collect();
        gemeinden.sort_by(|a, b| sortierung::deutsch(&a.name(), &b.name()));
        let rows: HashMap<i32, selbstdeklaration::Model> = guard
            .select()
            .filter(selbstdeklaration::Column::Jahr.eq(jahr))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.gemeinde_bfs, row))
            .collect();
        let names = user_names(&self.db, rows.values().flat_map(people)).await?;
        let items = gemeinden
            .into_iter()
            .map(|bfs| self.deklaration_of(jahr, bfs, rows.get(&i32::from(bfs.get())), &names))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(items.into_iter().filter(|d| filter.status.is_none_or(|s| d.status == s)).collect())
    }

    /// One Gemeinde's declaration of a year; outside the scope it does not exist (logged as refused).
    pub async fn selbstdeklaration(
        &self,
        actor: &Actor,
        jahr: i32,
        gemeinde: u16,
    ) -> Result<Selbstdeklaration, StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Read, None).await?;
        let bfs = self.gemeinde_in_reach(&guard, guard.scope(), jahr, gemeinde).await?;
        if newest_row(&self.db, jahr).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let row = find_row(&guard, &self.db, jahr, bfs).await?;
        let names = user_names(&self.db, row.iter().flat_map(people)).await?;
        let item = self.deklaration_of(jahr, bfs, row.as_ref(), &names)?;
        self.log_read(guard.entry(Some(record(jahr, bfs)), Outcome::Allowed)).await?;
        Ok(item)
    }

    /// Saves the answers as a draft or submits them. Only the current year; a submitted declaration is
    /// read-only until the Kanton returns it. Submitting checks the required answers; bad input stores nothing.
    pub async fn save_selbstdeklaration(
        &self,
        actor: &Actor,
        jahr: i32,
        gemeinde: u16,
        eingaben: &BTreeMap<String, String>,
        einreichen: bool,
    ) -> Result<Selbstdeklaration, StoreError> {
        // Only the Gemeinde fills in its own declaration: the Kanton's right to change is for the
        // questionnaire and for returning a submission, so its reach stops at its own organisation here.
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Update, None).await?;
        let bfs = self.gemeinde_in_reach(&guard, guard.scope().min(Scope::Organisation), jahr, gemeinde).await?;
        let txn = begin_write(&self.db).await?;
        let bogen_row = newest_row(&txn, jahr).await?.ok_or(StoreError::NotFound)?;
        if jahr != self.clock.today().year() {
            return Err(StoreError::regel(SteuerungRegel::DeklarationVergangen));
        }
        let bogen = parse_fragebogen(&bogen_row)?;
        let existing = find_row(&guard, &txn, jahr, bfs).await?;
        if existing.as_ref().is_some_and(|row| row.status == EINGEREICHT) {
            return Err(StoreError::regel(SteuerungRegel::DeklarationEingereicht));
        }
        let antworten = bogen.antworten(eingaben).map_err(StoreError::Invalid)?;
        if einreichen {
            bogen.pruefe_einreichung(&antworten).map_err(StoreError::Invalid)?;
        }
        let now = self.clock.now();
        let mut active = match existing {
            Some(row) => row.into_active_model(),
            None => selbstdeklaration::ActiveModel {
                id: NotSet,
                jahr: Set(jahr),
                gemeinde_bfs: Set(i32::from(bfs.get())),
                eingereicht_am: Set(None),
                eingereicht_von: Set(None),
                zurueckgegeben_am: Set(None),
                zurueckgegeben_von: Set(None),
                rueckgabe_begruendung: Set(None),
                ..Default::default()
            },
        };
        active.status = Set(if einreichen { EINGEREICHT } else { ENTWURF }.to_owned());
        active.fragebogen_version = Set(bogen.version);
        active.antworten = Set(serde_json::to_string(&antworten).map_err(corrupt)?);
        active.geaendert_am = Set(now);
        active.geaendert_von = Set(actor.user_id);
        if einreichen {
            active.eingereicht_am = Set(Some(now));
            active.eingereicht_von = Set(Some(actor.user_id));
        }
        if let Err(error) = active.save(&txn).await {
            return Err(if is_unique_violation(&error) { changed_meanwhile() } else { error.into() });
        }
        let detail = if einreichen { "eingereicht" } else { "Entwurf gespeichert" };
        let entry = guard.entry(Some(record(jahr, bfs)), Outcome::Allowed);
        insert_entry(&txn, &entry.with_detail(format!("{detail} (Fragebogen Version {})", bogen.version))).await?;
        txn.commit().await?;
        self.selbstdeklaration(actor, jahr, gemeinde).await
    }

    /// The Kanton returns a submitted declaration of the current year to draft, with a reason the Gemeinde
    /// sees. Needs `Update` with canton scope.
    pub async fn return_selbstdeklaration(
        &self,
        actor: &Actor,
        jahr: i32,
        gemeinde: u16,
        begruendung: &str,
    ) -> Result<(), StoreError> {
        let guard = self.guard::<selbstdeklaration::Entity>(actor, Action::Update, None).await?;
        let bfs = self.gemeinde_in_reach(&guard, guard.scope(), jahr, gemeinde).await?;
        if guard.scope() < Scope::Canton {
            let entry = guard.entry(Some(record(jahr, bfs)), Outcome::Denied);
            self.log_read(entry.with_detail("Rückgabe nur durch den Kanton")).await?;
            return Err(Denied { resource: Resource::Selbstdeklaration, action: Action::Update, may_read: true }.into());
        }
        let begruendung = begruendung.trim();
        if begruendung.is_empty() {
            return Err(StoreError::regel(SteuerungRegel::RueckgabeOhneBegruendung));
        }
        let txn = begin_write(&self.db).await?;
        let row = find_row(&guard, &txn, jahr, bfs).await?.ok_or(StoreError::NotFound)?;
        if row.status != EINGEREICHT {
            return Err(StoreError::regel(SteuerungRegel::RueckgabeNichtEingereicht));
        }
        if jahr != self.clock.today().year() {
            return Err(StoreError::regel(SteuerungRegel::RueckgabeVergangen));
        }
        let now = self.clock.now();
        let mut active = row.into_active_model();
        active.status = Set(ENTWURF.to_owned());
        active.zurueckgegeben_am = Set(Some(now));
        active.zurueckgegeben_von = Set(Some(actor.user_id));
        active.rueckgabe_begruendung = Set(Some(begruendung.to_owned()));
        active.update(&txn).await?;
        let entry = guard.entry(Some(record(jahr, bfs)), Outcome::Allowed);
        insert_entry(&txn, &entry.with_detail(format!("zur Überarbeitung zurückgegeben: {begruendung}"))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The Gemeinde `gemeinde`, if `scope` reaches it (the guard's scope, or less); otherwise "not found",
    /// logged as refused. A declaration is named by year and Gemeinde, and may not exist yet, so the Gemeinde
    /// is looked up and not the declaration's row.
    async fn gemeinde_in_reach(
        &self,
        guard: &Deklarationen<'_>,
        scope: Scope,
        jahr: i32,
        gemeinde: u16,
    ) -> Result<BfsNr, StoreError> {
        let reached = organisation::Entity::find()
            .filter(reach::steuerung::gemeinden(guard.actor(), scope))
            .filter(organisation::Column::BfsNr.eq(i32::from(gemeinde)))
            .one(&self.db)
            .await?;
        match reached.and_then(|o| o.bfs_nr).and_then(bfs_of) {
            Some(bfs) => Ok(bfs),
            None => {
                let entry = guard.entry(Some(format!("{jahr}-{gemeinde}")), Outcome::Denied);
                self.log_read(entry.with_detail("Gemeinde ausserhalb des Zuständigkeitsbereichs")).await?;
                Err(StoreError::NotFound)
            }
        }
    }

    fn deklaration_of(
        &self,
        jahr: i32,
        bfs: BfsNr,
        row: Option<&selbstdeklaration::Model>,
        names: &HashMap<i64, String>,
    ) -> Result<Selbstdeklaration, StoreError> {
        let name_of = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
        let sozialregion = self.directory().region_of_gemeinde(bfs).map(|o| o.name.clone()).unwrap_or_default();
        let mut item = Selbstdeklaration {
            jahr,
            gemeinde: bfs,
            gemeinde_name: bfs.name(),
            sozialregion,
            status: DeklarationStatus::NichtBegonnen,
            fragebogen_version: None,
            antworten: Antworten::new(),
            geaendert_am: None,
            eingereicht_am: None,
            eingereicht_von: String::new(),
            rueckgabe: None,
        };
        let Some(row) = row else { return Ok(item) };
        item.status =
            if row.status == EINGEREICHT { DeklarationStatus::Eingereicht } else { DeklarationStatus::Entwurf };
        item.fragebogen_version = Some(row.fragebogen_version);
        item.antworten = serde_json::from_str(&row.antworten)
            .map_err(|e| StoreError::Corrupt(format!("Selbstdeklaration {jahr}-{bfs}: {e}")))?;
        item.geaendert_am = Some(row.geaendert_am);
        item.eingereicht_am = row.eingereicht_am;
        item.eingereicht_von = name_of(row.eingereicht_von);
        item.rueckgabe = row.zurueckgegeben_am.map(|am| Rueckgabe {
            am,
            von: name_of(row.zurueckgegeben_von),
            begruendung: row.rueckgabe_begruendung.clone().unwrap_or_default(),
        });
        Ok(item)
    }
}

fn record(jahr: i32, bfs: BfsNr) -> String {
    format!("{jahr}-{bfs}")
}

fn people(row: &selbstdeklaration::Model) -> impl Iterator<Item = i64> + use<> {
    [row.eingereicht_von, row.zurueckgegeben_von].into_iter().flatten()
}

fn changed_meanwhile() -> StoreError {
    StoreError::regel(SteuerungRegel::InzwischenGespeichert)
}

fn corrupt(error: serde_json::Error) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

fn fragebogen_row(
    bogen: &Fragebogen,
    at: DateTime<Utc>,
    by: Option<i64>,
    kommentar: &str,
) -> Result<selbstdeklaration_fragebogen::ActiveModel, StoreError> {
    Ok(selbstdeklaration_fragebogen::ActiveModel {
        id: NotSet,
        jahr: Set(bogen.jahr),
        version: Set(bogen.version),
        fragen: Set(serde_json::to_string(&bogen.fragen).map_err(corrupt)?),
        gespeichert_am: Set(at),
        gespeichert_von: Set(by),
        kommentar: Set(kommentar.to_owned()),
    })
}

fn parse_fragebogen(row: &selbstdeklaration_fragebogen::Model) -> Result<Fragebogen, StoreError> {
    let fragen: Vec<Frage> = serde_json::from_str(&row.fragen)
        .map_err(|e| StoreError::Corrupt(format!("Fragebogen {} Version {}: {e}", row.jahr, row.version)))?;
    Ok(Fragebogen { jahr: row.jahr, version: row.version, fragen })
}

async fn newest_row(
    db: &impl ConnectionTrait,
    jahr: i32,
) -> Result<Option<selbstdeklaration_fragebogen::Model>, StoreError> {
    Ok(selbstdeklaration_fragebogen::Entity::find()
        .filter(selbstdeklaration_fragebogen::Column::Jahr.eq(jahr))
        .order_by_desc(selbstdeklaration_fragebogen::Column::Version)
        .one(db)
        .await?)
}

/// Whether any Gemeinde has submitted this year (also when returned to draft since).
async fn ever_submitted(db: &impl ConnectionTrait, jahr: i32) -> Result<bool, StoreError> {
    let count = selbstdeklaration::Entity::find()
        .filter(selbstdeklaration::Column::Jahr.eq(jahr))
        .filter(selbstdeklaration::Column::EingereichtAm.is_not_null())
        .count(db)
        .await?;
    Ok(count > 0)
}

async fn find_row(
    guard: &Deklarationen<'_>,
    db: &impl ConnectionTrait,
    jahr: i32,
    bfs: BfsNr,
) -> Result<Option<selbstdeklaration::Model>, StoreError> {
    Ok(guard
        .select()
        .filter(selbstdeklaration::Column::Jahr.eq(jahr))
        .filter(selbstdeklaration::Column::GemeindeBfs.eq(i32::from(bfs.get())))
        .one(db)
        .await?)
}

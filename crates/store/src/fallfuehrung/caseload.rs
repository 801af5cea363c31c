//! A Sozialregion starts with its existing caseload: the Leitung (or an admin) takes over the Excel list of
//! persons and open dossiers in one go. Why two steps: a list of years of casework holds typos, people of
//! other regions and people the Cockpit already knows, so [`Store::preview_caseload`] first says for every
//! row what it would create or why it refuses it, storing nothing; [`Store::import_caseload`] then creates
//! exactly the rows the preview called new.
//!
//! A person already registered (same AHV number, or same name and birth date) is refused, never merged: a
//! person decides that. Each row taken over is remembered by Stelle and key (`caseload_zeilen`), so the same
//! file imported again creates nothing twice and calls those rows «bereits übernommen». The import runs in
//! batches of [`ROWS_PER_BATCH`] rows, each one transaction with its access-log entry naming the persons and
//! dossiers created, so a SQLite writer waits for one batch only and a stopped import is completed by the
//! next run.

use crate::audit::{export_detail, insert_entry};
use crate::directory::OrganisationInfo;
use crate::entity::{caseload_zeile, dossier, dossier_event, hilfsplan_ziel, person, sprachstand, teilnahme, user};
use crate::fallfuehrung::caseload_datei::read_rows;
use crate::fallfuehrung::dossiers::{event_row, goal_row, status_code};
use crate::fallfuehrung::massnahmen::{Beteiligt, running_participation};
use crate::fallfuehrung::persons::{active_row, ahv_conflict};
use crate::guard::Guard;
use crate::{Store, StoreError, begin_write};
use chrono::{DateTime, Months, NaiveDate, Utc};
use iim_domain::caseload::{CaseloadZeile, Kopfzeile, Spalte, name_key};
use iim_domain::dossier::{AsylStatus, DossierEvent, DossierStatus, TargetGroups, Ziel, check_eligibility};
use iim_domain::massnahmen::{Katalog, Massnahme};
use iim_domain::person::{Choice, fold_for_search};
use iim_domain::regeln::{CaseloadDateiRegel, CaseloadRegel};
use iim_domain::sprache::{Fertigkeit, Nachweis};
use iim_domain::{Action, Actor, BfsNr, Outcome, Role, Scope};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, NotSet, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Rows created per transaction.
const ROWS_PER_BATCH: usize = 500;
/// Keys per `IN (…)` list, well below the bind-parameter limits of both backends.
const KEYS_PER_QUERY: usize = 500;
/// What the import writes where the list says nothing, so the case worker sees where a value came from.
const HERKUNFT: &str = "Aus der bisherigen Fallliste übernommen";

/// One row the import would create (or created), as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeueZeile {
    /// The row's number in the file (the header is row 1).
    pub zeile: usize,
    pub name: String,
    pub geburtsdatum: String,
    pub gemeinde: String,
    pub fallfuehrung: String,
    pub eroeffnet_am: NaiveDate,
    pub ziele: usize,
    pub massnahmen: usize,
}

/// One row refused, with every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbgelehnteZeile {
    pub zeile: usize,
    /// The name as the row writes it (may be empty or faulty).
    pub name: String,
    pub gruende: Vec<CaseloadRegel>,
}

/// What a caseload file would do (preview) or did (import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadBericht {
    pub stelle: String,
    pub neu: Vec<NeueZeile>,
    /// Rows an earlier import of this Stelle already took over (their row numbers).
    pub bereits: Vec<usize>,
    pub abgelehnt: Vec<AbgelehnteZeile>,
    /// The dossiers created (empty for a preview).
    pub dossier_ids: Vec<i64>,
}

/// A row ready to be created: parsed, checked against the Stelle, the catalogue and the register.
struct Geplant {
    zeile: usize,
    daten: CaseloadZeile,
    schluessel: String,
    fallfuehrung_id: i64,
    groups: TargetGroups,
    massnahmen: Vec<(Massnahme, NaiveDate)>,
    katalog_version: i32,
}

/// What is known before the rows are checked one by one.
struct Umfeld {
    gemeinden: BTreeSet<BfsNr>,
    fallfuehrung: HashMap<String, i64>,
    katalog: Katalog,
    today: NaiveDate,
}

struct Plan {
    geplant: Vec<Geplant>,
    bereits: Vec<usize>,
    abgelehnt: Vec<AbgelehnteZeile>,
    /// Existing persons the file named as duplicates (logged, never shown).
    genannt: Vec<i64>,
}

impl Store {
    /// What importing the file for the Stelle `stelle_code` would create and refuse; stores nothing. Logged as
    /// one read naming the file, the counts and the registered persons it found as duplicates.
    pub async fn preview_caseload(
        &self,
        actor: &Actor,
        stelle_code: &str,
        datei: &str,
        bytes: &[u8],
    ) -> Result<CaseloadBericht, StoreError> {
        let guard = self.guard::<caseload_zeile::Entity>(actor, Action::Read, None).await?;
        let stelle = self.stelle_for(&guard, stelle_code).await?;
        let plan = self.plan(&stelle, bytes).await?;
        let bericht = bericht(&stelle, &plan, Vec::new());
        let what = format!(
            "Vorschau Fallliste «{}» für {}: {} neu, {} bereits übernommen, {} abgelehnt; erkannte Duplikate",
            short(datei),
            stelle.name,
            bericht.neu.len(),
            bericht.bereits.len(),
            bericht.abgelehnt.len()
        );
        let detail = export_detail(&what, ("Person", "Personen"), plan.genannt.iter().copied());
        guard.logged(None, Some(detail), bericht).await
    }

    /// Creates the persons and open dossiers of every row the preview calls new, in batches; rows taken over
    /// before are left alone. Each batch writes its access-log entry naming the persons and dossiers; the
    /// registered persons recognised as duplicates are logged as by the preview.
    pub async fn import_caseload(
        &self,
        actor: &Actor,
        stelle_code: &str,
        datei: &str,
        bytes: &[u8],
    ) -> Result<CaseloadBericht, StoreError> {
        let guard = self.guard::<caseload_zeile::Entity>(actor, Action::Create, None).await?;
        let stelle = self.stelle_for(&guard, stelle_code).await?;
        let mut plan = self.plan(&stelle, bytes).await?;
        let mut dossier_ids = Vec::new();
        let mut created = Vec::new();
        for batch in std::mem::take(&mut plan.geplant).chunks(ROWS_PER_BATCH) {
            let (ids, earlier) = self.import_batch(&guard, &stelle, datei, batch).await?;
            dossier_ids.extend(ids);
            plan.bereits.extend(earlier.iter().copied());
            created.extend(batch.iter().filter(|g| !earlier.contains(&g.zeile)).map(neue_zeile));
        }
        self.refresh_statistics().await?;
        let mut bericht = bericht(&stelle, &plan, dossier_ids);
        bericht.neu = created;
        if plan.genannt.is_empty() {
            return Ok(bericht);
        }
        let what = format!("Fallliste «{}» für {}: erkannte Duplikate", short(datei), stelle.name);
        let detail = export_detail(&what, ("Person", "Personen"), plan.genannt.iter().copied());
        guard.logged(None, Some(detail), bericht).await
    }

    /// The Stelle named by `code`: a Sozialregion, and the actor's own unless the actor reaches all.
    async fn stelle_for(
        &self,
        guard: &Guard<'_, caseload_zeile::Entity>,
        code: &str,
    ) -> Result<OrganisationInfo, StoreError> {
        let directory = self.directory();
        let stelle = directory
            .by_code(code.trim())
            .filter(|o| !directory.gemeinden_of_region(o.id).is_empty())
            .cloned()
            .ok_or_else(|| StoreError::regel(CaseloadDateiRegel::StelleUnbekannt))?;
        if guard.scope() != Scope::Canton && stelle.id != guard.actor().organisation_id {
            // The refusal is logged; only a log that cannot be written changes the answer.
            return Err(match guard.refuse(Some(stelle.id), "Fallliste einer anderen Stelle").await {
                StoreError::NotFound => StoreError::regel(CaseloadDateiRegel::AndereStelle),
                log_error => log_error,
            });
        }
        Ok(stelle)
    }

    async fn plan(&self, stelle: &OrganisationInfo, bytes: &[u8]) -> Result<Plan, StoreError> {
        let rows = read_rows(bytes).map_err(StoreError::regel)?;
        let (header, body) = rows.split_first().ok_or_else(|| StoreError::regel(CaseloadDateiRegel::Leer))?;
        let kopf = Kopfzeile::parse(header).map_err(StoreError::regel)?;
        let umfeld = Umfeld {
            gemeinden: self.directory().gemeinden_of_region(stelle.id),
            fallfuehrung: self.case_worker_ids(stelle.id).await?,
            katalog: self.katalog().await?,
            today: self.clock.today(),
        };
        let mut plan = Plan { geplant: Vec::new(), bereits: Vec::new(), abgelehnt: Vec::new(), genannt: Vec::new() };
        let mut erste: HashMap<String, usize> = HashMap::new();
        for (index, cells) in body.iter().enumerate() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let zeile = index + 2;
            match check_row(&umfeld, &kopf, cells, zeile, &mut erste) {
                Ok(geplant) => plan.geplant.push(geplant),
                Err(gruende) => plan.abgelehnt.push(AbgelehnteZeile { zeile, name: row_name(&kopf, cells), gruende }),
            }
        }
        if plan.geplant.is_empty() && plan.abgelehnt.is_empty() {
            return Err(StoreError::regel(CaseloadDateiRegel::Leer));
        }
        self.sort_out_known(stelle.id, &mut plan).await?;
        Ok(plan)
    }

    /// Moves rows taken over before to `bereits`, and rows of persons registered otherwise to `abgelehnt`.
    async fn sort_out_known(&self, stelle_id: i64, plan: &mut Plan) -> Result<(), StoreError> {
        let keys: Vec<String> = plan.geplant.iter().map(|g| g.schluessel.clone()).collect();
        let taken = taken_keys(&self.db, stelle_id, &keys).await?;
        let known = self.known_persons(&plan.geplant).await?;
        let mut offen = Vec::new();
        for geplant in std::mem::take(&mut plan.geplant) {
            if taken.contains(&geplant.schluessel) {
                plan.bereits.push(geplant.zeile);
                continue;
            }
            match known.match_of(&geplant.daten) {
                Some((id, grund)) => {
                    plan.genannt.push(id);
                    let name = format!(
                        "{} {}",
                        geplant.daten.person.nachname.as_str(),
                        geplant.daten.person.vornamen.as_str()
                    );
                    plan.abgelehnt.push(AbgelehnteZeile { zeile: geplant.zeile, name, gruende: vec![grund] });
                }
                None => offen.push(geplant),
            }
        }
        plan.geplant = offen;
        plan.abgelehnt.sort_by_key(|a| a.zeile);
        plan.bereits.sort_unstable();
        Ok(())
    }

    /// Registered persons with an AHV number or a surname of the planned rows.
    async fn known_persons(&self, geplant: &[Geplant]) -> Result<Bekannte, StoreError> {
        let ahv: Vec<String> =
            geplant.iter().filter_map(|g| g.daten.person.ahv_nummer.as_ref().map(ToString::to_string)).collect();
        let names: HashSet<String> = geplant.iter().map(|g| g.daten.person.nachname.as_str().to_owned()).collect();
        let names: Vec<String> = names.into_iter().collect();
        let mut bekannte = Bekannte::default();
        for chunk in ahv.chunks(KEYS_PER_QUERY) {
            let rows: Vec<(i64, Option<String>)> = person::Entity::find()
                .filter(person::Column::AhvNummer.is_in(chunk.to_vec()))
                .select_only()
                .column(person::Column::Id)
                .column(person::Column::AhvNummer)
                .into_tuple()
                .all(&self.db)
                .await?;
            bekannte.ahv.extend(rows.into_iter().filter_map(|(id, ahv)| Some((ahv?, id))));
        }
        for chunk in names.chunks(KEYS_PER_QUERY) {
            let rows =
                person::Entity::find().filter(person::Column::Nachname.is_in(chunk.to_vec())).all(&self.db).await?;
            for row in rows {
                bekannte.name.insert(person_key(&row), row.id);
            }
        }
        Ok(bekannte)
    }

    /// User names of the Stelle's active case workers and Leitung, with their ids.
    async fn case_worker_ids(&self, stelle_id: i64) -> Result<HashMap<String, i64>, StoreError> {
        let users = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(stelle_id))
            .filter(user::Column::Disabled.eq(false))
            .all(&self.db)
            .await?;
        Ok(users
            .into_iter()
            .filter(|u| {
                u.roles.split(',').any(|role| role == Role::Fallfuehrung.code() || role == Role::Leitung.code())
            })
            .map(|u| (u.username, u.id))
            .collect())
    }

    /// One batch in one transaction: rows whose key another import took meanwhile are skipped (returned as
    /// the second list); the others become person, dossier, timeline, goals, level and measures.
    async fn import_batch(
        &self,
        guard: &Guard<'_, caseload_zeile::Entity>,
        stelle: &OrganisationInfo,
        datei: &str,
        batch: &[Geplant],
    ) -> Result<(Vec<i64>, Vec<usize>), StoreError> {
        let txn = begin_write(&self.db).await?;
        let keys: Vec<String> = batch.iter().map(|g| g.schluessel.clone()).collect();
        let taken = taken_keys(&txn, stelle.id, &keys).await?;
        let (earlier, todo): (Vec<&Geplant>, Vec<&Geplant>) = batch.iter().partition(|g| taken.contains(&g.schluessel));
        let earlier: Vec<usize> = earlier.iter().map(|g| g.zeile).collect();
        if todo.is_empty() {
            return Ok((Vec::new(), earlier));
        }
        let actor = guard.actor();
        let now = self.clock.now();
        let person_ids = insert_persons(&txn, actor.user_id, now, &todo).await?;
        let dossier_rows = todo.iter().zip(&person_ids).map(|(g, id)| dossier_row(g, *id, stelle.id));
        let mut dossier_ids = dossier::Entity::insert_many(dossier_rows).exec_with_returning_keys(&txn).await?;
        dossier_ids.sort_unstable();
        let neu = Neu { txn: &txn, by: actor.user_id, now, today: self.clock.today(), stelle_id: stelle.id };
        neu.insert_details(&todo, &person_ids, &dossier_ids).await?;
        let what = format!("Fallliste «{}» übernommen für {}", short(datei), stelle.name);
        let detail = format!(
            "{}; {}",
            export_detail(&what, ("Person", "Personen"), person_ids.iter().copied()),
            export_detail("angelegt", ("Dossier", "Dossiers"), dossier_ids.iter().copied())
        );
        insert_entry(&txn, &guard.entry(Some(stelle.id.to_string()), Outcome::Allowed).with_detail(detail)).await?;
        txn.commit().await?;
        Ok((dossier_ids, earlier))
    }
}

/// Registered persons by AHV number and by folded name with birth date.
#[derive(Default)]
struct Bekannte {
    ahv: HashMap<String, i64>,
    name: HashMap<String, i64>,
}

impl Bekannte {
    fn match_of(&self, zeile: &CaseloadZeile) -> Option<(i64, CaseloadRegel)> {
        let by_ahv = zeile.person.ahv_nummer.as_ref().and_then(|ahv| self.ahv.get(&ahv.to_string()));
        if let Some(id) = by_ahv {
            return Some((*id, CaseloadRegel::DuplikatAhv));
        }
        let key = format!("{}|{}", name_key(&zeile.person), zeile.person.geburtsdatum.to_iso());
        self.name.get(&key).map(|id| (*id, CaseloadRegel::DuplikatNameGeburtsdatum))
    }
}

fn person_key(row: &person::Model) -> String {
    let date = iim_domain::PartialDate::from_parts(
        row.geburtsjahr,
        row.geburtsmonat.map(|m| m as u32),
        row.geburtstag.map(|d| d as u32),
    )
    .map(iim_domain::PartialDate::to_iso)
    .unwrap_or_default();
    format!("{}|{date}", fold_for_search(&format!("{} {}", row.nachname, row.vornamen)))
}

/// Checks one row: parsed, Gemeinde of the Stelle, case worker of the Stelle, measures of the catalogue, target
/// group, and not twice in the file.
fn check_row(
    umfeld: &Umfeld,
    kopf: &Kopfzeile,
    cells: &[String],
    zeile: usize,
    erste: &mut HashMap<String, usize>,
) -> Result<Geplant, Vec<CaseloadRegel>> {
    let daten = CaseloadZeile::parse(kopf, cells, umfeld.today)?;
    let mut gruende = Vec::new();
    if !umfeld.gemeinden.contains(&daten.person.wohngemeinde) {
        gruende.push(CaseloadRegel::GemeindeAusserhalb);
    }
    let fallfuehrung_id = umfeld.fallfuehrung.get(&daten.fallfuehrung).copied();
    if fallfuehrung_id.is_none() {
        gruende.push(CaseloadRegel::FallfuehrungUnbekannt(daten.fallfuehrung.clone()));
    }
    let mut massnahmen = Vec::new();
    for laufend in &daten.massnahmen {
        match umfeld.katalog.massnahme(&laufend.code).filter(|m| m.aktiv) {
            Some(m) => massnahmen.push((m.clone(), laufend.beginn.unwrap_or(daten.eroeffnet_am))),
            None => gruende.push(CaseloadRegel::MassnahmeUnbekannt(laufend.code.clone())),
        }
    }
    let groups = TargetGroups::derive(&daten.person, daten.sozialhilfe, false, umfeld.today);
    if let Err(refusal) = check_eligibility(&daten.person, &groups) {
        gruende.push(CaseloadRegel::AusserhalbZielgruppe(refusal));
    }
    let schluessel = daten.schluessel();
    if let Some(first) = erste.get(&schluessel) {
        gruende.push(CaseloadRegel::DoppeltInDatei(*first));
    }
    match fallfuehrung_id {
        Some(fallfuehrung_id) if gruende.is_empty() => {
            erste.insert(schluessel.clone(), zeile);
            Ok(Geplant {
                zeile,
                daten,
                schluessel,
                fallfuehrung_id,
                groups,
                massnahmen,
                katalog_version: umfeld.katalog.version,
            })
        }
        _ => Err(gruende),
    }
}

/// The keys of `keys` an earlier import already took over for the Stelle.
async fn taken_keys(
    db: &impl sea_orm::ConnectionTrait,
    stelle_id: i64,
    keys: &[String],
) -> Result<HashSet<String>, StoreError> {
    let mut taken = HashSet::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        let rows: Vec<String> = caseload_zeile::Entity::find()
            .filter(caseload_zeile::Column::StelleId.eq(stelle_id))
            .filter(caseload_zeile::Column::Schluessel.is_in(chunk.to_vec()))
            .select_only()
            .column(caseload_zeile::Column::Schluessel)
            .into_tuple()
            .all(db)
            .await?;
        taken.extend(rows);
    }
    Ok(taken)
}

/// The persons of the rows, in their order; returns their new ids in the same order.
async fn insert_persons(
    txn: &DatabaseTransaction,
    by: i64,
    now: DateTime<Utc>,
    rows: &[&Geplant],
) -> Result<Vec<i64>, StoreError> {
    let persons = rows.iter().map(|g| {
        let mut row = active_row(&g.daten.person);
        row.version = Set(1);
        row.created_at = Set(now);
        row.created_by = Set(by);
        row.updated_at = Set(now);
        row.updated_by = Set(by);
        row
    });
    // Both backends number the rows of one INSERT in the order given, so the sorted keys match it.
    let mut ids = person::Entity::insert_many(persons).exec_with_returning_keys(txn).await.map_err(ahv_conflict)?;
    ids.sort_unstable();
    Ok(ids)
}

/// Midday of a day, so the Swiss date shown is that day whatever the time zone.
fn midday(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

fn dossier_row(geplant: &Geplant, person_id: i64, stelle_id: i64) -> dossier::ActiveModel {
    let daten = &geplant.daten;
    let status = match (daten.ziele.is_empty(), daten.kurzassessment) {
        (false, _) => DossierStatus::HilfsplanAktiv,
        (true, Some(_)) => DossierStatus::InAbklaerung,
        (true, None) => DossierStatus::Eroeffnet,
    };
    dossier::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        stelle_id: Set(stelle_id),
        responsible_user_id: Set(geplant.fallfuehrung_id),
        asyl: Set(geplant.groups.asyl.map(|a| match a {
            AsylStatus::Va => "va".to_owned(),
            AsylStatus::Fl => "fl".to_owned(),
        })),
        sozialhilfe: Set(geplant.groups.sozialhilfe),
        jugendliche: Set(geplant.groups.jugendliche),
        gesundheitliche_einschraenkung: Set(false),
        opened_at: Set(midday(daten.eroeffnet_am)),
        kurzassessment_datum: Set(daten.kurzassessment),
        standortbestimmung_datum: Set(None),
        naechste_standortbestimmung: Set(iim_domain::dossier::next_standortbestimmung(daten.kurzassessment, None)),
        status: Set(status_code(status).to_owned()),
        version: Set(1),
    }
}

/// The records of one batch that hang on its dossiers.
struct Neu<'a> {
    txn: &'a DatabaseTransaction,
    by: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
    stelle_id: i64,
}

impl Neu<'_> {
    async fn insert_details(
        &self,
        rows: &[&Geplant],
        person_ids: &[i64],
        dossier_ids: &[i64],
    ) -> Result<(), StoreError> {
        let mut events = Vec::new();
        let mut goals = Vec::new();
        let mut levels = Vec::new();
        let mut measures = Vec::new();
        let mut keys = Vec::new();
        for ((geplant, person_id), dossier_id) in rows.iter().zip(person_ids).zip(dossier_ids) {
            events.extend(self.events(geplant, *dossier_id));
            goals.extend(self.goals(geplant, *dossier_id));
            levels.extend(self.level(geplant, *dossier_id));
            measures
                .extend(geplant.massnahmen.iter().map(|(m, beginn)| self.measure(geplant, m, *beginn, *dossier_id)));
            keys.push(caseload_zeile::ActiveModel {
                id: NotSet,
                stelle_id: Set(self.stelle_id),
                schluessel: Set(geplant.schluessel.clone()),
                person_id: Set(*person_id),
                dossier_id: Set(*dossier_id),
                created_at: Set(self.now),
                created_by: Set(self.by),
            });
        }
        insert_all(self.txn, events).await?;
        insert_all(self.txn, goals).await?;
        insert_all(self.txn, levels).await?;
        insert_all(self.txn, measures).await?;
        insert_all(self.txn, keys).await
    }

    fn events(&self, geplant: &Geplant, dossier_id: i64) -> Vec<dossier_event::ActiveModel> {
        let daten = &geplant.daten;
        let heute = self.today.format("%d.%m.%Y");
        let mut events = vec![event_row(
            dossier_id,
            self.by,
            DossierEvent::Eroeffnet,
            Some(format!("{HERKUNFT} am {heute}")),
            midday(daten.eroeffnet_am),
        )];
        if let Some(datum) = daten.kurzassessment {
            let detail = format!("{}, {HERKUNFT} (ohne Antworten)", datum.format("%d.%m.%Y"));
            events.push(event_row(dossier_id, self.by, DossierEvent::Kurzassessment, Some(detail), midday(datum)));
        }
        for (_, ziel) in &daten.ziele {
            events.push(event_row(dossier_id, self.by, DossierEvent::ZielErfasst, Some(ziel.clone()), self.now));
        }
        if let Some(niveau) = daten.deutsch {
            let detail = format!("Deutsch {} gesamt, {HERKUNFT}", niveau.code());
            events.push(event_row(dossier_id, self.by, DossierEvent::SprachstandErfasst, Some(detail), self.now));
        }
        for (massnahme, beginn) in &geplant.massnahmen {
            let detail =
                format!("{} ({}), Beginn {}, {HERKUNFT}", massnahme.titel, massnahme.code, beginn.format("%d.%m.%Y"));
            events.push(event_row(dossier_id, self.by, DossierEvent::MassnahmeGebucht, Some(detail), midday(*beginn)));
        }
        events
    }

    /// Open goals, due twelve months after the import: the list knows no due date and no criterion.
    fn goals(&self, geplant: &Geplant, dossier_id: i64) -> Vec<hilfsplan_ziel::ActiveModel> {
        let faellig_am = self.today.checked_add_months(Months::new(12)).unwrap_or(self.today);
        geplant
            .daten
            .ziele
            .iter()
            .map(|(handlungsfeld, ziel)| {
                let ziel = Ziel {
                    handlungsfeld: *handlungsfeld,
                    ziel: ziel.clone(),
                    kriterium: format!("{HERKUNFT}; bitte ergänzen."),
                    faellig_am,
                };
                goal_row(dossier_id, &ziel, self.by, self.now)
            })
            .collect()
    }

    /// The German level as an overall level as of the import day, its proof «anderer Nachweis».
    fn level(&self, geplant: &Geplant, dossier_id: i64) -> Option<sprachstand::ActiveModel> {
        let niveau = geplant.daten.deutsch?;
        Some(sprachstand::ActiveModel {
            id: NotSet,
            dossier_id: Set(dossier_id),
            datum: Set(self.today),
            fertigkeit: Set(Fertigkeit::Gesamt.code().to_owned()),
            niveau: Set(niveau.code().to_owned()),
            nachweis: Set(Nachweis::Andere.code().to_owned()),
            bemerkung: Set(HERKUNFT.to_owned()),
            created_at: Set(self.now),
            created_by: Set(self.by),
        })
    }

    /// A running participation; its entry criteria are not checked again (it runs already).
    fn measure(
        &self,
        geplant: &Geplant,
        massnahme: &Massnahme,
        beginn: NaiveDate,
        dossier_id: i64,
    ) -> teilnahme::ActiveModel {
        let neu = Beteiligt { dossier_id, by: self.by, now: self.now };
        running_participation(&neu, massnahme, geplant.katalog_version, beginn)
    }
}

/// Inserts rows in INSERTs of at most 500 (well below the bind-parameter limits).
async fn insert_all<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<(), StoreError>
where
    A: sea_orm::ActiveModelTrait + Clone + Send,
{
    for chunk in rows.chunks(500) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    Ok(())
}

fn neue_zeile(geplant: &Geplant) -> NeueZeile {
    let person = &geplant.daten.person;
    NeueZeile {
        zeile: geplant.zeile,
        name: format!("{} {}", person.nachname.as_str(), person.vornamen.as_str()),
        geburtsdatum: person.geburtsdatum.to_string(),
        gemeinde: person.wohngemeinde.name(),
        fallfuehrung: geplant.daten.fallfuehrung.clone(),
        eroeffnet_am: geplant.daten.eroeffnet_am,
        ziele: geplant.daten.ziele.len(),
        massnahmen: geplant.massnahmen.len(),
    }
}

fn bericht(stelle: &OrganisationInfo, plan: &Plan, dossier_ids: Vec<i64>) -> CaseloadBericht {
    CaseloadBericht {
        stelle: stelle.name.clone(),
        neu: plan.geplant.iter().map(neue_zeile).collect(),
        bereits: plan.bereits.clone(),
        abgelehnt: plan.abgelehnt.clone(),
        dossier_ids,
    }
}

/// The name as the row writes it, for a refused row (bounded like every shown text).
fn row_name(kopf: &Kopfzeile, cells: &[String]) -> String {
    short(&format!("{} {}", kopf.text(cells, Spalte::Name), kopf.text(cells, Spalte::Vorname)))
}

/// At most 100 characters of a file's text, for the log and the pages.
fn short(text: &str) -> String {
    text.trim().chars().filter(|c| !c.is_control()).take(100).collect()
}

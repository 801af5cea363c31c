//! Import of eCH-0020 deliveries from the population register (start.integration): arrivals from abroad of
//! foreign nationals become persons of the Personenregister and Neuzuzüger to invite; births of children with a
//! foreign nationality or a parent the Cockpit knows as a foreign national become persons (frühe
//! Sprachförderung); events of persons the Cockpit already knows are matched to them. Everything else is
//! skipped with its kind and a typed reason (`iim_domain::erstinformation::Uebersprungen`), never with anything
//! of the person (data minimisation).
//!
//! Idempotent per event, not per delivery (issue 11): an event is done once it is stored, matched or skipped,
//! and recorded as done (`register_ereignisse`, keyed by delivery and position) in the transaction that does
//! it. A refused event is not done: the refusal is kept with the delivery and a later import of the same
//! message tries it again, so an admin's import stores exactly the events an Integrationsbeauftragte's import
//! refused as out of her scope, and a truncated or broken file does not burn its message id. A person is
//! matched by the register's person number, then the AHV number; a Neuzuzüger is recorded once per person and
//! arrival date. A person with the same name and date of birth as an existing one is created and marked as a
//! possible duplicate for a human decision, never merged.
//!
//! The events are committed in batches of [`EVENTS_PER_BATCH`], each one transaction with its access-log
//! entry naming the persons it touched, so that another writer on SQLite waits for one batch, not for the
//! whole delivery; an import that stops half-way leaves whole batches, and the next import goes on from there.
//! On SQLite the import pauses briefly between batches ([`PAUSE_BETWEEN_BATCHES`]), because SQLite's lock is
//! not handed to the writer that waited longest: without the pause the import took it again and again.
//! Two imports of the same message at the same moment (two uploads, an upload beside `iim import`) share the
//! delivery's record and lock it at the start of each batch, so they do its batches one after the other and
//! each event is done by exactly one of them; neither fails.
//!
//! The importer is an [`Actor`]: an Integrationsbeauftragte imports only events of the Gemeinden her
//! organisation answers for (others are refused and listed), an admin or the operator's account the whole
//! canton. A move into a Gemeinde of the canton of a person with a dossier kept elsewhere proposes the dossier's
//! transfer (`umzuege.rs`).

use crate::aenderung::lock_for_change;
use crate::audit::{export_detail, insert_entry};
use crate::directory::Directory;
use crate::entity::{
    moegliches_duplikat, neuzuzueger, person, register_ablehnung, register_ereignis, register_lieferung,
    register_person,
};
use crate::fallfuehrung::persons::active_row;
use crate::fallfuehrung::umzuege::{Umzug, propose_transfer};
use crate::{Backend, Store, StoreError, begin_write};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use iim_domain::erstinformation::{Abgelehnt, Ereignisart, NeuzuzuegerStatus, Uebersprungen};
use iim_domain::{Action, Actor, AuditEntry, BfsNr, Choice, Outcome, PartialDate, Resource};
use iim_ech::{DeliveryReader, EventError, Header, Place, RegisterEvent, RegisterPerson};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::sync::Arc;

/// What an import did, for the operator and the Integrationsbeauftragte. The counts are of this import only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub message_id: String,
    /// Every event read had been done by an earlier import of this delivery; nothing was changed (refused
    /// events, if any, are refused again).
    pub bereits_importiert: bool,
    pub gelesen: usize,
    /// Arrivals from abroad and births stored now.
    pub gespeichert: usize,
    /// Events of persons the Cockpit already knows.
    pub zugeordnet: usize,
    /// Events the Cockpit does not need: recorded with kind and reason, nothing of the person.
    pub uebersprungen: usize,
    /// The skipped events by kind and reason.
    pub uebersprungen_nach_grund: BTreeMap<(Ereignisart, Uebersprungen), usize>,
    /// Events stored, matched or skipped by an earlier import of the same delivery: left as they were.
    pub frueher_importiert: usize,
    pub abgelehnt: Vec<EventError>,
    /// The refused events by reason.
    pub abgelehnt_nach_grund: BTreeMap<Abgelehnt, usize>,
    pub neue_personen: usize,
    pub moegliche_duplikate: usize,
    /// Proposals to transfer a dossier after a move between Sozialregionen of the canton.
    pub umzugsvorschlaege: usize,
}

/// Events per transaction: on SQLite another writer waits for one batch (about 20 ms for matched or skipped
/// events in a release build), never for the whole delivery.
pub const EVENTS_PER_BATCH: usize = 500;

/// On SQLite, the import leaves the database free this long between two batches. A writer that found it
/// locked sleeps in SQLite's busy handler and tries again after 1, 2, 5, 10, 15, 20, 25, 25, 25, 50 … ms; an
/// import that began its next batch at once would find the lock free first almost every time, and the writer
/// waited for many batches (830 ms beside a baseDelivery of 100 000, docs/performance.md). A pause of 25 ms
/// covers the writer's next try as long as a batch holds the lock for less than about 120 ms.
const PAUSE_BETWEEN_BATCHES: std::time::Duration = std::time::Duration::from_millis(25);

/// What became of one event.
enum Ergebnis {
    Gespeichert,
    Zugeordnet,
    Uebersprungen(Uebersprungen),
    Abgelehnt(Abgelehnt, EventError),
}

impl Ergebnis {
    fn code(&self) -> &'static str {
        match self {
            Ergebnis::Gespeichert => "gespeichert",
            Ergebnis::Zugeordnet => "zugeordnet",
            Ergebnis::Uebersprungen(_) => "uebersprungen",
            Ergebnis::Abgelehnt(..) => "abgelehnt",
        }
    }
}

/// The state of one import across its batches.
struct Run {
    importer: i64,
    now: DateTime<Utc>,
    lieferung_id: i64,
    /// The Gemeinden whose events the importer may import; `None`: the whole canton.
    gemeinden: Option<BTreeSet<BfsNr>>,
    directory: Arc<Directory>,
    report: ImportReport,
}

/// One batch of events in its transaction.
struct Batch<'a> {
    txn: &'a DatabaseTransaction,
    run: &'a mut Run,
    done: Vec<register_ereignis::ActiveModel>,
    refused: Vec<(Abgelehnt, EventError)>,
    /// Positions handled now (done or refused again): their earlier refusals are replaced.
    handled: Vec<i32>,
    /// Persons created or matched, named in the batch's access-log entry.
    touched: Vec<i64>,
    counts: [i32; 3],
}

/// An event as read, with its position in the delivery (from 1).
type Numbered = (usize, Result<RegisterEvent, EventError>);

impl Store {
    /// Imports one delivery in the name of `actor`, batch by batch. `datei` names the file the first time
    /// the delivery is seen.
    pub async fn import_register_delivery<R: Read>(
        &self,
        actor: &Actor,
        datei: &str,
        delivery: DeliveryReader<R>,
    ) -> Result<ImportReport, StoreError> {
        let guard = self.guard::<register_lieferung::Entity>(actor, Action::Create, None).await?;
        let header = delivery.header().clone();
        let now = self.clock.now();
        let mut events = delivery.enumerate().map(|(index, event)| (index + 1, event));
        let mut batch: Vec<Numbered> = events.by_ref().take(EVENTS_PER_BATCH).collect();
        let txn = begin_write(&self.db).await?;
        let (lieferung_id, existed) = lieferung_for(&txn, &header, datei, actor, now).await?;
        let mut run = Run {
            importer: actor.user_id,
            now,
            lieferung_id,
            gemeinden: actor.gemeinden_in(guard.scope()).cloned(),
            directory: self.directory(),
            report: ImportReport { message_id: header.message_id, ..ImportReport::default() },
        };
        import_batch(&txn, &mut run, batch, datei, actor).await?;
        txn.commit().await?;
        loop {
            batch = events.by_ref().take(EVENTS_PER_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            self.let_others_write().await;
            let txn = begin_write(&self.db).await?;
            import_batch(&txn, &mut run, batch, datei, actor).await?;
            txn.commit().await?;
        }
        let report = &mut run.report;
        report.bereits_importiert = existed && report.gespeichert + report.zugeordnet + report.uebersprungen == 0;
        Ok(run.report)
    }
}

impl Store {
    /// On SQLite, leaves the database free for [`PAUSE_BETWEEN_BATCHES`], so that a writer waiting in the
    /// busy handler gets its turn; PostgreSQL's row locks need no pause.
    pub(crate) async fn let_others_write(&self) {
        if self.backend() == Backend::Sqlite {
            tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
        }
    }
}

/// The delivery's record: the one of an earlier import of the same message, or a new one (in the transaction
/// of the first batch, so that a single-event delivery costs one commit). Two first imports of one message at
/// the same moment: on PostgreSQL the second one's insert waits for the first one's commit and then does
/// nothing, and the second finds the record the first made (on SQLite `BEGIN IMMEDIATE` already runs them one
/// after the other). Whether the record existed says whether this import made it.
async fn lieferung_for(
    txn: &DatabaseTransaction,
    header: &Header,
    datei: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(i64, bool), StoreError> {
    let new = register_lieferung::ActiveModel {
        id: NotSet,
        message_id: Set(header.message_id.clone()),
        sender_id: Set(header.sender_id.clone()),
        datei: Set(datei.to_owned()),
        importiert_at: Set(now),
        importiert_von: Set(actor.username.clone()),
        gelesen: Set(0),
        gespeichert: Set(0),
        zugeordnet: Set(0),
        uebersprungen: Set(0),
        abgelehnt: Set(0),
    };
    let inserted = register_lieferung::Entity::insert(new)
        .on_conflict(OnConflict::column(register_lieferung::Column::MessageId).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    let record = register_lieferung::Entity::find()
        .filter(register_lieferung::Column::MessageId.eq(&header.message_id))
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((record.id, inserted == 0))
}

/// One batch in its transaction: the events not done before are applied and recorded, their refusals
/// replaced, the delivery's counts updated and the access-log entry written. The delivery's record is locked
/// first, so two imports of the same message do its batches one after the other and each sees what the other
/// committed (on SQLite the write lock of `BEGIN IMMEDIATE` does the same).
async fn import_batch(
    txn: &DatabaseTransaction,
    run: &mut Run,
    events: Vec<Numbered>,
    datei: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    let (Some(first), Some(last)) = (events.first().map(|e| count(e.0)), events.last().map(|e| count(e.0))) else {
        return Ok(());
    };
    lock_for_change(txn, register_lieferung::Entity::find_by_id(run.lieferung_id)).await?;
    let done_before: BTreeSet<i32> = register_ereignis::Entity::find()
        .select_only()
        .column(register_ereignis::Column::Position)
        .filter(register_ereignis::Column::LieferungId.eq(run.lieferung_id))
        .filter(register_ereignis::Column::Position.between(first, last))
        .into_tuple::<i32>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let mut batch = Batch::new(txn, run);
    for (position, event) in events {
        batch.run.report.gelesen += 1;
        if done_before.contains(&count(position)) {
            batch.run.report.frueher_importiert += 1;
            continue;
        }
        let (art, ergebnis) = match event {
            Ok(event) => (art_of(&event), batch.apply(position, event).await?),
            Err(refusal) => {
                (Ereignisart::of_ech(&refusal.kind), Ergebnis::Abgelehnt(Abgelehnt::FehlerInDerLieferung, refusal))
            }
        };
        batch.record(position, art, ergebnis);
    }
    batch.save(last, datei, actor).await
}

/// The kind of an event, for its record.
fn art_of(event: &RegisterEvent) -> Ereignisart {
    match event {
        RegisterEvent::MoveIn { .. } => Ereignisart::Zuzug,
        RegisterEvent::MoveOut { .. } => Ereignisart::Wegzug,
        RegisterEvent::Move { .. } => Ereignisart::Umzug,
        RegisterEvent::Birth { .. } => Ereignisart::Geburt,
        RegisterEvent::Death { .. } => Ereignisart::Tod,
        RegisterEvent::Resident { .. } => Ereignisart::Bestand,
        RegisterEvent::NotUsed { .. } => Ereignisart::Andere,
    }
}

impl<'a> Batch<'a> {
    fn new(txn: &'a DatabaseTransaction, run: &'a mut Run) -> Self {
        Batch {
            txn,
            run,
            done: Vec::new(),
            refused: Vec::new(),
            handled: Vec::new(),
            touched: Vec::new(),
            counts: [0; 3],
        }
    }

    /// Counts the event's outcome and keeps its record: done, or refused.
    fn record(&mut self, position: usize, art: Ereignisart, ergebnis: Ergebnis) {
        let report = &mut self.run.report;
        let (slot, grund) = match &ergebnis {
            Ergebnis::Gespeichert => (0, None),
            Ergebnis::Zugeordnet => (1, None),
            Ergebnis::Uebersprungen(grund) => (2, Some(*grund)),
            Ergebnis::Abgelehnt(grund, refusal) => {
                *report.abgelehnt_nach_grund.entry(*grund).or_default() += 1;
                report.abgelehnt.push(refusal.clone());
                self.refused.push((*grund, refusal.clone()));
                self.handled.push(count(position));
                return;
            }
        };
        match slot {
            0 => report.gespeichert += 1,
            1 => report.zugeordnet += 1,
            _ => report.uebersprungen += 1,
        }
        if let Some(grund) = grund {
            *report.uebersprungen_nach_grund.entry((art, grund)).or_default() += 1;
        }
        self.counts[slot] += 1;
        self.handled.push(count(position));
        self.done.push(register_ereignis::ActiveModel {
            id: NotSet,
            lieferung_id: Set(self.run.lieferung_id),
            position: Set(count(position)),
            art: Set(art.code().to_owned()),
            ergebnis: Set(ergebnis.code().to_owned()),
            grund: Set(grund.map(|g| g.code().to_owned())),
        });
    }

    /// Writes the batch's records, its refusals (replacing earlier ones of the same events), the delivery's
    /// counts and the access-log entry.
    async fn save(mut self, last: i32, datei: &str, actor: &Actor) -> Result<(), StoreError> {
        let lieferung_id = self.run.lieferung_id;
        if self.handled.is_empty() {
            return Ok(());
        }
        register_ablehnung::Entity::delete_many()
            .filter(register_ablehnung::Column::LieferungId.eq(lieferung_id))
            .filter(register_ablehnung::Column::Position.is_in(self.handled.iter().copied()))
            .exec(self.txn)
            .await?;
        let refused = self.refused.iter().map(|(grund, refusal)| register_ablehnung::ActiveModel {
            id: NotSet,
            lieferung_id: Set(lieferung_id),
            position: Set(count(refusal.position)),
            ereignis: Set(refusal.kind.clone()),
            feld: Set(refusal.field.clone()),
            meldung: Set(refusal.message.clone()),
            grund: Set(Some(grund.code().to_owned())),
        });
        register_ablehnung::Entity::insert_many(refused).exec(self.txn).await?;
        let (first, last_done) =
            (self.handled.first().copied().unwrap_or(last), self.handled.last().copied().unwrap_or(last));
        register_ereignis::Entity::insert_many(std::mem::take(&mut self.done)).exec(self.txn).await?;
        self.update_counts(last).await?;
        let detail = export_detail(
            &format!(
                "eCH-0020-Import {} ({datei}), Ereignisse {first} bis {last_done}: {} gespeichert, {} zugeordnet, {} übersprungen, {} abgelehnt",
                self.run.report.message_id,
                self.counts[0],
                self.counts[1],
                self.counts[2],
                self.refused.len(),
            ),
            ("Person", "Personen"),
            self.touched.iter().copied(),
        );
        let entry = AuditEntry::of(actor, Action::Create, Resource::Person, None, Outcome::Allowed, self.run.now)
            .with_detail(detail);
        insert_entry(self.txn, &entry).await
    }

    /// The delivery's counts over all its imports: done events added, refusals counted as they stand now.
    async fn update_counts(&self, last: i32) -> Result<(), StoreError> {
        use register_lieferung::Column;
        let id = self.run.lieferung_id;
        let open = register_ablehnung::Entity::find()
            .filter(register_ablehnung::Column::LieferungId.eq(id))
            .count(self.txn)
            .await?;
        let [stored, matched, skipped] = self.counts;
        register_lieferung::Entity::update_many()
            .col_expr(Column::Gespeichert, Expr::col(Column::Gespeichert).add(stored))
            .col_expr(Column::Zugeordnet, Expr::col(Column::Zugeordnet).add(matched))
            .col_expr(Column::Uebersprungen, Expr::col(Column::Uebersprungen).add(skipped))
            .col_expr(Column::Abgelehnt, Expr::value(i32::try_from(open).unwrap_or(i32::MAX)))
            .filter(Column::Id.eq(id))
            .exec(self.txn)
            .await?;
        register_lieferung::Entity::update_many()
            .col_expr(Column::Gelesen, Expr::value(last))
            .filter(Column::Id.eq(id))
            .filter(Column::Gelesen.lt(last))
            .exec(self.txn)
            .await?;
        Ok(())
    }

    async fn apply(&mut self, position: usize, event: RegisterEvent) -> Result<Ergebnis, StoreError> {
        if let Some(refusal) = self.outside_scope(position, &event) {
            return Ok(refusal);
        }
        match event {
            RegisterEvent::MoveIn { person, municipality, arrival, comes_from } => {
                let gemeinde = match canton_gemeinde(position, "moveIn", municipality) {
                    Ok(gemeinde) => gemeinde,
                    Err(refusal) => return Ok(refusal),
                };
                match comes_from {
                    Place::Abroad { country, .. } if !person.is_swiss() => {
                        self.neuzuzueger(position, &person, gemeinde, arrival, country).await
                    }
                    Place::Abroad { .. } => {
                        self.moved_in(
                            &person,
                            Umzug { von: None, nach: gemeinde, am: arrival },
                            Uebersprungen::SchweizerStaatsangehoerigkeit,
                        )
                        .await
                    }
                    Place::Swiss { bfs, .. } => {
                        self.moved_in(
                            &person,
                            Umzug { von: bfs, nach: gemeinde, am: arrival },
                            Uebersprungen::ZuzugAusDerSchweiz,
                        )
                        .await
                    }
                    Place::Unknown => {
                        self.moved_in(
                            &person,
                            Umzug { von: None, nach: gemeinde, am: arrival },
                            Uebersprungen::PersonNichtBekannt,
                        )
                        .await
                    }
                }
            }
            RegisterEvent::Birth { person, municipality, parents } => {
                self.birth(position, &person, municipality, &parents).await
            }
            RegisterEvent::MoveOut { person, .. } => match linked_person(self.txn, &person).await? {
                Some(person_id) => {
                    moved_away(self.txn, person_id).await?;
                    self.touched.push(person_id);
                    Ok(Ergebnis::Zugeordnet)
                }
                None => Ok(Ergebnis::Uebersprungen(Uebersprungen::PersonNichtBekannt)),
            },
            RegisterEvent::Move { person, .. } => self.known(&person, Uebersprungen::UmzugInnerhalbDerGemeinde).await,
            RegisterEvent::Death { person, .. } | RegisterEvent::Resident { person, .. } => {
                self.known(&person, Uebersprungen::PersonNichtBekannt).await
            }
            RegisterEvent::NotUsed { .. } => Ok(Ergebnis::Uebersprungen(Uebersprungen::MeldungNichtBenoetigt)),
        }
    }

    /// A birth of a foreign child (or of a known foreign parent's) in a Gemeinde of the canton: the child and
    /// its track in the frühe Sprachförderung.
    async fn birth(
        &mut self,
        position: usize,
        person: &RegisterPerson,
        municipality: Option<u16>,
        parents: &[(String, String)],
    ) -> Result<Ergebnis, StoreError> {
        let foreign =
            (!person.nationalities.is_empty() && !person.is_swiss()) || has_foreign_parent(self.txn, parents).await?;
        let skipped = if foreign { Uebersprungen::GeburtOhneWohngemeinde } else { Uebersprungen::GeburtSchweizerKind };
        let Some(bfs) = municipality.filter(|_| foreign) else {
            return self.known(person, skipped).await;
        };
        let gemeinde = match canton_gemeinde(position, "birth", bfs) {
            Ok(gemeinde) => gemeinde,
            Err(refusal) => return Ok(refusal),
        };
        let child = match self.person_for(position, "birth", person, gemeinde, None).await? {
            Ok(child) => child,
            Err(refusal) => return Ok(refusal),
        };
        crate::start_integration::fruehfoerderung::start_from_register(
            self.txn,
            child,
            self.run.importer,
            self.run.now,
        )
        .await?;
        Ok(Ergebnis::Gespeichert)
    }

    /// A refusal when the importer does not answer for the Gemeinde of the event. Events without a Gemeinde
    /// and Gemeinden outside the canton are left to the event's own checks.
    fn outside_scope(&self, position: usize, event: &RegisterEvent) -> Option<Ergebnis> {
        let (kind, bfs) = match event {
            RegisterEvent::MoveIn { municipality, .. } => ("moveIn", Some(*municipality)),
            RegisterEvent::MoveOut { municipality, .. } => ("moveOut", Some(*municipality)),
            RegisterEvent::Move { municipality, .. } => ("move", Some(*municipality)),
            RegisterEvent::Birth { municipality, .. } => ("birth", *municipality),
            RegisterEvent::Resident { municipality, .. } => ("baseDelivery", *municipality),
            RegisterEvent::Death { .. } | RegisterEvent::NotUsed { .. } => return None,
        };
        let (gemeinden, gemeinde) = self.run.gemeinden.as_ref().zip(bfs.and_then(BfsNr::known))?;
        if gemeinden.contains(&gemeinde) {
            return None;
        }
        Some(refusal(
            Abgelehnt::AusserhalbZustaendigkeit,
            position,
            kind,
            format!(
                "Die Gemeinde {} (BFS-Nummer {}) gehört nicht zu Ihren Gemeinden: nur deren Ereignisse dürfen Sie importieren.",
                gemeinde.name(),
                gemeinde.get()
            ),
        ))
    }

    /// A move into a Gemeinde of the canton that brings no Neuzuzüger: matched or skipped like any event; for
    /// a known person with an open dossier kept by another Sozialregion, a transfer is proposed.
    async fn moved_in(
        &mut self,
        person: &RegisterPerson,
        umzug: Umzug,
        skipped: Uebersprungen,
    ) -> Result<Ergebnis, StoreError> {
        let Some(person_id) = linked_person(self.txn, person).await? else {
            return Ok(Ergebnis::Uebersprungen(skipped));
        };
        self.touched.push(person_id);
        let proposed =
            propose_transfer(self.txn, &self.run.directory, person_id, &umzug, self.run.lieferung_id, self.run.now)
                .await?;
        self.run.report.umzugsvorschlaege += proposed;
        Ok(Ergebnis::Zugeordnet)
    }

    /// An event of a person we may know: matched, or skipped for `reason`.
    async fn known(&mut self, person: &RegisterPerson, reason: Uebersprungen) -> Result<Ergebnis, StoreError> {
        match linked_person(self.txn, person).await? {
            Some(person_id) => {
                self.touched.push(person_id);
                Ok(Ergebnis::Zugeordnet)
            }
            None => Ok(Ergebnis::Uebersprungen(reason)),
        }
    }

    /// An arrival from abroad: the person (matched or new) and the Neuzuzüger entry, once per arrival date.
    async fn neuzuzueger(
        &mut self,
        position: usize,
        person: &RegisterPerson,
        gemeinde: BfsNr,
        arrival: NaiveDate,
        country: Option<String>,
    ) -> Result<Ergebnis, StoreError> {
        let entry = PartialDate::from_parts(arrival.year(), Some(arrival.month()), Some(arrival.day())).ok();
        let person_id = match self.person_for(position, "moveIn", person, gemeinde, entry).await? {
            Ok(person_id) => person_id,
            Err(refusal) => return Ok(refusal),
        };
        let recorded = neuzuzueger::Entity::find()
            .filter(neuzuzueger::Column::PersonId.eq(person_id))
            .filter(neuzuzueger::Column::ZuzugAm.eq(arrival))
            .one(self.txn)
            .await?;
        if recorded.is_none() {
            neuzuzueger::ActiveModel {
                id: NotSet,
                person_id: Set(person_id),
                gemeinde_bfs: Set(i32::from(gemeinde.get())),
                zuzug_am: Set(arrival),
                herkunft: Set(country),
                status: Set(NeuzuzuegerStatus::Einzuladen.code().to_owned()),
                lieferung_id: Set(self.run.lieferung_id),
                created_at: Set(self.run.now),
                eingeladen_am: Set(None),
                geaendert_at: Set(None),
                geaendert_von: Set(None),
            }
            .insert(self.txn)
            .await?;
        }
        Ok(Ergebnis::Gespeichert)
    }

    /// The Cockpit's person for a register person: by the register's number, by AHV number, or new (marked
    /// as a possible duplicate when name and date of birth match someone). A refusal when the register's data
    /// cannot make a person.
    async fn person_for(
        &mut self,
        position: usize,
        kind: &str,
        person: &RegisterPerson,
        gemeinde: BfsNr,
        einreise: Option<PartialDate>,
    ) -> Result<Result<i64, Ergebnis>, StoreError> {
        if let Some(id) = self.existing_person(person).await? {
            self.touched.push(id);
            return Ok(Ok(id));
        }
        let data = match person.to_person_data(gemeinde, einreise) {
            Ok(data) => data,
            Err((field, message)) => {
                let error = EventError { position, kind: kind.to_owned(), field: field.to_owned(), message };
                return Ok(Err(Ergebnis::Abgelehnt(Abgelehnt::FehlerInDerLieferung, error)));
            }
        };
        let mut row = active_row(&data);
        row.version = Set(1);
        row.created_at = Set(self.run.now);
        row.created_by = Set(self.run.importer);
        row.updated_at = Set(self.run.now);
        row.updated_by = Set(self.run.importer);
        let created = row.insert(self.txn).await?;
        link(self.txn, created.id, person).await?;
        self.touched.push(created.id);
        self.run.report.neue_personen += 1;
        self.mark_possible_duplicates(&created).await?;
        Ok(Ok(created.id))
    }

    /// The person linked to the register's number, or the one with the same AHV number (then linked).
    async fn existing_person(&self, person: &RegisterPerson) -> Result<Option<i64>, StoreError> {
        if let Some(id) = linked_person(self.txn, person).await? {
            return Ok(Some(id));
        }
        let Some(ahv) = &person.ahv else { return Ok(None) };
        let same = person::Entity::find().filter(person::Column::AhvNummer.eq(ahv.to_string())).one(self.txn).await?;
        let Some(existing) = same else { return Ok(None) };
        link(self.txn, existing.id, person).await?;
        Ok(Some(existing.id))
    }

    async fn mark_possible_duplicates(&mut self, created: &person::Model) -> Result<(), StoreError> {
        let twins = person::Entity::find()
            .filter(person::Column::Nachname.eq(&created.nachname))
            .filter(person::Column::Vornamen.eq(&created.vornamen))
            .filter(person::Column::Geburtsjahr.eq(created.geburtsjahr))
            .filter(person::Column::Id.ne(created.id))
            .all(self.txn)
            .await?;
        let same_birth = |twin: &person::Model| {
            twin.geburtsmonat.zip(created.geburtsmonat).is_none_or(|(a, b)| a == b)
                && twin.geburtstag.zip(created.geburtstag).is_none_or(|(a, b)| a == b)
        };
        for twin in twins.iter().filter(|twin| same_birth(twin)) {
            moegliches_duplikat::ActiveModel {
                id: NotSet,
                person_id: Set(created.id),
                kandidat_id: Set(twin.id),
                status: Set("offen".to_owned()),
                created_at: Set(self.run.now),
                entschieden_at: Set(None),
                entschieden_von: Set(None),
            }
            .insert(self.txn)
            .await?;
            self.run.report.moegliche_duplikate += 1;
        }
        Ok(())
    }
}

/// A refused event.
fn refusal(grund: Abgelehnt, position: usize, kind: &str, message: String) -> Ergebnis {
    let field = "reportingMunicipality/municipalityId".to_owned();
    Ergebnis::Abgelehnt(grund, EventError { position, kind: kind.to_owned(), field, message })
}

/// The Gemeinde of the canton with this BFS number, or a refusal naming it.
fn canton_gemeinde(position: usize, kind: &str, bfs: u16) -> Result<BfsNr, Ergebnis> {
    BfsNr::known(bfs).ok_or_else(|| {
        refusal(
            Abgelehnt::GemeindeAusserhalbKanton,
            position,
            kind,
            format!("Die Gemeinde mit BFS-Nummer {bfs} gehört nicht zum Kanton Solothurn."),
        )
    })
}

/// The person linked to the register's person number, if any.
async fn linked_person(db: &impl ConnectionTrait, person: &RegisterPerson) -> Result<Option<i64>, StoreError> {
    let (kategorie, local_id) = &person.local_id;
    Ok(register_person::Entity::find()
        .filter(register_person::Column::Kategorie.eq(kategorie))
        .filter(register_person::Column::LocalId.eq(local_id))
        .one(db)
        .await?
        .map(|link| link.person_id))
}

async fn link(db: &impl ConnectionTrait, person_id: i64, person: &RegisterPerson) -> Result<(), StoreError> {
    let (kategorie, local_id) = &person.local_id;
    register_person::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        kategorie: Set(kategorie.clone()),
        local_id: Set(local_id.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Whether a parent named by the register is a person of the Cockpit with a foreign (or unknown)
/// nationality: the register does not state the parents' nationality with the birth.
async fn has_foreign_parent(db: &impl ConnectionTrait, parents: &[(String, String)]) -> Result<bool, StoreError> {
    for (kategorie, local_id) in parents {
        let link = register_person::Entity::find()
            .filter(register_person::Column::Kategorie.eq(kategorie))
            .filter(register_person::Column::LocalId.eq(local_id))
            .one(db)
            .await?;
        let Some(link) = link else { continue };
        let parent = person::Entity::find_by_id(link.person_id).one(db).await?;
        if parent.is_some_and(|p| p.nationalitaet != "CH") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A Neuzuzüger who moves away before the conversation is no longer to be invited; a held or declined
/// conversation keeps its status.
async fn moved_away(db: &impl ConnectionTrait, person_id: i64) -> Result<(), StoreError> {
    let waiting = [NeuzuzuegerStatus::Einzuladen, NeuzuzuegerStatus::Eingeladen, NeuzuzuegerStatus::NichtErreicht]
        .map(|s| s.code());
    neuzuzueger::Entity::update_many()
        .col_expr(neuzuzueger::Column::Status, sea_orm::sea_query::Expr::value(NeuzuzuegerStatus::Weggezogen.code()))
        .filter(neuzuzueger::Column::PersonId.eq(person_id))
        .filter(neuzuzueger::Column::Status.is_in(waiting))
        .exec(db)
        .await?;
    Ok(())
}

fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

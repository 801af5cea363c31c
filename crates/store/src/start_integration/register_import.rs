//! Import of eCH-0020 deliveries from the population register (start.integration): arrivals from abroad of
//! foreign nationals become persons of the Personenregister and Neuzuzüger to invite; births of children with a
//! foreign nationality or a parent the Cockpit knows as a foreign national become persons (frühe
//! Sprachförderung); events of persons the Cockpit already knows are
//! matched to them. Everything else is counted and skipped, never stored (data minimisation).
//!
//! Idempotent: a delivery is imported once per message id; a person is matched by the register's person number,
//! then the AHV number; a Neuzuzüger is recorded once per person and arrival date. A person with the same name and
//! date of birth as an existing one is created and marked as a possible duplicate for a human decision, never
//! merged. One delivery is one transaction: refused events are listed, valid ones stored, nothing half-written.
//!
//! The importer is an [`Actor`]: an Integrationsbeauftragte imports only events of the Gemeinden her
//! organisation answers for (others are refused and listed), an admin or the operator's account the whole
//! canton. A move into a Gemeinde of the canton of a person with a dossier kept elsewhere proposes the dossier's
//! transfer (`umzuege.rs`).

use crate::audit::insert_entry;
use crate::directory::Directory;
use crate::entity::{
    moegliches_duplikat, neuzuzueger, person, register_ablehnung, register_lieferung, register_person,
};
use crate::fallfuehrung::persons::active_row;
use crate::fallfuehrung::umzuege::{Umzug, propose_transfer};
use crate::{Store, StoreError, begin_write};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use iim_domain::erstinformation::NeuzuzuegerStatus;
use iim_domain::{Action, Actor, AuditEntry, BfsNr, Choice, Outcome, PartialDate, Resource};
use iim_ech::{DeliveryReader, EventError, Place, RegisterEvent, RegisterPerson};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, NotSet,
    QueryFilter,
};
use std::collections::BTreeSet;
use std::io::Read;
use std::sync::Arc;

/// What an import did, for the operator and the Integrationsbeauftragte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub message_id: String,
    /// The delivery had been imported before; nothing was changed.
    pub bereits_importiert: bool,
    pub gelesen: usize,
    /// Arrivals from abroad and births stored.
    pub gespeichert: usize,
    /// Events of persons the Cockpit already knows.
    pub zugeordnet: usize,
    /// Events the Cockpit does not need (Swiss nationals, moves within Switzerland of unknown persons, other
    /// event kinds): counted, not stored.
    pub uebersprungen: usize,
    pub abgelehnt: Vec<EventError>,
    pub neue_personen: usize,
    pub moegliche_duplikate: usize,
    /// Proposals to transfer a dossier after a move between Sozialregionen of the canton.
    pub umzugsvorschlaege: usize,
}

/// Refused events stored per INSERT statement (6 values each, well below PostgreSQL's 65 535 parameters).
const REFUSALS_PER_INSERT: usize = 1000;

/// How many newly created person numbers the access-log entry of an import lists by number.
const LOGGED_IDS: usize = 200;

/// The state of one import while its events are read.
struct Import<'a> {
    txn: &'a DatabaseTransaction,
    importer: i64,
    now: DateTime<Utc>,
    lieferung_id: i64,
    /// The Gemeinden whose events the importer may import; `None`: the whole canton.
    gemeinden: Option<BTreeSet<BfsNr>>,
    directory: Arc<Directory>,
    report: ImportReport,
    new_persons: Vec<i64>,
}

impl Store {
    /// Imports one delivery in the name of `actor`. `datei` names the file in the report.
    pub async fn import_register_delivery<R: Read>(
        &self,
        actor: &Actor,
        datei: &str,
        delivery: DeliveryReader<R>,
    ) -> Result<ImportReport, StoreError> {
        let guard = self.guard::<register_lieferung::Entity>(actor, Action::Create, None).await?;
        let header = delivery.header().clone();
        let txn = begin_write(&self.db).await?;
        let known = register_lieferung::Entity::find()
            .filter(register_lieferung::Column::MessageId.eq(&header.message_id))
            .one(&txn)
            .await?;
        if known.is_some() {
            return Ok(ImportReport {
                message_id: header.message_id,
                bereits_importiert: true,
                ..ImportReport::default()
            });
        }
        let now = self.clock.now();
        let lieferung = register_lieferung::ActiveModel {
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
        }
        .insert(&txn)
        .await?;
        let mut import = Import {
            txn: &txn,
            importer: actor.user_id,
            now,
            lieferung_id: lieferung.id,
            gemeinden: actor.gemeinden_in(guard.scope()).cloned(),
            directory: self.directory(),
            report: ImportReport { message_id: header.message_id.clone(), ..ImportReport::default() },
            new_persons: Vec::new(),
        };
        for (index, event) in delivery.enumerate() {
            import.report.gelesen += 1;
            match event {
                Ok(event) => import.apply(index + 1, event).await?,
                Err(refusal) => import.report.abgelehnt.push(refusal),
            }
        }
        import.finish(lieferung, datei, actor).await?;
        let report = import.report;
        txn.commit().await?;
        Ok(report)
    }
}

impl Import<'_> {
    async fn apply(&mut self, position: usize, event: RegisterEvent) -> Result<(), StoreError> {
        if !self.importer_answers_for(position, &event) {
            return Ok(());
        }
        match event {
            RegisterEvent::MoveIn { person, municipality, arrival, comes_from } => {
                let Some(gemeinde) = self.canton_gemeinde(position, "moveIn", municipality) else { return Ok(()) };
                let from_abroad = matches!(comes_from, Place::Abroad { .. });
                if from_abroad && !person.is_swiss() {
                    let country = match comes_from {
                        Place::Abroad { country, .. } => country,
                        _ => None,
                    };
                    self.neuzuzueger(position, &person, gemeinde, arrival, country).await
                } else {
                    let von = match comes_from {
                        Place::Swiss { bfs, .. } => bfs,
                        _ => None,
                    };
                    self.moved_in(&person, Umzug { von, nach: gemeinde, am: arrival }).await
                }
            }
            RegisterEvent::Birth { person, municipality, parents } => {
                let foreign = (!person.nationalities.is_empty() && !person.is_swiss())
                    || has_foreign_parent(self.txn, &parents).await?;
                match municipality {
                    Some(bfs) if foreign => {
                        let Some(gemeinde) = self.canton_gemeinde(position, "birth", bfs) else { return Ok(()) };
                        if let Some(child) = self.person_for(position, "birth", &person, gemeinde, None).await? {
                            crate::start_integration::fruehfoerderung::start_from_register(
                                self.txn,
                                child,
                                self.importer,
                                self.now,
                            )
                            .await?;
                            self.report.gespeichert += 1;
                        }
                        Ok(())
                    }
                    _ => self.count_known(&person).await,
                }
            }
            RegisterEvent::MoveOut { person, .. } => {
                if let Some(person_id) = linked_person(self.txn, &person).await? {
                    moved_away(self.txn, person_id).await?;
                    self.report.zugeordnet += 1;
                } else {
                    self.report.uebersprungen += 1;
                }
                Ok(())
            }
            RegisterEvent::Move { person, .. }
            | RegisterEvent::Death { person, .. }
            | RegisterEvent::Resident { person, .. } => self.count_known(&person).await,
            RegisterEvent::NotUsed { .. } => {
                self.report.uebersprungen += 1;
                Ok(())
            }
        }
    }

    /// Whether the importer answers for the Gemeinde of the event; refuses the event when not. Events without
    /// a Gemeinde and Gemeinden outside the canton are left to the event's own checks.
    fn importer_answers_for(&mut self, position: usize, event: &RegisterEvent) -> bool {
        let (kind, bfs) = match event {
            RegisterEvent::MoveIn { municipality, .. } => ("moveIn", Some(*municipality)),
            RegisterEvent::MoveOut { municipality, .. } => ("moveOut", Some(*municipality)),
            RegisterEvent::Move { municipality, .. } => ("move", Some(*municipality)),
            RegisterEvent::Birth { municipality, .. } => ("birth", *municipality),
            RegisterEvent::Resident { municipality, .. } => ("baseDelivery", *municipality),
            RegisterEvent::Death { .. } | RegisterEvent::NotUsed { .. } => return true,
        };
        let Some((gemeinden, gemeinde)) = self.gemeinden.as_ref().zip(bfs.and_then(BfsNr::known)) else {
            return true;
        };
        if gemeinden.contains(&gemeinde) {
            return true;
        }
        self.refuse(
            position,
            kind,
            "reportingMunicipality/municipalityId",
            format!(
                "Die Gemeinde {} (BFS-Nummer {}) gehört nicht zu Ihren Gemeinden: nur deren Ereignisse dürfen Sie importieren.",
                gemeinde.name(),
                gemeinde.get()
            ),
        );
        false
    }

    /// A move into a Gemeinde of the canton from elsewhere in Switzerland: matched or skipped like any event;
    /// for a known person with an open dossier kept by another Sozialregion, a transfer is proposed.
    async fn moved_in(&mut self, person: &RegisterPerson, umzug: Umzug) -> Result<(), StoreError> {
        let Some(person_id) = linked_person(self.txn, person).await? else {
            self.report.uebersprungen += 1;
            return Ok(());
        };
        self.report.zugeordnet += 1;
        let proposed =
            propose_transfer(self.txn, &self.directory, person_id, &umzug, self.lieferung_id, self.now).await?;
        self.report.umzugsvorschlaege += proposed;
        Ok(())
    }

    /// An event of a person we may know: matched and counted, or skipped.
    async fn count_known(&mut self, person: &RegisterPerson) -> Result<(), StoreError> {
        if linked_person(self.txn, person).await?.is_some() {
            self.report.zugeordnet += 1;
        } else {
            self.report.uebersprungen += 1;
        }
        Ok(())
    }

    /// The Gemeinde of the canton with this BFS number, or a refusal naming it.
    fn canton_gemeinde(&mut self, position: usize, kind: &str, bfs: u16) -> Option<BfsNr> {
        let gemeinde = BfsNr::known(bfs);
        if gemeinde.is_none() {
            self.refuse(
                position,
                kind,
                "reportingMunicipality/municipalityId",
                format!("Die Gemeinde mit BFS-Nummer {bfs} gehört nicht zum Kanton Solothurn."),
            );
        }
        gemeinde
    }

    fn refuse(&mut self, position: usize, kind: &str, field: &str, message: String) {
        self.report.abgelehnt.push(EventError { position, kind: kind.to_owned(), field: field.to_owned(), message });
    }

    /// An arrival from abroad: the person (matched or new) and the Neuzuzüger entry, once per arrival date.
    async fn neuzuzueger(
        &mut self,
        position: usize,
        person: &RegisterPerson,
        gemeinde: BfsNr,
        arrival: NaiveDate,
        country: Option<String>,
    ) -> Result<(), StoreError> {
        let entry = PartialDate::from_parts(arrival.year(), Some(arrival.month()), Some(arrival.day())).ok();
        let Some(person_id) = self.person_for(position, "moveIn", person, gemeinde, entry).await? else {
            return Ok(());
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
                lieferung_id: Set(self.lieferung_id),
                created_at: Set(self.now),
                eingeladen_am: Set(None),
                geaendert_at: Set(None),
                geaendert_von: Set(None),
            }
            .insert(self.txn)
            .await?;
        }
        self.report.gespeichert += 1;
        Ok(())
    }

    /// The Cockpit's person for a register person: by the register's number, by AHV number, or new (marked
    /// as a possible duplicate when name and date of birth match someone). `None` when the register's data
    /// cannot make a person (the refusal is recorded).
    async fn person_for(
        &mut self,
        position: usize,
        kind: &str,
        person: &RegisterPerson,
        gemeinde: BfsNr,
        einreise: Option<PartialDate>,
    ) -> Result<Option<i64>, StoreError> {
        if let Some(id) = linked_person(self.txn, person).await? {
            return Ok(Some(id));
        }
        if let Some(ahv) = &person.ahv {
            let same =
                person::Entity::find().filter(person::Column::AhvNummer.eq(ahv.to_string())).one(self.txn).await?;
            if let Some(existing) = same {
                link(self.txn, existing.id, person).await?;
                return Ok(Some(existing.id));
            }
        }
        let data = match person.to_person_data(gemeinde, einreise) {
            Ok(data) => data,
            Err((field, message)) => {
                self.refuse(position, kind, field, message);
                return Ok(None);
            }
        };
        let mut row = active_row(&data);
        row.version = Set(1);
        row.created_at = Set(self.now);
        row.created_by = Set(self.importer);
        row.updated_at = Set(self.now);
        row.updated_by = Set(self.importer);
        let created = row.insert(self.txn).await?;
        link(self.txn, created.id, person).await?;
        self.new_persons.push(created.id);
        self.report.neue_personen += 1;
        self.mark_possible_duplicates(&created).await?;
        Ok(Some(created.id))
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
                created_at: Set(self.now),
                entschieden_at: Set(None),
                entschieden_von: Set(None),
            }
            .insert(self.txn)
            .await?;
            self.report.moegliche_duplikate += 1;
        }
        Ok(())
    }

    /// Stores the counts and refusals with the delivery and writes the access-log entry.
    async fn finish(
        &mut self,
        lieferung: register_lieferung::Model,
        datei: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        for batch in self.report.abgelehnt.chunks(REFUSALS_PER_INSERT) {
            let rows = batch.iter().map(|refusal| register_ablehnung::ActiveModel {
                id: NotSet,
                lieferung_id: Set(lieferung.id),
                position: Set(count(refusal.position)),
                ereignis: Set(refusal.kind.clone()),
                feld: Set(refusal.field.clone()),
                meldung: Set(refusal.message.clone()),
            });
            register_ablehnung::Entity::insert_many(rows).exec(self.txn).await?;
        }
        let report = &self.report;
        let mut active: register_lieferung::ActiveModel = lieferung.into();
        active.gelesen = Set(count(report.gelesen));
        active.gespeichert = Set(count(report.gespeichert));
        active.zugeordnet = Set(count(report.zugeordnet));
        active.uebersprungen = Set(count(report.uebersprungen));
        active.abgelehnt = Set(count(report.abgelehnt.len()));
        active.update(self.txn).await?;
        let shown: Vec<String> = self.new_persons.iter().take(LOGGED_IDS).map(ToString::to_string).collect();
        let more = self.new_persons.len().saturating_sub(LOGGED_IDS);
        let more = if more > 0 { format!(" und {more} weitere") } else { String::new() };
        let entry = AuditEntry::of(actor, Action::Create, Resource::Person, None, Outcome::Allowed, self.now)
            .with_detail(format!(
                "eCH-0020-Import {} ({datei}): {} gespeichert, {} zugeordnet, {} übersprungen, {} abgelehnt, {} Umzugsvorschläge; neue Personen: {}{more}",
                report.message_id,
                report.gespeichert,
                report.zugeordnet,
                report.uebersprungen,
                report.abgelehnt.len(),
                report.umzugsvorschlaege,
                shown.join(",")
            ));
        insert_entry(self.txn, &entry).await
    }
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

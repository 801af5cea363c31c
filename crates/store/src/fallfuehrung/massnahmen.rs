//! Sprachstände, Teilnahmen and the Massnahmen catalogue.
//!
//! Changes to a dossier go through `begin_change`/`finish_change` like every other dossier change, so the
//! timeline event, the new status and the log entry are written in one transaction with the record. The
//! entry criteria are checked here, inside that transaction, against what the dossier holds (latest
//! Kurzassessment, Sprachstände, the person's age) and the catalogue version valid at that moment, so a
//! caller cannot book past them; only an actor with `Approve` on the dossier may, with a reason.
//!
//! The catalogue holds no personal data: everyone reads it without a check and without a log entry. Only
//! the Kanton changes it; each change stores the whole catalogue as the next version, so bookings keep the
//! version they were made under (ADR 0007).

use crate::audit::insert_entry;
use crate::entity::{dossier, massnahmen_katalog, sprachstand, teilnahme};
use crate::fallfuehrung::dossiers::{Dossier, DossierChange, user_names};
use crate::fallfuehrung::pendenzen::{OpenInScope, Pendenz, dossier_person_names};
use crate::guard::Guarded;
use crate::{Store, StoreError, begin_write, is_unique_violation};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::dossier::DossierEvent;
use iim_domain::massnahmen::{
    Anschluss, AnschlussArt, AnschlussInput, Buchung, BuchungInput, Ergebnis, Katalog, Massnahme, Teilnahme,
    TeilnahmeEnde, TeilnahmeEndeInput, Voraussetzungen, check_entry,
};
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::sprache::{Fertigkeit, Nachweis, Niveau, Sprachstand, aktueller_sprachstand};
use iim_domain::{Action, Actor, AuditEntry, FieldErrors, Outcome, Regel, Resource};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A participation with its record number (for the forms that end it and record its Anschluss).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeilnahmeEintrag {
    pub id: i64,
    pub teilnahme: Teilnahme,
    /// Who granted the exception from the entry criteria, if any.
    pub ausnahme_von: Option<String>,
}

/// One saved version of the catalogue, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KatalogVersion {
    pub version: i32,
    pub gueltig_ab: NaiveDate,
    pub gespeichert_am: DateTime<Utc>,
    /// Empty for the shipped catalogue.
    pub gespeichert_von: String,
    pub kommentar: String,
}

impl Store {
    /// Loads the shipped catalogue as version 1 if no version is stored yet (called by `migrate`).
    pub(crate) async fn seed_katalog(&self) -> Result<(), StoreError> {
        if massnahmen_katalog::Entity::find().one(&self.db).await?.is_some() {
            return Ok(());
        }
        let katalog = Katalog::ausgeliefert().map_err(|e| StoreError::Config(e.to_string()))?;
        let row = katalog_row(&katalog, self.clock.now(), None, "Ausgelieferter Katalog")?;
        match row.insert(&self.db).await {
            Err(error) if is_unique_violation(&error) => Ok(()),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    /// The catalogue valid now (its newest version). No personal data: no check, no log entry.
    pub async fn katalog(&self) -> Result<Katalog, StoreError> {
        current_katalog(&self.db).await
    }

    /// Every saved version, newest first.
    pub async fn katalog_versionen(&self) -> Result<Vec<KatalogVersion>, StoreError> {
        let rows =
            massnahmen_katalog::Entity::find().order_by_desc(massnahmen_katalog::Column::Version).all(&self.db).await?;
        let names = user_names(&self.db, rows.iter().filter_map(|row| row.gespeichert_von)).await?;
        Ok(rows
            .into_iter()
            .map(|row| KatalogVersion {
                version: row.version,
                gueltig_ab: row.gueltig_ab,
                gespeichert_am: row.gespeichert_am,
                gespeichert_von: row.gespeichert_von.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
                kommentar: row.kommentar,
            })
            .collect())
    }

    /// The Kanton adds (`neu`) or changes one measure; the whole catalogue is saved as the next version,
    /// valid from today, with the comment. Logged in the same transaction; a refusal is logged too.
    ///
    /// `basis` is the catalogue version the edit form was loaded with (`None`: no check). If the measure
    /// was changed in a later version, nothing is stored and the answer is [`StoreError::Changed`] with the
    /// current version; changes of other measures in between do not count.
    pub async fn save_massnahme(
        &self,
        actor: &Actor,
        massnahme: Massnahme,
        neu: bool,
        basis: Option<i32>,
        kommentar: &str,
    ) -> Result<Katalog, StoreError> {
        let code = massnahme.code.clone();
        if let Err(denied) = actor.scope_for(Resource::Massnahmenkatalog, Action::Update) {
            self.log_read(self.katalog_entry(actor, &code, Outcome::Denied).with_detail("Rolle ohne Berechtigung"))
                .await?;
            return Err(denied.into());
        }
        let kommentar = kommentar.trim();
        if kommentar.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::KatalogOhneKommentar));
        }
        let txn = begin_write(&self.db).await?;
        let aktuell = current_katalog(&txn).await?;
        if let Some(basis) = basis {
            check_measure_unchanged(&txn, &aktuell, &code, basis).await?;
        }
        let aktuelle_version = aktuell.version;
        let neuer = aktuell.mit_massnahme(massnahme, neu, self.clock.today()).map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        if let Err(error) = katalog_row(&neuer, now, Some(actor.user_id), kommentar)?.insert(&txn).await {
            // Two saves at once on PostgreSQL: both read the same newest version, the unique version decides.
            return Err(if is_unique_violation(&error) {
                StoreError::Changed { current_version: aktuelle_version + 1 }
            } else {
                error.into()
            });
        }
        let detail = format!("Katalogversion {}: {kommentar}", neuer.version);
        insert_entry(&txn, &self.katalog_entry(actor, &code, Outcome::Allowed).with_detail(detail)).await?;
        txn.commit().await?;
        Ok(neuer)
    }

    fn katalog_entry(&self, actor: &Actor, code: &str, outcome: Outcome) -> AuditEntry {
        AuditEntry::of(
            actor,
            Action::Update,
            Resource::Massnahmenkatalog,
            Some(code.to_owned()),
            outcome,
            self.clock.now(),
        )
    }

    /// Records a German level of the dossier's person.
    pub async fn record_sprachstand(&self, actor: &Actor, id: i64, stand: Sprachstand) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        sprachstand::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            datum: Set(stand.datum),
            fertigkeit: Set(stand.fertigkeit.code().to_owned()),
            niveau: Set(stand.niveau.code().to_owned()),
            nachweis: Set(stand.nachweis.code().to_owned()),
            bemerkung: Set(stand.bemerkung.clone()),
            created_at: Set(now),
            created_by: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        let summary = Some(format!("Deutsch {}", stand.beschrieb()));
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::SprachstandErfasst, summary, now).await
    }

    /// Books a measure of the current catalogue. Unmet entry criteria refuse the booking with one message
    /// each (`eintritt_1`, `eintritt_2` …), unless an actor with `Approve` on this dossier gives a reason for
    /// the exception; the reason and who gave it are stored and shown in the timeline.
    pub async fn book_massnahme(&self, actor: &Actor, id: i64, input: &BuchungInput) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let katalog = current_katalog(&txn).await?;
        let buchung = input.parse(&katalog).map_err(StoreError::Invalid)?;
        let reasons = self.entry_reasons(&txn, &row, &buchung).await?;
        let may_override = may_approve(&txn, actor, row.id).await?;
        let ausnahme = exception(may_override, &reasons, buchung.ausnahme.as_deref())?;
        let neu = Beteiligt { dossier_id: row.id, by: actor.user_id, now };
        let summary = insert_booking(&txn, &neu, &buchung, ausnahme, &reasons).await?;
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::MassnahmeGebucht, Some(summary), now)
            .await
    }

    /// The unmet entry criteria of the booked measure for this dossier's person, today.
    pub(crate) async fn entry_reasons(
        &self,
        txn: &DatabaseTransaction,
        row: &dossier::Model,
        buchung: &Buchung,
    ) -> Result<Vec<String>, StoreError> {
        let dossier = self.dossier_from_row(txn, row.clone()).await?;
        let person = Voraussetzungen {
            sprachstand: aktueller_sprachstand(&dossier.sprachstaende),
            kurzassessment: dossier.kurzassessment.as_ref(),
            alter: dossier.person.data.geburtsdatum.age_on(self.clock.today()),
            ausbildung: buchung.ausbildung,
        };
        Ok(check_entry(&buchung.massnahme, &person))
    }

    /// Ends a running participation: completed or broken off (with a reason), with attendance.
    pub async fn end_teilnahme(
        &self,
        actor: &Actor,
        id: i64,
        teilnahme_id: i64,
        input: &TeilnahmeEndeInput,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let stored = teilnahme_of_dossier(&txn, row.id, teilnahme_id).await?;
        if stored.ende.is_some() {
            return Err(StoreError::regel(FallfuehrungRegel::TeilnahmeBereitsBeendet));
        }
        let ende = input.parse(stored.beginn, self.clock.today()).map_err(StoreError::Invalid)?;
        let mut summary = format!(
            "{}: {} am {}, Anwesenheit {} %",
            stored.massnahme_titel,
            ende.ergebnis.label(),
            swiss(ende.ende),
            ende.anwesenheit
        );
        if !ende.abbruchgrund.is_empty() {
            summary.push_str(&format!(", Grund: {}", ende.abbruchgrund));
        }
        let mut active = stored.into_active_model();
        active.ende = Set(Some(ende.ende));
        active.anwesenheit = Set(Some(i32::from(ende.anwesenheit)));
        active.ergebnis = Set(Some(ende.ergebnis.code().to_owned()));
        active.abbruchgrund = Set(Some(ende.abbruchgrund).filter(|text| !text.is_empty()));
        active.update(&txn).await?;
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::TeilnahmeBeendet, Some(summary), now)
            .await
    }

    /// Records what follows an ended participation; a later entry replaces it (the timeline keeps both).
    /// A follow-up measure must be one the current catalogue allows after this measure.
    pub async fn record_anschluss(
        &self,
        actor: &Actor,
        id: i64,
        teilnahme_id: i64,
        input: &AnschlussInput,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let stored = teilnahme_of_dossier(&txn, row.id, teilnahme_id).await?;
        if stored.ende.is_none() {
            return Err(StoreError::regel(FallfuehrungRegel::TeilnahmeLaeuftNoch));
        }
        let katalog = current_katalog(&txn).await?;
        let folgen = katalog.folgemassnahmen(&stored.massnahme_code);
        let codes: Vec<String> = folgen.iter().map(|m| m.code.clone()).collect();
        let anschluss = input.parse(&codes).map_err(StoreError::Invalid)?;
        let mut summary = format!("{}: {}", stored.massnahme_titel, anschluss.art.label());
        if let Some(folge) = anschluss.massnahme.as_deref().and_then(|code| katalog.massnahme(code)) {
            summary.push_str(&format!(" – {}", folge.titel));
        }
        if !anschluss.text.is_empty() {
            summary.push_str(&format!(" ({})", anschluss.text));
        }
        let mut active = stored.into_active_model();
        active.anschluss = Set(Some(anschluss.art.code().to_owned()));
        active.anschluss_text = Set(Some(anschluss.text).filter(|text| !text.is_empty()));
        active.anschluss_massnahme = Set(anschluss.massnahme);
        active.update(&txn).await?;
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::AnschlussErfasst, Some(summary), now)
            .await
    }
}

/// «Kein Abschluss ohne Anschluss»: completed participations without Anschluss in the open dossiers
/// `in_scope`, the longest-waiting first, as worklist lines.
pub(crate) async fn without_anschluss(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
    limit: u64,
) -> Result<Vec<Pendenz>, StoreError> {
    let rows = completed_without_anschluss(in_scope)
        .order_by_asc(teilnahme::Column::Ende)
        .order_by_asc(teilnahme::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let names = dossier_person_names(db, rows.iter().map(|row| row.dossier_id)).await?;
    rows.into_iter()
        .map(|row| {
            let ende = row.ende.ok_or_else(|| StoreError::Corrupt(format!("Teilnahme {} ohne Ende", row.id)))?;
            Ok(Pendenz {
                dossier_id: row.dossier_id,
                person_name: names.get(&row.dossier_id).cloned().unwrap_or_default(),
                was: format!("{}: abgeschlossen, ohne Anschluss", row.massnahme_titel),
                seit: ende,
                ausnahmegesuch: None,
            })
        })
        .collect()
}

/// How many completed participations in the dossiers `in_scope` lack an Anschluss (start page).
pub(crate) async fn count_without_anschluss(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
) -> Result<u64, StoreError> {
    Ok(completed_without_anschluss(in_scope).count(db).await?)
}

fn completed_without_anschluss(in_scope: &OpenInScope) -> sea_orm::Select<teilnahme::Entity> {
    teilnahme::Entity::find()
        .filter(teilnahme::Column::Ergebnis.eq(Ergebnis::Abgeschlossen.code()))
        .filter(teilnahme::Column::Anschluss.is_null())
        .filter(in_scope.reaches(teilnahme::Column::DossierId))
}

/// Whether the actor may approve on this dossier: its roles allow approving, and the dossier is within
/// the reach of that permission.
async fn may_approve(txn: &DatabaseTransaction, actor: &Actor, dossier_id: i64) -> Result<bool, StoreError> {
    let Ok(scope) = actor.scope_for(Resource::Dossier, Action::Approve) else {
        return Ok(false);
    };
    let reached = dossier::Entity::find()
        .filter(dossier::Column::Id.eq(dossier_id))
        .filter(<dossier::Entity as Guarded>::reach(actor, scope))
        .count(txn)
        .await?;
    Ok(reached > 0)
}

/// Stores the participation of `buchung`, by `neu.by`, and returns the timeline summary. `ausnahme` is the
/// reason the unmet criteria `reasons` were passed with; `neu.by` granted it.
pub(crate) async fn insert_booking(
    txn: &DatabaseTransaction,
    neu: &Beteiligt,
    buchung: &Buchung,
    ausnahme: Option<String>,
    reasons: &[String],
) -> Result<String, StoreError> {
    teilnahme::ActiveModel {
        anbieter: Set(buchung.anbieter.clone()),
        geplantes_ende: Set(buchung.geplantes_ende),
        ausnahme_begruendung: Set(ausnahme.clone()),
        ausnahme_von: Set(ausnahme.as_ref().map(|_| neu.by)),
        ..running_participation(neu, &buchung.massnahme, buchung.katalog_version, buchung.beginn)
    }
    .insert(txn)
    .await?;
    let mut summary =
        format!("{} ({}), Beginn {}", buchung.massnahme.titel, buchung.massnahme.code, swiss(buchung.beginn));
    if let Some(reason) = &ausnahme {
        summary.push_str(&format!(". Ausnahme von den Eintrittskriterien: {reason} ({})", reasons.join(" ")));
    }
    Ok(summary)
}

/// Unmet criteria pass only with a reason from an actor who may approve on this dossier.
pub(crate) fn exception(
    may_override: bool,
    reasons: &[String],
    begruendung: Option<&str>,
) -> Result<Option<String>, StoreError> {
    if reasons.is_empty() {
        return Ok(None);
    }
    if let (true, Some(reason)) = (may_override, begruendung) {
        return Ok(Some(reason.to_owned()));
    }
    let mut errors = criteria_errors(reasons);
    let ausnahme = if may_override {
        Some(FallfuehrungRegel::AusnahmeOhneBegruendung)
    } else {
        begruendung.map(|_| FallfuehrungRegel::AusnahmeNurLeitung)
    };
    if let Some(regel) = ausnahme {
        errors.add(regel.feld(), regel.to_string());
    }
    Err(StoreError::Invalid(errors))
}

/// The unmet entry criteria as one message each, `eintritt_1`, `eintritt_2` …
pub(crate) fn criteria_errors(reasons: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for (index, reason) in reasons.iter().enumerate() {
        errors.add_owned(format!("eintritt_{}", index + 1), reason.clone());
    }
    errors
}

/// Refuses an edit based on catalogue version `basis` when the measure `code` has changed since.
async fn check_measure_unchanged(
    txn: &DatabaseTransaction,
    aktuell: &Katalog,
    code: &str,
    basis: i32,
) -> Result<(), StoreError> {
    if aktuell.version == basis {
        return Ok(());
    }
    let row = massnahmen_katalog::Entity::find()
        .filter(massnahmen_katalog::Column::Version.eq(basis))
        .one(txn)
        .await?
        .ok_or(StoreError::Changed { current_version: aktuell.version })?;
    let damals =
        Katalog::from_toml(&row.inhalt).map_err(|e| StoreError::Corrupt(format!("Katalogversion {basis}: {e}")))?;
    if damals.massnahme(code) == aktuell.massnahme(code) {
        Ok(())
    } else {
        Err(StoreError::Changed { current_version: aktuell.version })
    }
}

fn katalog_row(
    katalog: &Katalog,
    at: DateTime<Utc>,
    by: Option<i64>,
    kommentar: &str,
) -> Result<massnahmen_katalog::ActiveModel, StoreError> {
    Ok(massnahmen_katalog::ActiveModel {
        id: NotSet,
        version: Set(katalog.version),
        gueltig_ab: Set(katalog.gueltig_ab),
        inhalt: Set(katalog.to_toml().map_err(|e| StoreError::Corrupt(e.to_string()))?),
        gespeichert_am: Set(at),
        gespeichert_von: Set(by),
        kommentar: Set(kommentar.to_owned()),
    })
}

/// The newest stored version; its number is the row's.
pub(crate) async fn current_katalog(db: &impl ConnectionTrait) -> Result<Katalog, StoreError> {
    let row = massnahmen_katalog::Entity::find()
        .order_by_desc(massnahmen_katalog::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| {
            StoreError::Config("Kein Massnahmenkatalog gespeichert: bitte `iim migrate` ausführen.".to_owned())
        })?;
    let mut katalog = Katalog::from_toml(&row.inhalt)
        .map_err(|e| StoreError::Corrupt(format!("Katalogversion {}: {e}", row.version)))?;
    katalog.version = row.version;
    Ok(katalog)
}

async fn teilnahme_of_dossier(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    teilnahme_id: i64,
) -> Result<teilnahme::Model, StoreError> {
    teilnahme::Entity::find_by_id(teilnahme_id)
        .filter(teilnahme::Column::DossierId.eq(dossier_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The dossier's German levels, oldest first (the order `aktueller_sprachstand` expects).
pub(crate) async fn sprachstaende_of(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Vec<Sprachstand>, StoreError> {
    let rows = sprachstand::Entity::find()
        .filter(sprachstand::Column::DossierId.eq(dossier_id))
        .order_by_asc(sprachstand::Column::Datum)
        .order_by_asc(sprachstand::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let corrupt = || StoreError::Corrupt(format!("Sprachstand {}", row.id));
            Ok(Sprachstand {
                datum: row.datum,
                fertigkeit: Fertigkeit::from_code(&row.fertigkeit).ok_or_else(corrupt)?,
                niveau: Niveau::from_code(&row.niveau).ok_or_else(corrupt)?,
                nachweis: Nachweis::from_code(&row.nachweis).ok_or_else(corrupt)?,
                bemerkung: row.bemerkung.clone(),
            })
        })
        .collect()
}

/// The dossier's participations, the latest start first.
pub(crate) async fn teilnahmen_of(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Vec<TeilnahmeEintrag>, StoreError> {
    let rows = teilnahme::Entity::find()
        .filter(teilnahme::Column::DossierId.eq(dossier_id))
        .order_by_desc(teilnahme::Column::Beginn)
        .order_by_desc(teilnahme::Column::Id)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().filter_map(|row| row.ausnahme_von)).await?;
    rows.into_iter()
        .map(|row| {
            let ausnahme_von = row.ausnahme_von.and_then(|id| names.get(&id).cloned());
            Ok(TeilnahmeEintrag { id: row.id, ausnahme_von, teilnahme: teilnahme_from_row(row)? })
        })
        .collect()
}

fn teilnahme_from_row(row: teilnahme::Model) -> Result<Teilnahme, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("Teilnahme {}", row.id));
    let ende = match (row.ende, row.anwesenheit, row.ergebnis.as_deref()) {
        (Some(ende), Some(anwesenheit), Some(ergebnis)) => Some(TeilnahmeEnde {
            ende,
            anwesenheit: u8::try_from(anwesenheit).map_err(|_| corrupt())?,
            ergebnis: Ergebnis::from_code(ergebnis).ok_or_else(corrupt)?,
            abbruchgrund: row.abbruchgrund.clone().unwrap_or_default(),
        }),
        (None, None, None) => None,
        _ => return Err(corrupt()),
    };
    let anschluss = match row.anschluss.as_deref() {
        Some(art) => Some(Anschluss {
            art: AnschlussArt::from_code(art).ok_or_else(corrupt)?,
            text: row.anschluss_text.clone().unwrap_or_default(),
            massnahme: row.anschluss_massnahme.clone(),
        }),
        None => None,
    };
    Ok(Teilnahme {
        massnahme_code: row.massnahme_code,
        massnahme_titel: row.massnahme_titel,
        katalog_version: row.katalog_version,
        anbieter: row.anbieter,
        beginn: row.beginn,
        geplantes_ende: row.geplantes_ende,
        ende,
        anschluss,
        ausnahme: row.ausnahme_begruendung,
    })
}

pub(crate) fn swiss(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// Who starts a participation, in which dossier and when.
pub(crate) struct Beteiligt {
    pub(crate) dossier_id: i64,
    pub(crate) by: i64,
    pub(crate) now: DateTime<Utc>,
}

/// A participation in `massnahme` from `beginn`, running (no end, result or follow-up yet), with the measure's
/// own provider, no planned end and no exception; a booking sets what it knows beyond that.
pub(crate) fn running_participation(
    neu: &Beteiligt,
    massnahme: &Massnahme,
    katalog_version: i32,
    beginn: NaiveDate,
) -> teilnahme::ActiveModel {
    teilnahme::ActiveModel {
        id: NotSet,
        dossier_id: Set(neu.dossier_id),
        massnahme_code: Set(massnahme.code.clone()),
        massnahme_titel: Set(massnahme.titel.clone()),
        katalog_version: Set(katalog_version),
        anbieter: Set(massnahme.anbieter.clone()),
        beginn: Set(beginn),
        geplantes_ende: Set(None),
        ende: Set(None),
        anwesenheit: Set(None),
        ergebnis: Set(None),
        abbruchgrund: Set(None),
        anschluss: Set(None),
        anschluss_text: Set(None),
        anschluss_massnahme: Set(None),
        ausnahme_begruendung: Set(None),
        ausnahme_von: Set(None),
        created_at: Set(neu.now),
        created_by: Set(neu.by),
    }
}

//! Exception requests (Ausnahmegesuche, issue 12): when a measure's entry criteria refuse a case worker's
//! booking, the case worker asks the Leitung of the Stelle for an exception, with a reason. The request keeps
//! the booking as entered and the criteria unmet at that moment; the Leitung approves (the measure is then
//! booked through the same path as a direct booking, with both reasons as the exception) or refuses, always
//! with a reason the case worker reads on the dossier.
//!
//! Both steps are dossier changes (`begin_change`/`finish_change`: timeline event, log entry, one
//! transaction). The decision needs `Approve` on the dossier, so only a Leitung whose reach holds the dossier
//! decides; it sets the status with a conditional `UPDATE … WHERE status = 'offen'` and counts the rows, so
//! of two decisions at once exactly one wins and the other is told the request was decided.

use crate::entity::ausnahmegesuch;
use crate::fallfuehrung::dossiers::{Dossier, DossierChange, user_names};
use crate::fallfuehrung::massnahmen::{Beteiligt, criteria_errors, current_katalog, exception, insert_booking, swiss};
use crate::fallfuehrung::pendenzen::{OpenInScope, Pendenz, dossier_person_names};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::dossier::DossierEvent;
use iim_domain::massnahmen::{BuchungInput, ausnahme_begruendung};
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, FieldErrors, Regel};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

const OFFEN: &str = "offen";
const BEWILLIGT: &str = "bewilligt";
const ABGELEHNT: &str = "abgelehnt";

/// How many decided requests the dossier shows besides the open ones (the timeline keeps them all).
const DECIDED_SHOWN: u64 = 10;

/// A request for an exception from the entry criteria, as the dossier shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ausnahmegesuch {
    pub id: i64,
    /// «Titel (CODE)».
    pub massnahme: String,
    /// The provider as entered; empty: the measure's usual one.
    pub anbieter: String,
    pub beginn: NaiveDate,
    pub geplantes_ende: Option<NaiveDate>,
    /// The entry criteria unmet when asked.
    pub kriterien: Vec<String>,
    pub begruendung: String,
    pub beantragt_von: String,
    pub beantragt_am: DateTime<Utc>,
    /// `None` while the request waits for the Leitung.
    pub entscheid: Option<AusnahmeEntscheid>,
}

/// The Leitung's decision on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AusnahmeEntscheid {
    pub bewilligt: bool,
    pub von: String,
    pub am: DateTime<Utc>,
    pub begruendung: String,
}

impl Store {
    /// A case worker asks the Leitung for an exception: the booking `input` (its `ausnahme` unused) must be
    /// refused by the entry criteria now, and `begruendung` says why the exception is needed. Every refusal keeps the unmet
    /// criteria (`eintritt_1` …) beside its own message, so the form shows both again.
    pub async fn request_ausnahme(
        &self,
        actor: &Actor,
        id: i64,
        input: &BuchungInput,
        begruendung: &str,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let katalog = current_katalog(&txn).await?;
        let buchung = input.parse(&katalog).map_err(StoreError::Invalid)?;
        let reasons = self.entry_reasons(&txn, &row, &buchung).await?;
        if reasons.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::AusnahmeNichtNoetig));
        }
        let refused = |extra: FieldErrors| {
            let mut errors = criteria_errors(&reasons);
            extra.iter().for_each(|(field, message)| errors.add_owned(field.to_owned(), message));
            StoreError::Invalid(errors)
        };
        let begruendung = ausnahme_begruendung("gesuch_begruendung", begruendung).map_err(refused)?;
        if begruendung.is_empty() {
            return Err(refused(FallfuehrungRegel::AusnahmegesuchOhneBegruendung.als_feldfehler()));
        }
        if open_request_for(&txn, row.id, &buchung.massnahme.code).await? {
            return Err(refused(FallfuehrungRegel::AusnahmegesuchBereitsOffen.als_feldfehler()));
        }
        ausnahmegesuch::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            massnahme_code: Set(buchung.massnahme.code.clone()),
            massnahme_titel: Set(buchung.massnahme.titel.clone()),
            katalog_version: Set(buchung.katalog_version),
            anbieter: Set(input.anbieter.trim().to_owned()),
            beginn: Set(buchung.beginn),
            geplantes_ende: Set(buchung.geplantes_ende),
            ausbildung: Set(buchung.ausbildung.map(|a| a.code().to_owned())),
            kriterien: Set(reasons.join("\n")),
            begruendung: Set(begruendung.clone()),
            status: Set(OFFEN.to_owned()),
            beantragt_at: Set(now),
            beantragt_by: Set(actor.user_id),
            entschieden_at: Set(None),
            entschieden_by: Set(None),
            entscheid_begruendung: Set(None),
        }
        .insert(&txn)
        .await?;
        let summary = format!("{} ({}): {begruendung}", buchung.massnahme.titel, buchung.massnahme.code);
        let active = row.into_active_model();
        self.finish_change(&guard, txn, active, DossierEvent::AusnahmeBeantragt, Some(summary), now).await
    }

    /// The Leitung decides request `gesuch_id` of dossier `id`, with a reason either way. Approving books the
    /// measure as asked, through the booking path, with both reasons as the exception; a measure no longer
    /// bookable refuses the approval and leaves the request open.
    pub async fn decide_ausnahme(
        &self,
        actor: &Actor,
        id: i64,
        gesuch_id: i64,
        bewilligen: bool,
        begruendung: &str,
    ) -> Result<Dossier, StoreError> {
        let begruendung = ausnahme_begruendung("begruendung", begruendung).map_err(StoreError::Invalid)?;
        if begruendung.is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::AusnahmeEntscheidOhneBegruendung));
        }
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Approve, false).await?;
        let gesuch = ausnahmegesuch::Entity::find_by_id(gesuch_id)
            .filter(ausnahmegesuch::Column::DossierId.eq(row.id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = if bewilligen { BEWILLIGT } else { ABGELEHNT };
        let decided = ausnahmegesuch::Entity::update_many()
            .col_expr(ausnahmegesuch::Column::Status, Expr::value(status))
            .col_expr(ausnahmegesuch::Column::EntschiedenAt, Expr::value(now))
            .col_expr(ausnahmegesuch::Column::EntschiedenBy, Expr::value(actor.user_id))
            .col_expr(ausnahmegesuch::Column::EntscheidBegruendung, Expr::value(begruendung.clone()))
            .filter(ausnahmegesuch::Column::Id.eq(gesuch.id))
            .filter(ausnahmegesuch::Column::Status.eq(OFFEN))
            .exec(&txn)
            .await?;
        if decided.rows_affected == 0 {
            return Err(StoreError::regel(FallfuehrungRegel::AusnahmegesuchBereitsEntschieden));
        }
        let (event, summary) = if bewilligen {
            let katalog = current_katalog(&txn).await?;
            let ausnahme = format!("{begruendung} (Gesuch der Fallführung: {})", gesuch.begruendung);
            let buchung = booking_of(&gesuch, ausnahme).parse(&katalog).map_err(StoreError::Invalid)?;
            let reasons = self.entry_reasons(&txn, &row, &buchung).await?;
            let ausnahme = exception(true, &reasons, buchung.ausnahme.as_deref())?;
            let neu = Beteiligt { dossier_id: row.id, by: actor.user_id, now };
            (DossierEvent::MassnahmeGebucht, insert_booking(&txn, &neu, &buchung, ausnahme, &reasons).await?)
        } else {
            let summary = format!("{} ({}): {begruendung}", gesuch.massnahme_titel, gesuch.massnahme_code);
            (DossierEvent::AusnahmeAbgelehnt, summary)
        };
        self.finish_change(&guard, txn, row.into_active_model(), event, Some(summary), now).await
    }
}

/// The booking a request asked for, as the booking form would have sent it, with `ausnahme` as the reason.
fn booking_of(gesuch: &ausnahmegesuch::Model, ausnahme: String) -> BuchungInput {
    BuchungInput {
        massnahme: gesuch.massnahme_code.clone(),
        anbieter: gesuch.anbieter.clone(),
        beginn: swiss(gesuch.beginn),
        geplantes_ende: gesuch.geplantes_ende.map(swiss).unwrap_or_default(),
        ausbildung: gesuch.ausbildung.clone().unwrap_or_default(),
        ausnahme,
    }
}

async fn open_request_for(db: &impl ConnectionTrait, dossier_id: i64, code: &str) -> Result<bool, StoreError> {
    let open = ausnahmegesuch::Entity::find()
        .filter(ausnahmegesuch::Column::DossierId.eq(dossier_id))
        .filter(ausnahmegesuch::Column::Status.eq(OFFEN))
        .filter(ausnahmegesuch::Column::MassnahmeCode.eq(code))
        .count(db)
        .await?;
    Ok(open > 0)
}

/// The dossier's open requests and the latest decided ones, newest first, for the dossier page.
pub(crate) async fn requests_of(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<Ausnahmegesuch>, StoreError> {
    let of_dossier = || {
        ausnahmegesuch::Entity::find()
            .filter(ausnahmegesuch::Column::DossierId.eq(dossier_id))
            .order_by_desc(ausnahmegesuch::Column::Id)
    };
    let mut rows = of_dossier().filter(ausnahmegesuch::Column::Status.eq(OFFEN)).all(db).await?;
    rows.extend(of_dossier().filter(ausnahmegesuch::Column::Status.ne(OFFEN)).limit(DECIDED_SHOWN).all(db).await?);
    rows.sort_by_key(|row| std::cmp::Reverse(row.id));
    let people: Vec<i64> = rows.iter().flat_map(|row| [Some(row.beantragt_by), row.entschieden_by]).flatten().collect();
    let names = user_names(db, people.into_iter()).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    rows.into_iter()
        .map(|row| {
            let entscheid = match (row.status.as_str(), row.entschieden_by, row.entschieden_at) {
                (OFFEN, _, _) => None,
                (status @ (BEWILLIGT | ABGELEHNT), Some(by), Some(am)) => Some(AusnahmeEntscheid {
                    bewilligt: status == BEWILLIGT,
                    von: name(by),
                    am,
                    begruendung: row.entscheid_begruendung.clone().unwrap_or_default(),
                }),
                _ => return Err(StoreError::Corrupt(format!("Ausnahmegesuch {}", row.id))),
            };
            Ok(Ausnahmegesuch {
                id: row.id,
                massnahme: format!("{} ({})", row.massnahme_titel, row.massnahme_code),
                anbieter: row.anbieter,
                beginn: row.beginn,
                geplantes_ende: row.geplantes_ende,
                kriterien: row.kriterien.lines().map(str::to_owned).collect(),
                begruendung: row.begruendung,
                beantragt_von: name(row.beantragt_by),
                beantragt_am: row.beantragt_at,
                entscheid,
            })
        })
        .collect()
}

/// Open requests in the open dossiers `in_scope`, the oldest first, as worklist lines for the Leitung.
pub(crate) async fn open_requests_in(
    db: &impl ConnectionTrait,
    in_scope: &OpenInScope,
    limit: u64,
) -> Result<Vec<Pendenz>, StoreError> {
    let rows = ausnahmegesuch::Entity::find()
        .filter(ausnahmegesuch::Column::Status.eq(OFFEN))
        .filter(in_scope.reaches(ausnahmegesuch::Column::DossierId))
        .order_by_asc(ausnahmegesuch::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let names = dossier_person_names(db, rows.iter().map(|row| row.dossier_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| Pendenz {
            dossier_id: row.dossier_id,
            person_name: names.get(&row.dossier_id).cloned().unwrap_or_default(),
            was: format!("Ausnahme für «{}» beantragt", row.massnahme_titel),
            seit: row.beantragt_at.date_naive(),
            ausnahmegesuch: Some(row.id),
        })
        .collect())
}

/// How many requests wait in the open dossiers `in_scope` (start page).
pub(crate) async fn count_open_requests(db: &impl ConnectionTrait, in_scope: &OpenInScope) -> Result<u64, StoreError> {
    Ok(ausnahmegesuch::Entity::find()
        .filter(ausnahmegesuch::Column::Status.eq(OFFEN))
        .filter(in_scope.reaches(ausnahmegesuch::Column::DossierId))
        .count(db)
        .await?)
}

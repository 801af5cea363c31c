//! The Personenregister, guarded: every method takes the [`Actor`], asks the permission matrix, limits
//! the records to the actor's scope (by Wohngemeinde) and writes the access log. Records outside the scope
//! look exactly like records that do not exist.

use crate::audit::{export_detail, search_note};
use crate::entity::{person, user};
use crate::{Page, PageWindow, Store, StoreError, is_unique_violation};
use chrono::{DateTime, Utc};
use iim_domain::person::{Choice, fold_for_search};
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor, BfsNr, PartialDate, PersonData, PersonInput, Scope};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

/// A stored person with its history stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub data: PersonData,
    /// Optimistic-concurrency version: an edit must name the version it started from.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// One line of the register list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSummary {
    pub id: i64,
    pub data: PersonData,
}

/// Search and pagination of the register list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonQuery {
    /// Words that must all occur in name or AHV number (case, umlauts and accents ignored).
    pub text: String,
    pub page: u64,
    pub per_page: u64,
}

pub const MAX_PER_PAGE: u64 = 200;
/// Largest number of persons in one export file.
pub const MAX_EXPORT_ROWS: u64 = 50_000;

impl Store {
    /// Lists persons within the actor's scope, filtered by the search words, sorted by name.
    pub async fn list_persons(&self, actor: &Actor, query: &PersonQuery) -> Result<Page<PersonSummary>, StoreError> {
        let guard = self.guard::<person::Entity>(actor, Action::Read, None).await?;
        let select = search(guard.select(), &query.text);
        let window = PageWindow::new(query.page, query.per_page, MAX_PER_PAGE);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select
            .order_by_asc(person::Column::Nachname)
            .order_by_asc(person::Column::Vornamen)
            .order_by_asc(person::Column::Id)
            .offset(window.offset())
            .limit(per_page)
            .all(&self.db)
            .await?;
        let items = summaries(rows, self.clock.today())?;
        let shown: Vec<String> = items.iter().map(|p| p.id.to_string()).collect();
        let detail = format!("Liste, {}, Seite {page}, angezeigt: {}", search_note(&query.text), shown.join(","));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// All persons matching the search within the actor's scope (up to `MAX_EXPORT_ROWS`), for an export.
    /// Logged as one read with the number of persons exported.
    pub async fn export_persons(&self, actor: &Actor, text: &str) -> Result<Vec<PersonSummary>, StoreError> {
        let guard = self.guard::<person::Entity>(actor, Action::Read, None).await?;
        let rows = search(guard.select(), text)
            .order_by_asc(person::Column::Nachname)
            .order_by_asc(person::Column::Vornamen)
            .order_by_asc(person::Column::Id)
            .limit(MAX_EXPORT_ROWS)
            .all(&self.db)
            .await?;
        let items = summaries(rows, self.clock.today())?;
        let what = format!("Export, {}", search_note(text));
        let detail = export_detail(&what, ("Person", "Personen"), items.iter().map(|p| p.id));
        guard.logged(None, Some(detail), items).await
    }

    /// One person, if within the actor's scope. Reading is logged, and so is an attempt outside the scope.
    pub async fn get_person(&self, actor: &Actor, id: i64) -> Result<Person, StoreError> {
        let guard = self.guard::<person::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let person = self.person_from_row(&self.db, row).await?;
        guard.logged(Some(id), None, person).await
    }

    /// Registers a person living in a Gemeinde of the actor's scope. Person and log entry are stored in one
    /// transaction.
    pub async fn create_person(&self, actor: &Actor, data: PersonData) -> Result<Person, StoreError> {
        let txn = crate::begin_write(&self.db).await?;
        let person = self.insert_person(&txn, actor, data).await?;
        txn.commit().await?;
        Ok(person)
    }

    /// Creates a person inside the caller's transaction (checked and logged as by [`Store::create_person`]),
    /// for changes that register a person and build on it in one transaction.
    pub(crate) async fn insert_person(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        actor: &Actor,
        data: PersonData,
    ) -> Result<Person, StoreError> {
        let guard = self.guard::<person::Entity>(actor, Action::Create, None).await?;
        check_wohngemeinde(actor, guard.scope(), data.wohngemeinde)?;
        let now = self.clock.now();
        check_ahv_unique(txn, &data, None).await?;
        let mut row = active_row(&data);
        row.id = NotSet;
        row.version = Set(1);
        row.created_at = Set(now);
        row.created_by = Set(actor.user_id);
        row.updated_at = Set(now);
        row.updated_by = Set(actor.user_id);
        let inserted = row.insert(txn).await.map_err(ahv_conflict)?;
        guard.log_change(txn, inserted.id, None).await?;
        self.person_from_row(txn, inserted).await
    }

    /// Changes a person. `expected_version` is the version the caller's form was based on: if someone else
    /// saved in between, nothing is stored and [`StoreError::Stale`] carries the current state.
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i32,
        data: PersonData,
    ) -> Result<Person, StoreError> {
        let guard = self.guard::<person::Entity>(actor, Action::Update, Some(id)).await?;
        let now = self.clock.now();
        let txn = crate::begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let current = self.person_from_row(&txn, row).await?;
        if current.version != expected_version {
            return Err(StoreError::Stale(Box::new(current)));
        }
        let changed = changed_fields(&current.data, &data);
        if changed.is_empty() {
            return Ok(current);
        }
        check_wohngemeinde(actor, guard.scope(), data.wohngemeinde)?;
        check_ahv_unique(&txn, &data, Some(id)).await?;
        let mut row = active_row(&data);
        row.version = Set(expected_version + 1);
        row.updated_at = Set(now);
        row.updated_by = Set(actor.user_id);
        let updated = person::Entity::update_many()
            .set(row)
            .filter(person::Column::Id.eq(id))
            .filter(person::Column::Version.eq(expected_version))
            .exec(&txn)
            .await
            .map_err(ahv_conflict)?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Stale(Box::new(current)));
        }
        guard.log_change(&txn, id, Some(format!("geändert: {}", changed.join(", ")))).await?;
        let row = person::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let person = self.person_from_row(&txn, row).await?;
        txn.commit().await?;
        Ok(person)
    }

    async fn person_from_row(&self, db: &impl ConnectionTrait, row: person::Model) -> Result<Person, StoreError> {
        let names = user_names(db, &[row.created_by, row.updated_by]).await?;
        let name_of = |id: i64| names.iter().find(|(uid, _)| *uid == id).map(|(_, n)| n.clone()).unwrap_or_default();
        Ok(Person {
            id: row.id,
            data: person_data(&row, self.clock.today())?,
            version: row.version,
            created_at: row.created_at,
            created_by: name_of(row.created_by),
            updated_at: row.updated_at,
            updated_by: name_of(row.updated_by),
        })
    }
}

fn summaries(rows: Vec<person::Model>, today: chrono::NaiveDate) -> Result<Vec<PersonSummary>, StoreError> {
    rows.into_iter().map(|row| Ok(PersonSummary { id: row.id, data: person_data(&row, today)? })).collect()
}

/// Every search word must occur in the folded names or the AHV number. A query of signs only («%», «-»)
/// finds nobody rather than everybody.
fn search(mut select: Select<person::Entity>, text: &str) -> Select<person::Entity> {
    let folded = fold_for_search(text);
    if folded.is_empty() && !text.trim().is_empty() {
        return select.filter(person::Column::Id.lt(0));
    }
    for word in folded.split_whitespace() {
        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        select = select.filter(person::Column::SearchText.like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    select
}

fn check_wohngemeinde(actor: &Actor, scope: Scope, gemeinde: BfsNr) -> Result<(), StoreError> {
    if actor.reaches_gemeinde(scope, gemeinde) {
        return Ok(());
    }
    Err(StoreError::regel(FallfuehrungRegel::WohngemeindeAusserhalb(gemeinde)))
}

async fn check_ahv_unique(db: &impl ConnectionTrait, data: &PersonData, own_id: Option<i64>) -> Result<(), StoreError> {
    let Some(ahv) = &data.ahv_nummer else { return Ok(()) };
    let mut select = person::Entity::find().filter(person::Column::AhvNummer.eq(ahv.to_string()));
    if let Some(id) = own_id {
        select = select.filter(person::Column::Id.ne(id));
    }
    if select.count(db).await? > 0 {
        return Err(ahv_taken());
    }
    Ok(())
}

fn ahv_taken() -> StoreError {
    StoreError::regel(FallfuehrungRegel::AhvNummerVergeben)
}

/// A unique violation can only come from the AHV number (a concurrent insert passed the check too).
pub(crate) fn ahv_conflict(error: sea_orm::DbErr) -> StoreError {
    if is_unique_violation(&error) { ahv_taken() } else { error.into() }
}

pub(crate) fn active_row(data: &PersonData) -> person::ActiveModel {
    let birth = data.geburtsdatum;
    let entry = data.einreisedatum;
    let part = |value: Option<u32>| value.map(|v| v as i32);
    person::ActiveModel {
        id: NotSet,
        nachname: Set(data.nachname.as_str().to_owned()),
        vornamen: Set(data.vornamen.as_str().to_owned()),
        search_text: Set(data.search_text()),
        geschlecht: Set(data.geschlecht.code().to_owned()),
        geburtsjahr: Set(birth.year()),
        geburtsmonat: Set(part(birth.month())),
        geburtstag: Set(part(birth.day())),
        nationalitaet: Set(data.nationalitaet.code().to_owned()),
        aufenthaltsstatus: Set(data.aufenthaltsstatus.code().to_owned()),
        ahv_nummer: Set(data.ahv_nummer.as_ref().map(ToString::to_string)),
        einreisejahr: Set(entry.map(PartialDate::year)),
        einreisemonat: Set(entry.and_then(|d| part(d.month()))),
        einreisetag: Set(entry.and_then(|d| part(d.day()))),
        sprachen: Set(data.sprachen.join(",")),
        wohngemeinde_bfs: Set(i32::from(data.wohngemeinde.get())),
        version: NotSet,
        created_at: NotSet,
        created_by: NotSet,
        updated_at: NotSet,
        updated_by: NotSet,
    }
}

/// Stored rows pass through the same parser as input, so a row that no longer satisfies the rules is
/// reported instead of shown half-valid.
pub(crate) fn person_data(row: &person::Model, today: chrono::NaiveDate) -> Result<PersonData, StoreError> {
    let date = |year: Option<i32>, month: Option<i32>, day: Option<i32>| -> String {
        year.and_then(|y| PartialDate::from_parts(y, month.map(|m| m as u32), day.map(|d| d as u32)).ok())
            .map(PartialDate::to_iso)
            .unwrap_or_default()
    };
    let input = PersonInput {
        nachname: row.nachname.clone(),
        vornamen: row.vornamen.clone(),
        geschlecht: row.geschlecht.clone(),
        geburtsdatum: date(Some(row.geburtsjahr), row.geburtsmonat, row.geburtstag),
        nationalitaet: row.nationalitaet.clone(),
        aufenthaltsstatus: row.aufenthaltsstatus.clone(),
        ahv_nummer: row.ahv_nummer.clone().unwrap_or_default(),
        einreisedatum: date(row.einreisejahr, row.einreisemonat, row.einreisetag),
        sprachen: row.sprachen.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        wohngemeinde_bfs: row.wohngemeinde_bfs.to_string(),
    };
    input.parse(today).map_err(|errors| {
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
        StoreError::Corrupt(format!("Person {}: Felder {}", row.id, fields.join(", ")))
    })
}

/// Names of the fields that differ, for the log (names only: the values are personal data).
fn changed_fields(old: &PersonData, new: &PersonData) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut compare = |field: &'static str, differs: bool| {
        if differs {
            changed.push(field);
        }
    };
    compare("nachname", old.nachname != new.nachname);
    compare("vornamen", old.vornamen != new.vornamen);
    compare("geschlecht", old.geschlecht != new.geschlecht);
    compare("geburtsdatum", old.geburtsdatum != new.geburtsdatum);
    compare("nationalitaet", old.nationalitaet != new.nationalitaet);
    compare("aufenthaltsstatus", old.aufenthaltsstatus != new.aufenthaltsstatus);
    compare("ahv_nummer", old.ahv_nummer != new.ahv_nummer);
    compare("einreisedatum", old.einreisedatum != new.einreisedatum);
    compare("sprachen", old.sprachen != new.sprachen);
    compare("wohngemeinde_bfs", old.wohngemeinde != new.wohngemeinde);
    changed
}

async fn user_names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?;
    Ok(rows)
}

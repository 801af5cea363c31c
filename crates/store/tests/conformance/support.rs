//! Helpers named after what a test does: start a store on a fresh database, add users of the canton's
//! organisations and log them in, register persons, let time pass, read the access log.
//!
//! Every `TestStore` owns its own scratch database (a SQLite file, or a PostgreSQL database when
//! `IIM_TEST_POSTGRES_URL` is set), so tests share nothing and run in parallel.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use iim_domain::{Actor, Ahvn13, Clock, FieldErrors, PersonData, PersonInput, Role};
use iim_store::scratch::ScratchDatabase;
use iim_store::{
    AuditQuery, AuditRecord, NewUser, Person, PersonQuery, PersonSummary, RegionMapping, Store, StoreError,
};
use sea_orm::DatabaseConnection;
use std::ops::Deref;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Password every test user gets.
pub const PASSWORD: &str = "richtig-und-lang-genug";

/// The instant every test starts at: Saturday, 21 November 2026, 11:00 in Solothurn.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
}

/// A clock that stands still until the test lets time pass.
#[derive(Debug, Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(instant)))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// A migrated store with the example organisations, on its own fresh database.
pub struct TestStore {
    pub store: Store,
    pub clock: TestClock,
    pub scratch: ScratchDatabase,
    next_user: AtomicU32,
}

impl Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    /// Connects to a fresh database, migrates and syncs the organisations of the example mapping.
    pub async fn new() -> Self {
        let test = Self::unmigrated().await;
        test.store.migrate().await.unwrap();
        test.store.operator().sync_organisations(&RegionMapping::example().unwrap()).await.unwrap();
        test
    }

    /// Connects to a fresh, empty database without migrating.
    pub async fn unmigrated() -> Self {
        let scratch = ScratchDatabase::from_env().await.unwrap();
        let clock = TestClock::at(start_time());
        let store = Store::connect(&scratch.url, Arc::new(clock.clone())).await.unwrap();
        Self { store, clock, scratch, next_user: AtomicU32::new(1) }
    }

    /// A second, plain connection to the same database, for raw SQL that bypasses the store.
    pub async fn raw_connection(&self) -> DatabaseConnection {
        sea_orm::Database::connect(&self.scratch.url).await.unwrap()
    }

    pub fn let_time_pass(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// A unique user name for this database, readable in failure messages.
    pub fn fresh_username(&self, hint: &str) -> String {
        let n = self.next_user.fetch_add(1, Ordering::Relaxed);
        format!("{hint}-{n}")
    }

    /// Creates a user with [`PASSWORD`] and returns its user name.
    pub async fn add_user(&self, organisation_code: &str, roles: &[Role]) -> String {
        let hint = format!("{}-{}", roles.first().map_or("user", |r| r.code()), organisation_code);
        let username = self.fresh_username(&hint);
        self.store
            .operator()
            .create_user(NewUser {
                username: username.clone(),
                display_name: format!("Test {username}"),
                organisation_code: organisation_code.to_owned(),
                roles: roles.to_vec(),
                password: Some(PASSWORD.to_owned()),
            })
            .await
            .unwrap();
        username
    }

    /// Creates a user and logs it in from the browser.
    pub async fn logged_in(&self, organisation_code: &str, roles: &[Role]) -> Actor {
        let username = self.add_user(organisation_code, roles).await;
        self.store.login(&username, PASSWORD, "127.0.0.1").await.unwrap()
    }

    /// A Fallführung of a Sozialregion, e.g. `case_worker_of("sr-olten")`.
    pub async fn case_worker_of(&self, region_code: &str) -> Actor {
        self.logged_in(region_code, &[Role::Fallfuehrung]).await
    }

    /// The Leitung of a Sozialregion's social service.
    pub async fn leitung_of(&self, region_code: &str) -> Actor {
        self.logged_in(region_code, &[Role::Leitung]).await
    }

    /// An Integrationsbeauftragte of a Gemeinde, e.g. `integration_officer_of(2430)`.
    pub async fn integration_officer_of(&self, bfs: u16) -> Actor {
        self.logged_in(&format!("gde-{bfs}"), &[Role::Integrationsbeauftragte]).await
    }

    /// A Kanton user of the ASO, who may read the whole access log.
    pub async fn kanton_auditor(&self) -> Actor {
        self.logged_in("aso", &[Role::Kanton]).await
    }

    /// A user of a newly added provider organisation.
    pub async fn provider_user(&self) -> Actor {
        self.store.operator().upsert_provider("anbieter-deutschkurse", "Deutschkurse Olten GmbH").await.unwrap();
        self.logged_in("anbieter-deutschkurse", &[Role::Anbieter]).await
    }

    /// Registers a person and returns it; the test fails if the store refuses.
    pub async fn register(&self, actor: &Actor, data: PersonData) -> Person {
        self.store.create_person(actor, data).await.unwrap()
    }

    /// Lists with a search text, first page of 50.
    pub async fn search(&self, actor: &Actor, text: &str) -> Vec<PersonSummary> {
        let query = PersonQuery { text: text.to_owned(), page: 1, per_page: 50 };
        self.store.list_persons(actor, &query).await.unwrap().items
    }

    /// Writes out the queued access-log entries, then reads all entries about one person as `auditor`.
    pub async fn log_of_person(&self, auditor: &Actor, id: i64) -> Vec<AuditRecord> {
        self.store.flush_audit().await;
        let query = AuditQuery {
            resource: Some(iim_domain::Resource::Person),
            record_id: Some(id.to_string()),
            page: 1,
            per_page: 500,
            ..AuditQuery::default()
        };
        self.store.list_audit(auditor, &query).await.unwrap().items
    }

    /// Writes out the queued access-log entries, then reads the whole log (first 500 entries) as `auditor`.
    pub async fn whole_log(&self, auditor: &Actor) -> Vec<AuditRecord> {
        self.store.flush_audit().await;
        let query = AuditQuery { page: 1, per_page: 500, ..AuditQuery::default() };
        self.store.list_audit(auditor, &query).await.unwrap().items
    }
}

/// The date person inputs are checked against (the tests' "today").
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The text a form would send for a valid person living in Gemeinde `bfs`, without AHV number.
pub fn valid_input(bfs: u16) -> PersonInput {
    PersonInput {
        nachname: "Tesfamariam".into(),
        vornamen: "Selam".into(),
        geschlecht: "weiblich".into(),
        geburtsdatum: "1994".into(),
        nationalitaet: "ER".into(),
        aufenthaltsstatus: "F".into(),
        ahv_nummer: String::new(),
        einreisedatum: "03.2016".into(),
        sprachen: vec!["ti".into(), "ar".into()],
        wohngemeinde_bfs: bfs.to_string(),
    }
}

/// A valid person living in Gemeinde `bfs`.
pub fn valid_person(bfs: u16) -> PersonData {
    valid_input(bfs).parse(today()).unwrap()
}

/// A valid person with the given names, living in Gemeinde `bfs`.
pub fn person_named(bfs: u16, nachname: &str, vornamen: &str) -> PersonData {
    PersonInput { nachname: nachname.into(), vornamen: vornamen.into(), ..valid_input(bfs) }.parse(today()).unwrap()
}

/// A valid person with an AHV number built from `serial`.
pub fn person_with_ahv(bfs: u16, serial: u32) -> PersonData {
    PersonData { ahv_nummer: Some(Ahvn13::from_serial(serial)), ..valid_person(bfs) }
}

/// The field messages of an [`StoreError::Invalid`]; fails the test for any other outcome.
pub fn field_errors<T: std::fmt::Debug>(result: Result<T, StoreError>) -> FieldErrors {
    match result {
        Err(StoreError::Invalid(errors)) => errors,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

//! `TestApp`: starts the real application the way `iim serve` does, on a free port with its own database,
//! and offers helpers named after what users do.

use chrono::{TimeZone, Utc};
use iim_domain::Role;
use iim_domain::clock::FixedClock;
use iim_store::scratch::ScratchDatabase;
use iim_store::{NewUser, RegionMapping, Store};
use iim_web::{Application, Settings};
use reqwest::redirect::Policy;
use std::sync::Arc;

pub const PASSWORD: &str = "test-passwort-1";

/// Accounts every TestApp has: user name, organisation code, role.
pub const USERS: &[(&str, &str, Role)] = &[
    ("fallfuehrung.olten", "sr-olten", Role::Fallfuehrung),
    ("kollegin.olten", "sr-olten", Role::Fallfuehrung),
    ("leitung.olten", "sr-olten", Role::Leitung),
    ("fallfuehrung.thal", "sr-thal", Role::Fallfuehrung),
    ("ib.olten", "gde-2581", Role::Integrationsbeauftragte),
    ("anbieter.lernwerk", "anbieter-lernwerk", Role::Anbieter),
    ("anbieter.potenzial", "anbieter-potenzial", Role::Anbieter),
    ("kanton.aso", "aso", Role::Kanton),
    ("migrationsamt", "migrationsamt", Role::Migrationsamt),
    ("ib.schoenenwerd", "gde-2583", Role::Integrationsbeauftragte),
];

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub database: ScratchDatabase,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Settings { listen: "127.0.0.1:0".to_owned(), ..Settings::default() }).await
    }

    pub async fn spawn_with(settings: Settings) -> Self {
        Self::spawn_prepared(settings, |_| Box::pin(async {})).await
    }

    /// Starts the application after `prepare` has put data into the fresh database (e.g. offers, which the
    /// search index reads at start).
    pub async fn spawn_prepared(
        settings: Settings,
        prepare: impl for<'a> FnOnce(&'a Store) -> std::pin::Pin<Box<dyn Future<Output = ()> + 'a>>,
    ) -> Self {
        Self::spawn_on(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), settings, prepare).await
    }

    /// Starts the application with its clock at 09:30 UTC of `today` (the other spawns: 21.11.2026).
    pub async fn spawn_on(
        today: chrono::NaiveDate,
        settings: Settings,
        prepare: impl for<'a> FnOnce(&'a Store) -> std::pin::Pin<Box<dyn Future<Output = ()> + 'a>>,
    ) -> Self {
        let database = ScratchDatabase::from_env().await.expect("scratch database");
        let now = Utc.from_utc_datetime(&today.and_hms_opt(9, 30, 0).unwrap());
        let clock = Arc::new(FixedClock(now));
        let store = Store::connect(&database.url, clock).await.expect("connect");
        store.migrate().await.expect("migrate");
        store.operator().sync_organisations(&RegionMapping::example().unwrap()).await.expect("organisations");
        accredited_providers(&store).await;
        for (username, organisation, role) in USERS {
            store
                .operator()
                .create_user(NewUser {
                    username: (*username).to_owned(),
                    display_name: format!("Test {username}"),
                    organisation_code: (*organisation).to_owned(),
                    roles: vec![*role],
                    password: Some(PASSWORD.to_owned()),
                })
                .await
                .expect("user");
        }
        prepare(&store).await;
        let app = Application::build(settings, store.clone()).await.expect("bind");
        let base = format!("http://{}", app.local_addr().unwrap());
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Self { base, store, database, shutdown, server }
    }

    /// Stops the server as Ctrl-C would and waits until it has shut down; returns the database.
    pub async fn stop(self) -> ScratchDatabase {
        let _ = self.shutdown.send(());
        self.server.await.expect("server task").expect("server shut down cleanly");
        self.database
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client that keeps cookies and does not follow redirects (tests look at them).
    pub fn browser(&self) -> Browser {
        let client = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap();
        Browser { client, base: self.base.clone(), csrf_token: String::new() }
    }

    /// Logs in through the login form, as a person would.
    pub async fn log_in_as(&self, username: &str) -> Browser {
        let mut browser = self.browser();
        let response = browser.log_in(username, PASSWORD).await;
        assert_eq!(response.status(), 303, "login of {username} should redirect");
        let start = browser.get("/").await.text().await.unwrap();
        browser.csrf_token = csrf_token_in(&start).expect("start page carries the CSRF token");
        browser
    }

    /// A personal API token for a user.
    pub async fn token_for(&self, username: &str) -> String {
        self.store.operator().create_api_token(username, "test", None).await.unwrap().1
    }

    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
    }

    /// Registers a person through the store, as a given user, and returns its id.
    pub async fn person_registered_by(&self, username: &str, nachname: &str, bfs: u16) -> i64 {
        let actor = self.store.login(username, PASSWORD, "10.0.0.1").await.unwrap();
        let data = person_input(nachname, bfs).parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()).unwrap();
        self.store.create_person(&actor, data).await.unwrap().id
    }
}

/// Lernwerk takes Praxisassessments and coaching, the Potenzialerfassungsstelle vertiefte
/// Potenzialerfassungen and coaching.
async fn accredited_providers(store: &Store) {
    use iim_domain::auftrag::{AnbieterTyp, AuftragArt};
    let providers = [
        ("anbieter-lernwerk", "Lernwerk Olten", AnbieterTyp::Arbeitsmarktintegration, AuftragArt::Praxisassessment),
        (
            "anbieter-potenzial",
            "Potenzialerfassung Solothurn",
            AnbieterTyp::Potenzialerfassungsstelle,
            AuftragArt::VertieftePotenzialerfassung,
        ),
    ];
    for (code, name, typ, first) in providers {
        store.operator().upsert_provider(code, name).await.expect("provider");
        let orders = [first, AuftragArt::Integrationscoaching];
        store.operator().set_provider_profile(code, typ, &orders).await.expect("accreditation");
    }
}

/// A valid person form; Olten is BFS 2581 (Sozialregion Olten), Balsthal 2422 (Sozialregion Thal).
pub fn person_input(nachname: &str, bfs: u16) -> iim_domain::PersonInput {
    iim_domain::PersonInput {
        nachname: nachname.to_owned(),
        vornamen: "Selam".to_owned(),
        geschlecht: "weiblich".to_owned(),
        geburtsdatum: "03.1994".to_owned(),
        nationalitaet: "ER".to_owned(),
        aufenthaltsstatus: "F".to_owned(),
        ahv_nummer: String::new(),
        einreisedatum: "2016".to_owned(),
        sprachen: vec!["ti".to_owned()],
        wohngemeinde_bfs: bfs.to_string(),
    }
}

/// The same person as form fields.
pub fn person_form(nachname: &str, bfs: u16) -> Vec<(&'static str, String)> {
    let input = person_input(nachname, bfs);
    let mut fields = vec![
        ("nachname", input.nachname),
        ("vornamen", input.vornamen),
        ("geschlecht", input.geschlecht),
        ("geburtsdatum", input.geburtsdatum),
        ("nationalitaet", input.nationalitaet),
        ("aufenthaltsstatus", input.aufenthaltsstatus),
        ("ahv_nummer", input.ahv_nummer),
        ("einreisedatum", input.einreisedatum),
        ("wohngemeinde_bfs", input.wohngemeinde_bfs),
    ];
    fields.extend(input.sprachen.into_iter().map(|code| ("sprachen", code)));
    fields
}

pub fn csrf_token_in(html: &str) -> Option<String> {
    html.split("name=\"csrf_token\" value=\"").nth(1)?.split('"').next().map(str::to_owned)
}

/// Cookies and the CSRF token of one logged-in person.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf_token: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    /// Submits a form with the session's CSRF token added.
    pub async fn submit(&self, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", self.csrf_token.clone()));
        self.submit_raw(path, &fields).await
    }

    /// Submits exactly the given fields (to test what happens without a token).
    pub async fn submit_raw(&self, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
        let body = serde_html_form::to_string(fields).unwrap();
        self.client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Fills in the login form (fetching it first for its CSRF cookie and token).
    pub async fn log_in(&mut self, username: &str, password: &str) -> reqwest::Response {
        let form = self.get("/login").await.text().await.unwrap();
        let token = csrf_token_in(&form).expect("login form carries a CSRF token");
        let fields = [
            ("username", username.to_owned()),
            ("password", password.to_owned()),
            ("csrf_token", token),
            ("weiter", "/".to_owned()),
        ];
        self.submit_raw("/login", &fields).await
    }
}

/// The text content of an HTML page, tags removed, whitespace collapsed (for "page shows …" checks).
pub fn visible_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let text: Vec<&str> = document.root_element().text().collect();
    text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The conflict table's row for one field: (saved now, my input), as visible text.
pub fn konflikt_row(html: &str, feld: &str) -> Option<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse("table.konflikt tbody tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    document.select(&rows).find_map(|row| {
        let texts: Vec<String> = row.select(&cells).map(|cell| visible_text(&cell.inner_html())).collect();
        (texts.first().map(String::as_str) == Some(feld)).then(|| (texts[1].clone(), texts[2].clone()))
    })
}

/// Dossiers set up through the store, for tests about what comes after opening.
impl TestApp {
    /// The store's view of a user, as after logging in.
    pub async fn actor(&self, username: &str) -> iim_domain::Actor {
        self.store.login(username, PASSWORD, "10.0.0.1").await.unwrap()
    }

    /// Registers a person (Sozialhilfe) and opens its dossier as `username`; returns the dossier's id.
    pub async fn dossier_opened_by(&self, username: &str, nachname: &str, bfs: u16) -> i64 {
        let person = self.person_registered_by(username, nachname, bfs).await;
        self.store.open_dossier(&self.actor(username).await, person, true, false).await.unwrap().id
    }

    /// Records a Kurzassessment and one goal (Sprachförderung, due 30.06.2027); returns the goal's id.
    pub async fn hilfsplan_started(&self, username: &str, dossier: i64) -> i64 {
        let actor = self.actor(username).await;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let assessment = iim_domain::dossier::KurzassessmentInput {
            datum: "20.11.2026".to_owned(),
            richtung: "arbeitsmarktlich".to_owned(),
            sprachfoerderbedarf: "ja".to_owned(),
            schuljahre: "4".to_owned(),
            literalitaet: "teilweise".to_owned(),
            arbeitserfahrung: "ausland".to_owned(),
            potenzial: "mittel".to_owned(),
            dolmetschende: "ja".to_owned(),
            bemerkungen: "Interne Notiz".to_owned(),
        };
        self.store.record_kurzassessment(&actor, dossier, assessment.parse(today).unwrap()).await.unwrap();
        let goal = iim_domain::dossier::ZielInput {
            handlungsfeld: "sprachfoerderung".to_owned(),
            ziel: "Deutsch auf Niveau A2".to_owned(),
            kriterium: "Zertifikat A2 liegt vor".to_owned(),
            faellig_am: "30.06.2027".to_owned(),
        };
        let added = self.store.add_ziel(&actor, dossier, goal.parse(today).unwrap()).await.unwrap();
        added.ziele.last().unwrap().id
    }

    /// Access-log entries, newest first, as the canton's auditor reads them (after writing out the queue).
    pub async fn audit_entries(&self, query: iim_store::AuditQuery) -> Vec<iim_store::AuditRecord> {
        self.store.flush_audit().await;
        let auditor = self.actor("kanton.aso").await;
        let query = iim_store::AuditQuery { page: 1, per_page: 500, ..query };
        self.store.list_audit(&auditor, &query).await.unwrap().items
    }
}

/// The version a form was loaded with (its hidden field `version`).
pub fn version_in(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Sends two forms at the same moment from two sessions; returns the answers in the order given.
pub async fn submit_together(
    first: (&Browser, &str, &[(&str, String)]),
    second: (&Browser, &str, &[(&str, String)]),
) -> (reqwest::Response, reqwest::Response) {
    tokio::join!(first.0.submit(first.1, first.2), second.0.submit(second.1, second.2))
}

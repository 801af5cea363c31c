//! Who must not reach a dossier, on every dossier route of the pages and the API: a provider's user (no
//! role for dossiers) and a case worker of another Sozialregion. Each is refused, the dossier stays as it
//! was, and where the store refuses, the attempt is in the access log as `verweigert`.
//!
//! New routes are one line in [`ROUTES`]: `{id}` stands for the dossier, `{ziel}` for its goal, `{person}`
//! for a person of the Stelle without dossier. Bodies are valid input, so a refusal is about access only.

use crate::caseload_export::read_xlsx;
use crate::support::TestApp;
use Refuser::{Handler, Store};
use Via::{Api, Page};
use iim_store::AuditQuery;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Session cookie and CSRF token; bodies are form fields.
    Page,
    /// Bearer token; bodies are JSON.
    Api,
}

/// Who turns away a role without any permission for the action: the store (which logs the attempt), or
/// the handler before it asks the store (a page that needs the role to decide what to show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refuser {
    Store,
    Handler,
}

#[derive(Debug)]
struct Route {
    via: Via,
    method: &'static str,
    path: &'static str,
    body: &'static str,
    role_refused_by: Refuser,
}

const fn route(
    via: Via,
    method: &'static str,
    path: &'static str,
    body: &'static str,
    role_refused_by: Refuser,
) -> Route {
    Route { via, method, path, body, role_refused_by }
}

const ASSESSMENT_FORM: &str = "datum=20.11.2026&richtung=sozial&sprachfoerderbedarf=nein&schuljahre=12&literalitaet=alphabetisiert&arbeitserfahrung=schweiz&potenzial=hoch&dolmetschende=nein";
const ASSESSMENT_JSON: &str = r#"{"datum":"2026-11-20","richtung":"sozial","sprachfoerderbedarf":"nein","schuljahre":12,"literalitaet":"alphabetisiert","arbeitserfahrung":"schweiz","potenzial":"hoch","dolmetschende":"nein"}"#;

#[rustfmt::skip]
const ROUTES: &[Route] = &[
    route(Page, "GET",  "/dossiers", "", Handler),
    route(Page, "GET",  "/dossiers/export.xlsx", "", Store),
    route(Page, "GET",  "/dossiers/export.csv", "", Store),
    route(Page, "POST", "/personen/{person}/dossier", "sozialhilfe=ja", Store),
    route(Page, "GET",  "/dossiers/{id}", "", Store),
    route(Page, "GET",  "/dossiers/{id}/hilfsplan", "", Store),
    route(Page, "GET",  "/dossiers/{id}/kurzassessment", "", Handler),
    route(Page, "POST", "/dossiers/{id}/kurzassessment", ASSESSMENT_FORM, Store),
    route(Page, "GET",  "/dossiers/{id}/ziele/neu", "", Handler),
    route(Page, "POST", "/dossiers/{id}/ziele", "handlungsfeld=sprachfoerderung&ziel=B1&kriterium=Zertifikat&faellig_am=30.06.2027", Store),
    route(Page, "GET",  "/dossiers/{id}/standortbestimmung", "", Handler),
    route(Page, "POST", "/dossiers/{id}/standortbestimmung", "datum=21.11.2026&bewertung_{ziel}=erreicht", Store),
    route(Page, "POST", "/dossiers/{id}/abschliessen", "grund=tod", Store),
    route(Page, "POST", "/dossiers/{id}/wiedereroeffnen", "begruendung=Neuanfang", Store),
    route(Page, "POST", "/dossiers/{id}/zuweisen", "fallfuehrung=kollegin.olten", Store),
    route(Api,  "GET",  "/api/v1/dossiers", "", Store),
    route(Api,  "POST", "/api/v1/persons/{person}/dossier", r#"{"sozialhilfe":true}"#, Store),
    route(Api,  "GET",  "/api/v1/dossiers/{id}", "", Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/kurzassessment", ASSESSMENT_JSON, Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/ziele", r#"{"handlungsfeld":"sprachfoerderung","ziel":"B1","kriterium":"Zertifikat","faellig_am":"2027-06-30"}"#, Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/standortbestimmung", r#"{"datum":"2026-11-21","bewertungen":[{"ziel_id":{ziel},"bewertung":"erreicht"}]}"#, Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/abschluss", r#"{"grund":"tod"}"#, Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/wiedereroeffnung", r#"{"begruendung":"Neuanfang"}"#, Store),
    route(Api,  "POST", "/api/v1/dossiers/{id}/zuweisung", r#"{"fallfuehrung":"kollegin.olten"}"#, Store),
];

/// The records the placeholders stand for.
struct Target {
    dossier: i64,
    ziel: i64,
    person: i64,
}

impl Target {
    fn fill(&self, text: &str) -> String {
        text.replace("{id}", &self.dossier.to_string())
            .replace("{ziel}", &self.ziel.to_string())
            .replace("{person}", &self.person.to_string())
    }
}

impl Route {
    /// A list or export of the caller's own scope, rather than one record.
    fn is_collection(&self) -> bool {
        !self.path.contains('{')
    }
}

/// Someone who tries: logged in on the pages, and holding an API token.
struct Intruder {
    username: &'static str,
    browser: crate::support::Browser,
    token: String,
    has_dossier_role: bool,
}

impl Intruder {
    async fn new(app: &TestApp, username: &'static str, has_dossier_role: bool) -> Self {
        Self {
            username,
            browser: app.log_in_as(username).await,
            token: app.token_for(username).await,
            has_dossier_role,
        }
    }

    async fn send(&self, app: &TestApp, route: &Route, target: &Target) -> reqwest::Response {
        let url = app.url(&target.fill(route.path));
        let body = target.fill(route.body);
        let request = match (route.via, route.method) {
            (Page, "GET") => self.browser.client.get(url),
            (Page, _) => self
                .browser
                .client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("{body}&csrf_token={}", self.browser.csrf_token)),
            (Api, "GET") => app.api().get(url).bearer_auth(&self.token),
            (Api, _) => {
                app.api().post(url).bearer_auth(&self.token).header("content-type", "application/json").body(body)
            }
        };
        request.send().await.unwrap()
    }

    /// Whether the store is the one to refuse this caller on this route (and so logs the attempt).
    fn store_refuses(&self, route: &Route) -> bool {
        if self.has_dossier_role { !route.is_collection() } else { route.role_refused_by == Store }
    }
}

/// What must not change: the dossier as its case worker sees it, and that the spare person has none.
async fn state_of(app: &TestApp, target: &Target) -> (iim_store::Dossier, Option<i64>) {
    let owner = app.actor("fallfuehrung.olten").await;
    let dossier = app.store.get_dossier(&owner, target.dossier).await.unwrap();
    (dossier, app.store.dossier_id_of_person(&owner, target.person).await.unwrap())
}

async fn refusals_of(app: &TestApp, username: &str) -> usize {
    let query = AuditQuery { username: Some(username.to_owned()), ..Default::default() };
    app.audit_entries(query).await.iter().filter(|entry| entry.outcome == "verweigert").count()
}

/// A refusal looks the same on pages (German HTML page) and in the API (problem document).
async fn assert_refused(route: &Route, who: &str, response: reqwest::Response) {
    let status = response.status().as_u16();
    assert!(status == 403 || status == 404, "{who} {route:?}: status {status}");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    let body = response.text().await.unwrap();
    match route.via {
        Page => assert!(content_type.starts_with("text/html") && body.contains("lang=\"de-CH\""), "{who} {route:?}"),
        Api => {
            assert_eq!(content_type, "application/problem+json", "{who} {route:?}");
            let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(problem["type"] == "not-found" || problem["type"] == "forbidden", "{who} {route:?}: {problem}");
        }
    }
}

/// A list or export of another region's case worker: allowed, but without the dossier.
async fn assert_not_disclosed(route: &Route, who: &str, response: reqwest::Response) {
    assert_eq!(response.status(), 200, "{who} {route:?}");
    let bytes = response.bytes().await.unwrap();
    let text = if route.path.ends_with(".xlsx") {
        format!("{:?}", read_xlsx(&bytes).0)
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    assert!(!text.contains("Zugang"), "{who} {route:?} discloses the dossier: {text}");
}

#[tokio::test]
async fn provider_and_case_worker_of_another_region_are_refused_on_every_dossier_route() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Zugang", 2581).await;
    let ziel = app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    let person = app.person_registered_by("fallfuehrung.olten", "Ohnedossier", 2581).await;
    let target = Target { dossier, ziel, person };
    let before = state_of(&app, &target).await;
    let intruders =
        [Intruder::new(&app, "anbieter.lernwerk", false).await, Intruder::new(&app, "fallfuehrung.thal", true).await];
    for intruder in &intruders {
        for route in ROUTES {
            let logged_before = refusals_of(&app, intruder.username).await;
            let response = intruder.send(&app, route, &target).await;
            if intruder.has_dossier_role && route.is_collection() {
                assert_not_disclosed(route, intruder.username, response).await;
            } else {
                assert_refused(route, intruder.username, response).await;
            }
            assert!(state_of(&app, &target).await == before, "{} {route:?} changed the dossier", intruder.username);
            if intruder.store_refuses(route) {
                let logged = refusals_of(&app, intruder.username).await;
                assert!(logged > logged_before, "{} {route:?}: refusal not logged", intruder.username);
            }
        }
    }
}

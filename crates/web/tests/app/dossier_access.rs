//! Who must not reach a dossier, on every dossier route of the pages and the API: a provider's user (no
//! role for dossiers) and a case worker of another Sozialregion. Each is refused, the dossier stays as it
//! was, and where the store refuses, the attempt is in the access log as `verweigert`.
//!
//! New routes are one line in [`ROUTES`]: `{id}` stands for the dossier, `{ziel}` for its goal, `{fassung}` for
//! its current Kurzassessment, `{person}`
//! for a person of the Stelle without dossier, `{other}` for a second dossier, `{auftrag}` and
//! `{teilnahme}` for an order and a participation of the dossier, `{lernwerk}` for an accredited provider. Bodies are valid input, so a refusal is about access only.

use crate::caseload_export::read_xlsx;
use crate::support::TestApp;
use Via::{Api, Page};
use iim_store::AuditQuery;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Session cookie and CSRF token; bodies are form fields.
    Page,
    /// Bearer token; bodies are JSON.
    Api,
}

#[derive(Debug)]
struct Route {
    via: Via,
    method: &'static str,
    path: &'static str,
    body: &'static str,
}

const fn route(via: Via, method: &'static str, path: &'static str, body: &'static str) -> Route {
    Route { via, method, path, body }
}

const ASSESSMENT_FORM: &str = "datum=20.11.2026&richtung=sozial&sprachfoerderbedarf=nein&schuljahre=12&literalitaet=alphabetisiert&arbeitserfahrung=schweiz&potenzial=hoch&dolmetschende=nein";
const ASSESSMENT_JSON: &str = r#"{"datum":"2026-11-20","richtung":"sozial","sprachfoerderbedarf":"nein","schuljahre":12,"literalitaet":"alphabetisiert","arbeitserfahrung":"schweiz","potenzial":"hoch","dolmetschende":"nein"}"#;

#[rustfmt::skip]
const ROUTES: &[Route] = &[
    route(Page, "GET",  "/dossiers", ""),
    route(Page, "GET",  "/dossiers/export.xlsx", ""),
    route(Page, "GET",  "/dossiers/export.csv", ""),
    route(Page, "POST", "/personen/{person}/dossier", "sozialhilfe=ja"),
    route(Page, "GET",  "/dossiers/{id}", ""),
    route(Page, "GET",  "/dossiers/{id}/hilfsplan", ""),
    route(Page, "GET",  "/dossiers/{id}/kurzassessment", ""),
    route(Page, "POST", "/dossiers/{id}/kurzassessment", ASSESSMENT_FORM),
    route(Page, "GET",  "/dossiers/{id}/kurzassessment/{fassung}", ""),
    route(Page, "POST", "/dossiers/{id}/zielvorschlaege/uebernehmen", "fassung={fassung}&regel=alphabetisierung"),
    route(Page, "POST", "/dossiers/{id}/zielvorschlaege/verwerfen", "fassung={fassung}&regel=alphabetisierung"),
    route(Page, "GET",  "/dossiers/{id}/ziele/neu", ""),
    route(Page, "POST", "/dossiers/{id}/ziele", "handlungsfeld=sprachfoerderung&ziel=B1&kriterium=Zertifikat&faellig_am=30.06.2027"),
    route(Page, "GET",  "/dossiers/{id}/standortbestimmung", ""),
    route(Page, "POST", "/dossiers/{id}/standortbestimmung", "datum=21.11.2026&bewertung_{ziel}=erreicht"),
    route(Page, "POST", "/dossiers/{id}/abschliessen", "grund=tod"),
    route(Page, "POST", "/dossiers/{id}/wiedereroeffnen", "begruendung=Neuanfang"),
    route(Page, "POST", "/dossiers/{id}/zuweisen", "fallfuehrung=kollegin.olten"),
    route(Page, "POST", "/dossiers/{id}/abschluss/entscheid", "entscheid=genehmigen"),
    route(Page, "POST", "/dossiers/{id}/familie", "dossier={other}"),
    route(Page, "POST", "/dossiers/{id}/familie/loesen", ""),
    route(Page, "GET",  "/dossiers/{id}/auftraege/neu", ""),
    route(Page, "POST", "/dossiers/{id}/auftraege", "art=praxisassessment&anbieter={lernwerk}&fragestellung=Belastbarkeit"),
    route(Page, "POST", "/dossiers/{id}/auftraege/{auftrag}/entscheid", "entscheid=genehmigen"),
    route(Page, "POST", "/dossiers/{id}/auftraege/{auftrag}/kenntnis", ""),
    route(Page, "GET",  "/dossiers/{id}/uebergabe", ""),
    route(Page, "POST", "/dossiers/{id}/uebergabe", "gemeinde=2422"),
    route(Page, "GET",  "/dossiers/{id}/sprachstand", ""),
    route(Page, "POST", "/dossiers/{id}/sprachstand", "datum=20.11.2026&fertigkeit=gesamt&niveau=B1&nachweis=fide"),
    route(Page, "GET",  "/dossiers/{id}/massnahmen/neu", ""),
    route(Page, "POST", "/dossiers/{id}/massnahmen", "massnahme=SI-V&anbieter=Quartierverein&beginn=01.12.2026"),
    route(Page, "POST", "/dossiers/{id}/ausnahmegesuche", "massnahme=BI-2&beginn=01.12.2026&gesuch_begruendung=Dringend"),
    route(Page, "GET",  "/dossiers/{id}/ausnahmegesuche/1", ""),
    route(Page, "POST", "/dossiers/{id}/ausnahmegesuche/1/entscheid", "entscheid=bewilligen&begruendung=Passt"),
    route(Page, "GET",  "/dossiers/{id}/teilnahmen/{teilnahme}/beenden", ""),
    route(Page, "POST", "/dossiers/{id}/teilnahmen/{teilnahme}/beenden", "ende=20.11.2026&anwesenheit=90&ergebnis=abgeschlossen"),
    route(Page, "GET",  "/dossiers/{id}/teilnahmen/{teilnahme}/anschluss", ""),
    route(Page, "POST", "/dossiers/{id}/teilnahmen/{teilnahme}/anschluss", "art=arbeitsstelle&text=Lager"),
    route(Page, "GET",  "/mentoring/zuweisung?dossier={id}", ""),
    route(Page, "GET",  "/pendenzen", ""),
    route(Api,  "GET",  "/api/v1/dossiers", ""),
    route(Api,  "POST", "/api/v1/persons/{person}/dossier", r#"{"sozialhilfe":true}"#),
    route(Api,  "GET",  "/api/v1/dossiers/{id}", ""),
    route(Api,  "POST", "/api/v1/dossiers/{id}/kurzassessment", ASSESSMENT_JSON),
    route(Api,  "POST", "/api/v1/dossiers/{id}/ziele", r#"{"handlungsfeld":"sprachfoerderung","ziel":"B1","kriterium":"Zertifikat","faellig_am":"2027-06-30"}"#),
    route(Api,  "POST", "/api/v1/dossiers/{id}/standortbestimmung", r#"{"datum":"2026-11-21","bewertungen":[{"ziel_id":{ziel},"bewertung":"erreicht"}]}"#),
    route(Api,  "POST", "/api/v1/dossiers/{id}/abschluss", r#"{"grund":"tod"}"#),
    route(Api,  "POST", "/api/v1/dossiers/{id}/wiedereroeffnung", r#"{"begruendung":"Neuanfang"}"#),
    route(Api,  "POST", "/api/v1/dossiers/{id}/zuweisung", r#"{"fallfuehrung":"kollegin.olten"}"#),
    route(Api,  "POST", "/api/v1/dossiers/{id}/auftraege", r#"{"art":"praxisassessment","anbieter_id":{lernwerk},"fragestellung":"Belastbarkeit"}"#),
];

/// The records the placeholders stand for.
struct Target {
    dossier: i64,
    ziel: i64,
    /// The dossier's current Kurzassessment.
    fassung: i64,
    person: i64,
    /// Another dossier of the Stelle (for the family link).
    other: i64,
    auftrag: i64,
    teilnahme: i64,
    lernwerk: i64,
}

impl Target {
    fn fill(&self, text: &str) -> String {
        text.replace("{id}", &self.dossier.to_string())
            .replace("{ziel}", &self.ziel.to_string())
            .replace("{fassung}", &self.fassung.to_string())
            .replace("{person}", &self.person.to_string())
            .replace("{other}", &self.other.to_string())
            .replace("{auftrag}", &self.auftrag.to_string())
            .replace("{teilnahme}", &self.teilnahme.to_string())
            .replace("{lernwerk}", &self.lernwerk.to_string())
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

    /// Whether this caller is refused on this route (and the attempt logged): a provider everywhere, a
    /// case worker of another region wherever a record of the other Stelle is named.
    fn refused(&self, route: &Route) -> bool {
        !self.has_dossier_role || !route.is_collection()
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

/// A Praxisassessment ordered from Lernwerk and a booked measure of the dossier: (order, participation,
/// Lernwerk's organisation number).
pub(crate) async fn order_and_participation(app: &TestApp, dossier: i64) -> (i64, i64, i64) {
    let owner = app.actor("fallfuehrung.olten").await;
    let lernwerk = app.store.providers().await.unwrap().into_iter().find(|p| p.code == "anbieter-lernwerk").unwrap().id;
    let order = iim_domain::auftrag::AuftragInput {
        art: "praxisassessment".into(),
        anbieter: lernwerk.to_string(),
        fragestellung: "Belastbarkeit".into(),
    };
    let auftrag = app.store.order(&owner, dossier, &order).await.unwrap().auftraege[0].id;
    let booking = iim_domain::massnahmen::BuchungInput {
        massnahme: "SI-V".into(),
        anbieter: "Quartierverein".into(),
        beginn: "01.12.2026".into(),
        ..Default::default()
    };
    let teilnahme = app.store.book_massnahme(&owner, dossier, &booking).await.unwrap().teilnahmen[0].id;
    (auftrag, teilnahme, lernwerk)
}

#[tokio::test]
async fn provider_and_case_worker_of_another_region_are_refused_on_every_dossier_route() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Zugang", 2581).await;
    let ziel = app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    let person = app.person_registered_by("fallfuehrung.olten", "Ohnedossier", 2581).await;
    let other = app.dossier_opened_by("fallfuehrung.olten", "Familie", 2581).await;
    let (auftrag, teilnahme, lernwerk) = order_and_participation(&app, dossier).await;
    let fassung = crate::access_matrix::current_assessment(&app, dossier).await;
    let target = Target { dossier, ziel, fassung, person, other, auftrag, teilnahme, lernwerk };
    let before = state_of(&app, &target).await;
    let intruders =
        [Intruder::new(&app, "anbieter.lernwerk", false).await, Intruder::new(&app, "fallfuehrung.thal", true).await];
    for intruder in &intruders {
        for route in ROUTES {
            let logged_before = refusals_of(&app, intruder.username).await;
            let response = intruder.send(&app, route, &target).await;
            if intruder.refused(route) {
                assert_refused(route, intruder.username, response).await;
            } else {
                assert_not_disclosed(route, intruder.username, response).await;
            }
            assert!(state_of(&app, &target).await == before, "{} {route:?} changed the dossier", intruder.username);
            if intruder.refused(route) {
                let logged = refusals_of(&app, intruder.username).await;
                assert!(logged > logged_before, "{} {route:?}: refusal not logged", intruder.username);
            }
        }
    }
}

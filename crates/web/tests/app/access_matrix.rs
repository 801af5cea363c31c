//! Every route of the application × every role × records of another organisation.
//!
//! The routes are read from the application itself: the page routes from the router's source
//! (`src/pages/mod.rs`, `src/ops.rs`) and the API routes from the served OpenAPI document. Each needs a row in
//! [`ROWS`]; a new route without a row, or a row without a route, fails this test, so no route escapes it.
//!
//! The records belong to Olten (Sozialregion Olten and Gemeinde Olten, the Mentoring-Pool of the region,
//! Lernwerk's orders and offers). Callers from other organisations, one per role, try every route:
//! - a route that names a record answers **404** to everyone who may not reach that record (never 403:
//!   outside the scope looks like not existing), except the callers the row names as reaching it by design
//!   (the Kanton reads every Gemeinde's Selbstdeklaration, the Migrationsamt every hand-over);
//! - a list, export or form without a record of an organisation (see [`names_record_of_an_organisation`])
//!   answers without a server error and without Olten's clients;
//! - the record's owner reaches every page that shows it, so a wrong fixture id cannot make this test pass.

use crate::support::{Browser, PASSWORD, TestApp};
use Via::{Api, Page, Public};
use iim_domain::Role;
use iim_store::NewUser;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Needs no login.
    Public,
    /// Session cookie and CSRF token; bodies are form fields.
    Page,
    /// Bearer token; bodies are JSON.
    Api,
}

#[derive(Debug)]
struct Row {
    via: Via,
    method: &'static str,
    /// The route exactly as the router declares it.
    route: &'static str,
    body: &'static str,
    /// Callers of other organisations who reach the record by design.
    reach: &'static [&'static str],
}

const fn row(via: Via, method: &'static str, route: &'static str, body: &'static str) -> Row {
    Row { via, method, route, body, reach: &[] }
}

const fn reached_by(
    via: Via,
    method: &'static str,
    route: &'static str,
    body: &'static str,
    reach: &'static [&'static str],
) -> Row {
    Row { via, method, route, body, reach }
}

const KANTON: &[&str] = &["kanton.aso"];
const ADMIN: &[&str] = &["admin"];

const PERSON_FORM: &str = "nachname=Anders&vornamen=Selam&geschlecht=weiblich&geburtsdatum=03.1994&nationalitaet=ER&aufenthaltsstatus=F&ahv_nummer=&einreisedatum=2016&sprachen=ti&wohngemeinde_bfs=2581&version=1";
const PERSON_JSON: &str = r#"{"nachname":"Anders","vornamen":"Dawit","geschlecht":"maennlich","geburtsdatum":"1990-05","nationalitaet":"ER","aufenthaltsstatus":"B-FL","ahv_nummer":"","sprachen":["ti"],"wohngemeinde_bfs":2581,"version":1}"#;
const ASSESSMENT_JSON: &str = r#"{"datum":"2026-11-20","richtung":"sozial","sprachfoerderbedarf":"nein","schuljahre":12,"literalitaet":"alphabetisiert","arbeitserfahrung":"schweiz","potenzial":"hoch","dolmetschende":"nein"}"#;
const ASSESSMENT_FORM: &str = "datum=20.11.2026&richtung=sozial&sprachfoerderbedarf=nein&schuljahre=12&literalitaet=alphabetisiert&arbeitserfahrung=schweiz&potenzial=hoch&dolmetschende=nein";

#[rustfmt::skip]
const ROWS: &[Row] = &[
    row(Public, "GET",  "/", ""),
    row(Public, "GET",  "/login", ""),
    row(Public, "GET",  "/angebote", ""),
    row(Public, "GET",  "/angebote/export.csv", ""),
    row(Public, "GET",  "/angebote/export.json", ""),
    row(Public, "GET",  "/angebote/{id}", ""),
    row(Public, "GET",  "/static/style.css", ""),
    row(Public, "GET",  "/health", ""),
    row(Public, "GET",  "/ready", ""),
    row(Public, "GET",  "/mentoring", ""),
    row(Public, "POST", "/mentoring/anmeldung", "name=Test"),
    row(Public, "GET",  "/mentoring/danke", ""),
    row(Page,   "GET",  "/personen", ""),
    row(Page,   "POST", "/personen", "nachname=Neu"),
    row(Page,   "GET",  "/personen/neu", ""),
    row(Page,   "GET",  "/personen/export.csv", ""),
    row(Page,   "GET",  "/personen/duplikate", ""),
    row(Page,   "POST", "/personen/duplikate/{id}", "entscheid=verschieden"),
    row(Page,   "GET",  "/personen/{id}", ""),
    row(Page,   "POST", "/personen/{id}", PERSON_FORM),
    row(Page,   "GET",  "/personen/{id}/bearbeiten", ""),
    row(Page,   "POST", "/personen/{id}/dossier", "sozialhilfe=ja"),
    row(Page,   "GET",  "/dossiers", ""),
    row(Page,   "GET",  "/dossiers/export.xlsx", ""),
    row(Page,   "GET",  "/dossiers/export.csv", ""),
    row(Page,   "GET",  "/fallliste-import", ""),
    row(Page,   "POST", "/fallliste-import", ""),
    row(Page,   "POST", "/fallliste-import/bestaetigen", "token=unbekannt"),
    row(Page,   "GET",  "/fallliste-import/vorlage.csv", ""),
    row(Page,   "GET",  "/fallliste-import/vorlage.xlsx", ""),
    row(Page,   "GET",  "/dossiers/{id}", ""),
    row(Page,   "GET",  "/dossiers/{id}/hilfsplan", ""),
    row(Page,   "GET",  "/dossiers/{id}/kurzassessment", ""),
    row(Page,   "POST", "/dossiers/{id}/kurzassessment", ASSESSMENT_FORM),
    row(Page,   "GET",  "/dossiers/{id}/kurzassessment/{fassung}", ""),
    row(Page,   "POST", "/dossiers/{id}/zielvorschlaege/uebernehmen", "fassung={fassung}&regel=alphabetisierung"),
    row(Page,   "POST", "/dossiers/{id}/zielvorschlaege/verwerfen", "fassung={fassung}&regel=alphabetisierung"),
    row(Page,   "GET",  "/dossiers/{id}/ziele/neu", ""),
    row(Page,   "POST", "/dossiers/{id}/ziele", "handlungsfeld=sprachfoerderung&ziel=B1&kriterium=Zertifikat&faellig_am=30.06.2027"),
    row(Page,   "GET",  "/dossiers/{id}/standortbestimmung", ""),
    row(Page,   "POST", "/dossiers/{id}/standortbestimmung", "datum=21.11.2026"),
    row(Page,   "POST", "/dossiers/{id}/abschliessen", "grund=tod"),
    row(Page,   "POST", "/dossiers/{id}/wiedereroeffnen", "begruendung=Neuanfang"),
    row(Page,   "POST", "/dossiers/{id}/zuweisen", "fallfuehrung=kollegin.olten"),
    row(Page,   "POST", "/dossiers/{id}/abschluss/entscheid", "entscheid=genehmigen"),
    row(Page,   "POST", "/dossiers/{id}/familie", "dossier=1"),
    row(Page,   "POST", "/dossiers/{id}/familie/loesen", ""),
    row(Page,   "GET",  "/dossiers/{id}/auftraege/neu", ""),
    row(Page,   "POST", "/dossiers/{id}/auftraege", "art=praxisassessment&fragestellung=Belastbarkeit"),
    row(Page,   "POST", "/dossiers/{id}/auftraege/{auftrag}/entscheid", "entscheid=genehmigen"),
    row(Page,   "POST", "/dossiers/{id}/auftraege/{auftrag}/kenntnis", ""),
    row(Page,   "GET",  "/dossiers/{id}/uebergabe", ""),
    row(Page,   "POST", "/dossiers/{id}/uebergabe", "gemeinde=2422"),
    row(Page,   "POST", "/dossiers/{id}/umzug/{vorschlag}/verwerfen", "begruendung=Irrtum"),
    row(Page,   "GET",  "/uebergaben", ""),
    row(Page,   "POST", "/uebergaben/{id}/annehmen", ""),
    row(Page,   "POST", "/uebergaben/{id}/ablehnen", "begruendung=Nicht+zust%C3%A4ndig"),
    row(Page,   "GET",  "/pendenzen", ""),
    row(Page,   "GET",  "/anbieter", ""),
    row(Page,   "GET",  "/auftraege", ""),
    row(Page,   "GET",  "/auftraege/{id}", ""),
    row(Page,   "POST", "/auftraege/{id}/ergebnis", "ergebnis=Belastbar"),
    row(Page,   "GET",  "/dossiers/{id}/sprachstand", ""),
    row(Page,   "POST", "/dossiers/{id}/sprachstand", "datum=20.11.2026&fertigkeit=gesamt&niveau=B1&nachweis=fide"),
    row(Page,   "GET",  "/dossiers/{id}/massnahmen/neu", ""),
    row(Page,   "POST", "/dossiers/{id}/massnahmen", "massnahme=SI-V&anbieter=Quartierverein&beginn=01.12.2026"),
    row(Page,   "POST", "/dossiers/{id}/ausnahmegesuche", "massnahme=BI-2&beginn=01.12.2026&gesuch_begruendung=Dringend"),
    row(Page,   "GET",  "/dossiers/{id}/ausnahmegesuche/{gid}", ""),
    row(Page,   "POST", "/dossiers/{id}/ausnahmegesuche/{gid}/entscheid", "entscheid=bewilligen&begruendung=Passt"),
    row(Page,   "GET",  "/dossiers/{id}/teilnahmen/{tid}/beenden", ""),
    row(Page,   "POST", "/dossiers/{id}/teilnahmen/{tid}/beenden", "ende=20.11.2026&anwesenheit=90&ergebnis=abgeschlossen"),
    row(Page,   "GET",  "/dossiers/{id}/teilnahmen/{tid}/anschluss", ""),
    row(Page,   "POST", "/dossiers/{id}/teilnahmen/{tid}/anschluss", "art=arbeitsstelle&text=Lager"),
    row(Page,   "GET",  "/massnahmen", ""),
    row(Page,   "POST", "/massnahmen", "code=NEU"),
    row(Page,   "GET",  "/massnahmen/neu", ""),
    reached_by(Page, "GET",  "/massnahmen/{code}/bearbeiten", "", KANTON),
    reached_by(Page, "POST", "/massnahmen/{code}/bearbeiten", "titel=Anders", KANTON),
    reached_by(Page, "POST", "/massnahmen/{code}/deaktivieren", "", KANTON),
    row(Page,   "GET",  "/neuzuzueger", ""),
    row(Page,   "GET",  "/neuzuzueger/export.csv", ""),
    row(Page,   "GET",  "/neuzuzueger/{id}", ""),
    row(Page,   "POST", "/neuzuzueger/{id}/status", "status=eingeladen&datum=16.11.2026"),
    row(Page,   "GET",  "/neuzuzueger/{id}/gespraech", ""),
    row(Page,   "POST", "/neuzuzueger/{id}/gespraech", "gefuehrt_am=18.11.2026&sprache=ti"),
    row(Page,   "GET",  "/neuzuzueger/{id}/fordern", ""),
    row(Page,   "POST", "/neuzuzueger/{id}/fordern", "empfehlung=integrationsempfehlung&begruendung=Test"),
    row(Page,   "GET",  "/fordern", ""),
    reached_by(Page, "GET",  "/fordern/{id}", "", &["migrationsamt"]),
    reached_by(Page, "POST", "/fordern/{id}/entscheid", "entscheid=keine&begruendung=Test", &["migrationsamt"]),
    row(Page,   "GET",  "/selbstdeklaration", ""),
    reached_by(Page, "POST", "/selbstdeklaration/{jahr}/anlegen", "", KANTON),
    reached_by(Page, "GET",  "/selbstdeklaration/{jahr}/fragebogen", "", KANTON),
    reached_by(Page, "POST", "/selbstdeklaration/{jahr}/fragen", "text=Frage", KANTON),
    reached_by(Page, "GET",  "/selbstdeklaration/{jahr}/fragen/{key}", "", KANTON),
    reached_by(Page, "POST", "/selbstdeklaration/{jahr}/fragen/{key}", "text=Frage", KANTON),
    reached_by(Page, "POST", "/selbstdeklaration/{jahr}/fragen/{key}/entfernen", "", KANTON),
    reached_by(Page, "GET",  "/selbstdeklaration/{jahr}/antworten", "", KANTON),
    reached_by(Page, "GET",  "/selbstdeklaration/{jahr}/export.xlsx", "", KANTON),
    reached_by(Page, "GET",  "/selbstdeklaration/{jahr}/{bfs}", "", KANTON),
    row(Page,   "POST", "/selbstdeklaration/{jahr}/{bfs}", "aktion=entwurf"),
    reached_by(Page, "POST", "/selbstdeklaration/{jahr}/{bfs}/zurueckgeben", "begruendung=Test", KANTON),
    row(Page,   "GET",  "/gemeinden", ""),
    row(Page,   "GET",  "/gemeinden/export.csv", ""),
    row(Page,   "GET",  "/gemeinden/export.xlsx", ""),
    reached_by(Page, "GET",  "/gemeinden/{bfs}", "", &["kanton.aso", "admin"]),
    reached_by(Page, "POST", "/gemeinden/{bfs}", "kontakt=Test", &["kanton.aso", "admin"]),
    row(Page,   "GET",  "/fruehfoerderung", ""),
    row(Page,   "POST", "/fruehfoerderung", "nachname=Neu"),
    row(Page,   "GET",  "/fruehfoerderung/neu", ""),
    row(Page,   "POST", "/fruehfoerderung/aufnehmen", "person=1"),
    row(Page,   "GET",  "/fruehfoerderung/{id}", ""),
    row(Page,   "GET",  "/fruehfoerderung/{id}/{teil}", ""),
    row(Page,   "POST", "/fruehfoerderung/{id}/{teil}", "datum=20.11.2026"),
    row(Page,   "GET",  "/kennzahlen", ""),
    row(Page,   "GET",  "/kennzahlen/export.csv", ""),
    row(Page,   "GET",  "/kennzahlen/export.xlsx", ""),
    row(Page,   "GET",  "/mentoring/pool", ""),
    row(Page,   "GET",  "/mentoring/mentoren/{id}", ""),
    row(Page,   "POST", "/mentoring/mentoren/{id}", "status=geeignet&gespraech_am=19.11.2026&notizen=Gut"),
    row(Page,   "GET",  "/mentoring/mentees/{id}", ""),
    row(Page,   "POST", "/mentoring/mentees/{id}/tandem", "mentor=1"),
    row(Page,   "GET",  "/mentoring/tandems/{id}", ""),
    row(Page,   "POST", "/mentoring/tandems/{id}/status", "status=beendet&datum=20.11.2026"),
    row(Page,   "POST", "/mentoring/tandems/{id}/checkins", "checkin_datum=20.11.2026&notiz=Test"),
    row(Page,   "GET",  "/mentoring/zuweisung", ""),
    row(Page,   "POST", "/mentoring/zuweisung", "name=Test"),
    row(Page,   "GET",  "/meine-angebote", ""),
    row(Page,   "POST", "/meine-angebote", "titel=Neu"),
    row(Page,   "GET",  "/meine-angebote/neu", ""),
    reached_by(Page, "GET",  "/meine-angebote/{id}", "", KANTON),
    reached_by(Page, "POST", "/meine-angebote/{id}", "titel=Anders&version=1", KANTON),
    reached_by(Page, "GET", "/meine-angebote/{id}/bearbeiten", "", KANTON),
    reached_by(Page, "POST", "/meine-angebote/{id}/einreichen", "version=1", KANTON),
    reached_by(Page, "POST", "/meine-angebote/{id}/archivieren", "version=1", KANTON),
    row(Page,   "GET",  "/angebote-pruefen", ""),
    reached_by(Page, "POST", "/angebote-pruefen/{id}/veroeffentlichen", "version=2", KANTON),
    reached_by(Page, "POST", "/angebote-pruefen/{id}/zurueckgeben", "version=2&begruendung=Test", KANTON),
    row(Page,   "GET",  "/protokoll", ""),
    row(Page,   "GET",  "/konto/api-tokens", ""),
    row(Page,   "POST", "/konto/api-tokens", "name=Test&tage=30"),
    reached_by(Page, "POST", "/konto/api-tokens/{id}/widerrufen", "", ADMIN),
    row(Page,   "GET",  "/register-import", ""),
    row(Page,   "POST", "/register-import", ""),
    reached_by(Page, "GET",  "/register-import/{id}", "", ADMIN),
    row(Public, "GET",  "/api/v1/openapi.json", ""),
    row(Public, "GET",  "/api/v1/angebote", ""),
    row(Public, "GET",  "/api/v1/angebote/{id}", ""),
    row(Api,    "GET",  "/api/v1/me", ""),
    row(Api,    "GET",  "/api/v1/persons", ""),
    row(Api,    "POST", "/api/v1/persons", r#"{"nachname":"Neu"}"#),
    row(Api,    "GET",  "/api/v1/persons/{id}", ""),
    row(Api,    "PUT",  "/api/v1/persons/{id}", PERSON_JSON),
    row(Api,    "POST", "/api/v1/persons/{id}/dossier", r#"{"sozialhilfe":true}"#),
    row(Api,    "GET",  "/api/v1/dossiers", ""),
    row(Api,    "GET",  "/api/v1/dossiers/{id}", ""),
    row(Api,    "POST", "/api/v1/dossiers/{id}/kurzassessment", ASSESSMENT_JSON),
    row(Api,    "POST", "/api/v1/dossiers/{id}/ziele", r#"{"handlungsfeld":"sprachfoerderung","ziel":"B1","kriterium":"Zertifikat","faellig_am":"2027-06-30"}"#),
    row(Api,    "POST", "/api/v1/dossiers/{id}/standortbestimmung", r#"{"datum":"2026-11-21","bewertungen":[]}"#),
    row(Api,    "POST", "/api/v1/dossiers/{id}/abschluss", r#"{"grund":"tod"}"#),
    row(Api,    "POST", "/api/v1/dossiers/{id}/wiedereroeffnung", r#"{"begruendung":"Neuanfang"}"#),
    row(Api,    "POST", "/api/v1/dossiers/{id}/zuweisung", r#"{"fallfuehrung":"kollegin.olten"}"#),
    row(Api,    "POST", "/api/v1/dossiers/{id}/auftraege", r#"{"art":"praxisassessment","anbieter_id":1,"fragestellung":"Belastbarkeit"}"#),
    row(Api,    "GET",  "/api/v1/auftraege", ""),
    row(Api,    "GET",  "/api/v1/auftraege/{id}", ""),
    row(Api,    "POST", "/api/v1/auftraege/{id}/ergebnis", r#"{"ergebnis":"Belastbar für 50 %"}"#),
    // Last, because they end the callers' sessions.
    row(Public, "POST", "/login", "username=niemand&password=falsch"),
    row(Page,   "POST", "/abmelden", ""),
];

/// Surname of every client of Olten in the fixture; no answer to another organisation may contain it.
const MARKER: &str = "Verborgen";

/// Callers of other organisations than Olten, one per role (those not in every TestApp are added).
const CALLERS: &[(&str, &str, Role)] = &[
    ("fallfuehrung.thal", "sr-thal", Role::Fallfuehrung),
    ("leitung.thal", "sr-thal", Role::Leitung),
    ("ib.schoenenwerd", "gde-2583", Role::Integrationsbeauftragte),
    ("anbieter.potenzial", "anbieter-potenzial", Role::Anbieter),
    ("kanton.aso", "aso", Role::Kanton),
    ("migrationsamt", "migrationsamt", Role::Migrationsamt),
    ("admin", "aso", Role::Admin),
    ("koordination.thal", "sr-thal", Role::Koordination),
];

/// The records of Olten the placeholders stand for, and who in Olten owns them.
struct Fixture {
    ids: BTreeMap<&'static str, String>,
}

impl Fixture {
    /// The concrete URL of a route: `{id}` is the record the route's first segment names.
    fn url(&self, route: &str) -> String {
        let id_kind = id_kind(route);
        let mut url = route.replace("{id}", &self.ids[id_kind]);
        for (placeholder, value) in &self.ids {
            url = url.replace(&format!("{{{placeholder}}}"), value);
        }
        url
    }

    /// The user of Olten who reaches the record named by the route.
    fn owner(route: &str) -> &'static str {
        match id_kind(route) {
            "neuzuzueger" | "kind" | "duplikat" | "lieferung" | "selbstdeklaration" => "ib.olten",
            "auftrag_anbieter" | "angebot" => "anbieter.lernwerk",
            "mentor" | "mentee" | "tandem" => "koordination.olten",
            "fordern" => "migrationsamt",
            "katalog" => "kanton.aso",
            _ => "fallfuehrung.olten",
        }
    }
}

/// Which record `{id}` (or the route's other record placeholder) stands for.
fn id_kind(route: &str) -> &'static str {
    let path = route.trim_start_matches("/api/v1");
    let kinds = [
        ("/personen/duplikate/", "duplikat"),
        ("/personen/", "person"),
        ("/persons/", "person"),
        ("/dossiers/", "dossier"),
        ("/uebergaben/", "uebergabe"),
        ("/auftraege/", "auftrag_anbieter"),
        ("/neuzuzueger/", "neuzuzueger"),
        ("/fordern/", "fordern"),
        ("/fruehfoerderung/", "kind"),
        ("/mentoring/mentoren/", "mentor"),
        ("/mentoring/mentees/", "mentee"),
        ("/mentoring/tandems/", "tandem"),
        ("/meine-angebote/", "angebot"),
        ("/angebote-pruefen/", "angebot"),
        ("/angebote/", "angebot"),
        ("/konto/api-tokens/", "token"),
        ("/register-import/", "lieferung"),
        ("/selbstdeklaration/", "selbstdeklaration"),
        ("/gemeinden/", "gemeinde"),
        ("/massnahmen/", "katalog"),
    ];
    kinds.iter().find(|(prefix, _)| path.starts_with(prefix)).map(|(_, kind)| *kind).unwrap_or("dossier")
}

/// Whether the route names a record that belongs to an organisation. A year, a code of the public
/// Massnahmen catalogue and a question of the canton's questionnaire do not.
fn names_record_of_an_organisation(route: &str) -> bool {
    route.replace("{jahr}", "").replace("{code}", "").replace("{key}", "").contains('{')
}

/// The routes the application declares: `(method, route)`.
async fn declared_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for source in [include_str!("../../src/pages/mod.rs"), include_str!("../../src/ops.rs")] {
        routes.extend(routes_in_source(source));
    }
    let document: serde_json::Value =
        app.api().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    routes.insert(("GET".to_owned(), "/api/v1/openapi.json".to_owned()));
    routes
}

/// The `.route("path", get(..).post(..))` calls of a router's source.
fn routes_in_source(source: &str) -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for call in source.split(".route(").skip(1) {
        let arguments = up_to_closing_parenthesis(call);
        let path = arguments.split('"').nth(1).unwrap().to_owned();
        for (marker, method) in [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE")] {
            let called = arguments
                .match_indices(marker)
                .any(|(at, _)| !arguments[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
            if called {
                routes.push((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}

/// The text of a call's arguments: everything up to the parenthesis that closes the one before `text`.
fn up_to_closing_parenthesis(text: &str) -> &str {
    let mut depth = 1;
    for (at, character) in text.char_indices() {
        match character {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &text[..at];
        }
    }
    text
}

async fn add_user(app: &TestApp, username: &str, organisation: &str, role: Role) {
    if app.store.operator().list_users().await.unwrap().iter().any(|user| user.username == username) {
        return;
    }
    let new = NewUser {
        username: username.to_owned(),
        display_name: format!("Test {username}"),
        organisation_code: organisation.to_owned(),
        roles: vec![role],
        password: Some(PASSWORD.to_owned()),
    };
    app.store.operator().create_user(new).await.unwrap();
}

/// The id of the dossier's current Kurzassessment.
pub(crate) async fn current_assessment(app: &TestApp, dossier: i64) -> i64 {
    let owner = app.actor("fallfuehrung.olten").await;
    app.store.get_dossier(&owner, dossier).await.unwrap().kurzassessment_fassung.unwrap().id
}

fn first_link(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).unwrap_or_else(|| panic!("no link {prefix} in {html}")) + prefix.len();
    html[start..].split(['"', '?', '/']).next().unwrap().to_owned()
}

fn location_id(response: &reqwest::Response, prefix: &str) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    location.trim_start_matches(prefix).split(['?', '/']).next().unwrap().to_owned()
}

/// Olten's records: a client with dossier, goal, order, participation, exception request and a transfer; a Neuzuzüger with its
/// hand-over and a possible duplicate; a child; a mentor, a mentee and their tandem; an offer of Lernwerk;
/// a token of the case worker; a register delivery.
async fn olten_records(app: &TestApp) -> Fixture {
    let mut ids: BTreeMap<&'static str, String> = BTreeMap::new();
    let dossier = app.dossier_opened_by("fallfuehrung.olten", MARKER, 2581).await;
    let ziel = app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    let (auftrag, teilnahme, _) = crate::dossier_access::order_and_participation(app, dossier).await;
    let person = app.person_registered_by("fallfuehrung.olten", MARKER, 2581).await;
    let moving = app.dossier_opened_by("fallfuehrung.olten", MARKER, 2581).await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    let transfer =
        case_worker.submit(&format!("/dossiers/{moving}/uebergabe"), &[("gemeinde", "2601".to_owned())]).await;
    assert_eq!(transfer.status(), 303, "{}", transfer.text().await.unwrap());
    ids.insert("dossier", dossier.to_string());
    ids.insert("ziel", ziel.to_string());
    ids.insert("fassung", current_assessment(app, dossier).await.to_string());
    ids.insert("auftrag", auftrag.to_string());
    ids.insert("auftrag_anbieter", auftrag.to_string());
    ids.insert("tid", teilnahme.to_string());
    ids.insert("person", person.to_string());
    ids.insert("vorschlag", "1".to_owned());
    let gesuch = [
        ("massnahme", "BI-2".to_owned()),
        ("beginn", "01.12.2026".to_owned()),
        ("gesuch_begruendung", "Dringend".to_owned()),
    ];
    let asked = case_worker.submit(&format!("/dossiers/{dossier}/ausnahmegesuche"), &gesuch).await;
    assert_eq!(asked.status(), 303, "{}", asked.text().await.unwrap());
    let page = case_worker.get(&format!("/dossiers/{dossier}")).await.text().await.unwrap();
    ids.insert("gid", first_link(&page, &format!("href=\"/dossiers/{dossier}/ausnahmegesuche/")));
    ids.insert("uebergabe", transfer_id(app).await.to_string());

    let officer = app.log_in_as("ib.olten").await;
    let namesake = crate::support::person_input("Tesfamariam-Čelik", 2581);
    let mut namesake = namesake;
    namesake.vornamen = "Selam Ñaomi".to_owned();
    namesake.geburtsdatum = "03.1994".to_owned();
    let data = namesake.parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()).unwrap();
    app.store.create_person(&app.actor("ib.olten").await, data).await.unwrap();
    let neuzuzueger = crate::start_integration::arrival_in_olten(app, true).await;
    ids.insert("neuzuzueger", neuzuzueger.trim_start_matches("/neuzuzueger/").to_owned());
    let duplicates = officer.get("/personen/duplikate").await.text().await.unwrap();
    ids.insert("duplikat", first_link(&duplicates, "action=\"/personen/duplikate/"));
    let hand_over =
        [("empfehlung", "integrationsempfehlung".to_owned()), ("begruendung", "Kein Kurs besucht.".to_owned())];
    let handed = officer.submit(&format!("{neuzuzueger}/fordern"), &hand_over).await;
    assert_eq!(handed.status(), 303, "{}", handed.text().await.unwrap());
    let fordern = app.log_in_as("migrationsamt").await.get("/fordern").await.text().await.unwrap();
    ids.insert("fordern", first_link(&fordern, "href=\"/fordern/"));
    let deliveries = officer.get("/register-import").await.text().await.unwrap();
    ids.insert("lieferung", first_link(&deliveries, "href=\"/register-import/"));
    let child = crate::fruehfoerderung::taken_in(&officer, MARKER, "01.03.2025", 2581).await;
    ids.insert("kind", child.trim_start_matches("/fruehfoerderung/").to_owned());
    ids.insert("teil", "kontakt".to_owned());
    ids.insert("jahr", "2026".to_owned());
    ids.insert("selbstdeklaration", "2026".to_owned());
    ids.insert("bfs", "2581".to_owned());
    ids.insert("gemeinde", "2581".to_owned());
    ids.insert("code", "SI-V".to_owned());
    ids.insert("katalog", "SI-V".to_owned());
    let kanton = app.log_in_as("kanton.aso").await;
    let questionnaire = kanton.get("/selbstdeklaration/2026/fragebogen").await.text().await.unwrap();
    ids.insert("key", first_link(&questionnaire, "/selbstdeklaration/2026/fragen/"));

    let (mentor, mentee, tandem) = mentoring_records(app, dossier).await;
    ids.insert("mentor", mentor);
    ids.insert("mentee", mentee);
    ids.insert("tandem", tandem);

    let lernwerk = app.log_in_as("anbieter.lernwerk").await;
    let offer = crate::angebote_verwaltung::submitted_offer(&lernwerk, "Deutsch am Abend").await;
    ids.insert("angebot", offer.trim_start_matches("/meine-angebote/").to_owned());
    let token = app.store.operator().create_api_token("fallfuehrung.olten", "Fachanwendung", None).await.unwrap().0;
    ids.insert("token", token.id.to_string());
    Fixture { ids }
}

async fn transfer_id(app: &TestApp) -> i64 {
    add_user(app, "fallfuehrung.solothurn", "sr-solothurn", Role::Fallfuehrung).await;
    let receiver = app.actor("fallfuehrung.solothurn").await;
    app.store.incoming_transfers(&receiver).await.unwrap()[0].id
}

/// A vetted mentor, a mentee referred from the dossier and their tandem in the pool of Olten.
async fn mentoring_records(app: &TestApp, dossier: i64) -> (String, String, String) {
    add_user(app, "koordination.olten", "sr-olten", Role::Koordination).await;
    let visitor = crate::mentoring::public_visitor(app).await;
    visitor.submit("/mentoring/anmeldung", &crate::mentoring::sign_up_fields("Vreni Verborgen")).await;
    let coordinator = app.log_in_as("koordination.olten").await;
    let pool = coordinator.get("/mentoring/pool").await.text().await.unwrap();
    let mentor = first_link(&pool, "/mentoring/mentoren/");
    let vetting =
        [("status", "geeignet".to_owned()), ("gespraech_am", "19.11.2026".to_owned()), ("notizen", "Gut.".to_owned())];
    assert_eq!(coordinator.submit(&format!("/mentoring/mentoren/{mentor}"), &vetting).await.status(), 303);
    let referral = [
        ("name", format!("Selam {MARKER}")),
        ("gemeinde", "2581".to_owned()),
        ("sprachen", "ti".to_owned()),
        ("interessen", "sport".to_owned()),
        ("kontakt", "über die Fallführung".to_owned()),
        ("einwilligung", "ja".to_owned()),
        ("einwilligung_am", "20.11.2026".to_owned()),
        ("herkunft", format!("dossier:{dossier}")),
    ];
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.submit("/mentoring/zuweisung", &referral).await.status(), 303);
    let pool = coordinator.get("/mentoring/pool").await.text().await.unwrap();
    let mentee = first_link(&pool, "/mentoring/mentees/");
    let created =
        coordinator.submit(&format!("/mentoring/mentees/{mentee}/tandem"), &[("mentor", mentor.clone())]).await;
    assert_eq!(created.status(), 303);
    let tandem = location_id(&created, "/mentoring/tandems/");
    (mentor, mentee, tandem)
}

/// One caller of another organisation, logged in on the pages and holding an API token.
struct Caller {
    username: &'static str,
    browser: Browser,
    token: String,
}

impl Caller {
    async fn send(&self, app: &TestApp, row: &Row, url: &str) -> reqwest::Response {
        let full = app.url(url);
        let request = match (row.via, row.method) {
            (Public | Page, "GET") => self.browser.client.get(full),
            (Public | Page, _) => self
                .browser
                .client
                .post(full)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("{}&csrf_token={}", row.body, self.browser.csrf_token)),
            (Api, "GET") => app.api().get(full).bearer_auth(&self.token),
            (Api, method) => app
                .api()
                .request(method.parse().unwrap(), full)
                .bearer_auth(&self.token)
                .header("content-type", "application/json")
                .body(row.body),
        };
        request.send().await.unwrap()
    }
}

#[tokio::test]
async fn every_route_has_a_row_and_no_other_organisation_reaches_olten_s_records() {
    let app = TestApp::spawn().await;
    for (username, organisation, role) in CALLERS {
        add_user(&app, username, organisation, *role).await;
    }
    let declared = declared_routes(&app).await;
    let listed: BTreeSet<(String, String)> =
        ROWS.iter().map(|row| (row.method.to_owned(), row.route.to_owned())).collect();
    let missing: Vec<_> = declared.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&declared).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes without a row: {missing:?}; rows without a route: {stale:?}"
    );

    let fixture = olten_records(&app).await;
    for row in ROWS.iter().filter(|row| row.method == "GET" && row.route.contains('{') && row.via != Public) {
        let owner = if row.reach.is_empty() { Fixture::owner(row.route) } else { row.reach[0] };
        let url = fixture.url(row.route);
        let response = if row.via == Api {
            app.api().get(app.url(&url)).bearer_auth(app.token_for(owner).await).send().await.unwrap()
        } else {
            app.log_in_as(owner).await.get(&url).await
        };
        assert_eq!(response.status(), 200, "{owner} must reach {url}");
    }

    let mut callers = Vec::new();
    for (username, _, _) in CALLERS {
        callers.push(Caller { username, browser: app.log_in_as(username).await, token: app.token_for(username).await });
    }
    let mut failures = Vec::new();
    for row in ROWS {
        let url = fixture.url(row.route);
        for caller in &callers {
            let reaches = row.reach.contains(&caller.username);
            if reaches && row.method != "GET" {
                continue;
            }
            let response = caller.send(&app, row, &url).await;
            let status = response.status().as_u16();
            let body = String::from_utf8_lossy(&response.bytes().await.unwrap()).into_owned();
            let names_record = names_record_of_an_organisation(row.route);
            if status >= 500 {
                failures.push(format!("{} {} {url}: {status}", caller.username, row.method));
            } else if names_record && !reaches && status != 404 {
                failures.push(format!("{} {} {url}: {status}, expected 404", caller.username, row.method));
            } else if !reaches && body.contains(MARKER) {
                failures.push(format!("{} {} {url}: discloses a client of Olten", caller.username, row.method));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

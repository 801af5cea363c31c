//! Bounded input and clear errors: page numbers, text lengths, control characters, the return path after
//! login and the security headers. Whatever a request carries, the answer is a German message, never a 500.

use crate::support::{PASSWORD, TestApp, csrf_token_in, person_form, visible_text};
use iim_domain::Role;
use iim_store::NewUser;
use iim_web::Settings;
use serde_json::{Value, json};

/// Every paginated list page: who can see it, and the parameter that carries its page number.
const LIST_PAGES: &[(&str, &str, &str)] = &[
    ("fallfuehrung.olten", "/personen?q=", "seite"),
    ("fallfuehrung.olten", "/dossiers", "seite"),
    ("anbieter.lernwerk", "/auftraege", "seite"),
    ("anbieter.lernwerk", "/meine-angebote", "seite"),
    ("kanton.aso", "/angebote-pruefen", "seite"),
    ("kanton.aso", "/protokoll?benutzer=niemand", "seite"),
    ("ib.olten", "/neuzuzueger", "seite"),
    ("ib.olten", "/fruehfoerderung", "seite"),
    ("ib.olten", "/register-import", "seite"),
    ("migrationsamt", "/fordern", "seite"),
    ("migrationsamt", "/fordern?ansicht=entschieden", "seite"),
    ("koordination.olten", "/mentoring/pool", "seite"),
    ("koordination.olten", "/mentoring/pool", "mseite"),
];

/// Every paginated list of the API, with a user whose token may read it.
const LIST_APIS: &[(&str, &str)] = &[
    ("fallfuehrung.olten", "/api/v1/persons"),
    ("fallfuehrung.olten", "/api/v1/dossiers"),
    ("anbieter.lernwerk", "/api/v1/auftraege"),
];

const HUGE: &str = "9223372036854775807";

fn with_param(path: &str, key: &str, value: &str) -> String {
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}{key}={value}")
}

#[tokio::test]
async fn every_list_answers_any_page_number_without_error() {
    let app = TestApp::spawn().await;
    app.store
        .operator()
        .create_user(NewUser {
            username: "koordination.olten".to_owned(),
            display_name: "Test koordination.olten".to_owned(),
            organisation_code: "sr-olten".to_owned(),
            roles: vec![Role::Koordination],
            password: Some(PASSWORD.to_owned()),
        })
        .await
        .unwrap();
    for (username, path, key) in LIST_PAGES {
        let browser = app.log_in_as(username).await;
        for value in ["-1", "abc", "0", "", "1e9"] {
            let target = with_param(path, key, value);
            let response = browser.get(&target).await;
            assert_eq!(response.status(), 200, "{target}");
            assert!(!response.text().await.unwrap().contains("gibt es nicht"), "{target}: read as page 1");
        }
        for value in [HUGE, "99999999999999999999999", "10001", "2"] {
            let target = with_param(path, key, value);
            let response = browser.get(&target).await;
            assert_eq!(response.status(), 200, "{target}");
            let text = visible_text(&response.text().await.unwrap());
            let asked = value.parse::<u64>().unwrap_or(u64::MAX);
            let notice = format!("Seite {asked} gibt es nicht; die Liste hat 1 Seite. Zur letzten Seite");
            assert!(text.contains(&notice), "{target}: {text}");
        }
    }
    let public = app.api().get(app.url(&format!("/angebote?q=kurs&seite={HUGE}"))).send().await.unwrap();
    assert_eq!(public.status(), 200);
    let text = visible_text(&public.text().await.unwrap());
    assert!(text.contains(&format!("Seite {HUGE} gibt es nicht; die Liste hat 1 Seite.")), "{text}");
    let api = app.api().get(app.url(&format!("/api/v1/angebote?seite={HUGE}"))).send().await.unwrap();
    assert_eq!(api.status(), 200, "the public API answers with its last page");
}

#[tokio::test]
async fn a_page_past_the_end_names_the_page_and_links_to_the_last_one() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let html = browser.get(&format!("/dossiers?seite={HUGE}")).await.text().await.unwrap();
    assert!(visible_text(&html).contains(&format!("Seite {HUGE} gibt es nicht; die Liste hat 1 Seite.")));
    assert!(html.contains(r#"<a href="/dossiers?seite=1">Zur letzten Seite</a>"#), "{html}");
    assert!(!html.contains("Keine Dossiers."), "the notice replaces the empty state");
}

#[tokio::test]
async fn api_lists_refuse_page_numbers_out_of_range_with_a_problem() {
    let app = TestApp::spawn().await;
    for (username, path) in LIST_APIS {
        let token = app.token_for(username).await;
        for value in [HUGE, "-1", "abc", "0", "10001", "99999999999999999999999"] {
            let target = with_param(path, "page", value);
            let response = app.api().get(app.url(&target)).bearer_auth(&token).send().await.unwrap();
            assert_eq!(response.status(), 400, "{target}");
            assert_eq!(response.headers()["content-type"], "application/problem+json", "{target}");
        }
        let fine = app.api().get(app.url(&with_param(path, "page", "10000"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(fine.status(), 200, "{path}: the last page allowed is empty, not an error");
    }
}

/// Logs in through the form with the given return path and answers where the browser is sent.
async fn location_after_login_with(app: &TestApp, weiter: &str) -> String {
    let browser = app.browser();
    let form = browser.get("/login").await.text().await.unwrap();
    let fields = [
        ("username", "fallfuehrung.olten".to_owned()),
        ("password", PASSWORD.to_owned()),
        ("csrf_token", csrf_token_in(&form).unwrap()),
        ("weiter", weiter.to_owned()),
    ];
    let response = browser.submit_raw("/login", &fields).await;
    assert_eq!(response.status(), 303, "login with weiter={weiter:?}");
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn after_login_only_local_paths_are_followed() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/dossiers?seite=2", "/dossiers?seite=2"),
        ("/%09/example.org", "/"),
        ("//example.org", "/"),
        ("/\\example.org", "/"),
        ("https://example.org/", "/"),
        ("/personen\r\nSet-Cookie: x=1", "/"),
        ("/personen\n", "/"),
    ];
    for (weiter, expected) in cases {
        assert_eq!(location_after_login_with(&app, weiter).await, expected, "weiter={weiter:?}");
    }
}

#[tokio::test]
async fn login_form_keeps_no_disguised_return_path() {
    let app = TestApp::spawn().await;
    let html = app.browser().get("/login?weiter=%2F%09%2Fexample.org").await.text().await.unwrap();
    assert!(html.contains(r#"name="weiter" value="/""#), "{html}");
}

#[tokio::test]
async fn every_response_switches_off_unused_browser_features() {
    let app = TestApp::spawn().await;
    for path in ["/login", "/api/v1/persons", "/health", "/gibt-es-nicht"] {
        let response = app.api().get(app.url(path)).send().await.unwrap();
        let policy = response.headers()["permissions-policy"].to_str().unwrap();
        assert!(policy.contains("camera=()") && policy.contains("geolocation=()"), "{path}: {policy}");
        assert!(!response.headers().contains_key("strict-transport-security"), "plain HTTP: no HSTS on {path}");
    }
}

#[tokio::test]
async fn served_over_https_every_response_asks_for_https_only() {
    let app =
        TestApp::spawn_with(Settings { listen: "127.0.0.1:0".to_owned(), secure_cookies: true, ..Settings::default() })
            .await;
    for path in ["/login", "/api/v1/persons", "/health"] {
        let response = app.api().get(app.url(path)).send().await.unwrap();
        let hsts = response.headers()["strict-transport-security"].to_str().unwrap();
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts}");
    }
}

#[tokio::test]
async fn a_long_list_offers_page_numbers_first_and_last_and_says_how_many_pages_it_has() {
    let app = TestApp::spawn().await;
    for index in 0..55 {
        app.person_registered_by("fallfuehrung.olten", &format!("Person {index:02}"), 2581).await;
    }
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let second = browser.get("/personen?q=person&seite=2").await.text().await.unwrap();
    for link in [
        r#"<a href="/personen?q=person&#38;seite=1">« Erste Seite</a>"#,
        r#"<a href="/personen?q=person&#38;seite=3" aria-label="Seite 3">3</a>"#,
        r#"<a href="/personen?q=person&#38;seite=3">Letzte Seite »</a>"#,
    ] {
        assert!(second.contains(link), "{link} in {second}");
    }
    assert!(visible_text(&second).contains("Seite 2 von 3"));
    let beyond = browser.get("/personen?q=person&seite=4").await.text().await.unwrap();
    assert!(visible_text(&beyond).contains("Seite 4 gibt es nicht; die Liste hat 3 Seiten. Zur letzten Seite"));
    assert!(beyond.contains(r#"href="/personen?q=person&#38;seite=3">Zur letzten Seite</a>"#), "{beyond}");
}

fn person_json(nachname: &str, vornamen: &str) -> Value {
    json!({
        "nachname": nachname,
        "vornamen": vornamen,
        "geschlecht": "weiblich",
        "geburtsdatum": "1990-05",
        "nationalitaet": "ER",
        "aufenthaltsstatus": "B-FL",
        "sprachen": ["ti"],
        "wohngemeinde_bfs": 2581
    })
}

fn with_field(fields: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    fields.iter().map(|(key, old)| (*key, if *key == name { value.to_owned() } else { old.clone() })).collect()
}

#[tokio::test]
async fn a_name_of_101_characters_is_refused_at_the_field_on_the_page_and_by_the_api() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let form = browser.get("/personen/neu").await.text().await.unwrap();
    assert!(form.contains(r#"name="nachname" value="" maxlength="100""#), "{form}");

    let long = "Ä".repeat(101);
    let page = browser.submit("/personen", &with_field(&person_form("x", 2581), "nachname", &long)).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"id="nachname-error"><span class="visually-hidden">Fehler: </span>Höchstens 100 Zeichen."#)
    );

    let token = app.token_for("fallfuehrung.olten").await;
    let api = app.api().post(app.url("/api/v1/persons")).bearer_auth(&token);
    let refused = api.json(&person_json(&long, "Selam")).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"]["nachname"], "Höchstens 100 Zeichen.");

    let hundred = "Ä".repeat(100);
    let api = app.api().post(app.url("/api/v1/persons")).bearer_auth(&token);
    assert_eq!(api.json(&person_json(&hundred, "Selam")).send().await.unwrap().status(), 201);
}

#[tokio::test]
async fn a_nul_byte_is_refused_with_a_message_never_a_server_error() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let page = browser.submit("/personen", &with_field(&person_form("x", 2581), "nachname", "Ber\0he")).await;
    assert_eq!(page.status(), 400);
    assert!(visible_text(&page.text().await.unwrap()).contains("Enthält unzulässige Steuerzeichen."));

    let search = browser.get("/personen?q=Ber%00he").await;
    assert_eq!(search.status(), 400);
    assert!(visible_text(&search.text().await.unwrap()).contains("Enthält unzulässige Steuerzeichen."));

    let token = app.token_for("fallfuehrung.olten").await;
    for body in [person_json("Ber\0he", "Selam"), person_json("Berhe", "Se\0lam")] {
        let api = app.api().post(app.url("/api/v1/persons")).bearer_auth(&token);
        let refused = api.json(&body).send().await.unwrap();
        assert_eq!(refused.status(), 400);
        assert_eq!(refused.headers()["content-type"], "application/problem+json");
        let problem: Value = refused.json().await.unwrap();
        assert!(problem["title"].as_str().unwrap().contains("unzulässige Steuerzeichen"), "{problem}");
    }
    let closing = app.api().get(app.url("/api/v1/persons?q=%00")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(closing.status(), 400);
    let listed = app.api().get(app.url("/api/v1/persons")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(listed.json::<Value>().await.unwrap()["total"], 0, "nothing half stored");
}

#[tokio::test]
async fn other_control_characters_in_a_note_are_refused_at_the_field_but_line_breaks_are_kept() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Berhe", 2581).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let form = browser.get(&format!("/dossiers/{dossier}/auftraege/neu")).await.text().await.unwrap();
    assert!(form.contains(r#"rows="5" maxlength="4000""#), "{form}");
    assert!(form.contains(r#"<p class="hint" id="fragestellung-limit">Höchstens 4000 Zeichen.</p>"#), "{form}");
    let fields = |bemerkungen: &str| {
        vec![
            ("datum", "20.11.2026".to_owned()),
            ("richtung", "arbeitsmarktlich".to_owned()),
            ("sprachfoerderbedarf", "ja".to_owned()),
            ("schuljahre", "9".to_owned()),
            ("literalitaet", "alphabetisiert".to_owned()),
            ("arbeitserfahrung", "ausland".to_owned()),
            ("potenzial", "hoch".to_owned()),
            ("dolmetschende", "nein".to_owned()),
            ("bemerkungen", bemerkungen.to_owned()),
        ]
    };
    let refused = browser.submit(&format!("/dossiers/{dossier}/kurzassessment"), &fields("rot\u{1b}[31m")).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Enthält unzulässige Steuerzeichen."));
    let too_long = browser.submit(&format!("/dossiers/{dossier}/kurzassessment"), &fields(&"x".repeat(4001))).await;
    assert_eq!(too_long.status(), 422);
    assert!(too_long.text().await.unwrap().contains("Höchstens 4000 Zeichen."));
}

#[tokio::test]
async fn invalid_utf8_in_a_form_or_a_query_gives_a_german_400() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let body = format!("nachname=M%FCller&csrf_token={}", browser.csrf_token);
    let raw = browser
        .client
        .post(app.url("/personen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert!(visible_text(&raw.text().await.unwrap()).contains("kein gültiger Text"));
    let raw_bytes = browser
        .client
        .post(app.url("/personen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"nachname=M\xfcller".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(raw_bytes.status(), 400);
    let query = browser.get("/personen?q=%C3%28").await;
    assert_eq!(query.status(), 400);
    assert!(visible_text(&query.text().await.unwrap()).contains("kein gültiger Text"));
}

#[tokio::test]
async fn the_openapi_document_names_errors_as_problem_json() {
    let app = TestApp::spawn().await;
    let document: Value = app.api().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let create = &document["paths"]["/api/v1/persons"]["post"]["responses"];
    assert!(create["201"]["content"]["application/json"].is_object(), "{create}");
    for status in ["401", "422"] {
        let content = &create[status]["content"];
        assert!(content["application/problem+json"].is_object() && content["application/json"].is_null(), "{content}");
    }
}

#[tokio::test]
async fn a_form_body_over_2_mb_is_refused_in_german() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let huge = "A".repeat(3 * 1024 * 1024);
    let response = browser.submit("/personen", &[("nachname", huge)]).await;
    assert_eq!(response.status(), 413);
    assert!(visible_text(&response.text().await.unwrap()).contains("Die Eingabe ist zu gross."));
}

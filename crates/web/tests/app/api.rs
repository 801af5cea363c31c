use crate::support::TestApp;
use serde_json::{Value, json};

fn person_json(nachname: &str, bfs: u16) -> Value {
    json!({
        "nachname": nachname,
        "vornamen": "Dawit",
        "geschlecht": "maennlich",
        "geburtsdatum": "1990-05",
        "nationalitaet": "ER",
        "aufenthaltsstatus": "B-FL",
        "ahv_nummer": "7569217076985",
        "sprachen": ["ti", "de"],
        "wohngemeinde_bfs": bfs
    })
}

#[tokio::test]
async fn anonymous_api_calls_get_401_problem() {
    let app = TestApp::spawn().await;
    for request in [
        app.api().get(app.url("/api/v1/persons")),
        app.api().get(app.url("/api/v1/persons/1")),
        app.api().get(app.url("/api/v1/persons")).bearer_auth("iim_erfunden"),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(response.json::<Value>().await.unwrap()["type"], "unauthorized");
    }
}

#[tokio::test]
async fn session_cookie_does_not_open_the_api() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(browser.get("/api/v1/persons").await.status(), 401);
}

#[tokio::test]
async fn token_holder_creates_reads_lists_and_updates_a_person() {
    let app = TestApp::spawn().await;
    let token = app.token_for("fallfuehrung.olten").await;
    let created = app
        .api()
        .post(app.url("/api/v1/persons"))
        .bearer_auth(&token)
        .json(&person_json("Tesfay", 2581))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let person: Value = created.json().await.unwrap();
    assert_eq!(person["geburtsdatum"], "1990-05");
    assert_eq!(person["ahv_nummer"], "756.9217.0769.85");
    assert_eq!(person["wohngemeinde"], "Olten");
    assert_eq!(person["version"], 1);
    assert_eq!(location, format!("/api/v1/persons/{}", person["id"]));

    let read: Value = app.api().get(app.url(&location)).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["nachname"], "Tesfay");

    let list: Value = app
        .api()
        .get(app.url("/api/v1/persons?q=tesf"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], person["id"]);

    let mut change = person_json("Tesfay Ghebre", 2581);
    change["version"] = json!(1);
    let updated = app.api().put(app.url(&location)).bearer_auth(&token).json(&change).send().await.unwrap();
    assert_eq!(updated.status(), 200);
    let updated: Value = updated.json().await.unwrap();
    assert_eq!(updated["nachname"], "Tesfay Ghebre");
    assert_eq!(updated["version"], 2);
}

#[tokio::test]
async fn api_applies_the_same_region_rule() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Olten Person", 2581).await;
    let other = app.token_for("fallfuehrung.thal").await;
    let read = app.api().get(app.url(&format!("/api/v1/persons/{id}"))).bearer_auth(&other).send().await.unwrap();
    assert_eq!(read.status(), 404);
    let mut change = person_json("Übernahme", 2422);
    change["version"] = json!(1);
    let write = app
        .api()
        .put(app.url(&format!("/api/v1/persons/{id}")))
        .bearer_auth(&other)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 404);
    let list: Value =
        app.api().get(app.url("/api/v1/persons")).bearer_auth(&other).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0);
    let provider = app.token_for("anbieter.lernwerk").await;
    let refused = app.api().get(app.url("/api/v1/persons")).bearer_auth(&provider).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token_for("fallfuehrung.olten").await;
    let broken = app
        .api()
        .post(app.url("/api/v1/persons"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"nachname\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    assert_eq!(broken.json::<Value>().await.unwrap()["type"], "bad-request");

    let mut unknown_field = person_json("X", 2581);
    unknown_field["lieblingsfarbe"] = json!("blau");
    let refused =
        app.api().post(app.url("/api/v1/persons")).bearer_auth(&token).json(&unknown_field).send().await.unwrap();
    assert_eq!(refused.status(), 400);

    let mut invalid = person_json("", 2581);
    invalid["geburtsdatum"] = json!("2030");
    invalid["ahv_nummer"] = json!("756.1234.5678.90");
    let response = app.api().post(app.url("/api/v1/persons")).bearer_auth(&token).json(&invalid).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "validation");
    assert_eq!(problem["errors"]["nachname"], "Bitte ausfüllen.");
    assert_eq!(problem["errors"]["geburtsdatum"], "Das Datum liegt in der Zukunft.");
    assert!(problem["errors"]["ahv_nummer"].as_str().unwrap().contains("Prüfziffer"));
    assert_eq!(app.store.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn stale_api_update_gets_409_with_the_current_version() {
    let app = TestApp::spawn().await;
    let token = app.token_for("fallfuehrung.olten").await;
    let id = app.person_registered_by("fallfuehrung.olten", "Version", 2581).await;
    let url = app.url(&format!("/api/v1/persons/{id}"));
    let mut change = person_json("Version Eins", 2581);
    change["version"] = json!(1);
    assert_eq!(app.api().put(&url).bearer_auth(&token).json(&change).send().await.unwrap().status(), 200);
    change["nachname"] = json!("Version Zwei");
    let stale = app.api().put(&url).bearer_auth(&token).json(&change).send().await.unwrap();
    assert_eq!(stale.status(), 409);
    assert_eq!(stale.json::<Value>().await.unwrap()["current_version"], 2);
    let current: Value = app.api().get(&url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(current["nachname"], "Version Eins");
    change.as_object_mut().unwrap().remove("version");
    let without_version = app.api().put(&url).bearer_auth(&token).json(&change).send().await.unwrap();
    assert_eq!(without_version.status(), 422);
}

#[tokio::test]
async fn revoked_token_stops_working() {
    let app = TestApp::spawn().await;
    let token = app.token_for("ib.olten").await;
    let me: Value =
        app.api().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["benutzername"], "ib.olten");
    assert_eq!(me["rollen"][0], "integrationsbeauftragte");
    let id = app.store.operator().list_api_tokens(Some("ib.olten")).await.unwrap()[0].id;
    app.store.operator().revoke_api_token(id).await.unwrap();
    assert_eq!(app.api().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn openapi_document_describes_the_person_api() {
    let app = TestApp::spawn().await;
    let document: Value = app.api().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/persons",
        "/api/v1/persons/{id}",
        "/api/v1/me",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{id}/kurzassessment",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} missing in {:?}", document["paths"]);
    }
    assert!(document["components"]["schemas"].get("PersonDto").is_some());
    assert!(document["components"]["securitySchemes"].get("bearer").is_some());
}

#[tokio::test]
async fn case_worker_creates_a_token_on_the_page_uses_it_and_revokes_it() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let empty = browser.submit("/konto/api-tokens", &[("name", " ".to_owned()), ("tage", "30".to_owned())]).await;
    assert_eq!(empty.status(), 422);
    let created = browser
        .submit("/konto/api-tokens", &[("name", "Schnittstelle Olten-7".to_owned()), ("tage", "30".to_owned())])
        .await;
    assert_eq!(created.status(), 200);
    let html = created.text().await.unwrap();
    let secret =
        html.split("<code class=\"secret\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_owned();
    assert!(secret.starts_with("iim_"));
    let me: Value =
        app.api().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["benutzername"], "fallfuehrung.olten");

    let id = app.store.operator().list_api_tokens(Some("fallfuehrung.olten")).await.unwrap()[0].id;
    let stranger = app.log_in_as("fallfuehrung.thal").await;
    assert_eq!(stranger.submit(&format!("/konto/api-tokens/{id}/widerrufen"), &[]).await.status(), 404);
    let listing = stranger.get("/konto/api-tokens").await.text().await.unwrap();
    assert!(!listing.contains("Schnittstelle Olten-7"), "others' tokens are not listed");

    let revoked = browser.submit(&format!("/konto/api-tokens/{id}/widerrufen"), &[]).await;
    assert_eq!(revoked.headers()["location"], "/konto/api-tokens?hinweis=widerrufen");
    assert_eq!(app.api().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_page_far_beyond_the_end_is_a_problem_not_a_server_error() {
    let app = TestApp::spawn().await;
    let token = app.token_for("fallfuehrung.olten").await;
    for list in ["dossiers", "persons"] {
        let url = app.url(&format!("/api/v1/{list}?page=184467440737095518"));
        let response = app.api().get(url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 400, "{list}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{list}");
    }
}

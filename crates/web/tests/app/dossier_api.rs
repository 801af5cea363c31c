//! The API for the rest of the dossier story: goals, Standortbestimmung, closing, reopening, reassigning.

use crate::support::TestApp;
use serde_json::{Value, json};

/// Posts `body` to `/api/v1/dossiers/{dossier}/{action}` with the user's token.
async fn post(app: &TestApp, username: &str, dossier: i64, action: &str, body: Value) -> (u16, Value) {
    let token = app.token_for(username).await;
    let url = app.url(&format!("/api/v1/dossiers/{dossier}/{action}"));
    let response = app.api().post(url).bearer_auth(token).json(&body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn api_adds_a_goal_and_refuses_an_incomplete_one() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Ziel", 2581).await;
    let goal = json!({ "handlungsfeld": "arbeitsintegration", "ziel": "Praktikum", "kriterium": "Vertrag unterschrieben", "faellig_am": "2027-03-31" });
    let (status, added) = post(&app, "fallfuehrung.olten", dossier, "ziele", goal).await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["status"], "hilfsplan_aktiv");
    assert_eq!(added["hilfsplan"][0]["handlungsfeld"], "arbeitsintegration");
    assert_eq!(added["hilfsplan"][0]["faellig_am"], "2027-03-31");
    assert_eq!(added["hilfsplan"][0]["offen"], true);

    let bad = json!({ "handlungsfeld": "zaubern", "ziel": " ", "kriterium": "x", "faellig_am": "01.01.2020" });
    let (status, problem) = post(&app, "fallfuehrung.olten", dossier, "ziele", bad).await;
    assert_eq!(status, 422);
    assert_eq!(problem["type"], "validation");
    for field in ["handlungsfeld", "ziel", "faellig_am"] {
        assert!(problem["errors"][field].is_string(), "{field}: {problem}");
    }
    let goals = app.store.get_dossier(&app.actor("fallfuehrung.olten").await, dossier).await.unwrap().ziele;
    assert_eq!(goals.len(), 1, "the refused goal is not stored");
}

#[tokio::test]
async fn api_records_a_standortbestimmung_and_refuses_one_that_skips_a_goal() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Standort", 2581).await;
    let goal = app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    let skipped = json!({ "datum": "21.11.2026", "bewertungen": [] });
    let (status, problem) = post(&app, "fallfuehrung.olten", dossier, "standortbestimmung", skipped).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][format!("bewertung_{goal}")], "Bitte dieses Ziel bewerten.");

    let standortbestimmung = json!({ "datum": "2026-11-21", "bewertungen": [{ "ziel_id": goal, "bewertung": "erreicht", "kommentar": "A2 bestanden" }] });
    let (status, dossier_after) =
        post(&app, "fallfuehrung.olten", dossier, "standortbestimmung", standortbestimmung).await;
    assert_eq!(status, 200, "{dossier_after}");
    assert_eq!(dossier_after["hilfsplan"][0]["letzte_bewertung"], "erreicht");
    assert_eq!(dossier_after["hilfsplan"][0]["offen"], false);
    assert_eq!(dossier_after["naechste_standortbestimmung"], "2027-11-21");
    assert_eq!(dossier_after["verlauf"][0]["ereignis"], "standortbestimmung");
}

#[tokio::test]
async fn api_closes_with_a_listed_reason_and_reopens_with_a_reason() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Abschluss", 2581).await;
    let (status, problem) = post(&app, "fallfuehrung.olten", dossier, "abschluss", json!({ "grund": "anderer" })).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["bemerkung"].is_string(), "«anderer» needs a remark: {problem}");
    let (status, problem) =
        post(&app, "fallfuehrung.olten", dossier, "abschluss", json!({ "grund": "keine_lust" })).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["grund"].is_string(), "{problem}");

    let reason = json!({ "grund": "wegzug_ausserkantonal", "bemerkung": "nach Bern" });
    let (status, closed) = post(&app, "fallfuehrung.olten", dossier, "abschluss", reason).await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["status"], "abgeschlossen");
    assert_eq!(closed["verlauf"][0]["einzelheiten"], "Wegzug ausserkantonal: nach Bern");

    let (status, problem) =
        post(&app, "fallfuehrung.olten", dossier, "wiedereroeffnung", json!({ "begruendung": "  " })).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["begruendung"].is_string(), "{problem}");
    let (status, reopened) =
        post(&app, "fallfuehrung.olten", dossier, "wiedereroeffnung", json!({ "begruendung": "zurückgezogen" })).await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["status"], "eroeffnet");
}

#[tokio::test]
async fn api_lets_only_the_leitung_reassign_within_the_stelle() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Zuweisung", 2581).await;
    let to_colleague = json!({ "fallfuehrung": "kollegin.olten" });
    let (status, problem) = post(&app, "fallfuehrung.olten", dossier, "zuweisung", to_colleague.clone()).await;
    assert_eq!(status, 403, "{problem}");
    assert_eq!(problem["type"], "forbidden");
    let (status, problem) =
        post(&app, "leitung.olten", dossier, "zuweisung", json!({ "fallfuehrung": "fallfuehrung.thal" })).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["fallfuehrung"].is_string(), "only case workers of the Stelle: {problem}");

    let (status, handed) = post(&app, "leitung.olten", dossier, "zuweisung", to_colleague).await;
    assert_eq!(status, 200, "{handed}");
    assert_eq!(handed["fallfuehrung"], "Test kollegin.olten");
}

#[tokio::test]
async fn openapi_document_describes_the_new_dossier_endpoints_in_german() {
    let app = TestApp::spawn().await;
    let document: Value = app.api().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in ["ziele", "standortbestimmung", "abschluss", "wiedereroeffnung", "zuweisung"] {
        let operation = &document["paths"][format!("/api/v1/dossiers/{{id}}/{path}")]["post"];
        assert!(operation["summary"].is_string(), "{path} documented");
        for status in ["200", "403", "404", "422"] {
            assert!(operation["responses"][status].is_object(), "{path} documents {status}");
        }
    }
    let summary = document["paths"]["/api/v1/dossiers/{id}/abschluss"]["post"]["summary"].as_str().unwrap();
    assert!(summary.starts_with("Dossier abschliessen"), "{summary}");
}

//! Through HTTP: orders to providers and the provider's own pages, the coaching approval, the worklist,
//! the transfer between Sozialregionen, family links and the closing approval.

use crate::dossiers::open_dossier_for;
use crate::support::{TestApp, visible_text};

async fn provider_id(app: &TestApp, code: &str) -> String {
    app.store.providers().await.unwrap().into_iter().find(|p| p.code == code).unwrap().id.to_string()
}

fn order_form(art: &str, anbieter: &str) -> Vec<(&'static str, String)> {
    vec![("art", art.to_owned()), ("anbieter", anbieter.to_owned()), ("fragestellung", "Ressourcen?".to_owned())]
}

/// The number at the end of a path like `/auftraege/7`.
fn last_number(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("{prefix} not in page")) + prefix.len();
    text[start..].chars().take_while(char::is_ascii_digit).collect()
}

#[tokio::test]
async fn an_order_travels_to_the_provider_and_its_result_back_to_the_worklist() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    let pe = provider_id(&app, "anbieter-potenzial").await;

    let refused = case_worker.submit(&format!("{dossier}/auftraege"), &order_form("integrationscoaching", &pe)).await;
    assert_eq!(refused.status(), 422);
    let page = visible_text(&refused.text().await.unwrap());
    assert!(page.contains("Integrationscoaching ist nur möglich"), "{page}");

    let providers = visible_text(&case_worker.get("/anbieter").await.text().await.unwrap());
    assert!(
        providers.contains(
            "Lernwerk Olten akkreditierter Arbeitsmarktintegrationsanbieter Praxisassessment, Integrationscoaching"
        ),
        "{providers}"
    );
    let ordered =
        case_worker.submit(&format!("{dossier}/auftraege"), &order_form("vertiefte_potenzialerfassung", &pe)).await;
    assert_eq!(ordered.status(), 303);

    let provider = app.log_in_as("anbieter.potenzial").await;
    let list = provider.get("/auftraege").await.text().await.unwrap();
    assert!(visible_text(&list).contains("Haile, Selam"), "{list}");
    let order = last_number(&list, "href=\"/auftraege/");
    let shown = visible_text(&provider.get(&format!("/auftraege/{order}")).await.text().await.unwrap());
    assert!(shown.contains("Ressourcen?") && shown.contains("Ist der Fall komplex?"), "{shown}");
    assert_eq!(provider.get(&dossier).await.status(), 404, "the provider never sees the dossier");
    let other_provider = app.log_in_as("anbieter.lernwerk").await;
    assert_eq!(other_provider.get(&format!("/auftraege/{order}")).await.status(), 404);

    let result = [
        ("ergebnis", "Gute Ressourcen".to_owned()),
        ("empfehlungen", "Arbeitsintegration Modul 2".to_owned()),
        ("komplex", "ja".to_owned()),
    ];
    assert_eq!(provider.submit(&format!("/auftraege/{order}/ergebnis"), &result).await.status(), 303);

    let start = visible_text(&case_worker.get("/").await.text().await.unwrap());
    assert!(start.contains("Vertiefte Potenzialerfassung: Ergebnis eingegangen, wartet seit"), "{start}");
    let worklist = visible_text(&case_worker.get("/pendenzen").await.text().await.unwrap());
    assert!(worklist.contains("Vertiefte Potenzialerfassung: Ergebnis eingegangen"), "{worklist}");
    let page = visible_text(&case_worker.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Gute Ressourcen") && page.contains("verbindlich") && page.contains("Der Fall ist komplex."));
    let acknowledged = case_worker.submit(&format!("{dossier}/auftraege/{order}/kenntnis"), &[]).await;
    assert_eq!(acknowledged.status(), 303);
    let worklist = visible_text(&case_worker.get("/pendenzen").await.text().await.unwrap());
    assert!(worklist.contains("Keine neuen Ergebnisse von Anbietern."), "{worklist}");

    let coaching = case_worker.submit(&format!("{dossier}/auftraege"), &order_form("integrationscoaching", &pe)).await;
    assert_eq!(coaching.status(), 303);
    let leitung = app.log_in_as("leitung.olten").await;
    let approvals = visible_text(&leitung.get("/pendenzen").await.text().await.unwrap());
    assert!(approvals.contains("Integrationscoaching: wartet auf Genehmigung der Leitung"), "{approvals}");
    let dossier_page = leitung.get(&dossier).await.text().await.unwrap();
    let decide =
        format!("{dossier}/auftraege/{}/entscheid", last_number(&dossier_page, &format!("{dossier}/auftraege/")));
    let approved = leitung.submit(&decide, &[("entscheid", "genehmigen".to_owned())]).await;
    assert_eq!(approved.status(), 303);
    let list = visible_text(&provider.get("/auftraege").await.text().await.unwrap());
    assert!(list.contains("Integrationscoaching"), "{list}");
}

#[tokio::test]
async fn a_dossier_moves_to_the_new_stelle_which_accepts_it() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let olten = app.log_in_as("fallfuehrung.olten").await;
    let same_region = olten.submit(&format!("{dossier}/uebergabe"), &[("gemeinde", "2581".to_owned())]).await;
    assert_eq!(same_region.status(), 422);
    let requested = olten
        .submit(&format!("{dossier}/uebergabe"), &[("gemeinde", "2422".to_owned()), ("bemerkung", "Umzug".to_owned())])
        .await;
    assert_eq!(requested.status(), 303);

    let thal = app.log_in_as("fallfuehrung.thal").await;
    assert_eq!(thal.get(&dossier).await.status(), 404);
    let incoming = thal.get("/uebergaben").await.text().await.unwrap();
    assert!(visible_text(&incoming).contains("Haile, Selam"), "{incoming}");
    let id = last_number(&incoming, "/uebergaben/");
    let accepted = thal.submit(&format!("/uebergaben/{id}/annehmen"), &[]).await;
    assert_eq!(accepted.status(), 303);
    assert!(accepted.headers()["location"].to_str().unwrap().starts_with(&dossier));
    let page = visible_text(&thal.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Fallführende Stelle Sozialregion Thal") && page.contains("Übergabe angenommen"), "{page}");
    assert_eq!(
        olten.get(&dossier).await.status(),
        410,
        "the old Stelle no longer sees the dossier, only where it went"
    );
}

#[tokio::test]
async fn family_link_and_closing_with_approval_through_the_pages() {
    let app = TestApp::spawn().await;
    app.store.operator().set_closing_approval("sr-olten", true).await.unwrap();
    let first = open_dossier_for(&app, "fallfuehrung.olten").await;
    let second = open_dossier_for(&app, "fallfuehrung.olten").await;
    let olten = app.log_in_as("fallfuehrung.olten").await;
    let number = second.rsplit('/').next().unwrap().to_owned();
    let linked = olten.submit(&format!("{first}/familie"), &[("dossier", number.clone())]).await;
    assert_eq!(linked.status(), 303);
    let page = olten.get(&first).await.text().await.unwrap();
    assert!(page.contains(&format!("href=\"{second}\"")), "the family member is linked");
    let unknown = olten.submit(&format!("{first}/familie"), &[("dossier", "999999".to_owned())]).await;
    assert_eq!(unknown.status(), 422);

    let closing = [("grund", "nachhaltig_integriert".to_owned()), ("bemerkung", String::new())];
    let submitted = olten.submit(&format!("{first}/abschliessen"), &closing).await;
    assert!(submitted.headers()["location"].to_str().unwrap().ends_with("hinweis=abschluss_beantragt"));
    let leitung = app.log_in_as("leitung.olten").await;
    let refused =
        leitung.submit(&format!("{first}/abschluss/entscheid"), &[("entscheid", "ablehnen".to_owned())]).await;
    assert_eq!(refused.status(), 422, "a refusal needs a reason");
    let approved =
        leitung.submit(&format!("{first}/abschluss/entscheid"), &[("entscheid", "genehmigen".to_owned())]).await;
    assert_eq!(approved.status(), 303);
    let page = visible_text(&olten.get(&first).await.text().await.unwrap());
    assert!(page.contains("Status abgeschlossen"), "{page}");
}

#[tokio::test]
async fn providers_systems_read_orders_and_report_through_the_api() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let dossier_id = dossier.rsplit('/').next().unwrap();
    let case_worker = app.token_for("fallfuehrung.olten").await;
    let pe: i64 = provider_id(&app, "anbieter-potenzial").await.parse().unwrap();
    let body =
        serde_json::json!({ "art": "vertiefte_potenzialerfassung", "anbieter_id": pe, "fragestellung": "Ressourcen?" });
    let ordered = app
        .api()
        .post(app.url(&format!("/api/v1/dossiers/{dossier_id}/auftraege")))
        .bearer_auth(&case_worker)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(ordered.status(), 201);

    let provider = app.token_for("anbieter.potenzial").await;
    let list: serde_json::Value =
        app.api().get(app.url("/api/v1/auftraege")).bearer_auth(&provider).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["fragestellung"], "Ressourcen?");
    let id = list["items"][0]["id"].as_i64().unwrap();
    let report = |body: serde_json::Value| {
        app.api().post(app.url(&format!("/api/v1/auftraege/{id}/ergebnis"))).bearer_auth(&provider).json(&body).send()
    };
    let missing = report(serde_json::json!({ "ergebnis": "Befund", "empfehlungen": "Modul 2" })).await.unwrap();
    assert_eq!(missing.status(), 422);
    let done = report(serde_json::json!({ "ergebnis": "Befund", "empfehlungen": "Modul 2", "komplex": "nein" }))
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let reported: serde_json::Value = done.json().await.unwrap();
    assert_eq!(reported["status"], "ergebnis_eingegangen");
    assert_eq!(reported["ergebnis"]["komplex"], "nein");

    let other = app.token_for("anbieter.lernwerk").await;
    let foreign = app.api().get(app.url(&format!("/api/v1/auftraege/{id}"))).bearer_auth(&other).send().await.unwrap();
    assert_eq!(foreign.status(), 404);
    let case_worker_view = app.api().get(app.url("/api/v1/auftraege")).bearer_auth(&case_worker).send().await.unwrap();
    assert_eq!(case_worker_view.status(), 403);
}

use crate::support::{TestApp, csrf_token_in, konflikt_row, person_form, visible_text};

#[tokio::test]
async fn case_worker_creates_a_person_and_finds_it_in_the_list() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let created = browser.submit("/personen", &person_form("Müller-Çelik", 2581)).await;
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/personen/") && location.ends_with("?hinweis=erfasst"), "{location}");
    let page = visible_text(&browser.get(&location).await.text().await.unwrap());
    assert!(page.contains("Müller-Çelik, Selam") && page.contains("Die Person ist erfasst."), "{page}");
    assert!(page.contains("03.1994") && page.contains("Olten"), "{page}");
    let list = visible_text(&browser.get("/personen?q=muller+celik").await.text().await.unwrap());
    assert!(list.contains("1 Person für «muller celik»") && list.contains("Müller-Çelik, Selam"), "{list}");
}

#[tokio::test]
async fn invalid_form_gets_field_messages_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let mut form = person_form("", 2581);
    form.retain(|(name, _)| *name != "geburtsdatum");
    form.push(("geburtsdatum", "31.02.1990".to_owned()));
    form.retain(|(name, _)| *name != "ahv_nummer");
    form.push(("ahv_nummer", "756.9217.0769.84".to_owned()));
    let response = browser.submit("/personen", &form).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    let text = visible_text(&html);
    assert!(text.contains("Bitte ausfüllen."), "{text}");
    assert!(text.contains("Dieses Datum gibt es nicht."), "{text}");
    assert!(text.contains("Die Prüfziffer der AHV-Nummer stimmt nicht."), "{text}");
    assert!(html.contains("value=\"31.02.1990\""), "input is kept");
    assert_eq!(app.store.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn form_without_csrf_token_is_refused_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let response = browser.submit_raw("/personen", &person_form("Ohne Token", 2581)).await;
    assert_eq!(response.status(), 403);
    let mut forged = person_form("Falsches Token", 2581);
    forged.push(("csrf_token", "nachgemacht".to_owned()));
    assert_eq!(browser.submit_raw("/personen", &forged).await.status(), 403);
    assert_eq!(app.store.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn case_worker_cannot_register_a_person_in_another_region() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let response = browser.submit("/personen", &person_form("Fremd", 2422)).await;
    assert_eq!(response.status(), 422);
    assert!(visible_text(&response.text().await.unwrap()).contains("gehört nicht zu Ihrem Zuständigkeitsgebiet"));
    assert_eq!(app.store.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn case_worker_of_other_region_cannot_see_or_change_the_person() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Geheim", 2581).await;
    let other = app.log_in_as("fallfuehrung.thal").await;
    assert_eq!(other.get(&format!("/personen/{id}")).await.status(), 404);
    assert_eq!(other.get(&format!("/personen/{id}/bearbeiten")).await.status(), 404);
    let mut form = person_form("Übernommen", 2581);
    form.push(("version", "1".to_owned()));
    assert_eq!(other.submit(&format!("/personen/{id}"), &form).await.status(), 404);
    let list = visible_text(&other.get("/personen").await.text().await.unwrap());
    assert!(!list.contains("Geheim"), "{list}");
    let own = app.log_in_as("leitung.olten").await;
    let page = visible_text(&own.get(&format!("/personen/{id}")).await.text().await.unwrap());
    assert!(page.contains("Geheim, Selam"), "the Leitung of the same region sees it: {page}");
}

#[tokio::test]
async fn provider_has_no_access_to_the_register() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    assert_eq!(provider.get("/personen").await.status(), 403);
    assert_eq!(provider.get("/personen/neu").await.status(), 403);
}

#[tokio::test]
async fn stale_edit_is_refused_and_keeps_the_input() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Alt", 2581).await;
    let first = app.log_in_as("fallfuehrung.olten").await;
    let second = app.log_in_as("leitung.olten").await;
    let path = format!("/personen/{id}");
    let edit_form = second.get(&format!("{path}/bearbeiten")).await.text().await.unwrap();
    assert!(edit_form.contains("name=\"version\" value=\"1\""));

    let mut first_edit = person_form("Erste Änderung", 2581);
    first_edit.push(("version", "1".to_owned()));
    let saved = first.submit(&path, &first_edit).await;
    assert_eq!(saved.headers()["location"], format!("{path}?hinweis=gespeichert").as_str());

    let mut second_edit = person_form("Zweite Änderung", 2581);
    second_edit.push(("version", "1".to_owned()));
    let refused = second.submit(&path, &second_edit).await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    let text = visible_text(&html);
    assert!(text.contains("inzwischen hat jemand anderes gespeichert"), "{text}");
    assert_eq!(
        konflikt_row(&html, "Nachname"),
        Some(("Erste Änderung".to_owned(), "Zweite Änderung".to_owned())),
        "both versions side by side: {text}"
    );
    assert!(html.contains("Meine Werte trotzdem speichern"), "{text}");
    assert!(html.contains("value=\"Zweite Änderung\""), "the second person's input is kept");
    assert!(html.contains("name=\"version\" value=\"2\""), "saving again is based on the current version");

    let stored = visible_text(&first.get(&path).await.text().await.unwrap());
    assert!(stored.contains("Erste Änderung, Selam") && stored.contains("Version 2"), "{stored}");
}

#[tokio::test]
async fn list_is_paginated() {
    let app = TestApp::spawn().await;
    for index in 0..30 {
        app.person_registered_by("fallfuehrung.olten", &format!("Person {index:02}"), 2581).await;
    }
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let first = browser.get("/personen").await.text().await.unwrap();
    assert!(visible_text(&first).contains("30 Personen, Seite 1 von 2"));
    assert!(first.contains("href=\"/personen?seite=2\""));
    let second = visible_text(&browser.get("/personen?seite=2").await.text().await.unwrap());
    assert!(second.contains("Person 29") && !second.contains("Person 00"), "{second}");
    let nonsense = browser.get("/personen?seite=abc").await;
    assert_eq!(nonsense.status(), 200, "a bad page number shows the first page");
}

#[tokio::test]
async fn pages_are_german_and_labelled() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let html = browser.get("/personen/neu").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"de-CH\">"));
    assert!(html.contains("href=\"#inhalt\""), "skip link");
    for field in [
        "nachname",
        "vornamen",
        "geburtsdatum",
        "nationalitaet",
        "aufenthaltsstatus",
        "ahv_nummer",
        "einreisedatum",
        "wohngemeinde_bfs",
    ] {
        assert!(html.contains(&format!("<label for=\"{field}\"")), "label for {field}");
    }
    assert!(csrf_token_in(&html).is_some());
    assert!(!html.contains('ß'), "Swiss spelling: ss, no ß");
}

#[tokio::test]
async fn register_list_exports_as_csv_with_formulas_defused_and_logged() {
    let app = TestApp::spawn().await;
    app.person_registered_by("fallfuehrung.olten", "=HYPERLINK(\"http://x\")", 2581).await;
    app.person_registered_by("fallfuehrung.olten", "Müller", 2581).await;
    app.person_registered_by("fallfuehrung.thal", "Andere Region", 2422).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let response = browser.get("/personen/export.csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let body = response.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'), "byte-order mark for Excel");
    assert!(body.contains("'=HYPERLINK"), "{body}");
    assert!(body.contains("Müller;Selam;weiblich;03.1994;Eritrea;F"), "{body}");
    assert!(!body.contains("Andere Region"), "only the own region is exported");
    assert_eq!(body.lines().count(), 3, "header and two persons");
    app.store.flush_audit().await;
    let auditor = app.store.login("kanton.aso", crate::support::PASSWORD, "10.0.0.9").await.unwrap();
    let log = app
        .store
        .list_audit(&auditor, &iim_store::AuditQuery { page: 1, per_page: 50, ..Default::default() })
        .await
        .unwrap();
    assert!(
        log.items
            .iter()
            .any(|e| e.detail.as_deref().is_some_and(|d| d.starts_with("Export") && d.contains(": 2 Personen: ")))
    );
}

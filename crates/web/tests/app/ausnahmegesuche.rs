//! Exception requests through HTTP: the refusal page offers the request with its reason field from the
//! start, the Leitung finds it in «Meine Pendenzen», decides with a required reason, and the case worker
//! reads the decision on the dossier. A Leitung of another Sozialregion finds nothing.

use crate::support::{Browser, PASSWORD, TestApp, person_form, visible_text};
use iim_domain::Role;
use iim_store::NewUser;

/// Registers a person and opens its dossier as `username`; returns the browser and the dossier's path.
async fn dossier_of(app: &TestApp, username: &str) -> (Browser, String) {
    let browser = app.log_in_as(username).await;
    let created = browser.submit("/personen", &person_form("Haile", 2581)).await;
    let person_path = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let opened = browser.submit(&format!("{person_path}/dossier"), &[("sozialhilfe", "ja".to_owned())]).await;
    let dossier = opened.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    (browser, dossier)
}

fn booking() -> Vec<(&'static str, String)> {
    vec![
        ("massnahme", "BI-2".to_owned()),
        ("anbieter", "BBZ Olten".to_owned()),
        ("beginn", "01.12.2026".to_owned()),
        ("geplantes_ende", String::new()),
        ("ausbildung", "keine".to_owned()),
    ]
}

fn request(begruendung: &str) -> Vec<(&'static str, String)> {
    let mut fields = booking();
    fields.push(("gesuch_begruendung", begruendung.to_owned()));
    fields
}

/// The path of the first link on `html` that contains `part`.
fn link_with(html: &str, part: &str) -> String {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|href| href.contains(part))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_case_worker_asks_the_leitung_who_approves_and_the_measure_is_booked() {
    let app = TestApp::spawn().await;
    let (case_worker, dossier) = dossier_of(&app, "fallfuehrung.olten").await;

    let refused = case_worker.submit(&format!("{dossier}/massnahmen"), &booking()).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(visible_text(&html).contains("Ausnahme bei der Leitung beantragen"), "{html}");
    let label = html.split("<label for=\"gesuch_begruendung\">").nth(1).unwrap().split("</label>").next().unwrap();
    assert_eq!(label, "Begründung des Gesuchs", "required, so no «(freiwillig)»");
    assert!(html.contains("<textarea id=\"gesuch_begruendung\" name=\"gesuch_begruendung\" rows=\"5\" maxlength=\"1000\" required aria-describedby=\"gesuch_begruendung-hint gesuch_begruendung-limit\""), "{html}");
    assert!(html.contains("Höchstens 1000 Zeichen."));
    assert!(html.contains("action=\"") && html.contains("/ausnahmegesuche\""), "the request form: {html}");

    let empty = case_worker.submit(&format!("{dossier}/ausnahmegesuche"), &request(" ")).await;
    assert_eq!(empty.status(), 422);
    let text = visible_text(&empty.text().await.unwrap());
    assert!(text.contains("Bitte begründen, warum die Leitung eine Ausnahme bewilligen soll."), "{text}");
    assert!(text.contains("Verlangt mindestens Deutsch A2"), "the criteria stay shown: {text}");
    let too_long = case_worker.submit(&format!("{dossier}/ausnahmegesuche"), &request(&"x".repeat(1001))).await;
    assert_eq!(too_long.status(), 422);
    assert!(visible_text(&too_long.text().await.unwrap()).contains("Höchstens 1000 Zeichen."));

    let sent = case_worker.submit(&format!("{dossier}/ausnahmegesuche"), &request("Intensivkurs A2 läuft")).await;
    assert_eq!(sent.status(), 303);
    let page = visible_text(&case_worker.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Ausnahme beantragt am 21.11.2026 – wartet auf die Leitung"), "{page}");

    let leitung = app.log_in_as("leitung.olten").await;
    let worklist = leitung.get("/pendenzen").await.text().await.unwrap();
    assert!(visible_text(&worklist).contains("Ausnahme für «Bildungsintegration Phase 2"), "{worklist}");
    let gesuch = link_with(&worklist, "/ausnahmegesuche/");
    let start = leitung.get("/").await.text().await.unwrap();
    assert!(
        visible_text(&start).contains("Zu genehmigen Haile, Selam : Ausnahme für «Bildungsintegration Phase 2"),
        "the start page's agenda names it: {}",
        visible_text(&start)
    );
    assert!(start.contains(&format!("href=\"{gesuch}\"")), "and links to the decision page");

    let shown = visible_text(&leitung.get(&gesuch).await.text().await.unwrap());
    for expected in ["Haile", "Bildungsintegration Phase 2", "Verlangt mindestens Deutsch A2", "Intensivkurs A2 läuft"]
    {
        assert!(shown.contains(expected), "missing «{expected}»: {shown}");
    }
    let no_reason = leitung
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "bewilligen".to_owned()), ("begruendung", String::new())],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    assert!(visible_text(&no_reason.text().await.unwrap()).contains("Bitte den Entscheid begründen"));
    let approved = leitung
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "bewilligen".to_owned()), ("begruendung", "Platz frei".to_owned())],
        )
        .await;
    assert_eq!(approved.status(), 303);
    let again = leitung
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "ablehnen".to_owned()), ("begruendung", "Doch nicht".to_owned())],
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(visible_text(&again.text().await.unwrap()).contains("Über dieses Gesuch wurde bereits entschieden."));

    let page = visible_text(&case_worker.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Ausnahme bewilligt am 21.11.2026 von Test leitung.olten: Platz frei"), "{page}");
    assert!(
        page.contains(
            "Ausnahme bewilligt von Test leitung.olten: Platz frei (Gesuch der Fallführung: Intensivkurs A2 läuft)"
        ),
        "booked: {page}"
    );
}

#[tokio::test]
async fn a_refused_request_shows_its_reason_and_another_regions_leitung_finds_nothing() {
    let app = TestApp::spawn().await;
    let (case_worker, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    assert_eq!(case_worker.submit(&format!("{dossier}/ausnahmegesuche"), &request("Dringend")).await.status(), 303);
    let gesuch = link_with(&case_worker.get(&dossier).await.text().await.unwrap(), "/ausnahmegesuche/");
    let as_case_worker = visible_text(&case_worker.get(&gesuch).await.text().await.unwrap());
    assert!(
        as_case_worker.contains("wartet auf den Entscheid der Leitung"),
        "no form for the case worker: {as_case_worker}"
    );
    let own_decision = case_worker
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "bewilligen".to_owned()), ("begruendung", "Selbst".to_owned())],
        )
        .await;
    assert_eq!(own_decision.status(), 403);

    app.store
        .operator()
        .create_user(NewUser {
            username: "leitung.thal".to_owned(),
            display_name: "Test leitung.thal".to_owned(),
            organisation_code: "sr-thal".to_owned(),
            roles: vec![Role::Leitung],
            password: Some(PASSWORD.to_owned()),
        })
        .await
        .unwrap();
    let thal = app.log_in_as("leitung.thal").await;
    assert_eq!(thal.get(&gesuch).await.status(), 404);
    let decided = thal
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "bewilligen".to_owned()), ("begruendung", "Passt".to_owned())],
        )
        .await;
    assert_eq!(decided.status(), 404);
    assert!(!visible_text(&thal.get("/pendenzen").await.text().await.unwrap()).contains("Haile"));

    let leitung = app.log_in_as("leitung.olten").await;
    let refused = leitung
        .submit(
            &format!("{gesuch}/entscheid"),
            &[("entscheid", "ablehnen".to_owned()), ("begruendung", "Erst A2 abwarten".to_owned())],
        )
        .await;
    assert_eq!(refused.status(), 303);
    let page = visible_text(&case_worker.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Ausnahme abgelehnt am 21.11.2026 von Test leitung.olten: Erst A2 abwarten"), "{page}");
    assert!(page.contains("Noch keine Massnahmen gebucht."), "{page}");
}

#[tokio::test]
async fn the_leitungs_own_exception_field_is_required_and_not_marked_optional() {
    let app = TestApp::spawn().await;
    let (_, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    let leitung = app.log_in_as("leitung.olten").await;
    let html = leitung.submit(&format!("{dossier}/massnahmen"), &booking()).await.text().await.unwrap();
    let label = html.split("<label for=\"ausnahme\">").nth(1).unwrap().split("</label>").next().unwrap();
    assert_eq!(label, "Begründung für die Ausnahme");
    assert!(html.contains("<textarea id=\"ausnahme\""), "{html}");
    assert!(!html.contains("Ausnahme bei der Leitung beantragen"), "the Leitung grants it itself");
}

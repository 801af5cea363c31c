//! The whole Durchgehende Fallführung in a real Chromium, as issue 3 tells it: a case worker of Olten opens
//! the dossier, records the Kurzassessment, a Hilfsplan goal and the German level, books a measure (after a
//! refusal by its entry criteria), orders a Praxisassessment, the provider
//! reports, the result arrives in the worklist, the Standortbestimmung is recorded; the person moves to
//! Balsthal, Sozialregion Thal accepts the dossier (Olten loses access), and the dossier is closed as
//! «nachhaltig integriert» with the Leitung's approval.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::browser::{ChromeDriver, choose, click, fill, log_in, log_out, path_of, text_of, wait_for, wait_for_notice};
use crate::support::{PASSWORD, TestApp};
use fantoccini::{Client, Locator};
use iim_domain::Role;
use iim_store::NewUser;

/// Submits the form that holds the element `css` (its own submit button).
async fn submit(client: &Client, css: &str) {
    click(client, Locator::Css(css)).await;
}

#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn the_whole_story_from_opening_to_sustainable_integration() {
    let app = TestApp::spawn().await;
    app.store.operator().set_closing_approval("sr-thal", true).await.unwrap();
    app.store
        .operator()
        .create_user(NewUser {
            username: "leitung.thal".into(),
            display_name: "Test leitung.thal".into(),
            organisation_code: "sr-thal".into(),
            roles: vec![Role::Leitung],
            password: Some(PASSWORD.into()),
        })
        .await
        .unwrap();
    let person = app.person_registered_by("fallfuehrung.olten", "Tesfay", 2581).await;
    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;

    // Olten: open the dossier, Kurzassessment, a goal, an order.
    log_in(&client, &app, "fallfuehrung.olten").await;
    client.goto(&app.url(&format!("/personen/{person}"))).await.unwrap();
    click(&client, Locator::Id("sozialhilfe")).await;
    submit(&client, "form[action$='/dossier'] button[type=submit]").await;
    wait_for_notice(&client, "Das Dossier ist eröffnet.").await;
    let dossier = path_of(&client).await;

    click(&client, Locator::LinkText("Kurzassessment erfassen")).await;
    wait_for(&client, "#datum").await;
    click(&client, Locator::Id("richtung-arbeitsmarktlich")).await;
    click(&client, Locator::Id("sprachfoerderbedarf-ja")).await;
    fill(&client, "schuljahre", "9").await;
    click(&client, Locator::Id("literalitaet-alphabetisiert")).await;
    click(&client, Locator::Id("arbeitserfahrung-ausland")).await;
    click(&client, Locator::Id("potenzial-mittel")).await;
    click(&client, Locator::Id("dolmetschende-ja")).await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Das Kurzassessment ist gespeichert.").await;

    click(&client, Locator::LinkText("Ziel hinzufügen")).await;
    wait_for(&client, "#handlungsfeld").await;
    choose(&client, "handlungsfeld", "arbeitsintegration").await;
    fill(&client, "ziel", "Stelle im ersten Arbeitsmarkt").await;
    fill(&client, "kriterium", "Arbeitsvertrag unterschrieben").await;
    fill(&client, "faellig_am", "30.06.2027").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Das Ziel ist im Hilfsplan.").await;

    click(&client, Locator::LinkText("Sprachstand erfassen")).await;
    wait_for(&client, "#fertigkeit").await;
    choose(&client, "fertigkeit", "gesamt").await;
    click(&client, Locator::Id("niveau-A2")).await;
    choose(&client, "nachweis", "fide").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Der Sprachstand ist gespeichert.").await;

    click(&client, Locator::LinkText("Massnahme buchen")).await;
    wait_for(&client, "#massnahme").await;
    choose(&client, "massnahme", "BI-3").await;
    fill(&client, "beginn", "01.12.2026").await;
    submit(&client, "form.form button[type=submit]").await;
    let refusal = wait_for(&client, ".error-summary").await.text().await.unwrap();
    assert!(refusal.contains("Verlangt mindestens Deutsch B1"), "the entry criteria explain the refusal: {refusal}");
    choose(&client, "massnahme", "AI-1").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Die Massnahme ist gebucht.").await;

    click(&client, Locator::LinkText("Auftrag erteilen")).await;
    wait_for(&client, "#fragestellung").await;
    click(&client, Locator::Id("art-praxisassessment")).await;
    let lernwerk = app.store.providers().await.unwrap().into_iter().find(|p| p.code == "anbieter-lernwerk").unwrap();
    choose(&client, "anbieter", &lernwerk.id.to_string()).await;
    fill(&client, "fragestellung", "Wie belastbar ist Herr Tesfay im Lager?").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Der Auftrag ist erfasst.").await;
    log_out(&client).await;

    // The provider reports in its own view.
    log_in(&client, &app, "anbieter.lernwerk").await;
    click(&client, Locator::Css("nav.main-nav a[href='/auftraege']")).await;
    click(&client, Locator::Css("table.table tbody a")).await;
    wait_for(&client, "#ergebnis").await;
    assert!(text_of(&client, "main").await.contains("Wie belastbar ist Herr Tesfay im Lager?"));
    fill(&client, "ergebnis", "Zuverlässig, pünktlich, körperlich belastbar.").await;
    fill(&client, "empfehlungen", "Arbeitsintegration Modul 3 mit Einsatz im Lager.").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Das Ergebnis ist gemeldet.").await;
    log_out(&client).await;

    // Olten: the result arrives; the Standortbestimmung; the move to Balsthal.
    log_in(&client, &app, "fallfuehrung.olten").await;
    let start = text_of(&client, "main").await;
    assert!(
        start.contains("Tesfay") && start.contains("Praxisassessment: Ergebnis"),
        "the agenda names the result: {start}"
    );
    click(&client, Locator::Css("nav.main-nav a[href='/pendenzen']")).await;
    click(&client, Locator::Css(&format!("table.table a[href='{dossier}']"))).await;
    wait_for(&client, ".result").await;
    assert!(text_of(&client, ".result").await.contains("Zuverlässig, pünktlich"));
    submit(&client, "form[action*='/kenntnis'] button").await;
    wait_for_notice(&client, "Das Ergebnis ist als gelesen markiert.").await;

    click(&client, Locator::LinkText("Standortbestimmung erfassen")).await;
    wait_for(&client, "#datum").await;
    click(&client, Locator::Css("input[value='teilweise']")).await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Die Standortbestimmung ist gespeichert.").await;

    click(&client, Locator::LinkText("Übergabe an andere Stelle beantragen")).await;
    wait_for(&client, "#gemeinde").await;
    choose(&client, "gemeinde", "2422").await;
    fill(&client, "bemerkung", "Umzug nach Balsthal per 1.12.2026").await;
    submit(&client, "form.form button[type=submit]").await;
    wait_for_notice(&client, "Die Übergabe ist beantragt.").await;
    log_out(&client).await;

    // Thal accepts; Olten no longer sees the dossier.
    log_in(&client, &app, "fallfuehrung.thal").await;
    click(&client, Locator::Css("nav.main-nav a[href='/pendenzen']")).await;
    click(&client, Locator::Css("a[href='/uebergaben']")).await;
    assert!(text_of(&client, "main").await.contains("Umzug nach Balsthal"));
    submit(&client, "form[action$='/annehmen'] button").await;
    wait_for_notice(&client, "Sie haben das Dossier übernommen und sind jetzt fallführend.").await;
    assert_eq!(path_of(&client).await, dossier);
    let facts = text_of(&client, "dl.facts").await;
    assert!(facts.contains("Sozialregion Thal") && facts.contains("Test fallfuehrung.thal"), "{facts}");

    // Thal closes; its Leitung approves.
    choose(&client, "grund", "nachhaltig_integriert").await;
    submit(&client, "form[action$='/abschliessen'] button").await;
    wait_for_notice(&client, "Der Abschluss liegt der Leitung zur Genehmigung vor.").await;
    log_out(&client).await;

    log_in(&client, &app, "leitung.thal").await;
    assert!(text_of(&client, "main").await.contains("Abschluss zur Genehmigung, wartet seit"));
    click(&client, Locator::Css("nav.main-nav a[href='/pendenzen']")).await;
    click(&client, Locator::Css(&format!("table.table a[href='{dossier}']"))).await;
    submit(&client, "form[action$='/abschluss/entscheid'] button[value=genehmigen]").await;
    wait_for_notice(&client, "Genehmigt.").await;
    assert!(text_of(&client, "dl.facts").await.contains("abgeschlossen"));
    let timeline = text_of(&client, "ol.timeline").await;
    for step in
        ["Dossier eröffnet", "Ergebnis des Anbieters eingegangen", "Übergabe angenommen", "nachhaltig integriert"]
    {
        assert!(timeline.contains(step), "the timeline shows «{step}»: {timeline}");
    }
    log_out(&client).await;

    log_in(&client, &app, "fallfuehrung.olten").await;
    client.goto(&app.url(&dossier)).await.unwrap();
    assert!(text_of(&client, "h1").await.contains("Dossier übergeben"), "the old Stelle's access has ended");
    assert!(text_of(&client, "main").await.contains("Sie sehen es nicht mehr"), "the bookmark says where it went");

    client.close().await.expect("close browser");
}

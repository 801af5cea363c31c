//! Sprache und Massnahmen through HTTP: recording a level, a booking refused by its entry criteria, the
//! Leitung's exception, ending a participation and its Anschluss, and the catalogue that the Kanton edits.

use crate::support::{Browser, TestApp, person_form, submit_together, version_in, visible_text};

/// Registers a person and opens its dossier as `username`; returns the browser and the dossier's path.
async fn dossier_of(app: &TestApp, username: &str) -> (Browser, String) {
    let browser = app.log_in_as(username).await;
    let created = browser.submit("/personen", &person_form("Haile", 2581)).await;
    let person_path = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let opened = browser.submit(&format!("{person_path}/dossier"), &[("sozialhilfe", "ja".to_owned())]).await;
    assert_eq!(opened.status(), 303);
    let dossier = opened.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    (browser, dossier)
}

fn level(niveau: &str) -> Vec<(&'static str, String)> {
    vec![
        ("datum", "03.02.2026".to_owned()),
        ("fertigkeit", "gesamt".to_owned()),
        ("niveau", niveau.to_owned()),
        ("nachweis", "fide".to_owned()),
        ("bemerkung", String::new()),
    ]
}

fn booking(code: &str, beginn: &str) -> Vec<(&'static str, String)> {
    vec![
        ("massnahme", code.to_owned()),
        ("anbieter", "BBZ Olten".to_owned()),
        ("beginn", beginn.to_owned()),
        ("geplantes_ende", String::new()),
        ("ausbildung", "keine".to_owned()),
    ]
}

async fn page_text(browser: &Browser, path: &str) -> String {
    visible_text(&browser.get(path).await.text().await.unwrap())
}

#[tokio::test]
async fn a_refused_booking_shows_the_reasons_keeps_the_input_and_the_leitung_may_grant_an_exception() {
    let app = TestApp::spawn().await;
    let (case_worker, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    let saved = case_worker.submit(&format!("{dossier}/sprachstand"), &level("A1")).await;
    assert_eq!(saved.status(), 303);

    let refused = case_worker.submit(&format!("{dossier}/massnahmen"), &booking("BI-2", "01.12.2026")).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let text = visible_text(&html);
    assert!(text.contains("Verlangt mindestens Deutsch A2; erfasst ist A1 (fide, 03.02.2026)."), "{text}");
    assert!(text.contains("es ist noch kein Kurzassessment erfasst"), "{text}");
    assert!(text.contains("Eine Ausnahme kann nur die Leitung bewilligen."), "{text}");
    assert!(html.contains("value=\"BBZ Olten\"") && html.contains("value=\"01.12.2026\""), "input kept");
    assert!(!text.contains("Begründung für die Ausnahme"), "no override field for a case worker");

    let leitung = app.log_in_as("leitung.olten").await;
    let offered = leitung.submit(&format!("{dossier}/massnahmen"), &booking("BI-2", "01.12.2026")).await;
    assert_eq!(offered.status(), 422);
    assert!(visible_text(&offered.text().await.unwrap()).contains("Begründung für die Ausnahme"));
    let mut with_reason = booking("BI-2", "01.12.2026");
    with_reason.push(("ausnahme", "Intensivkurs A2 läuft bis Januar".to_owned()));
    let granted = leitung.submit(&format!("{dossier}/massnahmen"), &with_reason).await;
    assert_eq!(granted.status(), 303);

    let page = page_text(&case_worker, &dossier).await;
    assert!(
        page.contains("Sprache und Massnahmen")
            && page.contains("Aktueller Sprachstand: Deutsch A1 (fide, 03.02.2026)"),
        "{page}"
    );
    assert!(page.contains("Bildungsintegration Phase 2"), "{page}");
    assert!(page.contains("Ausnahme bewilligt von Test leitung.olten: Intensivkurs A2 läuft bis Januar"), "{page}");
    assert!(page.contains("Massnahme gebucht"), "timeline: {page}");
}

#[tokio::test]
async fn a_completed_participation_is_flagged_until_its_anschluss_is_recorded() {
    let app = TestApp::spawn().await;
    let (browser, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    assert_eq!(browser.submit(&format!("{dossier}/massnahmen"), &booking("SF-S", "01.08.2026")).await.status(), 303);
    let page = browser.get(&dossier).await.text().await.unwrap();
    let end_link = page.split("href=\"").find(|part| part.contains("/beenden\"")).unwrap().split('"').next().unwrap();
    let anschluss_link = end_link.replace("/beenden", "/anschluss");

    let bad_end = [
        ("ende", "31.07.2026".to_owned()),
        ("anwesenheit", "120".to_owned()),
        ("ergebnis", "abgeschlossen".to_owned()),
    ];
    let refused = browser.submit(end_link, &bad_end).await;
    assert_eq!(refused.status(), 422);
    let text = visible_text(&refused.text().await.unwrap());
    assert!(text.contains("Das Ende liegt vor dem Beginn (01.08.2026).") && text.contains("0 bis 100"), "{text}");

    let end =
        [("ende", "20.11.2026".to_owned()), ("anwesenheit", "92".to_owned()), ("ergebnis", "abgeschlossen".to_owned())];
    assert_eq!(browser.submit(end_link, &end).await.status(), 303);
    let page = page_text(&browser, &dossier).await;
    assert!(page.contains("«ohne Anschluss»") && page.contains("abgeschlossen, Anwesenheit 92 %"), "{page}");

    let form = page_text(&browser, &anschluss_link).await;
    assert!(form.contains("SF-F – Fachbezogene Sprachförderung"), "follow-ups from the catalogue: {form}");
    let anschluss =
        [("art", "weitere_massnahme".to_owned()), ("massnahme", "SF-F".to_owned()), ("text", String::new())];
    assert_eq!(browser.submit_raw(&anschluss_link, &anschluss).await.status(), 403, "CSRF guard");
    assert_eq!(browser.submit(&anschluss_link, &anschluss).await.status(), 303);
    let page = page_text(&browser, &dossier).await;
    assert!(!page.contains("«ohne Anschluss»") && page.contains("weitere Massnahme: SF-F"), "{page}");
    assert!(page.contains("Anschluss erfasst"), "timeline: {page}");
}

#[tokio::test]
async fn other_stelle_is_refused_on_the_forms_and_a_provider_cannot_book() {
    let app = TestApp::spawn().await;
    let (_, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    let thal = app.log_in_as("fallfuehrung.thal").await;
    assert_eq!(thal.get(&format!("{dossier}/sprachstand")).await.status(), 404);
    assert_eq!(thal.get(&format!("{dossier}/massnahmen/neu")).await.status(), 404);
    assert_eq!(thal.submit(&format!("{dossier}/massnahmen"), &booking("SF-S", "01.08.2026")).await.status(), 404);
    let provider = app.log_in_as("anbieter.lernwerk").await;
    assert_eq!(provider.get(&format!("{dossier}/massnahmen/neu")).await.status(), 404);
}

#[tokio::test]
async fn everyone_reads_the_catalogue_and_only_the_kanton_edits_it_as_a_new_version() {
    let app = TestApp::spawn().await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    let catalogue = page_text(&case_worker, "/massnahmen").await;
    assert!(catalogue.contains("Version 1") && catalogue.contains("Bildungsintegration Phase 2"), "{catalogue}");
    assert!(catalogue.contains("mindestens Deutsch A2; schulgewohnt (mindestens 6 Schuljahre); ab 16 Jahren"));
    assert!(!catalogue.contains("Bearbeiten"), "{catalogue}");
    assert_eq!(case_worker.get("/massnahmen/BI-2/bearbeiten").await.status(), 404);
    let edit = [("titel", "Versuch".to_owned()), ("kommentar", "Versuch".to_owned())];
    assert_eq!(case_worker.submit("/massnahmen/BI-2/bearbeiten", &edit).await.status(), 404);
    assert_eq!(app.browser().get("/massnahmen").await.status(), 303, "login first");

    let kanton = app.log_in_as("kanton.aso").await;
    let form = kanton.get("/massnahmen/SI-M/bearbeiten").await.text().await.unwrap();
    assert!(form.contains("value=\"Mentoring / Gotti-Götti\""), "the form shows the measure");
    let mut fields = vec![
        ("titel", "Mentoring und Gotti-Götti".to_owned()),
        ("handlungsfeld", "soziale_integration".to_owned()),
        ("beschreibung", "Begleitung im Alltag".to_owned()),
        ("anbieter", "Regionaler Mentoring-Pool".to_owned()),
        ("mindestniveau", String::new()),
        ("schulgewohnt", "nein".to_owned()),
        ("mindestalter", "18".to_owned()),
        ("lehrvertrag_oder_bfe", "nein".to_owned()),
        ("anschluesse", "SI-V".to_owned()),
        ("aktiv", "ja".to_owned()),
        ("kommentar", String::new()),
    ];
    let refused = kanton.submit("/massnahmen/SI-M/bearbeiten", &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(
        visible_text(&refused.text().await.unwrap()).contains("Bitte kurz festhalten, was geändert wird und warum.")
    );
    fields.retain(|(name, _)| *name != "kommentar");
    fields.push(("kommentar", "Erst ab 18".to_owned()));
    assert_eq!(kanton.submit("/massnahmen/SI-M/bearbeiten", &fields).await.status(), 303);

    let catalogue = page_text(&case_worker, "/massnahmen").await;
    assert!(catalogue.contains("Version 2") && catalogue.contains("Mentoring und Gotti-Götti"), "{catalogue}");
    assert!(catalogue.contains("Erst ab 18") && catalogue.contains("Test kanton.aso"), "history: {catalogue}");

    let deactivated =
        kanton.submit("/massnahmen/SI-V/deaktivieren", &[("kommentar", "Angebot eingestellt".to_owned())]).await;
    assert_eq!(deactivated.status(), 303);
    let (browser, dossier) = dossier_of(&app, "fallfuehrung.olten").await;
    let form = browser.get(&format!("{dossier}/massnahmen/neu")).await.text().await.unwrap();
    assert!(form.contains("SI-M – Mentoring und Gotti-Götti") && !form.contains("SI-V –"), "only active measures");

    assert!(form.contains("<optgroup label=\"Soziale Integration\">"), "grouped by Handlungsfeld: {form}");
    let filtered = browser.get(&format!("{dossier}/massnahmen/neu?filter=gotti+goetti")).await.text().await.unwrap();
    assert!(filtered.contains("SI-M – Mentoring") && !filtered.contains("BI-1 –"), "folded match: {filtered}");
    assert!(visible_text(&filtered).contains("1 von "), "{filtered}");
    let none = browser.get(&format!("{dossier}/massnahmen/neu?filter=Segelkurs")).await.text().await.unwrap();
    assert!(visible_text(&none).contains("Keine Massnahme passt zu «Segelkurs»."), "{none}");
}

fn mentoring_fields(titel: &str, version: String) -> Vec<(&'static str, String)> {
    vec![
        ("titel", titel.to_owned()),
        ("handlungsfeld", "soziale_integration".to_owned()),
        ("beschreibung", "Begleitung im Alltag".to_owned()),
        ("anbieter", "Regionaler Mentoring-Pool".to_owned()),
        ("mindestniveau", String::new()),
        ("schulgewohnt", "nein".to_owned()),
        ("mindestalter", "18".to_owned()),
        ("lehrvertrag_oder_bfe", "nein".to_owned()),
        ("anschluesse", "SI-V".to_owned()),
        ("aktiv", "ja".to_owned()),
        ("kommentar", format!("Titel: {titel}")),
        ("version", version),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stale_edits_of_one_measure_at_once_one_wins_the_other_gets_the_conflict_page() {
    let app = TestApp::spawn().await;
    let (kanton, colleague) = (app.log_in_as("kanton.aso").await, app.log_in_as("kanton.aso").await);
    let path = "/massnahmen/SI-M/bearbeiten";
    let mine = mentoring_fields("Mentoring A", version_in(&kanton.get(path).await.text().await.unwrap()));
    let theirs = mentoring_fields("Mentoring B", version_in(&colleague.get(path).await.text().await.unwrap()));
    assert_eq!(mine[11].1, "1", "the form carries the catalogue version it was loaded with");

    let (first, second) = submit_together((&kanton, path, &mine), (&colleague, path, &theirs)).await;
    let (loser, loser_fields, lost, winner_title) = match [first.status().as_u16(), second.status().as_u16()] {
        [303, 409] => (&colleague, &theirs, second, "Mentoring A"),
        [409, 303] => (&kanton, &mine, first, "Mentoring B"),
        other => panic!("exactly one edit wins, the other gets the conflict page: {other:?}"),
    };
    let conflict = lost.text().await.unwrap();
    let text = visible_text(&conflict);
    assert!(text.contains("Nicht gespeichert") && text.contains(winner_title), "{text}");
    assert!(text.contains(loser_fields[0].1.as_str()) && text.contains("unterschiedlich"), "{text}");
    assert!(text.contains("Meine Werte trotzdem speichern"), "{text}");
    assert!(!text.contains("soziale_integration"), "the Handlungsfeld by its name, never its code: {text}");
    assert!(page_text(loser, "/massnahmen").await.contains(winner_title), "the winner's version stands");

    assert_eq!(loser.submit(path, loser_fields).await.status(), 409, "no silent revert by saving the old form again");
    let mut chosen = loser_fields.clone();
    chosen[11].1 = version_in(&conflict);
    assert_eq!(loser.submit(path, &chosen).await.status(), 303, "an explicit choice saves");
    assert!(page_text(loser, "/massnahmen").await.contains(loser_fields[0].1.as_str()));
}

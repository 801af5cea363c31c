//! The printable Hilfsplan: what the person gets on paper, reached from the dossier page, logged as a read.

use crate::support::{TestApp, visible_text};
use iim_store::AuditQuery;

#[tokio::test]
async fn case_worker_prints_the_hilfsplan_with_goals_per_handlungsfeld_and_a_signature_line() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Haile", 2581).await;
    app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let show = browser.get(&format!("/dossiers/{dossier}")).await.text().await.unwrap();
    assert!(show.contains(&format!("href=\"/dossiers/{dossier}/hilfsplan\">Hilfsplan drucken</a>")), "{show}");

    let response = browser.get(&format!("/dossiers/{dossier}/hilfsplan")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    let page = visible_text(&html);
    for expected in [
        "Individueller Hilfsplan",
        "Person Haile, Selam",
        "Geburtsdatum 03.1994",
        "Fallführende Stelle Sozialregion Olten",
        "Fallführung Test fallfuehrung.olten",
        "Stand vom 21.11.2026",
        "Richtung arbeitsmarktlich",
        "Sprachförderung ab 16 Ziel: Deutsch auf Niveau A2",
        "Erreicht, wenn Zertifikat A2 liegt vor",
        "Fällig bis 30.06.2027",
        "Letzte Bewertung noch nicht bewertet",
        "Nächste Standortbestimmung 20.11.2027",
        "Ort, Datum",
    ] {
        assert!(page.contains(expected), "missing «{expected}»: {page}");
    }
    assert!(!page.contains("Interne Notiz"), "internal remarks stay in the dossier: {page}");
    assert!(html.contains("class=\"signature\""), "signature lines");

    let query = AuditQuery {
        record_id: Some(dossier.to_string()),
        resource: Some(iim_domain::Resource::Dossier),
        ..Default::default()
    };
    let entries = app.audit_entries(query).await;
    let reads = entries.iter().filter(|e| e.action == "read" && e.outcome == "erlaubt").count();
    assert_eq!(reads, 2, "the dossier page and the Hilfsplan are each logged as a read: {entries:?}");
}

#[tokio::test]
async fn print_stylesheet_hides_navigation_and_keeps_goals_together() {
    let app = TestApp::spawn().await;
    let css = app.browser().get("/static/style.css").await.text().await.unwrap();
    let print = css.split("@media print").nth(1).expect("a print stylesheet");
    assert!(print.contains(".site-header") && print.contains(".button") && print.contains("display: none"));
    assert!(print.contains(".print-sheet__goal") && print.contains("break-inside: avoid"));
    assert!(print.contains("color: #000"));
}

/// Adds goals to the Hilfsplan (one titled «Ziel 1: …» by the case worker) and books a measure.
async fn plan_with_goals_and_a_booking(app: &TestApp, dossier: i64, goals: usize) {
    let actor = app.actor("fallfuehrung.olten").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    for number in 1..=goals {
        let goal = iim_domain::dossier::ZielInput {
            handlungsfeld: "sprachfoerderung".to_owned(),
            ziel: format!("Ziel {number}: Deutsch auf Niveau B1 im Alltag und bei der Arbeit"),
            kriterium: "Zertifikat B1 liegt vor; die Person führt ein Telefongespräch mit der Wohngemeinde selbständig und schreibt eine kurze Bewerbung ohne Hilfe.".to_owned(),
            faellig_am: "30.06.2027".to_owned(),
        };
        app.store.add_ziel(&actor, dossier, goal.parse(today).unwrap()).await.unwrap();
    }
    let booking = iim_domain::massnahmen::BuchungInput {
        massnahme: "SF-S".to_owned(),
        anbieter: "BBZ Olten".to_owned(),
        beginn: "01.12.2026".to_owned(),
        geplantes_ende: "30.06.2027".to_owned(),
        ..Default::default()
    };
    app.store.book_massnahme(&actor, dossier, &booking).await.unwrap();
}

#[tokio::test]
async fn the_printed_hilfsplan_names_person_and_date_on_every_page_lists_the_bookings_and_each_goal_once() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Haile", 2581).await;
    app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    plan_with_goals_and_a_booking(&app, dossier, 1).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let html = browser.get(&format!("/dossiers/{dossier}/hilfsplan")).await.text().await.unwrap();

    let head = html.split("<thead class=\"print-frame__head\">").nth(1).unwrap().split("</thead>").next().unwrap();
    let head = visible_text(head);
    assert_eq!(head, "Hilfsplan Haile, Selam Stand vom 21.11.2026", "the head repeated on every printed page");
    let page = visible_text(&html);
    assert!(page.contains("Ziel 1: Deutsch auf Niveau B1 im Alltag"), "{page}");
    assert!(!page.contains("Ziel: Ziel"), "the goal's own «Ziel 1:» is not doubled: {page}");
    assert!(page.contains("Ziel: Deutsch auf Niveau A2"), "a title without «Ziel» gets the word: {page}");
    assert!(page.contains("Gebuchte Massnahmen"), "{page}");
    assert!(
        page.contains(
            "Strukturierte Sprachförderung (SF-S, Katalog Version 1) BBZ Olten 01.12.2026 – geplant 30.06.2027 läuft"
        ),
        "{page}"
    );

    let css = app.browser().get("/static/style.css").await.text().await.unwrap();
    assert!(
        css.contains("@bottom-right { content: \"Seite \" counter(page) \" von \" counter(pages);"),
        "page numbers"
    );
}

/// Prints the Hilfsplan in Chromium through WebDriver's print endpoint and reads the PDF's text per page.
#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn chromium_prints_name_date_and_page_numbers_on_every_page_of_the_hilfsplan() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Haile", 2581).await;
    app.hilfsplan_started("fallfuehrung.olten", dossier).await;
    plan_with_goals_and_a_booking(&app, dossier, 12).await;
    let driver = crate::browser::ChromeDriver::start().await;
    let client = driver.connect().await;
    crate::browser::log_in(&client, &app, "fallfuehrung.olten").await;
    client.goto(&app.url(&format!("/dossiers/{dossier}/hilfsplan"))).await.unwrap();
    crate::browser::wait_for(&client, ".print-sheet").await;

    let pdf = client.print(fantoccini::wd::PrintConfiguration::default()).await.unwrap();
    client.close().await.unwrap();
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();

    assert!(pages.len() >= 2, "twelve goals fill more than one page: {pages:?}");
    let total = pages.len();
    for (index, text) in pages.iter().enumerate() {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&format!("Seite {} von {total}", index + 1)), "page {}: {text}", index + 1);
        assert!(text.contains("Hilfsplan Haile, Selam"), "name on page {}: {text}", index + 1);
        assert!(text.contains("Stand vom 21.11.2026"), "date on page {}: {text}", index + 1);
    }
    let all = pages.join(" ");
    assert!(all.contains("Strukturierte Sprachförderung"), "the booked measure is printed");
    assert!(!all.contains("Ziel: Ziel"), "no doubled goal titles");
}

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

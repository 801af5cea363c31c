//! The Selbstdeklaration through HTTP: the Integrationsbeauftragte fills in and submits, the Kanton sees the
//! status and exports the answers, and nobody reaches another Gemeinde's declaration.

use crate::support::{TestApp, visible_text};
use calamine::{Data, Reader, Xlsx};

fn complete_form() -> Vec<(&'static str, String)> {
    vec![
        ("frage_strategische_leitung", "ja".to_owned()),
        ("frage_schwerpunkte_definiert", "nein".to_owned()),
        ("frage_organisationsmodell", "gemeindeinternes Modell".to_owned()),
        ("frage_erstinfo_gespraeche", "37".to_owned()),
        ("frage_regionaler_austausch", "ja".to_owned()),
        ("frage_bemerkungen", "=SUMME(A1)".to_owned()),
    ]
}

#[tokio::test]
async fn the_officer_saves_a_draft_sees_missing_answers_and_submits() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let page = ib.get("/selbstdeklaration").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Selbstdeklaration 2026: Olten") && html.contains("Entwurf speichern"), "{html}");

    let draft = ib
        .submit(
            "/selbstdeklaration/2026/2581",
            &[("frage_erstinfo_gespraeche", "12".to_owned()), ("aktion", "entwurf".to_owned())],
        )
        .await;
    assert_eq!(draft.status(), 303);
    let refused = ib
        .submit(
            "/selbstdeklaration/2026/2581",
            &[("frage_erstinfo_gespraeche", "12".to_owned()), ("aktion", "einreichen".to_owned())],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("href=\"#frage_strategische_leitung\""), "error summary links to the field");
    assert!(visible_text(&html).contains("ist eine Pflichtfrage"));
    assert!(html.contains("value=\"12\""), "input kept");

    let mut form = complete_form();
    form.push(("aktion", "einreichen".to_owned()));
    let submitted = ib.submit("/selbstdeklaration/2026/2581", &form).await;
    assert_eq!(submitted.status(), 303);
    let text = visible_text(&ib.get("/selbstdeklaration/2026/2581").await.text().await.unwrap());
    assert!(text.contains("Status: eingereicht") && text.contains("von Test ib.olten"), "{text}");
    assert!(!text.contains("Entwurf speichern"), "read-only after submission");
    let again = ib.submit("/selbstdeklaration/2026/2581", &form).await;
    assert_eq!(again.status(), 422);
}

#[tokio::test]
async fn the_kanton_sees_the_status_edits_the_questionnaire_and_exports_a_real_xlsx() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let mut form = complete_form();
    form.push(("aktion", "einreichen".to_owned()));
    assert_eq!(ib.submit("/selbstdeklaration/2026/2581", &form).await.status(), 303);

    let kanton = app.log_in_as("kanton.aso").await;
    let text = visible_text(&kanton.get("/selbstdeklaration?jahr=2026").await.text().await.unwrap());
    assert!(text.contains("eingereicht: 1") && text.contains("Olten"), "{text}");
    let filtered =
        visible_text(&kanton.get("/selbstdeklaration?jahr=2026&status=eingereicht").await.text().await.unwrap());
    assert!(filtered.contains("1 von") && filtered.contains("Olten"), "{filtered}");

    let added = kanton
        .submit(
            "/selbstdeklaration/2026/fragen",
            &[
                ("key", "deutschkurse".to_owned()),
                ("text", "Wie viele Deutschkurse wurden mitfinanziert?".to_owned()),
                ("typ", "zahl".to_owned()),
                ("pflicht", "nein".to_owned()),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let side = visible_text(&kanton.get("/selbstdeklaration/2026/antworten").await.text().await.unwrap());
    assert!(side.contains("Wie viele Deutschkurse wurden mitfinanziert?") && side.contains("Olten"), "{side}");

    let export = kanton.get("/selbstdeklaration/2026/export.xlsx").await;
    assert_eq!(export.status(), 200);
    let bytes = export.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Selbstdeklaration 2026").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let column = header.iter().position(|h| h == "Bemerkungen an den Kanton").unwrap();
    let olten = sheet.rows().find(|r| r[1] == Data::String("Olten".to_owned())).unwrap();
    assert_eq!(olten[column], Data::String("=SUMME(A1)".to_owned()), "exactly the text, as a text cell");
    assert_eq!(olten[3], Data::String("eingereicht".to_owned()));

    let back = kanton
        .submit("/selbstdeklaration/2026/2581/zurueckgeben", &[("begruendung", "Bitte Zahlen prüfen".to_owned())])
        .await;
    assert_eq!(back.status(), 303);
    let own = visible_text(&ib.get("/selbstdeklaration/2026/2581").await.text().await.unwrap());
    assert!(own.contains("Status: Entwurf") && own.contains("Bitte Zahlen prüfen"), "{own}");
}

#[tokio::test]
async fn others_are_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    assert_eq!(ib.get("/selbstdeklaration/2026/2430").await.status(), 404);
    let write = ib.submit("/selbstdeklaration/2026/2430", &[("aktion", "entwurf".to_owned())]).await;
    assert_eq!(write.status(), 404);
    assert_eq!(ib.get("/selbstdeklaration/2026/fragebogen").await.status(), 403);
    assert_eq!(ib.get("/selbstdeklaration/2026/export.xlsx").await.status(), 200, "own Gemeinde only");
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get("/selbstdeklaration/2026/2581").await.status(), 404);
    assert_eq!(case_worker.get("/selbstdeklaration/2026/export.xlsx").await.status(), 404);

    let kanton = app.log_in_as("kanton.aso").await;
    let text = visible_text(&kanton.get("/selbstdeklaration/2026/2430").await.text().await.unwrap());
    assert!(text.contains("Status: nicht begonnen"), "{text}");
    let refused = app
        .audit_entries(iim_store::AuditQuery {
            resource: Some(iim_domain::Resource::Selbstdeklaration),
            page: 1,
            per_page: 100,
            ..iim_store::AuditQuery::default()
        })
        .await;
    assert!(refused.iter().filter(|e| e.outcome == "verweigert" && e.actor_username == "ib.olten").count() >= 2);
}

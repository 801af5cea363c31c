//! Gemeindeorganisation through HTTP: the Kanton's overview of all Gemeinden with filter and export, an
//! Integrationsbeauftragte's own Gemeinde and members, the form with its checks, and refusals.

use crate::fruehfoerderung::integration_officer;
use crate::support::{Browser, TestApp, submit_together, version_in, visible_text};
use iim_store::AuditQuery;

async fn text_of(browser: &Browser, path: &str) -> String {
    visible_text(&browser.get(path).await.text().await.unwrap())
}

fn organisation(beginn: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("vertrag_beginn", beginn.to_owned()),
        ("vertrag_ende", String::new()),
        ("leitung_name", name.to_owned()),
        ("leitung_ressort", "Bildung und Soziales".to_owned()),
        ("ib_kontakt", "Integrationsstelle, 062 000 00 00".to_owned()),
    ]
}

#[tokio::test]
async fn the_kanton_sees_all_gemeinden_filters_them_and_exports_the_overview() {
    let app = TestApp::spawn().await;
    let kanton = app.log_in_as("kanton.aso").await;
    let page = text_of(&kanton, "/gemeinden").await;
    assert!(page.contains("104 Gemeinden"), "{page}");
    assert!(
        page.contains("Leitgemeinde für Herbetswil")
            && page.contains("Leitgemeindemodell, Leitgemeinde Welschenrohr-Gänsbrunnen"),
        "{page}"
    );
    let html = kanton.get("/gemeinden").await.text().await.unwrap();
    let thal = html
        .split("<option value=\"")
        .find(|o| o.contains(">Sozialregion Thal<"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let filtered = text_of(&kanton, &format!("/gemeinden?region={thal}")).await;
    assert!(
        filtered.contains("8 Gemeinden") && filtered.contains("Balsthal") && !filtered.contains("Dulliken"),
        "{filtered}"
    );
    assert!(text_of(&kanton, "/gemeinden?q=gansbrunnen").await.contains("1 Gemeinde"));

    let csv = kanton.get("/gemeinden/export.csv").await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 105, "header and 104 Gemeinden");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("2424;Herbetswil;Sozialregion Thal;Leitgemeindemodell;Welschenrohr-Gänsbrunnen;")),
        "{csv}"
    );
    let filtered_csv = kanton.get(&format!("/gemeinden/export.csv?region={thal}")).await.text().await.unwrap();
    assert!(filtered_csv.lines().count() < 20);
    let xlsx = kanton.get("/gemeinden/export.xlsx").await;
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

#[tokio::test]
async fn an_integration_officer_records_the_strategic_lead_and_sees_only_its_gemeinde() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let page = text_of(&ib, "/gemeinden").await;
    assert!(page.contains("1 Gemeinde") && page.contains("gemeindeintern"), "{page}");
    assert!(!page.contains("Sozialregion Thal"), "no filter over the canton: {page}");

    let form = ib.get("/gemeinden/2581").await.text().await.unwrap();
    assert!(!form.contains("name=\"vertrag_beginn\""), "no contract for a Gemeinde that runs start.integration itself");
    let refused = ib.submit("/gemeinden/2581", &organisation("", "")).await;
    assert_eq!(refused.status(), 422);
    let text = visible_text(&refused.text().await.unwrap());
    assert!(text.contains("Bitte den Namen der strategischen Leitung angeben."), "{text}");
    let tampered = ib.submit("/gemeinden/2581", &organisation("01.01.2027", "Anna Muster")).await;
    assert_eq!(tampered.status(), 422);
    assert!(visible_text(&tampered.text().await.unwrap()).contains("nur im Leitgemeindemodell"));
    let saved = ib.submit("/gemeinden/2581", &organisation("", "Anna Muster")).await;
    assert_eq!(saved.status(), 303);
    let page = text_of(&ib, saved.headers()["location"].to_str().unwrap()).await;
    assert!(
        page.contains("Die Änderungen sind gespeichert.") && page.contains("Anna Muster (Bildung und Soziales)"),
        "{page}"
    );
    assert_eq!(ib.submit_raw("/gemeinden/2581", &organisation("", "X")).await.status(), 403, "CSRF guard");

    assert_eq!(ib.get("/gemeinden/2422").await.status(), 404);
    assert_eq!(ib.submit("/gemeinden/2422", &organisation("", "Anna Muster")).await.status(), 404);
    assert_eq!(ib.get("/gemeinden/9999").await.status(), 404);
    let query = AuditQuery { resource: Some(iim_domain::Resource::Gemeindeorganisation), ..Default::default() };
    let log = app.audit_entries(query).await;
    assert!(log.iter().any(|e| e.record_id.as_deref() == Some("2422") && e.outcome == "verweigert"), "{log:?}");
    assert!(log.iter().any(|e| e.record_id.as_deref() == Some("2581")
        && e.detail.as_deref() == Some("Gemeindeorganisation Olten: neu erfasst")));

    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get("/gemeinden").await.status(), 403);
}

#[tokio::test]
async fn a_leitgemeinde_records_the_contract_of_its_member() {
    let app = TestApp::spawn().await;
    integration_officer(&app, "ib.welschenrohr", 2430).await;
    let ib = app.log_in_as("ib.welschenrohr").await;
    let page = text_of(&ib, "/gemeinden").await;
    assert!(page.contains("2 Gemeinden") && page.contains("Herbetswil"), "{page}");
    let refused = ib.submit("/gemeinden/2424", &organisation("", "Peter Beispiel")).await;
    assert_eq!(refused.status(), 422);
    assert!(
        visible_text(&refused.text().await.unwrap())
            .contains("Im Leitgemeindemodell braucht der Vertrag einen Beginn.")
    );
    let mut ended_early = organisation("01.01.2027", "Peter Beispiel");
    ended_early[1].1 = "01.01.2026".to_owned();
    let refused = ib.submit("/gemeinden/2424", &ended_early).await;
    assert!(
        visible_text(&refused.text().await.unwrap()).contains("Das Vertragsende liegt nach dem Beginn (01.01.2027).")
    );
    assert_eq!(ib.submit("/gemeinden/2424", &organisation("01.01.2027", "Peter Beispiel")).await.status(), 303);
    assert!(text_of(&ib, "/gemeinden").await.contains("ab 01.01.2027, unbefristet"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sessions_saving_one_gemeinde_at_once_one_wins_the_other_sees_both_values_and_must_choose() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let kanton = app.log_in_as("kanton.aso").await;
    let mut mine = organisation("", "Anna Muster");
    mine.push(("version", version_in(&ib.get("/gemeinden/2581").await.text().await.unwrap())));
    let mut theirs = organisation("", "Beat Beispiel");
    theirs.push(("version", version_in(&kanton.get("/gemeinden/2581").await.text().await.unwrap())));
    assert_eq!((mine[5].1.as_str(), theirs[5].1.as_str()), ("0", "0"), "nothing recorded yet");

    let (first, second) = submit_together((&ib, "/gemeinden/2581", &mine), (&kanton, "/gemeinden/2581", &theirs)).await;
    let statuses = [first.status().as_u16(), second.status().as_u16()];
    let (loser, loser_fields, lost, winner_name) = match statuses {
        [303, 409] => (&kanton, &theirs, second, "Anna Muster"),
        [409, 303] => (&ib, &mine, first, "Beat Beispiel"),
        other => panic!("exactly one save wins, the other gets the conflict page: {other:?}"),
    };
    let conflict = lost.text().await.unwrap();
    let text = visible_text(&conflict);
    let loser_name = &loser_fields[2].1;
    assert!(text.contains("Nicht gespeichert: inzwischen hat jemand anderes gespeichert"), "{text}");
    assert!(text.contains(winner_name) && text.contains(loser_name.as_str()), "both values side by side: {text}");
    assert!(text.contains("unterschiedlich") && text.contains("1 Angaben unterscheiden sich"), "{text}");
    assert!(text.contains("Meine Werte trotzdem speichern") && text.contains("Werte der Kollegin übernehmen"));
    assert!(text.contains(&format!("{winner_name} (Bildung und Soziales)")), "the winner's save stands: {text}");

    let again = loser.submit("/gemeinden/2581", loser_fields).await;
    assert_eq!(again.status(), 409, "the stale form saved again does not silently revert the colleague's change");
    let mut chosen = loser_fields.clone();
    chosen[5].1 = version_in(&conflict);
    assert_eq!(chosen[5].1, "1", "the conflict page carries the current version");
    assert_eq!(loser.submit("/gemeinden/2581", &chosen).await.status(), 303, "«Meine Werte trotzdem speichern»");
    assert!(text_of(loser, "/gemeinden/2581").await.contains(&format!("{loser_name} (Bildung und Soziales)")));
}

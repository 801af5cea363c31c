//! Through HTTP: the upload of register deliveries (XML files and zips, multipart), the result per file with
//! the refused events, idempotent re-upload, the Integrationsbeauftragte limited to her own Gemeinden, the list
//! and detail of earlier deliveries, and refusals of those without the right.

use crate::support::{Browser, TestApp, visible_text};
use iim_domain::Role;
use iim_store::{AuditQuery, NewUser};
use std::io::Write;

const BOUNDARY: &str = "iim-test-grenze-7d1f";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../ech/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A zip archive with the given entries.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        archive.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        archive.write_all(content).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

/// A multipart body as a browser sends the upload form: the token first, then the files.
fn multipart(token: &str, files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n").into_bytes();
    for (name, content) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dateien\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend(content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

async fn upload_with(browser: &Browser, token: &str, files: &[(&str, Vec<u8>)]) -> reqwest::Response {
    browser
        .client
        .post(format!("{}/register-import", browser.base))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(token, files))
        .send()
        .await
        .unwrap()
}

async fn upload(browser: &Browser, files: &[(&str, Vec<u8>)]) -> reqwest::Response {
    upload_with(browser, &browser.csrf_token, files).await
}

async fn add_user(app: &TestApp, username: &str, organisation: &str, role: Role) {
    let user = NewUser {
        username: username.to_owned(),
        display_name: format!("Test {username}"),
        organisation_code: organisation.to_owned(),
        roles: vec![role],
        password: Some(crate::support::PASSWORD.to_owned()),
    };
    app.store.operator().create_user(user).await.unwrap();
}

#[tokio::test]
async fn an_uploaded_delivery_is_imported_once_and_listed() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let form = ib.get("/register-import").await;
    assert_eq!(form.status(), 200);
    assert!(visible_text(&form.text().await.unwrap()).contains("Noch keine Lieferung importiert."));

    let first = upload(&ib, &[("zuzug.xml", fixture("move-in-from-abroad.xml"))]).await;
    assert_eq!(first.status(), 200);
    let page = visible_text(&first.text().await.unwrap());
    assert!(page.contains("zuzug.xml: importiert"), "{page}");
    assert!(page.contains("Gespeichert 1"), "{page}");
    assert!(page.contains("nichts wurde abgelehnt"), "{page}");

    let again = upload(&ib, &[("zuzug.xml", fixture("move-in-from-abroad.xml"))]).await;
    let page = visible_text(&again.text().await.unwrap());
    assert!(page.contains("zuzug.xml: bereits importiert"), "{page}");

    let list = visible_text(&ib.get("/register-import").await.text().await.unwrap());
    assert!(list.contains("1 Lieferungen"), "{list}");
    assert!(list.contains("zuzug.xml"), "{list}");
    assert!(list.contains("ib.olten"), "{list}");
    let query = AuditQuery { username: Some("ib.olten".to_owned()), ..Default::default() };
    let entries = app.audit_entries(query).await;
    assert!(entries.iter().any(|e| e.channel == "ui" && e.detail.as_deref().unwrap_or("").contains("eCH-0020-Import")));
}

#[tokio::test]
async fn a_zip_is_imported_entry_by_entry_and_refusals_are_listed_with_event_and_field() {
    let app = TestApp::spawn().await;
    add_user(&app, "admin.kanton", "aso", Role::Admin).await;
    let admin = app.log_in_as("admin.kanton").await;
    let archive = zip_of(&[
        ("b-basis.xml", fixture("base-delivery.xml")),
        ("a-zuzug.xml", fixture("move-in-from-abroad.xml")),
        ("liesmich.txt", b"Lieferungen KW 47".to_vec()),
    ]);
    let response = upload(&admin, &[("woche-47.zip", archive), ("kaputt.xml", b"<kein-xml".to_vec())]).await;
    assert_eq!(response.status(), 200);
    let page = visible_text(&response.text().await.unwrap());
    let zuzug = page.find("woche-47.zip/a-zuzug.xml: importiert").expect("entries in name order");
    let basis = page.find("woche-47.zip/b-basis.xml: importiert").expect("the base delivery");
    assert!(zuzug < basis, "{page}");
    assert!(page.contains("woche-47.zip/liesmich.txt: übersprungen keine XML-Datei"), "{page}");
    assert!(page.contains("kaputt.xml: abgelehnt"), "{page}");
    assert!(
        page.contains("2 baseDelivery baseDeliveryPerson/vn Die Prüfziffer der AHV-Nummer stimmt nicht."),
        "{page}"
    );
    assert!(page.contains("2 Ereignisse oder Dateien wurden abgelehnt"), "{page}");

    let list = admin.get("/register-import").await.text().await.unwrap();
    let id = list.split("href=\"/register-import/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let detail = visible_text(&admin.get(&format!("/register-import/{id}")).await.text().await.unwrap());
    assert!(detail.contains("Lieferung woche-47.zip/"), "{detail}");
}

#[tokio::test]
async fn an_integration_officer_of_another_gemeinde_has_the_events_refused_and_sees_only_her_deliveries() {
    let app = TestApp::spawn().await;
    add_user(&app, "ib.balsthal", "gde-2422", Role::Integrationsbeauftragte).await;
    let olten = app.log_in_as("ib.olten").await;
    upload(&olten, &[("olten.xml", fixture("move-in-from-abroad.xml"))]).await;
    let balsthal = app.log_in_as("ib.balsthal").await;

    let resent = String::from_utf8(fixture("move-in-from-abroad.xml")).unwrap().replace("0001", "0002");
    let response = upload(&balsthal, &[("fremd.xml", resent.into_bytes())]).await;
    let page = visible_text(&response.text().await.unwrap());
    assert!(page.contains("Gespeichert 0"), "{page}");
    assert!(page.contains("1 moveIn reportingMunicipality/municipalityId Die Gemeinde Olten"), "{page}");
    assert_eq!(app.store.list_persons(&app.actor("ib.olten").await, &Default::default()).await.unwrap().total, 1);

    let list = balsthal.get("/register-import").await.text().await.unwrap();
    assert!(!list.contains("olten.xml"), "another organisation's delivery is not listed");
    let olten_list = olten.get("/register-import").await.text().await.unwrap();
    let id = olten_list.split("href=\"/register-import/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(balsthal.get(&format!("/register-import/{id}")).await.status(), 404);
    let query = AuditQuery { username: Some("ib.balsthal".to_owned()), ..Default::default() };
    let refusals = app.audit_entries(query).await;
    assert!(refusals.iter().any(|e| e.resource == "register_import" && e.outcome == "verweigert"));
}

#[tokio::test]
async fn a_provider_and_a_form_without_token_are_refused() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    assert_eq!(provider.get("/register-import").await.status(), 403);
    let response = upload(&provider, &[("zuzug.xml", fixture("move-in-from-abroad.xml"))]).await;
    assert_eq!(response.status(), 403);
    let ib = app.log_in_as("ib.olten").await;
    let forged = upload_with(&ib, "falsch", &[("zuzug.xml", fixture("move-in-from-abroad.xml"))]).await;
    assert_eq!(forged.status(), 403);
    let empty = upload(&ib, &[]).await;
    assert_eq!(empty.status(), 422);
    assert!(visible_text(&empty.text().await.unwrap()).contains("Bitte mindestens eine Datei wählen"));
    assert!(ib.get("/register-import").await.text().await.unwrap().contains("Noch keine Lieferung importiert."));
    let query = AuditQuery { username: Some("anbieter.lernwerk".to_owned()), ..Default::default() };
    assert!(
        app.audit_entries(query).await.iter().any(|e| e.resource == "register_import" && e.outcome == "verweigert")
    );
}

/// The page without its `<details>` elements: what a social worker sees at first.
fn main_list(html: &str) -> String {
    let mut rest = html;
    let mut shown = String::new();
    while let Some(start) = rest.find("<details") {
        shown.push_str(&rest[..start]);
        rest = rest[start..].split_once("</details>").map_or("", |(_, after)| after);
    }
    shown.push_str(rest);
    visible_text(&shown)
}

#[tokio::test]
async fn skipped_and_refused_events_are_grouped_by_reason_and_field_paths_stay_in_the_details() {
    let app = TestApp::spawn().await;
    add_user(&app, "ib.balsthal", "gde-2422", Role::Integrationsbeauftragte).await;
    let balsthal = app.log_in_as("ib.balsthal").await;
    let olten = String::from_utf8(fixture("move-in-from-abroad.xml")).unwrap();
    let response =
        upload(&balsthal, &[("bestand.xml", fixture("base-delivery.xml")), ("olten.xml", olten.into_bytes())]).await;
    let html = response.text().await.unwrap();
    let shown = main_list(&html);
    assert!(shown.contains("2 × Einwohnerbestand: Person dem Cockpit nicht bekannt"), "{shown}");
    assert!(shown.contains("1 × Gemeinde ausserhalb Ihres Zuständigkeitsbereichs"), "{shown}");
    assert!(shown.contains("1 × Fehler in der Lieferung"), "{shown}");
    for path in ["reportingMunicipality", "baseDeliveryPerson/vn", "moveIn"] {
        assert!(!shown.contains(path), "{path} in the main list: {shown}");
    }
    assert!(visible_text(&html).contains("baseDeliveryPerson/vn"), "the detail view keeps the field");

    let list = balsthal.get("/register-import").await.text().await.unwrap();
    let ids: Vec<String> =
        list.split("href=\"/register-import/").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect();
    let mut pages = String::new();
    for id in ids {
        pages.push_str(&balsthal.get(&format!("/register-import/{id}")).await.text().await.unwrap());
    }
    let shown = main_list(&pages);
    assert!(shown.contains("2 × Einwohnerbestand: Person dem Cockpit nicht bekannt"), "{shown}");
    assert!(shown.contains("1 × Zuzug: Gemeinde ausserhalb Ihres Zuständigkeitsbereichs"), "{shown}");
    assert!(!shown.contains("reportingMunicipality") && !shown.contains("Müller"), "{shown}");
}

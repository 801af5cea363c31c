//! Through HTTP: the Leitung uploads the Sozialregion's Excel list, sees the preview with every row it would
//! create and every refused row with its reason, confirms, and a second upload creates nothing; the template
//! downloads; a case worker may do none of it; a file over 10 MB gets a clear message.

use crate::support::{Browser, TestApp, visible_text};
use calamine::Reader;
use iim_domain::caseload::Spalte;

const BOUNDARY: &str = "iim-test-fallliste-51c3";

fn list() -> Vec<u8> {
    let header: Vec<&str> = Spalte::ALL.iter().map(|s| s.titel()).collect();
    let mut csv = header.join(";") + "\n";
    for name in ["Haile", "Berhe", "Tesfay"] {
        csv.push_str(&format!(
            "{name};Selam;1994;;w;ER;F;Olten;ja;01.02.2025;fallfuehrung.olten;15.03.2025;Sprache: Deutsch A2;A1;SF-S\n"
        ));
    }
    csv.push_str("Zweifel;Ana;1990;756.9217.0769.84;w;PT;B;2581;ja;01.02.2025;fallfuehrung.olten;;;;\n");
    csv.into_bytes()
}

fn multipart(token: &str, name: &str, content: &[u8]) -> Vec<u8> {
    let mut body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n").into_bytes();
    body.extend(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"datei\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .bytes(),
    );
    body.extend(content);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
    body
}

async fn upload(browser: &Browser, content: &[u8]) -> reqwest::Response {
    browser
        .client
        .post(format!("{}/fallliste-import", browser.base))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(&browser.csrf_token, "fallliste.csv", content))
        .send()
        .await
        .unwrap()
}

fn hidden(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_leitung_previews_confirms_and_a_second_upload_creates_nothing() {
    let app = TestApp::spawn().await;
    let leitung = app.log_in_as("leitung.olten").await;
    let form = leitung.get("/fallliste-import").await;
    assert_eq!(form.status(), 200);
    assert!(visible_text(&form.text().await.unwrap()).contains("Vorschau anzeigen"));
    let start = leitung.get("/").await.text().await.unwrap();
    assert!(start.contains("href=\"/fallliste-import\""), "the Leitung's navigation links the page");

    let preview = upload(&leitung, &list()).await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    let page = visible_text(&html);
    assert!(
        page.contains("3 Dossiers würden angelegt, 0 Zeilen bereits früher übernommen, 1 Zeilen nicht übernommen"),
        "{page}"
    );
    assert!(page.contains("5 Zweifel Ana AHV-Nummer ungültig: Die Prüfziffer der AHV-Nummer stimmt nicht."), "{page}");
    assert!(page.contains("2 Haile Selam 1994 Olten fallfuehrung.olten 01.02.2025 1 1"), "{page}");
    let caseload = visible_text(&leitung.get("/dossiers").await.text().await.unwrap());
    assert!(!caseload.contains("Haile"), "the preview stores nothing");

    let fields = [("form_token", hidden(&html, "form_token")), ("token", hidden(&html, "token"))];
    let confirmed = leitung.submit("/fallliste-import/bestaetigen", &fields).await;
    assert_eq!(confirmed.status(), 200);
    let page = visible_text(&confirmed.text().await.unwrap());
    assert!(
        page.contains("3 Dossiers angelegt, 0 Zeilen bereits früher übernommen, 1 Zeilen nicht übernommen"),
        "{page}"
    );
    let caseload = leitung.get("/dossiers").await.text().await.unwrap();
    assert!(visible_text(&caseload).contains("Haile") && caseload.contains("Tesfay"), "{caseload}");
    let id: String = caseload
        .split("href=\"/dossiers/")
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect::<String>())
        .find(|id| !id.is_empty())
        .unwrap();
    let dossier = leitung.get(&format!("/dossiers/{id}")).await;
    assert_eq!(dossier.status(), 200, "an imported dossier opens like any other");
    let dossier = visible_text(&dossier.text().await.unwrap());
    assert!(dossier.contains("Aus der bisherigen Fallliste übernommen"), "{dossier}");
    assert_eq!(leitung.get(&format!("/dossiers/{id}/hilfsplan")).await.status(), 200);

    let again = visible_text(&upload(&leitung, &list()).await.text().await.unwrap());
    assert!(again.contains("0 Dossiers würden angelegt, 3 Zeilen bereits früher übernommen"), "{again}");
    assert!(again.contains("Es gibt nichts zu übernehmen."), "{again}");

    let expired = leitung.submit("/fallliste-import/bestaetigen", &[("token", "unbekannt".to_owned())]).await;
    assert_eq!(expired.status(), 422);
    assert!(visible_text(&expired.text().await.unwrap()).contains("Die Vorschau ist abgelaufen."));
}

#[tokio::test]
async fn the_template_downloads_as_csv_and_xlsx_with_the_german_columns() {
    let app = TestApp::spawn().await;
    let leitung = app.log_in_as("leitung.olten").await;
    let csv = leitung.get("/fallliste-import/vorlage.csv").await.text().await.unwrap();
    assert!(csv.contains("Name;Vorname;Geburtsdatum;AHV-Nummer;Geschlecht;Staatsangehörigkeit"), "{csv}");
    let xlsx = leitung.get("/fallliste-import/vorlage.xlsx").await.bytes().await.unwrap();
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Fallliste").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(header, Spalte::ALL.iter().map(|s| s.titel().to_owned()).collect::<Vec<_>>());
    assert!(workbook.worksheet_range("Erläuterungen").is_ok());
}

#[tokio::test]
async fn a_case_worker_may_not_take_over_a_caseload_and_a_file_over_10_mb_is_refused() {
    let app = TestApp::spawn().await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get("/fallliste-import").await.status(), 403);
    assert_eq!(case_worker.get("/fallliste-import/vorlage.csv").await.status(), 403);
    assert_eq!(upload(&case_worker, &list()).await.status(), 403);
    let start = case_worker.get("/").await.text().await.unwrap();
    assert!(!start.contains("href=\"/fallliste-import\""));

    let leitung = app.log_in_as("leitung.olten").await;
    let big = vec![b'a'; iim_domain::caseload::MAX_BYTES + 1];
    let refused = upload(&leitung, &big).await;
    assert_eq!(refused.status(), 413);
    assert!(visible_text(&refused.text().await.unwrap()).contains("grösser als 10 MB"));
}

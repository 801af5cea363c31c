//! The caseload export from the caseload page, as XLSX and CSV: scope, columns, defused cells, the log.

use crate::support::TestApp;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use iim_store::AuditQuery;

/// The first sheet's cells, and whether any cell carries a formula.
pub fn read_xlsx(bytes: &[u8]) -> (Vec<Vec<Data>>, bool) {
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid XLSX file");
    let range = workbook.worksheet_range("Fälle").expect("sheet «Fälle»");
    let formulas = workbook.worksheet_formula("Fälle").expect("formulas readable");
    let has_formula = formulas.used_cells().any(|(_, _, formula)| !formula.is_empty());
    (range.rows().map(<[Data]>::to_vec).collect(), has_formula)
}

fn text(cell: &Data) -> String {
    cell.to_string()
}

/// The date of a cell Excel treats as a date (a day count styled as date), or `None`.
fn excel_date(cell: &Data) -> Option<NaiveDate> {
    let Data::DateTime(serial) = cell else { return None };
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(serial.as_f64() as u64))
}

/// Two dossiers of the Olten case worker (one named like a formula), one of a colleague, one in Thal.
async fn caseloads(app: &TestApp) -> (i64, i64) {
    let formula = app.dossier_opened_by("fallfuehrung.olten", "=HYPERLINK(\"http://x\")", 2581).await;
    let planned = app.dossier_opened_by("fallfuehrung.olten", "Haile", 2581).await;
    app.hilfsplan_started("fallfuehrung.olten", planned).await;
    app.dossier_opened_by("kollegin.olten", "Kollegenfall", 2581).await;
    app.dossier_opened_by("fallfuehrung.thal", "Anderswo", 2422).await;
    (formula, planned)
}

async fn export_logged(app: &TestApp, username: &str, detail: &str) -> bool {
    let query = AuditQuery {
        username: Some(username.to_owned()),
        resource: Some(iim_domain::Resource::Dossier),
        ..Default::default()
    };
    app.audit_entries(query)
        .await
        .iter()
        .any(|e| e.outcome == "erlaubt" && e.detail.as_deref().is_some_and(|d| d.starts_with(detail)))
}

#[tokio::test]
async fn case_worker_exports_own_caseload_as_xlsx_with_real_dates_and_formulas_as_plain_text() {
    let app = TestApp::spawn().await;
    let (formula, planned) = caseloads(&app).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let response = browser.get("/dossiers/export.xlsx").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(headers["content-disposition"], "attachment; filename=\"faelle-2026-11-21.xlsx\"");
    assert_eq!(headers["cache-control"], "no-store");
    let (rows, has_formula) = read_xlsx(&response.bytes().await.unwrap());
    assert!(!has_formula, "no cell is a formula");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header[0], "Dossier-Nr.");
    assert_eq!(header[9], "nächste Standortbestimmung");
    assert_eq!(header[12], "offene Ziele");
    assert_eq!(rows.len(), 3, "header and the two own dossiers: {rows:?}");
    let names: Vec<String> = rows.iter().map(|row| text(&row[1])).collect();
    assert!(!names.iter().any(|n| n == "Kollegenfall" || n == "Anderswo"), "{names:?}");

    let first = &rows[1];
    assert_eq!(first[0], Data::Float(formula as f64));
    assert_eq!(first[1], Data::String("=HYPERLINK(\"http://x\")".to_owned()), "exactly the text, as a text cell");
    assert_eq!(text(&first[3]), "03.1994", "partial birth date as the domain writes it");
    assert_eq!(excel_date(&first[7]), NaiveDate::from_ymd_opt(2026, 11, 21), "eröffnet am is an Excel date");
    assert_eq!(first[8], Data::Empty, "no Kurzassessment yet");

    let second = &rows[2];
    assert_eq!(second[0], Data::Float(planned as f64));
    assert_eq!(text(&second[5]), "Hilfsplan aktiv");
    assert_eq!(excel_date(&second[9]), NaiveDate::from_ymd_opt(2027, 11, 20));
    assert_eq!(text(&second[10]), "nein");
    assert!(text(&second[11]).contains("Sozialhilfe"));
    assert_eq!(second[12], Data::Float(1.0), "one open goal");
    let (low, high) = (formula.min(planned), formula.max(planned));
    let ids = if high == low + 1 { format!("{low}-{high}") } else { format!("{low},{high}") };
    let expected = format!("Export Fallliste als XLSX: 2 Dossiers: {ids}");
    assert!(export_logged(&app, "fallfuehrung.olten", &expected).await, "the export names the dossiers that left");
}

#[tokio::test]
async fn case_worker_exports_own_caseload_as_csv_for_excel() {
    let app = TestApp::spawn().await;
    let (formula, planned) = caseloads(&app).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let response = browser.get("/dossiers/export.csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"faelle-2026-11-21.csv\"");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[0].starts_with("\u{feff}Dossier-Nr.;Nachname;Vornamen;Geburtsdatum;Wohngemeinde;Status"), "{body}");
    assert!(
        lines[1].starts_with(&format!("{formula};\"'=HYPERLINK(\"\"http://x\"\")\";Selam;03.1994;Olten")),
        "{body}"
    );
    assert!(
        lines[2].starts_with(&format!("{planned};Haile;Selam;03.1994;Olten;Hilfsplan aktiv;Test fallfuehrung.olten;21.11.2026;20.11.2026;20.11.2027;nein;")),
        "{body}"
    );
    assert!(lines[2].ends_with(";1"), "one open goal: {body}");
    assert!(!body.contains("Kollegenfall") && !body.contains("Anderswo"), "{body}");
    assert!(export_logged(&app, "fallfuehrung.olten", "Export Fallliste als CSV: 2 Dossiers: ").await);
}

#[tokio::test]
async fn leitung_exports_the_whole_stelle_but_not_another_region() {
    let app = TestApp::spawn().await;
    caseloads(&app).await;
    let leitung = app.log_in_as("leitung.olten").await;
    let body = leitung.get("/dossiers/export.csv").await.text().await.unwrap();
    assert_eq!(body.lines().count(), 4, "header and the Stelle's three dossiers: {body}");
    assert!(body.contains("Kollegenfall;") && body.contains("Haile;") && !body.contains("Anderswo"), "{body}");
    let (rows, _) = read_xlsx(&leitung.get("/dossiers/export.xlsx").await.bytes().await.unwrap());
    assert_eq!(rows.len(), 4);
}

#[tokio::test]
async fn empty_caseload_exports_just_the_header() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("kollegin.olten").await;
    let (rows, _) = read_xlsx(&browser.get("/dossiers/export.xlsx").await.bytes().await.unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(text(&rows[0][0]), "Dossier-Nr.");
    let csv = browser.get("/dossiers/export.csv").await.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1, "{csv}");
    let page = browser.get("/dossiers").await.text().await.unwrap();
    assert!(page.contains("href=\"/dossiers/export.xlsx\"") && page.contains("href=\"/dossiers/export.csv\""));
    assert!(export_logged(&app, "kollegin.olten", "Export Fallliste als XLSX: 0 Dossiers").await);
}

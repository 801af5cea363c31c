//! Taking over a Sozialregion's caseload from its Excel list: the preview lists every row it would create and
//! every row it refuses with the reason, stores nothing; the import creates persons and open dossiers once,
//! a second run creates nothing; only the Leitung of the Stelle (or an admin) may, and it is logged with ids.

use crate::support::{TestStore, person_named, person_with_ahv};
use iim_domain::Role;
use iim_domain::caseload::Spalte;
use iim_domain::dossier::DossierStatus;
use iim_domain::regeln::{CaseloadDateiRegel, CaseloadRegel};
use iim_domain::{Ahvn13, Resource};
use iim_store::{CaseloadBericht, StoreError};

/// A generated caseload of `n` good rows for the case worker `fallfuehrung`, then six rows to refuse.
fn caseload_rows(n: u32, fallfuehrung: &str) -> Vec<Vec<String>> {
    let mut rows = vec![Spalte::ALL.iter().map(|s| s.titel().to_owned()).collect::<Vec<_>>()];
    for i in 0..n {
        let ahv = if i % 2 == 0 { Ahvn13::from_serial(300_000 + i).to_string() } else { String::new() };
        let gemeinde = if i % 3 == 0 { "Dulliken".to_owned() } else { "2581".to_owned() };
        let kurzassessment = if i % 4 == 0 { "15.03.2025" } else { "" };
        let ziele = if i % 5 == 0 { "Sprache: Deutsch A2; Arbeit: Praktikum" } else { "" };
        let massnahmen = if i % 7 == 0 { "SF-S ab 01.04.2025" } else { "" };
        rows.push(row(
            &format!("Muster-{i}"),
            &ahv,
            &gemeinde,
            "01.02.2025",
            fallfuehrung,
            kurzassessment,
            ziele,
            massnahmen,
        ));
    }
    rows.push(row("Falsch-Ahv", "756.9217.0769.84", "2581", "01.02.2025", fallfuehrung, "", "", ""));
    rows.push(row("Fremde-Gemeinde", "", "Zürich", "01.02.2025", fallfuehrung, "", "", ""));
    rows.push(row("Kein-Datum", "", "2581", "gestern", fallfuehrung, "", "", ""));
    rows.push(row("Unbekannte-Fallfuehrung", "", "2581", "01.02.2025", "niemand", "", "", ""));
    rows.push(row("Bekannt", "", "2581", "01.02.2025", fallfuehrung, "", "", ""));
    rows.push(row("Thal", "", "Balsthal", "01.02.2025", fallfuehrung, "", "", ""));
    rows
}

#[allow(clippy::too_many_arguments)]
fn row(
    name: &str,
    ahv: &str,
    gemeinde: &str,
    eroeffnet: &str,
    fallfuehrung: &str,
    kurzassessment: &str,
    ziele: &str,
    massnahmen: &str,
) -> Vec<String> {
    [
        name,
        "Selam",
        "1994",
        ahv,
        "w",
        "Eritrea",
        "F",
        gemeinde,
        "ja",
        eroeffnet,
        fallfuehrung,
        kurzassessment,
        ziele,
        "A1",
        massnahmen,
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .collect()
}

fn as_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

fn as_xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let opened = Spalte::ALL.iter().position(|s| *s == Spalte::EroeffnetAm).unwrap() as u16;
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            if r > 0 && c as u16 == opened && cell == "01.02.2025" {
                let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 2, 1).unwrap();
                sheet.write_datetime_with_format(r as u32, c as u16, &day, &date).unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn reasons(bericht: &CaseloadBericht) -> Vec<(String, Vec<CaseloadRegel>)> {
    bericht.abgelehnt.iter().map(|a| (a.name.trim().to_owned(), a.gruende.clone())).collect()
}

fn expected_refusals() -> Vec<(String, Vec<CaseloadRegel>)> {
    vec![
        ("Falsch-Ahv Selam".to_owned(), vec![CaseloadRegel::AhvUngueltig(iim_domain::ahv::AhvError::WrongCheckDigit)]),
        ("Fremde-Gemeinde Selam".to_owned(), vec![CaseloadRegel::GemeindeUnbekannt]),
        ("Kein-Datum Selam".to_owned(), vec![CaseloadRegel::KeinDatum("Dossier eröffnet am")]),
        ("Unbekannte-Fallfuehrung Selam".to_owned(), vec![CaseloadRegel::FallfuehrungUnbekannt("niemand".into())]),
        ("Bekannt Selam".to_owned(), vec![CaseloadRegel::DuplikatNameGeburtsdatum]),
        ("Thal Selam".to_owned(), vec![CaseloadRegel::GemeindeAusserhalb]),
    ]
}

async fn stelle_total(test: &TestStore, leitung: &iim_domain::Actor) -> u64 {
    test.store.caseload(leitung, 1, 10).await.unwrap().total
}

async fn previews_imports_and_reimports(encode: fn(&[Vec<String>]) -> Vec<u8>, datei: &str) {
    let test = TestStore::new().await;
    let leitung = test.leitung_of("sr-olten").await;
    let case_worker = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    test.register(&leitung, person_named(2581, "Bekannt", "Selam")).await;
    let bytes = encode(&caseload_rows(500, &case_worker));

    let vorschau = test.store.preview_caseload(&leitung, "sr-olten", datei, &bytes).await.unwrap();
    assert_eq!(vorschau.neu.len(), 500);
    assert_eq!(vorschau.neu[0].zeile, 2, "rows are numbered as in Excel, the header is row 1");
    assert_eq!(vorschau.neu[0].fallfuehrung, case_worker);
    assert_eq!(vorschau.neu[0].eroeffnet_am, chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
    assert_eq!(reasons(&vorschau), expected_refusals());
    assert_eq!(stelle_total(&test, &leitung).await, 0, "the preview stores nothing");

    let bericht = test.store.import_caseload(&leitung, "sr-olten", datei, &bytes).await.unwrap();
    assert_eq!((bericht.neu.len(), bericht.dossier_ids.len(), bericht.bereits.len()), (500, 500, 0));
    assert_eq!(reasons(&bericht), expected_refusals());
    assert_eq!(stelle_total(&test, &leitung).await, 500);
    let first = test.store.get_dossier(&leitung, bericht.dossier_ids[0]).await.unwrap();
    assert_eq!(first.status, DossierStatus::HilfsplanAktiv, "row 0 has goals and a Kurzassessment");
    assert_eq!(first.ziele.len(), 2);
    assert_eq!(first.sprachstaende.len(), 1);
    assert_eq!(first.teilnahmen.len(), 1);
    assert_eq!(first.responsible, format!("Test {case_worker}"));
    assert_eq!(first.next_standortbestimmung, chrono::NaiveDate::from_ymd_opt(2026, 3, 15));

    let again = test.store.import_caseload(&leitung, "sr-olten", datei, &bytes).await.unwrap();
    assert_eq!((again.neu.len(), again.dossier_ids.len(), again.bereits.len()), (0, 0, 500));
    assert_eq!(reasons(&again), expected_refusals(), "taken-over rows are not duplicates of themselves");
    assert_eq!(stelle_total(&test, &leitung).await, 500);

    let log = test.whole_log(&test.kanton_auditor().await).await;
    let of_import = |e: &&iim_store::AuditRecord| e.resource == Resource::CaseloadImport.code() && e.action == "create";
    let imports: Vec<_> =
        log.iter().filter(of_import).filter(|e| e.detail.as_deref().unwrap_or("").contains("übernommen für")).collect();
    assert_eq!(imports.len(), 1, "one batch of 500 rows, nothing logged as created by the second run");
    let detail = imports[0].detail.as_deref().unwrap();
    assert!(detail.contains("500 Personen: ") && detail.contains("500 Dossiers: "), "{detail}");
    let preview = log.iter().find(|e| e.resource == Resource::CaseloadImport.code() && e.action == "read").unwrap();
    assert!(preview.detail.as_deref().unwrap().contains("erkannte Duplikate: 1 Person"), "{:?}", preview.detail);
    let disclosed =
        log.iter().filter(of_import).filter(|e| e.detail.as_deref().unwrap_or("").contains("Duplikate: 1 Person"));
    assert_eq!(disclosed.count(), 2, "each import names the registered person it recognised");
}

#[tokio::test]
async fn a_500_row_csv_caseload_previews_imports_once_and_reports_refused_rows() {
    previews_imports_and_reimports(as_csv, "fallliste.csv").await;
}

#[tokio::test]
async fn a_500_row_xlsx_caseload_previews_imports_once_and_reports_refused_rows() {
    previews_imports_and_reimports(as_xlsx, "fallliste.xlsx").await;
}

#[tokio::test]
async fn a_person_with_a_registered_ahv_number_is_refused_not_merged() {
    let test = TestStore::new().await;
    let leitung = test.leitung_of("sr-olten").await;
    test.register(&leitung, person_with_ahv(2581, 300_000)).await;
    let bytes = as_csv(&caseload_rows(1, &leitung.username)[..2]);
    let bericht = test.store.import_caseload(&leitung, "sr-olten", "liste.csv", &bytes).await.unwrap();
    assert_eq!(reasons(&bericht), [("Muster-0 Selam".to_owned(), vec![CaseloadRegel::DuplikatAhv])]);
    assert!(bericht.dossier_ids.is_empty());
}

#[tokio::test]
async fn only_the_leitung_of_the_stelle_or_an_admin_takes_over_a_caseload() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let other_leitung = test.leitung_of("sr-thal").await;
    let admin = test.logged_in("aso", &[Role::Admin]).await;
    let leitung = test.add_user("sr-olten", &[Role::Leitung]).await;
    let bytes = as_csv(&caseload_rows(3, &leitung)[..4]);
    let refused = test.store.preview_caseload(&case_worker, "sr-olten", "l.csv", &bytes).await;
    assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    let refused = test.store.import_caseload(&other_leitung, "sr-olten", "l.csv", &bytes).await;
    let Err(StoreError::Invalid(errors)) = refused else { panic!("{refused:?}") };
    assert_eq!(errors.get("datei"), Some(CaseloadDateiRegel::AndereStelle.to_string().as_str()));
    let bericht = test.store.import_caseload(&admin, "sr-olten", "l.csv", &bytes).await.unwrap();
    assert_eq!(bericht.dossier_ids.len(), 3);
    let unknown = test.store.preview_caseload(&admin, "gibt-es-nicht", "l.csv", &bytes).await;
    assert!(matches!(unknown, Err(StoreError::Invalid(_))));
}

#[tokio::test]
async fn a_file_without_the_template_columns_is_refused_whole() {
    let test = TestStore::new().await;
    let leitung = test.leitung_of("sr-olten").await;
    let refused = test.store.preview_caseload(&leitung, "sr-olten", "l.csv", b"Name;Vorname\nA;B\n").await;
    let Err(StoreError::Invalid(errors)) = refused else { panic!("{refused:?}") };
    assert_eq!(errors.get("datei"), Some(CaseloadDateiRegel::SpalteFehlt("Geburtsdatum").to_string().as_str()));
}

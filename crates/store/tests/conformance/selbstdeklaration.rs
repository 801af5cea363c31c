//! The yearly Selbstdeklaration: drafts and submissions, the versioned questionnaire, and who reaches which
//! Gemeinde's declaration.

use crate::support::{TestStore, field_errors};
use iim_domain::selbstdeklaration::{DeklarationStatus, FrageInput};
use iim_store::{DeklarationFilter, StoreError};
use std::collections::BTreeMap;

const OLTEN: u16 = 2581;
const THAL_LEITGEMEINDE: u16 = 2430;
const HERBETSWIL: u16 = 2424;

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (format!("frage_{k}"), (*v).to_owned())).collect()
}

fn complete() -> BTreeMap<String, String> {
    answers(&[
        ("strategische_leitung", "ja"),
        ("schwerpunkte_definiert", "nein"),
        ("organisationsmodell", "gemeindeinternes Modell"),
        ("erstinfo_gespraeche", "42"),
        ("regionaler_austausch", "ja"),
    ])
}

fn new_question(key: &str) -> iim_domain::selbstdeklaration::Frage {
    FrageInput {
        key: key.to_owned(),
        text: "Wie viele Deutschkurse hat die Gemeinde mitfinanziert?".to_owned(),
        typ: "zahl".to_owned(),
        pflicht: "ja".to_owned(),
        ..FrageInput::default()
    }
    .parse()
    .unwrap()
}

#[tokio::test]
async fn migrate_ships_a_questionnaire_for_the_current_year() {
    let test = TestStore::new().await;
    assert_eq!(test.store.selbstdeklaration_jahre().await.unwrap(), vec![2026]);
    let stand = test.store.fragebogen(2026).await.unwrap().unwrap();
    assert_eq!(stand.fragebogen.version, 1);
    assert!(stand.fragebogen.frage("erstinfo_gespraeche").is_some());
    assert!(!stand.eingefroren);
    test.store.migrate().await.unwrap();
    assert_eq!(test.store.fragebogen(2026).await.unwrap().unwrap().fragebogen.version, 1, "seeded once");
}

#[tokio::test]
async fn a_draft_keeps_partial_answers_and_a_submission_needs_the_required_ones() {
    let test = TestStore::new().await;
    let ib = test.integration_officer_of(OLTEN).await;
    let draft = test
        .store
        .save_selbstdeklaration(&ib, 2026, OLTEN, &answers(&[("erstinfo_gespraeche", "17")]), false)
        .await
        .unwrap();
    assert_eq!(draft.status, DeklarationStatus::Entwurf);
    assert_eq!(draft.antworten.get("erstinfo_gespraeche").map(String::as_str), Some("17"));

    let errors = field_errors(
        test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &answers(&[("erstinfo_gespraeche", "17")]), true).await,
    );
    assert!(errors.get("frage_strategische_leitung").unwrap().contains("Pflichtfrage"));
    let bad = field_errors(
        test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &answers(&[("erstinfo_gespraeche", "viele")]), false).await,
    );
    assert!(bad.get("frage_erstinfo_gespraeche").is_some());
    let kept = test.store.selbstdeklaration(&ib, 2026, OLTEN).await.unwrap();
    assert_eq!(kept.status, DeklarationStatus::Entwurf, "nothing written by refused saves");
    assert_eq!(kept.antworten.get("erstinfo_gespraeche").map(String::as_str), Some("17"));

    let submitted = test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &complete(), true).await.unwrap();
    assert_eq!(submitted.status, DeklarationStatus::Eingereicht);
    assert_eq!(submitted.eingereicht_von, ib.display_name);
    assert_eq!(submitted.fragebogen_version, Some(1));
    let again = field_errors(test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &complete(), false).await);
    assert!(again.get("status").unwrap().contains("bereits eingereicht"));
}

#[tokio::test]
async fn after_the_first_submission_questions_are_only_added_and_earlier_answers_stay() {
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let ib = test.integration_officer_of(OLTEN).await;
    let bemerkungen =
        test.store.fragebogen(2026).await.unwrap().unwrap().fragebogen.frage("bemerkungen").cloned().unwrap();
    test.store.save_frage(&kanton, 2026, bemerkungen.clone(), false).await.unwrap();
    test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &complete(), true).await.unwrap();

    let frozen = field_errors(test.store.save_frage(&kanton, 2026, bemerkungen, false).await);
    assert!(frozen.get("key").unwrap().contains("nur noch hinzugefügt"));
    assert!(field_errors(test.store.remove_frage(&kanton, 2026, "bemerkungen").await).get("key").is_some());
    let added = test.store.save_frage(&kanton, 2026, new_question("deutschkurse"), true).await;
    let added = added.unwrap();
    assert_eq!(added.version, 3);

    let olten = test.store.selbstdeklaration(&kanton, 2026, OLTEN).await.unwrap();
    assert_eq!(olten.status, DeklarationStatus::Eingereicht);
    assert_eq!(olten.fragebogen_version, Some(2), "keeps the version it was given under");
    assert_eq!(olten.antworten.get("erstinfo_gespraeche").map(String::as_str), Some("42"));
    assert!(!olten.antworten.contains_key("deutschkurse"), "the new question shows as unanswered");
    let stand = test.store.fragebogen(2026).await.unwrap().unwrap();
    assert!(stand.eingefroren);
    assert!(stand.fragebogen.frage("deutschkurse").is_some());
}

#[tokio::test]
async fn next_years_questionnaire_copies_this_one_and_earlier_years_stay_unchanged() {
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let created = test.store.create_fragebogen(&kanton, 2027).await.unwrap();
    assert_eq!((created.jahr, created.version), (2027, 1));
    assert_eq!(created.fragen, test.store.fragebogen(2026).await.unwrap().unwrap().fragebogen.fragen);
    assert!(field_errors(test.store.create_fragebogen(&kanton, 2027).await).get("jahr").is_some());
    test.store.remove_frage(&kanton, 2027, "bemerkungen").await.unwrap();
    assert!(test.store.fragebogen(2026).await.unwrap().unwrap().fragebogen.frage("bemerkungen").is_some());
    assert!(field_errors(test.store.create_fragebogen(&kanton, 2025).await).get("jahr").is_some());
    assert_eq!(test.store.selbstdeklaration_jahre().await.unwrap(), vec![2027, 2026]);
}

#[tokio::test]
async fn another_gemeindes_officer_neither_reads_nor_writes_and_is_logged() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(OLTEN).await;
    let thal = test.integration_officer_of(THAL_LEITGEMEINDE).await;
    test.store.save_selbstdeklaration(&olten, 2026, OLTEN, &complete(), false).await.unwrap();

    assert!(matches!(test.store.selbstdeklaration(&thal, 2026, OLTEN).await, Err(StoreError::NotFound)));
    let write =
        test.store.save_selbstdeklaration(&thal, 2026, OLTEN, &answers(&[("bemerkungen", "fremd")]), true).await;
    assert!(matches!(write, Err(StoreError::NotFound)));
    let kept = test.store.selbstdeklaration(&olten, 2026, OLTEN).await.unwrap();
    assert_eq!(kept.status, DeklarationStatus::Entwurf);
    assert!(!kept.antworten.contains_key("bemerkungen"));
    assert!(matches!(test.store.create_fragebogen(&olten, 2027).await, Err(StoreError::Denied(_))));
    assert!(matches!(
        test.store.return_selbstdeklaration(&olten, 2026, OLTEN, "selber").await,
        Err(StoreError::Denied(_))
    ));

    let log = test.whole_log(&test.kanton_auditor().await).await;
    let refused: Vec<_> = log
        .iter()
        .filter(|e| e.resource == "selbstdeklaration" && e.outcome == "verweigert" && e.actor_username == thal.username)
        .collect();
    assert_eq!(refused.len(), 2, "read and write refused: {refused:?}");
}

#[tokio::test]
async fn a_leitgemeindes_officer_fills_in_for_its_member_gemeinden() {
    let test = TestStore::new().await;
    let ib = test.integration_officer_of(THAL_LEITGEMEINDE).await;
    let list = test.store.selbstdeklarationen(&ib, 2026, &DeklarationFilter::default()).await.unwrap();
    let gemeinden: Vec<u16> = list.iter().map(|d| d.gemeinde.get()).collect();
    assert!(gemeinden.contains(&THAL_LEITGEMEINDE) && gemeinden.contains(&HERBETSWIL), "{gemeinden:?}");
    assert!(!gemeinden.contains(&OLTEN));
    test.store.save_selbstdeklaration(&ib, 2026, HERBETSWIL, &complete(), true).await.unwrap();
}

#[tokio::test]
async fn the_kanton_sees_every_gemeinde_filters_by_status_and_region_and_returns_with_a_reason() {
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let ib = test.integration_officer_of(OLTEN).await;
    test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &complete(), true).await.unwrap();
    let all = test.store.selbstdeklarationen(&kanton, 2026, &DeklarationFilter::default()).await.unwrap();
    assert!(all.len() > 100, "every Gemeinde of the canton, also those not begun");
    assert_eq!(all.iter().filter(|d| d.status == DeklarationStatus::NichtBegonnen).count(), all.len() - 1);
    let submitted = DeklarationFilter { status: Some(DeklarationStatus::Eingereicht), sozialregion: None };
    let only = test.store.selbstdeklarationen(&kanton, 2026, &submitted).await.unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].gemeinde_name, "Olten");
    let thal_id = test.store.directory().by_code("sr-thal").unwrap().id;
    let thal = DeklarationFilter { status: None, sozialregion: Some(thal_id) };
    let in_thal = test.store.selbstdeklarationen(&kanton, 2026, &thal).await.unwrap();
    assert!(!in_thal.is_empty() && in_thal.iter().all(|d| d.sozialregion == "Sozialregion Thal"));

    assert!(
        field_errors(test.store.return_selbstdeklaration(&kanton, 2026, OLTEN, " ").await).get("begruendung").is_some()
    );
    test.store.return_selbstdeklaration(&kanton, 2026, OLTEN, "Bitte Anzahl Gespräche prüfen").await.unwrap();
    let returned = test.store.selbstdeklaration(&ib, 2026, OLTEN).await.unwrap();
    assert_eq!(returned.status, DeklarationStatus::Entwurf);
    assert_eq!(returned.rueckgabe.unwrap().begruendung, "Bitte Anzahl Gespräche prüfen");
    assert_eq!(returned.antworten.get("erstinfo_gespraeche").map(String::as_str), Some("42"));
}

#[tokio::test]
async fn the_export_holds_every_gemeinde_with_its_answers_and_is_logged_once() {
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let ib = test.integration_officer_of(OLTEN).await;
    let mut input = complete();
    input.insert("frage_bemerkungen".to_owned(), "=HYPERLINK(\"x\")".to_owned());
    test.store.save_selbstdeklaration(&ib, 2026, OLTEN, &input, true).await.unwrap();
    let rows = test.store.export_selbstdeklarationen(&kanton, 2026).await.unwrap();
    let olten = rows.iter().find(|d| d.gemeinde.get() == OLTEN).unwrap();
    assert_eq!(olten.antworten.get("bemerkungen").map(String::as_str), Some("=HYPERLINK(\"x\")"));
    assert!(rows.len() > 100);
    let log = test.whole_log(&kanton).await;
    let exports: Vec<_> =
        log.iter().filter(|e| e.detail.as_deref().is_some_and(|d| d.starts_with("Export XLSX 2026"))).collect();
    assert_eq!(exports.len(), 1);
    let ib_export = test.store.export_selbstdeklarationen(&ib, 2026).await.unwrap();
    assert_eq!(ib_export.len(), 1, "an officer's scope is its own Gemeinde");
}

//! Exception requests: the case worker asks the Leitung when the entry criteria refuse a booking; the
//! Leitung of the Stelle approves (the measure is booked with both reasons) or refuses, with a reason, once.

use crate::support::{TestStore, field_errors, valid_person};
use iim_domain::dossier::DossierEvent;
use iim_domain::massnahmen::BuchungInput;
use iim_domain::{Actor, Role};
use iim_store::StoreError;

const GRUND: &str = "Sprachkurs läuft, A2 im Januar erwartet";

/// A case worker of Olten with an open dossier whose person meets none of the criteria of BI-2.
async fn dossier_of_olten(test: &TestStore) -> (Actor, i64) {
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    (case_worker, dossier.id)
}

fn booking(code: &str) -> BuchungInput {
    BuchungInput { massnahme: code.into(), beginn: "01.12.2026".into(), ..BuchungInput::default() }
}

/// The case worker's request for BI-2; returns its id.
async fn requested(test: &TestStore, case_worker: &Actor, id: i64) -> i64 {
    let dossier = test.store.request_ausnahme(case_worker, id, &booking("BI-2"), GRUND).await.unwrap();
    dossier.ausnahmegesuche[0].id
}

#[tokio::test]
async fn a_request_waits_for_the_leitung_and_its_approval_books_with_both_reasons() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let leitung = test.leitung_of("sr-olten").await;

    let dossier = test.store.request_ausnahme(&case_worker, id, &booking("BI-2"), GRUND).await.unwrap();
    let gesuch = &dossier.ausnahmegesuche[0];
    assert_eq!(
        (gesuch.massnahme.as_str(), gesuch.begruendung.as_str()),
        ("Bildungsintegration Phase 2: Vorbereitung auf die berufliche Grundbildung (BI-2)", GRUND)
    );
    assert!(gesuch.kriterien[0].contains("mindestens Deutsch A2"), "{:?}", gesuch.kriterien);
    assert_eq!(gesuch.entscheid, None);
    assert!(dossier.teilnahmen.is_empty(), "nothing booked before the decision");
    assert_eq!(dossier.timeline[0].event, DossierEvent::AusnahmeBeantragt);

    let worklist = test.store.pendenzen(&leitung).await.unwrap();
    let line = worklist.genehmigungen.iter().find(|p| p.ausnahmegesuch == Some(gesuch.id)).unwrap();
    assert_eq!(
        (line.dossier_id, line.was.as_str()),
        (id, "Ausnahme für «Bildungsintegration Phase 2: Vorbereitung auf die berufliche Grundbildung» beantragt")
    );
    assert_eq!(test.store.pendenzen_zahlen(&leitung).await.unwrap().genehmigungen, 1);
    assert_eq!(test.store.pendenzen_zahlen(&case_worker).await.unwrap().genehmigungen, 0);

    let dossier = test.store.decide_ausnahme(&leitung, id, gesuch.id, true, "Kurs passt, Platz frei").await.unwrap();
    let booked = &dossier.teilnahmen[0];
    assert_eq!(booked.teilnahme.massnahme_code, "BI-2");
    assert_eq!(
        booked.teilnahme.ausnahme.as_deref(),
        Some(format!("Kurs passt, Platz frei (Gesuch der Fallführung: {GRUND})").as_str())
    );
    assert!(booked.ausnahme_von.is_some());
    let entscheid = dossier.ausnahmegesuche[0].entscheid.clone().unwrap();
    assert!(entscheid.bewilligt);
    assert_eq!(entscheid.begruendung, "Kurs passt, Platz frei");
    assert_eq!(dossier.timeline[0].event, DossierEvent::MassnahmeGebucht);
    assert_eq!(test.store.pendenzen_zahlen(&leitung).await.unwrap().genehmigungen, 0);

    let seen = test.store.get_dossier(&case_worker, id).await.unwrap();
    assert!(seen.ausnahmegesuche[0].entscheid.as_ref().is_some_and(|e| e.bewilligt), "the case worker sees it");
}

#[tokio::test]
async fn a_request_needs_a_bounded_reason_unmet_criteria_and_no_open_twin() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;

    let errors = field_errors(test.store.request_ausnahme(&case_worker, id, &booking("BI-2"), "  ").await);
    assert_eq!(
        errors.get("gesuch_begruendung"),
        Some("Bitte begründen, warum die Leitung eine Ausnahme bewilligen soll.")
    );
    assert!(errors.get("eintritt_1").is_some(), "the criteria stay on the form: {errors}");
    let too_long = "x".repeat(1001);
    let errors = field_errors(test.store.request_ausnahme(&case_worker, id, &booking("BI-2"), &too_long).await);
    assert_eq!(errors.get("gesuch_begruendung"), Some("Höchstens 1000 Zeichen."));

    let errors = field_errors(test.store.request_ausnahme(&case_worker, id, &booking("SF-S"), GRUND).await);
    assert!(errors.get("massnahme").unwrap().contains("ohne Ausnahme gebucht"), "{errors}");

    requested(&test, &case_worker, id).await;
    let errors = field_errors(test.store.request_ausnahme(&case_worker, id, &booking("BI-2"), GRUND).await);
    assert_eq!(errors.get("gesuch_begruendung"), Some("Für diese Massnahme liegt bereits ein Gesuch bei der Leitung."));
    assert_eq!(test.store.get_dossier(&case_worker, id).await.unwrap().ausnahmegesuche.len(), 1);
}

#[tokio::test]
async fn a_refusal_needs_a_reason_books_nothing_and_a_second_decision_is_refused() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let leitung = test.leitung_of("sr-olten").await;
    let gesuch = requested(&test, &case_worker, id).await;

    let errors = field_errors(test.store.decide_ausnahme(&leitung, id, gesuch, false, " ").await);
    assert_eq!(errors.get("begruendung"), Some("Bitte den Entscheid begründen: die Fallführung liest ihn im Dossier."));
    let errors = field_errors(test.store.decide_ausnahme(&leitung, id, gesuch, true, "").await);
    assert!(errors.get("begruendung").is_some(), "an approval needs a reason too");

    let dossier = test.store.decide_ausnahme(&leitung, id, gesuch, false, "Erst A2 abwarten").await.unwrap();
    assert!(dossier.teilnahmen.is_empty());
    let entscheid = dossier.ausnahmegesuche[0].entscheid.clone().unwrap();
    assert_eq!((entscheid.bewilligt, entscheid.begruendung.as_str()), (false, "Erst A2 abwarten"));
    assert_eq!(dossier.timeline[0].event, DossierEvent::AusnahmeAbgelehnt);

    let errors = field_errors(test.store.decide_ausnahme(&leitung, id, gesuch, true, "Doch").await);
    assert!(errors.get("begruendung").unwrap().starts_with("Über dieses Gesuch wurde bereits entschieden"));
    assert!(test.store.get_dossier(&leitung, id).await.unwrap().teilnahmen.is_empty());
}

#[tokio::test]
async fn only_a_leitung_of_the_keeping_stelle_decides() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let gesuch = requested(&test, &case_worker, id).await;
    let thal = test.leitung_of("sr-thal").await;

    let other_region = test.store.decide_ausnahme(&thal, id, gesuch, true, "Passt").await;
    assert!(matches!(other_region, Err(StoreError::NotFound)), "{other_region:?}");
    let own = test.store.decide_ausnahme(&case_worker, id, gesuch, true, "Passt").await;
    assert!(matches!(own, Err(StoreError::Denied(_))), "{own:?}");
    assert!(test.store.pendenzen(&thal).await.unwrap().genehmigungen.is_empty());

    let leitung = test.leitung_of("sr-olten").await;
    let elsewhere = test.store.decide_ausnahme(&leitung, id, gesuch + 1, true, "Passt").await;
    assert!(matches!(elsewhere, Err(StoreError::NotFound)), "{elsewhere:?}");
}

#[tokio::test]
async fn of_two_leitungen_deciding_at_once_exactly_one_wins() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let gesuch = requested(&test, &case_worker, id).await;
    let first = test.leitung_of("sr-olten").await;
    let second = test.logged_in("sr-olten", &[Role::Leitung]).await;

    let (a, b) = tokio::join!(
        test.store.decide_ausnahme(&first, id, gesuch, true, "Bewilligt"),
        test.store.decide_ausnahme(&second, id, gesuch, false, "Abgelehnt"),
    );

    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(
        field_errors(loser).get("begruendung").unwrap().starts_with("Über dieses Gesuch wurde bereits entschieden")
    );
    let dossier = test.store.get_dossier(&case_worker, id).await.unwrap();
    let bewilligt = dossier.ausnahmegesuche[0].entscheid.as_ref().unwrap().bewilligt;
    assert_eq!(dossier.teilnahmen.len(), usize::from(bewilligt));
}

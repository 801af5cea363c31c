//! Dossiers: opening, who reaches them, the Kurzassessment, the derived status and the Standortbestimmung clock.

use crate::support::{TestStore, field_errors, today, valid_input, valid_person};
use chrono::{Duration, NaiveDate};
use iim_domain::PersonInput;
use iim_domain::dossier::{DossierEvent, DossierStatus, KurzassessmentInput};
use iim_store::{AuditQuery, StoreError};

pub(crate) fn assessment(datum: &str) -> iim_domain::dossier::Kurzassessment {
    KurzassessmentInput {
        datum: datum.into(),
        richtung: "arbeitsmarktlich".into(),
        sprachfoerderbedarf: "ja".into(),
        schuljahre: "8".into(),
        literalitaet: "alphabetisiert".into(),
        arbeitserfahrung: "ausland".into(),
        potenzial: "hoch".into(),
        dolmetschende: "nein".into(),
        bemerkungen: String::new(),
    }
    .parse(today())
    .unwrap()
}

#[tokio::test]
async fn a_case_worker_opens_a_dossier_and_becomes_responsible() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    assert_eq!(dossier.status, DossierStatus::Eroeffnet);
    assert_eq!(dossier.stelle, "Sozialregion Olten");
    assert_eq!(dossier.person.id, person.id);
    assert!(dossier.groups.sozialhilfe);
    assert_eq!(dossier.groups.asyl, Some(iim_domain::dossier::AsylStatus::Va), "status F means VA");
    assert_eq!(dossier.timeline.len(), 1);
    assert_eq!(dossier.timeline[0].event, DossierEvent::Eroeffnet);
    assert_eq!(test.store.dossier_id_of_person(&case_worker, person.id).await.unwrap(), Some(dossier.id));
}

#[tokio::test]
async fn a_person_has_at_most_one_dossier() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    test.store.open_dossier(&case_worker, person.id, false, false).await.unwrap();
    let errors = field_errors(test.store.open_dossier(&case_worker, person.id, false, false).await);
    assert_eq!(errors.get("person"), Some("Für diese Person besteht bereits ein Dossier."));
}

#[tokio::test]
async fn swiss_person_without_sozialhilfe_gets_no_dossier() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let swiss = PersonInput { nationalitaet: "CH".into(), aufenthaltsstatus: "CH".into(), ..valid_input(2581) };
    let person = test.register(&case_worker, swiss.parse(today()).unwrap()).await;
    let errors = field_errors(test.store.open_dossier(&case_worker, person.id, false, false).await);
    assert!(errors.get("sozialhilfe").unwrap().contains("Sozialhilfe"));
    assert!(test.store.open_dossier(&case_worker, person.id, true, false).await.is_ok());
}

#[tokio::test]
async fn only_the_responsible_case_worker_and_the_leitung_of_the_stelle_reach_a_dossier() {
    let test = TestStore::new().await;
    let responsible = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let leitung = test.leitung_of("sr-olten").await;
    let other_leitung = test.leitung_of("sr-thal").await;
    let person = test.register(&responsible, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&responsible, person.id, false, false).await.unwrap();

    assert!(test.store.get_dossier(&leitung, dossier.id).await.is_ok());
    assert!(matches!(test.store.get_dossier(&colleague, dossier.id).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.get_dossier(&other_leitung, dossier.id).await, Err(StoreError::NotFound)));
    let provider = test.provider_user().await;
    let refused = test.store.get_dossier(&provider, dossier.id).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "a role without dossiers cannot tell whether one exists");
    assert_eq!(test.store.caseload(&colleague, 1, 50).await.unwrap().total, 0);
    assert_eq!(test.store.caseload(&leitung, 1, 50).await.unwrap().total, 1);
    assert_eq!(test.store.dossier_id_of_person(&colleague, person.id).await.unwrap(), None);

    let auditor = test.kanton_auditor().await;
    test.store.flush_audit().await;
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Dossier),
        record_id: Some(dossier.id.to_string()),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let log = test.store.list_audit(&auditor, &query).await.unwrap().items;
    assert!(log.iter().any(|e| e.outcome == "verweigert" && e.action == "read"), "refused reads are logged");
    assert!(log.iter().any(|e| e.outcome == "erlaubt" && e.action == "create"));
}

#[tokio::test]
async fn a_case_worker_cannot_open_a_dossier_for_a_person_of_another_region() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let person = test.register(&olten, valid_person(2581)).await;
    assert!(matches!(test.store.open_dossier(&thal, person.id, true, false).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn the_kurzassessment_sets_the_status_and_starts_the_twelve_month_clock() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, false, false).await.unwrap();
    let assessed = test.store.record_kurzassessment(&case_worker, dossier.id, assessment("18.11.2026")).await.unwrap();
    assert_eq!(assessed.status, DossierStatus::InAbklaerung);
    assert_eq!(assessed.next_standortbestimmung, NaiveDate::from_ymd_opt(2027, 11, 18));
    assert_eq!(assessed.kurzassessment.as_ref().map(|k| k.schuljahre), Some(8));
    assert_eq!(assessed.timeline[0].event, DossierEvent::Kurzassessment, "newest first");

    let reread = test.store.get_dossier(&case_worker, dossier.id).await.unwrap();
    assert_eq!(reread.kurzassessment, assessed.kurzassessment, "answers survive the round trip");
    assert!(!test.store.caseload(&case_worker, 1, 50).await.unwrap().items[0].overdue);

    test.let_time_pass(Duration::days(366));
    let later = test.store.caseload(&case_worker, 1, 50).await.unwrap();
    assert!(later.items[0].overdue, "a year and a day later the Standortbestimmung is overdue");
}

pub(crate) fn goal(feld: &str, ziel: &str) -> iim_domain::dossier::Ziel {
    iim_domain::dossier::ZielInput {
        handlungsfeld: feld.into(),
        ziel: ziel.into(),
        kriterium: "Nachweis liegt vor".into(),
        faellig_am: "30.06.2027".into(),
    }
    .parse(today())
    .unwrap()
}

#[tokio::test]
async fn goals_make_the_plan_active_and_a_standortbestimmung_judges_every_open_goal() {
    use iim_domain::dossier::{Bewertung, StandortbestimmungInput};
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, false, false).await.unwrap();
    test.store.record_kurzassessment(&case_worker, dossier.id, assessment("01.02.2026")).await.unwrap();
    test.store.add_ziel(&case_worker, dossier.id, goal("sprachfoerderung", "Deutsch A2")).await.unwrap();
    let planned = test.store.add_ziel(&case_worker, dossier.id, goal("arbeitsintegration", "Modul 3")).await.unwrap();
    assert_eq!(planned.status, DossierStatus::HilfsplanAktiv);
    assert_eq!(planned.ziele.len(), 2);
    let (first, second) = (planned.ziele[0].id, planned.ziele[1].id);

    let incomplete = StandortbestimmungInput {
        datum: "21.11.2026".into(),
        antworten: vec![(first, "erreicht".into(), String::new())],
        bemerkungen: String::new(),
    };
    let errors = field_errors(test.store.record_standortbestimmung(&case_worker, dossier.id, None, &incomplete).await);
    assert_eq!(errors.get(&format!("bewertung_{second}")), Some("Bitte dieses Ziel bewerten."));
    assert_eq!(test.store.get_dossier(&case_worker, dossier.id).await.unwrap().timeline.len(), 4, "nothing stored");

    let complete = StandortbestimmungInput {
        antworten: vec![(first, "erreicht".into(), "fide A2".into()), (second, "teilweise".into(), String::new())],
        ..incomplete
    };
    let bewertet = test.store.record_standortbestimmung(&case_worker, dossier.id, None, &complete).await.unwrap();
    assert_eq!(bewertet.ziele[0].letzte_bewertung, Some(Bewertung::Erreicht));
    assert!(!bewertet.ziele[0].offen() && bewertet.ziele[1].offen());
    assert_eq!(bewertet.next_standortbestimmung, NaiveDate::from_ymd_opt(2027, 11, 21), "the clock restarts");
    assert_eq!(bewertet.timeline[0].detail.as_deref(), Some("21.11.2026, 1 von 2 Zielen erreicht"));

    let next_round = StandortbestimmungInput {
        datum: "21.11.2026".into(),
        antworten: vec![(second, "erreicht".into(), String::new())],
        bemerkungen: String::new(),
    };
    assert!(
        test.store.record_standortbestimmung(&case_worker, dossier.id, None, &next_round).await.is_ok(),
        "a reached goal needs no further judgement"
    );
}

#[tokio::test]
async fn a_colleague_cannot_add_goals_to_a_dossier_of_someone_else() {
    let test = TestStore::new().await;
    let responsible = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let person = test.register(&responsible, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&responsible, person.id, false, false).await.unwrap();
    let refused = test.store.add_ziel(&colleague, dossier.id, goal("sprachfoerderung", "Deutsch A1")).await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    assert!(test.store.get_dossier(&responsible, dossier.id).await.unwrap().ziele.is_empty());
}

#[tokio::test]
async fn a_closed_dossier_takes_no_changes_until_it_is_reopened() {
    use iim_domain::dossier::AbschlussGrund;
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, false, false).await.unwrap();
    test.store.record_kurzassessment(&case_worker, dossier.id, assessment("01.10.2025")).await.unwrap();
    assert_eq!(test.store.overdue_standortbestimmungen(&case_worker).await.unwrap(), 1);

    let closed = test
        .store
        .close_dossier(&case_worker, dossier.id, None, AbschlussGrund::NachhaltigIntegriert, "")
        .await
        .unwrap();
    assert_eq!(closed.status, DossierStatus::Abgeschlossen);
    assert_eq!(closed.next_standortbestimmung, None, "a closed dossier has no Standortbestimmung due");
    assert_eq!(test.store.overdue_standortbestimmungen(&case_worker).await.unwrap(), 0);
    assert_eq!(closed.timeline[0].detail.as_deref(), Some("nachhaltig integriert"));
    let refused = field_errors(test.store.add_ziel(&case_worker, dossier.id, goal("sprachfoerderung", "A2")).await);
    assert!(refused.get("status").unwrap().contains("abgeschlossen"));

    assert!(
        field_errors(test.store.reopen_dossier(&case_worker, dossier.id, None, " ").await).get("begruendung").is_some()
    );
    let reopened = test.store.reopen_dossier(&case_worker, dossier.id, None, "Stelle verloren").await.unwrap();
    assert_eq!(reopened.status, DossierStatus::InAbklaerung, "continues where it stood");
    assert!(reopened.next_standortbestimmung.is_some());
    let again = field_errors(test.store.reopen_dossier(&case_worker, dossier.id, None, "nochmals").await);
    assert_eq!(again.get("status"), Some("Das Dossier ist nicht abgeschlossen."));
}

#[tokio::test]
async fn the_leitung_hands_a_dossier_to_a_colleague_who_then_keeps_it() {
    let test = TestStore::new().await;
    let first = test.case_worker_of("sr-olten").await;
    let second = test.case_worker_of("sr-olten").await;
    let leitung = test.leitung_of("sr-olten").await;
    let person = test.register(&first, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&first, person.id, false, false).await.unwrap();

    assert!(matches!(
        test.store.reassign_dossier(&first, dossier.id, None, &second.username).await,
        Err(StoreError::Denied(_))
    ));
    let thal = test.case_worker_of("sr-thal").await;
    let wrong = field_errors(test.store.reassign_dossier(&leitung, dossier.id, None, &thal.username).await);
    assert!(wrong.get("fallfuehrung").is_some(), "only case workers of the same Stelle");
    let names: Vec<String> =
        test.store.case_workers_of_stelle(&leitung).await.unwrap().into_iter().map(|(u, _)| u).collect();
    assert!(names.contains(&second.username) && !names.contains(&thal.username));

    let handed = test.store.reassign_dossier(&leitung, dossier.id, None, &second.username).await.unwrap();
    assert_eq!(handed.responsible, second.display_name);
    assert!(test.store.get_dossier(&second, dossier.id).await.is_ok());
    assert!(matches!(test.store.get_dossier(&first, dossier.id).await, Err(StoreError::NotFound)));
}

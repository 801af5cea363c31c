//! The caseload export: the whole dossier scope at once, with open goals counted, logged as one read.

use crate::support::{TestStore, person_named, start_time, today, valid_person};
use iim_domain::dossier::{DossierStatus, StandortbestimmungInput, Ziel, ZielInput};
use iim_store::{DossierSeed, ExportFormat, StoreError};

fn goal(ziel: &str) -> Ziel {
    ZielInput {
        handlungsfeld: "sprachfoerderung".into(),
        ziel: ziel.into(),
        kriterium: "Zertifikat".into(),
        faellig_am: "30.06.2027".into(),
    }
    .parse(today())
    .unwrap()
}

#[tokio::test]
async fn the_export_holds_the_scope_with_open_goals_and_is_logged_with_format_and_count() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let leitung = test.leitung_of("sr-olten").await;
    let elsewhere = test.case_worker_of("sr-thal").await;
    let first = test.register(&case_worker, person_named(2581, "Erste", "Amina")).await;
    let second = test.register(&case_worker, person_named(2581, "Zweite", "Berhane")).await;
    let third = test.register(&colleague, valid_person(2581)).await;
    let far = test.register(&elsewhere, valid_person(2422)).await;
    let planned = test.store.open_dossier(&case_worker, first.id, true, false).await.unwrap();
    let plain = test.store.open_dossier(&case_worker, second.id, false, false).await.unwrap();
    test.store.open_dossier(&colleague, third.id, true, false).await.unwrap();
    test.store.open_dossier(&elsewhere, far.id, true, false).await.unwrap();
    test.store.add_ziel(&case_worker, planned.id, goal("Deutsch A2")).await.unwrap();
    let goals = test.store.add_ziel(&case_worker, planned.id, goal("Deutsch B1")).await.unwrap().ziele;
    let standortbestimmung = StandortbestimmungInput {
        datum: "21.11.2026".into(),
        antworten: vec![
            (goals[0].id, "erreicht".into(), String::new()),
            (goals[1].id, "teilweise".into(), String::new()),
        ],
        bemerkungen: String::new(),
    };
    test.store.record_standortbestimmung(&case_worker, planned.id, None, &standortbestimmung).await.unwrap();

    let rows = test.store.export_caseload(&case_worker, ExportFormat::Xlsx).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![planned.id, plain.id], "own dossiers by number");
    assert_eq!((rows[0].nachname.as_str(), rows[0].vornamen.as_str()), ("Erste", "Amina"));
    assert_eq!(rows[0].status, DossierStatus::HilfsplanAktiv);
    assert_eq!(rows[0].open_goals, 1, "the reached goal is no longer open");
    assert_eq!(rows[0].wohngemeinde, "Olten");
    assert_eq!(rows[0].opened_on, today());
    assert!(rows[0].groups.sozialhilfe && !rows[1].groups.sozialhilfe);
    assert_eq!(rows[1].open_goals, 0);
    assert_eq!(test.store.export_caseload(&leitung, ExportFormat::Csv).await.unwrap().len(), 3, "the Stelle");
    assert_eq!(test.store.export_caseload(&elsewhere, ExportFormat::Csv).await.unwrap().len(), 1);
    let provider = test.provider_user().await;
    assert!(matches!(test.store.export_caseload(&provider, ExportFormat::Csv).await, Err(StoreError::Denied(_))));

    let log = test.whole_log(&test.kanton_auditor().await).await;
    let export = log.iter().find(|e| e.actor_username == case_worker.username && e.detail.is_some()).unwrap();
    let ids = if plain.id == planned.id + 1 {
        format!("{}-{}", planned.id, plain.id)
    } else {
        format!("{},{}", planned.id, plain.id)
    };
    assert_eq!(export.detail, Some(format!("Export Fallliste als XLSX: 2 Dossiers: {ids}")), "names what left");
    assert_eq!((export.action.as_str(), export.resource.as_str()), ("read", "dossier"));
    assert!(log.iter().any(|e| e.actor_username == provider.username && e.outcome == "verweigert"));
}

#[tokio::test]
async fn a_stelle_with_more_dossiers_than_one_batch_is_exported_whole() {
    let test = TestStore::new().await;
    let leitung = test.leitung_of("sr-olten").await;
    let persons: Vec<_> = (0..1005).map(|n| person_named(2581, &format!("Person{n:04}"), "Test")).collect();
    test.store.operator().load_persons(leitung.user_id, &persons).await.unwrap();
    let ids: Vec<i64> = test.store.operator().person_regions().await.unwrap().into_iter().map(|(id, _)| id).collect();
    let seeds: Vec<DossierSeed> = ids
        .iter()
        .enumerate()
        .map(|(n, &person_id)| DossierSeed {
            person_id,
            stelle_id: leitung.organisation_id,
            responsible_user_id: leitung.user_id,
            opened_at: start_time(),
            kurzassessment: None,
            ziele: if n % 2 == 0 { vec![goal("A1")] } else { Vec::new() },
        })
        .collect();
    test.store.operator().load_dossiers(&seeds).await.unwrap();
    let rows = test.store.export_caseload(&leitung, ExportFormat::Csv).await.unwrap();
    assert_eq!(rows.len(), 1005);
    assert_eq!(rows.iter().map(|r| r.open_goals).sum::<u64>(), 503, "every other dossier has one open goal");
    assert_eq!(rows[1004].nachname, "Person1004", "names found past the first batch");
}

//! Transfer on Wohnortwechsel, family links and closings that need the Leitung's approval.

use crate::support::{TestStore, field_errors, today, valid_person};
use iim_domain::dossier::{AbschlussGrund, DossierEvent, DossierStatus};
use iim_store::StoreError;

#[tokio::test]
async fn a_transfer_moves_the_dossier_with_its_history_and_ends_the_old_stelles_access() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let olten_leitung = test.leitung_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();

    let requested = test.store.request_transfer(&olten, dossier.id, "2422", "Umzug per 1.12.").await.unwrap();
    assert!(requested.uebergabe.as_ref().unwrap().offen);
    assert_eq!(requested.uebergabe.as_ref().unwrap().an_stelle, "Sozialregion Thal");
    assert!(test.store.get_dossier(&thal, dossier.id).await.is_err(), "no access before acceptance");
    let incoming = test.store.incoming_transfers(&thal).await.unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].von_stelle, "Sozialregion Olten");
    assert_eq!(test.store.pendenzen_zahlen(&thal).await.unwrap().uebergaben, 1);
    assert!(test.store.incoming_transfers(&olten).await.unwrap().is_empty());

    let moved = test.store.accept_transfer(&thal, incoming[0].id).await.unwrap();
    assert_eq!(moved, dossier.id);
    let taken = test.store.get_dossier(&thal, dossier.id).await.unwrap();
    assert_eq!(taken.stelle, "Sozialregion Thal");
    assert_eq!(taken.responsible, thal.display_name);
    assert_eq!(taken.timeline[0].event, DossierEvent::UebergabeAngenommen);
    assert!(taken.timeline.iter().any(|e| e.event == DossierEvent::Eroeffnet), "the whole history moves");
    assert_eq!(taken.person.data.wohngemeinde.get(), 2422);
    for old in [&olten, &olten_leitung] {
        assert!(matches!(test.store.get_dossier(old, dossier.id).await, Err(StoreError::NotFound)));
    }
    assert!(test.store.incoming_transfers(&thal).await.unwrap().is_empty());
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.resource == "uebergabe" && e.action == "update" && e.outcome == "erlaubt"));
}

#[tokio::test]
async fn a_refused_transfer_leaves_the_dossier_where_it_was() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.leitung_of("sr-thal").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();
    test.store.request_transfer(&olten, dossier.id, "2422", "").await.unwrap();
    let id = test.store.incoming_transfers(&thal).await.unwrap()[0].id;

    let errors = field_errors(test.store.reject_transfer(&thal, id, "  ").await);
    assert!(errors.get("begruendung").is_some());
    test.store.reject_transfer(&thal, id, "Person wohnt noch in Olten").await.unwrap();
    let kept = test.store.get_dossier(&olten, dossier.id).await.unwrap();
    assert_eq!(kept.stelle, "Sozialregion Olten");
    assert_eq!(kept.timeline[0].event, DossierEvent::UebergabeAbgelehnt);
    assert_eq!(kept.uebergabe.unwrap().ablehnung.as_deref(), Some("Person wohnt noch in Olten"));
    let decided = field_errors(test.store.accept_transfer(&thal, id).await);
    assert!(decided.get("uebergabe").unwrap().contains("bereits entschieden"));
}

#[tokio::test]
async fn transfers_are_refused_within_the_region_twice_or_to_a_stranger() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();
    let same = field_errors(test.store.request_transfer(&olten, dossier.id, "2581", "").await);
    assert!(same.get("gemeinde").unwrap().contains("eigenen Sozialregion"));
    let unknown = field_errors(test.store.request_transfer(&olten, dossier.id, "9999", "").await);
    assert!(unknown.get("gemeinde").is_some());
    test.store.request_transfer(&olten, dossier.id, "2422", "").await.unwrap();
    let twice = field_errors(test.store.request_transfer(&olten, dossier.id, "2422", "").await);
    assert!(twice.get("gemeinde").unwrap().contains("bereits"));

    let third_region = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let id = test.store.incoming_transfers(&thal).await.unwrap()[0].id;
    assert!(matches!(test.store.accept_transfer(&third_region, id).await, Err(StoreError::NotFound)));
    let provider = test.provider_user().await;
    assert!(matches!(test.store.accept_transfer(&provider, id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn family_members_are_linked_and_unlinked() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let mut dossiers = Vec::new();
    for _ in 0..3 {
        let person = test.register(&olten, valid_person(2581)).await;
        dossiers.push(test.store.open_dossier(&olten, person.id, true, false).await.unwrap().id);
    }
    let linked = test.store.link_family(&olten, dossiers[0], &dossiers[1].to_string()).await.unwrap();
    assert_eq!(linked.familie.len(), 1);
    assert_eq!(linked.familie[0].dossier_id, dossiers[1]);
    assert!(linked.familie[0].person_name.is_some());
    test.store.link_family(&olten, dossiers[2], &dossiers[1].to_string()).await.unwrap();
    let first = test.store.get_dossier(&olten, dossiers[0]).await.unwrap();
    assert_eq!(first.familie.iter().map(|m| m.dossier_id).collect::<Vec<_>>(), vec![dossiers[1], dossiers[2]]);

    let errors = field_errors(test.store.link_family(&olten, dossiers[0], &dossiers[2].to_string()).await);
    assert!(errors.get("dossier").unwrap().contains("bereits"));
    let errors = field_errors(test.store.link_family(&olten, dossiers[0], &dossiers[0].to_string()).await);
    assert!(errors.get("dossier").unwrap().contains("sich selbst"));

    test.store.unlink_family(&olten, dossiers[0]).await.unwrap();
    assert!(test.store.get_dossier(&olten, dossiers[0]).await.unwrap().familie.is_empty());
    assert_eq!(test.store.get_dossier(&olten, dossiers[1]).await.unwrap().familie.len(), 1);
    test.store.unlink_family(&olten, dossiers[1]).await.unwrap();
    assert!(test.store.get_dossier(&olten, dossiers[2]).await.unwrap().familie.is_empty(), "a family of one ends");
}

#[tokio::test]
async fn a_family_link_needs_both_dossiers_in_reach() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let mine = test.register(&olten, valid_person(2581)).await;
    let mine = test.store.open_dossier(&olten, mine.id, true, false).await.unwrap();
    let theirs = test.register(&thal, valid_person(2422)).await;
    let theirs = test.store.open_dossier(&thal, theirs.id, true, false).await.unwrap();
    let errors = field_errors(test.store.link_family(&olten, mine.id, &theirs.id.to_string()).await);
    assert!(errors.get("dossier").unwrap().contains("gibt es in Ihren Fällen nicht"));
    assert!(test.store.get_dossier(&thal, theirs.id).await.unwrap().familie.is_empty());
}

#[tokio::test]
async fn where_configured_the_leitung_approves_a_closing() {
    let test = TestStore::new().await;
    test.store.operator().set_closing_approval("sr-olten", true).await.unwrap();
    let olten = test.case_worker_of("sr-olten").await;
    let leitung = test.leitung_of("sr-olten").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();

    let submitted =
        test.store.close_dossier(&olten, dossier.id, None, AbschlussGrund::NachhaltigIntegriert, "").await.unwrap();
    assert_ne!(submitted.status, DossierStatus::Abgeschlossen);
    assert_eq!(submitted.abschluss_antrag.as_ref().unwrap().grund, AbschlussGrund::NachhaltigIntegriert);
    assert_eq!(submitted.timeline[0].event, DossierEvent::AbschlussBeantragt);
    let twice = field_errors(test.store.close_dossier(&olten, dossier.id, None, AbschlussGrund::Tod, "").await);
    assert!(twice.get("grund").unwrap().contains("bereits"));
    assert!(matches!(test.store.decide_closing(&olten, dossier.id, true, "").await, Err(StoreError::Denied(_))));
    assert_eq!(test.store.pendenzen(&leitung).await.unwrap().genehmigungen.len(), 1);
    let other_leitung = test.leitung_of("sr-thal").await;
    assert!(test.store.pendenzen(&other_leitung).await.unwrap().genehmigungen.is_empty());
    assert_eq!(test.store.pendenzen_zahlen(&other_leitung).await.unwrap().genehmigungen, 0);

    let refused = test.store.decide_closing(&leitung, dossier.id, false, "Ziel Arbeit offen").await.unwrap();
    assert_ne!(refused.status, DossierStatus::Abgeschlossen);
    assert!(refused.abschluss_antrag.is_none());

    test.store.close_dossier(&olten, dossier.id, None, AbschlussGrund::NachhaltigIntegriert, "Stelle").await.unwrap();
    let closed = test.store.decide_closing(&leitung, dossier.id, true, "").await.unwrap();
    assert_eq!(closed.status, DossierStatus::Abgeschlossen);
    assert_eq!(closed.timeline[0].detail.as_deref(), Some("nachhaltig integriert: Stelle"));
    assert!(test.store.pendenzen(&leitung).await.unwrap().genehmigungen.is_empty());
}

#[tokio::test]
async fn without_the_setting_a_case_worker_closes_directly() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();
    let closed = test.store.close_dossier(&olten, dossier.id, None, AbschlussGrund::Tod, "").await.unwrap();
    assert_eq!(closed.status, DossierStatus::Abgeschlossen);
    assert!(closed.abschluss_antrag.is_none());
}

#[tokio::test]
async fn a_former_case_worker_learns_where_the_dossier_went_and_nobody_else_does() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let olten_leitung = test.leitung_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let solothurn = test.leitung_of("sr-solothurn").await;
    let person = test.register(&olten, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&olten, person.id, true, false).await.unwrap();
    let long = "x".repeat(4001);
    assert!(
        field_errors(test.store.request_transfer(&olten, dossier.id, "2422", &long).await).get("bemerkung").is_some()
    );
    test.store.request_transfer(&olten, dossier.id, "2422", "").await.unwrap();
    assert_eq!(test.store.former_dossier(&olten, dossier.id).await.unwrap(), None, "not handed over yet");
    let id = test.store.incoming_transfers(&thal).await.unwrap()[0].id;
    test.store.accept_transfer(&thal, id).await.unwrap();

    for former in [&olten, &olten_leitung] {
        let gone = test.store.former_dossier(former, dossier.id).await.unwrap().unwrap();
        assert_eq!(gone.an_stelle, "Sozialregion Thal");
        assert_eq!(gone.uebergeben_am, today());
    }
    for stranger in [&colleague, &solothurn] {
        assert_eq!(test.store.former_dossier(stranger, dossier.id).await.unwrap(), None);
    }
    assert_eq!(test.store.former_dossier(&olten, dossier.id + 1000).await.unwrap(), None);
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.actor_username == olten.username
        && e.resource == "dossier"
        && e.record_id.as_deref() == Some(dossier.id.to_string().as_str())
        && e.detail.as_deref() == Some("Hinweis auf die Übergabe an Sozialregion Thal angezeigt")));
}

//! Gemeindeorganisation: the model follows the mapping, contract and strategic lead are checked against it,
//! every change is logged, and a Gemeinde outside the scope is refused like an unknown one.

use crate::support::{TestStore, field_errors};
use iim_domain::gemeindeorganisation::{GemeindeorganisationInput, Modell};
use iim_domain::{BfsNr, Role};
use iim_store::{AuditQuery, GemeindeQuery, StoreError};

fn bfs(number: u16) -> BfsNr {
    BfsNr::known(number).unwrap()
}

fn input(beginn: &str, ende: &str) -> GemeindeorganisationInput {
    GemeindeorganisationInput {
        vertrag_beginn: beginn.to_owned(),
        vertrag_ende: ende.to_owned(),
        leitung_name: "Anna Muster".to_owned(),
        leitung_ressort: "Soziales und Integration".to_owned(),
        ib_kontakt: String::new(),
    }
}

async fn log_of(test: &TestStore, number: u16) -> Vec<iim_store::AuditRecord> {
    test.flush_audit().await;
    let auditor = test.kanton_auditor().await;
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Gemeindeorganisation),
        record_id: Some(number.to_string()),
        page: 1,
        per_page: 100,
        ..AuditQuery::default()
    };
    test.list_audit(&auditor, &query).await.unwrap().items
}

#[tokio::test]
async fn the_kanton_lists_all_gemeinden_filtered_by_region_and_name() {
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let all = test.list_gemeinden(&kanton, &GemeindeQuery::default()).await.unwrap();
    assert_eq!(all.len(), 104);
    let thal = test.sozialregionen().into_iter().find(|(_, name)| name == "Sozialregion Thal").unwrap().0;
    let in_thal =
        test.list_gemeinden(&kanton, &GemeindeQuery { sozialregion: Some(thal), text: String::new() }).await.unwrap();
    assert!(in_thal.iter().all(|g| g.sozialregion.as_ref().map(|r| r.0) == Some(thal)));
    assert!(in_thal.iter().any(|g| g.name == "Balsthal"));
    let found = test
        .list_gemeinden(&kanton, &GemeindeQuery { sozialregion: None, text: "ganSbrunnen".to_owned() })
        .await
        .unwrap();
    assert_eq!(found.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Welschenrohr-Gänsbrunnen"]);
    assert_eq!(found[0].modell, Modell::Leitgemeinde);
    assert_eq!(found[0].mitglieder, [(bfs(2424), "Herbetswil".to_owned())]);
}

#[tokio::test]
async fn an_integration_officer_sees_its_gemeinde_and_the_members_it_leads() {
    let test = TestStore::new().await;
    let leitgemeinde = test.integration_officer_of(2430).await;
    let own = test.list_gemeinden(&leitgemeinde, &GemeindeQuery::default()).await.unwrap();
    let models: Vec<(&str, Modell)> = own.iter().map(|g| (g.name.as_str(), g.modell)).collect();
    assert_eq!(models, [("Herbetswil", Modell::Mitglied), ("Welschenrohr-Gänsbrunnen", Modell::Leitgemeinde)]);
    assert_eq!(own[0].leitgemeinde, Some((bfs(2430), "Welschenrohr-Gänsbrunnen".to_owned())));
    let olten = test.integration_officer_of(2581).await;
    let own = test.list_gemeinden(&olten, &GemeindeQuery::default()).await.unwrap();
    assert_eq!((own.len(), own[0].modell), (1, Modell::Gemeindeintern));
}

#[tokio::test]
async fn contract_and_strategic_lead_are_checked_against_the_model_and_every_change_is_logged() {
    let test = TestStore::new().await;
    let leitgemeinde = test.integration_officer_of(2430).await;
    let errors = field_errors(test.save_gemeindeorganisation(&leitgemeinde, bfs(2424), 0, &input("", "")).await);
    assert_eq!(errors.get("vertrag_beginn"), Some("Im Leitgemeindemodell braucht der Vertrag einen Beginn."));
    let errors = field_errors(
        test.save_gemeindeorganisation(&leitgemeinde, bfs(2424), 0, &input("01.01.2027", "31.12.2026")).await,
    );
    assert_eq!(errors.get("vertrag_ende"), Some("Das Vertragsende liegt nach dem Beginn (01.01.2027)."));
    let errors =
        field_errors(test.save_gemeindeorganisation(&leitgemeinde, bfs(2430), 0, &input("01.01.2027", "")).await);
    assert!(errors.get("vertrag_beginn").unwrap().contains("nur im Leitgemeindemodell"), "a Leitgemeinde is no member");

    let saved =
        test.save_gemeindeorganisation(&leitgemeinde, bfs(2424), 0, &input("01.01.2027", "31.12.2030")).await.unwrap();
    assert_eq!(saved.version, 1);
    let organisation = saved.organisation.unwrap();
    assert_eq!(organisation.vertrag_beginn, chrono::NaiveDate::from_ymd_opt(2027, 1, 1));
    assert_eq!(saved.geaendert_von, format!("Test {}", leitgemeinde.username));
    let unchanged =
        test.save_gemeindeorganisation(&leitgemeinde, bfs(2424), 1, &input("01.01.2027", "31.12.2030")).await.unwrap();
    assert_eq!(unchanged.version, 1, "saving unchanged values keeps the version");
    let changed = GemeindeorganisationInput {
        ib_kontakt: "integration@welschenrohr.ch".to_owned(),
        ..input("01.01.2027", "31.12.2030")
    };
    assert_eq!(test.save_gemeindeorganisation(&leitgemeinde, bfs(2424), 1, &changed).await.unwrap().version, 2);

    let log = log_of(&test, 2424).await;
    let details: Vec<&str> = log.iter().filter_map(|e| e.detail.as_deref()).collect();
    assert_eq!(
        details,
        ["Gemeindeorganisation Herbetswil: ib_kontakt", "Gemeindeorganisation Herbetswil: neu erfasst"],
        "saving unchanged values logs nothing"
    );
}

#[tokio::test]
async fn a_gemeinde_outside_the_scope_is_not_found_and_the_attempt_logged() {
    let test = TestStore::new().await;
    let balsthal = test.integration_officer_of(2422).await;
    assert!(matches!(test.get_gemeinde(&balsthal, bfs(2424)).await, Err(StoreError::NotFound)));
    assert!(matches!(
        test.save_gemeindeorganisation(&balsthal, bfs(2424), 0, &input("01.01.2027", "")).await,
        Err(StoreError::NotFound)
    ));
    let log = log_of(&test, 2424).await;
    assert_eq!(log.iter().filter(|e| e.outcome == "verweigert" && e.actor_username == balsthal.username).count(), 2);
    assert!(test.get_gemeinde(&balsthal, bfs(2424)).await.is_err());

    let kanton = test.kanton_auditor().await;
    assert!(test.get_gemeinde(&kanton, bfs(2424)).await.unwrap().organisation.is_none(), "nothing was stored");
    let case_worker = test.logged_in("sr-thal", &[Role::Fallfuehrung]).await;
    assert!(matches!(test.list_gemeinden(&case_worker, &GemeindeQuery::default()).await, Err(StoreError::Denied(_))));
}

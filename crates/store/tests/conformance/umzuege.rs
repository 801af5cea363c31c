//! Moves reported by the population register: a move into another Sozialregion of a person with an open
//! dossier proposes the transfer to the keeping Stelle, once per move; requesting the transfer settles it,
//! a dismissal needs a reason; a move within the own Sozialregion records nothing.

use crate::support::{TestStore, field_errors};
use iim_domain::Role;
use iim_ech::read_delivery;
use iim_store::{ImportReport, StoreError};

fn fixture(name: &str) -> String {
    let path = format!("{}/../ech/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The arrival from abroad of the fixture's person (register number 2581-004711) in Olten.
fn arrival() -> String {
    fixture("move-in-from-abroad.xml")
}

/// The same person moving from Olten to `bfs` on `date`, as message `message`.
fn move_to(message: &str, bfs: &str, name: &str, date: &str) -> String {
    arrival()
        .replace("olten-2026-11-20-0001", message)
        .replace(
            "<e07:municipalityId>2581</e07:municipalityId><e07:municipalityName>Olten</e07:municipalityName>",
            &format!("<e07:municipalityId>{bfs}</e07:municipalityId><e07:municipalityName>{name}</e07:municipalityName>"),
        )
        .replace("<e20:arrivalDate>2026-11-02</e20:arrivalDate>", &format!("<e20:arrivalDate>{date}</e20:arrivalDate>"))
        .replace(
            "<e20:comesFrom><e11:foreignCountry><e11:country><e08:countryIdISO2>ER</e08:countryIdISO2><e08:countryNameShort>Eritrea</e08:countryNameShort></e11:country></e11:foreignCountry></e20:comesFrom>",
            "<e20:comesFrom><e11:swissTown><e07:municipalityId>2581</e07:municipalityId><e07:municipalityName>Olten</e07:municipalityName></e11:swissTown></e20:comesFrom>",
        )
}

async fn import(test: &TestStore, xml: &str) -> ImportReport {
    let admin = test.add_user("aso", &[Role::Admin]).await;
    let actor = test.store.operator().operator_actor(&admin).await.unwrap();
    let report = test.store.import_register_delivery(&actor, "test.xml", read_delivery(xml.as_bytes()).unwrap()).await;
    report.unwrap()
}

/// An Olten dossier of the person the register knows as 2581-004711; returns its id.
async fn dossier_in_olten(test: &TestStore, case_worker: &iim_domain::Actor) -> i64 {
    import(test, &arrival()).await;
    let found = test.search(case_worker, "Tesfamariam").await;
    test.store.open_dossier(case_worker, found[0].id, true, false).await.unwrap().id
}

#[tokio::test]
async fn a_move_into_another_sozialregion_proposes_the_transfer_once_to_the_keeping_stelle_only() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let olten_leitung = test.leitung_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let dossier = dossier_in_olten(&test, &olten).await;

    let report = import(&test, &move_to("umzug-1", "2422", "Balsthal", "2026-11-15")).await;
    assert_eq!((report.zugeordnet, report.umzugsvorschlaege), (1, 1), "{report:?}");
    let again = import(&test, &move_to("umzug-1-nochmals", "2422", "Balsthal", "2026-11-15")).await;
    assert_eq!(again.umzugsvorschlaege, 0, "once per person and move date");

    let proposal = test.store.move_proposal(&olten, dossier).await.unwrap().expect("a proposal");
    assert_eq!((proposal.nach_bfs, proposal.von.as_deref()), (2422, Some("Olten")));
    let worklist = test.store.pendenzen(&olten).await.unwrap();
    assert_eq!(worklist.umzuege.len(), 1);
    assert_eq!(worklist.umzuege[0].dossier_id, dossier);
    assert!(worklist.umzuege[0].was.contains("Balsthal"), "{:?}", worklist.umzuege[0]);
    assert_eq!(test.store.pendenzen_zahlen(&olten).await.unwrap().umzuege, 1);
    assert_eq!(test.store.pendenzen_zahlen(&olten_leitung).await.unwrap().umzuege, 1, "the Leitung sees the Stelle");
    assert_eq!(test.store.pendenzen_zahlen(&colleague).await.unwrap().umzuege, 0, "not the colleague's case");
    assert!(test.store.pendenzen(&thal).await.unwrap().umzuege.is_empty(), "not the new Stelle before the request");
    assert!(matches!(test.store.move_proposal(&thal, dossier).await, Err(StoreError::NotFound)));

    test.store.request_transfer(&olten, dossier, "2422", "laut Register").await.unwrap();
    assert_eq!(test.store.move_proposal(&olten, dossier).await.unwrap(), None, "done on the transfer request");
    assert_eq!(test.store.pendenzen_zahlen(&olten).await.unwrap().umzuege, 0);
}

#[tokio::test]
async fn a_move_within_the_own_sozialregion_records_nothing_and_a_dismissal_needs_a_reason() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let dossier = dossier_in_olten(&test, &olten).await;

    let within = import(&test, &move_to("umzug-olten", "2581", "Olten", "2026-11-10")).await;
    assert_eq!((within.zugeordnet, within.umzugsvorschlaege), (1, 0), "{within:?}");
    assert_eq!(test.store.move_proposal(&olten, dossier).await.unwrap(), None);

    import(&test, &move_to("umzug-2", "2422", "Balsthal", "2026-11-20")).await;
    let proposal = test.store.move_proposal(&olten, dossier).await.unwrap().expect("a proposal");
    let refused = test.store.dismiss_move_proposal(&olten, dossier, proposal.id, "  ").await;
    assert!(field_errors(refused).get("begruendung").is_some());
    let other = test.store.dismiss_move_proposal(&thal, dossier, proposal.id, "falsch").await;
    assert!(matches!(other, Err(StoreError::NotFound)), "another Stelle cannot settle it");
    assert!(test.store.move_proposal(&olten, dossier).await.unwrap().is_some(), "nothing changed");
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.actor_username == thal.username && e.outcome == "verweigert"), "refusal logged");

    test.store
        .dismiss_move_proposal(&olten, dossier, proposal.id, "Register irrt, Person wohnt in Olten")
        .await
        .unwrap();
    assert_eq!(test.store.move_proposal(&olten, dossier).await.unwrap(), None);
    let again = import(&test, &move_to("umzug-2-nochmals", "2422", "Balsthal", "2026-11-20")).await;
    assert_eq!(again.umzugsvorschlaege, 0, "a dismissed move is not proposed again");
}

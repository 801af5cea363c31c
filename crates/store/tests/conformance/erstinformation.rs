//! start.integration, Informieren and Fordern: Neuzuzüger from the register in the Integrationsbeauftragte's
//! list, invitation, conversation with Empfehlungen, hand-over to the Migrationsamt and its decision flowing
//! back, possible duplicates decided by a human; each reachable only by those who need it.

use crate::support::{TestStore, field_errors, person_named};
use iim_domain::erstinformation::{
    EmpfehlungInput, EntscheidInput, FordernEntscheid, GespraechInput, NeuzuzuegerStatus, StatusInput, UebergabeInput,
};
use iim_domain::{Actor, Role};
use iim_ech::read_delivery;
use iim_store::{DuplikatEntscheid, NeuzuzuegerFilter, NeuzuzuegerQuery, PersonQuery, StoreError};
use sea_orm::ConnectionTrait;

fn arrival_in(bfs: u16, message: &str) -> String {
    let path = format!("{}/../ech/tests/fixtures/move-in-from-abroad.xml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .replace(
            "<e07:municipalityId>2581</e07:municipalityId>",
            &format!("<e07:municipalityId>{bfs}</e07:municipalityId>"),
        )
        .replace("olten-2026-11-20-0001", message)
}

/// Imports the fixture's arrival into `bfs` and returns the Neuzuzüger's id as the officer sees it.
pub(crate) async fn neuzuzueger_in(test: &TestStore, bfs: u16, officer: &Actor) -> i64 {
    let importer = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap();
    let xml = arrival_in(bfs, &format!("msg-{bfs}"));
    test.store.import_register_delivery(&importer, "zuzug.xml", read_delivery(xml.as_bytes()).unwrap()).await.unwrap();
    let page = test.store.list_neuzuzueger(officer, &query(NeuzuzuegerFilter::Offen)).await.unwrap();
    assert_eq!(page.total, 1, "the neuzuzueger is in the officer's list");
    page.items[0].id
}

fn query(filter: NeuzuzuegerFilter) -> NeuzuzuegerQuery {
    NeuzuzuegerQuery { filter, page: 1, per_page: 50, ..NeuzuzuegerQuery::default() }
}

pub(crate) fn conversation() -> GespraechInput {
    GespraechInput {
        gefuehrt_am: "20.11.2026".to_owned(),
        sprache: "ti".to_owned(),
        dolmetscher: "ja".to_owned(),
        themen: vec!["sprache".to_owned(), "arbeit".to_owned()],
        bemerkungen: "Sehr motiviert.".to_owned(),
        empfehlungen: vec![
            EmpfehlungInput {
                art: "deutschkurs".to_owned(),
                text: "Deutsch A1 abends, Volkshochschule Olten".to_owned(),
                angebot: String::new(),
            },
            EmpfehlungInput {
                art: "beratung".to_owned(),
                text: "Berufsberatung BIZ".to_owned(),
                angebot: String::new(),
            },
        ],
        nachfassen_am: "20.02.2027".to_owned(),
    }
}

#[tokio::test]
async fn a_neuzuzueger_is_invited_and_the_conversation_with_recommendations_is_recorded() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let id = neuzuzueger_in(&test, 2581, &officer).await;
    let listed = test.store.list_neuzuzueger(&officer, &query(NeuzuzuegerFilter::Offen)).await.unwrap();
    assert_eq!(listed.items[0].name, "Tesfamariam-Čelik, Selam Ñaomi");
    assert_eq!(listed.items[0].status, NeuzuzuegerStatus::Einzuladen);

    let invite = StatusInput { status: "eingeladen".to_owned(), datum: "16.11.2026".to_owned() };
    test.store.change_neuzuzueger_status(&officer, id, &invite).await.unwrap();
    test.store.record_conversation(&officer, id, &conversation()).await.unwrap();

    let detail = test.store.get_neuzuzueger(&officer, id).await.unwrap();
    assert_eq!(detail.neuzuzueger.status, NeuzuzuegerStatus::Gefuehrt);
    assert_eq!(detail.neuzuzueger.eingeladen_am.unwrap().to_string(), "2026-11-16");
    let gespraech = detail.gespraech.unwrap();
    assert_eq!(gespraech.sprache, "Tigrinya");
    assert_eq!(gespraech.themen, vec!["Deutsch lernen", "Arbeit und Erwerb"]);
    assert_eq!(gespraech.empfehlungen.len(), 2);
    assert_eq!(gespraech.empfehlungen[1].1, "Berufsberatung BIZ");
    assert_eq!(detail.neuzuzueger.nachfassen_am.unwrap().to_string(), "2027-02-20");

    let open = test.store.list_neuzuzueger(&officer, &query(NeuzuzuegerFilter::Offen)).await.unwrap();
    assert_eq!(open.total, 0, "a held conversation leaves the open list");
    let held =
        test.store.list_neuzuzueger(&officer, &query(NeuzuzuegerFilter::Status(NeuzuzuegerStatus::Gefuehrt))).await;
    assert_eq!(held.unwrap().total, 1);

    let again = test.store.record_conversation(&officer, id, &conversation()).await;
    assert!(field_errors(again).get("gefuehrt_am").unwrap().contains("kein Gespräch mehr"));
}

#[tokio::test]
async fn an_invalid_conversation_or_status_change_stores_nothing() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let id = neuzuzueger_in(&test, 2581, &officer).await;
    let before_arrival = GespraechInput { gefuehrt_am: "01.10.2026".to_owned(), ..conversation() };
    let errors = field_errors(test.store.record_conversation(&officer, id, &before_arrival).await);
    assert_eq!(errors.get("gefuehrt_am"), Some("Das Gespräch kann nicht vor dem Zuzug liegen."));
    let without_date = StatusInput { status: "eingeladen".to_owned(), datum: String::new() };
    let errors = field_errors(test.store.change_neuzuzueger_status(&officer, id, &without_date).await);
    assert_eq!(errors.get("datum"), Some("Bitte das Datum der Einladung angeben."));
    let detail = test.store.get_neuzuzueger(&officer, id).await.unwrap();
    assert_eq!(detail.neuzuzueger.status, NeuzuzuegerStatus::Einzuladen);
    assert!(detail.gespraech.is_none());
}

#[tokio::test]
async fn an_officer_reaches_the_own_gemeinde_and_the_leitgemeinde_its_members_only() {
    let test = TestStore::new().await;
    let leitgemeinde = test.integration_officer_of(2430).await;
    let id = neuzuzueger_in(&test, 2424, &leitgemeinde).await;
    let olten = test.integration_officer_of(2581).await;
    assert_eq!(test.store.list_neuzuzueger(&olten, &query(NeuzuzuegerFilter::Alle)).await.unwrap().total, 0);
    assert!(matches!(test.store.get_neuzuzueger(&olten, id).await, Err(StoreError::NotFound)));
    let invite = StatusInput { status: "abgelehnt".to_owned(), datum: String::new() };
    assert!(matches!(test.store.change_neuzuzueger_status(&olten, id, &invite).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.record_conversation(&olten, id, &conversation()).await, Err(StoreError::NotFound)));

    let case_worker = test.case_worker_of("sr-olten").await;
    assert!(matches!(test.store.get_neuzuzueger(&case_worker, id).await, Err(StoreError::NotFound)));
    let migrationsamt = test.logged_in("migrationsamt", &[Role::Migrationsamt]).await;
    assert!(matches!(test.store.get_neuzuzueger(&migrationsamt, id).await, Err(StoreError::NotFound)));

    let log = test.whole_log(&test.kanton_auditor().await).await;
    let refused: Vec<_> = log.iter().filter(|e| e.resource == "neuzuzueger" && e.outcome == "verweigert").collect();
    assert_eq!(refused.len(), 5, "each refusal is logged: {refused:?}");
    assert_eq!(
        test.store.get_neuzuzueger(&leitgemeinde, id).await.unwrap().neuzuzueger.status,
        NeuzuzuegerStatus::Einzuladen
    );
}

#[tokio::test]
async fn the_migrationsamt_sees_only_hand_overs_and_its_decision_flows_back() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let id = neuzuzueger_in(&test, 2581, &officer).await;
    let migrationsamt = test.logged_in("migrationsamt", &[Role::Migrationsamt]).await;
    assert_eq!(test.store.list_fordern(&migrationsamt, true, 1).await.unwrap().total, 0);

    let empty = field_errors(test.store.hand_over_to_migrationsamt(&officer, id, &UebergabeInput::default()).await);
    assert!(empty.get("empfehlung").is_some() && empty.get("begruendung").is_some());
    let input = UebergabeInput {
        empfehlung: "integrationsvereinbarung".to_owned(),
        begruendung: "Hat zwei Einladungen zum Deutschkurs nicht wahrgenommen.".to_owned(),
    };
    let fall = test.store.hand_over_to_migrationsamt(&officer, id, &input).await.unwrap();
    let second = test.store.hand_over_to_migrationsamt(&officer, id, &input).await;
    assert!(field_errors(second).get("empfehlung").unwrap().contains("bereits beim Migrationsamt"));

    let waiting = test.store.list_fordern(&migrationsamt, true, 1).await.unwrap();
    assert_eq!(waiting.total, 1);
    assert_eq!(waiting.items[0].name, "Tesfamariam-Čelik, Selam Ñaomi");
    assert_eq!(waiting.items[0].begruendung, input.begruendung);
    assert!(matches!(
        test.store.list_persons(&migrationsamt, &PersonQuery { page: 1, per_page: 10, ..PersonQuery::default() }).await,
        Err(StoreError::Denied(_))
    ));

    let other_officer = test.integration_officer_of(2601).await;
    assert_eq!(test.store.list_fordern(&other_officer, true, 1).await.unwrap().total, 0);
    assert!(matches!(test.store.get_fordern(&other_officer, fall).await, Err(StoreError::NotFound)));
    let decision = EntscheidInput { entscheid: "integrationsvereinbarung".to_owned(), begruendung: String::new() };
    assert!(matches!(test.store.decide_fordern(&officer, fall, &decision).await, Err(StoreError::Denied(_))));

    test.store.decide_fordern(&migrationsamt, fall, &decision).await.unwrap();
    let again = test.store.decide_fordern(&migrationsamt, fall, &decision).await;
    assert!(field_errors(again).get("entscheid").is_some(), "a decision is final");
    let back = test.store.get_neuzuzueger(&officer, id).await.unwrap();
    assert_eq!(back.fordern[0].entscheid, Some(FordernEntscheid::Integrationsvereinbarung));
    assert_eq!(test.store.list_fordern(&migrationsamt, true, 1).await.unwrap().total, 0);
    assert_eq!(test.store.list_fordern(&officer, false, 1).await.unwrap().total, 1);
}

#[tokio::test]
async fn a_possible_duplicate_is_decided_by_a_human_and_merging_keeps_the_existing_person() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let existing = test.register(&officer, person_named(2581, "Tesfamariam-Čelik", "Selam Ñaomi")).await;
    let importer = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap();
    let xml = arrival_in(2581, "dup-1").replace("<e44:vn>7561234567897</e44:vn>", "");
    test.store.import_register_delivery(&importer, "a.xml", read_delivery(xml.as_bytes()).unwrap()).await.unwrap();
    let pairs = test.store.possible_duplicates(&officer, 1).await.unwrap().items;
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].bestehend.id, existing.id);
    assert_eq!(test.store.count_possible_duplicates(&officer).await.unwrap(), 1);
    let other = test.integration_officer_of(2601).await;
    assert!(test.store.possible_duplicates(&other, 1).await.unwrap().items.is_empty());
    assert!(matches!(
        test.store.decide_duplicate(&other, pairs[0].id, DuplikatEntscheid::DieselbePerson).await,
        Err(StoreError::NotFound)
    ));

    test.store.decide_duplicate(&officer, pairs[0].id, DuplikatEntscheid::DieselbePerson).await.unwrap();
    assert!(test.store.possible_duplicates(&officer, 1).await.unwrap().items.is_empty());
    assert_eq!(test.search(&officer, "Tesfamariam").await.len(), 1, "the import's record is merged away");
    let neuzuzueger = test.store.list_neuzuzueger(&officer, &query(NeuzuzuegerFilter::Alle)).await.unwrap();
    assert_eq!(neuzuzueger.items[0].person_id, existing.id, "the arrival now belongs to the existing person");

    let resent = arrival_in(2581, "dup-2").replace("<e44:vn>7561234567897</e44:vn>", "");
    let report = test
        .store
        .import_register_delivery(&importer, "b.xml", read_delivery(resent.as_bytes()).unwrap())
        .await
        .unwrap();
    assert_eq!((report.neue_personen, report.moegliche_duplikate), (0, 0), "the register number now points to it");
}

#[tokio::test]
async fn different_persons_stay_apart() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    test.register(&officer, person_named(2581, "Tesfamariam-Čelik", "Selam Ñaomi")).await;
    let importer = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap();
    let xml = arrival_in(2581, "dup-3").replace("<e44:vn>7561234567897</e44:vn>", "");
    test.store.import_register_delivery(&importer, "a.xml", read_delivery(xml.as_bytes()).unwrap()).await.unwrap();
    let pair = test.store.possible_duplicates(&officer, 1).await.unwrap().items.remove(0);
    test.store.decide_duplicate(&officer, pair.id, DuplikatEntscheid::Verschieden).await.unwrap();
    assert!(test.store.possible_duplicates(&officer, 1).await.unwrap().items.is_empty());
    assert_eq!(test.search(&officer, "Tesfamariam").await.len(), 2);
    let twice = test.store.decide_duplicate(&officer, pair.id, DuplikatEntscheid::DieselbePerson).await;
    assert!(field_errors(twice).get("entscheid").is_some());
}

/// Marks `neu` as a possible duplicate of `bestehend`, as the import does, with plain SQL.
async fn pair(test: &TestStore, neu: i64, bestehend: i64) {
    let statement = format!(
        "INSERT INTO moegliche_duplikate (person_id, kandidat_id, status, created_at) \
         VALUES ({neu}, {bestehend}, 'offen', '2026-11-21T09:00:00+00:00')"
    );
    test.raw_connection().await.execute_unprepared(&statement).await.unwrap();
}

#[tokio::test]
async fn the_start_page_counts_exactly_the_pairs_the_list_shows_page_by_page() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let solothurn = test.integration_officer_of(2601).await;
    for n in 0..25 {
        let neu = test.register(&olten, person_named(2581, "Doppelt", &format!("Neu{n}"))).await;
        let bestehend = test.register(&olten, person_named(2581, "Doppelt", &format!("Alt{n}"))).await;
        pair(&test, neu.id, bestehend.id).await;
    }
    let neu_in_olten = test.register(&olten, person_named(2581, "Grenz", "Neu")).await;
    let bestehend_in_solothurn = test.register(&solothurn, person_named(2601, "Grenz", "Alt")).await;
    pair(&test, neu_in_olten.id, bestehend_in_solothurn.id).await;

    let first = test.store.possible_duplicates(&olten, 1).await.unwrap();
    let second = test.store.possible_duplicates(&olten, 2).await.unwrap();

    assert_eq!((first.items.len(), second.items.len(), first.total), (20, 5, 25), "the pair across the border is out");
    assert_eq!(test.store.count_possible_duplicates(&olten).await.unwrap(), first.total);
    assert!(
        first.items.iter().chain(&second.items).all(|p| p.neu.gemeinde == "Olten" && p.bestehend.gemeinde == "Olten")
    );
    let seen: std::collections::BTreeSet<i64> = first.items.iter().chain(&second.items).map(|p| p.id).collect();
    assert_eq!(seen.len(), 25, "no pair on two pages");
    assert_eq!(test.store.count_possible_duplicates(&solothurn).await.unwrap(), 0);
    assert_eq!(test.store.possible_duplicates(&solothurn, 1).await.unwrap().total, 0);
}

#[tokio::test]
async fn an_unknown_stored_recommendation_is_reported_as_corrupt_never_read_as_another() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let id = neuzuzueger_in(&test, 2581, &officer).await;
    let input = UebergabeInput {
        empfehlung: "integrationsvereinbarung".to_owned(),
        begruendung: "Hat zwei Einladungen zum Deutschkurs nicht wahrgenommen.".to_owned(),
    };
    test.store.hand_over_to_migrationsamt(&officer, id, &input).await.unwrap();
    let raw = test.raw_connection().await;
    raw.execute_unprepared("UPDATE fordern_faelle SET empfehlung = 'kaputt'").await.unwrap();
    let migrationsamt = test.logged_in("migrationsamt", &[Role::Migrationsamt]).await;

    let detail = test.store.get_neuzuzueger(&officer, id).await;
    let list = test.store.list_fordern(&migrationsamt, true, 1).await;

    assert!(matches!(&detail, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{:?}", detail.map(|d| d.fordern));
    assert!(matches!(&list, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{:?}", list.map(|l| l.total));
}

#[tokio::test]
async fn an_unknown_stored_neuzuzueger_status_is_reported_as_corrupt_never_read_as_to_invite() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let id = neuzuzueger_in(&test, 2581, &officer).await;
    test.raw_connection().await.execute_unprepared("UPDATE neuzuzueger SET status = 'kaputt'").await.unwrap();

    let detail = test.store.get_neuzuzueger(&officer, id).await;

    assert!(
        matches!(&detail, Err(StoreError::Corrupt(m)) if m.contains("kaputt")),
        "{:?}",
        detail.map(|d| d.neuzuzueger)
    );
}

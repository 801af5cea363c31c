//! Import of eCH-0020 deliveries: Neuzuzüger from abroad stored once, everything else counted and skipped,
//! refusals named, persons matched and possible duplicates marked, never merged.

use crate::support::{TestStore, person_named};
use iim_domain::{Choice, Role};
use iim_ech::read_delivery;
use iim_store::{EVENTS_PER_BATCH, ImportReport, PersonQuery};

fn fixture(name: &str) -> String {
    let path = format!("{}/../ech/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn import(test: &TestStore, importer: &str, xml: &str) -> ImportReport {
    let delivery = read_delivery(xml.as_bytes()).unwrap();
    let actor = test.store.operator().operator_actor(importer).await.unwrap();
    test.store.import_register_delivery(&actor, "test.xml", delivery).await.unwrap()
}

async fn persons_named(test: &TestStore, text: &str) -> u64 {
    let actor = test.integration_officer_of(2581).await;
    let query = PersonQuery { text: text.to_owned(), page: 1, per_page: 50 };
    test.store.list_persons(&actor, &query).await.unwrap().total
}

#[tokio::test]
async fn an_arrival_from_abroad_becomes_a_person_once() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    let xml = fixture("move-in-from-abroad.xml");
    let report = import(&test, &importer, &xml).await;
    assert_eq!((report.gelesen, report.gespeichert, report.neue_personen), (1, 1, 1), "{report:?}");
    assert!(report.abgelehnt.is_empty());
    assert_eq!(persons_named(&test, "Tesfamariam").await, 1);

    let again = import(&test, &importer, &xml).await;
    assert!(again.bereits_importiert, "the same message is imported once");
    assert_eq!(again.gespeichert, 0);

    let resent = xml.replace("olten-2026-11-20-0001", "olten-2026-11-20-0002");
    let report = import(&test, &importer, &resent).await;
    assert_eq!((report.gespeichert, report.neue_personen), (1, 0), "the same person is matched: {report:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 1);
}

#[tokio::test]
async fn swiss_nationals_and_moves_within_switzerland_are_skipped_not_stored() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    let swiss = fixture("move-in-from-abroad.xml")
        .replace("<e08:countryIdISO2>ER</e08:countryIdISO2><e08:countryNameShort>Eritrea</e08:countryNameShort></e11:country></e11:countryInfo>", "<e08:countryIdISO2>CH</e08:countryIdISO2><e08:countryNameShort>Schweiz</e08:countryNameShort></e11:country></e11:countryInfo>");
    let report = import(&test, &importer, &swiss).await;
    assert_eq!((report.gespeichert, report.uebersprungen, report.neue_personen), (0, 1, 0), "{report:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 0);

    let report = import(&test, &importer, &fixture("move-out-death.xml")).await;
    assert_eq!((report.uebersprungen, report.zugeordnet), (1, 0), "an unknown person's move-out is not kept");
}

#[tokio::test]
async fn a_municipality_outside_the_canton_is_refused_with_its_number() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    let bern = fixture("move-in-from-abroad.xml")
        .replace("<e07:municipalityId>2581</e07:municipalityId>", "<e07:municipalityId>351</e07:municipalityId>");
    let report = import(&test, &importer, &bern).await;
    assert_eq!(report.abgelehnt.len(), 1, "{report:?}");
    assert!(report.abgelehnt[0].message.contains("351"));
    assert_eq!(report.abgelehnt[0].field, "reportingMunicipality/municipalityId");
    assert_eq!(report.neue_personen, 0);
}

#[tokio::test]
async fn a_known_person_moving_out_is_matched_and_a_namesake_is_marked_not_merged() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    let officer = test.integration_officer_of(2581).await;
    test.register(&officer, person_named(2581, "Tesfamariam-Čelik", "Selam Ñaomi")).await;
    let without_ahv = fixture("move-in-from-abroad.xml").replace("<e44:vn>7561234567897</e44:vn>", "");
    let report = import(&test, &importer, &without_ahv).await;
    assert_eq!((report.neue_personen, report.moegliche_duplikate), (1, 1), "{report:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 2, "never merged silently");

    let report = import(&test, &importer, &fixture("move-out-death.xml")).await;
    assert_eq!((report.zugeordnet, report.uebersprungen), (1, 0), "{report:?}");
}

#[tokio::test]
async fn a_broken_event_of_a_base_delivery_is_listed_and_the_rest_counted() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2422", &[Role::Integrationsbeauftragte]).await;
    let report = import(&test, &importer, &fixture("base-delivery.xml")).await;
    assert_eq!(report.gelesen, 3);
    assert_eq!(report.abgelehnt.len(), 1);
    assert_eq!(report.abgelehnt[0].position, 2);
    assert_eq!(report.uebersprungen, 2, "unknown residents of a base delivery are not stored");
    assert_eq!(report.neue_personen, 0);
}

#[tokio::test]
async fn the_import_is_in_the_access_log() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    import(&test, &importer, &fixture("move-in-from-abroad.xml")).await;
    let log = test.whole_log(&test.kanton_auditor().await).await;
    let entry = log.iter().find(|e| e.actor_username == importer).expect("an entry of the import");
    assert!(entry.detail.as_deref().unwrap().starts_with("eCH-0020-Import olten-2026-11-20-0001"), "{entry:?}");
}

/// A birth in Olten of a child with the given nationality and mother (register number).
fn birth(message: &str, nationality: &str, mother: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3"><deliveryHeader><messageId>{message}</messageId></deliveryHeader><birth><birthPerson><personIdentification><localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>{message}</personId></localPersonId><officialName>Berhe</officialName><firstName>Lina</firstName><sex>2</sex><dateOfBirth><yearMonthDay>2026-11-01</yearMonthDay></dateOfBirth></personIdentification><nationalityData><nationalityStatus>2</nationalityStatus><countryInfo><country><countryIdISO2>{nationality}</countryIdISO2><countryNameShort>x</countryNameShort></country></countryInfo></nationalityData><parentalRelationship><partner><personIdentificationPartner><localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>{mother}</personId></localPersonId><officialName>Mutter</officialName><firstName>M</firstName></personIdentificationPartner></partner><typeOfRelationship>3</typeOfRelationship></parentalRelationship></birthPerson><hasMainResidence><mainResidence><reportingMunicipality><municipalityId>2581</municipalityId><municipalityName>Olten</municipalityName></reportingMunicipality><arrivalDate>2026-11-01</arrivalDate></mainResidence></hasMainResidence></birth></delivery>"#
    )
}

#[tokio::test]
async fn a_birth_is_kept_for_a_foreign_child_or_a_known_foreign_parent() {
    let test = TestStore::new().await;
    let importer = test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await;
    let foreign = import(&test, &importer, &birth("geburt-1", "ER", "unbekannt")).await;
    assert_eq!((foreign.gespeichert, foreign.neue_personen), (1, 1), "{foreign:?}");
    let swiss = import(&test, &importer, &birth("geburt-2", "CH", "unbekannt")).await;
    assert_eq!((swiss.gespeichert, swiss.uebersprungen, swiss.neue_personen), (0, 1, 0), "{swiss:?}");
    assert_eq!(persons_named(&test, "Berhe").await, 1);

    import(&test, &importer, &fixture("move-in-from-abroad.xml")).await;
    let swiss_child_of_a_neuzuzueger = import(&test, &importer, &birth("geburt-3", "CH", "2581-004711")).await;
    assert_eq!(swiss_child_of_a_neuzuzueger.gespeichert, 1, "the mother is a known foreign national");
    assert_eq!(persons_named(&test, "Berhe").await, 2);
}

#[tokio::test]
async fn an_integration_officer_imports_only_events_of_her_own_gemeinden() {
    let test = TestStore::new().await;
    let balsthal = test.add_user("gde-2422", &[Role::Integrationsbeauftragte]).await;
    let report = import(&test, &balsthal, &fixture("move-in-from-abroad.xml")).await;
    assert_eq!((report.gespeichert, report.neue_personen), (0, 0), "{report:?}");
    assert_eq!(report.abgelehnt.len(), 1);
    assert_eq!(report.abgelehnt[0].kind, "moveIn");
    assert_eq!(report.abgelehnt[0].field, "reportingMunicipality/municipalityId");
    assert!(report.abgelehnt[0].message.contains("Olten"), "{report:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 0);
}

#[tokio::test]
async fn a_provider_may_not_import_and_the_refusal_is_logged() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let xml = fixture("move-in-from-abroad.xml");
    let delivery = read_delivery(xml.as_bytes()).unwrap();
    let refused = test.store.import_register_delivery(&provider, "test.xml", delivery).await;
    assert!(matches!(refused, Err(iim_store::StoreError::Denied(_))), "{refused:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 0);
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.actor_username == provider.username
        && e.resource == "register_import"
        && e.outcome == "verweigert"));
}

/// The arrival of the fixture, into Gemeinde `bfs`, as message `message` of person `local_id` (no AHV number).
fn arrival(message: &str, local_id: &str, bfs: u16) -> String {
    fixture("move-in-from-abroad.xml")
        .replace("olten-2026-11-20-0001", message)
        .replace("2581-004711", local_id)
        .replace("<e44:vn>7561234567897</e44:vn>", "")
        .replace(
            "<e07:municipalityId>2581</e07:municipalityId>",
            &format!("<e07:municipalityId>{bfs}</e07:municipalityId>"),
        )
}

async fn admin(test: &TestStore) -> iim_domain::Actor {
    test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap()
}

async fn import_as(test: &TestStore, actor: &iim_domain::Actor, xml: &str) -> ImportReport {
    let delivery = read_delivery(std::io::Cursor::new(xml.as_bytes().to_vec())).unwrap();
    test.store.import_register_delivery(actor, "test.xml", delivery).await.unwrap()
}

#[tokio::test]
async fn the_arrivals_an_integration_officer_may_not_import_are_stored_by_the_admin_exactly_once() {
    let test = TestStore::new().await;
    let olten = test
        .store
        .operator()
        .operator_actor(&test.add_user("gde-2581", &[Role::Integrationsbeauftragte]).await)
        .await
        .unwrap();
    let week: Vec<String> = (0..19)
        .map(|i| arrival(&format!("woche-47-{i:02}"), &format!("p-{i}"), if i < 12 { 2581 } else { 2422 }))
        .collect();
    let mut first = ImportReport::default();
    for xml in &week {
        let report = import_as(&test, &olten, xml).await;
        first.gespeichert += report.gespeichert;
        first.abgelehnt.extend(report.abgelehnt);
    }
    assert_eq!((first.gespeichert, first.abgelehnt.len()), (12, 7), "{first:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 12);

    let admin = admin(&test).await;
    let (mut stored, mut earlier, mut unchanged) = (0, 0, 0);
    for xml in &week {
        let report = import_as(&test, &admin, xml).await;
        assert!(report.abgelehnt.is_empty(), "{report:?}");
        stored += report.gespeichert;
        earlier += report.frueher_importiert;
        unchanged += usize::from(report.bereits_importiert);
    }
    assert_eq!((stored, earlier, unchanged), (7, 12, 12), "7 stored now, 12 imported before");
    let deliveries = test.store.register_deliveries(&admin, 1, 50).await.unwrap();
    assert_eq!(deliveries.total, 19, "one record per message, whoever imported it");
    assert!(deliveries.items.iter().all(|d| d.gespeichert == 1 && d.abgelehnt == 0), "{deliveries:?}");

    let again = import_as(&test, &admin, &week[18]).await;
    assert!(again.bereits_importiert && again.gespeichert == 0 && again.frueher_importiert == 1, "{again:?}");
}

#[tokio::test]
async fn a_truncated_or_garbled_file_does_not_burn_its_message_id() {
    let test = TestStore::new().await;
    let admin = admin(&test).await;
    let xml = fixture("move-in-from-abroad.xml");
    let cut = &xml[..xml.find("<e20:nationalityData>").unwrap()];
    let truncated = import_as(&test, &admin, cut).await;
    assert_eq!((truncated.gespeichert, truncated.abgelehnt.len()), (0, 1), "{truncated:?}");
    let mut garbled = xml.clone().into_bytes();
    let at = xml.find("Selam").unwrap();
    garbled[at] = 0xFF;
    let delivery = read_delivery(std::io::Cursor::new(garbled)).unwrap();
    let report = test.store.import_register_delivery(&admin, "kaputt.xml", delivery).await.unwrap();
    assert_eq!((report.gespeichert, report.abgelehnt.len()), (0, 1), "{report:?}");
    assert_eq!(persons_named(&test, "Tesfamariam").await, 0);

    let corrected = import_as(&test, &admin, &xml).await;
    assert_eq!((corrected.gespeichert, corrected.neue_personen), (1, 1), "{corrected:?}");
    assert!(!corrected.bereits_importiert);
    let delivery = test.store.register_deliveries(&admin, 1, 5).await.unwrap().items.remove(0);
    let detail = test.store.register_delivery(&admin, delivery.id).await.unwrap();
    assert!(detail.ablehnungen.is_empty(), "the refusal is resolved: {detail:?}");
    assert_eq!((detail.lieferung.gespeichert, detail.lieferung.abgelehnt), (1, 0));
}

#[tokio::test]
async fn the_same_file_imported_again_by_the_same_person_changes_nothing_and_says_so() {
    let test = TestStore::new().await;
    let balsthal = test
        .store
        .operator()
        .operator_actor(&test.add_user("gde-2422", &[Role::Integrationsbeauftragte]).await)
        .await
        .unwrap();
    let xml = fixture("base-delivery.xml");
    let first = import_as(&test, &balsthal, &xml).await;
    let again = import_as(&test, &balsthal, &xml).await;
    assert_eq!((first.uebersprungen, first.abgelehnt.len(), first.bereits_importiert), (2, 1, false));
    assert!(again.bereits_importiert, "{again:?}");
    assert_eq!((again.uebersprungen, again.frueher_importiert, again.abgelehnt.len()), (0, 2, 1));
    let delivery = test.store.register_deliveries(&balsthal, 1, 5).await.unwrap().items.remove(0);
    assert_eq!((delivery.gelesen, delivery.uebersprungen, delivery.abgelehnt), (3, 2, 1), "{delivery:?}");
    let detail = test.store.register_delivery(&balsthal, delivery.id).await.unwrap();
    assert_eq!(detail.ablehnungen.len(), 1, "the refusal is kept once");
    let reasons: Vec<_> = detail.uebersprungen.iter().map(|g| (g.art.label(), g.grund.to_string(), g.anzahl)).collect();
    assert_eq!(reasons, [("Einwohnerbestand", "Person dem Cockpit nicht bekannt".to_owned(), 2)]);
}

/// A baseDelivery of Balsthal with `count` residents the Cockpit does not know.
fn base_delivery(message: &str, count: usize) -> String {
    let xml = fixture("base-delivery.xml").replace("balsthal-bestand-2026", message);
    let start = xml.find("<messages>").unwrap();
    let end = xml.find("</messages>").unwrap() + "</messages>".len();
    let resident = &xml[start..end];
    let residents: String = (1..=count).map(|i| resident.replace("2422-1<", &format!("2422-{i}<"))).collect();
    let last = xml.rfind("</messages>").unwrap() + "</messages>".len();
    format!("{}{residents}{}", &xml[..start], &xml[last..])
}

async fn import_entries(test: &TestStore, message: &str) -> usize {
    let log = test.whole_log(&test.kanton_auditor().await).await;
    let prefix = format!("eCH-0020-Import {message} ");
    log.iter().filter(|e| e.detail.as_deref().is_some_and(|d| d.starts_with(&prefix))).count()
}

#[tokio::test]
async fn a_big_delivery_is_committed_in_batches_and_an_import_stopped_half_way_is_completed_once() {
    let test = TestStore::new().await;
    let admin = admin(&test).await;
    let whole = base_delivery("bestand-2500", 2500);
    let report = import_as(&test, &admin, &whole).await;
    assert_eq!((report.gelesen, report.uebersprungen), (2500, 2500));
    assert_eq!(
        import_entries(&test, "bestand-2500").await,
        2500usize.div_ceil(EVENTS_PER_BATCH),
        "one transaction and log entry per {EVENTS_PER_BATCH} events"
    );

    let other = base_delivery("bestand-stopp", 2500);
    let mut at = 0;
    for _ in 0..1700 {
        at += other[at..].find("<messages>").unwrap() + 1;
    }
    let stopped = import_as(&test, &admin, &other[..at + 200]).await;
    assert_eq!((stopped.uebersprungen, stopped.abgelehnt.len()), (1699, 1), "{:?}", stopped.abgelehnt);
    let rest = import_as(&test, &admin, &other).await;
    assert_eq!((rest.frueher_importiert, rest.uebersprungen, rest.abgelehnt.len()), (1699, 801, 0));
    let delivery = test.store.register_deliveries(&admin, 1, 5).await.unwrap().items.remove(0);
    assert_eq!(
        (delivery.message_id.as_str(), delivery.gelesen, delivery.uebersprungen, delivery.abgelehnt),
        ("bestand-stopp", 2500, 2500, 0)
    );
}

#[tokio::test]
async fn another_writer_succeeds_while_a_big_delivery_is_imported() {
    let test = TestStore::new().await;
    let admin = admin(&test).await;
    let officer = test.integration_officer_of(2581).await;
    let whole = base_delivery("bestand-gleichzeitig", 3000);
    let import = import_as(&test, &admin, &whole);
    let writes = async {
        let mut results = Vec::new();
        for i in 0..20 {
            let person = person_named(2581, "Gleichzeitig", &format!("Nummer {i}"));
            results.push(test.store.create_person(&officer, person).await.map(|_| ()));
            tokio::task::yield_now().await;
        }
        results
    };
    let (report, results) = tokio::join!(import, writes);
    assert_eq!(report.uebersprungen, 3000);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(persons_named(&test, "Gleichzeitig").await, 20);
}

/// Two first imports of the same message at the same moment, `rounds` times: both finish without error and
/// each event is done by exactly one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_first_imports_of_the_same_message_at_once_both_finish_and_store_each_event_once() {
    let test = TestStore::new().await;
    let admin = admin(&test).await;
    for round in 0..6 {
        let xml = arrival(&format!("gleichzeitig-{round}"), &format!("g-{round}"), 2581);
        let (first, second) = tokio::join!(import_as(&test, &admin, &xml), import_as(&test, &admin, &xml));
        let done = [&first, &second].map(|r| (r.gespeichert, r.frueher_importiert, r.neue_personen));
        assert!(
            matches!(done, [(1, 0, 1), (0, 1, 0)] | [(0, 1, 0), (1, 0, 1)]),
            "round {round} on {:?}: {first:?} {second:?}",
            test.backend()
        );
        assert_eq!(persons_named(&test, "Tesfamariam").await, round + 1, "round {round}: one person per arrival");
    }
    let events = EVENTS_PER_BATCH + EVENTS_PER_BATCH / 2;
    for round in 0..2 {
        let message = format!("bestand-gleichzeitig-{round}");
        let xml = base_delivery(&message, events);
        let (first, second) = tokio::join!(import_as(&test, &admin, &xml), import_as(&test, &admin, &xml));
        assert_eq!(
            (first.uebersprungen + second.uebersprungen, first.frueher_importiert + second.frueher_importiert),
            (events, events),
            "round {round} on {:?}: every event done once over both imports",
            test.backend()
        );
        let delivery = test.store.register_deliveries(&admin, 1, 5).await.unwrap().items.remove(0);
        assert_eq!(
            (delivery.message_id, delivery.gelesen, delivery.uebersprungen),
            (message, count(events), count(events))
        );
    }
}

fn count(events: usize) -> i32 {
    i32::try_from(events).unwrap()
}

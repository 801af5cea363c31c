//! Import of eCH-0020 deliveries: Neuzuzüger from abroad stored once, everything else counted and skipped,
//! refusals named, persons matched and possible duplicates marked, never merged.

use crate::support::{TestStore, person_named};
use iim_domain::Role;
use iim_ech::read_delivery;
use iim_store::{ImportReport, PersonQuery};

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

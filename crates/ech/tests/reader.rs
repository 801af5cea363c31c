//! The reader on deliveries as register software writes them: own prefixes or a default namespace, optional
//! parts left out, partial dates of birth, non-ASCII names, a broken person inside a baseDelivery, a wrong
//! namespace, a truncated file.

// Test code: a failed step should stop the test with its message (clippy's test allowance covers only the
// test functions, not their helpers).
#![allow(clippy::unwrap_used)]

use iim_domain::Sex;
use iim_ech::{DeliveryError, Place, RegisterEvent, read_delivery};
use std::io::BufReader;

fn fixture(name: &str) -> BufReader<std::fs::File> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    BufReader::new(std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn events_of(source: impl std::io::BufRead) -> Vec<Result<RegisterEvent, iim_ech::EventError>> {
    read_delivery(source).unwrap().collect()
}

#[test]
fn a_move_in_from_abroad_with_its_own_prefixes() {
    let reader = read_delivery(fixture("move-in-from-abroad.xml")).unwrap();
    assert_eq!(reader.header().message_id, "olten-2026-11-20-0001");
    assert_eq!(reader.header().sender_id, "sedex://T2-2581-1");
    let events: Vec<_> = reader.collect();
    assert_eq!(events.len(), 1);
    let Ok(RegisterEvent::MoveIn { person, municipality, arrival, comes_from }) = &events[0] else {
        panic!("a moveIn: {events:?}");
    };
    assert_eq!(*municipality, 2581);
    assert_eq!(arrival.to_string(), "2026-11-02");
    assert_eq!(comes_from, &Place::Abroad { country: Some("ER".into()), name: "Eritrea".into() });
    assert_eq!(person.official_name, "Tesfamariam-Čelik");
    assert_eq!(person.first_name, "Selam Ñaomi");
    assert_eq!(person.sex, Sex::Weiblich);
    assert_eq!(person.date_of_birth.to_string(), "03.1994");
    assert_eq!(person.local_id, ("CH.ZAR".into(), "2581-004711".into()));
    assert_eq!(person.ahv.as_ref().map(|a| a.to_string()).as_deref(), Some("756.1234.5678.97"));
    assert_eq!(person.nationalities, vec!["ER".to_owned()]);
    assert_eq!(person.residence_permit.as_deref(), Some("05"));
    assert!(!person.is_swiss());
}

#[test]
fn a_base_delivery_is_read_person_by_person_and_a_broken_one_is_named() {
    let events = events_of(fixture("base-delivery.xml"));
    assert_eq!(events.len(), 3, "{events:?}");
    let Ok(RegisterEvent::Resident { person, municipality }) = &events[0] else { panic!("{:?}", events[0]) };
    assert_eq!((person.official_name.as_str(), *municipality), ("Müller", Some(2422)));
    assert!(person.is_swiss());
    assert_eq!(person.date_of_birth.to_string(), "04.07.1961");

    let refused = events[1].as_ref().unwrap_err();
    assert_eq!((refused.position, refused.kind.as_str()), (2, "baseDelivery"));
    assert_eq!(refused.field, "baseDeliveryPerson/officialName");
    assert_eq!(refused.message, "Der Name fehlt.");
    assert!(refused.to_string().starts_with("Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/officialName"));

    let Ok(RegisterEvent::Resident { person, .. }) = &events[2] else { panic!("{:?}", events[2]) };
    assert_eq!(person.first_name, "Omar & Yusuf", "entities are resolved");
    assert_eq!(person.date_of_birth.to_string(), "2001");
    assert_eq!(person.residence_permit.as_deref(), Some("02"));
}

#[test]
fn a_move_out_to_another_gemeinde_of_the_canton() {
    let events = events_of(fixture("move-out-death.xml"));
    let Ok(RegisterEvent::MoveOut { person, municipality, departure, goes_to }) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!((*municipality, departure.to_string().as_str()), (2581, "2026-12-01"));
    assert_eq!(goes_to, &Place::Swiss { bfs: Some(2422), name: "Balsthal".into() });
    assert_eq!(person.ahv, None, "the AHV number is optional");
}

/// A single-event delivery around `event`, in the default namespace of eCH-0020 v3.
fn delivery(event: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3"><deliveryHeader><messageId>m-1</messageId></deliveryHeader>{event}</delivery>"#
    )
}

const PERSON: &str = "<localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>7</personId></localPersonId><officialName>Berhe</officialName><firstName>Amanuel</firstName><sex>1</sex><dateOfBirth><yearMonthDay>2026-10-30</yearMonthDay></dateOfBirth>";

#[test]
fn birth_death_and_move_within_the_gemeinde() {
    let mother = "<parentalRelationship><partner><personIdentificationPartner><localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>2581-004711</personId></localPersonId><officialName>Tesfamariam-Čelik</officialName><firstName>Selam</firstName></personIdentificationPartner></partner><typeOfRelationship>4</typeOfRelationship></parentalRelationship>";
    let birth = delivery(&format!(
        "<birth><birthPerson><personIdentification>{PERSON}</personIdentification>{mother}</birthPerson><hasMainResidence><reportingMunicipality><municipalityId>2581</municipalityId><municipalityName>Olten</municipalityName></reportingMunicipality></hasMainResidence></birth>"
    ));
    let events = events_of(birth.as_bytes());
    let Ok(RegisterEvent::Birth { municipality: Some(2581), parents, .. }) = &events[0] else { panic!("{events:?}") };
    assert_eq!(parents, &vec![("CH.ZAR".to_owned(), "2581-004711".to_owned())]);

    let death = delivery(&format!(
        "<death><deathPerson>{PERSON}</deathPerson><deathData><deathPeriod><dateFrom>2026-11-15</dateFrom></deathPeriod></deathData></death>"
    ));
    let events = events_of(death.as_bytes());
    assert!(matches!(&events[0], Ok(RegisterEvent::Death { date, .. }) if date.to_string() == "2026-11-15"));

    let moved = delivery(&format!(
        "<move><movePerson>{PERSON}</movePerson><moveReportingMunicipality><reportingMunicipality><municipalityId>2581</municipalityId><municipalityName>Olten</municipalityName></reportingMunicipality></moveReportingMunicipality></move>"
    ));
    assert!(matches!(&events_of(moved.as_bytes())[0], Ok(RegisterEvent::Move { municipality: 2581, .. })));
}

#[test]
fn event_kinds_the_cockpit_does_not_use_are_named_not_refused() {
    let marriage = delivery(&format!("<marriage><marriagePerson>{PERSON}</marriagePerson></marriage>"));
    assert_eq!(events_of(marriage.as_bytes()), vec![Ok(RegisterEvent::NotUsed { kind: "marriage".into() })]);
}

#[test]
fn bad_fields_are_refused_with_event_and_field() {
    let bad_date = delivery(&format!(
        "<death><deathPerson>{PERSON}</deathPerson><deathData><deathPeriod><dateFrom>15.11.2026</dateFrom></deathPeriod></deathData></death>"
    ));
    let refused = events_of(bad_date.as_bytes()).remove(0).unwrap_err();
    assert_eq!((refused.kind.as_str(), refused.field.as_str()), ("death", "dateFrom"));
    assert!(refused.message.contains("15.11.2026"));

    let bad_sex =
        delivery(&format!("<move><movePerson>{}</movePerson></move>", PERSON.replace("<sex>1</sex>", "<sex>m</sex>")));
    let refused = events_of(bad_sex.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.field, "movePerson/sex");

    let bad_bfs = delivery(&format!(
        "<move><movePerson>{PERSON}</movePerson><moveReportingMunicipality><reportingMunicipality><municipalityId>Olten</municipalityId><municipalityName>Olten</municipalityName></reportingMunicipality></moveReportingMunicipality></move>"
    ));
    let refused = events_of(bad_bfs.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.field, "reportingMunicipality/municipalityId");
    assert_eq!(refused.message, "Ungültige BFS-Nummer «Olten».");
}

#[test]
fn a_wrong_namespace_or_root_is_refused_as_a_whole() {
    let version_2 = r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/2"><deliveryHeader><messageId>m</messageId></deliveryHeader></delivery>"#;
    assert_eq!(
        read_delivery(version_2.as_bytes()).err(),
        Some(DeliveryError::WrongNamespace("http://www.ech.ch/xmlns/eCH-0020/2".into()))
    );
    let other = r#"<html><body/></html>"#;
    assert_eq!(read_delivery(other.as_bytes()).err(), Some(DeliveryError::NotADelivery("html".into())));
    let headless = r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3"><moveIn/></delivery>"#;
    assert_eq!(read_delivery(headless.as_bytes()).err(), Some(DeliveryError::MissingHeader));
}

#[test]
fn a_truncated_base_delivery_keeps_what_was_complete_and_says_where_it_broke() {
    let text =
        std::fs::read_to_string(format!("{}/tests/fixtures/base-delivery.xml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cut = &text[..text.rfind("<messages>").unwrap() + 40];
    let events = events_of(cut.as_bytes());
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[0].is_ok());
    let broken = events[2].as_ref().unwrap_err();
    assert_eq!(broken.position, 3);
    assert!(broken.message.starts_with("XML fehlerhaft"), "{broken:?}");
}

#[test]
fn a_name_longer_than_ech_0044_allows_or_with_control_characters_refuses_the_event() {
    let huge = "A".repeat(3 * 1024 * 1024);
    let too_long =
        PERSON.replace("<officialName>Berhe</officialName>", &format!("<officialName>{huge}</officialName>"));
    let nul = PERSON.replace("<firstName>Amanuel</firstName>", "<firstName>Ama&#x1;nuel</firstName>");
    for (person, field, message) in [
        (too_long, "deathPerson/officialName", "Höchstens 100 Zeichen."),
        (nul, "deathPerson/firstName", "Enthält unzulässige Steuerzeichen."),
    ] {
        let xml = delivery(&format!(
            "<death><deathPerson>{person}</deathPerson><deathData><deathPeriod><dateFrom>2026-11-15</dateFrom></deathPeriod></deathData></death>"
        ));
        let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.message.as_str()), (field, message));
        assert!(refused.to_string().len() < 1000, "the message does not repeat the name");
    }
}

//! The reader on deliveries as register software writes them. The files in `fixtures/` (deliveries the other
//! crates' tests import too) and `fixtures/events/` (one per event kind, with the optional parts present and
//! absent, and the variants registers send) are all valid against the official schemas: CI checks that with
//! `scripts/check-xml-fixtures.sh`. Deliveries that break the schema (a field left out, a wrong path, broken
//! XML) are built here in the test from valid ones, so no invalid file lies among the fixtures.

// Test code: a failed step should stop the test with its message (clippy's test allowance covers only the
// test functions, not their helpers).
#![allow(clippy::unwrap_used)]

use iim_domain::{Nationality, ResidenceStatus, Sex};
use iim_ech::{DeliveryError, Place, RegisterEvent, RegisterPerson, nationality, read_delivery, residence_status};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::io::BufReader;

#[path = "support/check.rs"]
mod check;
#[path = "support/mutate.rs"]
mod mutate;

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> BufReader<std::fs::File> {
    let path = fixture_path(name);
    BufReader::new(std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn fixture_text(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn events_of(source: impl std::io::BufRead) -> Vec<Result<RegisterEvent, iim_ech::EventError>> {
    read_delivery(source).unwrap().collect()
}

/// The one event of a single-event fixture, which must be read without refusal.
fn only_event(name: &str) -> RegisterEvent {
    let mut events = events_of(fixture(name));
    assert_eq!(events.len(), 1, "{name}: {events:?}");
    events.remove(0).unwrap_or_else(|refused| panic!("{name}: {refused}"))
}

/// The persons and municipalities of a baseDelivery fixture, which must be read without refusal.
fn residents(name: &str) -> Vec<(RegisterPerson, Option<u16>)> {
    events_of(fixture(name))
        .into_iter()
        .map(|event| match event {
            Ok(RegisterEvent::Resident { person, municipality }) => (person, municipality),
            other => panic!("{name}: a resident, not {other:?}"),
        })
        .collect()
}

fn date(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn local_id(category: &str, id: &str) -> (String, String) {
    (category.to_owned(), id.to_owned())
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|code| (*code).to_owned()).collect()
}

fn ahv_of(person: &RegisterPerson) -> Option<String> {
    person.ahv.as_ref().map(|ahv| ahv.to_string())
}

#[test]
fn every_fixture_is_read_and_only_the_known_bad_ahv_number_is_refused() {
    let mut read = 0;
    for folder in ["", "events"] {
        for entry in std::fs::read_dir(fixture_path(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|extension| extension != "xml") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let file = BufReader::new(std::fs::File::open(&path).unwrap());
            for event in events_of(file) {
                match event {
                    Ok(_) => {}
                    Err(refused) if name == "base-delivery.xml" && refused.field == "baseDeliveryPerson/vn" => {}
                    Err(refused) => panic!("{name}: {refused}"),
                }
            }
            read += 1;
        }
    }
    assert!(read >= 20, "all fixtures found: {read}");
}

#[test]
fn a_move_in_from_abroad_with_its_own_prefixes() {
    let reader = read_delivery(fixture("move-in-from-abroad.xml")).unwrap();
    assert_eq!(reader.header().message_id, "olten-2026-11-20-0001");
    assert_eq!(reader.header().sender_id, "sedex://T2-2581-1");
    assert_eq!(reader.header().message_date.as_deref(), Some("2026-11-20T07:15:00+01:00"));
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
fn a_move_in_with_every_optional_part_reads_the_main_residence_and_both_nationalities() {
    let RegisterEvent::MoveIn { person, municipality, arrival, comes_from } =
        only_event("events/move-in-main-residence.xml")
    else {
        panic!("a moveIn");
    };
    assert_eq!((municipality, arrival), (2581, date("2026-03-01")));
    assert_eq!(comes_from, Place::Abroad { country: Some("PT".into()), name: "Portugal".into() });
    assert_eq!(person.local_id, local_id("CH.ZAR", "2581-005120"), "the register's own number, not the other one");
    assert_eq!((person.official_name.as_str(), person.first_name.as_str()), ("Ferreira Costa", "Ana Luísa"));
    assert_eq!(ahv_of(&person).as_deref(), Some("756.1000.0000.09"));
    assert_eq!(person.date_of_birth.to_string(), "17.04.1992");
    assert_eq!(person.nationalities, codes(&["PT", "BR"]));
    assert_eq!(person.residence_permit.as_deref(), Some("0201"));
    assert_eq!(residence_status(&person), ResidenceStatus::B, "0201 is a sub-category of B");
    assert_eq!(nationality(&person), Nationality::Country("PT".into()));
}

#[test]
fn a_move_in_with_only_the_required_parts_knows_a_swiss_citizen_by_the_country_number_alone() {
    let RegisterEvent::MoveIn { person, municipality, arrival, comes_from } = only_event("events/move-in-minimal.xml")
    else {
        panic!("a moveIn");
    };
    assert_eq!((municipality, arrival), (2546, date("2026-04-01")));
    assert_eq!(comes_from, Place::Swiss { bfs: None, name: "Bern".into() }, "eCH-0007 makes the number optional");
    assert_eq!(person.ahv, None);
    assert_eq!(person.nationalities, codes(&["CH"]), "countryId 8100 without countryIdISO2");
    assert!(person.is_swiss());
    assert_eq!(person.residence_permit, None);
    assert_eq!(residence_status(&person), ResidenceStatus::Swiss);
}

#[test]
fn a_move_in_to_a_secondary_residence_is_reported_by_the_gemeinde_of_the_secondary_residence() {
    let RegisterEvent::MoveIn { person, municipality, arrival, comes_from } =
        only_event("events/move-in-secondary-residence.xml")
    else {
        panic!("a moveIn");
    };
    assert_eq!((municipality, arrival), (2601, date("2026-08-31")), "Solothurn reports, Bern stays the main residence");
    assert_eq!(comes_from, Place::Swiss { bfs: Some(351), name: "Bern".into() });
    assert_eq!(person.nationalities, codes(&["IT"]));
    assert_eq!(residence_status(&person), ResidenceStatus::C);
}

#[test]
fn a_move_in_to_an_other_residence_from_an_unknown_place() {
    let RegisterEvent::MoveIn { person, municipality, arrival, comes_from } =
        only_event("events/move-in-other-residence.xml")
    else {
        panic!("a moveIn");
    };
    assert_eq!((municipality, arrival, comes_from), (2422, date("2026-05-11"), Place::Unknown));
    assert_eq!(person.date_of_birth.to_string(), "2008");
    assert_eq!(residence_status(&person), ResidenceStatus::N);
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
    assert_eq!(refused.field, "baseDeliveryPerson/vn");
    assert_eq!(refused.message, "Die Prüfziffer der AHV-Nummer stimmt nicht. Bitte die Nummer nochmals abschreiben.");
    assert!(refused.to_string().starts_with("Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/vn"));

    let Ok(RegisterEvent::Resident { person, .. }) = &events[2] else { panic!("{:?}", events[2]) };
    assert_eq!(person.first_name, "Omar & Yusuf", "entities are resolved");
    assert_eq!(person.date_of_birth.to_string(), "2001");
    assert_eq!(person.residence_permit.as_deref(), Some("02"));
}

#[test]
fn a_base_delivery_reports_main_secondary_and_other_residences_with_partial_dates_and_dual_nationals() {
    let residents = residents("events/base-delivery-variants.xml");
    assert_eq!(residents.len(), 3);

    let (swiss_and_italian, municipality) = &residents[0];
    assert_eq!(*municipality, Some(2581));
    assert_eq!(swiss_and_italian.nationalities, codes(&["IT", "CH"]));
    assert!(swiss_and_italian.is_swiss(), "Swiss is Swiss whatever else the person holds");
    assert_eq!(residence_status(swiss_and_italian), ResidenceStatus::Swiss);

    let (partial_dates, municipality) = &residents[1];
    assert_eq!(*municipality, Some(2581), "the secondary residence in Olten, not the main one in Zürich");
    assert_eq!(partial_dates.ahv, None);
    assert_eq!(partial_dates.date_of_birth.to_string(), "09.1985");
    assert_eq!(residence_status(partial_dates), ResidenceStatus::C);

    let (stateless, municipality) = &residents[2];
    assert_eq!(*municipality, Some(2581), "an other residence");
    assert!(stateless.nationalities.is_empty() && stateless.stateless);
    assert_eq!(nationality(stateless), Nationality::Stateless);
    assert_eq!(stateless.date_of_birth.to_string(), "1996");
    assert_eq!(residence_status(stateless), ResidenceStatus::F);
}

#[test]
fn a_base_delivery_with_only_the_required_parts() {
    let residents = residents("events/base-delivery-minimal.xml");
    assert_eq!(residents.len(), 1);
    let (person, municipality) = &residents[0];
    assert_eq!((person.official_name.as_str(), *municipality), ("Meier", Some(2534)));
    assert_eq!((person.ahv.clone(), person.stateless), (None, false));
    assert!(person.is_swiss());
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

#[test]
fn a_move_out_abroad_and_one_to_an_unknown_place() {
    let RegisterEvent::MoveOut { person, municipality, departure, goes_to } = only_event("events/move-out-abroad.xml")
    else {
        panic!("a moveOut");
    };
    assert_eq!((municipality, departure), (2581, date("2026-06-30")));
    assert_eq!(goes_to, Place::Abroad { country: Some("DE".into()), name: "Deutschland".into() });
    assert_eq!(ahv_of(&person).as_deref(), Some("756.3000.0000.27"));

    let RegisterEvent::MoveOut { person, municipality, departure, goes_to } = only_event("events/move-out-minimal.xml")
    else {
        panic!("a moveOut");
    };
    assert_eq!((municipality, departure, goes_to), (2546, date("2026-07-14"), Place::Unknown));
    assert_eq!((person.ahv.clone(), person.date_of_birth.to_string()), (None, "1975".to_owned()));
}

#[test]
fn a_move_within_the_gemeinde_with_and_without_the_optional_parts() {
    let RegisterEvent::Move { person, municipality } = only_event("events/move-full.xml") else { panic!("a move") };
    assert_eq!((municipality, &person.local_id), (2534, &local_id("CH.ZAR", "2534-4410")));
    assert_eq!(ahv_of(&person).as_deref(), Some("756.4000.0000.31"));

    let RegisterEvent::Move { person, municipality } = only_event("events/move-minimal.xml") else { panic!("a move") };
    assert_eq!((municipality, person.ahv.clone()), (2422, None));
    assert_eq!(person.date_of_birth.to_string(), "06.2001");
}

#[test]
fn a_birth_reads_the_municipality_of_the_main_residence_inside_main_residence() {
    let RegisterEvent::Birth { person, municipality, parents } = only_event("events/birth-main-residence.xml") else {
        panic!("a birth");
    };
    assert_eq!(municipality, Some(2534), "Zuchwil, where the child lives, not Solothurn, where it was born");
    assert_eq!(parents, vec![local_id("CH.ZAR", "2534-4410"), local_id("CH.ZAR", "2534-4411")]);
    assert_eq!((person.official_name.as_str(), person.first_name.as_str()), ("Silva Pereira", "Inês"));
    assert_eq!(person.date_of_birth.to_string(), "30.10.2026");
    assert_eq!(person.nationalities, codes(&["PT"]));
    assert!(!person.is_swiss());
    assert_eq!(residence_status(&person), ResidenceStatus::B);
    assert_eq!(ahv_of(&person).as_deref(), Some("756.6000.0000.59"));
}

#[test]
fn a_birth_with_the_residence_where_a_move_in_has_it_is_refused_not_skipped() {
    let without_wrapper = fixture_text("events/birth-main-residence.xml")
        .replace("<eCH-0011:mainResidence>", "")
        .replace("</eCH-0011:mainResidence>", "");
    let refused = events_of(without_wrapper.as_bytes()).remove(0).unwrap_err();
    assert_eq!(
        (refused.kind.as_str(), refused.field.as_str()),
        ("birth", "hasMainResidence/mainResidence/reportingMunicipality")
    );
    assert_eq!(refused.message, "Dieses Element fehlt.");
}

#[test]
fn a_birth_at_a_secondary_or_other_residence_is_reported_by_that_gemeinde() {
    let RegisterEvent::Birth { municipality, .. } = only_event("events/birth-secondary-residence.xml") else {
        panic!("a birth");
    };
    assert_eq!(municipality, Some(2581), "Olten reports the secondary residence; Aarau is the main one");

    let RegisterEvent::Birth { person, municipality, parents } = only_event("events/birth-other-residence.xml") else {
        panic!("a birth");
    };
    assert_eq!(municipality, Some(2422));
    assert!(parents.is_empty(), "a mother named without the register's number cannot be looked up: {parents:?}");
    assert_eq!(residence_status(&person), ResidenceStatus::N);
}

#[test]
fn a_birth_without_residence_or_parents() {
    let RegisterEvent::Birth { person, municipality, parents } = only_event("events/birth-minimal.xml") else {
        panic!("a birth");
    };
    assert_eq!((municipality, parents), (None, Vec::new()));
    assert_eq!(person.ahv, None);
    assert!(person.is_swiss());
}

#[test]
fn a_death_takes_the_first_day_of_the_period() {
    let RegisterEvent::Death { person, date: died } = only_event("events/death-full.xml") else { panic!("a death") };
    assert_eq!(died, date("2026-11-01"), "dateFrom, not dateTo");
    assert_eq!(person.date_of_birth.to_string(), "29.02.1948");

    let RegisterEvent::Death { person, date: died } = only_event("events/death-minimal.xml") else { panic!("a death") };
    assert_eq!(died, date("2026-11-15"));
    assert_eq!((person.ahv.clone(), person.date_of_birth.to_string()), (None, "05.1939".to_owned()));
}

#[test]
fn event_kinds_the_cockpit_does_not_use_are_named_not_refused() {
    assert_eq!(only_event("events/marriage.xml"), RegisterEvent::NotUsed { kind: "marriage".into() });
}

/// A single-event delivery around `event`, in the default namespace of eCH-0020 v3 (not schema-valid: only what
/// the reader needs, to show how it treats broken fields).
fn delivery(event: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3"><deliveryHeader><messageId>m-1</messageId></deliveryHeader>{event}</delivery>"#
    )
}

const PERSON: &str = "<localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>7</personId></localPersonId><officialName>Berhe</officialName><firstName>Amanuel</firstName><sex>1</sex><dateOfBirth><yearMonthDay>2026-10-30</yearMonthDay></dateOfBirth>";

#[test]
fn a_missing_name_is_refused_with_event_and_field() {
    let nameless = delivery(&format!(
        "<death><deathPerson>{}</deathPerson><deathData><deathPeriod><dateFrom>2026-11-15</dateFrom></deathPeriod></deathData></death>",
        PERSON.replace("<officialName>Berhe</officialName>", "")
    ));
    let refused = events_of(nameless.as_bytes()).remove(0).unwrap_err();
    assert_eq!((refused.field.as_str(), refused.message.as_str()), ("deathPerson/officialName", "Der Name fehlt."));
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

    let birth_without_bfs = fixture_text("events/birth-main-residence.xml")
        .replace("<eCH-0007:municipalityId>2534</eCH-0007:municipalityId>", "");
    let refused = events_of(birth_without_bfs.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.field, "hasMainResidence/mainResidence/reportingMunicipality/municipalityId");
    assert_eq!(refused.message, "Die BFS-Nummer der Gemeinde fehlt.");
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
    let text = fixture_text("base-delivery.xml");
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
    let huge = "A".repeat(200 * 1024);
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

fn death_of(person: &str) -> String {
    delivery(&format!(
        "<death><deathPerson>{person}</deathPerson><deathData><deathPeriod><dateFrom>2026-11-15</dateFrom></deathPeriod></deathData></death>"
    ))
}

#[test]
fn a_text_of_megabytes_is_refused_before_it_is_held_in_memory() {
    let huge = "A".repeat(3 * 1024 * 1024);
    let xml = death_of(
        &PERSON.replace("<officialName>Berhe</officialName>", &format!("<officialName>{huge}</officialName>")),
    );
    let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.message, "XML fehlerhaft: ein Text oder ein Element ist länger als 1 MB");
}

#[test]
fn a_cdata_section_or_comment_of_megabytes_is_refused_even_when_full_of_less_than_signs() {
    for (start, piece, end) in [("<![CDATA[", "<b>x</b> ", "]]>"), ("<!--", "< <b> ", "-->")] {
        let huge = format!("{start}{}{end}", piece.repeat(3 * 1024 * 1024 / piece.len()));
        let xml = death_of(
            &PERSON.replace("<officialName>Berhe</officialName>", &format!("<officialName>{huge}</officialName>")),
        );
        let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
        assert_eq!(refused.message, "XML fehlerhaft: ein Text oder ein Element ist länger als 1 MB", "{start}");
    }
}

/// Found by the mutation benchmark: a character of several bytes where the digits of a year or month are
/// expected made the reader panic.
#[test]
fn a_partial_birth_date_with_a_multi_byte_character_is_refused_not_a_panic() {
    for date in ["<year>19H€</year>", "<yearMonth>2026-€</yearMonth>"] {
        let xml = death_of(&PERSON.replace("<yearMonthDay>2026-10-30</yearMonthDay>", date));
        assert!(xml.contains(date), "the person has the date to replace");
        let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
        assert!(refused.message.starts_with("Ungültiges Geburtsdatum"), "{refused}");
    }
}

/// Found by the store's property test on PostgreSQL, which cannot store U+0000: XML 1.0 allows no control
/// character in a document but tab and line breaks.
#[test]
fn a_control_character_in_a_text_stops_the_reading() {
    for name in ["Ber\u{0}he", "Ber\u{1b}he", "Ber<![CDATA[\u{0}]]>he"] {
        let xml = death_of(
            &PERSON.replace("<officialName>Berhe</officialName>", &format!("<officialName>{name}</officialName>")),
        );
        let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
        assert_eq!(
            refused.message, "XML fehlerhaft: ein Text enthält ein Steuerzeichen, das XML nicht erlaubt",
            "{name:?}"
        );
    }
}

#[test]
fn an_event_with_more_than_a_megabyte_of_text_is_refused() {
    let texts = format!("<x>{}</x>", "A".repeat(60 * 1024)).repeat(20);
    let xml = death_of(&PERSON.replace("<sex>1</sex>", &format!("<sex>1</sex>{texts}")));
    let refused = events_of(xml.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.message, "XML fehlerhaft: ein Ereignis hat mehr als 1 MB Text");
}

#[test]
fn an_event_with_too_many_or_too_deeply_nested_elements_is_refused() {
    let wide = death_of(&PERSON.replace("<sex>1</sex>", &format!("<sex>1</sex>{}", "<x/>".repeat(20_000))));
    let refused = events_of(wide.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.message, "XML fehlerhaft: ein Ereignis hat mehr als 10000 Elemente");

    let deep =
        death_of(&PERSON.replace("<sex>1</sex>", &format!("<sex>1</sex>{}{}", "<x>".repeat(100), "</x>".repeat(100))));
    let refused = events_of(deep.as_bytes()).remove(0).unwrap_err();
    assert_eq!(refused.message, "XML fehlerhaft: ein Ereignis ist tiefer als 64 Ebenen verschachtelt");

    let normal = death_of(&PERSON.replace("<sex>1</sex>", &format!("<sex>1</sex>{}", "<x/>".repeat(100))));
    assert!(events_of(normal.as_bytes()).remove(0).is_ok(), "a hundred unknown elements are read");
}

#[test]
fn a_header_field_longer_than_the_schema_allows_refuses_the_delivery() {
    let long_id = "m".repeat(37);
    let xml = death_of(PERSON).replace("<messageId>m-1</messageId>", &format!("<messageId>{long_id}</messageId>"));
    assert_eq!(read_delivery(xml.as_bytes()).err(), Some(DeliveryError::HeaderTooLong("messageId", 36)));
    assert_eq!(
        DeliveryError::HeaderTooLong("messageId", 36).to_string(),
        "Der Kopf der Lieferung ist ungültig: messageId hat mehr als 36 Zeichen."
    );
}

/// `PROPTEST_CASES` sets the number of cases (256 by default); `cargo bench -p iim-ech --bench mutations` runs
/// a million.
#[test]
fn a_mutated_delivery_gives_events_or_a_typed_error_never_a_panic_and_memory_stays_small() {
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let result = runner
        .run(&mutate::mutated_delivery(), |delivery| check::read(&delivery).map(|_| ()).map_err(TestCaseError::fail));
    if let Err(failure) = result {
        panic!("{failure}");
    }
    if let Some(peak) = check::peak_memory_mb() {
        assert!(peak < 200, "the reader's test process reached {peak} MB");
    }
}

//! Frühe Sprachförderung: a birth from the register starts the track once, children are taken in by hand,
//! the sections are recorded against the child's dates, the list filters what is due, the figures count the
//! level at entry, and the track is reached like the person (own Gemeinde and the members a Leitgemeinde
//! leads), never by the Kanton.

use crate::support::{TestStore, field_errors, valid_input};
use chrono::NaiveDate;
use iim_domain::fruehfoerderung::{Eingabe, Faelligkeit, Kennzahl, Phase, Verstaendigung};
use iim_domain::{Actor, PersonData, PersonInput};
use iim_ech::read_delivery;
use iim_store::{
    AuditQuery, AuditRecord, DuplikatEntscheid, KinderFilter, KinderQuery, MoeglichesDuplikat, Quelle, StoreError,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A child living in `bfs`, born on `geburt`.
fn kind(bfs: u16, vorname: &str, geburt: &str) -> PersonData {
    PersonInput {
        nachname: "Haile".into(),
        vornamen: vorname.into(),
        geburtsdatum: geburt.into(),
        einreisedatum: String::new(),
        sprachen: vec![],
        ..valid_input(bfs)
    }
    .parse(day(2026, 11, 21))
    .unwrap()
}

async fn aufgenommen(test: &TestStore, actor: &Actor, bfs: u16, vorname: &str, geburt: &str) -> i64 {
    test.neues_kind_aufnehmen(actor, kind(bfs, vorname, geburt)).await.unwrap().id
}

fn query(filter: KinderFilter) -> KinderQuery {
    KinderQuery { gemeinde: None, filter, page: 1, per_page: 50 }
}

async fn names(test: &TestStore, actor: &Actor, filter: KinderFilter) -> Vec<String> {
    test.list_kinder(actor, &query(filter)).await.unwrap().items.into_iter().map(|k| k.vornamen).collect()
}

async fn entries_about(test: &TestStore, id: i64) -> Vec<AuditRecord> {
    test.flush_audit().await;
    let auditor = test.kanton_auditor().await;
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Fruehfoerderung),
        record_id: Some(id.to_string()),
        page: 1,
        per_page: 100,
        ..AuditQuery::default()
    };
    test.list_audit(&auditor, &query).await.unwrap().items
}

/// A birth in Olten of a child with a foreign nationality, by message id and the register's person number.
fn birth(message: &str, local_id: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3"><deliveryHeader><messageId>{message}</messageId></deliveryHeader><birth><birthPerson><personIdentification><localPersonId><personIdCategory>CH.ZAR</personIdCategory><personId>{local_id}</personId></localPersonId><officialName>Berhe</officialName><firstName>Lina</firstName><sex>2</sex><dateOfBirth><yearMonthDay>2026-11-01</yearMonthDay></dateOfBirth></personIdentification><nationalityData><nationalityStatus>2</nationalityStatus><countryInfo><country><countryIdISO2>ER</countryIdISO2><countryNameShort>Eritrea</countryNameShort></country></countryInfo></nationalityData></birthPerson><hasMainResidence><mainResidence><reportingMunicipality><municipalityId>2581</municipalityId><municipalityName>Olten</municipalityName></reportingMunicipality><arrivalDate>2026-11-01</arrivalDate></mainResidence></hasMainResidence></birth></delivery>"#
    )
}

#[tokio::test]
async fn a_birth_imported_from_the_register_starts_the_track_exactly_once() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let importer = olten.clone();
    let import = |xml: String| {
        let importer = importer.clone();
        let store = test.store.clone();
        async move {
            store
                .import_register_delivery(&importer, "geburt.xml", read_delivery(xml.as_bytes()).unwrap())
                .await
                .unwrap()
        }
    };
    let report = import(birth("geburt-1", "2581-777")).await;
    assert_eq!((report.gespeichert, report.neue_personen), (1, 1), "{report:?}");
    let kinder = test.list_kinder(&olten, &query(KinderFilter::Alle)).await.unwrap();
    assert_eq!(kinder.total, 1);
    let kind = test.get_kind(&olten, kinder.items[0].id).await.unwrap();
    assert_eq!((kind.vornamen.as_str(), kind.quelle), ("Lina", Quelle::Register));
    assert_eq!(kind.phase, Phase::FamiliensprachePruefen, "the register does not say the family language");
    assert_eq!((kind.termine.eintritt, kind.termine.abklaerung), (day(2031, 8, 1), day(2030, 2, 1)));

    assert!(import(birth("geburt-1", "2581-777")).await.bereits_importiert);
    let resent = import(birth("geburt-1-korrektur", "2581-777")).await;
    assert_eq!((resent.gespeichert, resent.neue_personen), (1, 0), "the same child is matched: {resent:?}");
    assert_eq!(test.list_kinder(&olten, &query(KinderFilter::Alle)).await.unwrap().total, 1, "one track per child");
}

#[tokio::test]
async fn the_track_is_recorded_section_by_section_against_the_childs_dates() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let id = aufgenommen(&test, &olten, 2581, "Amanuel", "15.03.2025").await;
    let kind = test.get_kind(&olten, id).await.unwrap();
    assert_eq!(kind.quelle, Quelle::Erfasst);
    assert_eq!(
        (kind.termine.eintritt, kind.termine.abklaerung, kind.termine.genau),
        (day(2029, 8, 1), day(2028, 2, 1), true)
    );

    let sprache = Eingabe::Familiensprache { sprachen: vec!["ti".into(), "ar".into()] };
    let kind = test.fruehfoerderung_aendern(&olten, id, &sprache).await.unwrap();
    assert_eq!((kind.phase, kind.familiensprache_am), (Phase::Begleitung, Some(day(2026, 11, 21))));
    let geburt = Eingabe::Geburtskontakt {
        datum: "02.04.2025".into(),
        art: "hausbesuch".into(),
        notiz: "mit Dolmetscherin".into(),
    };
    test.fruehfoerderung_aendern(&olten, id, &geburt).await.unwrap();
    for datum in ["10.10.2025", "05.05.2025"] {
        let kontakt = Eingabe::Kontakt { datum: datum.into(), art: "telefon".into(), notiz: String::new() };
        test.fruehfoerderung_aendern(&olten, id, &kontakt).await.unwrap();
    }
    let vor_geburt = Eingabe::Kontakt { datum: "01.01.2025".into(), art: "telefon".into(), notiz: String::new() };
    let errors = field_errors(test.fruehfoerderung_aendern(&olten, id, &vor_geburt).await);
    assert_eq!(errors.get("datum"), Some("Das Datum liegt vor der Geburt (15.03.2025)."));
    let abklaerung =
        Eingabe::Abklaerung { datum: "20.11.2026".into(), ergebnis: "foerderbedarf".into(), bemerkung: String::new() };
    test.fruehfoerderung_aendern(&olten, id, &abklaerung).await.unwrap();
    let empfehlung = Eingabe::Empfehlung { datum: "20.11.2026".into(), angebot: "Spielgruppe plus, Olten".into() };
    test.fruehfoerderung_aendern(&olten, id, &empfehlung).await.unwrap();
    let teilnahme = Eingabe::Teilnahme { teilnahme: "ja".into(), von: "01.01.2027".into(), bis: String::new() };
    let kind = test.fruehfoerderung_aendern(&olten, id, &teilnahme).await.unwrap();

    assert_eq!(kind.geburtskontakt.as_ref().map(|k| k.datum), Some(day(2025, 4, 2)));
    let kontakte: Vec<NaiveDate> = kind.kontakte.iter().map(|k| k.kontakt.datum).collect();
    assert_eq!(kontakte, [day(2025, 5, 5), day(2025, 10, 10)], "oldest first");
    assert_eq!(kind.abklaerung.as_ref().map(|a| a.datum), Some(day(2026, 11, 20)));
    assert_eq!(kind.empfehlung.as_ref().map(|e| e.angebot.as_str()), Some("Spielgruppe plus, Olten"));
    assert_eq!(kind.teilnahme.map(|t| (t.teilnimmt, t.von)), Some((true, Some(day(2027, 1, 1)))));
    assert_eq!(kind.faelligkeit, Faelligkeit::Erledigt, "the assessment is recorded");
    let too_early = Eingabe::Eintritt { stand: "ja".into(), jahr: "2029".into() };
    let errors = field_errors(test.fruehfoerderung_aendern(&olten, id, &too_early).await);
    assert_eq!(
        errors.get("jahr"),
        Some("Der Stand beim Eintritt lässt sich erst ab dem Eintritt erfassen (ab 01.08.2029).")
    );

    let log = entries_about(&test, id).await;
    let details: Vec<&str> = log.iter().filter(|e| e.action == "update").filter_map(|e| e.detail.as_deref()).collect();
    assert!(
        details.contains(&"erfasst: Abklärung Deutsch") && details.contains(&"erfasst: Familiensprache"),
        "{details:?}"
    );
    assert!(log.iter().any(|e| e.action == "create" && e.outcome == "erlaubt"), "{log:?}");
}

#[tokio::test]
async fn the_level_at_entry_closes_the_track_and_counts_for_the_gemeinde_and_year() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let mut ids = Vec::new();
    for (vorname, stand) in [("Abel", "ja"), ("Beza", "ja"), ("Dawit", "teilweise"), ("Eden", "ja"), ("Fana", "ja")] {
        let id = aufgenommen(&test, &olten, 2581, vorname, "15.03.2022").await;
        let eintritt = Eingabe::Eintritt { stand: stand.into(), jahr: "2026".into() };
        let kind = test.fruehfoerderung_aendern(&olten, id, &eintritt).await.unwrap();
        assert_eq!(kind.phase, Phase::Abgeschlossen);
        ids.push(id);
    }
    aufgenommen(&test, &olten, 2581, "Gebre", "15.03.2022").await;

    let figures = test.kennzahlen(&olten).await.unwrap();
    assert_eq!(figures.len(), 1, "{figures:?}");
    assert_eq!((figures[0].gemeinde.get(), figures[0].jahr), (2581, 2026));
    assert_eq!(figures[0].kennzahl, Kennzahl { erfasst: 5, verstaendigen: 4 });
    assert_eq!(figures[0].kennzahl.ziel_erreicht(), Some(true), "4 of 5 is 80 %");

    let kanton = test.kanton_auditor().await;
    assert_eq!(test.kennzahlen(&kanton).await.unwrap(), figures, "the Kanton sees every Gemeinde's figures");
    let balsthal = test.integration_officer_of(2422).await;
    assert!(test.kennzahlen(&balsthal).await.unwrap().is_empty(), "another Gemeinde sees only its own figures");
    assert_eq!(names(&test, &olten, KinderFilter::Offen).await, ["Gebre"], "closed tracks leave the open list");
    let kind = test.get_kind(&olten, ids[2]).await.unwrap();
    assert_eq!(kind.eintritt.map(|e| (e.stand, e.jahr)), Some((Verstaendigung::Teilweise, 2026)));
}

#[tokio::test]
async fn the_list_filters_due_and_overdue_assessments_sorted_by_the_planned_date() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    aufgenommen(&test, &olten, 2581, "Spaeter", "15.03.2025").await;
    aufgenommen(&test, &olten, 2581, "Bald", "15.03.2024").await;
    let ueberfaellig = aufgenommen(&test, &olten, 2581, "Ueberfaellig", "15.03.2023").await;

    assert_eq!(names(&test, &olten, KinderFilter::Offen).await, ["Ueberfaellig", "Bald", "Spaeter"]);
    assert_eq!(names(&test, &olten, KinderFilter::Faellig).await, ["Bald"], "planned 01.02.2027");
    assert_eq!(names(&test, &olten, KinderFilter::Ueberfaellig).await, ["Ueberfaellig"], "planned 01.02.2026");

    let abklaerung =
        Eingabe::Abklaerung { datum: "15.11.2026".into(), ergebnis: "ausreichend".into(), bemerkung: String::new() };
    test.fruehfoerderung_aendern(&olten, ueberfaellig, &abklaerung).await.unwrap();
    assert!(names(&test, &olten, KinderFilter::Ueberfaellig).await.is_empty());

    let deutsch = Eingabe::Familiensprache { sprachen: vec!["de".into()] };
    let bald = test.list_kinder(&olten, &query(KinderFilter::Faellig)).await.unwrap().items[0].id;
    let kind = test.fruehfoerderung_aendern(&olten, bald, &deutsch).await.unwrap();
    assert_eq!((kind.phase, kind.faelligkeit), (Phase::KeinBedarf, Faelligkeit::Erledigt));
    assert!(
        names(&test, &olten, KinderFilter::Faellig).await.is_empty(),
        "a German-speaking family needs no assessment"
    );

    let page =
        test.list_kinder(&olten, &KinderQuery { per_page: 1, page: 2, ..query(KinderFilter::Alle) }).await.unwrap();
    assert_eq!((page.total, page.items.len(), page.items[0].vornamen.as_str()), (3, 1, "Bald"));
}

#[tokio::test]
async fn another_gemeinde_gets_not_found_and_the_attempt_is_logged() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let id = aufgenommen(&test, &olten, 2581, "Amanuel", "15.03.2025").await;
    let balsthal = test.integration_officer_of(2422).await;

    assert!(matches!(test.get_kind(&balsthal, id).await, Err(StoreError::NotFound)));
    let sprache = Eingabe::Familiensprache { sprachen: vec!["ti".into()] };
    assert!(matches!(test.fruehfoerderung_aendern(&balsthal, id, &sprache).await, Err(StoreError::NotFound)));
    assert!(matches!(test.get_kind(&balsthal, id + 1000).await, Err(StoreError::NotFound)), "same as unknown");
    assert_eq!(test.list_kinder(&balsthal, &query(KinderFilter::Alle)).await.unwrap().total, 0);
    assert!(test.get_kind(&olten, id).await.unwrap().familiensprachen.is_none(), "nothing changed");

    let log = entries_about(&test, id).await;
    let refused: Vec<&AuditRecord> =
        log.iter().filter(|e| e.outcome == "verweigert" && e.actor_username == balsthal.username).collect();
    assert_eq!(refused.len(), 2, "{log:?}");
    assert!(refused.iter().all(|e| e.detail.as_deref() == Some("ausserhalb des Zuständigkeitsgebiets")));
}

#[tokio::test]
async fn the_leitgemeinde_reaches_the_children_of_its_members_and_nobody_else_does() {
    let test = TestStore::new().await;
    // Welschenrohr-Gänsbrunnen (2430) leads Herbetswil (2424) in the example mapping; Balsthal (2422) is a
    // neighbour in the same Sozialregion.
    let herbetswil = test.integration_officer_of(2424).await;
    let id = aufgenommen(&test, &herbetswil, 2424, "Selam", "15.03.2025").await;
    let leitgemeinde = test.integration_officer_of(2430).await;
    assert_eq!(test.get_kind(&leitgemeinde, id).await.unwrap().wohngemeinde.get(), 2424);
    let kontakt = Eingabe::Kontakt { datum: "01.06.2025".into(), art: "anlass".into(), notiz: String::new() };
    assert_eq!(test.fruehfoerderung_aendern(&leitgemeinde, id, &kontakt).await.unwrap().kontakte.len(), 1);
    let own = aufgenommen(&test, &leitgemeinde, 2430, "Yonas", "15.03.2025").await;
    assert!(
        matches!(test.get_kind(&herbetswil, own).await, Err(StoreError::NotFound)),
        "a member does not see the Leitgemeinde's"
    );
    let balsthal = test.integration_officer_of(2422).await;
    assert!(matches!(test.get_kind(&balsthal, id).await, Err(StoreError::NotFound)));
    let only_members = KinderQuery { gemeinde: iim_domain::BfsNr::known(2424), ..query(KinderFilter::Alle) };
    assert_eq!(test.list_kinder(&leitgemeinde, &only_members).await.unwrap().total, 1);
    assert_eq!(test.list_kinder(&leitgemeinde, &query(KinderFilter::Alle)).await.unwrap().total, 2);
}

#[tokio::test]
async fn the_kanton_reads_the_figures_but_no_child_and_case_workers_neither() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let id = aufgenommen(&test, &olten, 2581, "Amanuel", "15.03.2025").await;
    let kanton = test.kanton_auditor().await;
    assert!(matches!(test.get_kind(&kanton, id).await, Err(StoreError::NotFound)));
    assert!(matches!(test.list_kinder(&kanton, &query(KinderFilter::Alle)).await, Err(StoreError::Denied(_))));
    assert!(test.kennzahlen(&kanton).await.is_ok());
    let case_worker = test.case_worker_of("sr-olten").await;
    assert!(matches!(test.get_kind(&case_worker, id).await, Err(StoreError::NotFound)));
    assert!(matches!(test.kennzahlen(&case_worker).await, Err(StoreError::Denied(_))));
    let log = entries_about(&test, id).await;
    assert!(log.iter().any(|e| e.actor_username == kanton.username && e.outcome == "verweigert"), "{log:?}");
}

#[tokio::test]
async fn a_person_is_taken_in_by_hand_once_if_young_enough_and_in_scope() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let child = test.create_person(&olten, kind(2581, "Amanuel", "06.2024")).await.unwrap();
    let kind = test.kind_aufnehmen(&olten, child.id).await.unwrap();
    assert_eq!((kind.termine.eintritt, kind.termine.genau), (day(2028, 8, 1), true), "June is before the cut-off");
    let again = field_errors(test.kind_aufnehmen(&olten, child.id).await);
    assert_eq!(
        again.get("person_id"),
        Some(format!("Dieses Kind ist bereits in der frühen Sprachförderung (Nr. {}).", kind.id).as_str())
    );

    let adult = test.create_person(&olten, kind_named_adult()).await.unwrap();
    let too_old = field_errors(test.kind_aufnehmen(&olten, adult.id).await);
    assert!(too_old.get("person_id").unwrap().contains("im Kindergartenalter"), "{too_old:?}");
    let errors = field_errors(test.neues_kind_aufnehmen(&olten, kind_named_adult()).await);
    assert!(errors.get("geburtsdatum").is_some(), "checked before the person is created");

    let balsthal = test.integration_officer_of(2422).await;
    let outside = field_errors(test.kind_aufnehmen(&balsthal, child.id).await);
    let unknown = field_errors(test.kind_aufnehmen(&balsthal, 999_999).await);
    assert_eq!(outside, unknown, "a person outside the scope looks like no person");
    test.flush_audit().await;
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.actor_username == balsthal.username
        && e.outcome == "verweigert"
        && e.detail.as_deref()
            == Some(format!("Aufnahme von Person {}: ausserhalb des Zuständigkeitsgebiets", child.id).as_str())));
}

fn kind_named_adult() -> PersonData {
    kind(2581, "Erwachsen", "1990")
}

/// Lina Berhe, born 1 November 2026 in Olten, entered by hand: the child the register's `birth` delivers again.
fn lina_by_hand() -> PersonData {
    PersonInput {
        nachname: "Berhe".into(),
        vornamen: "Lina".into(),
        geburtsdatum: "01.11.2026".into(),
        einreisedatum: String::new(),
        sprachen: vec![],
        ..valid_input(2581)
    }
    .parse(day(2026, 11, 21))
    .unwrap()
}

/// Imports the register's birth of Lina, which the import marks as a possible duplicate of the hand-made record.
async fn birth_of_a_namesake(test: &TestStore, olten: &Actor) -> MoeglichesDuplikat {
    let xml = birth("geburt-dup", "2581-888");
    test.import_register_delivery(olten, "geburt.xml", read_delivery(xml.as_bytes()).unwrap()).await.unwrap();
    let mut pairs = test.possible_duplicates(olten, 1).await.unwrap().items;
    assert_eq!(pairs.len(), 1, "the birth is a possible duplicate of the hand-made record");
    pairs.remove(0)
}

#[tokio::test]
async fn the_same_person_on_a_duplicate_child_hands_the_track_to_the_existing_record() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let existing = test.register(&olten, lina_by_hand()).await;
    let pair = birth_of_a_namesake(&test, &olten).await;

    test.decide_duplicate(&olten, pair.id, DuplikatEntscheid::DieselbePerson).await.unwrap();

    let kinder = test.list_kinder(&olten, &query(KinderFilter::Alle)).await.unwrap();
    assert_eq!(kinder.total, 1);
    let kind = test.get_kind(&olten, kinder.items[0].id).await.unwrap();
    assert_eq!((kind.person_id, kind.quelle), (existing.id, Quelle::Register));
}

#[tokio::test]
async fn the_same_person_is_refused_plainly_when_both_records_of_a_child_have_a_track() {
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    test.neues_kind_aufnehmen(&olten, lina_by_hand()).await.unwrap();
    let pair = birth_of_a_namesake(&test, &olten).await;

    let result = test.decide_duplicate(&olten, pair.id, DuplikatEntscheid::DieselbePerson).await;

    let errors = field_errors(result);
    assert!(errors.get("entscheid").is_some_and(|m| m.contains("frühen Sprachförderung")), "{errors:?}");
    assert_eq!(test.list_kinder(&olten, &query(KinderFilter::Alle)).await.unwrap().total, 2, "nothing changed");
    assert_eq!(test.possible_duplicates(&olten, 1).await.unwrap().total, 1, "the pair still waits");
}

#[tokio::test]
async fn a_new_child_is_registered_and_taken_in_at_once_so_a_failure_in_the_track_leaves_no_person() {
    use sea_orm::ConnectionTrait;
    let test = TestStore::new().await;
    let olten = test.integration_officer_of(2581).await;
    let raw = test.raw_connection().await;
    // The track's table out of reach: the person is inserted, then taking the child in fails.
    raw.execute_unprepared("ALTER TABLE fruehfoerderungen RENAME TO fruehfoerderungen_weg").await.unwrap();
    let failed = test.neues_kind_aufnehmen(&olten, kind(2581, "Amanuel", "06.2024")).await;
    assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
    assert_eq!(test.operator().count_persons().await.unwrap(), 0, "no person is left behind on {:?}", test.backend());

    raw.execute_unprepared("ALTER TABLE fruehfoerderungen_weg RENAME TO fruehfoerderungen").await.unwrap();
    aufgenommen(&test, &olten, 2581, "Amanuel", "06.2024").await;
    assert_eq!(test.operator().count_persons().await.unwrap(), 1);
}

//! Mentoring-Pools: a volunteer's sign-up is vetted by the pool's coordinator, an Integrationsbeauftragte
//! refers a Neuzuzüger with consent, the coordinator confirms a suggested match and follows the tandem to its
//! end; other pools and referrers never reach the pool's people, and retention deletes exactly the expired.

use crate::support::{TestStore, field_errors};
use chrono::Duration;
use iim_domain::mentoring::{
    AbklaerungInput, AnmeldungInput, CheckinInput, EndGrund, MentorStatus, TandemStatus, TandemWechselInput,
    ZuweisungInput,
};
use iim_domain::{Actor, Role};
use iim_store::{AnmeldungError, MAX_ANMELDUNGEN_PRO_STUNDE, MentorQuery, StoreError};
use sea_orm::ConnectionTrait;

pub(crate) fn sign_up(name: &str, bfs: u16, sprachen: &[&str], interessen: &[&str]) -> AnmeldungInput {
    AnmeldungInput {
        name: name.to_owned(),
        email: "freiwillig@example.ch".to_owned(),
        gemeinde: bfs.to_string(),
        sprachen: sprachen.iter().map(|s| (*s).to_owned()).collect(),
        verfuegbarkeit: "Mittwochabend".to_owned(),
        interessen: interessen.iter().map(|s| (*s).to_owned()).collect(),
        einwilligung: true,
        ..AnmeldungInput::default()
    }
}

pub(crate) fn referral(name: &str, bfs: u16) -> ZuweisungInput {
    ZuweisungInput {
        name: name.to_owned(),
        gemeinde: bfs.to_string(),
        sprachen: vec!["ti".to_owned(), "de".to_owned()],
        interessen: vec!["sport".to_owned()],
        kontakt: "über die Integrationsbeauftragte".to_owned(),
        einwilligung: true,
        einwilligung_am: "20.11.2026".to_owned(),
        ..ZuweisungInput::default()
    }
}

pub(crate) fn suitable() -> AbklaerungInput {
    AbklaerungInput {
        status: "geeignet".to_owned(),
        gespraech_am: "19.11.2026".to_owned(),
        notizen: "Offen, erfahren.".to_owned(),
    }
}

fn change(status: &str, datum: &str) -> TandemWechselInput {
    TandemWechselInput { status: status.to_owned(), datum: datum.to_owned(), ..TandemWechselInput::default() }
}

pub(crate) async fn coordinator_of(test: &TestStore, region: &str) -> Actor {
    test.logged_in(region, &[Role::Koordination]).await
}

pub(crate) async fn signed_up(test: &TestStore, input: &AnmeldungInput, client: &str) -> i64 {
    test.store.mentor_anmelden(&input.check().unwrap(), client).await.unwrap()
}

fn all() -> MentorQuery {
    MentorQuery { page: 1, per_page: 50, ..MentorQuery::default() }
}

#[tokio::test]
async fn sign_up_vetting_referral_match_and_tandem_lifecycle_end_in_the_pool_figures() {
    let test = TestStore::new().await;
    let coordinator = coordinator_of(&test, "sr-olten").await;
    let officer = test.integration_officer_of(2581).await;
    let vreni = signed_up(&test, &sign_up("Vreni Muster", 2581, &["de", "ti"], &["sport"]), "10.0.0.1").await;
    let hans = signed_up(&test, &sign_up("Hans Beispiel", 2573, &["de"], &[]), "10.0.0.2").await;
    let mentors = test.store.list_mentoren(&coordinator, &all()).await.unwrap();
    assert_eq!(mentors.total, 2);
    assert!(mentors.items.iter().all(|m| m.status == MentorStatus::Neu));

    test.store.mentor_abklaeren(&coordinator, vreni, &suitable()).await.unwrap();
    test.store.mentor_abklaeren(&coordinator, hans, &suitable()).await.unwrap();
    let mentor = test.store.get_mentor(&coordinator, vreni).await.unwrap();
    assert_eq!(mentor.status, MentorStatus::Geeignet);
    assert_eq!(mentor.notizen, "Offen, erfahren.");

    let mentee = test.store.mentee_zuweisen(&officer, &referral("Abeba Tesfay", 2581)).await.unwrap();
    let suggestions = test.store.vorschlaege(&coordinator, mentee).await.unwrap();
    let order: Vec<i64> = suggestions.iter().map(|s| s.mentor_id).collect();
    assert_eq!(order, vec![vreni, hans], "shared Tigrinya, sport and Gemeinde put Vreni first");
    assert_eq!(suggestions[0].punkte, 3 + 3 + 2 + 2);
    assert!(suggestions[0].gruende.contains(&"gemeinsame Interessen: Sport".to_owned()));

    let tandem = test.store.tandem_vorschlagen(&coordinator, mentee, vreni).await.unwrap();
    assert!(field_errors(test.store.tandem_vorschlagen(&coordinator, mentee, hans).await).get("mentor").is_some());
    test.store.tandem_wechseln(&coordinator, tandem, &change("aktiv", "01.10.2026")).await.unwrap();
    test.store
        .checkin_erfassen(
            &coordinator,
            tandem,
            &CheckinInput { datum: "15.11.2026".into(), notiz: "Läuft gut.".into() },
        )
        .await
        .unwrap();
    test.store.tandem_wechseln(&coordinator, tandem, &change("pausiert", "16.11.2026")).await.unwrap();
    test.store.tandem_wechseln(&coordinator, tandem, &change("aktiv", "18.11.2026")).await.unwrap();
    let running = test.store.pool_zahlen(&coordinator).await.unwrap();
    assert_eq!((running.aktiv, running.beendet, running.dauer_laufend_tage), (1, 0, Some(51)));
    assert_eq!(running.wartende_mentees, 0);

    let skip = change("vorgeschlagen", "20.11.2026");
    assert!(field_errors(test.store.tandem_wechseln(&coordinator, tandem, &skip).await).get("status").is_some());
    let end = TandemWechselInput { grund: "ziel_erreicht".into(), ..change("beendet", "20.11.2026") };
    test.store.tandem_wechseln(&coordinator, tandem, &end).await.unwrap();
    let ended = test.store.get_tandem(&coordinator, tandem).await.unwrap();
    assert_eq!(ended.status, TandemStatus::Beendet);
    assert_eq!(ended.end_grund, Some(EndGrund::ZielErreicht));
    assert_eq!(ended.checkins.len(), 1);
    assert_eq!((ended.mentor.as_str(), ended.mentee.as_str()), ("Vreni Muster", "Abeba Tesfay"));

    let figures = test.store.pool_zahlen(&coordinator).await.unwrap();
    assert_eq!((figures.aktiv, figures.beendet, figures.dauer_beendet_tage), (0, 1, Some(50)));
    assert_eq!(figures.wartende_mentees, 1);
    assert!(figures.mentoren_nach_status.contains(&(MentorStatus::Geeignet, 2)));
}

#[tokio::test]
async fn a_coordinator_of_another_pool_finds_nothing_and_the_attempt_is_logged() {
    let test = TestStore::new().await;
    let olten = coordinator_of(&test, "sr-olten").await;
    let thal = coordinator_of(&test, "sr-thal").await;
    let mentor = signed_up(&test, &sign_up("Vreni Muster", 2581, &["de"], &[]), "10.0.0.1").await;
    assert!(matches!(test.store.get_mentor(&thal, mentor).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.mentor_abklaeren(&thal, mentor, &suitable()).await, Err(StoreError::NotFound)));
    assert_eq!(test.store.list_mentoren(&thal, &all()).await.unwrap().total, 0);
    assert_eq!(test.store.get_mentor(&olten, mentor).await.unwrap().status, MentorStatus::Neu, "nothing changed");
    let log = test.whole_log(&test.kanton_auditor().await).await;
    let mentor_id = mentor.to_string();
    assert!(log.iter().any(|e| e.resource == "mentoring"
        && e.outcome == "verweigert"
        && e.record_id.as_deref() == Some(mentor_id.as_str())
        && e.actor_username == thal.username));
    assert!(log.iter().any(|e| e.resource == "mentoring" && e.actor_username == "öffentlich"), "sign-up logged");
}

#[tokio::test]
async fn referrers_create_referrals_only_within_their_scope_and_never_read_the_pool() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(2581).await;
    let case_worker = test.case_worker_of("sr-olten").await;
    signed_up(&test, &sign_up("Vreni Muster", 2581, &["de"], &[]), "10.0.0.1").await;
    assert!(matches!(test.store.list_mentoren(&officer, &all()).await, Err(StoreError::Denied(_))));
    assert!(matches!(test.store.list_mentees(&case_worker, 1, 50).await, Err(StoreError::Denied(_))));
    assert!(test.store.mentee_zuweisen(&case_worker, &referral("Dawit", 2573)).await.is_ok());
    let errors = field_errors(test.store.mentee_zuweisen(&officer, &referral("Dawit", 2573)).await);
    assert!(errors.get("gemeinde").is_some(), "Dulliken is not the officer's Gemeinde");
    let without_consent = ZuweisungInput { einwilligung: false, ..referral("Dawit", 2581) };
    assert!(field_errors(test.store.mentee_zuweisen(&officer, &without_consent).await).get("einwilligung").is_some());
    let coordinator = coordinator_of(&test, "sr-olten").await;
    assert_eq!(test.store.list_mentees(&coordinator, 1, 50).await.unwrap().total, 1, "only the valid referral");
    let log = test.whole_log(&test.kanton_auditor().await).await;
    assert!(log.iter().any(|e| e.resource == "mentoring_zuweisung" && e.outcome == "verweigert"));
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_address_and_hour() {
    let test = TestStore::new().await;
    let input = sign_up("Vreni Muster", 2581, &["de"], &[]).check().unwrap();
    for _ in 0..MAX_ANMELDUNGEN_PRO_STUNDE {
        test.store.mentor_anmelden(&input, "10.0.0.9").await.unwrap();
    }
    assert!(matches!(test.store.mentor_anmelden(&input, "10.0.0.9").await, Err(AnmeldungError::ZuViele)));
    assert!(test.store.mentor_anmelden(&input, "10.0.0.10").await.is_ok(), "another address is not limited");
    test.let_time_pass(Duration::minutes(61));
    assert!(test.store.mentor_anmelden(&input, "10.0.0.9").await.is_ok(), "a new hour, a new window");
    let coordinator = coordinator_of(&test, "sr-olten").await;
    let stored = test.store.list_mentoren(&coordinator, &all()).await.unwrap().total;
    assert_eq!(stored, u64::try_from(MAX_ANMELDUNGEN_PRO_STUNDE).unwrap() + 2);
}

#[tokio::test]
async fn retention_deletes_exactly_the_expired_and_keeps_tandems_anonymous() {
    let test = TestStore::new().await;
    let coordinator = coordinator_of(&test, "sr-olten").await;
    let officer = test.integration_officer_of(2581).await;
    let leaving = signed_up(&test, &sign_up("Vreni Muster", 2581, &["de", "ti"], &[]), "10.0.0.1").await;
    let rejected = signed_up(&test, &sign_up("Rolf Abgelehnt", 2581, &["de"], &[]), "10.0.0.1").await;
    let staying = signed_up(&test, &sign_up("Hans Bleibt", 2581, &["de"], &[]), "10.0.0.1").await;
    test.store.mentor_abklaeren(&coordinator, leaving, &suitable()).await.unwrap();
    let mentee = test.store.mentee_zuweisen(&officer, &referral("Abeba Tesfay", 2581)).await.unwrap();
    let tandem = test.store.tandem_vorschlagen(&coordinator, mentee, leaving).await.unwrap();
    test.store.tandem_wechseln(&coordinator, tandem, &change("aktiv", "01.10.2026")).await.unwrap();
    let checkin = CheckinInput { datum: "15.11.2026".into(), notiz: "Vreni erzählt von Abeba.".into() };
    test.store.checkin_erfassen(&coordinator, tandem, &checkin).await.unwrap();
    let leave_early = AbklaerungInput { status: "ausgetreten".into(), ..AbklaerungInput::default() };
    let errors = field_errors(test.store.mentor_abklaeren(&coordinator, leaving, &leave_early).await);
    assert!(errors.get("status").is_some(), "an open tandem must end first");
    let end = TandemWechselInput {
        grund: "mentor_hoert_auf".into(),
        grund_text: "Vreni zieht weg.".into(),
        ..change("beendet", "20.11.2026")
    };
    test.store.tandem_wechseln(&coordinator, tandem, &end).await.unwrap();
    test.store.mentor_abklaeren(&coordinator, leaving, &leave_early).await.unwrap();
    let no = AbklaerungInput { status: "nicht_geeignet".into(), ..suitable() };
    test.store.mentor_abklaeren(&coordinator, rejected, &no).await.unwrap();

    test.let_time_pass(Duration::days(30));
    let early = test.store.operator().mentoring_aufraeumen(365).await.unwrap();
    assert_eq!((early.mentoren, early.mentees, early.tandems_anonymisiert), (0, 0, 0));
    test.let_time_pass(Duration::days(340));
    let report = test.store.operator().mentoring_aufraeumen(365).await.unwrap();
    assert_eq!((report.mentoren, report.mentees, report.tandems_anonymisiert), (2, 1, 1));

    assert!(matches!(test.store.get_mentor(&coordinator, leaving).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.get_mentor(&coordinator, rejected).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.get_mentee(&coordinator, mentee).await, Err(StoreError::NotFound)));
    assert_eq!(test.store.get_mentor(&coordinator, staying).await.unwrap().status, MentorStatus::Neu);
    let kept = test.store.get_tandem(&coordinator, tandem).await.unwrap();
    assert_eq!((kept.mentor.as_str(), kept.mentee.as_str()), ("(gelöscht)", "(gelöscht)"));
    assert_eq!(kept.end_grund, Some(EndGrund::MentorHoertAuf));
    assert!(kept.end_text.is_empty() && kept.checkins.is_empty(), "free text about people is gone");
    assert_eq!(test.store.pool_zahlen(&coordinator).await.unwrap().dauer_beendet_tage, Some(50));
    let log = test.whole_log(&test.kanton_auditor().await).await;
    let run = log.iter().find(|e| e.actor_username == "system" && e.resource == "mentoring").unwrap();
    let detail = run.detail.clone().unwrap_or_default();
    assert!(detail.contains("2 Mentor/innen") && !detail.contains("Vreni"), "{detail}");
}

#[tokio::test]
async fn an_unknown_stored_status_is_reported_as_corrupt_never_read_as_a_default() {
    let test = TestStore::new().await;
    let coordinator = coordinator_of(&test, "sr-olten").await;
    let officer = test.integration_officer_of(2581).await;
    let vreni = signed_up(&test, &sign_up("Vreni Muster", 2581, &["de"], &[]), "10.0.0.1").await;
    test.store.mentor_abklaeren(&coordinator, vreni, &suitable()).await.unwrap();
    let mentee = test.store.mentee_zuweisen(&officer, &referral("Dawit", 2581)).await.unwrap();
    let tandem = test.store.tandem_vorschlagen(&coordinator, mentee, vreni).await.unwrap();
    let raw = test.raw_connection().await;
    raw.execute_unprepared("UPDATE mentoring_mentoren SET status = 'kaputt'").await.unwrap();
    let mentors = test.store.list_mentoren(&coordinator, &all()).await;
    let mentor = test.store.get_mentor(&coordinator, vreni).await;
    raw.execute_unprepared("UPDATE mentoring_tandems SET status = 'defekt'").await.unwrap();
    let detail = test.store.get_tandem(&coordinator, tandem).await;
    let figures = test.store.pool_zahlen(&coordinator).await;

    assert!(matches!(&mentors, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{:?}", mentors.map(|p| p.total));
    assert!(matches!(&mentor, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{:?}", mentor.map(|m| m.id));
    assert!(matches!(&detail, Err(StoreError::Corrupt(m)) if m.contains("defekt")), "{:?}", detail.map(|t| t.id));
    assert!(matches!(&figures, Err(StoreError::Corrupt(m)) if m.contains("defekt")), "{figures:?}");
}

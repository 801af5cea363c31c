//! The Hilfsplan from the Kurzassessment: versions of the Kurzassessment kept (the clock starts at the first),
//! goals proposed from the current version, accepted, edited or discarded once, and only within the dossier's
//! reach.

use crate::dossiers::assessment;
use crate::support::{TestStore, field_errors, today, valid_person};
use chrono::NaiveDate;
use iim_domain::Actor;
use iim_domain::dossier::{DossierEvent, DossierStatus, Handlungsfeld, Kurzassessment, Richtung};
use iim_domain::sprache::SprachstandInput;
use iim_domain::zielvorschlaege::VorschlagRegel;
use iim_store::{Dossier, StoreError};

/// A case worker of Olten with a dossier assessed on 18.11.2026 (arbeitsmarktlich, Sprachförderbedarf, work
/// experience only abroad): it proposes German to A2 and first work experience.
async fn assessed_dossier(test: &TestStore) -> (Actor, Dossier) {
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    let dossier = test.store.record_kurzassessment(&case_worker, dossier.id, assessment("18.11.2026")).await.unwrap();
    (case_worker, dossier)
}

fn social(datum: &str) -> Kurzassessment {
    Kurzassessment { richtung: Richtung::Sozial, ..assessment(datum) }
}

fn rules(dossier: &Dossier) -> Vec<VorschlagRegel> {
    dossier.zielvorschlaege.iter().map(|v| v.regel).collect()
}

fn fassung(dossier: &Dossier) -> i64 {
    dossier.kurzassessment_fassung.as_ref().unwrap().id
}

#[tokio::test]
async fn saving_the_kurzassessment_again_keeps_the_earlier_version_and_the_clock_of_the_first() {
    let test = TestStore::new().await;
    let (case_worker, first) = assessed_dossier(&test).await;
    let first_version = fassung(&first);

    let second = test.store.record_kurzassessment(&case_worker, first.id, social("21.11.2026")).await.unwrap();

    assert_eq!(second.kurzassessment.as_ref().unwrap().richtung, Richtung::Sozial, "the new answers are current");
    assert_eq!(second.kurzassessment_fassung.as_ref().unwrap().nummer, 2);
    let earlier = &second.fruehere_kurzassessments;
    assert_eq!(earlier.len(), 1);
    assert_eq!((earlier[0].id, earlier[0].nummer), (first_version, 1));
    assert_eq!(earlier[0].datum, NaiveDate::from_ymd_opt(2026, 11, 18).unwrap());
    assert!(!earlier[0].erfasst_von.is_empty());
    assert_eq!(second.next_standortbestimmung, NaiveDate::from_ymd_opt(2027, 11, 18), "the clock stays at the first");
    assert!(second.timeline[0].detail.as_deref().unwrap().contains("Fassung 2"));

    let read = test.store.kurzassessment_fassung(&case_worker, first.id, first_version).await.unwrap();
    assert_eq!(read.kurzassessment, assessment("18.11.2026"), "the earlier answers are kept as they were");
    assert!(!read.aktuell);
    assert_eq!((read.fassung.nummer, read.fassungen), (1, 2));

    let auditor = test.kanton_auditor().await;
    let log = test.whole_log(&auditor).await;
    let entry = log.iter().find(|e| e.detail.as_deref() == Some("Kurzassessment Fassung 1 von 2"));
    let entry = entry.expect("reading an earlier version is logged");
    assert_eq!((entry.action.as_str(), entry.record_id.clone()), ("read", Some(first.id.to_string())));
}

#[tokio::test]
async fn a_version_of_another_dossier_is_not_found() {
    let test = TestStore::new().await;
    let (case_worker, first) = assessed_dossier(&test).await;
    let other = test.register(&case_worker, valid_person(2581)).await;
    let other = test.store.open_dossier(&case_worker, other.id, true, false).await.unwrap();
    let read = test.store.kurzassessment_fassung(&case_worker, other.id, fassung(&first)).await;
    assert!(matches!(read, Err(StoreError::NotFound)), "{read:?}");
}

#[tokio::test]
async fn the_kurzassessment_proposes_goals_and_an_accepted_one_becomes_a_goal_once() {
    let test = TestStore::new().await;
    let (case_worker, dossier) = assessed_dossier(&test).await;
    assert_eq!(rules(&dossier), [VorschlagRegel::DeutschA2, VorschlagRegel::Arbeitserfahrung]);
    let proposal = &dossier.zielvorschlaege[0];
    assert_eq!(proposal.begruendung(), "Vorgeschlagen, weil: Sprachförderbedarf, Deutschniveau noch nicht erfasst");

    let accepted =
        test.store.accept_zielvorschlag(&case_worker, dossier.id, fassung(&dossier), VorschlagRegel::DeutschA2).await;
    let accepted = accepted.unwrap();

    assert_eq!(accepted.ziele.len(), 1);
    assert_eq!(accepted.ziele[0].ziel, proposal.ziel, "accepted as proposed");
    assert_eq!(accepted.ziele[0].ziel.faellig_am, NaiveDate::from_ymd_opt(2027, 11, 21).unwrap());
    assert_eq!(accepted.status, DossierStatus::HilfsplanAktiv);
    assert_eq!(accepted.timeline[0].event, DossierEvent::ZielErfasst);
    assert_eq!(rules(&accepted), [VorschlagRegel::Arbeitserfahrung], "a goal is not proposed again");

    let again =
        test.store.accept_zielvorschlag(&case_worker, dossier.id, fassung(&dossier), VorschlagRegel::DeutschA2).await;
    assert_eq!(
        field_errors(again).get("vorschlag"),
        Some("Dieser Vorschlag ist nicht mehr offen: er ist bereits ein Ziel im Hilfsplan oder wurde verworfen.")
    );
    assert_eq!(test.store.get_dossier(&case_worker, dossier.id).await.unwrap().ziele.len(), 1);

    let later = test.store.record_kurzassessment(&case_worker, dossier.id, assessment("21.11.2026")).await.unwrap();
    assert_eq!(rules(&later), [VorschlagRegel::Arbeitserfahrung], "nor by a later version");
}

#[tokio::test]
async fn an_edited_proposal_becomes_the_goal_as_edited_once() {
    let test = TestStore::new().await;
    let (case_worker, dossier) = assessed_dossier(&test).await;
    let mut ziel = dossier.zielvorschlaege[1].ziel.clone();
    ziel.ziel = "Einsatz im Gemeindewerk, dann Modul 3".to_owned();
    let regel = VorschlagRegel::Arbeitserfahrung;

    let added =
        test.store.add_ziel_aus_vorschlag(&case_worker, dossier.id, ziel.clone(), None, fassung(&dossier), regel).await;

    let added = added.unwrap();
    assert_eq!(added.ziele[0].ziel, ziel);
    assert_eq!(rules(&added), [VorschlagRegel::DeutschA2]);
    let twice = test.store.add_ziel_aus_vorschlag(&case_worker, dossier.id, ziel, None, fassung(&dossier), regel).await;
    assert!(field_errors(twice).get("vorschlag").is_some());
    assert_eq!(test.store.get_dossier(&case_worker, dossier.id).await.unwrap().ziele.len(), 1);
}

#[tokio::test]
async fn a_discarded_proposal_is_remembered_for_its_version_and_logged() {
    let test = TestStore::new().await;
    let (case_worker, dossier) = assessed_dossier(&test).await;
    let regel = VorschlagRegel::Arbeitserfahrung;

    let discarded = test.store.discard_zielvorschlag(&case_worker, dossier.id, fassung(&dossier), regel).await;

    let discarded = discarded.unwrap();
    assert_eq!(rules(&discarded), [VorschlagRegel::DeutschA2]);
    assert!(discarded.ziele.is_empty());
    assert_eq!(discarded.timeline[0].event, DossierEvent::ZielvorschlagVerworfen);
    assert!(discarded.timeline[0].detail.as_deref().unwrap().starts_with("Arbeitsintegration: "));
    let reread = test.store.get_dossier(&case_worker, dossier.id).await.unwrap();
    assert_eq!(rules(&reread), [VorschlagRegel::DeutschA2], "the discard is stored");
    let auditor = test.kanton_auditor().await;
    let log = test.whole_log(&auditor).await;
    assert!(log.iter().any(|e| e.action == "update" && e.detail.as_deref() == Some("Zielvorschlag verworfen")));

    let stale = test.store.discard_zielvorschlag(&case_worker, dossier.id, fassung(&dossier), regel).await;
    assert!(field_errors(stale).get("vorschlag").is_some(), "discarded once");

    let later = test.store.record_kurzassessment(&case_worker, dossier.id, assessment("21.11.2026")).await.unwrap();
    assert_eq!(rules(&later), [VorschlagRegel::DeutschA2, regel], "a new version proposes it again");
    let old = test.store.accept_zielvorschlag(&case_worker, dossier.id, fassung(&dossier), VorschlagRegel::DeutschA2);
    assert_eq!(
        field_errors(old.await).get("vorschlag"),
        Some("Das Kurzassessment wurde inzwischen neu erfasst. Bitte die Vorschläge unten nochmals prüfen.")
    );
}

#[tokio::test]
async fn the_current_german_level_shapes_the_language_proposal() {
    let test = TestStore::new().await;
    let (case_worker, dossier) = assessed_dossier(&test).await;
    let stand = SprachstandInput {
        datum: "20.11.2026".into(),
        fertigkeit: "gesamt".into(),
        niveau: "A2".into(),
        nachweis: "fide".into(),
        bemerkung: String::new(),
    }
    .parse(today())
    .unwrap();
    let with_level = test.store.record_sprachstand(&case_worker, dossier.id, stand).await.unwrap();
    assert_eq!(rules(&with_level), [VorschlagRegel::DeutschB1, VorschlagRegel::Arbeitserfahrung]);
    let b1 = &with_level.zielvorschlaege[0];
    assert_eq!(
        (b1.ziel.handlungsfeld, b1.grund.as_str()),
        (Handlungsfeld::Sprachfoerderung, "Sprachförderbedarf bei Deutsch A2")
    );
}

#[tokio::test]
async fn nobody_outside_the_dossiers_reach_sees_or_decides_proposals() {
    let test = TestStore::new().await;
    let (_, dossier) = assessed_dossier(&test).await;
    let version = fassung(&dossier);
    let regel = VorschlagRegel::DeutschA2;
    for outsider in [test.case_worker_of("sr-thal").await, test.case_worker_of("sr-olten").await] {
        assert!(matches!(test.store.get_dossier(&outsider, dossier.id).await, Err(StoreError::NotFound)));
        let accepted = test.store.accept_zielvorschlag(&outsider, dossier.id, version, regel).await;
        assert!(matches!(accepted, Err(StoreError::NotFound)), "{accepted:?}");
        let discarded = test.store.discard_zielvorschlag(&outsider, dossier.id, version, regel).await;
        assert!(matches!(discarded, Err(StoreError::NotFound)), "{discarded:?}");
        let read = test.store.kurzassessment_fassung(&outsider, dossier.id, version).await;
        assert!(matches!(read, Err(StoreError::NotFound)), "{read:?}");
    }
    let leitung = test.leitung_of("sr-olten").await;
    let seen = test.store.get_dossier(&leitung, dossier.id).await.unwrap();
    assert!(seen.ziele.is_empty() && seen.zielvorschlaege.len() == 2, "nothing was accepted or discarded");
}

/// Dossiers whose second Kurzassessment moved the clock before this change get the first date back.
#[tokio::test]
async fn the_migration_starts_the_clock_again_at_the_first_kurzassessment() {
    use sea_orm::ConnectionTrait;
    let test = TestStore::new().await;
    let (case_worker, dossier) = assessed_dossier(&test).await;
    test.store.record_kurzassessment(&case_worker, dossier.id, social("21.11.2026")).await.unwrap();
    let raw = test.raw_connection().await;
    raw.execute_unprepared(
        "UPDATE dossiers SET kurzassessment_datum = '2026-11-21', naechste_standortbestimmung = '2027-11-21'",
    )
    .await
    .unwrap();
    let moved = test.store.get_dossier(&case_worker, dossier.id).await.unwrap();
    assert_eq!(moved.next_standortbestimmung, NaiveDate::from_ymd_opt(2027, 11, 21), "as the old saving left it");

    raw.execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm20261206_000102_erstes_kurzassessment'")
        .await
        .unwrap();
    test.migrate().await.unwrap();

    let fixed = test.store.get_dossier(&case_worker, dossier.id).await.unwrap();
    assert_eq!(fixed.next_standortbestimmung, NaiveDate::from_ymd_opt(2027, 11, 18));
    assert_eq!(fixed.kurzassessment.unwrap().richtung, Richtung::Sozial, "the answers are untouched");
}

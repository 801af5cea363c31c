//! Several users at once: saves and reads running side by side must all succeed (or be refused for a
//! reason the user can act on), never fail because the database was busy.

use crate::support::{TestStore, person_named, valid_person};
use iim_store::StoreError;
use std::sync::Arc;

const OLTEN: u16 = 2581;
const WORKERS: usize = 4;
const ROUNDS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_and_reads_all_succeed() {
    let test = Arc::new(TestStore::new().await);
    let mut actors = Vec::new();
    for _ in 0..WORKERS {
        actors.push(test.case_worker_of("sr-olten").await);
    }

    let mut tasks = Vec::new();
    for (worker, actor) in actors.into_iter().enumerate() {
        let test = Arc::clone(&test);
        tasks.push(tokio::spawn(async move {
            let mut failures: Vec<String> = Vec::new();
            for round in 0..ROUNDS {
                let step = async {
                    let person = test.create_person(&actor, valid_person(OLTEN)).await?;
                    test.get_person(&actor, person.id).await?;
                    let renamed = person_named(OLTEN, "Tesfamariam", &format!("Selam {worker} {round}"));
                    test.update_person(&actor, person.id, person.version, renamed).await?;
                    Ok::<(), StoreError>(())
                };
                if let Err(error) = step.await {
                    failures.push(format!("worker {worker}, round {round}: {error:?}"));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }

    assert!(
        failures.is_empty(),
        "{} of {} save rounds failed on {:?}; a write transaction must wait for the write lock, not fail:\n{}",
        failures.len(),
        WORKERS * ROUNDS,
        test.backend(),
        failures.join("\n")
    );
    assert_eq!(test.operator().count_persons().await.unwrap(), (WORKERS * ROUNDS) as u64);
}

/// Of two results of the same change sent at once, exactly one must be a success; returns the index of the
/// winner and the loser's error.
fn one_winner<T: std::fmt::Debug>(first: Result<T, StoreError>, second: Result<T, StoreError>) -> (usize, StoreError) {
    match (first, second) {
        (Ok(_), Err(error)) => (0, error),
        (Err(error), Ok(_)) => (1, error),
        other => panic!("exactly one of two concurrent changes must be accepted, got {other:?}"),
    }
}

fn organisation(leitung: &str) -> iim_domain::gemeindeorganisation::GemeindeorganisationInput {
    iim_domain::gemeindeorganisation::GemeindeorganisationInput {
        leitung_name: leitung.to_owned(),
        leitung_ressort: "Soziales".to_owned(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_saves_of_a_gemeindeorganisation_from_the_same_form_state_exactly_one_wins() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(OLTEN).await;
    let kanton = test.kanton_auditor().await;
    let olten = iim_domain::BfsNr::known(OLTEN).unwrap();
    for round in 0..ROUNDS {
        let loaded = test.get_gemeinde(&officer, olten).await.unwrap().version;
        let (mine, theirs) = (organisation(&format!("Officer {round}")), organisation(&format!("Kanton {round}")));
        let (first, second) = tokio::join!(
            test.save_gemeindeorganisation(&officer, olten, loaded, &mine),
            test.save_gemeindeorganisation(&kanton, olten, loaded, &theirs),
        );
        let (winner, error) = one_winner(first, second);
        assert!(
            matches!(error, StoreError::Changed { current_version } if current_version == loaded + 1),
            "round {round} on {:?}: the loser learns that the record changed, got {error:?}",
            test.backend()
        );
        let stored = test.get_gemeinde(&officer, olten).await.unwrap();
        let expected = if winner == 0 { &mine } else { &theirs };
        assert_eq!(stored.organisation.unwrap().leitung_name, expected.leitung_name, "the winner's values stay");
        assert_eq!(stored.version, loaded + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_edits_of_one_measure_from_the_same_catalogue_version_exactly_one_wins() {
    use iim_domain::massnahmen::MassnahmeInput;
    let test = TestStore::new().await;
    let kanton = test.kanton_auditor().await;
    let other_kanton = test.kanton_auditor().await;
    for round in 0..ROUNDS {
        let katalog = test.katalog().await.unwrap();
        let titled = |titel: String| {
            let mut input = MassnahmeInput::of(katalog.massnahme("SF-S").unwrap());
            input.titel = titel;
            input.parse().unwrap()
        };
        let (first, second) = tokio::join!(
            test.save_massnahme(&kanton, titled(format!("Titel A {round}")), false, Some(katalog.version), "A"),
            test.save_massnahme(&other_kanton, titled(format!("Titel B {round}")), false, Some(katalog.version), "B"),
        );
        let (_, error) = one_winner(first, second);
        assert!(
            matches!(error, StoreError::Changed { .. }),
            "round {round} on {:?}: a stale edit is refused as changed, got {error:?}",
            test.backend()
        );
        assert_eq!(test.katalog().await.unwrap().version, katalog.version + 1, "one new version per round");
    }

    let old = test.katalog_versionen().await.unwrap().last().unwrap().version;
    let other = MassnahmeInput {
        titel: "Andere Massnahme, neuer Titel".into(),
        ..MassnahmeInput::of(test.katalog().await.unwrap().massnahme("BI-2").unwrap())
    };
    assert!(
        test.save_massnahme(&kanton, other.parse().unwrap(), false, Some(old), "andere").await.is_ok(),
        "changes of other measures since the form was loaded are no conflict"
    );
}

/// A dossier of Olten with a Kurzassessment, ready for goals.
async fn assessed_dossier(test: &TestStore) -> (iim_domain::Actor, i64) {
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.create_person(&case_worker, valid_person(OLTEN)).await.unwrap();
    let dossier = test.open_dossier(&case_worker, person.id, false, false).await.unwrap();
    test.record_kurzassessment(&case_worker, dossier.id, crate::dossiers::assessment("01.02.2026")).await.unwrap();
    (case_worker, dossier.id)
}

/// A Standortbestimmung that gives every open goal of `dossier` the same judgement.
fn judging_all(dossier: &iim_store::Dossier, bewertung: &str) -> iim_domain::dossier::StandortbestimmungInput {
    iim_domain::dossier::StandortbestimmungInput {
        datum: "21.11.2026".into(),
        antworten: dossier
            .ziele
            .iter()
            .filter(|goal| goal.offen())
            .map(|goal| (goal.id, bewertung.to_owned(), String::new()))
            .collect(),
        bemerkungen: String::new(),
    }
}

const STANDORT_ROUNDS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_standortbestimmungen_from_the_same_dossier_state_exactly_one_is_accepted() {
    let test = TestStore::new().await;
    let (case_worker, id) = assessed_dossier(&test).await;
    let colleague = case_worker.clone();
    for round in 0..STANDORT_ROUNDS {
        test.add_ziel(&case_worker, id, crate::dossiers::goal("sprachfoerderung", &format!("Ziel {round}")))
            .await
            .unwrap();
        let loaded = test.get_dossier(&case_worker, id).await.unwrap();
        let (partly, reached) = (judging_all(&loaded, "teilweise"), judging_all(&loaded, "erreicht"));
        let (first, second) = tokio::join!(
            test.record_standortbestimmung(&case_worker, id, Some(loaded.version), &partly),
            test.record_standortbestimmung(&colleague, id, Some(loaded.version), &reached),
        );
        let (_, error) = one_winner(first, second);
        assert!(
            matches!(error, StoreError::Changed { .. }),
            "round {round} on {:?}: the later Standortbestimmung is refused as based on an old state, got {error:?}",
            test.backend()
        );
    }
    let dossier = test.get_dossier(&case_worker, id).await.unwrap();
    let standortbestimmungen =
        dossier.timeline.iter().filter(|e| e.event == iim_domain::dossier::DossierEvent::Standortbestimmung);
    assert_eq!(standortbestimmungen.count(), STANDORT_ROUNDS, "one Standortbestimmung per round");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_goal_reached_is_never_judged_again_even_by_a_standortbestimmung_sent_at_the_same_time() {
    let test = TestStore::new().await;
    let (case_worker, id) = assessed_dossier(&test).await;
    for round in 0..STANDORT_ROUNDS {
        test.add_ziel(&case_worker, id, crate::dossiers::goal("sprachfoerderung", &format!("Ziel {round}")))
            .await
            .unwrap();
        let loaded = test.get_dossier(&case_worker, id).await.unwrap();
        let reached = judging_all(&loaded, "erreicht");
        // Without a version (as through the API) only the locked re-check of the goals protects the result.
        let (first, second) = tokio::join!(
            test.record_standortbestimmung(&case_worker, id, None, &reached),
            test.record_standortbestimmung(&case_worker, id, None, &reached),
        );
        let (_, error) = one_winner(first, second);
        let StoreError::Invalid(errors) = error else { panic!("round {round}: expected a refusal, got {error:?}") };
        let goal = loaded.ziele.last().unwrap().id;
        assert!(
            errors.get(&format!("bewertung_{goal}")).is_some_and(|m| m.contains("inzwischen als erreicht")),
            "round {round} on {:?}: {errors:?}",
            test.backend()
        );
    }
    let dossier = test.get_dossier(&case_worker, id).await.unwrap();
    let standortbestimmungen =
        dossier.timeline.iter().filter(|e| e.event == iim_domain::dossier::DossierEvent::Standortbestimmung);
    assert_eq!(standortbestimmungen.count(), STANDORT_ROUNDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_decisions_of_the_migrationsamt_sent_at_once_only_one_is_stored() {
    use iim_domain::erstinformation::{EntscheidInput, FordernEntscheid, UebergabeInput};
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(OLTEN).await;
    let migrationsamt = test.logged_in("migrationsamt", &[iim_domain::Role::Migrationsamt]).await;
    let colleague = test.logged_in("migrationsamt", &[iim_domain::Role::Migrationsamt]).await;
    let neuzuzueger = crate::erstinformation::neuzuzueger_in(&test, OLTEN, &officer).await;
    let uebergabe = UebergabeInput {
        empfehlung: "integrationsvereinbarung".to_owned(),
        begruendung: "Hat zwei Einladungen nicht wahrgenommen.".to_owned(),
    };
    let fall = test.hand_over_to_migrationsamt(&officer, neuzuzueger, &uebergabe).await.unwrap();
    let vereinbarung = EntscheidInput { entscheid: "integrationsvereinbarung".to_owned(), begruendung: String::new() };
    let keine = EntscheidInput { entscheid: "keine".to_owned(), begruendung: "Bereits im Kurs.".to_owned() };
    let (first, second) = tokio::join!(
        test.decide_fordern(&migrationsamt, fall, &vereinbarung),
        test.decide_fordern(&colleague, fall, &keine),
    );
    let (winner, error) = one_winner(first, second);
    assert!(matches!(error, StoreError::Invalid(ref e) if e.get("entscheid").is_some()), "{error:?}");
    let stored = test.get_fordern(&migrationsamt, fall).await.unwrap().entscheid;
    let expected = if winner == 0 { FordernEntscheid::Integrationsvereinbarung } else { FordernEntscheid::Keine };
    assert_eq!(stored, Some(expected), "the first decision stays, on {:?}", test.backend());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_erstinformationsgespraeche_recorded_at_once_only_one_is_stored() {
    // The fixture's arrival can be imported once per database: a fresh database per round.
    for round in 0..3 {
        let test = TestStore::new().await;
        let officer = test.integration_officer_of(OLTEN).await;
        let colleague = test.integration_officer_of(OLTEN).await;
        let neuzuzueger = crate::erstinformation::neuzuzueger_in(&test, OLTEN, &officer).await;
        let conversation = crate::erstinformation::conversation();
        let (first, second) = tokio::join!(
            test.record_conversation(&officer, neuzuzueger, &conversation),
            test.record_conversation(&colleague, neuzuzueger, &conversation),
        );
        let (_, error) = one_winner(first, second);
        assert!(
            matches!(error, StoreError::Invalid(ref e) if e.get("gefuehrt_am").is_some_and(|m| m.contains("kein Gespräch mehr"))),
            "round {round} on {:?}: the status is checked in the transaction, got {error:?}",
            test.backend()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_tandems_proposed_at_once_for_one_mentee_only_one_is_stored() {
    use crate::mentoring::{coordinator_of, referral, sign_up, signed_up, suitable};
    let test = TestStore::new().await;
    let coordinator = coordinator_of(&test, "sr-olten").await;
    let colleague = coordinator_of(&test, "sr-olten").await;
    let officer = test.integration_officer_of(OLTEN).await;
    for round in 0..5 {
        let mentee = test.mentee_zuweisen(&officer, &referral(&format!("Mentee {round}"), OLTEN)).await.unwrap();
        let mut mentors = Vec::new();
        for which in 0..2 {
            let input = sign_up(&format!("Mentor {round} {which}"), OLTEN, &["de"], &[]);
            let mentor = signed_up(&test, &input, &format!("10.0.{round}.{which}")).await;
            test.mentor_abklaeren(&coordinator, mentor, &suitable()).await.unwrap();
            mentors.push(mentor);
        }
        let (first, second) = tokio::join!(
            test.tandem_vorschlagen(&coordinator, mentee, mentors[0]),
            test.tandem_vorschlagen(&colleague, mentee, mentors[1]),
        );
        let (_, error) = one_winner(first, second);
        assert!(
            matches!(error, StoreError::Invalid(ref e) if e.get("mentor") == Some("Diese Person ist schon in einem Tandem.")),
            "round {round} on {:?}: the check runs on the locked mentee, got {error:?}",
            test.backend()
        );
    }
}

//! One-time form tokens (ADR 0023): the first send claims, a second one is led where the first went, a refused
//! save gives the token back, and claims are kept a week.

use crate::support::{TestStore, field_errors};
use iim_store::{StoreError, new_form_token};
use sea_orm::{ConnectionTrait, Statement};

async fn stored_claims(test: &TestStore) -> i64 {
    let raw = test.raw_connection().await;
    let statement = Statement::from_string(raw.get_database_backend(), "SELECT COUNT(*) AS n FROM form_tokens");
    let row = raw.query_one_raw(statement).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_sends_at_once_exactly_one_claims_the_token() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    for round in 0..20 {
        let token = new_form_token();
        let (first, second) =
            tokio::join!(test.claim_form_token(&case_worker, &token), test.claim_form_token(&case_worker, &token));
        let refused = match (first, second) {
            (Ok(()), Err(error)) | (Err(error), Ok(())) => error,
            other => panic!("round {round} on {:?}: exactly one send may claim, got {other:?}", test.backend()),
        };
        assert!(
            matches!(refused, StoreError::AlreadySaved { ref record } if record.is_empty()),
            "round {round}: the second send waits for no page yet: {refused:?}"
        );
    }
}

#[tokio::test]
async fn a_second_send_is_led_to_the_page_of_the_first() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let token = new_form_token();
    test.claim_form_token(&case_worker, &token).await.unwrap();
    test.name_form_record(&case_worker, &token, "/dossiers/7?hinweis=ziel").await.unwrap();
    let again = test.claim_form_token(&case_worker, &token).await;
    assert!(
        matches!(again, Err(StoreError::AlreadySaved { ref record }) if record == "/dossiers/7?hinweis=ziel"),
        "{again:?}"
    );
    test.release_form_token(&case_worker, &token).await.unwrap();
    let after_release = test.claim_form_token(&case_worker, &token).await;
    assert!(matches!(after_release, Err(StoreError::AlreadySaved { .. })), "a saved form stays claimed");
}

#[tokio::test]
async fn a_refused_save_gives_the_token_back() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let token = new_form_token();
    test.claim_form_token(&case_worker, &token).await.unwrap();
    test.release_form_token(&case_worker, &token).await.unwrap();
    test.claim_form_token(&case_worker, &token).await.expect("the corrected form can be sent");
}

#[tokio::test]
async fn another_users_or_a_malformed_token_is_refused() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let token = new_form_token();
    test.claim_form_token(&colleague, &token).await.unwrap();
    test.name_form_record(&case_worker, &token, "/personen/1").await.unwrap();
    let theirs = test.claim_form_token(&case_worker, &token).await;
    assert!(field_errors(theirs).get("form_token").is_some(), "a claim tells nothing to another user");
    test.release_form_token(&case_worker, &token).await.unwrap();
    assert_eq!(stored_claims(&test).await, 1, "another user cannot give a claim back");
    for malformed in ["", "kurz", "nicht erlaubt: Leerzeichen und Doppelpunkte!", &"x".repeat(65)] {
        let refused = test.claim_form_token(&case_worker, malformed).await;
        assert!(field_errors(refused).get("form_token").is_some(), "{malformed:?} is refused");
    }
}

#[tokio::test]
async fn claims_are_kept_a_week() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    test.claim_form_token(&case_worker, &new_form_token()).await.unwrap();
    test.claim_form_token(&colleague, &new_form_token()).await.unwrap();
    test.let_time_pass(chrono::Duration::days(6));
    test.claim_form_token(&colleague, &new_form_token()).await.unwrap();
    assert_eq!(stored_claims(&test).await, 3, "claims younger than a week stay");

    test.let_time_pass(chrono::Duration::days(2));
    test.claim_form_token(&case_worker, &new_form_token()).await.unwrap();
    assert_eq!(stored_claims(&test).await, 2, "the two claims older than a week are gone");
}

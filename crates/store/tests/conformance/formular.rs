//! One-time form tokens: the table keeps only the forms of about one day.

use crate::support::TestStore;
use sea_orm::{ConnectionTrait, Statement};

async fn stored_tokens(test: &TestStore) -> i64 {
    let raw = test.raw_connection().await;
    let statement = Statement::from_string(raw.get_database_backend(), "SELECT COUNT(*) AS n FROM form_tokens");
    let row = raw.query_one_raw(statement).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn issuing_a_token_deletes_the_expired_ones_of_everybody_and_keeps_the_valid_ones() {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    test.issue_form_token(&case_worker).await.unwrap();
    test.issue_form_token(&colleague).await.unwrap();
    test.let_time_pass(chrono::Duration::hours(23));
    test.issue_form_token(&colleague).await.unwrap();
    assert_eq!(stored_tokens(&test).await, 3, "tokens younger than a day stay");

    test.let_time_pass(chrono::Duration::hours(2));
    test.issue_form_token(&case_worker).await.unwrap();
    assert_eq!(stored_tokens(&test).await, 2, "the two tokens older than a day are gone");
}

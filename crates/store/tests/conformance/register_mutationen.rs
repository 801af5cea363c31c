//! Mutated register deliveries through the import (the reader's property tests, one level up): whatever a
//! delivery holds, each event is stored whole or not at all: never a person without the Neuzuzüger or the
//! frühe Sprachförderung that is the reason to keep her, and a second import of the same file stores nothing.
//! Fewer cases than the reader's test (a database per test, a transaction per batch); `PROPTEST_CASES` sets
//! their number (32 by default here).

use crate::support::TestStore;
use iim_domain::Role;
use iim_ech::read_delivery;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

#[path = "../../../ech/tests/support/mutate.rs"]
mod mutate;

/// The number of cases: `PROPTEST_CASES`, else 32.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(32)
}

/// Gives the delivery a message id of its own (where its header still has one), so that each case is a new
/// delivery and not a repetition of an earlier case.
fn with_message_id(delivery: Vec<u8>, case: u32) -> Vec<u8> {
    let text = String::from_utf8_lossy(&delivery);
    let Some(start) = text.find("messageId>").map(|i| i + "messageId>".len()) else { return delivery };
    let Some(end) = text[start..].find('<').map(|i| start + i) else { return delivery };
    format!("{}fall-{case}{}", &text[..start], &text[end..]).into_bytes()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Persons the import made without the reason to keep them.
const PERSONS_WITHOUT_REASON: &str = "SELECT COUNT(*) FROM persons p \
     WHERE NOT EXISTS (SELECT 1 FROM neuzuzueger n WHERE n.person_id = p.id) \
     AND NOT EXISTS (SELECT 1 FROM fruehfoerderungen f WHERE f.person_id = p.id)";

#[tokio::test]
async fn a_mutated_delivery_stores_whole_events_or_nothing_of_an_event_and_only_once() {
    let test = TestStore::new().await;
    let admin = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap();
    let db = test.raw_connection().await;
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let strategy = mutate::mutated_delivery();
    // The checks below see a stored person: an arrival from abroad, unmutated.
    let path = format!("{}/../ech/tests/fixtures/move-in-from-abroad.xml", env!("CARGO_MANIFEST_DIR"));
    let arrival = std::fs::read(path).unwrap();
    let report = test.store.import_register_delivery(&admin, "echt.xml", read_delivery(arrival.as_slice()).unwrap());
    assert_eq!(report.await.unwrap().neue_personen, 1);
    assert_eq!((count(&db, "SELECT COUNT(*) FROM persons").await, count(&db, PERSONS_WITHOUT_REASON).await), (1, 0));
    for case in 0..cases() {
        let delivery = with_message_id(strategy.new_tree(&mut runner).unwrap().current(), case);
        let shown = String::from_utf8_lossy(&delivery[..delivery.len().min(3000)]).into_owned();
        let Ok(reader) = read_delivery(delivery.as_slice()) else { continue };
        let persons = count(&db, "SELECT COUNT(*) FROM persons").await;
        let report = test.store.import_register_delivery(&admin, "mutiert.xml", reader).await;
        let report = report.unwrap_or_else(|e| panic!("case {case}: {e}\n{shown}"));
        assert_eq!(count(&db, PERSONS_WITHOUT_REASON).await, 0, "case {case}: {report:?}\n{shown}");
        let after = count(&db, "SELECT COUNT(*) FROM persons").await;
        assert_eq!(after - persons, report.neue_personen as i64, "case {case}: {report:?}\n{shown}");

        let again =
            test.store.import_register_delivery(&admin, "mutiert.xml", read_delivery(delivery.as_slice()).unwrap());
        let again = again.await.unwrap_or_else(|e| panic!("case {case}, again: {e}\n{shown}"));
        assert_eq!((again.gespeichert, again.neue_personen), (0, 0), "case {case}, again: {again:?}\n{shown}");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM persons").await, after, "case {case}, again\n{shown}");
    }
}

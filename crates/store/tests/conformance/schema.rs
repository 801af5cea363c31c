//! Migrations: the same schema on both backends, idempotent, and recorded.

use crate::support::TestStore;
use iim_domain::Role;

/// The normalised schema both backends must produce (generated once on SQLite, checked on PostgreSQL).
const GOLDEN_SCHEMA: &str = include_str!("../schema.txt");

/// Every migration, oldest first. A new migration is added here, never removed or renamed.
const MIGRATIONS: &[&str] = &[
    "m20261121_000001_foundation",
    "m20261121_000002_dossiers",
    "m20261121_000003_auftraege",
    "m20261121_000004_massnahmen",
    "m20261121_000005_register",
    "m20261122_000006_erstinformation",
    "m20261122_000007_gemeinden",
    "m20261122_000008_selbstdeklaration",
    "m20261122_000009_umzuege",
    "m20261122_000010_angebote",
    "m20261122_000011_mentoring",
    "m20261122_000012_angebot_links",
    "m20261204_000034_versionen",
    "m20261204_000035_form_tokens",
    "m20261204_000036_neuzuzueger",
    "m20261204_000037_form_token_cleanup",
    "m20261204_000038_form_token_claims",
    "m20261205_000001_register_ereignisse",
    "m20261205_000010_caseload_import",
    "m20261206_000101_zielvorschlaege",
    "m20261206_000102_erstes_kurzassessment",
    "m20261206_000201_ausnahmegesuche",
    "m20261206_000301_angebot_suchtext",
    "m20261206_000401_suchtext_neu_falten",
];

#[tokio::test]
async fn migrations_give_the_golden_schema() {
    let test = TestStore::new().await;
    let actual = test.describe_schema().await.unwrap_or_else(|error| {
        panic!("describe_schema must work on every backend; on {:?} it fails: {error}", test.backend())
    });
    assert_eq!(
        actual.trim(),
        GOLDEN_SCHEMA.trim(),
        "schema differs from tests/schema.txt on {:?}; actual schema:\n{actual}\n",
        test.backend()
    );
}

#[tokio::test]
async fn applied_migrations_list_every_migration_in_order() {
    let test = TestStore::new().await;
    assert_eq!(test.applied_migrations().await.unwrap(), MIGRATIONS);
}

#[tokio::test]
async fn a_fresh_database_has_no_migrations_until_migrate_runs() {
    let test = TestStore::unmigrated().await;
    assert_eq!(test.applied_migrations().await.unwrap(), Vec::<String>::new());

    test.migrate().await.unwrap();

    assert_eq!(test.applied_migrations().await.unwrap(), MIGRATIONS);
}

#[tokio::test]
async fn migrate_twice_is_harmless() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;

    test.migrate().await.unwrap();

    assert_eq!(test.applied_migrations().await.unwrap(), MIGRATIONS);
    let users = test.operator().list_users().await.unwrap();
    assert!(users.iter().any(|u| u.username == username), "user lost by second migration: {users:?}");
}

#[tokio::test]
async fn syncing_the_organisations_twice_keeps_one_organisation_per_code() {
    let test = TestStore::new().await;
    let before: Vec<_> = test.directory().all().cloned().collect();

    test.operator().sync_organisations(&iim_store::RegionMapping::example().unwrap()).await.unwrap();

    let after: Vec<_> = test.directory().all().cloned().collect();
    assert_eq!(after, before);
    // 3 Kanton offices, 13 Sozialregionen, 104 Gemeinden.
    assert_eq!(after.len(), 3 + 13 + 104);
}

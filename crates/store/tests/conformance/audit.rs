//! The access log: every read and change of personal data leaves an entry with who, what, when and how;
//! refusals too; the log cannot be altered; and each auditor sees only the entries of its scope.

use crate::support::{PASSWORD, TestStore, person_named, start_time, valid_person};
use iim_domain::Role;
use iim_store::{AuditQuery, AuditRecord, Backend, PersonQuery, StoreError};
use sea_orm::{ConnectionTrait, DatabaseConnection};

const OLTEN: u16 = 2581;
const BALSTHAL: u16 = 2422;

fn entries<'a>(log: &'a [AuditRecord], action: &str, outcome: &str) -> Vec<&'a AuditRecord> {
    log.iter().filter(|e| e.action == action && e.outcome == outcome).collect()
}

#[tokio::test]
async fn reading_a_person_is_logged_with_the_actors_user_name_and_channel_ui() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;

    test.get_person(&worker, person.id).await.unwrap();

    let log = test.log_of_person(&auditor, person.id).await;
    let reads = entries(&log, "read", "erlaubt");
    assert_eq!(reads.len(), 1, "{log:#?}");
    let read = reads[0];
    assert_eq!(read.actor_username, worker.username);
    assert_eq!(read.actor_organisation, "Sozialregion Olten");
    assert_eq!(read.channel, "ui");
    assert_eq!(read.resource, "person");
    assert_eq!(read.record_id, Some(person.id.to_string()));
    assert_eq!(read.occurred_at, start_time());
}

#[tokio::test]
async fn reading_through_an_api_token_is_logged_with_channel_api() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let (_, secret) = test.operator().create_api_token(&worker.username, "Fachapplikation", None).await.unwrap();
    let api = test.api_actor(&secret).await.unwrap().unwrap();
    let auditor = test.kanton_auditor().await;

    test.get_person(&api, person.id).await.unwrap();

    let log = test.log_of_person(&auditor, person.id).await;
    let reads = entries(&log, "read", "erlaubt");
    assert_eq!(reads.iter().map(|e| e.channel.as_str()).collect::<Vec<_>>(), ["api"], "{log:#?}");
}

#[tokio::test]
async fn a_refused_cross_region_read_is_logged_as_verweigert() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let person = test.register(&olten, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;

    assert!(matches!(test.get_person(&thal, person.id).await, Err(StoreError::NotFound)));

    let log = test.log_of_person(&auditor, person.id).await;
    let refused = entries(&log, "read", "verweigert");
    assert_eq!(refused.len(), 1, "{log:#?}");
    assert_eq!(refused[0].actor_username, thal.username);
    assert_eq!(refused[0].actor_organisation, "Sozialregion Thal");
    assert!(entries(&log, "read", "erlaubt").is_empty(), "{log:#?}");
}

#[tokio::test]
async fn a_refused_cross_region_update_is_logged_as_verweigert() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let person = test.register(&olten, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;

    let result = test.update_person(&thal, person.id, 1, person_named(OLTEN, "Anders", "Name")).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    let log = test.log_of_person(&auditor, person.id).await;
    let refused = entries(&log, "update", "verweigert");
    assert_eq!(refused.len(), 1, "{log:#?}");
    assert_eq!(refused[0].actor_username, thal.username);
    assert!(entries(&log, "update", "erlaubt").is_empty(), "{log:#?}");
}

#[tokio::test]
async fn a_role_without_person_access_is_logged_as_verweigert() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let person = test.register(&olten, valid_person(OLTEN)).await;
    let provider = test.provider_user().await;
    let auditor = test.kanton_auditor().await;

    let refused_read = test.get_person(&provider, person.id).await;
    assert!(
        matches!(refused_read, Err(StoreError::NotFound)),
        "not found for a role that cannot read: {refused_read:?}"
    );

    let log = test.log_of_person(&auditor, person.id).await;
    let refused = entries(&log, "read", "verweigert");
    assert_eq!(refused.len(), 1, "{log:#?}");
    assert_eq!(refused[0].actor_username, provider.username);
    assert_eq!(refused[0].actor_organisation, "Deutschkurse Olten GmbH");
}

#[tokio::test]
async fn creating_a_person_is_logged_at_once_in_the_same_transaction() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let auditor = test.kanton_auditor().await;

    let person = test.register(&worker, valid_person(OLTEN)).await;

    // No flush: the entry of a change is written with the change, not by the background writer.
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Person),
        record_id: Some(person.id.to_string()),
        page: 1,
        per_page: 50,
        ..AuditQuery::default()
    };
    let log = test.list_audit(&auditor, &query).await.unwrap().items;
    let created = entries(&log, "create", "erlaubt");
    assert_eq!(created.len(), 1, "{log:#?}");
    assert_eq!(created[0].actor_username, worker.username);
    assert_eq!(created[0].channel, "ui");
}

#[tokio::test]
async fn an_update_is_logged_with_the_names_of_the_changed_fields_but_not_their_values() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;

    test.update_person(&worker, person.id, 1, person_named(2573, "Tesfamariam", "Hiwet")).await.unwrap();

    let log = test.log_of_person(&auditor, person.id).await;
    let updates = entries(&log, "update", "erlaubt");
    assert_eq!(updates.len(), 1, "{log:#?}");
    let detail = updates[0].detail.as_deref().unwrap_or_default();
    assert_eq!(detail, "geändert: vornamen, wohngemeinde_bfs");
    assert!(!detail.contains("Hiwet"), "{detail}");
}

#[tokio::test]
async fn a_stale_edit_and_an_unchanged_save_write_no_update_entry() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;
    test.update_person(&worker, person.id, 1, person_named(OLTEN, "Tesfamariam", "Hiwet")).await.unwrap();

    let stale = test.update_person(&worker, person.id, 1, person_named(OLTEN, "Anders", "Name")).await;
    let unchanged = test.update_person(&worker, person.id, 2, person_named(OLTEN, "Tesfamariam", "Hiwet")).await;

    assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
    assert_eq!(unchanged.unwrap().version, 2);
    let log = test.log_of_person(&auditor, person.id).await;
    assert_eq!(entries(&log, "update", "erlaubt").len(), 1, "{log:#?}");
}

#[tokio::test]
async fn listing_persons_is_logged_with_the_ids_shown() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let shown = test.register(&worker, person_named(OLTEN, "Müller", "Anna")).await;
    test.register(&worker, person_named(OLTEN, "Meier", "Hans")).await;
    let auditor = test.kanton_auditor().await;

    test.list_persons(&worker, &PersonQuery { text: "muller".into(), page: 1, per_page: 20 }).await.unwrap();

    let log = test.whole_log(&auditor).await;
    let lists: Vec<_> =
        log.iter().filter(|e| e.resource == "person" && e.action == "read" && e.record_id.is_none()).collect();
    assert_eq!(lists.len(), 1, "{log:#?}");
    assert_eq!(lists[0].actor_username, worker.username);
    let detail = lists[0].detail.as_deref().unwrap_or_default();
    assert!(detail.ends_with(&format!("angezeigt: {}", shown.id)), "{detail}");
}

#[tokio::test]
async fn a_leitung_sees_only_entries_of_its_own_organisations_users() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let olten_person = test.register(&olten, valid_person(OLTEN)).await;
    let thal_person = test.register(&thal, valid_person(BALSTHAL)).await;
    test.get_person(&olten, olten_person.id).await.unwrap();
    test.get_person(&thal, thal_person.id).await.unwrap();
    let _ = test.get_person(&thal, olten_person.id).await;
    let leitung = test.leitung_of("sr-olten").await;

    let log = test.whole_log(&leitung).await;

    assert!(!log.is_empty());
    assert!(log.iter().all(|e| e.actor_organisation == "Sozialregion Olten"), "{log:#?}");
    assert!(log.iter().any(|e| e.actor_username == olten.username && e.action == "read"), "{log:#?}");
    assert!(log.iter().all(|e| e.actor_username != thal.username), "{log:#?}");
    let everything = test.whole_log(&test.kanton_auditor().await).await;
    assert!(everything.iter().any(|e| e.actor_username == thal.username), "{everything:#?}");
}

#[tokio::test]
async fn a_case_worker_may_not_read_the_access_log() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;

    let result = test.list_audit(&worker, &AuditQuery::default()).await;

    assert!(matches!(result, Err(StoreError::Denied(_))), "{result:?}");
}

#[tokio::test]
async fn reading_the_access_log_is_itself_logged() {
    let test = TestStore::new().await;
    let auditor = test.kanton_auditor().await;

    test.whole_log(&auditor).await;
    let log = test.whole_log(&auditor).await;

    let reads: Vec<_> = log.iter().filter(|e| e.resource == "audit_log").collect();
    assert_eq!(reads.len(), 1, "{log:#?}");
    assert_eq!(reads[0].actor_username, auditor.username);
    assert_eq!(reads[0].action, "read");
}

#[tokio::test]
async fn the_access_log_can_be_filtered_by_user_name() {
    let test = TestStore::new().await;
    let first = test.case_worker_of("sr-olten").await;
    let second = test.case_worker_of("sr-olten").await;
    let person = test.register(&first, valid_person(OLTEN)).await;
    test.get_person(&first, person.id).await.unwrap();
    test.get_person(&second, person.id).await.unwrap();
    let auditor = test.kanton_auditor().await;
    test.flush_audit().await;

    let query =
        AuditQuery { username: Some(second.username.to_uppercase()), page: 1, per_page: 100, ..AuditQuery::default() };
    let page = test.list_audit(&auditor, &query).await.unwrap();

    assert!(page.total >= 2, "login and read expected: {page:#?}");
    assert!(page.items.iter().all(|e| e.actor_username == second.username), "{page:#?}");
}

#[tokio::test]
async fn logins_and_failed_logins_are_logged() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    assert!(test.login(&username, "falsches-passwort", "10.0.0.7").await.is_err());
    test.login(&username, PASSWORD, "10.0.0.7").await.unwrap();
    let auditor = test.kanton_auditor().await;

    let log = test.whole_log(&auditor).await;

    let of_user: Vec<_> = log.iter().filter(|e| e.actor_username == username && e.action == "login").collect();
    let outcomes: Vec<&str> = of_user.iter().rev().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["verweigert", "erlaubt"], "{log:#?}");
}

#[tokio::test]
async fn the_access_log_refuses_update_and_delete_from_any_connection() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    test.get_person(&worker, person.id).await.unwrap();
    let auditor = test.kanton_auditor().await;
    let before = test.whole_log(&auditor).await;
    assert!(before.len() >= 3, "{before:#?}");
    let raw = test.raw_connection().await;

    for statement in [
        "UPDATE audit_log SET outcome = 'erlaubt', detail = NULL",
        "UPDATE audit_log SET actor_username = 'niemand' WHERE action = 'read'",
        "DELETE FROM audit_log WHERE action = 'read'",
        "DELETE FROM audit_log",
    ] {
        let result = raw.execute_unprepared(statement).await;
        let error = result.expect_err(&format!("{statement} was accepted on {:?}", test.backend()));
        assert!(error.to_string().contains("append-only"), "{statement}: {error}");
    }

    let after = test.whole_log(&auditor).await;
    assert_eq!(after[1..], before[..], "the log changed (after[0] is the auditor's second read)");
}

#[tokio::test]
async fn an_export_is_logged_as_one_read_naming_every_person_that_left() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let first = test.register(&worker, person_named(OLTEN, "Müller", "Anna")).await;
    let second = test.register(&worker, person_named(OLTEN, "Meier", "Hans")).await;
    let elsewhere = test.case_worker_of("sr-thal").await;
    test.register(&elsewhere, person_named(BALSTHAL, "Anderswo", "Eva")).await;
    let third = test.register(&worker, person_named(OLTEN, "Moser", "Lea")).await;
    let auditor = test.kanton_auditor().await;

    test.export_persons(&worker, "").await.unwrap();

    let log = test.whole_log(&auditor).await;
    let reads: Vec<_> = log
        .iter()
        .filter(|e| e.resource == "person" && e.action == "read" && e.actor_username == worker.username)
        .collect();
    assert_eq!(reads.len(), 1, "{log:#?}");
    assert_eq!(reads[0].record_id, None);
    let expected = format!("Export, ohne Suche: 3 Personen: {}-{},{}", first.id, second.id, third.id);
    assert_eq!(first.id + 1, second.id, "registered one after the other");
    assert_eq!(reads[0].detail.as_deref(), Some(expected.as_str()), "the ids, runs as ranges");
}

/// Makes every insert into the access log fail, as a full disk or a broken log table would.
async fn block_access_log(raw: &DatabaseConnection, backend: Backend) {
    let statements: &[&str] = match backend {
        Backend::Sqlite => {
            &["CREATE TRIGGER audit_log_blocked BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END"]
        }
        Backend::Postgres => &[
            "CREATE FUNCTION audit_log_blocked() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'blocked'; END $$",
            "CREATE TRIGGER audit_log_blocked BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_blocked()",
        ],
    };
    for statement in statements {
        raw.execute_unprepared(statement).await.unwrap();
    }
}

async fn unblock_access_log(raw: &DatabaseConnection, backend: Backend) {
    let statement = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_blocked",
        Backend::Postgres => "DROP TRIGGER audit_log_blocked ON audit_log",
    };
    raw.execute_unprepared(statement).await.unwrap();
}

#[tokio::test]
async fn every_acknowledged_read_is_already_committed_to_the_log() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Person),
        record_id: Some(person.id.to_string()),
        page: 1,
        per_page: 1,
        ..AuditQuery::default()
    };
    let created = test.list_audit(&auditor, &query).await.unwrap().total;

    for reads in 1..=20 {
        test.get_person(&worker, person.id).await.unwrap();
        let logged = test.list_audit(&auditor, &query).await.unwrap().total;
        assert_eq!(logged, created + reads, "read {reads} returned before its entry was committed (no flush here)");
    }
}

#[tokio::test]
async fn reads_are_refused_while_the_access_log_cannot_be_written() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;
    let raw = test.raw_connection().await;

    block_access_log(&raw, test.backend()).await;
    let read = test.get_person(&worker, person.id).await;
    assert!(matches!(read, Err(StoreError::AuditUnavailable)), "{read:?}");
    let list = test.list_persons(&worker, &PersonQuery { text: String::new(), page: 1, per_page: 20 }).await;
    assert!(matches!(list, Err(StoreError::AuditUnavailable)), "{list:?}");
    let export = test.export_persons(&worker, "").await;
    assert!(matches!(export, Err(StoreError::AuditUnavailable)), "{export:?}");

    unblock_access_log(&raw, test.backend()).await;
    assert_eq!(test.get_person(&worker, person.id).await.unwrap().id, person.id, "the writer lives on");
}

#[tokio::test]
async fn searching_for_a_name_leaves_neither_the_name_nor_the_search_words_in_the_log() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let found = test.register(&worker, person_named(OLTEN, "Wolde-Giorgis", "Abeba")).await;
    let auditor = test.kanton_auditor().await;

    assert_eq!(test.search(&worker, "wolde abeba").await.len(), 1);
    test.export_persons(&worker, "Wolde-Giorgis").await.unwrap();

    let log = test.whole_log(&auditor).await;
    for entry in &log {
        let detail = entry.detail.as_deref().unwrap_or_default().to_lowercase();
        assert!(!detail.contains("wolde") && !detail.contains("abeba"), "search words in the log: {entry:#?}");
    }
    let details: Vec<&str> = log.iter().filter_map(|e| e.detail.as_deref()).collect();
    let list = format!("Liste, Suche (11 Zeichen), Seite 1, angezeigt: {}", found.id);
    assert!(details.contains(&list.as_str()), "{details:#?}");
    let export = format!("Export, Suche (13 Zeichen): 1 Person: {}", found.id);
    assert!(details.contains(&export.as_str()), "{details:#?}");
}

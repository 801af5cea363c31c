//! Accounts: password login with throttling, server-side sessions, personal API tokens, account creation.

use crate::support::{PASSWORD, TestStore, field_errors};
use chrono::Duration;
use iim_domain::{Channel, Role};
use iim_store::{LoginError, NewUser};

fn new_user(username: &str, password: Option<&str>) -> NewUser {
    NewUser {
        username: username.to_owned(),
        display_name: "Anna Muster".to_owned(),
        organisation_code: "sr-olten".to_owned(),
        roles: vec![Role::Fallfuehrung],
        password: password.map(str::to_owned),
    }
}

#[tokio::test]
async fn login_with_the_right_password_gives_the_actor_of_the_user() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung, Role::Leitung]).await;

    let actor = test.login(&username, PASSWORD, "127.0.0.1").await.unwrap();

    assert_eq!(actor.username, username);
    assert_eq!(actor.organisation_name, "Sozialregion Olten");
    assert_eq!(actor.roles, [Role::Fallfuehrung, Role::Leitung]);
    assert_eq!(actor.channel, Channel::Ui);
    assert_eq!(actor.organisation_id, test.directory().by_code("sr-olten").unwrap().id);
}

#[tokio::test]
async fn login_ignores_case_and_surrounding_spaces_in_the_user_name() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;

    let actor = test.login(&format!("  {}  ", username.to_uppercase()), PASSWORD, "127.0.0.1").await.unwrap();

    assert_eq!(actor.username, username);
}

#[tokio::test]
async fn login_with_a_wrong_password_fails_with_invalid_credentials() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;

    let result = test.login(&username, "falsches-passwort", "127.0.0.1").await;

    assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
}

#[tokio::test]
async fn login_of_an_unknown_user_fails_exactly_like_a_wrong_password() {
    let test = TestStore::new().await;

    let result = test.login("niemand", PASSWORD, "127.0.0.1").await;

    assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
}

#[tokio::test]
async fn a_user_without_password_cannot_log_in() {
    let test = TestStore::new().await;
    test.operator().create_user(new_user("ohne.passwort", None)).await.unwrap();

    let result = test.login("ohne.passwort", "", "127.0.0.1").await;

    assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
}

#[tokio::test]
async fn after_five_wrong_passwords_even_the_right_one_is_throttled_for_fifteen_minutes() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for attempt in 1..=5 {
        let result = test.login(&username, "falsches-passwort", "127.0.0.1").await;
        assert!(matches!(result, Err(LoginError::InvalidCredentials)), "attempt {attempt}: {result:?}");
    }

    let result = test.login(&username, PASSWORD, "127.0.0.1").await;
    assert!(matches!(result, Err(LoginError::Throttled { minutes: 15 })), "{result:?}");

    test.let_time_pass(Duration::minutes(14));
    let result = test.login(&username, PASSWORD, "127.0.0.1").await;
    assert!(matches!(result, Err(LoginError::Throttled { minutes: 1 })), "{result:?}");

    test.let_time_pass(Duration::minutes(2));
    assert!(test.login(&username, PASSWORD, "127.0.0.1").await.is_ok());
}

#[tokio::test]
async fn throttling_one_user_name_does_not_lock_out_another_user() {
    let test = TestStore::new().await;
    let locked = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    let colleague = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for _ in 0..5 {
        let _ = test.login(&locked, "falsches-passwort", "10.1.1.1").await;
    }

    assert!(test.login(&colleague, PASSWORD, "10.1.1.1").await.is_ok());
}

#[tokio::test]
async fn failures_spread_over_more_than_the_window_do_not_lock() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for _ in 0..4 {
        let _ = test.login(&username, "falsches-passwort", "127.0.0.1").await;
    }
    test.let_time_pass(Duration::minutes(16));

    let result = test.login(&username, "falsches-passwort", "127.0.0.1").await;
    assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
    assert!(test.login(&username, PASSWORD, "127.0.0.1").await.is_ok());
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for _ in 0..4 {
        let _ = test.login(&username, "falsches-passwort", "127.0.0.1").await;
    }
    test.login(&username, PASSWORD, "127.0.0.1").await.unwrap();

    let result = test.login(&username, "falsches-passwort", "127.0.0.1").await;

    assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
    assert!(test.login(&username, PASSWORD, "127.0.0.1").await.is_ok());
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_that_address_for_every_user_name() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for n in 0..20 {
        let _ = test.login(&format!("geraten-{n}"), "falsches-passwort", "10.6.6.6").await;
    }

    let from_attacker = test.login(&username, PASSWORD, "10.6.6.6").await;
    let from_elsewhere = test.login(&username, PASSWORD, "10.0.0.1").await;

    assert!(matches!(from_attacker, Err(LoginError::Throttled { .. })), "{from_attacker:?}");
    assert!(from_elsewhere.is_ok(), "{from_elsewhere:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_parallel_wrong_passwords_are_checked_at_most_five_times_and_never_fail() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let (store, username) = (test.store.clone(), username.clone());
        attempts.spawn(async move { store.login(&username, "falsches-passwort", "10.3.3.3").await });
    }
    let results = attempts.join_all().await;

    let checked = results.iter().filter(|r| matches!(r, Err(LoginError::InvalidCredentials))).count();
    let throttled = results.iter().filter(|r| matches!(r, Err(LoginError::Throttled { .. }))).count();
    assert!((1..=5).contains(&checked), "{checked} passwords checked: {results:?}");
    assert_eq!(checked + throttled, 30, "every attempt is refused plainly, none fails: {results:?}");
    let log = test.whole_log(&test.kanton_auditor().await).await;
    let logged_checks = log
        .iter()
        .filter(|e| e.actor_username == username)
        .filter(|e| e.detail.as_deref() == Some("falsches Passwort oder unbekannter Benutzer"))
        .count();
    assert_eq!(logged_checks, checked);
}

#[tokio::test]
async fn a_user_name_locked_from_one_address_still_logs_in_from_another() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for _ in 0..5 {
        let _ = test.login(&username, "falsches-passwort", "10.1.1.1").await;
    }

    let from_guesser = test.login(&username, PASSWORD, "10.1.1.1").await;
    let from_owner = test.login(&username, PASSWORD, "10.2.2.2").await;

    assert!(matches!(from_guesser, Err(LoginError::Throttled { .. })), "{from_guesser:?}");
    assert!(from_owner.is_ok(), "{from_owner:?}");
}

#[tokio::test]
async fn fifty_failures_from_many_addresses_lock_the_user_name_everywhere() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    for n in 0..50 {
        let _ = test.login(&username, "falsches-passwort", &format!("10.9.0.{n}")).await;
    }

    let result = test.login(&username, PASSWORD, "10.9.1.1").await;

    assert!(matches!(result, Err(LoginError::Throttled { minutes: 15 })), "{result:?}");
}

#[tokio::test]
async fn a_started_session_gives_back_the_actor_and_the_csrf_token() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;

    let (token, started) = test.start_session(&actor).await.unwrap();
    let found = test.session(&token).await.unwrap().expect("session");

    assert_eq!(found.actor, actor);
    assert_eq!(found.csrf_token, started.csrf_token);
    assert_ne!(found.csrf_token, token);
    assert!(token.len() >= 40, "token too short to be unguessable: {token}");
}

#[tokio::test]
async fn an_unknown_session_token_finds_nothing() {
    let test = TestStore::new().await;

    assert_eq!(test.session("erfunden").await.unwrap(), None);
}

#[tokio::test]
async fn an_ended_session_is_gone() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    test.end_session(&token, &actor).await.unwrap();

    assert_eq!(test.session(&token).await.unwrap(), None);
}

#[tokio::test]
async fn a_session_expires_after_sixty_minutes_without_a_request() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    test.let_time_pass(Duration::minutes(59));
    assert!(test.session(&token).await.unwrap().is_some(), "still valid after 59 idle minutes");

    test.let_time_pass(Duration::minutes(61));
    assert_eq!(test.session(&token).await.unwrap(), None);
}

#[tokio::test]
async fn an_unused_session_is_gone_after_61_minutes() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    test.let_time_pass(Duration::minutes(61));

    assert_eq!(test.session(&token).await.unwrap(), None);
    test.let_time_pass(Duration::minutes(-61));
    assert_eq!(test.session(&token).await.unwrap(), None, "an expired session must be deleted, not just hidden");
}

#[tokio::test]
async fn a_session_in_use_ends_after_twelve_hours_all_the_same() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    for _ in 0..14 {
        test.let_time_pass(Duration::minutes(50));
        assert!(test.session(&token).await.unwrap().is_some());
    }
    // 11 h 40 min so far.
    test.let_time_pass(Duration::minutes(20));

    assert_eq!(test.session(&token).await.unwrap(), None);
}

#[tokio::test]
async fn disabling_a_user_ends_its_sessions_and_refuses_its_login() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    test.operator().set_disabled(&actor.username, true).await.unwrap();

    assert_eq!(test.session(&token).await.unwrap(), None);
    let login = test.login(&actor.username, PASSWORD, "127.0.0.1").await;
    assert!(matches!(login, Err(LoginError::InvalidCredentials)), "{login:?}");
    assert!(test.operator().list_users().await.unwrap().iter().any(|u| u.username == actor.username && u.disabled));
}

#[tokio::test]
async fn a_re_enabled_user_logs_in_again() {
    let test = TestStore::new().await;
    let username = test.add_user("sr-olten", &[Role::Fallfuehrung]).await;
    test.operator().set_disabled(&username, true).await.unwrap();

    test.operator().set_disabled(&username, false).await.unwrap();

    assert!(test.login(&username, PASSWORD, "127.0.0.1").await.is_ok());
}

#[tokio::test]
async fn a_new_password_replaces_the_old_one_and_ends_sessions() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (token, _) = test.start_session(&actor).await.unwrap();

    test.operator().set_password(&actor.username, "ganz-neues-passwort").await.unwrap();

    assert_eq!(test.session(&token).await.unwrap(), None);
    assert!(test.login(&actor.username, PASSWORD, "127.0.0.1").await.is_err());
    assert!(test.login(&actor.username, "ganz-neues-passwort", "127.0.0.1").await.is_ok());
    let errors = field_errors(test.operator().set_password(&actor.username, "kurz").await);
    assert!(errors.get("password").is_some(), "{errors:?}");
}

#[tokio::test]
async fn an_api_token_gives_the_actor_with_channel_api() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;

    let (info, secret) = test.operator().create_api_token(&actor.username, "Fachapplikation", None).await.unwrap();
    let api = test.api_actor(&secret).await.unwrap().expect("token valid");

    assert_eq!(api.channel, Channel::Api);
    assert_eq!(api.user_id, actor.user_id);
    assert_eq!(api.roles, actor.roles);
    assert_eq!(info.username, actor.username);
    assert_eq!(info.name, "Fachapplikation");
    assert!(secret.starts_with("iim_"), "{secret}");
}

#[tokio::test]
async fn using_an_api_token_records_when_it_was_last_used() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (info, secret) = test.operator().create_api_token(&actor.username, "Fachapplikation", None).await.unwrap();
    assert_eq!(info.last_used_at, None);
    test.let_time_pass(Duration::minutes(3));

    test.api_actor(&secret).await.unwrap().unwrap();

    let tokens = test.operator().list_api_tokens(Some(&actor.username)).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].last_used_at, Some(info.created_at + Duration::minutes(3)));
}

#[tokio::test]
async fn an_unknown_api_token_finds_nobody() {
    let test = TestStore::new().await;

    assert_eq!(test.api_actor("iim_erfunden").await.unwrap(), None);
}

#[tokio::test]
async fn a_revoked_api_token_finds_nobody() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (info, secret) = test.operator().create_api_token(&actor.username, "Fachapplikation", None).await.unwrap();

    test.operator().revoke_api_token(info.id).await.unwrap();

    assert_eq!(test.api_actor(&secret).await.unwrap(), None);
    let tokens = test.operator().list_api_tokens(Some(&actor.username)).await.unwrap();
    assert!(tokens[0].revoked_at.is_some(), "{tokens:?}");
}

#[tokio::test]
async fn an_expired_api_token_finds_nobody() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (info, secret) =
        test.operator().create_api_token(&actor.username, "Kurzzeit", Some(Duration::days(30))).await.unwrap();
    assert_eq!(info.expires_at, Some(info.created_at + Duration::days(30)));

    test.let_time_pass(Duration::days(30) - Duration::seconds(1));
    assert!(test.api_actor(&secret).await.unwrap().is_some(), "valid until the last second");

    test.let_time_pass(Duration::seconds(1));
    assert_eq!(test.api_actor(&secret).await.unwrap(), None);
}

#[tokio::test]
async fn an_api_token_of_a_disabled_user_finds_nobody() {
    let test = TestStore::new().await;
    let actor = test.case_worker_of("sr-olten").await;
    let (_, secret) = test.operator().create_api_token(&actor.username, "Fachapplikation", None).await.unwrap();

    test.operator().set_disabled(&actor.username, true).await.unwrap();

    assert_eq!(test.api_actor(&secret).await.unwrap(), None);
}

#[tokio::test]
async fn a_token_for_an_unknown_user_is_not_found() {
    let test = TestStore::new().await;

    let result = test.operator().create_api_token("niemand", "Fachapplikation", None).await;

    assert!(matches!(result, Err(iim_store::StoreError::NotFound)), "{result:?}");
}

#[tokio::test]
async fn create_user_stores_a_normalised_user_name() {
    let test = TestStore::new().await;

    let info = test.operator().create_user(new_user("  Anna.Muster ", Some(PASSWORD))).await.unwrap();

    assert_eq!(info.username, "anna.muster");
    assert_eq!(info.display_name, "Anna Muster");
    assert_eq!(info.organisation, "Sozialregion Olten");
    assert_eq!(info.roles, [Role::Fallfuehrung]);
    assert!(info.has_password && !info.disabled);
    assert_eq!(test.operator().list_users().await.unwrap(), [info]);
}

#[tokio::test]
async fn create_user_with_a_taken_user_name_is_invalid_on_the_username() {
    let test = TestStore::new().await;
    test.operator().create_user(new_user("anna.muster", Some(PASSWORD))).await.unwrap();

    let errors = field_errors(test.operator().create_user(new_user("ANNA.MUSTER", Some(PASSWORD))).await);

    let message = errors.get("username").expect("message on username");
    assert!(message.contains("anna.muster"), "{message}");
    assert_eq!(test.operator().list_users().await.unwrap().len(), 1);
}

#[tokio::test]
async fn create_user_with_a_short_password_is_invalid_on_the_password() {
    let test = TestStore::new().await;

    let errors = field_errors(test.operator().create_user(new_user("anna.muster", Some("kurz"))).await);

    let message = errors.get("password").expect("message on password");
    assert!(message.contains("10"), "{message}");
    assert!(test.operator().list_users().await.unwrap().is_empty());
}

#[tokio::test]
async fn create_user_reports_every_bad_field_at_once() {
    let test = TestStore::new().await;
    let new = NewUser {
        username: "a b".to_owned(),
        display_name: " ".to_owned(),
        organisation_code: "gibt-es-nicht".to_owned(),
        roles: Vec::new(),
        password: Some("kurz".to_owned()),
    };

    let errors = field_errors(test.operator().create_user(new).await);

    let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
    assert_eq!(fields, ["display_name", "organisation", "password", "roles", "username"]);
}

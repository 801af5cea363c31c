use crate::support::{Browser, PASSWORD, TestApp, csrf_token_in, visible_text};
use iim_web::Settings;

#[tokio::test]
async fn anonymous_page_view_goes_to_the_login_page_and_back() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/personen?q=ab").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?weiter=%2Fpersonen%3Fq%3Dab");
}

#[tokio::test]
async fn case_worker_logs_in_and_out() {
    let app = TestApp::spawn().await;
    let mut browser = app.browser();
    let login = browser.log_in("fallfuehrung.olten", PASSWORD).await;
    assert_eq!(login.status(), 303);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("iim_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let start = browser.get("/").await;
    assert_eq!(start.status(), 200);
    let html = start.text().await.unwrap();
    assert!(visible_text(&html).contains("Guten Tag, Test fallfuehrung.olten"));
    browser.csrf_token = csrf_token_in(&html).unwrap();
    let logout = browser.submit("/abmelden", &[]).await;
    assert_eq!(logout.status(), 303);
    assert_eq!(browser.get("/").await.status(), 303, "after logout the session no longer works");
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_plain_message() {
    let app = TestApp::spawn().await;
    let response = app.browser().log_in("fallfuehrung.olten", "falsch-falsch").await;
    assert_eq!(response.status(), 401);
    assert!(visible_text(&response.text().await.unwrap()).contains("Benutzername oder Passwort ist falsch."));
}

#[tokio::test]
async fn login_is_throttled_after_five_failures() {
    let app = TestApp::spawn().await;
    let mut browser = app.browser();
    for _ in 0..5 {
        assert_eq!(browser.log_in("ib.olten", "falsch-falsch").await.status(), 401);
    }
    let refused = browser.log_in("ib.olten", PASSWORD).await;
    assert_eq!(refused.status(), 429);
    assert!(visible_text(&refused.text().await.unwrap()).contains("Zu viele Fehlversuche"));
}

#[tokio::test]
async fn login_form_without_its_csrf_cookie_is_refused() {
    let app = TestApp::spawn().await;
    let fields =
        [("username", "ib.olten".to_owned()), ("password", PASSWORD.to_owned()), ("csrf_token", "erfunden".to_owned())];
    let response = app.browser().submit_raw("/login", &fields).await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn secure_setting_gives_host_prefixed_secure_cookies() {
    let app =
        TestApp::spawn_with(Settings { listen: "127.0.0.1:0".to_owned(), secure_cookies: true, ..Settings::default() })
            .await;
    let response = app.api().get(app.url("/login")).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-iim_login_csrf="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"), "{cookie}");
}

/// A browser whose requests carry `X-Forwarded-For: <forwarded_for>` (as a proxy would add, or a client
/// would invent).
fn browser_forwarded_for(app: &TestApp, forwarded_for: &str) -> Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", forwarded_for.parse().unwrap());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    Browser { client, base: app.base.clone(), csrf_token: String::new() }
}

/// Twenty wrong passwords for twenty different user names, so only the count per address can lock.
async fn twenty_failures(browser: &mut Browser) {
    for n in 0..20 {
        assert_eq!(browser.log_in(&format!("geraten.{n}"), "falsch-falsch").await.status(), 401);
    }
}

#[tokio::test]
async fn a_forwarded_for_header_from_an_untrusted_peer_is_ignored() {
    let app = TestApp::spawn().await;
    twenty_failures(&mut browser_forwarded_for(&app, "203.0.113.5")).await;

    let with_another_invented_address = browser_forwarded_for(&app, "203.0.113.99").log_in("ib.olten", PASSWORD).await;

    assert_eq!(with_another_invented_address.status(), 429, "the peer address was counted, not the header");
}

#[tokio::test]
async fn twenty_failures_of_one_client_behind_the_trusted_proxy_do_not_lock_another_client() {
    let trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let app =
        TestApp::spawn_with(Settings { listen: "127.0.0.1:0".to_owned(), trusted_proxies, ..Settings::default() })
            .await;
    twenty_failures(&mut browser_forwarded_for(&app, "203.0.113.5")).await;

    let guesser = browser_forwarded_for(&app, "203.0.113.5").log_in("ib.olten", PASSWORD).await;
    let colleague = browser_forwarded_for(&app, "6.6.6.6, 203.0.113.6").log_in("ib.olten", PASSWORD).await;

    assert_eq!(guesser.status(), 429);
    assert_eq!(colleague.status(), 303, "another client behind the same proxy logs in");
}

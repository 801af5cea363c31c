//! Bounded input and clear errors: page numbers, text lengths, control characters, the return path after
//! login and the security headers. Whatever a request carries, the answer is a German message, never a 500.

use crate::support::{PASSWORD, TestApp, csrf_token_in};
use iim_web::Settings;

/// Logs in through the form with the given return path and answers where the browser is sent.
async fn location_after_login_with(app: &TestApp, weiter: &str) -> String {
    let browser = app.browser();
    let form = browser.get("/login").await.text().await.unwrap();
    let fields = [
        ("username", "fallfuehrung.olten".to_owned()),
        ("password", PASSWORD.to_owned()),
        ("csrf_token", csrf_token_in(&form).unwrap()),
        ("weiter", weiter.to_owned()),
    ];
    let response = browser.submit_raw("/login", &fields).await;
    assert_eq!(response.status(), 303, "login with weiter={weiter:?}");
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn after_login_only_local_paths_are_followed() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/dossiers?seite=2", "/dossiers?seite=2"),
        ("/%09/example.org", "/"),
        ("//example.org", "/"),
        ("/\\example.org", "/"),
        ("https://example.org/", "/"),
        ("/personen\r\nSet-Cookie: x=1", "/"),
        ("/personen\n", "/"),
    ];
    for (weiter, expected) in cases {
        assert_eq!(location_after_login_with(&app, weiter).await, expected, "weiter={weiter:?}");
    }
}

#[tokio::test]
async fn login_form_keeps_no_disguised_return_path() {
    let app = TestApp::spawn().await;
    let html = app.browser().get("/login?weiter=%2F%09%2Fexample.org").await.text().await.unwrap();
    assert!(html.contains(r#"name="weiter" value="/""#), "{html}");
}

#[tokio::test]
async fn every_response_switches_off_unused_browser_features() {
    let app = TestApp::spawn().await;
    for path in ["/login", "/api/v1/persons", "/health", "/gibt-es-nicht"] {
        let response = app.api().get(app.url(path)).send().await.unwrap();
        let policy = response.headers()["permissions-policy"].to_str().unwrap();
        assert!(policy.contains("camera=()") && policy.contains("geolocation=()"), "{path}: {policy}");
        assert!(!response.headers().contains_key("strict-transport-security"), "plain HTTP: no HSTS on {path}");
    }
}

#[tokio::test]
async fn served_over_https_every_response_asks_for_https_only() {
    let app = TestApp::spawn_with(Settings { listen: "127.0.0.1:0".to_owned(), secure_cookies: true }).await;
    for path in ["/login", "/api/v1/persons", "/health"] {
        let response = app.api().get(app.url(path)).send().await.unwrap();
        let hsts = response.headers()["strict-transport-security"].to_str().unwrap();
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts}");
    }
}

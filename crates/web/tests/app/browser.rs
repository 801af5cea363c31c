//! End-to-end tests in a real headless Chromium, driven through chromedriver with fantoccini.
//!
//! They are ignored by plain `cargo test` (no browser needed there); `scripts/test` runs them with
//! `--include-ignored`. Chromium and chromedriver come from the Debian packages that
//! `scripts/install-browser.sh` installs; without them the tests fail instead of passing silently.

// Test code: a failed step should stop the test with its message (clippy's test allowance covers only
// the test functions here, not their helpers).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{PASSWORD, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const MISSING: &str = "Chromium fehlt: scripts/install-browser.sh ausführen";

/// How long chromedriver may take to accept connections, and how often we look.
const STARTUP: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// How long page changes may take before a test fails.
const PAGE: Duration = Duration::from_secs(15);

/// A chromedriver process on a free local port with a fresh Chromium profile. Dropping it ends the
/// browser sessions, stops chromedriver and removes the profile.
pub(crate) struct ChromeDriver {
    child: Child,
    address: SocketAddr,
    profile: TempDir,
}

impl ChromeDriver {
    /// Starts chromedriver and waits until it accepts connections. Panics (the test fails) when
    /// Chromium or chromedriver is not installed.
    pub(crate) async fn start() -> Self {
        assert!(Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(), "{MISSING}");
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()).expect("free port").port();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{MISSING} ({CHROMEDRIVER} startet nicht: {e})"));
        let mut driver = Self { child, address, profile: tempfile::tempdir().expect("profile directory") };
        let deadline = Instant::now() + STARTUP;
        loop {
            if tokio::time::timeout(POLL, tokio::net::TcpStream::connect(address)).await.is_ok_and(|c| c.is_ok()) {
                return driver;
            }
            if let Some(status) = driver.child.try_wait().expect("chromedriver status") {
                panic!("chromedriver ended before accepting connections: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not accept connections on {address} within {STARTUP:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Opens a headless Chromium session.
    pub(crate) async fn connect(&self) -> Client {
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            format!("--user-data-dir={}", self.profile.path().display()),
            "--window-size=1280,900".to_owned(),
        ];
        let mut capabilities = fantoccini::wd::Capabilities::new();
        capabilities.insert("goog:chromeOptions".to_owned(), json!({ "binary": CHROMIUM, "args": args }));
        // chromedriver listens on loopback: plain HTTP, no TLS stack needed.
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://{}", self.address))
            .await
            .expect("Chromium session through chromedriver")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // `/shutdown` makes chromedriver close its browsers (also after a failed test that never reached
        // `client.close()`); killing it alone would leave Chromium running.
        if let Ok(mut stream) = TcpStream::connect_timeout(&self.address, Duration::from_secs(1)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = format!("GET /shutdown HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address);
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../node_modules/axe-core/axe.min.js");

/// Runs axe-core on the page shown and returns the serious and critical findings, one line each.
/// axe-core, installed by scripts/install-axe.sh.
async fn accessibility_findings(client: &Client) -> Vec<String> {
    let axe = std::fs::read_to_string(AXE).expect("axe-core fehlt: scripts/install-axe.sh ausführen");
    client.execute(&axe, Vec::new()).await.expect("load axe-core");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then(r => done(r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));
    "#;
    let found = client.execute_async(script, Vec::new()).await.expect("axe.run");
    serde_json::from_value(found).unwrap_or_else(|_| vec!["axe returned no list".to_owned()])
}

/// Saves a screenshot of the page shown as `target/tmp/screenshots/{name}.png` (to look at after a failure) and
/// checks that Chromium rendered an image.
pub(crate) async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 1000, "{name}: Chromium rendered no image");
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&folder).expect("screenshot folder");
    std::fs::write(folder.join(format!("{name}.png")), png).expect("write screenshot");
}

/// Fails on any serious or critical axe-core finding on the page shown.
pub(crate) async fn assert_accessible(client: &Client) {
    let path = path_of(client).await;
    let findings = accessibility_findings(client).await;
    assert!(findings.is_empty(), "{path}: {findings:#?}");
}

/// Waits for an element of the page that the last action should have led to.
pub(crate) async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    match client.wait().at_most(PAGE).every(POLL).for_element(Locator::Css(css)).await {
        Ok(element) => element,
        Err(error) => {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            panic!("no element {css} on {url}: {error}");
        }
    }
}

/// Waits until the page shows a notice starting with `expected`. Polling the text (rather than reading the
/// first `.notice` found) rides over the moment in which the previous page, with its own notice, is replaced.
pub(crate) async fn wait_for_notice(client: &Client, expected: &str) {
    let deadline = Instant::now() + PAGE;
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(".notice")).await
            && let Ok(text) = element.text().await
        {
            if text.starts_with(expected) {
                return;
            }
            seen = text;
        }
        tokio::time::sleep(POLL).await;
    }
    let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    panic!("no notice «{expected}» on {url}; last notice seen: «{seen}»");
}

pub(crate) async fn path_of(client: &Client) -> String {
    client.current_url().await.expect("current URL").path().to_owned()
}

pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.expect("text")
}

pub(crate) async fn fill(client: &Client, id: &str, value: &str) {
    let input = client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("field {id}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

pub(crate) async fn choose(client: &Client, id: &str, value: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("select {id}: {e}"))
        .select_by_value(value)
        .await
        .expect("select");
}

pub(crate) async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap_or_else(|e| panic!("{locator:?}: {e}")).click().await.expect("click");
}

/// Fills in the login form that is on screen and sends it.
async fn submit_login(client: &Client, username: &str) {
    fill(client, "username", username).await;
    fill(client, "password", PASSWORD).await;
    click(client, Locator::Css("main form.form button[type=submit]")).await;
}

/// Logs in through the login page; afterwards the start page is shown.
pub(crate) async fn log_in(client: &Client, app: &TestApp, username: &str) {
    client.goto(&app.url("/login")).await.expect("login page");
    wait_for(client, "#username").await;
    submit_login(client, username).await;
    wait_for(client, "form.inline-form").await;
}

/// Logs out with the button in the header; afterwards the login page is shown.
pub(crate) async fn log_out(client: &Client) {
    click(client, Locator::Css("header form.inline-form button[type=submit]")).await;
    wait_for(client, "#username").await;
}

#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn case_worker_logs_in_creates_a_person_and_finds_it_in_the_list() {
    let app = TestApp::spawn().await;
    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;

    client.goto(&app.url("/personen")).await.expect("open /personen");
    wait_for(&client, "#username").await;
    assert_eq!(path_of(&client).await, "/login", "without a session the register sends us to the login page");
    submit_login(&client, "fallfuehrung.olten").await;
    wait_for(&client, "#q").await;
    assert_eq!(path_of(&client).await, "/personen", "after login we are back where we wanted to go");

    click(&client, Locator::LinkText("Neue Person erfassen")).await;
    wait_for(&client, "#nachname").await;
    assert_eq!(path_of(&client).await, "/personen/neu");
    fill(&client, "nachname", "Tesfamariam-Čelik").await;
    fill(&client, "vornamen", "Selam").await;
    click(&client, Locator::Id("geschlecht-weiblich")).await;
    fill(&client, "geburtsdatum", "1994").await;
    choose(&client, "nationalitaet", "ER").await;
    choose(&client, "aufenthaltsstatus", "F").await;
    click(&client, Locator::Id("sprachen-ti")).await;
    choose(&client, "wohngemeinde_bfs", "2581").await;
    click(&client, Locator::Css("form.form button[type=submit]")).await;

    let notice = wait_for(&client, ".notice").await;
    assert_eq!(notice.text().await.unwrap(), "Die Person ist erfasst.");
    assert_eq!(text_of(&client, "h1").await, "Tesfamariam-Čelik, Selam");
    let detail = path_of(&client).await;
    assert!(detail.starts_with("/personen/"), "detail page, not {detail}");

    click(&client, Locator::Css("nav.main-nav a[href='/personen']")).await;
    wait_for(&client, "#q").await;
    fill(&client, "q", "celik").await;
    click(&client, Locator::Css("form.search button[type=submit]")).await;
    let searched = url::Url::parse(&app.url("/personen?q=celik")).unwrap();
    client.wait().at_most(PAGE).every(POLL).for_url(&searched).await.expect("search result page");
    let row = wait_for(&client, &format!("table.table tbody a[href='{detail}']")).await;
    assert_eq!(row.text().await.unwrap(), "Tesfamariam-Čelik, Selam", "the folded search finds Čelik");

    click(&client, Locator::Css("form.inline-form button[type=submit]")).await;
    wait_for(&client, "#username").await;
    assert_eq!(path_of(&client).await, "/login");
    assert_eq!(text_of(&client, ".notice").await, "Sie sind abgemeldet.");

    client.close().await.expect("close browser");
}

#[tokio::test]
#[ignore = "braucht Chromium: scripts/test führt ihn aus"]
async fn invalid_form_shows_field_messages_and_keeps_input() {
    let app = TestApp::spawn().await;
    let driver = ChromeDriver::start().await;
    let client = driver.connect().await;
    log_in(&client, &app, "fallfuehrung.olten").await;

    client.goto(&app.url("/personen/neu")).await.expect("open form");
    wait_for(&client, "#nachname").await;
    fill(&client, "nachname", "Tesfamariam-Čelik").await;
    click(&client, Locator::Css("form.form button[type=submit]")).await;

    let summary = wait_for(&client, ".error-summary").await;
    let messages = summary.find_all(Locator::Css("li a")).await.unwrap();
    assert!(!messages.is_empty(), "the summary lists what is wrong");
    let mut targets = Vec::new();
    for message in &messages {
        assert!(!message.text().await.unwrap().trim().is_empty(), "every listed message has text");
        targets.push(message.attr("href").await.unwrap().unwrap_or_default());
    }
    assert!(targets.iter().any(|t| t == "#geburtsdatum"), "summary links to the date field: {targets:?}");
    assert!(!targets.iter().any(|t| t == "#nachname"), "the filled name is not an error: {targets:?}");

    let nachname = client.find(Locator::Id("nachname")).await.unwrap();
    assert_eq!(nachname.prop("value").await.unwrap().as_deref(), Some("Tesfamariam-Čelik"), "input is kept");
    assert_eq!(nachname.attr("aria-invalid").await.unwrap(), None);
    let geburtsdatum = client.find(Locator::Id("geburtsdatum")).await.unwrap();
    assert_eq!(geburtsdatum.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));

    client.close().await.expect("close browser");
}

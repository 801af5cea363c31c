//! A form sent twice saves once (issue 10, ADR 0023): every form of a logged-in user carries a one-time token,
//! the second send of the same form is led to where the first went, a refused send can be corrected and sent
//! again, and two sends at the same moment store one record, on both backends.

use crate::angebote_verwaltung::offer_form;
use crate::dossiers::open_dossier_for;
use crate::support::{Browser, TestApp, person_form, visible_text};
use iim_store::PersonQuery;

/// The first form token on the page at `path`.
async fn form_token_on(browser: &Browser, path: &str) -> String {
    let html = browser.get(path).await.text().await.unwrap();
    let token = html.split("name=\"form_token\" value=\"").nth(1).and_then(|rest| rest.split('"').next());
    token.filter(|token| !token.is_empty()).unwrap_or_else(|| panic!("no form token on {path}")).to_owned()
}

/// Sends the form twice with the token of `form_page`, as Back and Speichern do; returns the second answer's
/// target after checking that the first one was accepted.
async fn send_twice(browser: &Browser, form_page: &str, action: &str, fields: &[(&str, String)]) -> String {
    let mut fields = fields.to_vec();
    fields.push(("form_token", form_token_on(browser, form_page).await));
    let first = browser.submit(action, &fields).await;
    assert!(first.status().is_success() || first.status() == 303, "{action}: {}", first.status());
    let second = browser.submit(action, &fields).await;
    assert_eq!(second.status(), 303, "{action}: the second send is led away");
    second.headers()["location"].to_str().unwrap().to_owned()
}

async fn persons_named(app: &TestApp, nachname: &str) -> u64 {
    let actor = app.actor("fallfuehrung.olten").await;
    let query = PersonQuery { text: nachname.to_owned(), page: 1, per_page: 50 };
    app.store.list_persons(&actor, &query).await.unwrap().total
}

#[tokio::test]
async fn every_post_form_in_the_templates_carries_a_form_token() {
    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut checked = 0;
    for entry in walk(std::path::Path::new(templates)) {
        let html = std::fs::read_to_string(&entry).unwrap();
        for form in html.split("<form").skip(1) {
            let form = form.split("</form>").next().unwrap();
            let tag = form.split('>').next().unwrap();
            if !tag.contains("method=\"post\"") || tag.contains("multipart/form-data") {
                continue;
            }
            checked += 1;
            assert!(form.contains("name=\"form_token\""), "a POST form in {} has no form token", entry.display());
        }
    }
    assert!(checked >= 40, "only {checked} forms found: the scan missed the templates");
}

fn walk(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|ext| ext == "html") {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn a_new_person_sent_twice_is_registered_once_and_the_second_send_leads_to_her() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let location = send_twice(&browser, "/personen/neu", "/personen", &person_form("Doppelklick", 2581)).await;
    assert!(location.starts_with("/personen/") && location.ends_with("?hinweis=bereits_gespeichert"), "{location}");
    let page = visible_text(&browser.get(&location).await.text().await.unwrap());
    assert!(page.contains("Dieses Formular wurde bereits gespeichert.") && page.contains("Doppelklick"), "{page}");
    assert_eq!(persons_named(&app, "Doppelklick").await, 1);
}

#[tokio::test]
async fn a_goal_an_offer_and_an_api_token_sent_twice_are_stored_once() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let goal = [
        ("handlungsfeld", "sprachfoerderung".to_owned()),
        ("ziel", "Deutsch A2 im Alltag".to_owned()),
        ("kriterium", "Zertifikat".to_owned()),
        ("faellig_am", "30.06.2027".to_owned()),
    ];
    let location = send_twice(&browser, &format!("{dossier}/ziele/neu"), &format!("{dossier}/ziele"), &goal).await;
    assert_eq!(location, format!("{dossier}?hinweis=bereits_gespeichert"));
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert_eq!(page.matches("Ziel im Hilfsplan erfasst").count(), 1, "one goal, not two: {page}");

    let named = [("name", "Schnittstelle Doppelt".to_owned()), ("tage", "30".to_owned())];
    let location = send_twice(&browser, "/konto/api-tokens", "/konto/api-tokens", &named).await;
    assert_eq!(location, "/?hinweis=bereits_gesendet", "the page showed the secret; no page to lead to");
    let tokens = app.store.operator().list_api_tokens(Some("fallfuehrung.olten")).await.unwrap();
    assert_eq!(tokens.iter().filter(|t| t.name == "Schnittstelle Doppelt").count(), 1);

    let provider = app.log_in_as("anbieter.lernwerk").await;
    let offer = offer_form("Deutsch am Abend");
    let location = send_twice(&provider, "/meine-angebote/neu", "/meine-angebote", &offer).await;
    assert!(location.ends_with("hinweis=bereits_gespeichert"), "{location}");
    let own = visible_text(&provider.get("/meine-angebote").await.text().await.unwrap());
    assert_eq!(own.matches("Deutsch am Abend").count(), 1, "one offer, not two: {own}");
}

#[tokio::test]
async fn a_refused_send_can_be_corrected_and_sent_with_the_same_token() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let token = form_token_on(&browser, "/personen/neu").await;
    let mut wrong = person_form("Korrigiert", 2581);
    wrong.retain(|(name, _)| *name != "geburtsdatum");
    wrong.push(("geburtsdatum", "31.02.1990".to_owned()));
    wrong.push(("form_token", token.clone()));
    assert_eq!(browser.submit("/personen", &wrong).await.status(), 422);
    let mut right = person_form("Korrigiert", 2581);
    right.push(("form_token", token));
    assert_eq!(browser.submit("/personen", &right).await.status(), 303, "the refused send gave the token back");
    assert_eq!(persons_named(&app, "Korrigiert").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sends_of_one_form_at_the_same_moment_register_one_person() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    for round in 0..5 {
        let nachname = format!("Gleichzeitig{round}");
        let mut fields = person_form(&nachname, 2581);
        fields.push(("form_token", form_token_on(&browser, "/personen/neu").await));
        let (first, second) = tokio::join!(browser.submit("/personen", &fields), browser.submit("/personen", &fields));
        assert_eq!((first.status().as_u16(), second.status().as_u16()), (303, 303), "round {round}");
        assert_eq!(persons_named(&app, &nachname).await, 1, "round {round}: one person, not two");
    }
}

#[tokio::test]
async fn a_form_token_of_another_user_is_refused_without_saving() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let colleague = app.log_in_as("fallfuehrung.thal").await;
    let token = form_token_on(&colleague, "/personen/neu").await;
    assert_eq!(colleague.submit("/personen", &person_form_with("Erster", 2422, &token)).await.status(), 303);
    let refused = browser.submit("/personen", &person_form_with("Fremdtoken", 2581, &token)).await;
    assert_eq!(refused.status(), 422);
    assert!(visible_text(&refused.text().await.unwrap()).contains("Das Formular ist abgelaufen"));
    assert_eq!(persons_named(&app, "Fremdtoken").await, 0);
}

fn person_form_with(nachname: &str, bfs: u16, token: &str) -> Vec<(&'static str, String)> {
    let mut fields = person_form(nachname, bfs);
    fields.push(("form_token", token.to_owned()));
    fields
}

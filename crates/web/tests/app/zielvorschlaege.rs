//! The Hilfsplan from the Kurzassessment (issue 12) in the browser: saving the Kurzassessment again keeps the
//! earlier version readable, and the proposed goals are taken over (once, however often the form is sent),
//! adjusted in the prefilled goal form or discarded.

use crate::dossiers::{assessment_form, open_dossier_for};
use crate::support::{Browser, TestApp, visible_text};

/// The hidden fields of the proposal form posting to `action` (`uebernehmen` or `verwerfen`) for rule `regel`,
/// without the CSRF token (`submit` adds it).
fn proposal_form(html: &str, action: &str, regel: &str) -> Vec<(&'static str, String)> {
    let document = scraper::Html::parse_document(html);
    let forms = scraper::Selector::parse(&format!("form[action$=\"/zielvorschlaege/{action}\"]")).unwrap();
    let inputs = scraper::Selector::parse("input[type=hidden]").unwrap();
    for form in document.select(&forms) {
        let fields: Vec<(String, String)> = form
            .select(&inputs)
            .map(|i| (i.attr("name").unwrap().to_owned(), i.attr("value").unwrap_or_default().to_owned()))
            .collect();
        if fields.iter().any(|(name, value)| name == "regel" && value == regel) {
            let name = |n: &str| -> &'static str {
                match n {
                    "form_token" => "form_token",
                    "fassung" => "fassung",
                    _ => "regel",
                }
            };
            return fields.into_iter().filter(|(n, _)| n != "csrf_token").map(|(n, v)| (name(&n), v)).collect();
        }
    }
    panic!("no proposal form {action} for {regel}");
}

/// Opens a dossier and saves the Kurzassessment of `assessment_form` (arbeitsmarktlich, Sprachförderbedarf,
/// 4 school years, reads partly, work only abroad): it proposes German to A2, literacy and Modul 1/2.
async fn assessed(app: &TestApp) -> (Browser, String) {
    let dossier = open_dossier_for(app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let saved = browser.submit(&format!("{dossier}/kurzassessment"), &assessment_form()).await;
    assert_eq!(saved.status(), 303);
    (browser, dossier)
}

async fn goals_of(app: &TestApp, dossier: &str) -> Vec<String> {
    let id: i64 = dossier.trim_start_matches("/dossiers/").parse().unwrap();
    let owner = app.actor("fallfuehrung.olten").await;
    app.store.get_dossier(&owner, id).await.unwrap().ziele.into_iter().map(|goal| goal.ziel.ziel).collect()
}

#[tokio::test]
async fn saving_the_kurzassessment_twice_keeps_both_versions_and_the_earlier_answers_stay_readable() {
    let app = TestApp::spawn().await;
    let (browser, dossier) = assessed(&app).await;
    let page = browser.get(&dossier).await.text().await.unwrap();
    assert!(visible_text(&page).contains("Kurzassessment neu erfassen"), "{page}");
    let mut second = assessment_form();
    second[0].1 = "21.11.2026".to_owned();
    second[1].1 = "sozial".to_owned();

    assert_eq!(browser.submit(&format!("{dossier}/kurzassessment"), &second).await.status(), 303);

    let html = browser.get(&dossier).await.text().await.unwrap();
    let page = visible_text(&html);
    assert!(page.contains("Fassung 2, gespeichert am"), "{page}");
    assert!(page.contains("Richtung soziale Integration"), "the current answers: {page}");
    assert!(page.contains("Frühere Fassungen") && page.contains("Fassung 1 ansehen"), "{page}");
    assert!(page.contains("Nächste Standortbestimmung 20.11.2027"), "the clock of the first: {page}");
    let link = html.split("href=\"").find(|rest| rest.contains("/kurzassessment/")).unwrap();
    let link = link.split('"').next().unwrap();
    let earlier = visible_text(&browser.get(link).await.text().await.unwrap());
    assert!(earlier.contains("Kurzassessment vom 20.11.2026, Fassung 1 von 2"), "{earlier}");
    assert!(earlier.contains("Richtung arbeitsmarktliche Integration"), "{earlier}");
    assert!(earlier.contains("Eine frühere Fassung"), "{earlier}");

    let other = app.log_in_as("fallfuehrung.thal").await;
    assert_eq!(other.get(link).await.status(), 404, "another region does not see it");
}

#[tokio::test]
async fn a_proposal_taken_over_is_in_the_hilfsplan_once_however_often_the_form_is_sent() {
    let app = TestApp::spawn().await;
    let (browser, dossier) = assessed(&app).await;
    let html = browser.get(&dossier).await.text().await.unwrap();
    let page = visible_text(&html);
    assert!(page.contains("Vorschläge aus dem Kurzassessment"), "{page}");
    assert!(page.contains("Vorgeschlagen, weil: Sprachförderbedarf, Deutschniveau noch nicht erfasst"), "{page}");
    let accept = proposal_form(&html, "uebernehmen", "deutsch_a2");
    let action = format!("{dossier}/zielvorschlaege/uebernehmen");

    let first = browser.submit(&action, &accept).await;
    let again = browser.submit(&action, &accept).await;

    assert_eq!(first.headers()["location"], format!("{dossier}?hinweis=vorschlag_uebernommen").as_str());
    assert_eq!(again.headers()["location"], format!("{dossier}?hinweis=bereits_gespeichert").as_str());
    assert_eq!(goals_of(&app, &dossier).await, ["Deutsch auf Niveau A2"]);
    let html = browser.get(&dossier).await.text().await.unwrap();
    assert!(visible_text(&html).contains("Status Hilfsplan aktiv"), "{html}");
    assert!(!html.contains("value=\"deutsch_a2\""), "no longer proposed");

    let mut stale = proposal_form(&html, "uebernehmen", "alphabetisierung");
    stale.retain(|(name, _)| *name != "regel");
    stale.push(("regel", "deutsch_a2".to_owned()));
    let refused = browser.submit(&action, &stale).await;
    assert_eq!(refused.status(), 422, "a page older than the goal");
    assert!(visible_text(&refused.text().await.unwrap()).contains("Dieser Vorschlag ist nicht mehr offen"));
    assert_eq!(goals_of(&app, &dossier).await.len(), 1);
}

#[tokio::test]
async fn a_discarded_proposal_is_gone_and_in_the_timeline() {
    let app = TestApp::spawn().await;
    let (browser, dossier) = assessed(&app).await;
    let html = browser.get(&dossier).await.text().await.unwrap();
    let discard = proposal_form(&html, "verwerfen", "alphabetisierung");

    let discarded = browser.submit(&format!("{dossier}/zielvorschlaege/verwerfen"), &discard).await;

    assert_eq!(discarded.status(), 303);
    let html = browser.get(&format!("{dossier}?hinweis=vorschlag_verworfen")).await.text().await.unwrap();
    let page = visible_text(&html);
    assert!(page.contains("Der Vorschlag ist verworfen."), "{page}");
    assert!(!html.contains("value=\"alphabetisierung\""), "gone: {page}");
    assert!(html.contains("value=\"deutsch_a2\""), "the others stay");
    assert!(page.contains("Zielvorschlag verworfen"), "{page}");
    assert!(page.contains("Sprachförderung ab 16: Lesen und Schreiben lernen (Alphabetisierungskurs)"), "{page}");
    assert!(goals_of(&app, &dossier).await.is_empty());
}

#[tokio::test]
async fn adjusting_a_proposal_opens_the_goal_form_prefilled_and_saves_the_edited_goal() {
    let app = TestApp::spawn().await;
    let (browser, dossier) = assessed(&app).await;
    let html = browser.get(&dossier).await.text().await.unwrap();
    assert!(html.contains(&format!("href=\"{dossier}/ziele/neu?vorschlag=deutsch_a2\"")), "{html}");

    let form = browser.get(&format!("{dossier}/ziele/neu?vorschlag=deutsch_a2")).await.text().await.unwrap();

    assert!(form.contains("value=\"Deutsch auf Niveau A2\""), "{form}");
    assert!(form.contains("value=\"21.11.2027\""), "due in a year: {form}");
    assert!(form.contains("<option value=\"sprachfoerderung\" selected"), "{form}");
    assert!(form.contains("name=\"vorschlag\" value=\"deutsch_a2\""), "{form}");
    assert!(visible_text(&form).contains("Vorgeschlagen, weil: Sprachförderbedarf"), "{form}");
    let fassung = form.split("name=\"fassung\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let token = form.split("name=\"form_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let fields = [
        ("handlungsfeld", "sprachfoerderung".to_owned()),
        ("ziel", "Deutsch A2 im Abendkurs".to_owned()),
        ("kriterium", "Kursbericht A2".to_owned()),
        ("faellig_am", "30.06.2027".to_owned()),
        ("angebot", String::new()),
        ("vorschlag", "deutsch_a2".to_owned()),
        ("fassung", fassung),
        ("form_token", token),
    ];
    let saved = browser.submit(&format!("{dossier}/ziele"), &fields).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    assert_eq!(goals_of(&app, &dossier).await, ["Deutsch A2 im Abendkurs"]);
    let html = browser.get(&dossier).await.text().await.unwrap();
    assert!(!html.contains("value=\"deutsch_a2\""), "the edited goal is the proposal taken over");
}

//! The start page's agenda «Heute» under several clock dates: what is overdue (said in words), what waits and
//! what falls due within 30 days (the 30th day shown, the 31st not), with names and links, at most ten lines
//! with «Alle N anzeigen»; the Leitung's approvals, the Integrationsbeauftragte's Neuzuzüger and assessments,
//! the administrator's functions; and the log entry of the names shown.

use crate::start_integration::arrival_in_olten;
use crate::support::{PASSWORD, TestApp, visible_text};
use chrono::{Days, Months, NaiveDate};
use iim_domain::Role;
use iim_store::{AuditQuery, NewUser};
use iim_web::Settings;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn swiss(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

async fn app_on(today: NaiveDate) -> TestApp {
    TestApp::spawn_on(today, Settings { listen: "127.0.0.1:0".to_owned(), ..Settings::default() }, |_| {
        Box::pin(async {})
    })
    .await
}

/// Opens a dossier for `nachname` as `username` whose next Standortbestimmung falls on `due` (a Kurzassessment
/// twelve months earlier); returns the dossier's id.
pub(crate) async fn dossier_due_on(app: &TestApp, username: &str, nachname: &str, due: NaiveDate) -> i64 {
    let id = app.dossier_opened_by(username, nachname, 2581).await;
    let assessed = due.checked_sub_months(Months::new(12)).unwrap();
    assert_eq!(assessed.checked_add_months(Months::new(12)), Some(due), "the test's dates round-trip");
    let input = iim_domain::dossier::KurzassessmentInput {
        datum: swiss(assessed),
        richtung: "arbeitsmarktlich".to_owned(),
        sprachfoerderbedarf: "ja".to_owned(),
        schuljahre: "4".to_owned(),
        literalitaet: "teilweise".to_owned(),
        arbeitserfahrung: "ausland".to_owned(),
        potenzial: "mittel".to_owned(),
        dolmetschende: "ja".to_owned(),
        bemerkungen: String::new(),
    };
    let actor = app.actor(username).await;
    let today = app.store.clock().today();
    app.store.record_kurzassessment(&actor, id, input.parse(today).unwrap()).await.unwrap();
    id
}

/// The agenda's text from `name` on, 160 characters (panics if the name is not there).
fn line_of(text: &str, name: &str) -> String {
    let start = text.find(name).unwrap_or_else(|| panic!("{name} is on the start page: {text}"));
    text[start..].chars().take(160).collect()
}

#[tokio::test]
async fn the_case_workers_agenda_shows_the_overdue_first_then_what_is_due_within_30_days_on_any_date() {
    for today in [day(2026, 11, 21), day(2027, 2, 27), day(2027, 12, 31)] {
        let app = app_on(today).await;
        let overdue = dossier_due_on(&app, "fallfuehrung.olten", "Aebi", today - Days::new(10)).await;
        let due_day_30 = dossier_due_on(&app, "fallfuehrung.olten", "Berisha", today + Days::new(30)).await;
        dossier_due_on(&app, "fallfuehrung.olten", "Conti", today + Days::new(31)).await;
        dossier_due_on(&app, "kollegin.olten", "Dreher", today - Days::new(40)).await;

        let browser = app.log_in_as("fallfuehrung.olten").await;
        let html = browser.get("/").await.text().await.unwrap();
        let text = visible_text(&html);
        assert!(text.contains("Heute") && text.contains("Fallführung"), "{today}: {text}");
        let aebi = line_of(&text, "Aebi, Selam");
        assert!(aebi.contains(&format!("überfällig seit {}", swiss(today - Days::new(10)))), "{today}: {aebi}");
        let berisha = line_of(&text, "Berisha, Selam");
        assert!(berisha.contains(&format!("fällig am {}", swiss(today + Days::new(30)))), "{today}: {berisha}");
        assert!(!text.contains("Conti"), "{today}: due on day 31 is not shown: {text}");
        assert!(!text.contains("Dreher"), "{today}: a colleague's dossier is not mine: {text}");
        assert!(text.find("Aebi").unwrap() < text.find("Berisha").unwrap(), "overdue first");
        assert!(html.contains(&format!("href=\"/dossiers/{overdue}\"")), "{today}: the line links the dossier");
        assert!(html.contains(&format!("href=\"/dossiers/{due_day_30}\"")));
        assert!(html.contains("class=\"overdue\""), "overdue lines are marked, in words and by class");
        assert!(!text.contains("Alle 2 anzeigen"), "all lines are shown, no link to more");

        let worklist = visible_text(&browser.get("/pendenzen").await.text().await.unwrap());
        let soon = &worklist[worklist.find("In den nächsten 30 Tagen fällige").unwrap()..];
        assert!(soon.contains("Berisha, Selam") && !soon.contains("Conti"), "{today}: {worklist}");

        let logged = app
            .audit_entries(AuditQuery { username: Some("fallfuehrung.olten".to_owned()), ..Default::default() })
            .await;
        let entry = logged
            .iter()
            .find(|e| e.detail.as_deref().is_some_and(|d| d.starts_with("Startseite Fallführung")))
            .expect("the names on the start page are logged");
        let detail = entry.detail.as_deref().unwrap();
        assert!(detail.contains(&overdue.to_string()) && detail.contains(&due_day_30.to_string()), "{detail}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_section_shows_ten_lines_and_links_to_all_of_them() {
    let app = app_on(day(2027, 3, 15)).await;
    for (n, letter) in ('A'..='L').enumerate() {
        let due = day(2027, 3, 1) - Days::new(n as u64);
        dossier_due_on(&app, "fallfuehrung.olten", &format!("Muster{letter}"), due).await;
    }
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let html = browser.get("/").await.text().await.unwrap();
    let text = visible_text(&html);
    assert_eq!(text.matches("überfällig seit").count(), 10, "{text}");
    assert!(text.contains("MusterL") && !text.contains("MusterB") && !text.contains("MusterA"), "oldest first: {text}");
    assert!(text.contains("Alle 12 anzeigen"), "{text}");
    assert!(html.contains("<a href=\"/pendenzen\">Alle 12 anzeigen"), "{html}");
}

#[tokio::test]
async fn an_empty_agenda_says_so_in_plain_words() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let text = visible_text(&browser.get("/").await.text().await.unwrap());
    assert!(text.contains("Nichts ist überfällig, nichts wartet auf Sie"), "{text}");
}

#[tokio::test]
async fn the_leitung_sees_the_closings_waiting_for_its_approval() {
    for today in [day(2026, 11, 21), day(2027, 6, 30), day(2028, 2, 29)] {
        let app = app_on(today).await;
        app.store.operator().set_closing_approval("sr-olten", true).await.unwrap();
        let id = app.dossier_opened_by("fallfuehrung.olten", "Gashi", 2581).await;
        let case_worker = app.log_in_as("fallfuehrung.olten").await;
        let closing = [("grund", "nachhaltig_integriert".to_owned()), ("bemerkung", String::new())];
        assert_eq!(case_worker.submit(&format!("/dossiers/{id}/abschliessen"), &closing).await.status(), 303);

        let leitung = app.log_in_as("leitung.olten").await;
        let html = leitung.get("/").await.text().await.unwrap();
        let text = visible_text(&html);
        let section = &text[text.find("Zu genehmigen").expect("the Leitung's section")..];
        let line = line_of(section, "Gashi, Selam");
        assert!(line.contains(&format!("Abschluss zur Genehmigung, wartet seit {}", swiss(today))), "{line}");
        assert!(html.contains(&format!("href=\"/dossiers/{id}\"")));
        assert!(!text.contains("Nichts ist überfällig"), "the Leitung has no case worker's section: {text}");
        app.stop().await;
    }
}

/// Takes a child born on `geburt` into the frühe Sprachförderung of Olten; returns its id.
async fn child_taken_in(app: &TestApp, nachname: &str, geburt: &str) -> i64 {
    let input = iim_domain::PersonInput {
        geburtsdatum: geburt.to_owned(),
        einreisedatum: String::new(),
        aufenthaltsstatus: "B".to_owned(),
        ..crate::support::person_input(nachname, 2581)
    };
    let today = app.store.clock().today();
    let actor = app.actor("ib.olten").await;
    app.store.neues_kind_aufnehmen(&actor, input.parse(today).unwrap()).await.unwrap().id
}

#[tokio::test]
async fn the_integration_officer_sees_newcomers_to_invite_and_assessments_due_by_the_30_day_rule() {
    // A child born 15.03.2024 is to be assessed on 01.02.2027: 31 days ahead, 30 days ahead, a day overdue.
    let cases = [
        (day(2027, 1, 1), None),
        (day(2027, 1, 2), Some("fällig am 01.02.2027")),
        (day(2027, 2, 2), Some("überfällig seit 01.02.2027")),
    ];
    for (today, expected) in cases {
        let app = app_on(today).await;
        let neuzuzueger = arrival_in_olten(&app, false).await;
        let kind = child_taken_in(&app, "Haile", "15.03.2024").await;
        child_taken_in(&app, "Isaak", "15.09.2024").await;

        let officer = app.log_in_as("ib.olten").await;
        let html = officer.get("/").await.text().await.unwrap();
        let text = visible_text(&html);
        let invite = line_of(&text, "Tesfamariam-Čelik, Selam Ñaomi");
        assert!(invite.contains("wartet seit 02.11.2026"), "{today}: {invite}");
        assert!(html.contains(&format!("href=\"{neuzuzueger}\"")), "{today}: the line links the Neuzuzüger");
        match expected {
            Some(wann) => {
                let line = line_of(&text, "Haile, Selam");
                assert!(line.contains(&format!("Abklärung der Deutschkenntnisse, {wann}")), "{today}: {line}");
                assert!(html.contains(&format!("href=\"/fruehfoerderung/{kind}\"")));
            }
            None => {
                assert!(!text.contains("Haile"), "{today}: due on day 31 is not shown: {text}");
                assert!(text.contains("Keine Abklärung ist überfällig oder in den nächsten 30 Tagen fällig."));
            }
        }
        assert!(!text.contains("Isaak"), "{today}: an assessment a year ahead is not shown");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_administrators_start_page_lists_its_functions() {
    let app = TestApp::spawn().await;
    app.store
        .operator()
        .create_user(NewUser {
            username: "admin.kanton".to_owned(),
            display_name: "Test Admin".to_owned(),
            organisation_code: "aso".to_owned(),
            roles: vec![Role::Admin],
            password: Some(PASSWORD.to_owned()),
        })
        .await
        .unwrap();
    let admin = app.log_in_as("admin.kanton").await;
    let html = admin.get("/").await.text().await.unwrap();
    let text = visible_text(&html);
    assert!(!text.contains("keine weiteren Funktionen") && !text.contains("keine Funktionen"), "{text}");
    for href in ["/register-import", "/fallliste-import", "/gemeinden", "/konto/api-tokens"] {
        assert!(html.contains(&format!("<h3><a href=\"{href}\">")), "{href} as a card on the start page: {html}");
    }
    assert!(text.contains("API-Tokens aller Benutzerinnen und Benutzer"), "{text}");
    assert!(!text.contains("Heute"), "no agenda without casework: {text}");
}

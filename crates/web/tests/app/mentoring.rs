//! Mentoring-Pools over HTTP: the public sign-up works without login, ignores bots and limits floods, and
//! shows nobody's data; the coordinator vets, matches and follows a tandem; referrers and other pools are
//! refused.

use crate::support::{Browser, PASSWORD, TestApp, csrf_token_in, visible_text};
use iim_domain::Role;
use iim_domain::person::Choice;
use iim_store::{MentorQuery, NewUser};

async fn add_coordinator(app: &TestApp, username: &str, region: &str) {
    app.store
        .operator()
        .create_user(NewUser {
            username: username.to_owned(),
            display_name: format!("Test {username}"),
            organisation_code: region.to_owned(),
            roles: vec![Role::Koordination],
            password: Some(PASSWORD.to_owned()),
        })
        .await
        .unwrap();
}

pub(crate) fn sign_up_fields(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_owned()),
        ("email", "freiwillig@example.ch".to_owned()),
        ("telefon", String::new()),
        ("gemeinde", "2581".to_owned()),
        ("sprachen", "de".to_owned()),
        ("sprachen", "ti".to_owned()),
        ("verfuegbarkeit", "Mittwochabend".to_owned()),
        ("interessen", "sport".to_owned()),
        ("interessen_text", String::new()),
        ("einwilligung", "ja".to_owned()),
        ("website", String::new()),
    ]
}

/// Opens the public page in a fresh browser (no login) and returns it with the form's token.
pub(crate) async fn public_visitor(app: &TestApp) -> Browser {
    let mut browser = app.browser();
    let page = browser.get("/mentoring").await;
    assert_eq!(page.status(), 200);
    browser.csrf_token = csrf_token_in(&page.text().await.unwrap()).expect("the public form carries a token");
    browser
}

async fn mentors_in_olten(app: &TestApp) -> u64 {
    add_coordinator(app, "pruefung.olten", "sr-olten").await;
    let coordinator = app.actor("pruefung.olten").await;
    app.store
        .list_mentoren(&coordinator, &MentorQuery { page: 1, per_page: 50, ..MentorQuery::default() })
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_volunteer_signs_up_without_login_and_gets_a_thank_you_page() {
    let app = TestApp::spawn().await;
    let visitor = public_visitor(&app).await;
    let page = visible_text(&visitor.get("/mentoring").await.text().await.unwrap());
    assert!(page.contains("Ich kann meine Einwilligung jederzeit bei der Koordination widerrufen"), "consent in full");
    let response = visitor.submit("/mentoring/anmeldung", &sign_up_fields("Vreni Muster")).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/mentoring/danke");
    let thanks = visitor.get("/mentoring/danke").await;
    assert_eq!(thanks.status(), 200);
    assert!(visible_text(&thanks.text().await.unwrap()).contains("Danke für Ihre Anmeldung"));
    assert_eq!(mentors_in_olten(&app).await, 1);
}

#[tokio::test]
async fn a_sign_up_without_consent_shows_the_errors_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let visitor = public_visitor(&app).await;
    let mut fields = sign_up_fields("Vreni Muster");
    fields.retain(|(name, _)| *name != "einwilligung" && *name != "sprachen");
    let response = visitor.submit("/mentoring/anmeldung", &fields).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("href=\"#einwilligung\""), "error summary links to the field");
    assert!(page.contains("Ohne Ihre Einwilligung können wir die Anmeldung nicht speichern."));
    assert!(page.contains("Bitte mindestens eine Sprache wählen."));
    assert_eq!(mentors_in_olten(&app).await, 0);
}

#[tokio::test]
async fn a_filled_honeypot_gets_the_thank_you_page_but_stores_nothing() {
    let app = TestApp::spawn().await;
    let visitor = public_visitor(&app).await;
    let form = visitor.get("/mentoring").await.text().await.unwrap();
    assert!(form.contains("tabindex=\"-1\" autocomplete=\"off\""), "the honeypot is out of the tab order");
    assert!(form.contains("class=\"hp-field\" aria-hidden=\"true\""));
    let mut fields = sign_up_fields("Bot Spam");
    fields.retain(|(name, _)| *name != "website");
    fields.push(("website", "https://spam.example".to_owned()));
    let response = visitor.submit("/mentoring/anmeldung", &fields).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/mentoring/danke");
    assert_eq!(mentors_in_olten(&app).await, 0);
}

#[tokio::test]
async fn too_many_sign_ups_from_one_address_get_a_clear_429() {
    let app = TestApp::spawn().await;
    let visitor = public_visitor(&app).await;
    for n in 0..iim_store::MAX_ANMELDUNGEN_PRO_STUNDE {
        let response = visitor.submit("/mentoring/anmeldung", &sign_up_fields(&format!("Person {n}"))).await;
        assert_eq!(response.status(), 303);
    }
    let refused = visitor.submit("/mentoring/anmeldung", &sign_up_fields("Zu Viel")).await;
    assert_eq!(refused.status(), 429);
    let text = visible_text(&refused.text().await.unwrap());
    assert!(text.contains("Bitte versuchen Sie es in einer Stunde nochmals"), "{text}");
    assert_eq!(mentors_in_olten(&app).await, u64::try_from(iim_store::MAX_ANMELDUNGEN_PRO_STUNDE).unwrap());
}

#[tokio::test]
async fn a_sign_up_without_the_form_token_is_refused() {
    let app = TestApp::spawn().await;
    let stranger = app.browser();
    let mut fields = sign_up_fields("Vreni Muster");
    fields.push(("csrf_token", "erfunden".to_owned()));
    let response = stranger.submit_raw("/mentoring/anmeldung", &fields).await;
    assert_eq!(response.status(), 403);
    assert_eq!(mentors_in_olten(&app).await, 0);
}

#[tokio::test]
async fn coordinator_vets_matches_and_follows_a_tandem_while_public_pages_show_no_names() {
    let app = TestApp::spawn().await;
    add_coordinator(&app, "koordination.olten", "sr-olten").await;
    let visitor = public_visitor(&app).await;
    visitor.submit("/mentoring/anmeldung", &sign_up_fields("Vreni Muster")).await;
    let coordinator = app.log_in_as("koordination.olten").await;
    let pool = coordinator.get("/mentoring/pool").await.text().await.unwrap();
    assert!(pool.contains("Vreni Muster") && pool.contains("aria-current=\"page\">Mentoring</a>"));
    let mentor_id = pool.split("/mentoring/mentoren/").nth(1).unwrap().split('"').next().unwrap().to_owned();

    let too_early = [("status", "geeignet".to_owned()), ("gespraech_am", String::new()), ("notizen", String::new())];
    let response = coordinator.submit(&format!("/mentoring/mentoren/{mentor_id}"), &too_early).await;
    assert_eq!(response.status(), 422);
    let vetting =
        [("status", "geeignet".to_owned()), ("gespraech_am", "19.11.2026".to_owned()), ("notizen", "Gut.".to_owned())];
    let response = coordinator.submit(&format!("/mentoring/mentoren/{mentor_id}"), &vetting).await;
    assert_eq!(response.status(), 303);

    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Tesfay", 2581).await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    let dossier_page = case_worker.get(&format!("/dossiers/{dossier}")).await.text().await.unwrap();
    assert!(dossier_page.contains(&format!("/mentoring/zuweisung?dossier={dossier}")));
    let form = case_worker.get(&format!("/mentoring/zuweisung?dossier={dossier}")).await.text().await.unwrap();
    assert!(form.contains("value=\"Selam Tesfay\""), "prefilled from the dossier");
    let referral = [
        ("name", "Selam Tesfay".to_owned()),
        ("gemeinde", "2581".to_owned()),
        ("sprachen", "ti".to_owned()),
        ("interessen", "sport".to_owned()),
        ("kontakt", "über die Fallführung".to_owned()),
        ("einwilligung", "ja".to_owned()),
        ("einwilligung_am", "20.11.2026".to_owned()),
        ("herkunft", format!("dossier:{dossier}")),
    ];
    let response = case_worker.submit("/mentoring/zuweisung", &referral).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/dossiers/{dossier}?hinweis=mentoring").as_str());

    let pool = coordinator.get("/mentoring/pool").await.text().await.unwrap();
    let mentee_id = pool.split("/mentoring/mentees/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let mentee_page =
        visible_text(&coordinator.get(&format!("/mentoring/mentees/{mentee_id}")).await.text().await.unwrap());
    assert!(
        mentee_page.contains("gemeinsame Sprachen: Tigrinya; gemeinsame Interessen: Sport; wohnt ebenfalls in Olten")
    );
    let response =
        coordinator.submit(&format!("/mentoring/mentees/{mentee_id}/tandem"), &[("mentor", mentor_id.clone())]).await;
    assert_eq!(response.status(), 303);
    let tandem_url = response.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let start = [("status", "aktiv".to_owned()), ("datum", "20.11.2026".to_owned())];
    assert_eq!(coordinator.submit(&format!("{tandem_url}/status"), &start).await.status(), 303);
    let checkin = [("checkin_datum", "21.11.2026".to_owned()), ("notiz", "Erstes Treffen im Café.".to_owned())];
    assert_eq!(coordinator.submit(&format!("{tandem_url}/checkins"), &checkin).await.status(), 303);
    let bad_checkin = [("checkin_datum", "22.11.2026".to_owned()), ("notiz", "Zukunft".to_owned())];
    let refused = coordinator.submit(&format!("{tandem_url}/checkins"), &bad_checkin).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("href=\"#checkin_datum\""));
    let tandem = visible_text(&coordinator.get(&tandem_url).await.text().await.unwrap());
    assert!(tandem.contains("Erstes Treffen im Café.") && tandem.contains("Status aktiv"), "{tandem}");
    let pool = visible_text(&coordinator.get("/mentoring/pool").await.text().await.unwrap());
    assert!(pool.contains("Aktive Tandems 1"), "{pool}");

    for path in ["/mentoring", "/mentoring/danke"] {
        let page = app.browser().get(path).await.text().await.unwrap();
        assert!(!page.contains("Vreni") && !page.contains("Tesfay"), "{path} shows no names");
    }
}

#[tokio::test]
async fn referrers_and_other_pools_are_refused_and_the_refusal_is_logged() {
    let app = TestApp::spawn().await;
    add_coordinator(&app, "koordination.thal", "sr-thal").await;
    let visitor = public_visitor(&app).await;
    visitor.submit("/mentoring/anmeldung", &sign_up_fields("Vreni Muster")).await;
    let mentor = {
        add_coordinator(&app, "koordination.olten", "sr-olten").await;
        let olten = app.actor("koordination.olten").await;
        let query = MentorQuery { page: 1, per_page: 10, ..MentorQuery::default() };
        app.store.list_mentoren(&olten, &query).await.unwrap().items[0].id
    };
    let thal = app.log_in_as("koordination.thal").await;
    assert_eq!(thal.get(&format!("/mentoring/mentoren/{mentor}")).await.status(), 404);
    let vetting = [
        ("status", "nicht_geeignet".to_owned()),
        ("gespraech_am", "19.11.2026".to_owned()),
        ("notizen", String::new()),
    ];
    assert_eq!(thal.submit(&format!("/mentoring/mentoren/{mentor}"), &vetting).await.status(), 404);
    assert!(!thal.get("/mentoring/pool").await.text().await.unwrap().contains("Vreni"));

    let officer = app.log_in_as("ib.olten").await;
    assert_eq!(officer.get("/mentoring/pool").await.status(), 403);
    assert_eq!(officer.get(&format!("/mentoring/mentoren/{mentor}")).await.status(), 404);
    let start = officer.get("/").await.text().await.unwrap();
    assert!(!start.contains("href=\"/mentoring/pool\""), "no navigation entry without the role");
    assert_eq!(app.browser().get("/mentoring/pool").await.status(), 303, "login required");

    let olten = app.actor("koordination.olten").await;
    assert_eq!(app.store.get_mentor(&olten, mentor).await.unwrap().status.label(), "neu", "nothing changed");
    let log = app
        .audit_entries(iim_store::AuditQuery { resource: Some(iim_domain::Resource::Mentoring), ..Default::default() })
        .await;
    assert!(log.iter().any(|e| e.outcome == "verweigert" && e.actor_username == "koordination.thal"));
    assert!(log.iter().any(|e| e.outcome == "verweigert" && e.actor_username == "ib.olten"));
}

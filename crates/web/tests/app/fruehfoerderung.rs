//! Frühe Sprachförderung and Kennzahlen through HTTP: taking in a child, the section forms with their
//! messages, the list of due assessments, who reaches which child (404 for another Gemeinde, 403 for roles
//! without access), and the figures page and its exports without personal data.

use crate::support::{Browser, PASSWORD, TestApp, visible_text};
use calamine::{Data, Reader, Xlsx};
use iim_domain::Role;
use iim_domain::fruehfoerderung::Eingabe;
use iim_store::{AuditQuery, NewUser};

/// Adds an Integrationsbeauftragte of Gemeinde `bfs` with user name `username`.
pub async fn integration_officer(app: &TestApp, username: &str, bfs: u16) {
    app.store
        .operator()
        .create_user(NewUser {
            username: username.to_owned(),
            display_name: format!("Test {username}"),
            organisation_code: format!("gde-{bfs}"),
            roles: vec![Role::Integrationsbeauftragte],
            password: Some(PASSWORD.to_owned()),
        })
        .await
        .unwrap();
}

fn child(nachname: &str, geburt: &str, bfs: u16) -> Vec<(&'static str, String)> {
    vec![
        ("nachname", nachname.to_owned()),
        ("vornamen", "Lina".to_owned()),
        ("geschlecht", "weiblich".to_owned()),
        ("geburtsdatum", geburt.to_owned()),
        ("nationalitaet", "ER".to_owned()),
        ("aufenthaltsstatus", "B".to_owned()),
        ("ahv_nummer", String::new()),
        ("sprachen", "ti".to_owned()),
        ("wohngemeinde_bfs", bfs.to_string()),
    ]
}

/// Takes a child in through the form and returns the path of its page.
pub(crate) async fn taken_in(browser: &Browser, nachname: &str, geburt: &str, bfs: u16) -> String {
    let response = browser.submit("/fruehfoerderung", &child(nachname, geburt, bfs)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.ends_with("?hinweis=kind_aufgenommen"), "{location}");
    location.split('?').next().unwrap().to_owned()
}

async fn text_of(browser: &Browser, path: &str) -> String {
    visible_text(&browser.get(path).await.text().await.unwrap())
}

#[tokio::test]
async fn an_integration_officer_takes_in_a_child_and_records_its_track_with_messages_at_the_fields() {
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    assert!(text_of(&ib, "/fruehfoerderung").await.contains("Keine offenen Begleitungen"));
    assert_eq!(ib.get("/fruehfoerderung/neu").await.status(), 200);

    let refused = ib.submit("/fruehfoerderung", &child("", "15.03.2030", 2581)).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let text = visible_text(&html);
    assert!(text.contains("Bitte ausfüllen.") && text.contains("Das Datum liegt in der Zukunft."), "{text}");
    assert!(html.contains("value=\"15.03.2030\""), "the input is kept");

    let kind = taken_in(&ib, "Berhe", "15.03.2024", 2581).await;
    let page = text_of(&ib, &kind).await;
    assert!(page.contains("Kindergarteneintritt 01.08.2028"), "{page}");
    assert!(page.contains("01.02.2027 – fällig in den nächsten 3 Monaten"), "{page}");
    assert!(text_of(&ib, "/fruehfoerderung?filter=faellig").await.contains("Berhe, Lina"));
    assert!(!text_of(&ib, "/fruehfoerderung?filter=ueberfaellig").await.contains("Berhe, Lina"));

    let form = ib.get(&format!("{kind}/familiensprache")).await.text().await.unwrap();
    assert!(form.contains("value=\"ti\" checked"), "the child's languages are offered: {form}");
    let none = ib.submit(&format!("{kind}/familiensprache"), &[]).await;
    assert_eq!(none.status(), 422);
    assert!(visible_text(&none.text().await.unwrap()).contains("Bitte mindestens eine Sprache wählen"));
    let saved = ib
        .submit(&format!("{kind}/familiensprache"), &[("sprachen", "ti".to_owned()), ("sprachen", "ar".to_owned())])
        .await;
    assert_eq!(saved.status(), 303);

    let future = [("datum", "22.11.2026".to_owned()), ("art", "telefon".to_owned()), ("notiz", String::new())];
    let refused = ib.submit(&format!("{kind}/kontakt"), &future).await;
    assert_eq!(refused.status(), 422);
    assert!(visible_text(&refused.text().await.unwrap()).contains("Das Datum liegt in der Zukunft."));
    let contact = [
        ("datum", "01.06.2024".to_owned()),
        ("art", "elternberatung".to_owned()),
        ("notiz", "Spielgruppen-Flyer".to_owned()),
    ];
    assert_eq!(ib.submit(&format!("{kind}/kontakt"), &contact).await.status(), 303);
    let entry = [("stand", "ja".to_owned()), ("jahr", "2028".to_owned())];
    let refused = ib.submit(&format!("{kind}/eintritt"), &entry).await;
    assert_eq!(refused.status(), 422);
    assert!(visible_text(&refused.text().await.unwrap()).contains("erst ab dem Eintritt erfassen (ab 01.08.2028)"));
    let assessment =
        [("datum", "20.11.2026".to_owned()), ("ergebnis", "foerderbedarf".to_owned()), ("bemerkung", String::new())];
    assert_eq!(ib.submit(&format!("{kind}/abklaerung"), &assessment).await.status(), 303);
    assert_eq!(ib.submit_raw(&format!("{kind}/abklaerung"), &assessment).await.status(), 403, "CSRF guard");

    let page = text_of(&ib, &format!("{kind}?hinweis=gespeichert")).await;
    assert!(page.contains("Die Änderungen sind gespeichert."), "{page}");
    assert!(page.contains("Tigrinya, Arabisch") && page.contains("Spielgruppen-Flyer"), "{page}");
    assert!(page.contains("Förderbedarf in Deutsch"), "{page}");
    assert!(!text_of(&ib, "/fruehfoerderung?filter=faellig").await.contains("Berhe, Lina"), "assessed");
    assert_eq!(ib.get(&format!("{kind}/unbekannt")).await.status(), 404);
}

#[tokio::test]
async fn a_person_of_the_register_is_taken_in_by_number_only_if_young_enough() {
    let app = TestApp::spawn().await;
    let adult = app.person_registered_by("ib.olten", "Erwachsene", 2581).await;
    let ib = app.log_in_as("ib.olten").await;
    let refused = ib.submit("/fruehfoerderung/aufnehmen", &[("person_id", adult.to_string())]).await;
    assert_eq!(refused.status(), 422);
    let text = visible_text(&refused.text().await.unwrap());
    assert!(text.contains("im Kindergartenalter"), "{text}");
    let not_a_number = ib.submit("/fruehfoerderung/aufnehmen", &[("person_id", "abc".to_owned())]).await;
    assert!(visible_text(&not_a_number.text().await.unwrap()).contains("Bitte die Personen-Nr."));

    let actor = app.actor("ib.olten").await;
    let data = crate::support::person_input("Kind", 2581);
    let data = iim_domain::PersonInput { geburtsdatum: "2025".to_owned(), einreisedatum: String::new(), ..data }
        .parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap())
        .unwrap();
    let person = app.store.create_person(&actor, data).await.unwrap();
    let taken = ib.submit("/fruehfoerderung/aufnehmen", &[("person_id", person.id.to_string())]).await;
    assert_eq!(taken.status(), 303);
    let page = text_of(&ib, taken.headers()["location"].to_str().unwrap()).await;
    assert!(page.contains("Das Kind ist in die frühe Sprachförderung aufgenommen."), "{page}");
    assert!(page.contains("(vorläufig: das Geburtsdatum ist unvollständig"), "a year only: {page}");
}

#[tokio::test]
async fn another_gemeinde_gets_404_on_every_route_the_kanton_403_on_the_list_and_the_leitgemeinde_reaches_its_members()
{
    let app = TestApp::spawn().await;
    let ib = app.log_in_as("ib.olten").await;
    let kind = taken_in(&ib, "Berhe", "15.03.2024", 2581).await;
    integration_officer(&app, "ib.balsthal", 2422).await;
    let other = app.log_in_as("ib.balsthal").await;
    let sections =
        ["familiensprache", "geburtskontakt", "kontakt", "abklaerung", "empfehlung", "teilnahme", "eintritt"];
    assert_eq!(other.get(&kind).await.status(), 404);
    for section in sections {
        let path = format!("{kind}/{section}");
        assert_eq!(other.get(&path).await.status(), 404, "GET {path}");
        let body = [("sprachen", "de".to_owned()), ("datum", "01.06.2024".to_owned()), ("art", "brief".to_owned())];
        assert_eq!(other.submit(&path, &body).await.status(), 404, "POST {path}");
    }
    assert!(!text_of(&other, "/fruehfoerderung?filter=alle").await.contains("Berhe"));
    let id = kind.rsplit('/').next().unwrap().to_owned();
    let query =
        AuditQuery { resource: Some(iim_domain::Resource::Fruehfoerderung), record_id: Some(id), ..Default::default() };
    let refused = app
        .audit_entries(query)
        .await
        .into_iter()
        .filter(|e| e.actor_username == "ib.balsthal" && e.outcome == "verweigert")
        .count();
    assert_eq!(refused, 1 + 2 * sections.len(), "every attempt is logged");

    let kanton = app.log_in_as("kanton.aso").await;
    assert_eq!(kanton.get("/fruehfoerderung").await.status(), 403);
    assert_eq!(kanton.get(&kind).await.status(), 404);
    assert_eq!(kanton.get("/fruehfoerderung/neu").await.status(), 403);
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get(&kind).await.status(), 404);
    assert!(!text_of(&case_worker, "/").await.contains("Frühe Sprachförderung"), "no menu entry");

    integration_officer(&app, "ib.welschenrohr", 2430).await;
    let leitgemeinde = app.log_in_as("ib.welschenrohr").await;
    let member_child = taken_in(&leitgemeinde, "Tesfay", "15.03.2025", 2424).await;
    assert!(text_of(&leitgemeinde, &member_child).await.contains("Herbetswil"));
    assert_eq!(other.get(&member_child).await.status(), 404);
    let list = text_of(&leitgemeinde, "/fruehfoerderung?gemeinde=2424").await;
    assert!(list.contains("Tesfay, Lina"), "{list}");
}

/// Five Olten children who entered the Kindergarten in August 2026; four can communicate in German.
async fn entries_recorded(app: &TestApp) {
    let actor = app.actor("ib.olten").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    for (n, stand) in ["ja", "ja", "teilweise", "ja", "ja"].into_iter().enumerate() {
        let data = iim_domain::PersonInput {
            geburtsdatum: "15.03.2022".to_owned(),
            einreisedatum: String::new(),
            ..crate::support::person_input(&format!("Kind{n}"), 2581)
        }
        .parse(today)
        .unwrap();
        let kind = app.store.neues_kind_aufnehmen(&actor, data).await.unwrap();
        let eintritt = Eingabe::Eintritt { stand: stand.to_owned(), jahr: "2026".to_owned() };
        app.store.fruehfoerderung_aendern(&actor, kind.id, &eintritt).await.unwrap();
    }
}

#[tokio::test]
async fn the_kanton_reads_the_figures_against_the_goal_without_personal_data() {
    let app = TestApp::spawn().await;
    let kanton = app.log_in_as("kanton.aso").await;
    assert!(text_of(&kanton, "/kennzahlen").await.contains("Noch keine Kinder mit erfasstem Stand"));
    entries_recorded(&app).await;

    let page = text_of(&kanton, "/kennzahlen").await;
    assert!(page.contains("2026 Olten 5 4 80.0 % ✓ erreicht"), "{page}");
    assert!(!page.contains("Kind0") && !page.contains("Selam"), "no names on the figures page");
    let ib = app.log_in_as("ib.olten").await;
    assert!(text_of(&ib, "/kennzahlen").await.contains("2026 Olten 5 4 80.0 % ✓ erreicht"));
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get("/kennzahlen").await.status(), 403);

    let csv = kanton.get("/kennzahlen/export.csv").await;
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=\"kennzahlen-fruehe-sprachfoerderung-2026-11-21.csv\""
    );
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("Eintrittsjahr;Gemeinde;BFS-Nr."), "{csv}");
    assert_eq!(lines[1], "2026;Olten;2581;5;4;800;ja");
    let xlsx = kanton.get("/kennzahlen/export.xlsx").await.bytes().await.unwrap();
    let mut workbook = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let rows: Vec<Vec<Data>> = workbook.worksheet_range("Kennzahlen").unwrap().rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[1][1].to_string(), "Olten");
    assert_eq!(rows[1][3], Data::Float(5.0));
}

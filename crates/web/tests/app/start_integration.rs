//! Through HTTP: a Neuzuzüger from a register delivery followed by the Integrationsbeauftragte through
//! invitation, conversation and recommendation, the hand-over to the Migrationsamt and its decision, and the
//! decision on a possible duplicate; each page refused to those who do not need it.

use crate::support::{TestApp, visible_text};
use iim_ech::read_delivery;

/// Imports the fixture's arrival from abroad into Olten and returns the Neuzuzüger's page path.
pub(crate) async fn arrival_in_olten(app: &TestApp, without_ahv: bool) -> String {
    let path = format!("{}/../ech/tests/fixtures/move-in-from-abroad.xml", env!("CARGO_MANIFEST_DIR"));
    let mut xml = std::fs::read_to_string(path).unwrap();
    if without_ahv {
        xml = xml.replace("<e44:vn>7561234567897</e44:vn>", "");
    }
    let delivery = read_delivery(xml.as_bytes()).unwrap();
    app.store
        .import_register_delivery(
            &app.store.operator().operator_actor("ib.olten").await.unwrap(),
            "zuzug.xml",
            delivery,
        )
        .await
        .unwrap();
    let officer = app.log_in_as("ib.olten").await;
    let list = officer.get("/neuzuzueger").await.text().await.unwrap();
    let start = list.find("href=\"/neuzuzueger/").expect("neuzuzueger listed") + "href=\"".len();
    list[start..].split('"').next().unwrap().to_owned()
}

pub(crate) fn conversation(date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("gefuehrt_am", date.to_owned()),
        ("sprache", "ti".to_owned()),
        ("dolmetscher", "ja".to_owned()),
        ("themen", "sprache".to_owned()),
        ("themen", "wohnen".to_owned()),
        ("empfehlung_art_1", "deutschkurs".to_owned()),
        ("empfehlung_text_1", "Deutsch A1 am Abend, Volkshochschule Olten".to_owned()),
        ("empfehlung_art_2", String::new()),
        ("empfehlung_text_2", "Mütter- und Väterberatung".to_owned()),
        ("nachfassen_am", "20.02.2027".to_owned()),
    ]
}

#[tokio::test]
async fn a_neuzuzueger_is_followed_through_invitation_conversation_and_recommendation() {
    let app = TestApp::spawn().await;
    let neuzuzueger = arrival_in_olten(&app, false).await;
    let officer = app.log_in_as("ib.olten").await;
    let list = visible_text(&officer.get("/neuzuzueger").await.text().await.unwrap());
    assert!(list.contains("Tesfamariam-Čelik, Selam Ñaomi") && list.contains("einzuladen"), "{list}");
    let home = visible_text(&officer.get("/").await.text().await.unwrap());
    assert!(home.contains("Tesfamariam-Čelik, Selam Ñaomi : Einladung zum Erstinformationsgespräch"), "{home}");

    let invited = officer
        .submit(
            &format!("{neuzuzueger}/status"),
            &[("status", "eingeladen".to_owned()), ("datum", "16.11.2026".to_owned())],
        )
        .await;
    assert_eq!(invited.status(), 303);

    let refused = officer.submit(&format!("{neuzuzueger}/gespraech"), &conversation("01.01.2026")).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let page = visible_text(&html);
    assert!(page.contains("Das Gespräch kann nicht vor dem Zuzug liegen."), "{page}");
    assert!(page.contains("Empfehlung 2: Bitte die Art wählen."), "{page}");
    assert!(html.contains("value=\"Mütter- und Väterberatung\""), "the typed text is kept: {html}");

    let mut valid = conversation("20.11.2026");
    valid[7].1 = "beratung".to_owned();
    assert_eq!(officer.submit(&format!("{neuzuzueger}/gespraech"), &valid).await.status(), 303);
    let shown = visible_text(&officer.get(&neuzuzueger).await.text().await.unwrap());
    for expected in [
        "Gespräch geführt",
        "eingeladen am 16.11.2026",
        "Tigrinya",
        "Deutsch lernen, Wohnen",
        "Deutschkurs: Deutsch A1 am Abend, Volkshochschule Olten",
        "Beratungsstelle: Mütter- und Väterberatung",
        "20.02.2027",
    ] {
        assert!(shown.contains(expected), "{expected} missing: {shown}");
    }
    let open = visible_text(&officer.get("/neuzuzueger").await.text().await.unwrap());
    assert!(open.contains("Zurzeit warten keine Neuzuzüger"), "{open}");
    let csv = officer.get("/neuzuzueger/export.csv?filter=gefuehrt").await.text().await.unwrap();
    assert!(csv.contains("Tesfamariam-Čelik, Selam Ñaomi;03.1994;Eritrea;Eritrea;Olten;02.11.2026;Gespräch geführt;16.11.2026;20.02.2027"), "{csv}");
}

#[tokio::test]
async fn the_migrationsamt_decides_a_hand_over_and_sees_nothing_else() {
    let app = TestApp::spawn().await;
    let neuzuzueger = arrival_in_olten(&app, false).await;
    let officer = app.log_in_as("ib.olten").await;
    let empty = officer.submit(&format!("{neuzuzueger}/fordern"), &[("empfehlung", String::new())]).await;
    assert_eq!(empty.status(), 422);
    let reasons =
        [("empfehlung", "integrationsempfehlung".to_owned()), ("begruendung", "Kommt zu keinem Termin.".to_owned())];
    assert_eq!(officer.submit(&format!("{neuzuzueger}/fordern"), &reasons).await.status(), 303);

    let amt = app.log_in_as("migrationsamt").await;
    let home = visible_text(&amt.get("/").await.text().await.unwrap());
    assert!(home.contains("1 Übergabe wartet auf Ihren Entscheid"), "{home}");
    let list = amt.get("/fordern").await.text().await.unwrap();
    assert!(visible_text(&list).contains("Tesfamariam-Čelik, Selam Ñaomi"), "{list}");
    let start = list.find("href=\"/fordern/").unwrap() + "href=\"".len();
    let case = list[start..].split('"').next().unwrap().to_owned();
    let detail = visible_text(&amt.get(&case).await.text().await.unwrap());
    assert!(detail.contains("Kommt zu keinem Termin.") && !detail.contains("Tigrinya"), "{detail}");
    assert_eq!(amt.get(&neuzuzueger).await.status(), 404, "a neuzuzueger looks like not existing");
    for path in ["/neuzuzueger", "/personen", "/dossiers"] {
        assert_eq!(amt.get(path).await.status(), 403, "{path}");
    }
    let none = amt.submit(&format!("{case}/entscheid"), &[("entscheid", "keine".to_owned())]).await;
    assert_eq!(none.status(), 422);
    assert!(visible_text(&none.text().await.unwrap()).contains("Bitte begründen"));
    let decided = amt.submit(&format!("{case}/entscheid"), &[("entscheid", "integrationsempfehlung".to_owned())]).await;
    assert_eq!(decided.status(), 303);

    let back = visible_text(&officer.get(&neuzuzueger).await.text().await.unwrap());
    assert!(back.contains("Integrationsempfehlung abgegeben"), "{back}");
    assert_eq!(officer.submit(&format!("{case}/entscheid"), &[("entscheid", "keine".to_owned())]).await.status(), 403);
}

#[tokio::test]
async fn other_gemeinden_case_workers_and_providers_do_not_reach_neuzuzueger() {
    let app = TestApp::spawn().await;
    let neuzuzueger = arrival_in_olten(&app, false).await;
    let other = app.log_in_as("ib.schoenenwerd").await;
    assert_eq!(other.get(&neuzuzueger).await.status(), 404);
    let change = other.submit(&format!("{neuzuzueger}/status"), &[("status", "abgelehnt".to_owned())]).await;
    assert_eq!(change.status(), 404);
    assert!(visible_text(&other.get("/neuzuzueger").await.text().await.unwrap()).contains("Zurzeit warten keine"));
    for username in ["fallfuehrung.olten", "anbieter.lernwerk"] {
        let user = app.log_in_as(username).await;
        assert_eq!(user.get(&neuzuzueger).await.status(), 404, "{username}");
        assert_eq!(user.get("/fordern").await.status(), 403, "{username}");
    }
    let officer = app.log_in_as("ib.olten").await;
    assert!(visible_text(&officer.get(&neuzuzueger).await.text().await.unwrap()).contains("einzuladen"));
}

#[tokio::test]
async fn a_possible_duplicate_is_shown_side_by_side_and_decided() {
    let app = TestApp::spawn().await;
    let mut input = crate::support::person_input("Tesfamariam-Čelik", 2581);
    input.vornamen = "Selam Ñaomi".to_owned();
    input.geburtsdatum = "03.1994".to_owned();
    let actor = app.actor("ib.olten").await;
    let data = input.parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()).unwrap();
    let existing = app.store.create_person(&actor, data).await.unwrap().id;
    arrival_in_olten(&app, true).await;

    let officer = app.log_in_as("ib.olten").await;
    let home = visible_text(&officer.get("/").await.text().await.unwrap());
    assert!(home.contains("1 mögliches Duplikat zu prüfen"), "{home}");
    let page = officer.get("/personen/duplikate").await.text().await.unwrap();
    assert!(page.contains(&format!("/personen/{existing}")), "{page}");
    let start = page.find("action=\"/personen/duplikate/").unwrap() + "action=\"".len();
    let pair = page[start..].split('"').next().unwrap().to_owned();
    assert_eq!(officer.submit(&pair, &[("entscheid", String::new())]).await.status(), 422);
    let other = app.log_in_as("ib.schoenenwerd").await;
    assert_eq!(other.submit(&pair, &[("entscheid", "dieselbe".to_owned())]).await.status(), 404);
    assert_eq!(officer.submit(&pair, &[("entscheid", "dieselbe".to_owned())]).await.status(), 303);
    let after = visible_text(&officer.get("/personen/duplikate").await.text().await.unwrap());
    assert!(after.contains("keine möglichen Duplikate"), "{after}");
    let register = visible_text(&officer.get("/personen?q=Tesfamariam").await.text().await.unwrap());
    assert!(register.contains("1 Person"), "merged into one: {register}");
}

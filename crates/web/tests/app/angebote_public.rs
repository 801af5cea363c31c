//! The public search of the Angebotsplattform: reachable without login, sets no session, shows only published
//! offers and no personal data, answers the example search well, and offers the same through the JSON API and
//! the open-data export.

use crate::support::{PASSWORD, TestApp, visible_text};
use chrono::NaiveDate;
use iim_domain::BfsNr;
use iim_domain::angebot::{AngebotData, AngebotStatus, Kategorie, Ort, Tageszeit, Zielgruppe};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::sprache::Niveau;
use iim_store::{NeuesAngebot, Store};
use iim_web::Settings;

fn offer(titel: &str, bfs: u16, tageszeit: Tageszeit, franken: i64) -> AngebotData {
    AngebotData {
        titel: titel.to_owned(),
        beschreibung: "Deutsch für den Alltag in kleinen Gruppen.".to_owned(),
        kategorie: Kategorie::Sprache,
        handlungsfeld: Handlungsfeld::Sprachfoerderung,
        zielgruppen: vec![Zielgruppe::Erwachsene],
        niveau_von: Some(Niveau::A1),
        niveau_bis: Some(Niveau::A2),
        sprachen: vec!["de".to_owned()],
        orte: vec![Ort { gemeinde: BfsNr::known(bfs).unwrap(), adresse: "Kirchgasse 3".to_owned() }],
        tageszeiten: vec![tageszeit],
        zeitplan: "Dienstag, 19.00–21.00".to_owned(),
        beginn: NaiveDate::from_ymd_opt(2027, 1, 11),
        ende: NaiveDate::from_ymd_opt(2027, 6, 30),
        preis_rappen: franken * 100,
        subventioniert: franken > 100,
        kinderbetreuung: true,
        barrierefrei: false,
        anmeldung: "=Sekretariat, 062 000 00 00".to_owned(),
        anmeldung_link: Some("https://example.org/anmeldung".to_owned()),
        gueltig_bis: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
    }
}

/// Ids of: evening course in Olten, evening course in Dulliken, morning course in Solothurn, a draft, a
/// submitted offer and one that expired.
pub(crate) struct Offers {
    pub(crate) olten: i64,
    pub(crate) dulliken: i64,
    pub(crate) solothurn: i64,
    pub(crate) entwurf: i64,
    pub(crate) eingereicht: i64,
    pub(crate) abgelaufen: i64,
}

/// Stores offers of one owner in the given state through the store's bulk loader.
async fn load(store: &Store, org: i64, user: i64, offers: &[AngebotData], status: AngebotStatus) -> Vec<i64> {
    let rows: Vec<NeuesAngebot> = offers
        .iter()
        .map(|data| NeuesAngebot {
            organisation_id: org,
            status,
            data: data.clone(),
            updated_by: user,
            updated_at: store.clock().now(),
        })
        .collect();
    store.operator().load_offers(&rows).await.unwrap()
}

pub(crate) async fn app_with_offers() -> (TestApp, Offers) {
    let ids = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = ids.clone();
    let settings = Settings { listen: "127.0.0.1:0".to_owned(), ..Settings::default() };
    let app = TestApp::spawn_prepared(settings, move |store: &Store| {
        Box::pin(async move {
            let actor = store.login("anbieter.lernwerk", PASSWORD, "10.0.0.1").await.unwrap();
            let (org, user) = (actor.organisation_id, actor.user_id);
            let published = [
                offer("Deutschkurs A1 am Abend", 2581, Tageszeit::Abend, 120),
                offer("Deutschkurs für Berufstätige", 2573, Tageszeit::Abend, 60),
                offer("Deutschkurs am Morgen", 2601, Tageszeit::Morgen, 0),
            ];
            let mut all = load(store, org, user, &published, AngebotStatus::Veroeffentlicht).await;
            for (titel, status) in [
                ("Geheimer Entwurfskurs", AngebotStatus::Entwurf),
                ("Eingereichter Deutschkurs", AngebotStatus::Eingereicht),
            ] {
                let data = offer(titel, 2581, Tageszeit::Abend, 50);
                all.extend(load(store, org, user, &[data], status).await);
            }
            let old = AngebotData {
                gueltig_bis: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
                ..offer("Alter Deutschkurs", 2581, Tageszeit::Abend, 50)
            };
            all.extend(load(store, org, user, &[old], AngebotStatus::Veroeffentlicht).await);
            sink.lock().unwrap().extend(all);
        })
    })
    .await;
    let ids = ids.lock().unwrap().clone();
    let offers = Offers {
        olten: ids[0],
        dulliken: ids[1],
        solothurn: ids[2],
        entwurf: ids[3],
        eingereicht: ids[4],
        abgelaufen: ids[5],
    };
    (app, offers)
}

#[tokio::test]
async fn the_example_search_answers_without_login_and_sets_no_session() {
    let (app, offers) = app_with_offers().await;
    let person = app.person_registered_by("fallfuehrung.olten", "Tesfamariam", 2581).await;
    let browser = app.browser();
    let response = browser.get("/angebote?q=deutschkurs+abend+olten").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none(), "a public page sets no cookie");
    let html = response.text().await.unwrap();
    let text = visible_text(&html);
    let olten = text.find("Deutschkurs A1 am Abend").expect("Olten's evening course");
    let dulliken = text.find("Deutschkurs für Berufstätige").expect("Dulliken, in the Sozialregion Olten");
    assert!(olten < dulliken, "Olten itself first");
    assert!(text.contains("2 Angebote"), "{text}");
    assert!(!text.contains("Deutschkurs am Morgen"), "a morning course in Solothurn is no answer");
    assert!(text.contains("Fr. 120.00 subventioniert"));
    assert!(html.contains(&format!("href=\"/angebote/{}\"", offers.olten)));
    for hidden in ["Geheimer Entwurfskurs", "Eingereichter Deutschkurs", "Alter Deutschkurs", "Tesfamariam", "Abmelden"]
    {
        assert!(!text.contains(hidden), "{hidden} must not appear");
    }
    let everything = visible_text(&browser.get("/angebote").await.text().await.unwrap());
    assert!(everything.contains("3 Angebote"), "{everything}");
    assert!(!everything.contains("Tesfamariam"));
    let _ = person;
}

#[tokio::test]
async fn facets_sorting_and_paging_live_in_the_address() {
    let (app, _) = app_with_offers().await;
    let browser = app.browser();
    let cheapest = visible_text(&browser.get("/angebote?q=deutschkurs&sort=preis").await.text().await.unwrap());
    let (free, sixty, dear) = (
        cheapest.find("Deutschkurs am Morgen").unwrap(),
        cheapest.find("Deutschkurs für Berufstätige").unwrap(),
        cheapest.find("Deutschkurs A1 am Abend").unwrap(),
    );
    assert!(free < sixty && sixty < dear, "cheapest first");
    let html = browser.get("/angebote?q=deutschkurs&gemeinde=2601").await.text().await.unwrap();
    assert!(visible_text(&html).contains("1 Angebot"));
    assert!(html.contains("name=\"gemeinde\" value=\"2601\" checked"), "the chosen filter stays ticked");
    assert!(visible_text(&html).contains("Olten (1)"), "other Gemeinden counted as if chosen");
    let nothing = visible_text(&browser.get("/angebote?q=xylophon").await.text().await.unwrap());
    assert!(nothing.contains("Zu dieser Suche gibt es kein Angebot."));
    let beyond = browser.get("/angebote?q=deutschkurs&seite=99&sort=unbekannt&foo=bar").await;
    assert_eq!(beyond.status(), 200, "odd parameters never fail");
}

#[tokio::test]
async fn the_detail_page_shows_published_and_expired_offers_and_hides_drafts() {
    let (app, offers) = app_with_offers().await;
    let browser = app.browser();
    let detail = browser.get(&format!("/angebote/{}", offers.olten)).await;
    assert_eq!(detail.status(), 200);
    assert!(detail.headers().get("set-cookie").is_none());
    let text = visible_text(&detail.text().await.unwrap());
    for shown in
        ["Deutschkurs A1 am Abend", "Olten, Kirchgasse 3", "A1–A2", "Fr. 120.00", "Kinderbetreuung ja", "Anmeldung"]
    {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    let expired = visible_text(&browser.get(&format!("/angebote/{}", offers.abgelaufen)).await.text().await.unwrap());
    assert!(expired.contains("abgelaufen"));
    for hidden in [offers.entwurf, offers.eingereicht, 999_999] {
        assert_eq!(browser.get(&format!("/angebote/{hidden}")).await.status(), 404);
    }
    assert_eq!(browser.get("/angebote/abc").await.status(), 404);
}

#[tokio::test]
async fn the_json_api_answers_the_same_search_without_a_token() {
    let (app, offers) = app_with_offers().await;
    let api = app.api();
    let body: serde_json::Value = api
        .get(app.url("/api/v1/angebote?q=deutschkurs+abend+olten&sort=preis"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["total"], 2);
    assert_eq!(body["items"][0]["id"], offers.dulliken, "cheapest first");
    assert_eq!(body["items"][1]["orte"][0]["gemeinde"], "Olten");
    let kosten = body["facetten"].as_array().unwrap().iter().find(|f| f["name"] == "kosten").unwrap();
    assert!(kosten["werte"].as_array().unwrap().iter().any(|v| v["wert"] == "subventioniert" && v["anzahl"] == 1));
    let one = api.get(app.url(&format!("/api/v1/angebote/{}", offers.solothurn))).send().await.unwrap();
    assert_eq!(one.status(), 200);
    let one: serde_json::Value = one.json().await.unwrap();
    assert_eq!(one["preis_rappen"], 0);
    let draft = api.get(app.url(&format!("/api/v1/angebote/{}", offers.entwurf))).send().await.unwrap();
    assert_eq!(draft.status(), 404);
    let document: serde_json::Value =
        api.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(document["paths"]["/api/v1/angebote"]["get"].is_object());
}

#[tokio::test]
async fn the_open_data_export_holds_exactly_the_published_offers() {
    let (app, _) = app_with_offers().await;
    let browser = app.browser();
    let csv = browser.get("/angebote/export.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), 4, "header and three published offers: {text}");
    assert!(text.contains("'=Sekretariat"), "cells defused");
    assert!(!text.contains("Geheimer Entwurfskurs") && !text.contains("Alter Deutschkurs"));
    let json: serde_json::Value = browser.get("/angebote/export.json").await.json().await.unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    let audit = app.audit_entries(iim_store::AuditQuery { page: 1, per_page: 500, ..Default::default() }).await;
    assert!(audit.iter().any(|e| e.resource == "angebot"), "the setup's bulk load is logged");
    assert!(audit.iter().all(|e| !(e.resource == "angebot" && e.action == "read")), "public reads write no access log");
}

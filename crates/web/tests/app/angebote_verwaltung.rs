//! Through HTTP: a provider keeps its offers and submits one, the Kanton publishes or returns it, another provider
//! finds nothing, and an Integrationsbeauftragte and a case worker pick the published offer in their casework.

use crate::start_integration::{arrival_in_olten, conversation};
use crate::support::{Browser, TestApp, konflikt_row, visible_text};
use iim_domain::angebot::AngebotInput;

pub(crate) fn offer_form(titel: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", titel.to_owned()),
        ("beschreibung", "Deutsch für den Alltag, in kleinen Gruppen.".to_owned()),
        ("kategorie", "sprache".to_owned()),
        ("handlungsfeld", "sprachfoerderung".to_owned()),
        ("zielgruppen", "erwachsene".to_owned()),
        ("zielgruppen", "eltern".to_owned()),
        ("niveau_von", "A1".to_owned()),
        ("niveau_bis", "A2".to_owned()),
        ("sprachen", "de".to_owned()),
        ("ort_gemeinde_1", "2581".to_owned()),
        ("ort_adresse_1", "Kirchgasse 3".to_owned()),
        ("tageszeiten", "abend".to_owned()),
        ("zeitplan", "Dienstag, 19.00–21.00".to_owned()),
        ("preis", "120.50".to_owned()),
        ("merkmale", "subventioniert".to_owned()),
        ("merkmale", "kinderbetreuung".to_owned()),
        ("anmeldung", "Sekretariat, 062 000 00 00".to_owned()),
        ("gueltig_bis", "30.06.2027".to_owned()),
    ]
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned()
}

async fn version_on(browser: &Browser, path: &str) -> String {
    let html = browser.get(path).await.text().await.unwrap();
    let start =
        html.find("name=\"version\" value=\"").expect("version in the page") + "name=\"version\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Creates and submits an offer as the provider through the pages; returns its page path.
pub(crate) async fn submitted_offer(provider: &Browser, titel: &str) -> String {
    let created = provider.submit("/meine-angebote", &offer_form(titel)).await;
    assert_eq!(created.status(), 303);
    let path = location(&created);
    let version = version_on(provider, &path).await;
    let submitted = provider.submit(&format!("{path}/einreichen"), &[("version", version)]).await;
    assert_eq!(submitted.status(), 303);
    path
}

#[tokio::test]
async fn a_provider_submits_an_offer_and_the_kanton_publishes_it() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    let empty = visible_text(&provider.get("/meine-angebote").await.text().await.unwrap());
    assert!(empty.contains("Noch keine Angebote") && empty.contains("Meine Angebote"), "{empty}");
    assert!(!empty.contains("Angebote prüfen"), "only the Kanton reviews");

    let wrong = [("titel", String::new()), ("preis", "gratis".to_owned()), ("gueltig_bis", "01.01.2020".to_owned())];
    let refused = provider.submit("/meine-angebote", &wrong).await;
    assert_eq!(refused.status(), 422);
    let page = visible_text(&refused.text().await.unwrap());
    for message in [
        "Bitte einen Titel angeben.",
        "Bitte den Preis in Franken angeben",
        "Das Angebot muss mindestens bis heute gültig sein.",
        "Bitte mindestens einen Ort angeben.",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }

    let path = submitted_offer(&provider, "Deutschkurs A1 am Abend").await;
    let shown = visible_text(&provider.get(&path).await.text().await.unwrap());
    assert!(shown.contains("eingereicht, wartet auf Prüfung") && shown.contains("Fr. 120.50"), "{shown}");

    let kanton = app.log_in_as("kanton.aso").await;
    let home = visible_text(&kanton.get("/").await.text().await.unwrap());
    assert!(home.contains("1 Angebot wartet auf Ihre Prüfung"), "{home}");
    let queue = visible_text(&kanton.get("/angebote-pruefen").await.text().await.unwrap());
    assert!(queue.contains("Deutschkurs A1 am Abend") && queue.contains("Lernwerk"), "{queue}");
    let id = path.rsplit('/').next().unwrap();
    let version = version_on(&kanton, &path).await;
    let published = kanton.submit(&format!("/angebote-pruefen/{id}/veroeffentlichen"), &[("version", version)]).await;
    assert_eq!(published.status(), 303);
    assert_eq!(app.store.published_offers().await.unwrap()[0].data.titel, "Deutschkurs A1 am Abend");
    let shown = visible_text(&provider.get(&path).await.text().await.unwrap());
    assert!(shown.contains("veröffentlicht"), "{shown}");
}

#[tokio::test]
async fn the_kanton_returns_an_offer_with_a_reason_the_provider_reads() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    let path = submitted_offer(&provider, "Nähcafé Olten").await;
    let id = path.rsplit('/').next().unwrap();
    let kanton = app.log_in_as("kanton.aso").await;
    let version = version_on(&kanton, &path).await;
    let without = kanton.submit(&format!("/angebote-pruefen/{id}/zurueckgeben"), &[("version", version.clone())]).await;
    assert_eq!(without.status(), 422);
    assert!(visible_text(&without.text().await.unwrap()).contains("Bitte begründen"));
    let reason = [("version", version), ("begruendung", "Bitte die Adresse ergänzen.".to_owned())];
    assert_eq!(kanton.submit(&format!("/angebote-pruefen/{id}/zurueckgeben"), &reason).await.status(), 303);
    let shown = visible_text(&provider.get(&path).await.text().await.unwrap());
    assert!(shown.contains("Vom Kanton zurückgegeben") && shown.contains("Bitte die Adresse ergänzen."), "{shown}");
}

/// Two colleagues of the provider edit the same offer; the later save shows both versions side by side and
/// saves only when sent again deliberately.
#[tokio::test]
async fn a_later_save_of_an_offer_shows_both_versions() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    let created = provider.submit("/meine-angebote", &offer_form("Bewerbungswerkstatt")).await;
    let path = location(&created);
    let version = version_on(&provider, &path).await;
    let mut first = offer_form("Bewerbungswerkstatt am Morgen");
    first.push(("version", version.clone()));
    assert_eq!(provider.submit(&path, &first).await.status(), 303);

    let mut second = offer_form("Bewerbungswerkstatt am Abend");
    second.push(("version", version));
    let refused = provider.submit(&path, &second).await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert_eq!(
        konflikt_row(&html, "Titel"),
        Some(("Bewerbungswerkstatt am Morgen".to_owned(), "Bewerbungswerkstatt am Abend".to_owned())),
        "{}",
        visible_text(&html)
    );
    assert_eq!(konflikt_row(&html, "Kategorie").map(|(saved, mine)| saved == mine), Some(true));
    assert!(html.contains("Meine Werte trotzdem speichern"));
    let current = version_on(&provider, &path).await;
    assert!(
        html.contains(&format!("name=\"version\" value=\"{current}\"")),
        "the form now carries the current version"
    );
    let shown = visible_text(&provider.get(&path).await.text().await.unwrap());
    assert!(shown.contains("am Morgen") && !shown.contains("am Abend"), "nothing saved: {shown}");
}

#[tokio::test]
async fn another_provider_gets_not_found_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let provider = app.log_in_as("anbieter.lernwerk").await;
    let created = provider.submit("/meine-angebote", &offer_form("Bewerbungswerkstatt")).await;
    let path = location(&created);
    let version = version_on(&provider, &path).await;

    let other = app.log_in_as("anbieter.potenzial").await;
    assert_eq!(other.get(&path).await.status(), 404);
    assert_eq!(other.get(&format!("{path}/bearbeiten")).await.status(), 404);
    let mut form = offer_form("Übernommen");
    form.push(("version", version.clone()));
    assert_eq!(other.submit(&path, &form).await.status(), 404);
    assert_eq!(other.submit(&format!("{path}/archivieren"), &[("version", version)]).await.status(), 404);
    let list = visible_text(&other.get("/meine-angebote").await.text().await.unwrap());
    assert!(!list.contains("Bewerbungswerkstatt"), "{list}");
    let id = path.rsplit('/').next().unwrap();
    assert_eq!(other.submit(&format!("/angebote-pruefen/{id}/veroeffentlichen"), &[]).await.status(), 404);

    let shown = visible_text(&provider.get(&path).await.text().await.unwrap());
    assert!(shown.contains("Bewerbungswerkstatt") && shown.contains("Entwurf"), "{shown}");
    app.store.flush_audit().await;
    let refused = app
        .audit_entries(iim_store::AuditQuery {
            resource: Some(iim_domain::Resource::Angebot),
            record_id: Some(id.to_owned()),
            page: 1,
            per_page: 50,
            ..iim_store::AuditQuery::default()
        })
        .await
        .into_iter()
        .filter(|e| e.outcome == "verweigert" && e.actor_username == "anbieter.potenzial")
        .count();
    assert_eq!(refused, 5, "every attempt on the offer is logged, the forbidden publication too");
}

/// An offer of Lernwerk, published through the store.
async fn published_offer(app: &TestApp, titel: &str) -> i64 {
    let provider = app.actor("anbieter.lernwerk").await;
    let kanton = app.actor("kanton.aso").await;
    let input = AngebotInput {
        titel: titel.to_owned(),
        beschreibung: "Für Mütter und Väter mit kleinen Kindern.".to_owned(),
        kategorie: "fruehe_kindheit".to_owned(),
        handlungsfeld: "soziale_integration".to_owned(),
        sprachen: vec!["de".to_owned(), "ti".to_owned()],
        orte: vec![("2581".to_owned(), "Familienzentrum".to_owned())],
        anmeldung: "Familienzentrum Olten".to_owned(),
        gueltig_bis: "31.12.2027".to_owned(),
        ..AngebotInput::default()
    };
    let draft = app.store.create_offer(&provider, &input).await.unwrap();
    let submitted = app.store.submit_offer(&provider, draft.id, draft.version).await.unwrap();
    app.store.publish_offer(&kanton, draft.id, submitted.version).await.unwrap().id
}

#[tokio::test]
async fn the_integrationsbeauftragte_recommends_a_published_offer() {
    let app = TestApp::spawn().await;
    let offer = published_offer(&app, "Elterncafé mit Deutsch").await;
    let neuzuzueger = arrival_in_olten(&app, false).await;
    let officer = app.log_in_as("ib.olten").await;
    let form = officer.get(&format!("{neuzuzueger}/gespraech")).await.text().await.unwrap();
    assert!(form.contains(&format!("<option value=\"{offer}\">Elterncafé mit Deutsch – Lernwerk")), "{form}");

    let mut bad = conversation("20.11.2026");
    bad.push(("empfehlung_art_3", "angebot".to_owned()));
    bad.push(("empfehlung_angebot_3", "99999".to_owned()));
    bad[7].1 = "beratung".to_owned();
    let refused = officer.submit(&format!("{neuzuzueger}/gespraech"), &bad).await;
    assert_eq!(refused.status(), 422);
    assert!(
        visible_text(&refused.text().await.unwrap()).contains("Das Angebot Nr. 99999 ist nicht (mehr) veröffentlicht")
    );

    let mut valid = conversation("20.11.2026");
    valid[7].1 = "beratung".to_owned();
    valid.push(("empfehlung_art_3", "angebot".to_owned()));
    valid.push(("empfehlung_angebot_3", offer.to_string()));
    assert_eq!(officer.submit(&format!("{neuzuzueger}/gespraech"), &valid).await.status(), 303);
    let html = officer.get(&neuzuzueger).await.text().await.unwrap();
    assert!(html.contains(&format!("<a href=\"/angebote/{offer}\">Elterncafé mit Deutsch</a>")), "{html}");
    assert!(visible_text(&html).contains("Integrationsangebot: Angebot Elterncafé mit Deutsch"), "{html}");
}

#[tokio::test]
async fn a_case_worker_links_a_hilfsplan_goal_to_an_offer() {
    let app = TestApp::spawn().await;
    let offer = published_offer(&app, "Deutsch-Treff Olten").await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Berisha", 2581).await;
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    let goal = [
        ("handlungsfeld", "sprachfoerderung".to_owned()),
        ("ziel", "Deutsch im Alltag".to_owned()),
        ("kriterium", "Spricht beim Einkaufen Deutsch".to_owned()),
        ("faellig_am", "30.06.2027".to_owned()),
        ("angebot", offer.to_string()),
    ];
    assert_eq!(case_worker.submit(&format!("/dossiers/{dossier}/ziele"), &goal).await.status(), 303);
    let html = case_worker.get(&format!("/dossiers/{dossier}")).await.text().await.unwrap();
    assert!(html.contains(&format!("<a href=\"/angebote/{offer}\">Deutsch-Treff Olten</a>")), "{html}");
    let print = case_worker.get(&format!("/dossiers/{dossier}/hilfsplan")).await.text().await.unwrap();
    assert!(visible_text(&print).contains("Deutsch-Treff Olten"), "{print}");
}

/// Loads `count` published offers «Kurs 000», «Kurs 001» … of Lernwerk in Olten.
async fn many_published_offers(app: &TestApp, count: usize) {
    published_offers(app, (0..count).map(|index| format!("Kurs {index:03}")).collect()).await;
}

/// Loads published language offers of Lernwerk in Olten with these titles.
async fn published_offers(app: &TestApp, titles: Vec<String>) {
    let provider = app.actor("anbieter.lernwerk").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let offers: Vec<iim_store::NeuesAngebot> = titles
        .into_iter()
        .map(|titel| {
            let input = AngebotInput {
                titel,
                beschreibung: "Deutsch für den Alltag.".to_owned(),
                kategorie: "sprache".to_owned(),
                handlungsfeld: "sprachfoerderung".to_owned(),
                zielgruppen: vec!["erwachsene".to_owned()],
                sprachen: vec!["de".to_owned()],
                orte: vec![("2581".to_owned(), "Kirchgasse 3, Olten".to_owned())],
                anmeldung: "Sekretariat".to_owned(),
                gueltig_bis: "30.06.2027".to_owned(),
                ..AngebotInput::default()
            };
            iim_store::NeuesAngebot {
                organisation_id: provider.organisation_id,
                status: iim_domain::angebot::AngebotStatus::Veroeffentlicht,
                data: input.check(today).unwrap(),
                updated_by: provider.user_id,
                updated_at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 20, 9, 0, 0).unwrap(),
            }
        })
        .collect();
    app.store.operator().load_offers(&offers).await.unwrap();
}

#[tokio::test]
async fn the_goal_form_filters_the_offers_without_javascript_in_groups_instead_of_listing_every_published_one() {
    let app = TestApp::spawn().await;
    many_published_offers(&app, 60).await;
    published_offers(&app, vec!["Müttertreff Deutsch".to_owned()]).await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Berhe", 2581).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;

    let form = browser.get(&format!("/dossiers/{dossier}/ziele/neu")).await.text().await.unwrap();
    assert!(form.contains("<form method=\"get\"") && form.contains("name=\"filter\""), "a GET filter form");
    assert!(form.find("Liste eingrenzen").unwrap() < form.find("name=\"ziel\"").unwrap(), "the filter comes first");
    assert!(visible_text(&form).contains("geht verloren"), "the page says that a reload drops what was typed");
    assert!(form.contains("maxlength=\"100\""), "the filter is bounded");
    assert!(form.contains("<optgroup label=\"Sprachförderung ab 16\">"), "offers grouped by Handlungsfeld: {form}");
    assert_eq!(form.matches(">Kurs 0").count(), 50, "at most 50 offers to pick, not all 61");
    assert!(visible_text(&form).contains("61 von 61 Angeboten; die Auswahl zeigt die ersten 50"), "{form}");

    let searched = browser.get(&format!("/dossiers/{dossier}/ziele/neu?filter=Kurs+05")).await.text().await.unwrap();
    assert_eq!(searched.matches(">Kurs 05").count(), 10, "Kurs 050 to Kurs 059");
    assert_eq!(searched.matches(">Kurs 0").count(), 10, "only what matches");
    assert!(searched.contains("value=\"Kurs 05\""), "the filter stays in its field");
    assert!(visible_text(&searched).contains("10 von 61 Angeboten."), "{searched}");

    let folded = browser.get(&format!("/dossiers/{dossier}/ziele/neu?filter=muettertreff")).await.text().await.unwrap();
    assert!(
        folded.contains(">Müttertreff Deutsch") && !folded.contains(">Kurs 0"),
        "«muettertreff» finds «Müttertreff»"
    );

    let none = browser.get(&format!("/dossiers/{dossier}/ziele/neu?filter=Yogakurs")).await.text().await.unwrap();
    assert!(visible_text(&none).contains("Kein Angebot passt zu «Yogakurs»."), "{none}");
    assert!(!none.contains("<optgroup"), "no empty groups");
    let long = "x".repeat(5000);
    assert_eq!(browser.get(&format!("/dossiers/{dossier}/ziele/neu?filter={long}")).await.status(), 200);
}

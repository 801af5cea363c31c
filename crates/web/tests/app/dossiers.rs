use crate::support::{TestApp, konflikt_row, person_form, submit_together, version_in, visible_text};

pub(crate) fn assessment_form() -> Vec<(&'static str, String)> {
    vec![
        ("datum", "20.11.2026".to_owned()),
        ("richtung", "arbeitsmarktlich".to_owned()),
        ("sprachfoerderbedarf", "ja".to_owned()),
        ("schuljahre", "4".to_owned()),
        ("literalitaet", "teilweise".to_owned()),
        ("arbeitserfahrung", "ausland".to_owned()),
        ("potenzial", "mittel".to_owned()),
        ("dolmetschende", "ja".to_owned()),
        ("bemerkungen", "Dolmetscherin Tigrinya".to_owned()),
    ]
}

/// Registers a person through the form and opens its dossier; returns the dossier's path.
pub(crate) async fn open_dossier_for(app: &TestApp, username: &str) -> String {
    let browser = app.log_in_as(username).await;
    let created = browser.submit("/personen", &person_form("Haile", 2581)).await;
    let person_path = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let opened = browser.submit(&format!("{person_path}/dossier"), &[("sozialhilfe", "ja".to_owned())]).await;
    assert_eq!(opened.status(), 303);
    opened.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn case_worker_opens_a_dossier_records_the_kurzassessment_and_sees_the_timeline() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Status eröffnet") && page.contains("Sozialregion Olten"), "{page}");
    assert!(page.contains("Asyl: vorläufig aufgenommen (VA)") && page.contains("Sozialhilfe"), "{page}");

    let saved = browser.submit(&format!("{dossier}/kurzassessment"), &assessment_form()).await;
    assert_eq!(saved.status(), 303);
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Status in Abklärung"), "{page}");
    assert!(page.contains("4 (schulungsgewohnt)"), "{page}");
    assert!(page.contains("Nächste Standortbestimmung 20.11.2027"), "{page}");
    assert!(page.contains("Kurzassessment erfasst") && page.contains("Dossier eröffnet"), "{page}");

    let cases = visible_text(&browser.get("/dossiers").await.text().await.unwrap());
    assert!(
        cases.contains("Meine Fälle") && cases.contains("Haile, Selam") && cases.contains("in Abklärung"),
        "{cases}"
    );
    let person_page = browser.get("/personen?q=haile").await.text().await.unwrap();
    assert!(person_page.contains("Haile, Selam"));
}

#[tokio::test]
async fn invalid_kurzassessment_is_refused_with_messages_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let mut form = assessment_form();
    form.retain(|(name, _)| *name != "richtung" && *name != "schuljahre");
    form.push(("schuljahre", "viele".to_owned()));
    let refused = browser.submit(&format!("{dossier}/kurzassessment"), &form).await;
    assert_eq!(refused.status(), 422);
    let text = visible_text(&refused.text().await.unwrap());
    assert!(text.contains("Bitte die Richtung wählen.") && text.contains("Zahl von 0 bis 30"), "{text}");
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Status eröffnet") && page.contains("Noch kein Kurzassessment"), "{page}");
}

#[tokio::test]
async fn colleague_other_region_and_provider_are_refused_on_every_dossier_route() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    for username in ["kollegin.olten", "fallfuehrung.thal"] {
        let other = app.log_in_as(username).await;
        assert_eq!(other.get(&dossier).await.status(), 404, "{username}");
        assert_eq!(other.get(&format!("{dossier}/kurzassessment")).await.status(), 404, "{username}");
        assert_eq!(
            other.submit(&format!("{dossier}/kurzassessment"), &assessment_form()).await.status(),
            404,
            "{username}"
        );
        assert!(!other.get("/dossiers").await.text().await.unwrap().contains("Haile"), "{username}");
    }
    let provider = app.log_in_as("anbieter.lernwerk").await;
    assert_eq!(provider.get("/dossiers").await.status(), 403);
    assert_eq!(provider.get(&dossier).await.status(), 404);
    let leitung = app.log_in_as("leitung.olten").await;
    let page = visible_text(&leitung.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Dossier: Haile, Selam"), "the Leitung of the Stelle sees it: {page}");
}

#[tokio::test]
async fn swiss_person_without_sozialhilfe_gets_a_clear_refusal() {
    let app = TestApp::spawn().await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let mut form = person_form("Meier", 2581);
    form.retain(|(name, _)| *name != "nationalitaet" && *name != "aufenthaltsstatus");
    form.push(("nationalitaet", "CH".to_owned()));
    form.push(("aufenthaltsstatus", "CH".to_owned()));
    let created = browser.submit("/personen", &form).await;
    let person_path = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let refused = browser.submit(&format!("{person_path}/dossier"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(
        visible_text(&refused.text().await.unwrap())
            .contains("Ohne Sozialhilfe gehören Schweizerinnen und Schweizer nicht zur Zielgruppe")
    );
    let without_token =
        browser.submit_raw(&format!("{person_path}/dossier"), &[("sozialhilfe", "ja".to_owned())]).await;
    assert_eq!(without_token.status(), 403, "CSRF guard");
}

#[tokio::test]
async fn dossier_api_opens_assesses_and_lists_under_the_same_rules() {
    use serde_json::{Value, json};
    let app = TestApp::spawn().await;
    let person = app.person_registered_by("fallfuehrung.olten", "Api", 2581).await;
    let token = app.token_for("fallfuehrung.olten").await;
    let opened = app
        .api()
        .post(app.url(&format!("/api/v1/persons/{person}/dossier")))
        .bearer_auth(&token)
        .json(&json!({ "sozialhilfe": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 201);
    let location = opened.headers()["location"].to_str().unwrap().to_owned();
    let dossier: Value = opened.json().await.unwrap();
    assert_eq!(dossier["status"], "eroeffnet");

    let assessment = json!({
        "datum": "2026-11-20", "richtung": "sozial", "sprachfoerderbedarf": "nein", "schuljahre": 12,
        "literalitaet": "alphabetisiert", "arbeitserfahrung": "schweiz", "potenzial": "hoch", "dolmetschende": "nein"
    });
    let url = app.url(&format!("{location}/kurzassessment"));
    let assessed: Value =
        app.api().post(&url).bearer_auth(&token).json(&assessment).send().await.unwrap().json().await.unwrap();
    assert_eq!(assessed["status"], "in_abklaerung");
    assert_eq!(assessed["naechste_standortbestimmung"], "2027-11-20");
    assert_eq!(assessed["verlauf"][0]["ereignis"], "kurzassessment");

    let bad = json!({ "datum": "2026", "richtung": "irgendwie", "sprachfoerderbedarf": "nein", "schuljahre": 12,
        "literalitaet": "alphabetisiert", "arbeitserfahrung": "schweiz", "potenzial": "hoch", "dolmetschende": "nein" });
    let refused = app.api().post(&url).bearer_auth(&token).json(&bad).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["errors"]["datum"].is_string() && problem["errors"]["richtung"].is_string());

    let list: Value =
        app.api().get(app.url("/api/v1/dossiers")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    let other = app.token_for("fallfuehrung.thal").await;
    assert_eq!(app.api().get(app.url(&location)).bearer_auth(&other).send().await.unwrap().status(), 404);
    let provider = app.token_for("anbieter.lernwerk").await;
    assert_eq!(app.api().get(app.url("/api/v1/dossiers")).bearer_auth(&provider).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn an_assessment_older_than_a_year_puts_the_standortbestimmung_on_the_start_page_and_first_in_the_list() {
    let app = TestApp::spawn().await;
    let recent = open_dossier_for(&app, "fallfuehrung.olten").await;
    let old = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    assert!(
        visible_text(&browser.get("/").await.text().await.unwrap())
            .contains("Nichts ist überfällig, nichts wartet auf Sie")
    );
    browser.submit(&format!("{recent}/kurzassessment"), &assessment_form()).await;
    let mut last_year = assessment_form();
    last_year.retain(|(name, _)| *name != "datum");
    last_year.push(("datum", "01.10.2025".to_owned()));
    browser.submit(&format!("{old}/kurzassessment"), &last_year).await;

    let start = visible_text(&browser.get("/").await.text().await.unwrap());
    assert!(start.contains("Standortbestimmung, überfällig seit 01.10.2026"), "{start}");
    let worklist = visible_text(&browser.get("/pendenzen").await.text().await.unwrap());
    assert!(worklist.contains("Standortbestimmung fällig seit 01.10.2026"), "{worklist}");
    let cases = browser.get("/dossiers").await.text().await.unwrap();
    let old_row = cases.find(&format!("href=\"{old}\"")).unwrap();
    let recent_row = cases.find(&format!("href=\"{recent}\"")).unwrap();
    assert!(old_row < recent_row, "the overdue Standortbestimmung comes first");
    assert!(visible_text(&cases).contains("überfällig seit 01.10.2026"));
}

#[tokio::test]
async fn case_worker_sets_goals_and_records_a_standortbestimmung() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    browser.submit(&format!("{dossier}/kurzassessment"), &assessment_form()).await;
    let goal = |feld: &str, ziel: &str| {
        vec![
            ("handlungsfeld", feld.to_owned()),
            ("ziel", ziel.to_owned()),
            ("kriterium", "Nachweis liegt vor".to_owned()),
            ("faellig_am", "30.06.2027".to_owned()),
        ]
    };
    let refused = browser.submit(&format!("{dossier}/ziele"), &goal("", "")).await;
    assert_eq!(refused.status(), 422);
    assert!(visible_text(&refused.text().await.unwrap()).contains("Bitte das Handlungsfeld wählen."));
    assert_eq!(
        browser.submit(&format!("{dossier}/ziele"), &goal("sprachfoerderung", "Deutsch A2")).await.status(),
        303
    );
    assert_eq!(browser.submit(&format!("{dossier}/ziele"), &goal("arbeitsintegration", "Modul 3")).await.status(), 303);
    let page = browser.get(&dossier).await.text().await.unwrap();
    assert!(visible_text(&page).contains("Status Hilfsplan aktiv"), "{}", visible_text(&page));

    let form = browser.get(&format!("{dossier}/standortbestimmung")).await.text().await.unwrap();
    let goal_ids: Vec<String> = form
        .split("name=\"bewertung_")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(goal_ids.len(), 2, "one judgement per open goal");
    let (first, second) = (format!("bewertung_{}", goal_ids[0]), format!("bewertung_{}", goal_ids[1]));
    let only_first = vec![("datum", "21.11.2026".to_owned()), (first.as_str(), "erreicht".to_owned())];
    let incomplete = browser.submit(&format!("{dossier}/standortbestimmung"), &only_first).await;
    assert_eq!(incomplete.status(), 422);
    assert!(visible_text(&incomplete.text().await.unwrap()).contains("Bitte dieses Ziel bewerten."));

    let mut complete = only_first.clone();
    complete.push((second.as_str(), "teilweise".to_owned()));
    assert_eq!(browser.submit(&format!("{dossier}/standortbestimmung"), &complete).await.status(), 303);
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("erreicht (21.11.2026)") && page.contains("teilweise erreicht (21.11.2026)"), "{page}");
    assert!(page.contains("Nächste Standortbestimmung 21.11.2027"), "{page}");
    assert!(
        page.contains("Standortbestimmung erfasst") && page.contains("21.11.2026, 1 von 2 Zielen erreicht"),
        "{page}"
    );
}

#[tokio::test]
async fn case_worker_closes_and_reopens_and_the_leitung_hands_the_dossier_over() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let without_reason = browser.submit(&format!("{dossier}/abschliessen"), &[("grund", String::new())]).await;
    assert_eq!(without_reason.status(), 422);
    assert!(visible_text(&without_reason.text().await.unwrap()).contains("Bitte den Grund des Abschlusses wählen."));
    let closed =
        browser.submit(&format!("{dossier}/abschliessen"), &[("grund", "abloesung_sozialhilfe".to_owned())]).await;
    assert_eq!(closed.status(), 303);
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Status abgeschlossen") && page.contains("Ablösung von der Sozialhilfe"), "{page}");
    assert!(page.contains("Dossier wiedereröffnen") && !page.contains("Kurzassessment erfassen"), "{page}");
    let reopened = browser
        .submit(&format!("{dossier}/wiedereroeffnen"), &[("begruendung", "erneut Sozialhilfe".to_owned())])
        .await;
    assert_eq!(reopened.status(), 303);
    assert!(visible_text(&browser.get(&dossier).await.text().await.unwrap()).contains("Status eröffnet"));

    assert_eq!(
        browser.submit(&format!("{dossier}/zuweisen"), &[("fallfuehrung", "kollegin.olten".to_owned())]).await.status(),
        403,
        "only the Leitung reassigns"
    );
    let leitung = app.log_in_as("leitung.olten").await;
    let handed = leitung.submit(&format!("{dossier}/zuweisen"), &[("fallfuehrung", "kollegin.olten".to_owned())]).await;
    assert_eq!(handed.status(), 303);
    assert_eq!(browser.get(&dossier).await.status(), 404, "the former case worker no longer reaches it");
    let colleague = app.log_in_as("kollegin.olten").await;
    let page = visible_text(&colleague.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Fallführung Test kollegin.olten") && page.contains("Fallführung übertragen"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_send_the_same_standortbestimmung_at_once_only_one_is_stored() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let other_tab = app.log_in_as("fallfuehrung.olten").await;
    browser.submit(&format!("{dossier}/kurzassessment"), &assessment_form()).await;
    let goal = vec![
        ("handlungsfeld", "sprachfoerderung".to_owned()),
        ("ziel", "Deutsch A2".to_owned()),
        ("kriterium", "Nachweis liegt vor".to_owned()),
        ("faellig_am", "30.06.2027".to_owned()),
    ];
    assert_eq!(browser.submit(&format!("{dossier}/ziele"), &goal).await.status(), 303);
    let path = format!("{dossier}/standortbestimmung");
    let form = browser.get(&path).await.text().await.unwrap();
    let goal_id = form.split("name=\"bewertung_").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    let field = format!("bewertung_{goal_id}");
    let standortbestimmung = |bewertung: &str| {
        vec![("datum", "21.11.2026".to_owned()), (field.as_str(), bewertung.to_owned()), ("version", version_in(&form))]
    };
    let (reached, partly) = (standortbestimmung("erreicht"), standortbestimmung("teilweise"));
    let (first, second) = submit_together((&browser, &path, &reached), (&other_tab, &path, &partly)).await;
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409], "exactly one Standortbestimmung is accepted");
    let (loser, saved, mine) = if first.status() == 409 {
        (first, "teilweise erreicht", "erreicht")
    } else {
        (second, "erreicht", "teilweise erreicht")
    };
    let html = loser.text().await.unwrap();
    assert!(visible_text(&html).contains("inzwischen hat jemand anderes gespeichert"), "{}", visible_text(&html));
    let (colleague, own) = konflikt_row(&html, "Sprachförderung ab 16: Deutsch A2").expect("the goal's row");
    assert!(colleague.starts_with(saved) && own == mine, "{colleague} / {own}");
    let page = visible_text(&browser.get(&dossier).await.text().await.unwrap());
    assert_eq!(page.matches("Standortbestimmung erfasst").count(), 1, "{page}");
}

#[tokio::test]
async fn a_kurzassessment_sent_again_after_back_is_stored_once_and_the_page_says_so() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let form = browser.get(&format!("{dossier}/kurzassessment")).await.text().await.unwrap();
    let token = form.split("name=\"form_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let mut fields = assessment_form();
    fields.push(("form_token", token.to_owned()));
    let path = format!("{dossier}/kurzassessment");
    assert_eq!(browser.submit(&path, &fields).await.status(), 303);
    let again = browser.submit(&path, &fields).await;
    assert_eq!(again.status(), 303, "the second send leads to the record");
    let location = again.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{dossier}?hinweis=bereits_gespeichert"));
    let page = visible_text(&browser.get(&location).await.text().await.unwrap());
    assert!(page.contains("Dieses Formular wurde bereits gespeichert."), "{page}");
    assert_eq!(page.matches("Kurzassessment erfasst").count(), 1, "one Kurzassessment, not two: {page}");
}

#[tokio::test]
async fn a_dossier_page_loaded_before_a_colleagues_change_does_not_close_reopen_or_reassign_over_it() {
    let app = TestApp::spawn().await;
    let dossier = open_dossier_for(&app, "fallfuehrung.olten").await;
    let tab = app.log_in_as("leitung.olten").await;
    let other_tab = app.log_in_as("leitung.olten").await;
    let stale = version_in(&other_tab.get(&dossier).await.text().await.unwrap());
    let current = version_in(&tab.get(&dossier).await.text().await.unwrap());
    assert!(!stale.is_empty(), "the dossier page carries its version");
    let to_colleague = [("fallfuehrung", "kollegin.olten".to_owned()), ("version", current)];
    assert_eq!(tab.submit(&format!("{dossier}/zuweisen"), &to_colleague).await.status(), 303);

    let close =
        [("grund", "abloesung_sozialhilfe".to_owned()), ("bemerkung", String::new()), ("version", stale.clone())];
    let refused = other_tab.submit(&format!("{dossier}/abschliessen"), &close).await;
    assert_eq!(refused.status(), 409, "the closing was based on the page before the reassignment");
    let html = refused.text().await.unwrap();
    let text = visible_text(&html);
    assert!(text.contains("inzwischen hat jemand anderes dieses Dossier geändert"), "{text}");
    assert!(text.contains("Status eröffnet") && text.contains("Fallführung Test kollegin.olten"), "{text}");
    assert_eq!(
        konflikt_row(&html, "Status"),
        Some(("eröffnet".to_owned(), "abschliessen (Ablösung von der Sozialhilfe)".to_owned())),
        "the state now beside what the closing asked for: {text}"
    );
    let back = [("fallfuehrung", "fallfuehrung.olten".to_owned()), ("version", stale)];
    let refused = other_tab.submit(&format!("{dossier}/zuweisen"), &back).await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert_eq!(
        konflikt_row(&html, "Fallführung"),
        Some(("Test kollegin.olten".to_owned(), "Test fallfuehrung.olten".to_owned())),
        "{}",
        visible_text(&html)
    );

    let fresh = version_in(&other_tab.get(&dossier).await.text().await.unwrap());
    let close =
        [("grund", "abloesung_sozialhilfe".to_owned()), ("bemerkung", String::new()), ("version", fresh.clone())];
    assert_eq!(other_tab.submit(&format!("{dossier}/abschliessen"), &close).await.status(), 303, "decided again");
    let reopen = [("begruendung", "erneut Sozialhilfe".to_owned()), ("version", fresh)];
    assert_eq!(tab.submit(&format!("{dossier}/wiedereroeffnen"), &reopen).await.status(), 409, "closed meanwhile");
    let page = visible_text(&tab.get(&dossier).await.text().await.unwrap());
    assert!(page.contains("Status abgeschlossen"), "{page}");
}

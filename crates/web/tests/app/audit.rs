use crate::support::{PASSWORD, TestApp, visible_text};
use iim_store::AuditQuery;

async fn entries_for(app: &TestApp, record: i64) -> Vec<iim_store::AuditRecord> {
    app.store.flush_audit().await;
    let auditor = app.store.login("kanton.aso", PASSWORD, "10.0.0.9").await.unwrap();
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Person),
        record_id: Some(record.to_string()),
        page: 1,
        per_page: 100,
        ..AuditQuery::default()
    };
    app.store.list_audit(&auditor, &query).await.unwrap().items
}

#[tokio::test]
async fn reading_a_person_page_writes_an_audit_entry() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Protokolliert", 2581).await;
    let browser = app.log_in_as("leitung.olten").await;
    assert_eq!(browser.get(&format!("/personen/{id}")).await.status(), 200);
    let entries = entries_for(&app, id).await;
    let read = entries.iter().find(|e| e.action == "read").expect("read entry");
    assert_eq!(read.actor_username, "leitung.olten");
    assert_eq!(read.channel, "ui");
    assert_eq!(read.outcome, "erlaubt");
    assert_eq!(read.actor_organisation, "Sozialregion Olten");
    assert!(entries.iter().any(|e| e.action == "create" && e.actor_username == "fallfuehrung.olten"));
}

#[tokio::test]
async fn api_read_and_refused_access_are_logged_with_their_channel() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Kanal", 2581).await;
    let own = app.token_for("fallfuehrung.olten").await;
    let other = app.token_for("fallfuehrung.thal").await;
    app.api().get(app.url(&format!("/api/v1/persons/{id}"))).bearer_auth(&own).send().await.unwrap();
    app.api().get(app.url(&format!("/api/v1/persons/{id}"))).bearer_auth(&other).send().await.unwrap();
    let entries = entries_for(&app, id).await;
    assert!(
        entries
            .iter()
            .any(|e| e.actor_username == "fallfuehrung.olten" && e.channel == "api" && e.outcome == "erlaubt")
    );
    assert!(
        entries
            .iter()
            .any(|e| e.actor_username == "fallfuehrung.thal" && e.channel == "api" && e.outcome == "verweigert")
    );
}

#[tokio::test]
async fn kanton_reads_the_log_page_and_case_worker_may_not() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Seite", 2581).await;
    app.store.flush_audit().await;
    let auditor = app.log_in_as("kanton.aso").await;
    let page = visible_text(&auditor.get(&format!("/protokoll?datensatz={id}")).await.text().await.unwrap());
    assert!(
        page.contains("Alle Zugriffe im Kanton.") && page.contains(&format!("Person {id}")) && page.contains("erfasst"),
        "{page}"
    );
    let case_worker = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(case_worker.get("/protokoll").await.status(), 403);
}

#[tokio::test]
async fn graceful_shutdown_writes_every_queued_read_entry() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Bis zuletzt", 2581).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    for _ in 0..50 {
        assert_eq!(browser.get(&format!("/personen/{id}")).await.status(), 200);
    }
    let database = app.stop().await;

    let clock = std::sync::Arc::new(iim_domain::clock::SystemClock);
    let reopened = iim_store::Store::connect(&database.url, clock).await.unwrap();
    reopened.migrate().await.unwrap();
    let auditor = reopened.login("kanton.aso", PASSWORD, "10.0.0.9").await.unwrap();
    let query = AuditQuery {
        resource: Some(iim_domain::Resource::Person),
        record_id: Some(id.to_string()),
        page: 1,
        per_page: 200,
        ..AuditQuery::default()
    };
    let reads =
        reopened.list_audit(&auditor, &query).await.unwrap().items.into_iter().filter(|e| e.action == "read").count();
    assert_eq!(reads, 50, "every page view before the shutdown is in the log");
}

/// Makes every insert into the access log fail (a trigger that raises), from a connection of its own.
async fn block_access_log(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let raw = sea_orm::Database::connect(&app.database.url).await.unwrap();
    let statements: &[&str] = match app.store.backend() {
        iim_store::Backend::Sqlite => {
            &["CREATE TRIGGER audit_log_blocked BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END"]
        }
        iim_store::Backend::Postgres => &[
            "CREATE FUNCTION audit_log_blocked() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'blocked'; END $$",
            "CREATE TRIGGER audit_log_blocked BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_blocked()",
        ],
    };
    for statement in statements {
        raw.execute_unprepared(statement).await.unwrap();
    }
}

#[tokio::test]
async fn no_personal_data_is_shown_while_the_access_log_cannot_be_written() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Verborgen", 2581).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    let token = app.token_for("fallfuehrung.olten").await;
    block_access_log(&app).await;

    let page = browser.get(&format!("/personen/{id}")).await;
    assert_eq!(page.status(), 503);
    let text = visible_text(&page.text().await.unwrap());
    assert!(text.contains("Das Zugriffsprotokoll kann gerade nicht geschrieben werden"), "{text}");
    assert!(!text.contains("Verborgen") && !text.contains("Selam"), "personal data shown: {text}");
    let list = browser.get("/personen?q=verborgen").await;
    assert_eq!(list.status(), 503);
    assert!(!list.text().await.unwrap().contains("Verborgen"));

    let api = app.api().get(app.url(&format!("/api/v1/persons/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status(), 503);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = api.json().await.unwrap();
    assert_eq!(problem["type"], "audit-unavailable");
    assert_eq!(problem["status"], 503);
    assert!(!problem.to_string().contains("Verborgen"), "{problem}");
}

#[tokio::test]
async fn the_log_page_names_each_record_by_its_kind() {
    let app = TestApp::spawn().await;
    let dossier = app.dossier_opened_by("fallfuehrung.olten", "Benannt", 2581).await;
    let browser = app.log_in_as("fallfuehrung.olten").await;
    assert_eq!(browser.get(&format!("/dossiers/{dossier}")).await.status(), 200);
    let auditor = app.log_in_as("kanton.aso").await;

    let page =
        visible_text(&auditor.get(&format!("/protokoll?art=dossier&datensatz={dossier}")).await.text().await.unwrap());
    assert!(page.contains(&format!("Dossier {dossier}")) && page.contains("gelesen"), "{page}");
    assert!(!page.contains(&format!("Benutzer {dossier}")), "a dossier shown as a user: {page}");
    let whole = visible_text(&auditor.get("/protokoll").await.text().await.unwrap());
    assert!(whole.contains(&format!("Dossier {dossier}")) && whole.contains("Anmeldung"), "{whole}");
}

/// Pages that check the role before they show anything log the refusal, like every store call: the access
/// log names who tried to open the audit log, the Prüfliste of offers, the questionnaire editor or a
/// person's edit form without the permission.
#[tokio::test]
async fn a_page_the_role_may_not_open_logs_the_refusal() {
    let app = TestApp::spawn().await;
    let id = app.person_registered_by("fallfuehrung.olten", "Nicht für Anbieter", 2581).await;
    let year = app.store.clock().today().format("%Y").to_string();
    let cases = [
        ("fallfuehrung.olten", "/protokoll".to_owned(), "audit_log"),
        ("fallfuehrung.olten", "/angebote-pruefen".to_owned(), "angebot"),
        ("fallfuehrung.olten", format!("/selbstdeklaration/{year}/fragebogen"), "selbstdeklaration"),
        ("anbieter.lernwerk", format!("/personen/{id}/bearbeiten"), "person"),
    ];
    for (username, path, resource) in cases {
        let browser = app.log_in_as(username).await;
        let status = browser.get(&path).await.status();
        assert!(status == 403 || status == 404, "{username} {path}: {status}");
        let refused = app
            .audit_entries(AuditQuery::default())
            .await
            .into_iter()
            .filter(|e| e.actor_username == username && e.resource == resource && e.outcome == "verweigert")
            .count();
        assert_eq!(refused, 1, "{username} {path}: one refusal in the log");
    }
}

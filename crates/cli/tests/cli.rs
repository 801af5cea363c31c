//! The `iim` binary as an operator uses it, on a fresh database (SQLite, or PostgreSQL when
//! IIM_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

#[path = "cli/caseload.rs"]
mod caseload;
#[path = "cli/demo.rs"]
mod demo;
#[path = "cli/inbox.rs"]
mod inbox;

use iim_store::scratch::ScratchDatabase;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn iim(database: &ScratchDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iim"))
        .args(args)
        .env("IIM_DATABASE_URL", &database.url)
        .env("IIM_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn operator_creates_the_first_admin_and_a_token() {
    let database = ScratchDatabase::from_env().await.unwrap();
    let migrated = iim(&database, &["migrate"], "");
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(text(&migrated.stdout).contains("m20261121_000001_foundation"));

    let args = [
        "user",
        "add",
        "--username",
        "anna.admin",
        "--name",
        "Anna Admin",
        "--org",
        "aso",
        "--roles",
        "admin",
        "--password-stdin",
    ];
    let added = iim(&database, &args, "ein-langes-passwort\n");
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("Benutzer anna.admin angelegt"));

    let token = iim(&database, &["token", "create", "--user", "anna.admin", "--name", "Fachsystem"], "");
    assert!(token.status.success(), "{}", text(&token.stderr));
    assert!(text(&token.stdout).lines().any(|line| line.starts_with("iim_") && line.len() > 40));

    let list = iim(&database, &["user", "list"], "");
    assert!(text(&list.stdout).contains("anna.admin") && text(&list.stdout).contains("aktiv"));
}

#[tokio::test]
async fn bad_operator_input_fails_with_a_german_message() {
    let database = ScratchDatabase::from_env().await.unwrap();
    let add_user = |roles: &'static str| {
        [
            "user",
            "add",
            "--username",
            "x",
            "--name",
            "X",
            "--org",
            "gibt-es-nicht",
            "--roles",
            roles,
            "--password-stdin",
        ]
    };
    let refused = iim(&database, &add_user("chef"), "kurz\n");
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("Rolle «chef» gibt es nicht"), "{}", text(&refused.stderr));

    let refused = iim(&database, &add_user("admin"), "kurz\n");
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(message.contains("Organisation «gibt-es-nicht» gibt es nicht"), "{message}");
    assert!(message.contains("mindestens 10 Zeichen"), "{message}");
}

#[test]
fn unknown_database_scheme_is_explained() {
    let output = Command::new(env!("CARGO_BIN_EXE_iim"))
        .arg("migrate")
        .env("IIM_DATABASE_URL", "mysql://localhost/iim")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("sqlite:// oder postgres://"), "{}", text(&output.stderr));
}

#[tokio::test]
async fn a_folder_of_register_deliveries_is_imported_once_and_refusals_fail_the_run() {
    let database = ScratchDatabase::from_env().await.unwrap();
    let args = ["user", "add", "--username", "ib.olten", "--name", "IB Olten", "--org", "gde-2581", "--roles"];
    let added = iim(&database, &[&args[..], &["integrationsbeauftragte", "--no-password"]].concat(), "");
    assert!(added.status.success(), "{}", text(&added.stderr));
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../ech/tests/fixtures");

    let first = iim(&database, &["import", "ech0020", "--user", "ib.olten", fixtures], "");
    let output = text(&first.stdout);
    assert!(!first.status.success(), "the broken person of the base delivery fails the run: {output}");
    assert!(output.contains("3 Dateien, davon 0 schon früher importiert"), "{output}");
    assert!(
        output.contains(
            "Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/vn: Die Prüfziffer der AHV-Nummer stimmt nicht."
        ),
        "{output}"
    );
    assert!(output.contains("1 neu gespeichert"), "{output}");

    let second = iim(&database, &["import", "ech0020", "--user", "ib.olten", fixtures], "");
    let output = text(&second.stdout);
    assert!(!second.status.success(), "the broken person is still refused: {output}");
    assert!(output.contains("3 Dateien, davon 3 schon früher importiert"), "{output}");
    assert!(output.contains("0 neu gespeichert"), "{output}");
    assert!(output.contains("2 bereits früher importiert, 3 abgelehnt"), "Balsthal stays refused: {output}");

    let missing = iim(&database, &["import", "ech0020", "--user", "ib.olten", "/nicht/vorhanden.xml"], "");
    assert!(!missing.status.success());
    assert!(text(&missing.stdout).contains("abgelehnt: nicht lesbar"), "{}", text(&missing.stdout));
}

#[tokio::test]
async fn a_zip_of_deliveries_is_imported_entry_by_entry_and_a_refusal_fails_the_run() {
    let database = ScratchDatabase::from_env().await.unwrap();
    let args = ["user", "add", "--username", "admin", "--name", "Admin", "--org", "aso", "--roles", "admin"];
    let added = iim(&database, &[&args[..], &["--no-password"]].concat(), "");
    assert!(added.status.success(), "{}", text(&added.stderr));
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../ech/tests/fixtures");
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("woche-47.zip");
    let mut archive = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for name in ["move-out-death.xml", "base-delivery.xml", "move-in-from-abroad.xml"] {
        archive.start_file(format!("kw47/{name}"), zip::write::SimpleFileOptions::default()).unwrap();
        archive.write_all(&std::fs::read(format!("{fixtures}/{name}")).unwrap()).unwrap();
    }
    archive.start_file("kw47/liesmich.txt", zip::write::SimpleFileOptions::default()).unwrap();
    archive.finish().unwrap();
    let zip = path.to_str().unwrap();

    let first = iim(&database, &["import", "ech0020", "--user", "admin", zip], "");
    let output = text(&first.stdout);
    assert!(!first.status.success(), "the broken person of the base delivery fails the run: {output}");
    assert!(output.contains("4 Dateien, davon 0 schon früher importiert, 0 abgelehnt und 1 übersprungen"), "{output}");
    assert!(output.contains("woche-47.zip/kw47/liesmich.txt: übersprungen"), "{output}");
    assert!(output.contains("Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/vn"), "{output}");
    assert!(output.contains("1 neu gespeichert"), "{output}");

    let second = iim(&database, &["import", "ech0020", "--user", "admin", zip], "");
    let output = text(&second.stdout);
    assert!(!second.status.success(), "the broken person is still refused: {output}");
    assert!(output.contains("davon 3 schon früher importiert"), "{output}");
    assert!(output.contains("0 neu gespeichert"), "{output}");
}

/// Starts `iim serve` on a free port and returns the child and its address, read from its JSON log.
fn serve(database: &ScratchDatabase) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iim"))
        .arg("serve")
        .env("IIM_DATABASE_URL", &database.url)
        .env("IIM_LISTEN", "127.0.0.1:0")
        .env("IIM_LOG_FORMAT", "json")
        .env("IIM_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (found, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("\"listening\"")
                && let Some(rest) = line.split("\"address\":\"").nth(1)
            {
                let _ = found.send(rest.split('"').next().unwrap_or_default().to_owned());
            }
        }
    });
    let address = address.recv_timeout(std::time::Duration::from_secs(120)).expect("iim serve did not start");
    (child, address)
}

#[tokio::test]
async fn every_read_answered_before_a_kill_9_is_in_the_access_log() {
    use iim_domain::{PersonInput, Role};
    use iim_store::{AuditQuery, NewUser, Store};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    let database = ScratchDatabase::from_env().await.unwrap();
    let store = Store::connect(&database.url, Arc::new(iim_domain::clock::SystemClock)).await.unwrap();
    store.migrate().await.unwrap();
    store.operator().sync_organisations(&iim_store::RegionMapping::example().unwrap()).await.unwrap();
    let new_user = |username: &str, organisation: &str, role: Role| NewUser {
        username: username.to_owned(),
        display_name: username.to_owned(),
        organisation_code: organisation.to_owned(),
        roles: vec![role],
        password: Some("ein-langes-passwort".to_owned()),
    };
    store.operator().create_user(new_user("fall.olten", "sr-olten", Role::Fallfuehrung)).await.unwrap();
    store.operator().create_user(new_user("kanton.pruefung", "aso", Role::Kanton)).await.unwrap();
    let (_, token) = store.operator().create_api_token("fall.olten", "Last", None).await.unwrap();
    let reader = store.api_actor(&token).await.unwrap().unwrap();
    let mut persons = Vec::new();
    for nachname in ["Erste", "Zweite", "Dritte", "Vierte"] {
        let input = PersonInput {
            nachname: nachname.into(),
            vornamen: "Selam".into(),
            geschlecht: "weiblich".into(),
            geburtsdatum: "1994".into(),
            nationalitaet: "ER".into(),
            aufenthaltsstatus: "F".into(),
            ahv_nummer: String::new(),
            einreisedatum: "03.2016".into(),
            sprachen: vec!["ti".into()],
            wohngemeinde_bfs: "2581".into(),
        };
        let data = input.parse(store.clock().today()).unwrap();
        persons.push(store.create_person(&reader, data).await.unwrap().id);
    }
    store.close().await;

    let (mut child, address) = serve(&database);
    let acknowledged: Arc<Vec<AtomicU64>> = Arc::new(persons.iter().map(|_| AtomicU64::new(0)).collect());
    let answered_in_all = Arc::new(AtomicU64::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let client = reqwest::Client::new();
    let mut callers = Vec::new();
    for caller in 0..16 {
        let (client, token, enough) = (client.clone(), token.clone(), enough.clone());
        let (acknowledged, answered_in_all) = (acknowledged.clone(), answered_in_all.clone());
        let (slot, id) = (caller % persons.len(), persons[caller % persons.len()]);
        let url = format!("http://{address}/api/v1/persons/{id}");
        callers.push(tokio::spawn(async move {
            while let Ok(response) = client.get(&url).bearer_auth(&token).send().await {
                assert_eq!(response.status(), 200);
                let Ok(body) = response.bytes().await else { break };
                assert!(String::from_utf8_lossy(&body).contains("Selam"));
                acknowledged[slot].fetch_add(1, Ordering::SeqCst);
                if answered_in_all.fetch_add(1, Ordering::SeqCst) + 1 == 400 {
                    enough.notify_one();
                }
            }
        }));
    }
    enough.notified().await;
    child.kill().unwrap();
    child.wait().unwrap();
    for caller in callers {
        caller.await.unwrap();
    }

    let store = Store::connect(&database.url, Arc::new(iim_domain::clock::SystemClock)).await.unwrap();
    store.migrate().await.unwrap();
    let auditor = store.login("kanton.pruefung", "ein-langes-passwort", "127.0.0.1").await.unwrap();
    for (slot, id) in persons.iter().enumerate() {
        let query = AuditQuery {
            resource: Some(iim_domain::Resource::Person),
            record_id: Some(id.to_string()),
            page: 1,
            per_page: 1,
            ..AuditQuery::default()
        };
        let reads_logged = store.list_audit(&auditor, &query).await.unwrap().total - 1;
        let answered = acknowledged[slot].load(Ordering::SeqCst);
        assert!(answered > 0, "person {id} was never read");
        assert!(reads_logged >= answered, "person {id}: {answered} reads answered, only {reads_logged} logged");
    }
}

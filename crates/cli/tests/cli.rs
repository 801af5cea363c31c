//! The `iim` binary as an operator uses it, on a fresh database (SQLite, or PostgreSQL when
//! IIM_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

#[path = "cli/demo.rs"]
mod demo;

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
        output.contains("Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/officialName: Der Name fehlt."),
        "{output}"
    );
    assert!(output.contains("1 gespeichert"), "{output}");

    let second = iim(&database, &["import", "ech0020", "--user", "ib.olten", fixtures], "");
    assert!(second.status.success(), "nothing new, nothing refused: {}", text(&second.stderr));
    assert!(text(&second.stdout).contains("3 Dateien, davon 3 schon früher importiert"), "{}", text(&second.stdout));

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
    assert!(output.contains("Ereignis 2 (baseDelivery), Feld baseDeliveryPerson/officialName"), "{output}");
    assert!(output.contains("1 gespeichert"), "{output}");

    let second = iim(&database, &["import", "ech0020", "--user", "admin", zip], "");
    assert!(second.status.success(), "nothing new, nothing refused: {}", text(&second.stdout));
    assert!(text(&second.stdout).contains("davon 3 schon früher importiert"), "{}", text(&second.stdout));
}

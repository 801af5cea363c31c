//! `iim import ech0020 --watch ORDNER`, the sedex inbox: files land in processed/ or refused/ with a reason
//! file, a file still being written is not taken half, and a file left behind by a killed run is imported again
//! without storing anything twice.

use super::{iim, text};
use iim_store::scratch::ScratchDatabase;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../ech/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A database with the Integrationsbeauftragte of Olten, `ib.olten`.
async fn database_with_ib_olten() -> ScratchDatabase {
    let database = ScratchDatabase::from_env().await.unwrap();
    let args = ["user", "add", "--username", "ib.olten", "--name", "IB Olten", "--org", "gde-2581", "--roles"];
    let added = iim(&database, &[&args[..], &["integrationsbeauftragte", "--no-password"]].concat(), "");
    assert!(added.status.success(), "{}", text(&added.stderr));
    database
}

/// `iim import ech0020 --watch ORDNER --einmal` with its log at level info; the log (stderr).
fn watch_once(database: &ScratchDatabase, folder: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_iim"))
        .args(["import", "ech0020", "--user", "ib.olten", "--einmal", "--intervall", "1", "--watch"])
        .arg(folder)
        .env("IIM_DATABASE_URL", &database.url)
        .env("IIM_LOG", "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn")
        .output()
        .unwrap();
    let log = text(&output.stderr);
    assert!(output.status.success(), "{log}");
    log
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| !["processed", "refused"].contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn each_file_lands_in_processed_or_in_refused_with_its_reason() {
    let database = database_with_ib_olten().await;
    let inbox = tempfile::tempdir().unwrap();
    let olten = fixture("move-in-from-abroad.xml");
    std::fs::write(inbox.path().join("data_olten-0001.xml"), &olten).unwrap();
    std::fs::write(inbox.path().join("envl_olten-0001.xml"), "<envelope/>").unwrap();
    let balsthal = olten
        .replace("<e07:municipalityId>2581</e07:municipalityId>", "<e07:municipalityId>2422</e07:municipalityId>")
        .replace("olten-2026-11-20-0001", "balsthal-2026-11-20-0001");
    std::fs::write(inbox.path().join("balsthal.xml"), balsthal).unwrap();
    let other_message = olten.replace("olten-2026-11-20-0001", "olten-2026-11-20-0002");
    std::fs::write(inbox.path().join("kaputt.xml"), &other_message[..olten.len() / 2]).unwrap();
    std::fs::write(inbox.path().join("notiz.txt"), "keine Lieferung").unwrap();

    let log = watch_once(&database, inbox.path());

    assert_eq!(names_in(inbox.path()), ["notiz.txt"], "only what is not a delivery stays: {log}");
    assert_eq!(names_in(&inbox.path().join("processed")), ["data_olten-0001.xml", "envl_olten-0001.xml"]);
    assert_eq!(
        names_in(&inbox.path().join("refused")),
        ["balsthal.xml", "balsthal.xml.grund.txt", "kaputt.xml", "kaputt.xml.grund.txt"]
    );
    let reason = std::fs::read_to_string(inbox.path().join("refused/balsthal.xml.grund.txt")).unwrap();
    assert!(reason.contains("Gemeinde ausserhalb Ihres Zuständigkeitsbereichs"), "{reason}");
    let reason = std::fs::read_to_string(inbox.path().join("refused/kaputt.xml.grund.txt")).unwrap();
    assert!(reason.contains("nicht oder nicht ganz übernommen") && reason.contains("XML"), "{reason}");
    assert_eq!(log.matches("Lieferung eingelesen").count(), 3, "one line per file: {log}");
    assert!(log.contains("datei=data_olten-0001.xml ordner=\"processed\" gelesen=1 gespeichert=1"), "{log}");
}

#[tokio::test]
async fn a_file_written_in_two_steps_is_not_picked_up_half() {
    let database = database_with_ib_olten().await;
    let inbox = tempfile::tempdir().unwrap();
    let olten = fixture("move-in-from-abroad.xml");
    let path = inbox.path().join("olten.xml");
    std::fs::write(&path, &olten[..100]).unwrap();
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_iim"))
        .args(["import", "ech0020", "--user", "ib.olten", "--intervall", "2", "--watch"])
        .arg(inbox.path())
        .env("IIM_DATABASE_URL", &database.url)
        .env("IIM_LOG", "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (line, lines) = std::sync::mpsc::channel();
    let stderr = watcher.stderr.take().unwrap();
    std::thread::spawn(move || {
        for log in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = line.send(log);
        }
    });
    // The rest arrives a piece every 100 ms, so the file changes between any two looks until it is complete.
    let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    for piece in olten.as_bytes()[100..].chunks(olten.len() / 40 + 1) {
        std::thread::sleep(Duration::from_millis(100));
        file.write_all(piece).unwrap();
    }
    drop(file);
    let mut logs = std::iter::from_fn(|| lines.recv_timeout(Duration::from_secs(120)).ok());
    let read = logs.find(|log| log.contains("Lieferung eingelesen"));
    watcher.kill().unwrap();
    watcher.wait().unwrap();
    let read = read.expect("the watcher logs the file");
    assert!(read.contains("ordner=\"processed\" gelesen=1 gespeichert=1"), "{read}");
    assert_eq!(names_in(&inbox.path().join("refused")), Vec::<String>::new(), "never taken half");
    assert_eq!(names_in(&inbox.path().join("processed")), ["olten.xml"]);
}

#[tokio::test]
async fn a_file_left_behind_by_a_killed_run_is_imported_again_and_stored_once() {
    let database = database_with_ib_olten().await;
    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("olten.xml");
    std::fs::write(&path, fixture("move-in-from-abroad.xml")).unwrap();
    // The run that was killed: its import committed, the file was not moved yet.
    let first = iim(&database, &["import", "ech0020", "--user", "ib.olten", path.to_str().unwrap()], "");
    assert!(text(&first.stdout).contains("1 neu gespeichert"), "{}", text(&first.stdout));

    let log = watch_once(&database, inbox.path());

    assert!(log.contains("gelesen=1 gespeichert=0 zugeordnet=0 uebersprungen=0 frueher_importiert=1"), "{log}");
    assert_eq!(names_in(&inbox.path().join("processed")), ["olten.xml"]);
    assert_eq!(names_in(inbox.path()), Vec::<String>::new());
}

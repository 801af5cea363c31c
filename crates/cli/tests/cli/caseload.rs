//! `iim import caseload`: the Leitung's list as a file, first as a Probelauf, then imported, then again.

use super::{iim, text};
use iim_domain::caseload::Spalte;
use iim_store::scratch::ScratchDatabase;

fn list(fallfuehrung: &str) -> String {
    let header: Vec<&str> = Spalte::ALL.iter().map(|s| s.titel()).collect();
    let mut csv = header.join(";") + "\n";
    for name in ["Haile", "Berhe"] {
        csv.push_str(&format!(
            "{name};Selam;1994;;w;ER;F;Olten;ja;01.02.2025;{fallfuehrung};;Sprache: Deutsch A2;A1;\n"
        ));
    }
    csv
}

#[tokio::test]
async fn the_leitung_previews_then_imports_a_caseload_list_once() {
    let database = ScratchDatabase::from_env().await.unwrap();
    assert!(iim(&database, &["migrate"], "").status.success());
    let add = ["user", "add", "--username", "leitung.test", "--name", "Leitung Test", "--org", "sr-olten"];
    let added =
        iim(&database, &[&add[..], &["--roles", "leitung", "--password-stdin"]].concat(), "ein-langes-passwort\n");
    assert!(added.status.success(), "{}", text(&added.stderr));
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("fallliste.csv");
    std::fs::write(&file, list("leitung.test")).unwrap();
    let path = file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let args =
            [&["import", "caseload", path, "--stelle", "sr-olten", "--user", "leitung.test"][..], extra].concat();
        iim(&database, &args, "")
    };

    let preview = run(&["--probelauf"]);
    assert!(preview.status.success(), "{}", text(&preview.stderr));
    let out = text(&preview.stdout);
    assert!(out.contains("Zeile 2: würde angelegt: Haile Selam"), "{out}");
    assert!(out.contains("Probelauf, nichts gespeichert für Sozialregion Olten: 2 Dossiers neu"), "{out}");

    let imported = run(&[]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("2 Dossiers angelegt, 0 Zeilen bereits"), "{}", text(&imported.stdout));

    let again = run(&[]);
    assert!(text(&again.stdout).contains("0 Dossiers angelegt, 2 Zeilen bereits früher übernommen"));

    std::fs::write(&file, list("niemand")).unwrap();
    let refused = run(&["--probelauf"]);
    assert!(!refused.status.success(), "a refused row makes the command fail");
    assert!(text(&refused.stdout).contains("«niemand» ist keine Fallführung dieser Sozialregion."));
}

//! `iim demo --no-serve` on many days (IIM_HEUTE fixes the clock): month ends, 29 February, the turn of the
//! year and the Kindergarten cut-off. After each run the README's promises are checked through the store,
//! then a second run must exit 0, say that the data is there, and add nothing.

use super::{iim, text};
use chrono::{NaiveDate, TimeZone, Utc};
use iim_domain::angebot::AngebotStatus;
use iim_domain::clock::FixedClock;
use iim_domain::erstinformation::NeuzuzuegerStatus;
use iim_domain::fruehfoerderung::{Faelligkeit, Phase};
use iim_domain::selbstdeklaration::DeklarationStatus;
use iim_store::scratch::ScratchDatabase;
use iim_store::{
    AngebotFilter, AngebotQuery, DeklarationFilter, KinderFilter, KinderQuery, MentorQuery, NeuzuzuegerFilter,
    NeuzuzuegerQuery, RegionMapping, Store,
};
use std::process::{Command, Output};
use std::sync::Arc;

/// Fewer persons than the default 2000 keep the test fast; 600 still give the Olten case worker enough
/// persons of working age.
const PERSONS: &str = "600";

/// The README's login table (and the Integrationsbeauftragte of the Selbstdeklaration).
const LOGINS: [&str; 13] = [
    "fallfuehrung.olten",
    "leitung.olten",
    "fallfuehrung.thal",
    "ib.olten",
    "ib.grenchen",
    "ib.balsthal",
    "ib.solothurn",
    "anbieter.lernwerk",
    "anbieter.potenzial",
    "kanton.aso",
    "migrationsamt",
    "koordination.olten",
    "admin",
];

/// 26 days over two years: every month end that is hard (28./29. February, 30./31.), the turn of the year,
/// the Kindergarten cut-off (31.07.) and first day (01.08.), and the day the demo first broke (04.12.2026).
const DAYS: [&str; 26] = [
    "31.01.2026",
    "28.02.2026",
    "31.03.2026",
    "30.04.2026",
    "31.05.2026",
    "30.06.2026",
    "31.07.2026",
    "01.08.2026",
    "31.08.2026",
    "30.09.2026",
    "31.10.2026",
    "30.11.2026",
    "04.12.2026",
    "31.12.2026",
    "01.01.2027",
    "28.02.2027",
    "01.03.2027",
    "30.06.2027",
    "31.07.2027",
    "01.08.2027",
    "30.11.2027",
    "31.12.2027",
    "01.01.2028",
    "28.02.2028",
    "29.02.2028",
    "01.03.2028",
];

fn demo(database: &str, day: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iim"))
        .args(["demo", "--no-serve", "--persons", PERSONS])
        .env("IIM_DATABASE_URL", database)
        .env("IIM_HEUTE", day)
        .env("IIM_LOG", "warn")
        .output()
        .unwrap()
}

async fn store_on(database: &str, day: NaiveDate) -> Store {
    let noon = Utc.from_utc_datetime(&day.and_hms_opt(11, 0, 0).unwrap());
    let store = Store::connect(database, Arc::new(FixedClock(noon))).await.unwrap();
    store.migrate().await.unwrap();
    store.operator().sync_organisations(&RegionMapping::example().unwrap()).await.unwrap();
    store
}

/// What the demo promises, as counts; equal before and after a second run.
#[derive(Debug, PartialEq, Eq)]
struct Promises {
    persons: u64,
    dossiers: u64,
    overdue_standortbestimmungen: usize,
    results_waiting: usize,
    without_anschluss: usize,
    transfer_proposals: usize,
    children: u64,
    children_overdue: usize,
    children_entered: usize,
    children_newborn: usize,
    offers: u64,
    offers_published: u64,
    offers_to_check: u64,
    neuzuzueger: u64,
    neuzuzueger_invited: usize,
    neuzuzueger_talked_to: usize,
    declarations: Vec<(u16, DeklarationStatus)>,
    mentors: u64,
    mentees: u64,
    tandems_active_ended: (u64, u64),
    orders_lernwerk: u64,
    orders_potenzial: u64,
}

async fn promises(store: &Store, day: NaiveDate) -> Promises {
    let login = |name: &'static str| async move { store.login(name, "demo-passwort", "127.0.0.1").await.unwrap() };
    let case_worker = login("fallfuehrung.olten").await;
    let worklist = store.pendenzen(&case_worker).await.unwrap();
    let ib = login("ib.olten").await;
    let kinder = KinderQuery { filter: KinderFilter::Alle, page: 1, per_page: 100, ..KinderQuery::default() };
    let children = store.list_kinder(&ib, &kinder).await.unwrap();
    let kanton = login("kanton.aso").await;
    let offers = |filter: Option<AngebotFilter>| {
        let kanton = kanton.clone();
        async move {
            let query = AngebotQuery { filter, page: 1, per_page: 1, ..AngebotQuery::default() };
            store.offers(&kanton, &query).await.unwrap().total
        }
    };
    let neuzuzueger = NeuzuzuegerQuery { filter: NeuzuzuegerFilter::Alle, page: 1, per_page: 50, ..Default::default() };
    let neuzuzueger = store.list_neuzuzueger(&ib, &neuzuzueger).await.unwrap();
    let year = chrono::Datelike::year(&day);
    let mut declarations: Vec<(u16, DeklarationStatus)> = store
        .selbstdeklarationen(&kanton, year, &DeklarationFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.status != DeklarationStatus::NichtBegonnen)
        .map(|d| (d.gemeinde.get(), d.status))
        .collect();
    declarations.sort_by_key(|(bfs, _)| *bfs);
    let coordinator = login("koordination.olten").await;
    let mentors = MentorQuery { page: 1, per_page: 1, ..MentorQuery::default() };
    let pool = store.pool_zahlen(&coordinator).await.unwrap();
    Promises {
        persons: store.operator().count_persons().await.unwrap(),
        dossiers: store.caseload(&case_worker, 1, 1).await.unwrap().total,
        overdue_standortbestimmungen: worklist.ueberfaellig.len(),
        results_waiting: worklist.ergebnisse.len(),
        without_anschluss: worklist.ohne_anschluss.len(),
        transfer_proposals: worklist.umzuege.len(),
        children: children.total,
        children_overdue: children.items.iter().filter(|k| k.faelligkeit == Faelligkeit::Ueberfaellig).count(),
        children_entered: children.items.iter().filter(|k| k.phase == Phase::Abgeschlossen).count(),
        children_newborn: children.items.iter().filter(|k| k.phase == Phase::FamiliensprachePruefen).count(),
        offers: offers(None).await,
        offers_published: offers(Some(AngebotFilter::Status(AngebotStatus::Veroeffentlicht))).await,
        offers_to_check: offers(Some(AngebotFilter::ZuPruefen)).await,
        neuzuzueger: neuzuzueger.total,
        neuzuzueger_invited: neuzuzueger.items.iter().filter(|n| n.status == NeuzuzuegerStatus::Eingeladen).count(),
        neuzuzueger_talked_to: neuzuzueger.items.iter().filter(|n| n.status == NeuzuzuegerStatus::Gefuehrt).count(),
        declarations,
        mentors: store.list_mentoren(&coordinator, &mentors).await.unwrap().total,
        mentees: store.list_mentees(&coordinator, 1, 1).await.unwrap().total,
        tandems_active_ended: (pool.aktiv, pool.beendet),
        orders_lernwerk: store.provider_orders(&login("anbieter.lernwerk").await, 1, 1).await.unwrap().total,
        orders_potenzial: store.provider_orders(&login("anbieter.potenzial").await, 1, 1).await.unwrap().total,
    }
}

/// The README's demo paragraph, checked on one day.
fn assert_promises_kept(found: &Promises, day: &str) {
    assert_eq!(found.persons, 600 + 4 + 1 + 8, "{day}: synthetic persons, neuzuzueger, the mover, the children");
    assert_eq!(found.dossiers, 40, "{day}: caseload of fallfuehrung.olten");
    assert!(found.overdue_standortbestimmungen > 0, "{day}: some Standortbestimmungen overdue");
    assert_eq!(found.results_waiting, 2, "{day}: two results waiting");
    assert_eq!(found.without_anschluss, 1, "{day}: a completed German course without Anschluss");
    assert_eq!(found.transfer_proposals, 1, "{day}: the move to Balsthal proposes the transfer");
    assert_eq!(found.children, 8, "{day}: eight children of Olten");
    assert_eq!(found.children_overdue, 1, "{day}: one child's assessment overdue");
    assert_eq!(found.children_entered, 5, "{day}: five entered the Kindergarten with their level");
    assert_eq!(found.children_newborn, 1, "{day}: a newborn whose family language is to confirm");
    assert_eq!(found.offers, 400, "{day}: offers of the Angebotsplattform");
    assert!(found.offers_published > 200, "{day}: most offers published: {}", found.offers_published);
    assert!(found.offers_to_check > 0, "{day}: some offers wait for kanton.aso");
    assert!(found.neuzuzueger >= 4, "{day}: the four demo arrivals");
    assert_eq!((found.neuzuzueger_invited, found.neuzuzueger_talked_to), (1, 1), "{day}: one invited, one talked to");
    assert_eq!(
        found.declarations,
        vec![
            (2422, DeklarationStatus::Eingereicht),
            (2546, DeklarationStatus::Eingereicht),
            (2601, DeklarationStatus::Entwurf)
        ],
        "{day}: two submitted, one draft"
    );
    assert_eq!(found.mentors, 4, "{day}: four volunteers in the pool");
    assert_eq!(found.mentees, 2, "{day}: two neuzuzueger referred by ib.olten");
    assert_eq!(found.tandems_active_ended, (1, 1), "{day}: an active and an ended tandem");
    assert_eq!((found.orders_lernwerk, found.orders_potenzial), (3, 1), "{day}: four orders to providers");
}

/// The demo on one day: first run, promises, second run, nothing added.
async fn demo_on(day: &'static str) {
    let date = NaiveDate::parse_from_str(day, "%d.%m.%Y").unwrap();
    let database = ScratchDatabase::from_env().await.unwrap();
    let url = database.url.clone();
    let first = tokio::task::spawn_blocking(move || demo(&url, day)).await.unwrap();
    assert!(first.status.success(), "{day}: {}{}", text(&first.stdout), text(&first.stderr));
    let store = store_on(&database.url, date).await;
    for name in LOGINS {
        assert!(store.login(name, "demo-passwort", "127.0.0.1").await.is_ok(), "{day}: login {name}");
    }
    let before = promises(&store, date).await;
    assert_promises_kept(&before, day);

    let url = database.url.clone();
    let second = tokio::task::spawn_blocking(move || demo(&url, day)).await.unwrap();
    let output = text(&second.stdout);
    assert!(second.status.success(), "{day}: second run: {output}{}", text(&second.stderr));
    assert_eq!(output.matches("Demo-Daten sind bereits vorhanden").count(), 11, "{day}: {output}");
    assert_eq!(promises(&store, date).await, before, "{day}: the second run added nothing");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_keeps_its_promises_on_any_day_and_a_second_run_adds_nothing() {
    let postgres = std::env::var("IIM_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    // PostgreSQL: a few days only (each needs its own database); SQLite: all of them.
    let days: Vec<&'static str> =
        if postgres { vec!["04.12.2026", "29.02.2028", "31.07.2027", "01.08.2027"] } else { DAYS.to_vec() };
    let started = std::time::Instant::now();
    let limit = Arc::new(tokio::sync::Semaphore::new(3));
    let mut runs = Vec::new();
    for day in days {
        let limit = limit.clone();
        runs.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await.unwrap();
            demo_on(day).await;
        }));
    }
    for run in runs {
        run.await.unwrap();
    }
    eprintln!("demo on all days: {:.1} s", started.elapsed().as_secs_f64());
}

#[tokio::test]
async fn a_rerun_in_a_later_year_completes_that_years_selbstdeklaration() {
    let database = ScratchDatabase::from_env().await.unwrap();
    let first = demo(&database.url, "04.12.2026");
    assert!(first.status.success(), "{}", text(&first.stderr));
    let later = demo(&database.url, "15.01.2027");
    let output = text(&later.stdout);
    assert!(later.status.success(), "{output}{}", text(&later.stderr));
    assert!(output.contains("Selbstdeklarationen 2027: Grenchen und Balsthal eingereicht"), "{output}");
    assert!(output.contains("Dossiers für fallfuehrung.olten: Demo-Daten sind bereits vorhanden"), "{output}");
    let store = store_on(&database.url, NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()).await;
    let kanton = store.login("kanton.aso", "demo-passwort", "127.0.0.1").await.unwrap();
    for year in [2026, 2027] {
        let begun = store
            .selbstdeklarationen(&kanton, year, &DeklarationFilter::default())
            .await
            .unwrap()
            .iter()
            .filter(|d| d.status != DeklarationStatus::NichtBegonnen)
            .count();
        assert_eq!(begun, 3, "{year}");
    }
    store.close().await;
}

#[tokio::test]
async fn a_run_that_broke_off_halfway_is_completed_by_the_next_one() {
    let database = ScratchDatabase::from_env().await.unwrap();
    // ib.grenchen exists with another password: the demo stops at the Selbstdeklarationen, halfway through.
    let args = ["user", "add", "--username", "ib.grenchen", "--name", "IB Grenchen", "--org", "gde-2546", "--roles"];
    let added = iim(
        &database,
        &[&args[..], &["integrationsbeauftragte", "--password-stdin"]].concat(),
        "ein-anderes-passwort\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let broken = demo(&database.url, "31.12.2026");
    assert!(!broken.status.success(), "{}", text(&broken.stdout));
    assert!(!text(&broken.stdout).contains("Kinder in der frühen Sprachförderung"), "{}", text(&broken.stdout));

    let reset = iim(&database, &["user", "set-password", "ib.grenchen", "--password-stdin"], "demo-passwort\n");
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    let completed = demo(&database.url, "31.12.2026");
    let output = text(&completed.stdout);
    assert!(completed.status.success(), "{output}{}", text(&completed.stderr));
    assert!(output.contains("Dossiers für fallfuehrung.olten: Demo-Daten sind bereits vorhanden"), "{output}");
    assert!(output.contains("Selbstdeklarationen 2026: Grenchen und Balsthal eingereicht"), "{output}");
    assert!(output.contains("8 Kinder in der frühen Sprachförderung"), "{output}");
    assert!(output.contains("400 Angebote der Angebotsplattform erzeugt"), "{output}");
    let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let store = store_on(&database.url, day).await;
    assert_promises_kept(&promises(&store, day).await, "31.12.2026");
    store.close().await;
}

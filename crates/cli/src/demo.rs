//! `iim demo`: a ready-to-try installation. Prepares whatever database is configured (by default the
//! embedded SQLite file) with the organisations, two accredited providers, one login per role and synthetic
//! persons, prints the logins and serves. In the demo, closings of Sozialregion Olten need the Leitung's
//! approval. Running it again keeps existing data and accounts.

use crate::config::Config;
use crate::{open_store, serve, synthetic};
use chrono::Datelike;
use clap::Args;
use iim_domain::Role;
use iim_domain::auftrag::{AnbieterTyp, AuftragArt, AuftragInput, ErgebnisInput};
use iim_domain::erstinformation::{EmpfehlungInput, GespraechInput, StatusInput};
use iim_domain::fruehfoerderung::Eingabe;
use iim_domain::gemeindeorganisation::GemeindeorganisationInput;
use iim_domain::massnahmen::{BuchungInput, TeilnahmeEndeInput};
use iim_domain::mentoring::{AbklaerungInput, AnmeldungInput, CheckinInput, TandemWechselInput, ZuweisungInput};
use iim_domain::sprache::SprachstandInput;
use iim_domain::{BfsNr, PartialDate, PersonInput};
use iim_store::{
    KinderFilter, KinderQuery, NeuzuzuegerFilter, NeuzuzuegerQuery, NewUser, PersonQuery, Store, StoreError,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Password of all demo accounts. Only for trying the product: never use `demo` on real data.
pub const DEMO_PASSWORD: &str = "demo-passwort";

/// The demo accounts: user name, name, organisation code, role.
pub const DEMO_USERS: &[(&str, &str, &str, Role)] = &[
    ("fallfuehrung.olten", "Fatima Keller", "sr-olten", Role::Fallfuehrung),
    ("leitung.olten", "Beat Schneider", "sr-olten", Role::Leitung),
    ("fallfuehrung.thal", "Luca Brunner", "sr-thal", Role::Fallfuehrung),
    ("ib.olten", "Sara Weber", "gde-2581", Role::Integrationsbeauftragte),
    ("anbieter.lernwerk", "Marco Rossi", "anbieter-lernwerk", Role::Anbieter),
    ("anbieter.potenzial", "Nina Gerber", "anbieter-potenzialerfassung", Role::Anbieter),
    ("kanton.aso", "Claudia Meier", "aso", Role::Kanton),
    ("migrationsamt", "Daniel Frei", "migrationsamt", Role::Migrationsamt),
    ("admin", "Admin Kanton IT", "aso", Role::Admin),
    ("koordination.olten", "Rita Huber", "sr-olten", Role::Koordination),
];

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of synthetic persons to create (only when the register is still empty).
    #[arg(long, default_value_t = 2000)]
    persons: usize,
    /// Seed of the generator: the same seed gives the same persons.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Prepare the data and exit without serving.
    #[arg(long)]
    no_serve: bool,
}

pub async fn run(args: DemoArgs, config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    prepare(&store, &args).await?;
    print_logins(config);
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    serve(config, store, config.secure_cookies.unwrap_or(false)).await
}

/// Every step of the demo preparation, in order. Each step looks at what the database already holds and
/// either completes what is missing or says «Demo-Daten sind bereits vorhanden», so a second run (also after
/// a run that broke off) ends with the whole demo and exit code 0.
async fn prepare(store: &Store, args: &DemoArgs) -> anyhow::Result<()> {
    create_demo_providers(store).await?;
    store.operator().set_closing_approval("sr-olten", true).await?;
    let admin_id = create_demo_users(store).await?;
    demo_persons(store, args, admin_id).await?;
    demo_neuzuzueger(store).await?;
    demo_register_import(store).await?;
    open_demo_dossiers(store, args.seed).await?;
    demo_selbstdeklarationen(store).await?;
    demo_gemeinden(store).await?;
    demo_fruehfoerderung(store).await?;
    demo_mentoring(store).await?;
    demo_offers(store, args.seed, admin_id).await
}

/// Says that a step found its data and added nothing.
fn already_there(step: &str, what: &str) {
    println!("{step}: Demo-Daten sind bereits vorhanden ({what}).");
}

/// The synthetic persons, created only while the register is empty.
async fn demo_persons(store: &Store, args: &DemoArgs, admin_id: i64) -> anyhow::Result<()> {
    let existing = store.operator().count_persons().await?;
    if existing > 0 {
        already_there("Personenregister", &format!("{existing} Personen"));
        return Ok(());
    }
    let persons = synthetic::persons(args.persons, args.seed, store.clock().today());
    store.operator().load_persons(admin_id, &persons).await?;
    println!("{} synthetische Personen erzeugt (Seed {}).", persons.len(), args.seed);
    Ok(())
}

/// Two providers: one for Praxisassessment and coaching, a Potenzialerfassungsstelle for the vertiefte
/// Potenzialerfassung and coaching.
async fn create_demo_providers(store: &Store) -> anyhow::Result<()> {
    store.operator().upsert_provider("anbieter-lernwerk", "Lernwerk Olten (Demo-Anbieter)").await?;
    let lernwerk = [AuftragArt::Praxisassessment, AuftragArt::Integrationscoaching];
    store.operator().set_provider_profile("anbieter-lernwerk", AnbieterTyp::Arbeitsmarktintegration, &lernwerk).await?;
    store
        .operator()
        .upsert_provider("anbieter-potenzialerfassung", "Potenzialerfassung Solothurn (Demo-Anbieter)")
        .await?;
    let potenzial = [AuftragArt::VertieftePotenzialerfassung, AuftragArt::Integrationscoaching];
    store
        .operator()
        .set_provider_profile("anbieter-potenzialerfassung", AnbieterTyp::Potenzialerfassungsstelle, &potenzial)
        .await?;
    Ok(())
}

/// Creates missing demo accounts and returns the admin's id (the creator of the synthetic persons).
async fn create_demo_users(store: &Store) -> anyhow::Result<i64> {
    let existing = store.operator().list_users().await?;
    for (username, name, organisation, role) in DEMO_USERS {
        if existing.iter().any(|u| u.username == *username) {
            continue;
        }
        let new = NewUser {
            username: (*username).to_owned(),
            display_name: (*name).to_owned(),
            organisation_code: (*organisation).to_owned(),
            roles: vec![*role],
            password: Some(DEMO_PASSWORD.to_owned()),
        };
        match store.operator().create_user(new).await {
            Ok(_) => {}
            Err(StoreError::Invalid(errors)) => anyhow::bail!("Demo-Benutzer {username}: {errors:?}"),
            Err(other) => return Err(other.into()),
        }
    }
    let users = store.operator().list_users().await?;
    users.iter().find(|u| u.username == "admin").map(|u| u.id).ok_or_else(|| anyhow::anyhow!("Demo-Admin fehlt"))
}

/// How many dossiers the demo case worker of Olten keeps (the README promises it).
pub const CASELOAD: u64 = 40;

/// Gives the demo case worker of Olten a caseload of [`CASELOAD`] dossiers, opened for grown-up persons of
/// the region ([`of_working_age`]) who belong to the target group, most with a Kurzassessment between one
/// and fifteen months old so that some Standortbestimmungen are overdue; then the orders and the German course. A rerun
/// opens only the dossiers still missing.
async fn open_demo_dossiers(store: &Store, seed: u64) -> anyhow::Result<()> {
    let case_worker = store.login("fallfuehrung.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let existing = store.caseload(&case_worker, 1, 1).await?.total;
    if existing >= CASELOAD {
        already_there("Dossiers für fallfuehrung.olten", &format!("{existing} Dossiers"));
    } else {
        let opened = open_dossiers(store, &case_worker, seed, CASELOAD - existing).await?;
        anyhow::ensure!(
            existing + opened == CASELOAD,
            "Für fallfuehrung.olten gibt es nur {} passende Personen; bitte mit mehr Personen (--persons) auf einer leeren Datenbank starten.",
            existing + opened
        );
        println!("{opened} Dossiers für fallfuehrung.olten eröffnet; die Fallführung hat nun {CASELOAD}.");
    }
    demo_orders(store, &case_worker).await?;
    demo_measures(store, &case_worker).await
}

/// The rule by which the demo picks persons for dossiers and courses: between 18 and 64 years old today.
/// Old enough for every measure of the catalogue (the German course asks for 16), whatever day it is.
fn of_working_age(person: &iim_domain::PersonData, today: chrono::NaiveDate) -> bool {
    person.geburtsdatum.age_on(today).is_some_and(|age| (18..=64).contains(&age))
}

/// Opens up to `wanted` dossiers for persons of working age of the case worker's region, going through the
/// register page by page; persons outside the target group or with a dossier are passed over.
async fn open_dossiers(store: &Store, case_worker: &iim_domain::Actor, seed: u64, wanted: u64) -> anyhow::Result<u64> {
    let today = store.clock().today();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut opened = 0;
    let mut page = 1;
    while opened < wanted {
        let query = PersonQuery { text: String::new(), page, per_page: 200 };
        let persons = store.list_persons(case_worker, &query).await?;
        if persons.items.is_empty() {
            break;
        }
        for person in persons.items.iter().filter(|p| of_working_age(&p.data, today)) {
            if opened == wanted {
                break;
            }
            let sozialhilfe = rng.random_bool(0.6);
            let dossier = match store.open_dossier(case_worker, person.id, sozialhilfe, rng.random_bool(0.1)).await {
                Ok(dossier) => dossier,
                Err(StoreError::Invalid(_)) => continue,
                Err(other) => return Err(other.into()),
            };
            opened += 1;
            if rng.random_bool(0.75) {
                let datum = today - chrono::Duration::days(rng.random_range(30..460));
                let assessment = synthetic::kurzassessment(&mut rng, datum)
                    .parse(today)
                    .map_err(|e| anyhow::anyhow!("Demo-Kurzassessment: {e}"))?;
                store.record_kurzassessment(case_worker, dossier.id, assessment).await?;
            }
        }
        page += 1;
    }
    Ok(opened)
}

/// The case worker's dossiers with their orders, levels and measures.
async fn caseload_dossiers(store: &Store, case_worker: &iim_domain::Actor) -> anyhow::Result<Vec<iim_store::Dossier>> {
    let mut dossiers = Vec::new();
    for summary in store.caseload(case_worker, 1, 100).await?.items {
        dossiers.push(store.get_dossier(case_worker, summary.id).await?);
    }
    dossiers.sort_by_key(|d| d.id);
    Ok(dossiers)
}

/// German levels for two demo dossiers without orders, and for the first of them a German course that
/// ended five weeks ago without Anschluss, so that the worklist shows «Kein Abschluss ohne Anschluss». The
/// dates lie before today on any day; the persons are of working age, so the course's minimum age holds.
async fn demo_measures(store: &Store, case_worker: &iim_domain::Actor) -> anyhow::Result<()> {
    let dossiers = caseload_dossiers(store, case_worker).await?;
    if dossiers.iter().any(|d| !d.sprachstaende.is_empty() || !d.teilnahmen.is_empty()) {
        already_there("Sprachstände und Deutschkurs", "bereits erfasst");
        return Ok(());
    }
    let today = store.clock().today();
    let day = |days_ago: i64| (today - chrono::Duration::days(days_ago)).format("%d.%m.%Y").to_string();
    let chosen: Vec<i64> = dossiers
        .iter()
        .filter(|d| d.auftraege.is_empty() && of_working_age(&d.person.data, today))
        .map(|d| d.id)
        .take(2)
        .collect();
    for (dossier, niveau) in chosen.iter().zip(["A1", "A2"]) {
        let stand = SprachstandInput {
            datum: day(290),
            fertigkeit: "gesamt".to_owned(),
            niveau: niveau.to_owned(),
            nachweis: "fide".to_owned(),
            bemerkung: String::new(),
        };
        let stand = stand.parse(today).map_err(|e| anyhow::anyhow!("Demo-Sprachstand: {e}"))?;
        store.record_sprachstand(case_worker, *dossier, stand).await?;
    }
    let Some(dossier) = chosen.first() else { anyhow::bail!("Kein Dossier für den Demo-Deutschkurs gefunden") };
    let booking = BuchungInput { massnahme: "SF-S".to_owned(), beginn: day(270), ..BuchungInput::default() };
    let booked = store.book_massnahme(case_worker, *dossier, &booking).await?;
    if let Some(teilnahme) = booked.teilnahmen.first() {
        let ende = TeilnahmeEndeInput {
            ende: day(35),
            anwesenheit: "85".to_owned(),
            ergebnis: "abgeschlossen".to_owned(),
            abbruchgrund: String::new(),
        };
        store.end_teilnahme(case_worker, *dossier, teilnahme.id, &ende).await?;
    }
    println!("Sprachstände und ein abgeschlossener Deutschkurs ohne Anschluss erfasst.");
    Ok(())
}

/// Orders for four demo dossiers (those with a Kurzassessment first): three Praxisassessments at Lernwerk,
/// two of them reported (so the worklist shows results), and one vertiefte Potenzialerfassung still with the
/// provider. Skipped when the caseload has orders.
async fn demo_orders(store: &Store, case_worker: &iim_domain::Actor) -> anyhow::Result<()> {
    let mut dossiers = caseload_dossiers(store, case_worker).await?;
    if dossiers.iter().any(|d| !d.auftraege.is_empty()) {
        already_there("Aufträge an Anbieter", "bereits erteilt");
        return Ok(());
    }
    dossiers.sort_by_key(|d| d.kurzassessment.is_none());
    let providers = store.providers_for_orders().await?;
    let id_of = |code_name: &str| providers.iter().find(|p| p.name.starts_with(code_name)).map(|p| p.id.to_string());
    let (Some(lernwerk), Some(potenzial)) = (id_of("Lernwerk"), id_of("Potenzialerfassung")) else {
        anyhow::bail!("Demo-Anbieter fehlen");
    };
    let reporter = store.login("anbieter.lernwerk", DEMO_PASSWORD, "127.0.0.1").await?;
    let report = ErgebnisInput {
        ergebnis: "Pünktlich und zuverlässig; körperlich belastbar. Deutsch reicht für einfache Anweisungen."
            .to_owned(),
        empfehlungen: "Arbeitsintegration Modul 2 mit Einsätzen im Lager; begleitend Deutschkurs A2.".to_owned(),
        komplex: String::new(),
    };
    for (n, dossier) in dossiers.iter().take(3).enumerate() {
        let input = AuftragInput {
            art: "praxisassessment".to_owned(),
            anbieter: lernwerk.clone(),
            fragestellung: "Wie belastbar ist die Person im Arbeitsalltag, und welches Modul passt?".to_owned(),
        };
        let ordered = store.order(case_worker, dossier.id, &input).await?;
        if n < 2
            && let Some(order) = ordered.auftraege.last()
        {
            store.report_result(&reporter, order.id, &report).await?;
        }
    }
    if let Some(dossier) = dossiers.get(3) {
        let input = AuftragInput {
            art: "vertiefte_potenzialerfassung".to_owned(),
            anbieter: potenzial,
            fragestellung: "Traumafolgen und Arbeitsfähigkeit abklären; ist Integrationscoaching angezeigt?".to_owned(),
        };
        store.order(case_worker, dossier.id, &input).await?;
    }
    println!("Vier Aufträge an Anbieter erteilt, zwei Ergebnisse eingegangen.");
    Ok(())
}

/// Selbstdeklarationen of the current year: Grenchen and Balsthal submitted, Solothurn a draft, Olten
/// untouched so that `ib.olten` can try the form. Their Integrationsbeauftragte get demo accounts. The
/// year's questionnaire is created when the database was set up in an earlier year; a Gemeinde that has
/// begun is left as it is.
async fn demo_selbstdeklarationen(store: &Store) -> anyhow::Result<()> {
    let jahr = store.clock().today().year();
    let kanton = store.login("kanton.aso", DEMO_PASSWORD, "127.0.0.1").await?;
    if store.fragebogen(jahr).await?.is_none() {
        store.create_fragebogen(&kanton, jahr).await?;
    }
    let alle = store.selbstdeklarationen(&kanton, jahr, &iim_store::DeklarationFilter::default()).await?;
    let begun = |bfs: u16| {
        alle.iter().any(|d| {
            d.gemeinde.get() == bfs && d.status != iim_domain::selbstdeklaration::DeklarationStatus::NichtBegonnen
        })
    };
    let gemeinden: [(&str, &str, u16, bool, &str); 3] = [
        ("ib.grenchen", "Petra Lüthi", 2546, true, "58"),
        ("ib.balsthal", "Adrian Kunz", 2422, true, "14"),
        ("ib.solothurn", "Miriam Hofer", 2601, false, "71"),
    ];
    let existing = store.operator().list_users().await?;
    let mut saved = 0;
    for (username, name, bfs, einreichen, gespraeche) in gemeinden {
        if !existing.iter().any(|u| u.username == username) {
            store
                .operator()
                .create_user(NewUser {
                    username: username.to_owned(),
                    display_name: name.to_owned(),
                    organisation_code: format!("gde-{bfs}"),
                    roles: vec![Role::Integrationsbeauftragte],
                    password: Some(DEMO_PASSWORD.to_owned()),
                })
                .await?;
        }
        if begun(bfs) {
            continue;
        }
        let ib = store.login(username, DEMO_PASSWORD, "127.0.0.1").await?;
        let mut antworten = std::collections::BTreeMap::from([
            ("frage_strategische_leitung".to_owned(), "ja".to_owned()),
            ("frage_organisationsmodell".to_owned(), "gemeindeinternes Modell".to_owned()),
            ("frage_erstinfo_gespraeche".to_owned(), gespraeche.to_owned()),
            ("frage_angebote_foerdern".to_owned(), "Deutschtreff, Begrüssungsanlass für Neuzugezogene".to_owned()),
        ]);
        if einreichen {
            antworten.insert("frage_schwerpunkte_definiert".to_owned(), "ja".to_owned());
            antworten.insert("frage_regionaler_austausch".to_owned(), "ja".to_owned());
        }
        store.save_selbstdeklaration(&ib, jahr, bfs, &antworten, einreichen).await?;
        saved += 1;
    }
    if saved == 0 {
        already_there(&format!("Selbstdeklarationen {jahr}"), "Grenchen, Balsthal und Solothurn begonnen");
    } else {
        println!("Selbstdeklarationen {jahr}: Grenchen und Balsthal eingereicht, Solothurn im Entwurf.");
    }
    Ok(())
}

/// The strategic lead of Olten and the contract of Herbetswil with its Leitgemeinde Welschenrohr-Gänsbrunnen
/// (example mapping), running from the start of last year to the end of the year after next. Each is saved
/// only while nothing is recorded for the Gemeinde.
async fn demo_gemeinden(store: &Store) -> anyhow::Result<()> {
    let ib = store.login("ib.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let kanton = store.login("kanton.aso", DEMO_PASSWORD, "127.0.0.1").await?;
    let gemeinde = |number: u16| BfsNr::known(number).ok_or_else(|| anyhow::anyhow!("Gemeinde {number} fehlt"));
    let year = store.clock().today().year();
    let olten = GemeindeorganisationInput {
        leitung_name: "Demo Stadträtin Olten".to_owned(),
        leitung_ressort: "Bildung und Sport".to_owned(),
        ib_kontakt: "Sara Weber, Fachstelle Integration, integration@olten.example".to_owned(),
        ..GemeindeorganisationInput::default()
    };
    let herbetswil = GemeindeorganisationInput {
        vertrag_beginn: format!("01.01.{}", year - 1),
        vertrag_ende: format!("31.12.{}", year + 2),
        leitung_name: "Demo Gemeinderat Herbetswil".to_owned(),
        leitung_ressort: "Soziales".to_owned(),
        ib_kontakt: String::new(),
    };
    let mut saved = 0;
    for (actor, bfs, input) in [(&ib, gemeinde(2581)?, &olten), (&kanton, gemeinde(2424)?, &herbetswil)] {
        let stand = store.get_gemeinde(&kanton, bfs).await?;
        if stand.organisation.is_none() {
            store.save_gemeindeorganisation(actor, bfs, stand.version, input).await?;
            saved += 1;
        }
    }
    if saved == 0 {
        already_there("Gemeindeorganisation", "Olten und Herbetswil erfasst");
    }
    Ok(())
}

/// Children of Olten in the frühe Sprachförderung for `ib.olten`: a newborn whose family language is still
/// to confirm, the child whose assessment comes next, one whose assessment is overdue, and five who entered
/// the Kindergarten last August with their level recorded (four of five can communicate: the 80 % goal is
/// reached). Birth dates follow from today and the configured Kindergarten rule; a child already in the
/// track (same name) is not taken in again.
async fn demo_fruehfoerderung(store: &Store) -> anyhow::Result<()> {
    let ib = store.login("ib.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let query = KinderQuery { filter: KinderFilter::Alle, page: 1, per_page: 100, ..KinderQuery::default() };
    let existing = store.list_kinder(&ib, &query).await?.items;
    let today = store.clock().today();
    let regel = store.kindergarten_regel();
    let birth = |year: i32| PartialDate::from_parts(year, Some(3), Some(15)).map_err(|e| anyhow::anyhow!("{e}"));
    // The child whose planned assessment is the next one from today, and the one planned a year earlier.
    let mut next_due = today.year() - 1;
    for year in (today.year() - 4..today.year()).rev() {
        if regel.termine(birth(year)?).abklaerung >= today {
            next_due = year;
        }
    }
    // The latest Kindergarten year that has begun.
    let mut entered = today.year() - 1;
    if regel.eintritt_im_jahr(today.year()) <= today {
        entered = today.year();
    }
    let newborn = (today - chrono::Duration::days(60)).format("%d.%m.%Y").to_string();
    let children: [(&str, &str, &str, &str, String); 8] = [
        ("Berhe", "Yonas", "ER", "ti", newborn),
        ("Okafor", "Amara", "NG", "yo", format!("15.03.{next_due}")),
        ("Yilmaz", "Elif", "TR", "tr", format!("15.03.{}", next_due - 1)),
        ("Krasniqi", "Arben", "XK", "sq", format!("15.03.{}", entered - 4)),
        ("Nguyen", "Minh", "VN", "vi", format!("20.04.{}", entered - 4)),
        ("Ahmadi", "Sara", "AF", "fa", format!("02.05.{}", entered - 4)),
        ("Silva", "Tiago", "PT", "pt", format!("11.09.{}", entered - 5)),
        ("Sivakumar", "Anu", "LK", "ta", format!("30.06.{}", entered - 4)),
    ];
    let mut added = 0;
    for (n, (nachname, vornamen, land, sprache, geburt)) in children.into_iter().enumerate() {
        if existing.iter().any(|k| k.nachname == nachname && k.vornamen == vornamen) {
            continue;
        }
        let input = PersonInput {
            nachname: nachname.to_owned(),
            vornamen: vornamen.to_owned(),
            geschlecht: "unbestimmt".to_owned(),
            geburtsdatum: geburt,
            nationalitaet: land.to_owned(),
            aufenthaltsstatus: "B".to_owned(),
            ahv_nummer: String::new(),
            einreisedatum: String::new(),
            sprachen: vec![sprache.to_owned()],
            wohngemeinde_bfs: "2581".to_owned(),
        };
        let data = input.parse(today).map_err(|e| anyhow::anyhow!("Demo-Kind {nachname}: {e}"))?;
        let kind = store.neues_kind_aufnehmen(&ib, data).await?;
        for eingabe in child_sections(n, sprache, entered, today) {
            store.fruehfoerderung_aendern(&ib, kind.id, &eingabe).await?;
        }
        added += 1;
    }
    if added == 0 {
        already_there("Frühe Sprachförderung", &format!("{} Kinder", existing.len()));
    } else {
        println!("{added} Kinder in der frühen Sprachförderung für ib.olten erfasst.");
    }
    Ok(())
}

/// What is recorded for the `n`-th demo child: the newborn's contact at birth; for the others the family
/// language, and for those who entered the Kindergarten in `entered` their German at entry (the third of
/// them only partly).
fn child_sections(n: usize, sprache: &str, entered: i32, today: chrono::NaiveDate) -> Vec<Eingabe> {
    if n == 0 {
        let datum = (today - chrono::Duration::days(50)).format("%d.%m.%Y").to_string();
        return vec![Eingabe::Geburtskontakt {
            datum,
            art: "hausbesuch".to_owned(),
            notiz: "Begrüssungspaket abgegeben".to_owned(),
        }];
    }
    let mut sections = vec![Eingabe::Familiensprache { sprachen: vec![sprache.to_owned()] }];
    if n >= 3 {
        let stand = if n == 5 { "teilweise" } else { "ja" };
        sections.push(Eingabe::Eintritt { stand: stand.to_owned(), jahr: entered.to_string() });
    }
    sections
}

/// Demo providers of integration offers (besides Lernwerk), with their codes.
const OFFER_PROVIDERS: &[(&str, &str)] = &[
    ("anbieter-vhs-olten", "Volkshochschule Region Olten (Demo)"),
    ("anbieter-sprachschule-aare", "Sprachschule Aare Solothurn (Demo)"),
    ("anbieter-treffpunkt-welt", "Verein Treffpunkt Welt Grenchen (Demo)"),
    ("anbieter-familienzentrum", "Familienzentrum Thal-Gäu (Demo)"),
    ("anbieter-migrationsberatung", "Migrationsberatung Kanton Solothurn (Demo)"),
];

/// A few hundred offers across the 104 Gemeinden (most published, some waiting for the Kanton, some drafts), owned
/// by the demo providers and by Gemeinden. Skipped when offers exist.
async fn demo_offers(store: &Store, seed: u64, admin_id: i64) -> anyhow::Result<()> {
    let kanton = store.operator().operator_actor("kanton.aso").await?;
    let existing =
        store.offers(&kanton, &iim_store::AngebotQuery { page: 1, per_page: 1, ..Default::default() }).await?;
    if existing.total > 0 {
        already_there("Angebotsplattform", &format!("{} Angebote", existing.total));
        return Ok(());
    }
    let mut anbieter = Vec::new();
    for (code, name) in OFFER_PROVIDERS {
        anbieter.push(store.operator().upsert_provider(code, name).await?);
    }
    let directory = store.directory();
    anbieter.extend(directory.by_code("anbieter-lernwerk").map(|o| o.id));
    let gemeinden = directory
        .all()
        .filter(|o| o.kind == iim_store::OrganisationKind::Gemeinde)
        .filter_map(|o| o.bfs.map(|bfs| (bfs, o.id)))
        .collect();
    let owners = crate::synthetic_angebote::Owners { anbieter, gemeinden, updated_by: admin_id };
    let offers = crate::synthetic_angebote::offers(400, seed, store.clock().now(), &owners);
    store.operator().load_offers(&offers).await?;
    println!(
        "{} Angebote der Angebotsplattform erzeugt (anbieter.lernwerk: «Meine Angebote», kanton.aso: «Angebote prüfen»).",
        offers.len()
    );
    Ok(())
}

fn print_logins(config: &Config) {
    println!("\nIIM Cockpit (Demo) auf http://{}", config.listen);
    println!("Datenbank: {}", config.database_url_redacted());
    println!("Demo-Anmeldungen, Passwort für alle: {DEMO_PASSWORD}");
    for (username, name, organisation, role) in DEMO_USERS {
        println!("  {:<20} {:<18} {:<28} {}", username, name, role.label(), organisation);
    }
    println!("Zum Beenden: Ctrl-C\n");
}

/// Arrivals from abroad in Olten, delivered like the population register would (`data/demo/register`).
const DEMO_DELIVERIES: [(&str, &str); 4] = [
    ("zuzug-0001.xml", include_str!("../../../data/demo/register/zuzug-0001.xml")),
    ("zuzug-0002.xml", include_str!("../../../data/demo/register/zuzug-0002.xml")),
    ("zuzug-0003.xml", include_str!("../../../data/demo/register/zuzug-0003.xml")),
    ("zuzug-0004.xml", include_str!("../../../data/demo/register/zuzug-0004.xml")),
];

/// The day the demo deliveries were written for: their dates are moved by the distance from this day to
/// today, so the arrivals always lie some weeks back.
const DEMO_DELIVERIES_WRITTEN_FOR: (i32, u32, u32) = (2026, 11, 21);

/// The delivery with every date from 2000 on (`JJJJ-MM-TT`) moved by the distance between
/// [`DEMO_DELIVERIES_WRITTEN_FOR`] and `today`; birth dates before 2000 stay as they are.
fn moved_to_today(xml: &str, today: chrono::NaiveDate) -> String {
    let (year, month, day) = DEMO_DELIVERIES_WRITTEN_FOR;
    let Some(written_for) = chrono::NaiveDate::from_ymd_opt(year, month, day) else { return xml.to_owned() };
    let shift = today - written_for;
    let mut moved = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("20") {
        moved.push_str(&rest[..at]);
        let candidate = rest.get(at..at + 10).unwrap_or_default();
        match chrono::NaiveDate::parse_from_str(candidate, "%Y-%m-%d") {
            Ok(date) if candidate.len() == 10 => {
                moved.push_str(&(date + shift).format("%Y-%m-%d").to_string());
                rest = &rest[at + 10..];
            }
            _ => {
                moved.push_str("20");
                rest = &rest[at + 2..];
            }
        }
    }
    moved.push_str(rest);
    moved
}

/// Neuzuzüger for the Integrationsbeauftragte of Olten: imported from the demo deliveries (once per message
/// id), one invited and one with a held Erstinformationsgespräch and its Empfehlungen, both today. The
/// follow-up is skipped when any Neuzuzüger of Olten has moved on from «einzuladen».
async fn demo_neuzuzueger(store: &Store) -> anyhow::Result<()> {
    let importer = store.operator().operator_actor("ib.olten").await?;
    let today = store.clock().today();
    let mut new = 0;
    for (name, xml) in DEMO_DELIVERIES {
        let xml = moved_to_today(xml, today);
        let report = store.import_register_delivery(&importer, name, iim_ech::read_delivery(xml.as_bytes())?).await?;
        new += report.neue_personen;
    }
    if new > 0 {
        println!("{new} Neuzuzüger aus den Demo-Lieferungen importiert (ib.olten).");
    }
    let officer = store.login("ib.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let query =
        NeuzuzuegerQuery { filter: NeuzuzuegerFilter::Alle, page: 1, per_page: 50, ..NeuzuzuegerQuery::default() };
    let neuzuzueger = store.list_neuzuzueger(&officer, &query).await?.items;
    if neuzuzueger.iter().any(|n| n.status != iim_domain::erstinformation::NeuzuzuegerStatus::Einzuladen) {
        already_there("Neuzuzüger", &format!("{} Neuzuzüger, Einladung und Gespräch erfasst", neuzuzueger.len()));
        return Ok(());
    }
    let today = today.format("%d.%m.%Y").to_string();
    if let Some(first) = neuzuzueger.first() {
        let invited = StatusInput { status: "eingeladen".to_owned(), datum: today.clone() };
        store.change_neuzuzueger_status(&officer, first.id, &invited).await?;
    }
    if let Some(second) = neuzuzueger.get(1) {
        let gespraech = GespraechInput {
            gefuehrt_am: today,
            sprache: "fa".to_owned(),
            dolmetscher: "ja".to_owned(),
            themen: vec!["sprache".to_owned(), "arbeit".to_owned(), "schule_kinder".to_owned()],
            bemerkungen: String::new(),
            empfehlungen: vec![EmpfehlungInput {
                art: "deutschkurs".to_owned(),
                text: "Deutsch A1 Intensivkurs, Volkshochschule Olten".to_owned(),
                angebot: String::new(),
            }],
            nachfassen_am: String::new(),
        };
        store.record_conversation(&officer, second.id, &gespraech).await?;
    }
    Ok(())
}

/// A delivery of the population register for the demo: `event` inside the eCH-0020 envelope.
fn demo_delivery(message_id: &str, event: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3" xmlns:p="http://www.ech.ch/xmlns/eCH-0044/4" xmlns:m="http://www.ech.ch/xmlns/eCH-0007/5" xmlns:h="http://www.ech.ch/xmlns/eCH-0058/5" xmlns:d="http://www.ech.ch/xmlns/eCH-0011/8" xmlns:c="http://www.ech.ch/xmlns/eCH-0008/3"><deliveryHeader><h:senderId>sedex://T2-2581-1</h:senderId><h:messageId>{message_id}</h:messageId></deliveryHeader>{event}</delivery>"#
    )
}

/// A moveIn of the demo Neuzuzüger into `bfs`, coming from `comes_from`.
fn demo_move_in(bfs: u16, name: &str, date: &str, comes_from: &str) -> String {
    format!(
        "<moveIn><moveInPerson><personIdentification><p:localPersonId><p:personIdCategory>CH.ZAR</p:personIdCategory><p:personId>demo-2581-0001</p:personId></p:localPersonId><p:officialName>Haile</p:officialName><p:firstName>Yonas</p:firstName><p:sex>1</p:sex><p:dateOfBirth><p:yearMonthDay>1991-05-14</p:yearMonthDay></p:dateOfBirth></personIdentification><nationalityData><d:nationalityStatus>2</d:nationalityStatus><d:countryInfo><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:countryInfo></nationalityData><residencePermitData><d:residencePermit>05</d:residencePermit></residencePermitData></moveInPerson><hasMainResidence><reportingMunicipality><m:municipalityId>{bfs}</m:municipalityId><m:municipalityName>{name}</m:municipalityName></reportingMunicipality><arrivalDate>{date}</arrivalDate><comesFrom>{comes_from}</comesFrom></hasMainResidence></moveIn>"
    )
}

/// The register import for the demo: an arrival from abroad in Olten imported by the Integrationsbeauftragte,
/// a dossier for him in Olten, then his move to Balsthal (Sozialregion Thal), which proposes the transfer to
/// fallfuehrung.olten. Deliveries are imported once by message id, so a second `iim demo` changes nothing.
async fn demo_register_import(store: &Store) -> anyhow::Result<()> {
    let ib = store.operator().operator_actor("ib.olten").await?;
    let abroad = "<d:foreignCountry><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:foreignCountry>";
    let day = |days_ago: i64| (store.clock().today() - chrono::Duration::days(days_ago)).format("%Y-%m-%d").to_string();
    let arrival = demo_delivery("demo-zuzug-1", &demo_move_in(2581, "Olten", &day(60), abroad));
    store.import_register_delivery(&ib, "demo-zuzug.xml", iim_ech::read_delivery(arrival.as_bytes())?).await?;
    let case_worker = store.login("fallfuehrung.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let found =
        store.list_persons(&case_worker, &PersonQuery { text: "Haile Yonas".to_owned(), page: 1, per_page: 1 }).await?;
    if let Some(person) = found.items.first() {
        match store.open_dossier(&case_worker, person.id, true, false).await {
            Ok(_) | Err(StoreError::Invalid(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let admin = store.operator().operator_actor("admin").await?;
    let olten = "<d:swissTown><m:municipalityId>2581</m:municipalityId><m:municipalityName>Olten</m:municipalityName></d:swissTown>";
    let moved = demo_delivery("demo-umzug-1", &demo_move_in(2422, "Balsthal", &day(20), olten));
    let report =
        store.import_register_delivery(&admin, "demo-umzug.xml", iim_ech::read_delivery(moved.as_bytes())?).await?;
    if report.umzugsvorschlaege > 0 {
        println!("Register-Import: Umzug nach Balsthal gemeldet, Übergabe für fallfuehrung.olten vorgeschlagen.");
    } else {
        already_there("Register-Import", "Zuzug und Umzug nach Balsthal bereits importiert");
    }
    Ok(())
}

/// The Mentoring-Pool of Olten for `koordination.olten`: four volunteers from the public sign-up (three
/// found suitable, one still new), two Neuzuzüger referred by `ib.olten`, an active tandem with a check-in
/// and one that ended after four months. Skipped when the pool already has mentors.
async fn demo_mentoring(store: &Store) -> anyhow::Result<()> {
    let coordinator = store.login("koordination.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let all = iim_store::MentorQuery { page: 1, per_page: 1, ..iim_store::MentorQuery::default() };
    let mentors = store.list_mentoren(&coordinator, &all).await?.total;
    if mentors > 0 {
        already_there("Mentoring-Pool Olten", &format!("{mentors} Freiwillige"));
        return Ok(());
    }
    let today = store.clock().today();
    let date = |days_ago: i64| (today - chrono::Duration::days(days_ago)).format("%d.%m.%Y").to_string();
    let volunteers = [
        ("Verena Studer", 2581, &["de", "en", "ti"][..], &["sport", "deutsch"][..]),
        ("Thomas Gloor", 2573, &["de", "fr"][..], &["arbeit", "alltag"][..]),
        ("Aylin Demir", 2581, &["de", "tr", "ar"][..], &["familie", "kochen"][..]),
        ("Peter Aebi", 2584, &["de"][..], &["natur"][..]),
    ];
    let mut mentors = Vec::new();
    for (name, bfs, sprachen, interessen) in volunteers {
        let input = AnmeldungInput {
            name: name.to_owned(),
            email: format!("{}@example.ch", name.to_lowercase().replace(' ', ".")),
            gemeinde: bfs.to_string(),
            sprachen: sprachen.iter().map(|s| (*s).to_owned()).collect(),
            verfuegbarkeit: "Abends unter der Woche".to_owned(),
            interessen: interessen.iter().map(|s| (*s).to_owned()).collect(),
            einwilligung: true,
            ..AnmeldungInput::default()
        };
        let anmeldung = input.check().map_err(|e| anyhow::anyhow!("Demo-Anmeldung {name}: {e}"))?;
        mentors.push(store.mentor_anmelden(&anmeldung, "demo").await.map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    for mentor in &mentors[..3] {
        let vetting = AbklaerungInput {
            status: "geeignet".to_owned(),
            gespraech_am: date(150),
            notizen: "Erstgespräch geführt, Referenzen geprüft.".to_owned(),
        };
        store.mentor_abklaeren(&coordinator, *mentor, &vetting).await?;
    }
    let ib = store.login("ib.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    let mut mentees = Vec::new();
    for (name, sprachen, interessen) in
        [("Abeba Tesfay", ["ti", "en"], ["deutsch", "sport"]), ("Omar Haddad", ["ar", "fr"], ["arbeit", "kochen"])]
    {
        let referral = ZuweisungInput {
            name: name.to_owned(),
            gemeinde: "2581".to_owned(),
            sprachen: sprachen.iter().map(|s| (*s).to_owned()).collect(),
            interessen: interessen.iter().map(|s| (*s).to_owned()).collect(),
            kontakt: "Über die Fachstelle Integration Olten, Termin mit Dolmetschen".to_owned(),
            einwilligung: true,
            einwilligung_am: date(140),
            ..ZuweisungInput::default()
        };
        mentees.push(store.mentee_zuweisen(&ib, &referral).await?);
    }
    let active = store.tandem_vorschlagen(&coordinator, mentees[0], mentors[0]).await?;
    let start = TandemWechselInput { status: "aktiv".to_owned(), datum: date(120), ..TandemWechselInput::default() };
    store.tandem_wechseln(&coordinator, active, &start).await?;
    let checkin =
        CheckinInput { datum: date(30), notiz: "Treffen alle zwei Wochen, Deutsch wird sicherer.".to_owned() };
    store.checkin_erfassen(&coordinator, active, &checkin).await?;
    let ended = store.tandem_vorschlagen(&coordinator, mentees[1], mentors[1]).await?;
    let start = TandemWechselInput { status: "aktiv".to_owned(), datum: date(135), ..TandemWechselInput::default() };
    store.tandem_wechseln(&coordinator, ended, &start).await?;
    let end = TandemWechselInput {
        status: "beendet".to_owned(),
        datum: date(15),
        grund: "ziel_erreicht".to_owned(),
        grund_text: String::new(),
    };
    store.tandem_wechseln(&coordinator, ended, &end).await?;
    Ok(())
}

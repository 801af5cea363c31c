//! `iim demo`: a ready-to-try installation. Prepares whatever database is configured (by default the
//! embedded SQLite file) with the organisations, two accredited providers, one login per role and synthetic
//! persons, prints the logins and serves. In the demo, closings of Sozialregion Olten need the Leitung's
//! approval. Running it again keeps existing data and accounts.

use crate::config::Config;
use crate::{open_store, serve, synthetic};
use clap::Args;
use iim_domain::Role;
use iim_domain::auftrag::{AnbieterTyp, AuftragArt, AuftragInput, ErgebnisInput};
use iim_domain::massnahmen::{BuchungInput, TeilnahmeEndeInput};
use iim_domain::sprache::SprachstandInput;
use iim_store::{NewUser, PersonQuery, Store, StoreError};
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
    create_demo_providers(&store).await?;
    store.set_closing_approval("sr-olten", true).await?;
    let admin_id = create_demo_users(&store).await?;
    let existing = store.count_persons().await?;
    if existing == 0 {
        let persons = synthetic::persons(args.persons, args.seed, store.clock().today());
        store.load_persons(admin_id, &persons).await?;
        println!("{} synthetische Personen erzeugt (Seed {}).", persons.len(), args.seed);
    } else {
        println!("Register enthält bereits {existing} Personen; keine neuen erzeugt.");
    }
    open_demo_dossiers(&store, args.seed).await?;
    demo_register_import(&store).await?;
    print_logins(config);
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    serve(config, store, config.secure_cookies.unwrap_or(false)).await
}

/// Two providers: one for Praxisassessment and coaching, a Potenzialerfassungsstelle for the vertiefte
/// Potenzialerfassung and coaching.
async fn create_demo_providers(store: &Store) -> anyhow::Result<()> {
    store.upsert_provider("anbieter-lernwerk", "Lernwerk Olten (Demo-Anbieter)").await?;
    let lernwerk = [AuftragArt::Praxisassessment, AuftragArt::Integrationscoaching];
    store.set_provider_profile("anbieter-lernwerk", AnbieterTyp::Arbeitsmarktintegration, &lernwerk).await?;
    store.upsert_provider("anbieter-potenzialerfassung", "Potenzialerfassung Solothurn (Demo-Anbieter)").await?;
    let potenzial = [AuftragArt::VertieftePotenzialerfassung, AuftragArt::Integrationscoaching];
    store
        .set_provider_profile("anbieter-potenzialerfassung", AnbieterTyp::Potenzialerfassungsstelle, &potenzial)
        .await?;
    Ok(())
}

/// Creates missing demo accounts and returns the admin's id (the creator of the synthetic persons).
async fn create_demo_users(store: &Store) -> anyhow::Result<i64> {
    let existing = store.list_users().await?;
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
        match store.create_user(new).await {
            Ok(_) => {}
            Err(StoreError::Invalid(errors)) => anyhow::bail!("Demo-Benutzer {username}: {errors:?}"),
            Err(other) => return Err(other.into()),
        }
    }
    let users = store.list_users().await?;
    users.iter().find(|u| u.username == "admin").map(|u| u.id).ok_or_else(|| anyhow::anyhow!("Demo-Admin fehlt"))
}

/// Gives the demo case worker of Olten a caseload: dossiers for the first persons of the region, most with
/// a Kurzassessment between one and fifteen months old, so that some reviews are overdue. Skipped when the
/// case worker already has dossiers.
async fn open_demo_dossiers(store: &Store, seed: u64) -> anyhow::Result<()> {
    let case_worker = store.login("fallfuehrung.olten", DEMO_PASSWORD, "127.0.0.1").await?;
    if store.caseload(&case_worker, 1, 1).await?.total > 0 {
        return Ok(());
    }
    let persons = store.list_persons(&case_worker, &PersonQuery { text: String::new(), page: 1, per_page: 40 }).await?;
    let today = store.clock().today();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut opened = Vec::new();
    for person in persons.items {
        let dossier =
            match store.open_dossier(&case_worker, person.id, rng.random_bool(0.6), rng.random_bool(0.1)).await {
                Ok(dossier) => dossier,
                Err(StoreError::Invalid(_)) => continue,
                Err(other) => return Err(other.into()),
            };
        opened.push(dossier.id);
        if rng.random_bool(0.75) {
            let datum = today - chrono::Duration::days(rng.random_range(30..460));
            let assessment = synthetic::kurzassessment(&mut rng, datum)
                .parse(today)
                .map_err(|e| anyhow::anyhow!("Demo-Kurzassessment: {e}"))?;
            store.record_kurzassessment(&case_worker, dossier.id, assessment).await?;
        }
    }
    println!("{} Dossiers für fallfuehrung.olten eröffnet.", opened.len());
    demo_orders(store, &case_worker, &opened).await?;
    demo_measures(store, &case_worker, &opened).await
}

/// German levels for two demo dossiers, and a completed German course without Anschluss, so that the
/// worklist shows «Kein Abschluss ohne Anschluss».
async fn demo_measures(store: &Store, case_worker: &iim_domain::Actor, dossiers: &[i64]) -> anyhow::Result<()> {
    let today = store.clock().today();
    for (dossier, niveau) in dossiers.iter().skip(4).zip(["A1", "A2"]) {
        let stand = SprachstandInput {
            datum: "15.09.2026".to_owned(),
            fertigkeit: "gesamt".to_owned(),
            niveau: niveau.to_owned(),
            nachweis: "fide".to_owned(),
            bemerkung: String::new(),
        };
        let stand = stand.parse(today).map_err(|e| anyhow::anyhow!("Demo-Sprachstand: {e}"))?;
        store.record_sprachstand(case_worker, *dossier, stand).await?;
    }
    let Some(dossier) = dossiers.get(4) else { return Ok(()) };
    let booking =
        BuchungInput { massnahme: "SF-S".to_owned(), beginn: "02.03.2026".to_owned(), ..BuchungInput::default() };
    let booked = store.book_massnahme(case_worker, *dossier, &booking).await?;
    if let Some(teilnahme) = booked.teilnahmen.first() {
        let ende = TeilnahmeEndeInput {
            ende: "30.10.2026".to_owned(),
            anwesenheit: "85".to_owned(),
            ergebnis: "abgeschlossen".to_owned(),
            abbruchgrund: String::new(),
        };
        store.end_teilnahme(case_worker, *dossier, teilnahme.id, &ende).await?;
    }
    Ok(())
}

/// Orders for the first demo dossiers: three Praxisassessments at Lernwerk, two of them reported (so the
/// worklist shows results), and one vertiefte Potenzialerfassung still with the provider.
async fn demo_orders(store: &Store, case_worker: &iim_domain::Actor, dossiers: &[i64]) -> anyhow::Result<()> {
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
        let ordered = store.order(case_worker, *dossier, &input).await?;
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
        store.order(case_worker, *dossier, &input).await?;
    }
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

/// A delivery of the population register for the demo: `event` inside the eCH-0020 envelope.
fn demo_delivery(message_id: &str, event: &str) -> String {
    format!(
        r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3" xmlns:p="http://www.ech.ch/xmlns/eCH-0044/4" xmlns:m="http://www.ech.ch/xmlns/eCH-0007/5" xmlns:h="http://www.ech.ch/xmlns/eCH-0058/5" xmlns:d="http://www.ech.ch/xmlns/eCH-0011/8" xmlns:c="http://www.ech.ch/xmlns/eCH-0008/3"><deliveryHeader><h:senderId>sedex://T2-2581-1</h:senderId><h:messageId>{message_id}</h:messageId></deliveryHeader>{event}</delivery>"#
    )
}

/// A moveIn of the demo newcomer into `bfs`, coming from `comes_from`.
fn demo_move_in(bfs: u16, name: &str, date: &str, comes_from: &str) -> String {
    format!(
        "<moveIn><moveInPerson><personIdentification><p:localPersonId><p:personIdCategory>CH.ZAR</p:personIdCategory><p:personId>demo-2581-0001</p:personId></p:localPersonId><p:officialName>Haile</p:officialName><p:firstName>Yonas</p:firstName><p:sex>1</p:sex><p:dateOfBirth><p:yearMonthDay>1991-05-14</p:yearMonthDay></p:dateOfBirth></personIdentification><nationalityData><d:nationalityStatus>2</d:nationalityStatus><d:countryInfo><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:countryInfo></nationalityData><residencePermitData><d:residencePermit>05</d:residencePermit></residencePermitData></moveInPerson><hasMainResidence><reportingMunicipality><m:municipalityId>{bfs}</m:municipalityId><m:municipalityName>{name}</m:municipalityName></reportingMunicipality><arrivalDate>{date}</arrivalDate><comesFrom>{comes_from}</comesFrom></hasMainResidence></moveIn>"
    )
}

/// The register import for the demo: an arrival from abroad in Olten imported by the Integrationsbeauftragte,
/// a dossier for him in Olten, then his move to Balsthal (Sozialregion Thal), which proposes the transfer to
/// fallfuehrung.olten. Deliveries are imported once by message id, so a second `iim demo` changes nothing.
async fn demo_register_import(store: &Store) -> anyhow::Result<()> {
    let ib = store.operator_actor("ib.olten").await?;
    let abroad = "<d:foreignCountry><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:foreignCountry>";
    let arrival = demo_delivery("demo-zuzug-1", &demo_move_in(2581, "Olten", "2026-10-01", abroad));
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
    let admin = store.operator_actor("admin").await?;
    let olten = "<d:swissTown><m:municipalityId>2581</m:municipalityId><m:municipalityName>Olten</m:municipalityName></d:swissTown>";
    let moved = demo_delivery("demo-umzug-1", &demo_move_in(2422, "Balsthal", "2026-11-15", olten));
    let report =
        store.import_register_delivery(&admin, "demo-umzug.xml", iim_ech::read_delivery(moved.as_bytes())?).await?;
    if report.umzugsvorschlaege > 0 {
        println!("Register-Import: Umzug nach Balsthal gemeldet, Übergabe für fallfuehrung.olten vorgeschlagen.");
    }
    Ok(())
}

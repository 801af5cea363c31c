//! Keeping offers of the Angebotsplattform: a provider drafts and submits, the Kanton publishes or returns with a
//! reason, nobody reaches another organisation's offer, a stale form is refused, the yearly reminder, and the
//! links from casework that survive the offer's expiry.

use crate::erstinformation::{conversation, neuzuzueger_in};
use crate::support::{TestStore, field_errors, valid_person};
use chrono::Duration;
use iim_domain::angebot::{AngebotInput, AngebotStatus};
use iim_domain::erstinformation::EmpfehlungInput;
use iim_domain::{Actor, Role};
use iim_store::{Angebot, AngebotFilter, AngebotQuery, NeuesAngebot, StoreError};
use sea_orm::ConnectionTrait;

pub(crate) fn course(titel: &str) -> AngebotInput {
    AngebotInput {
        titel: titel.to_owned(),
        beschreibung: "Deutsch für den Alltag, in kleinen Gruppen.".to_owned(),
        kategorie: "sprache".to_owned(),
        handlungsfeld: "sprachfoerderung".to_owned(),
        zielgruppen: vec!["erwachsene".to_owned()],
        niveau_von: "A1".to_owned(),
        niveau_bis: "A2".to_owned(),
        sprachen: vec!["de".to_owned()],
        orte: vec![("2581".to_owned(), "Kirchgasse 3, Olten".to_owned())],
        tageszeiten: vec!["abend".to_owned()],
        zeitplan: "Dienstag und Donnerstag, 19.00–21.00".to_owned(),
        preis: "120".to_owned(),
        subventioniert: true,
        anmeldung: "Sekretariat, 062 000 00 00".to_owned(),
        gueltig_bis: "30.06.2027".to_owned(),
        ..AngebotInput::default()
    }
}

fn query(filter: Option<AngebotFilter>) -> AngebotQuery {
    AngebotQuery { filter, page: 1, per_page: 50, ..AngebotQuery::default() }
}

/// A provider's offer, submitted and published by the Kanton.
async fn published(test: &TestStore, provider: &Actor, titel: &str) -> Angebot {
    let kanton = test.logged_in("aso", &[Role::Kanton]).await;
    let draft = test.store.create_offer(provider, &course(titel)).await.unwrap();
    let submitted = test.store.submit_offer(provider, draft.id, draft.version).await.unwrap();
    test.store.publish_offer(&kanton, submitted.id, submitted.version).await.unwrap()
}

#[tokio::test]
async fn a_provider_submits_and_the_kanton_publishes() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let kanton = test.kanton_auditor().await;
    let draft = test.store.create_offer(&provider, &course("Deutschkurs A1 am Abend")).await.unwrap();
    assert_eq!(draft.status, AngebotStatus::Entwurf);
    assert_eq!(draft.organisation_id, provider.organisation_id);
    assert!(test.store.published_offers().await.unwrap().is_empty(), "a draft is not public");
    let errors = field_errors(test.store.publish_offer(&kanton, draft.id, draft.version).await);
    assert!(errors.get("angebot").is_some(), "a draft cannot be published before it is submitted");

    let submitted = test.store.submit_offer(&provider, draft.id, draft.version).await.unwrap();
    assert_eq!(submitted.status, AngebotStatus::Eingereicht);
    let queue = test.store.offers(&kanton, &query(Some(AngebotFilter::ZuPruefen))).await.unwrap();
    assert_eq!(queue.total, 1);
    assert!(queue.items[0].zu_pruefen);
    assert_eq!(test.store.count_offers(&kanton, AngebotFilter::ZuPruefen).await.unwrap(), 1);
    assert!(matches!(
        test.store.publish_offer(&provider, draft.id, submitted.version).await,
        Err(StoreError::Denied(_))
    ));

    let public = test.store.publish_offer(&kanton, draft.id, submitted.version).await.unwrap();
    assert_eq!(public.status, AngebotStatus::Veroeffentlicht);
    assert!(public.veroeffentlicht_at.is_some());
    assert_eq!(test.store.published_offers().await.unwrap().len(), 1);
    assert_eq!(test.store.count_offers(&kanton, AngebotFilter::ZuPruefen).await.unwrap(), 0);

    let log = test.whole_log(&kanton).await;
    let steps: Vec<&str> = log
        .iter()
        .filter(|e| e.resource == "angebot" && e.outcome == "erlaubt")
        .filter_map(|e| e.detail.as_deref())
        .collect();
    assert!(steps.contains(&"Angebot eingereicht"), "{steps:?}");
    assert!(steps.contains(&"Angebot veröffentlicht"), "{steps:?}");
    assert!(steps.iter().any(|s| s.contains("als Entwurf erfasst")), "{steps:?}");
}

#[tokio::test]
async fn a_provider_cannot_reach_another_providers_offer() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    test.store.operator().upsert_provider("anbieter-andere", "Andere Kurse AG").await.unwrap();
    let other = test.logged_in("anbieter-andere", &[Role::Anbieter]).await;
    let offer = test.store.create_offer(&provider, &course("Deutschkurs A2")).await.unwrap();

    assert!(matches!(test.store.offer(&other, offer.id).await, Err(StoreError::NotFound)));
    let edit = test.store.update_offer(&other, offer.id, offer.version, &course("Übernommen")).await;
    assert!(matches!(edit, Err(StoreError::NotFound)));
    assert!(matches!(test.store.submit_offer(&other, offer.id, offer.version).await, Err(StoreError::NotFound)));
    assert!(matches!(test.store.archive_offer(&other, offer.id, offer.version).await, Err(StoreError::NotFound)));
    assert_eq!(test.store.offers(&other, &query(None)).await.unwrap().total, 0);

    let unchanged = test.store.offer(&provider, offer.id).await.unwrap().angebot;
    assert_eq!(unchanged.data.titel, "Deutschkurs A2");
    assert_eq!(unchanged.status, AngebotStatus::Entwurf);
    let kanton = test.kanton_auditor().await;
    let refusals = test
        .whole_log(&kanton)
        .await
        .into_iter()
        .filter(|e| e.resource == "angebot" && e.outcome == "verweigert" && e.actor_username == other.username)
        .count();
    assert_eq!(refusals, 4, "every attempt is logged as refused");
    let case_worker = test.case_worker_of("sr-olten").await;
    assert!(matches!(test.store.create_offer(&case_worker, &course("Kurs")).await, Err(StoreError::Denied(_))));
}

#[tokio::test]
async fn the_kanton_returns_a_submission_with_a_reason_and_the_provider_corrects_it() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let kanton = test.kanton_auditor().await;
    let draft = test.store.create_offer(&provider, &course("Deutschkurs")).await.unwrap();
    let submitted = test.store.submit_offer(&provider, draft.id, draft.version).await.unwrap();
    let errors = field_errors(test.store.return_offer(&kanton, draft.id, submitted.version, "  ").await);
    assert!(errors.get("begruendung").is_some());

    let returned =
        test.store.return_offer(&kanton, draft.id, submitted.version, "Bitte das Niveau angeben.").await.unwrap();
    assert_eq!(returned.status, AngebotStatus::Entwurf);
    assert_eq!(returned.rueckweisung.as_deref(), Some("Bitte das Niveau angeben."));
    let errors = field_errors(test.store.update_offer(&provider, draft.id, submitted.version, &course("x")).await);
    assert!(errors.get("version").unwrap().contains("inzwischen"), "a stale form is refused");

    let corrected =
        test.store.update_offer(&provider, draft.id, returned.version, &course("Deutschkurs A1–A2")).await.unwrap();
    let again = test.store.submit_offer(&provider, draft.id, corrected.version).await.unwrap();
    assert_eq!(again.status, AngebotStatus::Eingereicht);
    assert_eq!(again.rueckweisung, None, "a new submission clears the old reason");
}

#[tokio::test]
async fn editing_a_published_offer_keeps_it_public_and_asks_the_kanton_to_check_again() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let kanton = test.kanton_auditor().await;
    let offer = published(&test, &provider, "Deutschkurs B1").await;
    let errors = field_errors(test.store.submit_offer(&provider, offer.id, offer.version).await);
    assert!(errors.get("angebot").is_some());

    test.let_time_pass(Duration::hours(1));
    let changed =
        test.store.update_offer(&provider, offer.id, offer.version, &course("Deutschkurs B1 neu")).await.unwrap();
    assert_eq!(changed.status, AngebotStatus::Veroeffentlicht);
    assert_eq!(test.store.published_offers().await.unwrap()[0].data.titel, "Deutschkurs B1 neu");
    let queue = test.store.offers(&kanton, &query(Some(AngebotFilter::ZuPruefen))).await.unwrap();
    assert_eq!(queue.items.iter().map(|o| o.angebot.id).collect::<Vec<_>>(), vec![offer.id]);
    test.store.publish_offer(&kanton, offer.id, changed.version).await.unwrap();
    assert_eq!(test.store.count_offers(&kanton, AngebotFilter::ZuPruefen).await.unwrap(), 0);

    let current = test.store.offer(&provider, offer.id).await.unwrap().angebot;
    let archived = test.store.archive_offer(&provider, offer.id, current.version).await.unwrap();
    assert_eq!(archived.status, AngebotStatus::Archiviert);
    assert!(test.store.published_offers().await.unwrap().is_empty());
    let errors = field_errors(test.store.update_offer(&provider, offer.id, archived.version, &course("x")).await);
    assert!(errors.get("titel").is_some(), "an archived offer is not edited any more");
}

#[tokio::test]
async fn offers_not_updated_for_a_year_are_listed_and_expired_ones_read_as_expired() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let offer = published(&test, &provider, "Deutschkurs A1").await;
    assert_eq!(test.store.count_offers(&provider, AngebotFilter::Erinnerung).await.unwrap(), 0);

    test.let_time_pass(Duration::days(370));
    let due = test.store.offers(&provider, &query(Some(AngebotFilter::Erinnerung))).await.unwrap();
    assert_eq!(due.total, 1);
    assert!(due.items[0].erinnerung);
    assert_eq!(due.items[0].angebot.status, AngebotStatus::Abgelaufen, "valid until 30.06.2027");
    let expired = test.store.offers(&provider, &query(Some(AngebotFilter::Status(AngebotStatus::Abgelaufen)))).await;
    assert_eq!(expired.unwrap().total, 1);
    assert!(test.store.published_offers().await.unwrap().is_empty());

    let renewed = AngebotInput { gueltig_bis: "31.12.2028".to_owned(), ..course("Deutschkurs A1") };
    let updated = test.store.update_offer(&provider, offer.id, offer.version, &renewed).await.unwrap();
    assert_eq!(updated.status, AngebotStatus::Veroeffentlicht, "a new validity date renews it");
    assert_eq!(test.store.count_offers(&provider, AngebotFilter::Erinnerung).await.unwrap(), 0);
}

#[tokio::test]
async fn casework_links_to_an_offer_survive_its_expiry() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let offer = published(&test, &provider, "Deutschkurs A1 Olten").await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    let ziel = iim_domain::dossier::ZielInput {
        handlungsfeld: "sprachfoerderung".into(),
        ziel: "Deutsch A2".into(),
        kriterium: "Zertifikat".into(),
        faellig_am: "30.06.2027".into(),
    }
    .parse(crate::support::today())
    .unwrap();
    let with_goal =
        test.store.add_ziel_mit_angebot(&case_worker, dossier.id, ziel.clone(), Some(offer.id)).await.unwrap();
    assert_eq!(with_goal.ziele[0].angebot.as_ref().map(|a| a.titel.as_str()), Some("Deutschkurs A1 Olten"));
    let errors =
        field_errors(test.store.add_ziel_mit_angebot(&case_worker, dossier.id, ziel.clone(), Some(9999)).await);
    assert!(errors.get("angebot").is_some(), "only published offers can be picked");

    let officer = test.integration_officer_of(2581).await;
    let neuzuzueger = neuzuzueger_in(&test, 2581, &officer).await;
    let mut gespraech = conversation();
    gespraech.empfehlungen.push(EmpfehlungInput {
        art: "angebot".to_owned(),
        angebot: offer.id.to_string(),
        ..EmpfehlungInput::default()
    });
    test.store.record_conversation(&officer, neuzuzueger, &gespraech).await.unwrap();
    let picks = test.store.offers_to_pick(&officer, "", 20).await.unwrap();
    assert_eq!(picks[0].bezeichnung(), "Deutschkurs A1 Olten – Deutschkurse Olten GmbH, Olten");

    test.let_time_pass(Duration::days(400));
    let dossier = test.store.get_dossier(&case_worker, dossier.id).await.unwrap();
    let link = dossier.ziele[0].angebot.clone().unwrap();
    assert_eq!(link.status, AngebotStatus::Abgelaufen);
    assert!(link.oeffentlich());
    let empfehlungen = test.store.get_neuzuzueger(&officer, neuzuzueger).await.unwrap().gespraech.unwrap().empfehlungen;
    let linked = empfehlungen[2].2.clone().unwrap();
    assert_eq!((linked.id, linked.status), (offer.id, AngebotStatus::Abgelaufen));
    assert!(empfehlungen[0].2.is_none());
    let errors = field_errors(test.store.add_ziel_mit_angebot(&case_worker, dossier.id, ziel, Some(offer.id)).await);
    assert!(errors.get("angebot").unwrap().contains("nicht (mehr) veröffentlicht"));
}

#[tokio::test]
async fn the_bulk_load_keeps_each_offer_with_its_places() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let by = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap().user_id;
    let today = crate::support::today();
    let offers: Vec<NeuesAngebot> = (0..1200)
        .map(|index| {
            let bfs = if index % 2 == 0 { "2581" } else { "2601" };
            let input = AngebotInput {
                orte: vec![(bfs.to_owned(), format!("Haus {index}"))],
                ..course(&format!("Kurs {index}"))
            };
            NeuesAngebot {
                organisation_id: provider.organisation_id,
                status: if index % 3 == 0 { AngebotStatus::Entwurf } else { AngebotStatus::Veroeffentlicht },
                data: input.check(today).unwrap(),
                updated_by: by,
                updated_at: crate::support::start_time(),
            }
        })
        .collect();
    let ids = test.store.operator().load_offers(&offers).await.unwrap();
    assert_eq!(ids.len(), 1200);
    let published = test.store.published_offers().await.unwrap();
    assert_eq!(published.len(), 800);
    for offer in &published {
        let index: usize = offer.data.titel.trim_start_matches("Kurs ").parse().unwrap();
        assert_eq!(ids[index], offer.id);
        assert_eq!(offer.data.orte[0].adresse, format!("Haus {index}"), "places belong to their offer");
    }
}

#[tokio::test]
async fn the_casework_picker_searches_title_provider_and_gemeinde_and_never_returns_more_than_asked() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let by = test.store.operator().operator_actor(&test.add_user("aso", &[Role::Admin]).await).await.unwrap().user_id;
    let today = crate::support::today();
    let offers: Vec<NeuesAngebot> = (0..300)
        .map(|index| {
            let (bfs, titel) = if index % 2 == 0 { ("2601", "Velokurs") } else { ("2581", "Deutschkurs") };
            NeuesAngebot {
                organisation_id: provider.organisation_id,
                status: AngebotStatus::Veroeffentlicht,
                data: AngebotInput {
                    orte: vec![(bfs.to_owned(), "Haus".to_owned())],
                    ..course(&format!("{titel} {index:03}"))
                }
                .check(today)
                .unwrap(),
                updated_by: by,
                updated_at: crate::support::start_time(),
            }
        })
        .collect();
    test.store.operator().load_offers(&offers).await.unwrap();
    let olten = test.integration_officer_of(2581).await;

    let any = test.store.offers_to_pick(&olten, "", 20).await.unwrap();
    let by_title = test.store.offers_to_pick(&olten, "VELOKURS 00", 20).await.unwrap();
    let by_gemeinde = test.store.offers_to_pick(&olten, "solothurn", 200).await.unwrap();
    let by_provider = test.store.offers_to_pick(&olten, &provider.organisation_name.to_lowercase(), 20).await.unwrap();
    let nothing = test.store.offers_to_pick(&olten, "Zauberkurs", 20).await.unwrap();

    assert_eq!(any.len(), 20);
    assert!(any.iter().all(|o| o.gemeinde == "Olten"), "offers near the officer first: {any:?}");
    assert_eq!(any[0].titel, "Deutschkurs 001", "then by title");
    let titles: Vec<&str> = by_title.iter().map(|o| o.titel.as_str()).collect();
    assert_eq!(titles, ["Velokurs 000", "Velokurs 002", "Velokurs 004", "Velokurs 006", "Velokurs 008"]);
    assert_eq!(by_gemeinde.len(), 150);
    assert!(by_gemeinde.iter().all(|o| o.gemeinde == "Solothurn"));
    assert_eq!(by_provider.len(), 20);
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn an_unknown_stored_category_is_reported_as_corrupt_never_read_as_information() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    published(&test, &provider, "Deutschkurs A1").await;
    published(&test, &provider, "Deutschkurs B1").await;
    let raw = test.raw_connection().await;
    raw.execute_unprepared("UPDATE angebote SET kategorie = 'kaputt' WHERE titel = 'Deutschkurs A1'").await.unwrap();

    let own = test.store.offers(&provider, &query(None)).await;
    let public = test.store.published_offers().await.unwrap();

    assert!(matches!(&own, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{:?}", own.map(|p| p.total));
    let titles: Vec<&str> = public.iter().map(|o| o.data.titel.as_str()).collect();
    assert_eq!(titles, ["Deutschkurs B1"], "the public list leaves the broken offer out and keeps the others");
}

#[tokio::test]
async fn an_unknown_stored_status_is_reported_as_corrupt_never_read_or_changed_as_a_draft() {
    let test = TestStore::new().await;
    let provider = test.provider_user().await;
    let draft = test.store.create_offer(&provider, &course("Deutschkurs A1")).await.unwrap();
    let raw = test.raw_connection().await;
    raw.execute_unprepared("UPDATE angebote SET status = 'kaputt'").await.unwrap();

    let read = test.store.offer(&provider, draft.id).await;
    let submitted = test.store.submit_offer(&provider, draft.id, draft.version).await;
    let edited = test.store.update_offer(&provider, draft.id, draft.version, &course("Deutschkurs A2")).await;
    let read_again = test.store.offer(&provider, draft.id).await;

    assert!(
        matches!(&read, Err(StoreError::Corrupt(m)) if m.contains("kaputt")),
        "{:?}",
        read.map(|o| o.angebot.status)
    );
    assert!(matches!(&submitted, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{submitted:?}");
    assert!(matches!(&edited, Err(StoreError::Corrupt(m)) if m.contains("kaputt")), "{edited:?}");
    assert!(
        matches!(&read_again, Err(StoreError::Corrupt(m)) if m.contains("kaputt")),
        "the refused steps left the broken row as it was: {:?}",
        read_again.map(|o| o.angebot.status)
    );
}

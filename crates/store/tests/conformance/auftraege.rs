//! Orders to providers: accreditation, the coaching rule with the Leitung's approval, what the provider
//! sees and reports, and how the result reaches the case worker's worklist.

use crate::support::{TestStore, field_errors, valid_person};
use iim_domain::auftrag::{AnbieterTyp, AuftragArt, AuftragInput, AuftragStatus, ErgebnisInput};
use iim_domain::dossier::DossierEvent;
use iim_domain::person::Choice;
use iim_domain::{Actor, Role};
use iim_store::{Dossier, StoreError};

/// A provider accredited for the given orders, and one of its users.
async fn provider(test: &TestStore, code: &str, orders: &[AuftragArt]) -> (i64, Actor) {
    let id = test.store.operator().upsert_provider(code, &format!("Anbieter {code}")).await.unwrap();
    test.store.operator().set_provider_profile(code, AnbieterTyp::Potenzialerfassungsstelle, orders).await.unwrap();
    (id, test.logged_in(code, &[Role::Anbieter]).await)
}

struct Case {
    test: TestStore,
    case_worker: Actor,
    leitung: Actor,
    dossier: Dossier,
    pe_id: i64,
    pe_user: Actor,
}

async fn case() -> Case {
    let test = TestStore::new().await;
    let case_worker = test.case_worker_of("sr-olten").await;
    let leitung = test.leitung_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    let all = [AuftragArt::VertieftePotenzialerfassung, AuftragArt::Integrationscoaching];
    let (pe_id, pe_user) = provider(&test, "anbieter-pe", &all).await;
    Case { test, case_worker, leitung, dossier, pe_id, pe_user }
}

fn input(art: AuftragArt, anbieter: i64) -> AuftragInput {
    AuftragInput { art: art.code().into(), anbieter: anbieter.to_string(), fragestellung: "Welche Ressourcen?".into() }
}

fn report(komplex: &str) -> ErgebnisInput {
    ErgebnisInput { ergebnis: "Befund".into(), empfehlungen: "Modul 2 besuchen".into(), komplex: komplex.into() }
}

/// Orders a vertiefte Potenzialerfassung and lets the provider classify the case.
async fn assessed(case: &Case, komplex: &str) -> i64 {
    let order = input(AuftragArt::VertieftePotenzialerfassung, case.pe_id);
    let dossier = case.test.store.order(&case.case_worker, case.dossier.id, &order).await.unwrap();
    let id = dossier.auftraege.last().unwrap().id;
    case.test.store.report_result(&case.pe_user, id, &report(komplex)).await.unwrap();
    id
}

#[tokio::test]
async fn an_order_goes_only_to_an_accredited_provider() {
    let case = case().await;
    let (other, _) = provider(&case.test, "anbieter-pa", &[AuftragArt::Praxisassessment]).await;
    let order = input(AuftragArt::VertieftePotenzialerfassung, other);
    let errors = field_errors(case.test.store.order(&case.case_worker, case.dossier.id, &order).await);
    assert!(errors.get("anbieter").unwrap().contains("nicht für Vertiefte Potenzialerfassung akkreditiert"));
    assert!(case.test.store.get_dossier(&case.case_worker, case.dossier.id).await.unwrap().auftraege.is_empty());
}

#[tokio::test]
async fn the_provider_sees_its_order_reports_and_the_case_worker_finds_the_result_in_the_worklist() {
    let case = case().await;
    let order = input(AuftragArt::VertieftePotenzialerfassung, case.pe_id);
    let dossier = case.test.store.order(&case.case_worker, case.dossier.id, &order).await.unwrap();
    assert_eq!(dossier.timeline[0].event, DossierEvent::AuftragErteilt);
    let id = dossier.auftraege[0].id;

    let seen = case.test.store.provider_orders(&case.pe_user, 1, 50).await.unwrap();
    assert_eq!(seen.items.len(), 1);
    assert_eq!(seen.items[0].fragestellung, "Welche Ressourcen?");
    let errors = field_errors(case.test.store.report_result(&case.pe_user, id, &report("")).await);
    assert_eq!(errors.get("komplex"), Some("Bitte angeben, ob der Fall komplex ist."));

    let reported = case.test.store.report_result(&case.pe_user, id, &report("ja")).await.unwrap();
    assert_eq!(reported.status, AuftragStatus::ErgebnisEingegangen);
    let again = field_errors(case.test.store.report_result(&case.pe_user, id, &report("nein")).await);
    assert!(again.get("ergebnis").unwrap().contains("bereits"));

    let worklist = case.test.store.pendenzen(&case.case_worker).await.unwrap();
    assert_eq!(worklist.ergebnisse.len(), 1);
    assert_eq!(worklist.ergebnisse[0].dossier_id, case.dossier.id);
    assert_eq!(case.test.store.pendenzen_zahlen(&case.case_worker).await.unwrap().ergebnisse, 1);
    let dossier = case.test.store.get_dossier(&case.case_worker, case.dossier.id).await.unwrap();
    assert_eq!(dossier.timeline[0].event, DossierEvent::ErgebnisEingegangen);
    assert_eq!(dossier.auftraege[0].ergebnis.as_ref().unwrap().komplex, Some(true));

    case.test.store.acknowledge_result(&case.case_worker, case.dossier.id, id).await.unwrap();
    assert!(case.test.store.pendenzen(&case.case_worker).await.unwrap().ergebnisse.is_empty());
}

#[tokio::test]
async fn another_provider_and_a_case_worker_cannot_reach_the_providers_view() {
    let case = case().await;
    let order = input(AuftragArt::VertieftePotenzialerfassung, case.pe_id);
    let id = case.test.store.order(&case.case_worker, case.dossier.id, &order).await.unwrap().auftraege[0].id;
    let stranger = case.test.provider_user().await;
    assert!(matches!(case.test.store.provider_order(&stranger, id).await, Err(StoreError::NotFound)));
    assert!(matches!(case.test.store.report_result(&stranger, id, &report("ja")).await, Err(StoreError::NotFound)));
    assert_eq!(case.test.store.provider_orders(&stranger, 1, 50).await.unwrap().total, 0);
    let case_worker = case.test.store.provider_order(&case.case_worker, id).await;
    assert!(matches!(case_worker, Err(StoreError::NotFound)), "a role without the permission learns nothing");
    let dossier = case.test.store.get_dossier(&case.pe_user, case.dossier.id).await;
    assert!(matches!(dossier, Err(StoreError::NotFound)), "a provider cannot tell whether a dossier exists");

    let log = case.test.whole_log(&case.test.kanton_auditor().await).await;
    assert!(
        log.iter()
            .any(|e| e.resource == "auftrag" && e.outcome == "verweigert" && e.actor_username == stranger.username)
    );
}

#[tokio::test]
async fn coaching_needs_a_complex_vertiefte_potenzialerfassung() {
    let case = case().await;
    let coaching = input(AuftragArt::Integrationscoaching, case.pe_id);
    let errors = field_errors(case.test.store.order(&case.case_worker, case.dossier.id, &coaching).await);
    assert!(errors.get("art").unwrap().contains("keine vertiefte Potenzialerfassung"));

    assessed(&case, "nein").await;
    let errors = field_errors(case.test.store.order(&case.case_worker, case.dossier.id, &coaching).await);
    assert!(errors.get("art").unwrap().contains("nicht komplex"));

    assessed(&case, "ja").await;
    let dossier = case.test.store.order(&case.case_worker, case.dossier.id, &coaching).await.unwrap();
    assert_eq!(dossier.auftraege.last().unwrap().status, AuftragStatus::GenehmigungAusstehend);
}

#[tokio::test]
async fn coaching_reaches_the_provider_only_after_the_leitung_approved_it() {
    let case = case().await;
    assessed(&case, "ja").await;
    let coaching = input(AuftragArt::Integrationscoaching, case.pe_id);
    let dossier = case.test.store.order(&case.case_worker, case.dossier.id, &coaching).await.unwrap();
    let id = dossier.auftraege.last().unwrap().id;
    assert!(matches!(case.test.store.provider_order(&case.pe_user, id).await, Err(StoreError::NotFound)));

    let waiting = case.test.store.pendenzen(&case.leitung).await.unwrap().genehmigungen;
    assert_eq!(waiting.len(), 1);
    assert!(matches!(
        case.test.store.decide_order(&case.case_worker, case.dossier.id, id, true, "").await,
        Err(StoreError::Denied(_))
    ));
    let errors = field_errors(case.test.store.decide_order(&case.leitung, case.dossier.id, id, false, " ").await);
    assert!(errors.get("begruendung").is_some());

    let dossier = case.test.store.decide_order(&case.leitung, case.dossier.id, id, true, "").await.unwrap();
    assert_eq!(dossier.auftraege.last().unwrap().status, AuftragStatus::Erteilt);
    assert_eq!(dossier.timeline[0].event, DossierEvent::AuftragGenehmigt);
    assert!(case.test.store.provider_order(&case.pe_user, id).await.is_ok());
    assert!(case.test.store.pendenzen(&case.leitung).await.unwrap().genehmigungen.is_empty());
}

#[tokio::test]
async fn a_refused_coaching_stays_invisible_to_the_provider() {
    let case = case().await;
    assessed(&case, "ja").await;
    let coaching = input(AuftragArt::Integrationscoaching, case.pe_id);
    let id = case.test.store.order(&case.case_worker, case.dossier.id, &coaching).await.unwrap().auftraege[1].id;
    let dossier =
        case.test.store.decide_order(&case.leitung, case.dossier.id, id, false, "erst Deutschkurs").await.unwrap();
    assert_eq!(dossier.auftraege[1].status, AuftragStatus::Abgelehnt);
    assert_eq!(dossier.auftraege[1].entscheid_begruendung.as_deref(), Some("erst Deutschkurs"));
    assert!(matches!(case.test.store.provider_order(&case.pe_user, id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_leitung_ordering_coaching_needs_no_second_approval() {
    let case = case().await;
    assessed(&case, "ja").await;
    let coaching = input(AuftragArt::Integrationscoaching, case.pe_id);
    let dossier = case.test.store.order(&case.leitung, case.dossier.id, &coaching).await.unwrap();
    assert_eq!(dossier.auftraege.last().unwrap().status, AuftragStatus::Erteilt);
}

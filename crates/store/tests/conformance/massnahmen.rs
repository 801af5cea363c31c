//! Sprachstände, bookings with entry criteria and the Leitung's exception, the end of a participation and
//! «Kein Abschluss ohne Anschluss», and the Kanton's catalogue versions.

use crate::support::{TestStore, field_errors, person_named, today, valid_person};
use iim_domain::Actor;
use iim_domain::dossier::{DossierEvent, KurzassessmentInput};
use iim_domain::massnahmen::{AnschlussInput, BuchungInput, MassnahmeInput, TeilnahmeEndeInput};
use iim_domain::sprache::SprachstandInput;
use iim_store::{AuditRecord, StoreError};

/// A case worker of Olten with an open dossier; returns the case worker and the dossier id.
async fn dossier_of_olten(test: &TestStore) -> (Actor, i64) {
    let case_worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&case_worker, valid_person(2581)).await;
    let dossier = test.store.open_dossier(&case_worker, person.id, true, false).await.unwrap();
    (case_worker, dossier.id)
}

async fn record_level(test: &TestStore, actor: &Actor, id: i64, niveau: &str, datum: &str) {
    let stand = SprachstandInput {
        datum: datum.into(),
        fertigkeit: "gesamt".into(),
        niveau: niveau.into(),
        nachweis: "fide".into(),
        bemerkung: String::new(),
    }
    .parse(today())
    .unwrap();
    test.store.record_sprachstand(actor, id, stand).await.unwrap();
}

async fn record_schooling(test: &TestStore, actor: &Actor, id: i64, schuljahre: &str) {
    let assessment = KurzassessmentInput {
        datum: "20.11.2026".into(),
        richtung: "arbeitsmarktlich".into(),
        sprachfoerderbedarf: "ja".into(),
        schuljahre: schuljahre.into(),
        literalitaet: "alphabetisiert".into(),
        arbeitserfahrung: "ausland".into(),
        potenzial: "hoch".into(),
        dolmetschende: "nein".into(),
        bemerkungen: String::new(),
    }
    .parse(today())
    .unwrap();
    test.store.record_kurzassessment(actor, id, assessment).await.unwrap();
}

fn booking(code: &str) -> BuchungInput {
    BuchungInput { massnahme: code.into(), beginn: "01.12.2026".into(), ..BuchungInput::default() }
}

fn completed() -> TeilnahmeEndeInput {
    TeilnahmeEndeInput {
        ende: "21.11.2026".into(),
        anwesenheit: "90".into(),
        ergebnis: "abgeschlossen".into(),
        abbruchgrund: String::new(),
    }
}

async fn log_of(test: &TestStore, resource: &str) -> Vec<AuditRecord> {
    let auditor = test.kanton_auditor().await;
    test.whole_log(&auditor).await.into_iter().filter(|entry| entry.resource == resource).collect()
}

#[tokio::test]
async fn phase_2_is_refused_with_every_unmet_criterion_until_a2_and_schooling_are_recorded() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;

    let errors = field_errors(test.store.book_massnahme(&case_worker, id, &booking("BI-2")).await);
    assert_eq!(errors.get("eintritt_1"), Some("Verlangt mindestens Deutsch A2; es ist noch kein Sprachstand erfasst."));
    assert!(errors.get("eintritt_2").unwrap().contains("noch kein Kurzassessment"), "{errors}");

    record_level(&test, &case_worker, id, "A1", "03.02.2026").await;
    record_schooling(&test, &case_worker, id, "4").await;
    let errors = field_errors(test.store.book_massnahme(&case_worker, id, &booking("BI-2")).await);
    assert_eq!(errors.get("eintritt_1"), Some("Verlangt mindestens Deutsch A2; erfasst ist A1 (fide, 03.02.2026)."));
    assert!(errors.get("eintritt_2").unwrap().contains("laut Kurzassessment sind es 4"), "{errors}");
    assert!(test.store.get_dossier(&case_worker, id).await.unwrap().teilnahmen.is_empty(), "nothing booked");

    record_level(&test, &case_worker, id, "A2", "01.11.2026").await;
    record_schooling(&test, &case_worker, id, "9").await;
    let dossier = test.store.book_massnahme(&case_worker, id, &booking("BI-2")).await.unwrap();
    assert_eq!(dossier.teilnahmen.len(), 1);
    let booked = &dossier.teilnahmen[0].teilnahme;
    assert_eq!((booked.massnahme_code.as_str(), booked.katalog_version, booked.ausnahme.as_deref()), ("BI-2", 1, None));
    assert_eq!(dossier.timeline[0].event, DossierEvent::MassnahmeGebucht);
    assert_eq!(dossier.sprachstaende.len(), 2);
}

#[tokio::test]
async fn phase_3_needs_the_apprenticeship_contract_stated_in_the_booking() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    record_level(&test, &case_worker, id, "B1", "01.11.2026").await;
    record_schooling(&test, &case_worker, id, "9").await;
    let errors = field_errors(test.store.book_massnahme(&case_worker, id, &booking("BI-3")).await);
    assert!(errors.get("eintritt_1").unwrap().contains("Lehrvertrag"), "{errors}");
    let with_contract = BuchungInput { ausbildung: "lehrvertrag".into(), ..booking("BI-3") };
    assert!(test.store.book_massnahme(&case_worker, id, &with_contract).await.is_ok());
}

#[tokio::test]
async fn only_the_leitung_overrides_entry_criteria_and_only_with_a_reason() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let leitung = test.leitung_of("sr-olten").await;
    let with_reason = BuchungInput { ausnahme: "Sprachkurs läuft, A2 im Januar erwartet".into(), ..booking("BI-2") };

    let errors = field_errors(test.store.book_massnahme(&case_worker, id, &with_reason).await);
    assert_eq!(
        errors.get("ausnahme"),
        Some("Eine Ausnahme von den Eintrittskriterien kann nur die Leitung bewilligen.")
    );
    let errors = field_errors(test.store.book_massnahme(&leitung, id, &booking("BI-2")).await);
    assert!(errors.get("ausnahme").unwrap().contains("bitte begründen"), "{errors}");
    assert!(errors.get("eintritt_1").is_some());

    let dossier = test.store.book_massnahme(&leitung, id, &with_reason).await.unwrap();
    let booked = &dossier.teilnahmen[0];
    assert_eq!(booked.teilnahme.ausnahme.as_deref(), Some("Sprachkurs läuft, A2 im Januar erwartet"));
    assert_eq!(booked.ausnahme_von.as_deref(), Some(leitung.display_name.as_str()));
    let detail = dossier.timeline[0].detail.clone().unwrap();
    assert!(detail.contains("Ausnahme von den Eintrittskriterien: Sprachkurs läuft"), "{detail}");
    assert!(detail.contains("Verlangt mindestens Deutsch A2"), "{detail}");

    let other_leitung = test.leitung_of("sr-thal").await;
    assert!(matches!(test.store.book_massnahme(&other_leitung, id, &with_reason).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_completed_measure_without_anschluss_is_on_the_worklist_until_one_is_recorded() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let leitung = test.leitung_of("sr-olten").await;
    let colleague = test.case_worker_of("sr-olten").await;
    let dossier = test.store.book_massnahme(&case_worker, id, &booking("SF-S")).await.unwrap();
    let teilnahme = dossier.teilnahmen[0].id;
    let too_early = AnschlussInput { art: "lehrstelle".into(), ..AnschlussInput::default() };
    let errors = field_errors(test.store.record_anschluss(&case_worker, id, teilnahme, &too_early).await);
    assert!(errors.get("art").unwrap().contains("läuft noch"));
    let before_start = field_errors(test.store.end_teilnahme(&case_worker, id, teilnahme, &completed()).await);
    assert!(before_start.get("ende").unwrap().contains("vor dem Beginn"), "the booking starts on 01.12.2026");

    let started_earlier = BuchungInput { beginn: "01.08.2026".into(), ..booking("SF-S") };
    let dossier = test.store.book_massnahme(&case_worker, id, &started_earlier).await.unwrap();
    let teilnahme = dossier.teilnahmen.iter().find(|t| t.teilnahme.beginn.to_string() == "2026-08-01").unwrap().id;
    let ended = test.store.end_teilnahme(&case_worker, id, teilnahme, &completed()).await.unwrap();
    assert!(ended.teilnahmen.iter().any(|t| t.id == teilnahme && t.teilnahme.ohne_anschluss()));
    assert!(
        field_errors(test.store.end_teilnahme(&case_worker, id, teilnahme, &completed()).await).get("ende").is_some()
    );

    let worklist = test.store.pendenzen(&case_worker).await.unwrap().ohne_anschluss;
    assert_eq!(worklist.len(), 1);
    assert_eq!(
        (worklist[0].dossier_id, worklist[0].person_name.as_str(), worklist[0].was.as_str()),
        (id, "Tesfamariam, Selam", "Strukturierte Sprachförderung: abgeschlossen, ohne Anschluss")
    );
    assert_eq!(worklist[0].seit, today());
    assert_eq!(test.store.pendenzen_zahlen(&case_worker).await.unwrap().ohne_anschluss, 1);
    assert_eq!(test.store.pendenzen(&leitung).await.unwrap().ohne_anschluss.len(), 1);
    assert!(test.store.pendenzen(&colleague).await.unwrap().ohne_anschluss.is_empty());

    let not_allowed = AnschlussInput { art: "weitere_massnahme".into(), massnahme: "AI-4".into(), text: String::new() };
    let errors = field_errors(test.store.record_anschluss(&case_worker, id, teilnahme, &not_allowed).await);
    assert!(errors.get("massnahme").is_some(), "AI-4 does not follow SF-S in the catalogue");
    let next = AnschlussInput { massnahme: "SF-F".into(), ..not_allowed };
    let dossier = test.store.record_anschluss(&case_worker, id, teilnahme, &next).await.unwrap();
    assert_eq!(dossier.timeline[0].event, DossierEvent::AnschlussErfasst);
    assert!(dossier.timeline[0].detail.as_deref().unwrap().contains("Fachbezogene Sprachförderung"));
    assert!(test.store.pendenzen(&case_worker).await.unwrap().ohne_anschluss.is_empty());
}

#[tokio::test]
async fn a_case_worker_of_another_stelle_is_refused_and_the_attempt_logged() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let dossier = test.store.book_massnahme(&case_worker, id, &booking("SF-S")).await.unwrap();
    let thal = test.case_worker_of("sr-thal").await;
    assert!(matches!(test.store.book_massnahme(&thal, id, &booking("SF-S")).await, Err(StoreError::NotFound)));
    let teilnahme = dossier.teilnahmen[0].id;
    assert!(matches!(test.store.end_teilnahme(&thal, id, teilnahme, &completed()).await, Err(StoreError::NotFound)));
    let log = log_of(&test, "dossier").await;
    let denied = log.iter().filter(|e| e.outcome == "verweigert" && e.record_id.as_deref() == Some(&id.to_string()));
    assert_eq!(denied.count(), 2, "{log:?}");
    let other_person = test.register(&case_worker, person_named(2581, "Ghebre", "Amanuel")).await;
    let other_dossier = test.store.open_dossier(&case_worker, other_person.id, true, false).await.unwrap().id;
    assert!(
        matches!(
            test.store.end_teilnahme(&case_worker, other_dossier, teilnahme, &completed()).await,
            Err(StoreError::NotFound)
        ),
        "a participation is reached only through its own dossier"
    );
}

#[tokio::test]
async fn a_catalogue_edit_is_a_new_version_and_old_bookings_keep_theirs() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    test.store.book_massnahme(&case_worker, id, &booking("SF-S")).await.unwrap();
    let kanton = test.kanton_auditor().await;
    let katalog = test.store.katalog().await.unwrap();
    assert_eq!(katalog.version, 1);
    let mut input = MassnahmeInput::of(katalog.massnahme("SF-S").unwrap());
    input.titel = "Strukturierte Sprachförderung (Deutsch ab 16)".into();
    let changed =
        test.store.save_massnahme(&kanton, input.parse().unwrap(), false, None, "Titel präzisiert").await.unwrap();
    assert_eq!(changed.version, 2);
    assert_eq!(test.store.katalog().await.unwrap(), changed);
    let versions = test.store.katalog_versionen().await.unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(
        (versions[0].gespeichert_von.as_str(), versions[0].kommentar.as_str()),
        (kanton.display_name.as_str(), "Titel präzisiert")
    );

    let dossier = test.store.book_massnahme(&case_worker, id, &booking("SF-S")).await.unwrap();
    let by_version: Vec<(i32, &str)> = dossier
        .teilnahmen
        .iter()
        .map(|t| (t.teilnahme.katalog_version, t.teilnahme.massnahme_titel.as_str()))
        .collect();
    assert!(by_version.contains(&(1, "Strukturierte Sprachförderung")), "{by_version:?}");
    assert!(by_version.contains(&(2, "Strukturierte Sprachförderung (Deutsch ab 16)")), "{by_version:?}");

    test.store.migrate().await.unwrap();
    assert_eq!(test.store.katalog().await.unwrap().version, 2, "migrating again does not reload the shipped file");
    let log = log_of(&test, "massnahmenkatalog").await;
    assert!(
        log.iter().any(|e| e.outcome == "erlaubt" && e.detail.as_deref() == Some("Katalogversion 2: Titel präzisiert"))
    );
}

#[tokio::test]
async fn a_deactivated_measure_cannot_be_booked_and_a_new_one_can() {
    let test = TestStore::new().await;
    let (case_worker, id) = dossier_of_olten(&test).await;
    let kanton = test.kanton_auditor().await;
    let mut mentoring = test.store.katalog().await.unwrap().massnahme("SI-M").unwrap().clone();
    mentoring.aktiv = false;
    test.store.save_massnahme(&kanton, mentoring.clone(), false, None, "Pool aufgelöst").await.unwrap();
    let errors = field_errors(test.store.book_massnahme(&case_worker, id, &booking("SI-M")).await);
    assert!(errors.get("massnahme").is_some());
    mentoring.code = "SI-M2".into();
    mentoring.aktiv = true;
    let katalog = test.store.save_massnahme(&kanton, mentoring.clone(), true, None, "Neuer Pool").await.unwrap();
    assert_eq!(katalog.version, 3);
    assert!(test.store.book_massnahme(&case_worker, id, &booking("SI-M2")).await.is_ok());
    let errors = field_errors(test.store.save_massnahme(&kanton, mentoring, true, None, "nochmals").await);
    assert!(errors.get("code").unwrap().contains("gibt es im Katalog schon"));
}

#[tokio::test]
async fn only_the_kanton_changes_the_catalogue_and_refusals_are_logged() {
    let test = TestStore::new().await;
    let massnahme = test.store.katalog().await.unwrap().massnahme("AI-1").unwrap().clone();
    for actor in [test.case_worker_of("sr-olten").await, test.leitung_of("sr-olten").await] {
        let refused = test.store.save_massnahme(&actor, massnahme.clone(), false, None, "Versuch").await;
        assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    }
    assert_eq!(test.store.katalog().await.unwrap().version, 1);
    let kanton = test.kanton_auditor().await;
    let errors = field_errors(test.store.save_massnahme(&kanton, massnahme, false, None, "  ").await);
    assert!(errors.get("kommentar").is_some());
    let log = log_of(&test, "massnahmenkatalog").await;
    assert_eq!(log.iter().filter(|e| e.outcome == "verweigert" && e.record_id.as_deref() == Some("AI-1")).count(), 2);
}

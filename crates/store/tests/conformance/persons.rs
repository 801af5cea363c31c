//! The Personenregister: records round-trip, search and pagination work, and every actor reaches exactly
//! the persons of its scope.

use crate::support::{TestStore, field_errors, person_named, person_with_ahv, start_time, valid_person};
use iim_domain::{BfsNr, PersonData, PersonName, Role};
use iim_store::{PersonQuery, StoreError};

const OLTEN: u16 = 2581;
const DULLIKEN: u16 = 2573; // Sozialregion Olten
const BALSTHAL: u16 = 2422; // Sozialregion Thal
const WELSCHENROHR: u16 = 2430; // Sozialregion Thal, Leitgemeinde of Herbetswil
const HERBETSWIL: u16 = 2424; // Sozialregion Thal, led by Welschenrohr-Gänsbrunnen

fn ids<T>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    let mut ids: Vec<i64> = items.iter().map(id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn create_then_get_returns_the_same_data_at_version_1() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let data = person_with_ahv(OLTEN, 123_456_789);

    let created = test.create_person(&worker, data.clone()).await.unwrap();
    let read = test.get_person(&worker, created.id).await.unwrap();

    assert_eq!(created.data, data);
    assert_eq!(created.version, 1);
    assert_eq!(read, created);
    assert_eq!(read.created_at, start_time());
    assert_eq!(read.created_by, worker.display_name);
    assert_eq!(read.updated_by, worker.display_name);
}

#[tokio::test]
async fn a_person_with_only_a_birth_year_and_no_optional_fields_round_trips() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let data = PersonData { einreisedatum: None, sprachen: Vec::new(), ..valid_person(OLTEN) };

    let created = test.register(&worker, data.clone()).await;

    assert_eq!(test.get_person(&worker, created.id).await.unwrap().data, data);
}

#[tokio::test]
async fn names_in_any_script_up_to_the_longest_allowed_round_trip() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let long = format!("{}-Thirunavukkarasu", "Ä".repeat(83));
    assert_eq!(long.chars().count(), iim_domain::limits::NAME_CHARS);
    let data = person_named(OLTEN, &long, "Ἀλέξανδρος 李 Çelik");

    let created = test.register(&worker, data.clone()).await;

    assert_eq!(test.get_person(&worker, created.id).await.unwrap().data, data);
}

#[tokio::test]
async fn getting_an_unknown_id_is_not_found() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;

    let result = test.get_person(&worker, 999_999).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

#[tokio::test]
async fn updating_an_unknown_id_is_not_found() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;

    let result = test.update_person(&worker, 999_999, 1, valid_person(OLTEN)).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(test.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn search_ignores_case_umlauts_and_accents() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let mueller = test.register(&worker, person_named(OLTEN, "Müller", "Anna")).await;
    let celik = test.register(&worker, person_named(OLTEN, "Çelik", "Ömer")).await;
    test.register(&worker, person_named(OLTEN, "Meier", "Hans")).await;

    assert_eq!(ids(&test.search(&worker, "muller").await, |p| p.id), [mueller.id]);
    assert_eq!(ids(&test.search(&worker, "MÜLLER").await, |p| p.id), [mueller.id]);
    assert_eq!(ids(&test.search(&worker, "celik omer").await, |p| p.id), [celik.id]);
    assert_eq!(test.search(&worker, "muller hans").await.len(), 0, "all words must match");
    assert_eq!(test.search(&worker, "").await.len(), 3);
}

#[tokio::test]
async fn search_finds_swiss_transliterations_both_ways() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let mueller = test.register(&worker, person_named(OLTEN, "Müller", "Jürg")).await;
    let odegard = test.register(&worker, person_named(OLTEN, "Ødegård", "Ingrid")).await;
    let dangelo = test.register(&worker, person_named(OLTEN, "D'Angelo", "Maria")).await;
    let costa = test.register(&worker, person_named(OLTEN, "Costa", "João")).await;

    assert_eq!(ids(&test.search(&worker, "Mueller").await, |p| p.id), [mueller.id]);
    assert_eq!(ids(&test.search(&worker, "juerg").await, |p| p.id), [mueller.id]);
    assert_eq!(ids(&test.search(&worker, "oedeg").await, |p| p.id), [odegard.id]);
    assert_eq!(ids(&test.search(&worker, "dangelo").await, |p| p.id), [dangelo.id]);
    assert_eq!(ids(&test.search(&worker, "Costa, João").await, |p| p.id), [costa.id]);
    assert!(test.search(&worker, "Costa, Maria").await.is_empty());
}

/// Persons stored before the wider folding get their search text computed again by the migration.
#[tokio::test]
async fn the_migration_folds_stored_search_texts_again() {
    use sea_orm::ConnectionTrait;
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let dangelo = test.register(&worker, person_named(OLTEN, "D'Angelo", "Maria")).await;
    let raw = test.raw_connection().await;
    raw.execute_unprepared("UPDATE persons SET search_text = 'd''angelo maria'").await.unwrap();
    assert!(test.search(&worker, "dangelo").await.is_empty(), "the old folding kept the apostrophe");

    raw.execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm20261206_000401_suchtext_neu_falten'")
        .await
        .unwrap();
    test.migrate().await.unwrap();

    assert_eq!(ids(&test.search(&worker, "dangelo").await, |p| p.id), [dangelo.id]);
}

#[tokio::test]
async fn search_finds_a_person_by_ahv_number_in_both_notations() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let data = person_with_ahv(OLTEN, 921_707_698);
    let dotted = data.ahv_nummer.as_ref().unwrap().to_string();
    let created = test.register(&worker, data).await;
    test.register(&worker, person_named(OLTEN, "Meier", "Hans")).await;

    assert_eq!(ids(&test.search(&worker, &dotted).await, |p| p.id), [created.id]);
    assert_eq!(ids(&test.search(&worker, &dotted.replace('.', "")).await, |p| p.id), [created.id]);
}

#[tokio::test]
async fn search_treats_like_wildcards_as_plain_characters() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    test.register(&worker, person_named(OLTEN, "Meier", "Hans")).await;

    assert!(test.search(&worker, "%").await.is_empty());
    assert!(test.search(&worker, "_").await.is_empty());
}

#[tokio::test]
async fn list_is_sorted_by_name_and_paginated_with_total_and_page_count() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    for nachname in ["Egli", "Bühler", "Ammann", "Dürr", "Catic"] {
        test.register(&worker, person_named(OLTEN, nachname, "Kim")).await;
    }

    let mut names = Vec::new();
    for page in 1..=3 {
        let query = PersonQuery { text: String::new(), page, per_page: 2 };
        let listed = test.list_persons(&worker, &query).await.unwrap();
        assert_eq!((listed.page, listed.per_page, listed.total, listed.pages()), (page, 2, 5, 3));
        names.extend(listed.items.iter().map(|p| p.data.nachname.as_str().to_owned()));
    }

    assert_eq!(names, ["Ammann", "Bühler", "Catic", "Dürr", "Egli"]);
}

#[tokio::test]
async fn a_page_beyond_the_last_is_empty_but_keeps_the_total() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    test.register(&worker, valid_person(OLTEN)).await;

    let query = PersonQuery { text: String::new(), page: 7, per_page: 10 };
    let listed = test.list_persons(&worker, &query).await.unwrap();

    assert!(listed.items.is_empty());
    assert_eq!((listed.total, listed.pages()), (1, 1));
}

#[tokio::test]
async fn a_case_worker_of_another_region_neither_gets_nor_updates_nor_lists_the_person() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let person = test.register(&olten, valid_person(OLTEN)).await;
    let own = test.register(&thal, valid_person(BALSTHAL)).await;

    let update = test.update_person(&thal, person.id, 1, person_named(OLTEN, "Anders", "Name")).await;
    let get = test.get_person(&thal, person.id).await;
    let listed = test.search(&thal, "").await;

    assert!(matches!(get, Err(StoreError::NotFound)), "{get:?}");
    assert!(matches!(update, Err(StoreError::NotFound)), "{update:?}");
    assert_eq!(ids(&listed, |p| p.id), [own.id]);
    assert_eq!(test.get_person(&olten, person.id).await.unwrap(), person, "the refused update changed the record");
}

#[tokio::test]
async fn a_case_worker_reaches_every_gemeinde_of_its_region() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let in_olten = test.register(&worker, valid_person(OLTEN)).await;
    let in_dulliken = test.register(&worker, valid_person(DULLIKEN)).await;

    assert_eq!(ids(&test.search(&worker, "").await, |p| p.id), [in_olten.id, in_dulliken.id]);
}

#[tokio::test]
async fn a_leitung_reaches_the_persons_of_its_region_only() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let in_dulliken = test.register(&olten, valid_person(DULLIKEN)).await;
    test.register(&thal, valid_person(BALSTHAL)).await;
    let leitung = test.leitung_of("sr-olten").await;

    assert_eq!(ids(&test.search(&leitung, "").await, |p| p.id), [in_dulliken.id]);
}

#[tokio::test]
async fn a_provider_is_denied_every_person_action() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let person = test.register(&olten, valid_person(OLTEN)).await;
    let provider = test.provider_user().await;
    assert_eq!(provider.roles, [Role::Anbieter]);

    let list = test.list_persons(&provider, &PersonQuery::default()).await;
    let get = test.get_person(&provider, person.id).await;
    let create = test.create_person(&provider, valid_person(OLTEN)).await;
    let update = test.update_person(&provider, person.id, 1, valid_person(DULLIKEN)).await;

    assert!(matches!(list, Err(StoreError::Denied(_))), "{list:?}");
    assert!(matches!(create, Err(StoreError::Denied(_))), "{create:?}");
    assert!(matches!(get, Err(StoreError::NotFound)), "a record the role cannot read is not found: {get:?}");
    assert!(matches!(update, Err(StoreError::NotFound)), "{update:?}");
    assert_eq!(test.operator().count_persons().await.unwrap(), 1);
}

#[tokio::test]
async fn kanton_migrationsamt_and_admin_are_denied_persons() {
    let test = TestStore::new().await;
    for (organisation, role) in [("aso", Role::Kanton), ("migrationsamt", Role::Migrationsamt), ("ags", Role::Admin)] {
        let actor = test.logged_in(organisation, &[role]).await;
        let result = test.list_persons(&actor, &PersonQuery::default()).await;
        assert!(matches!(result, Err(StoreError::Denied(_))), "{role:?}: {result:?}");
    }
}

#[tokio::test]
async fn creating_a_person_outside_the_actors_region_is_invalid_on_the_wohngemeinde() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;

    let errors = field_errors(test.create_person(&worker, valid_person(BALSTHAL)).await);

    let message = errors.get("wohngemeinde_bfs").expect("message on wohngemeinde_bfs");
    assert!(message.contains("Balsthal"), "{message}");
    assert_eq!(test.operator().count_persons().await.unwrap(), 0);
}

#[tokio::test]
async fn moving_a_person_out_of_the_actors_region_is_invalid_on_the_wohngemeinde() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;

    let errors = field_errors(test.update_person(&worker, person.id, 1, valid_person(BALSTHAL)).await);

    assert!(errors.get("wohngemeinde_bfs").is_some(), "{errors:?}");
    assert_eq!(test.get_person(&worker, person.id).await.unwrap(), person);
}

#[tokio::test]
async fn update_stores_the_new_data_and_increments_the_version() {
    let test = TestStore::new().await;
    let creator = test.case_worker_of("sr-olten").await;
    let editor = test.case_worker_of("sr-olten").await;
    let person = test.register(&creator, valid_person(OLTEN)).await;
    test.let_time_pass(chrono::Duration::minutes(5));
    let changed = person_named(DULLIKEN, "Tesfamariam", "Selam Hiwet");

    let updated = test.update_person(&editor, person.id, 1, changed.clone()).await.unwrap();

    assert_eq!(updated.version, 2);
    assert_eq!(updated.data, changed);
    assert_eq!(updated.created_at, person.created_at);
    assert_eq!(updated.created_by, creator.display_name);
    assert_eq!(updated.updated_at, person.created_at + chrono::Duration::minutes(5));
    assert_eq!(updated.updated_by, editor.display_name);
    assert_eq!(test.get_person(&creator, person.id).await.unwrap(), updated);
}

#[tokio::test]
async fn saving_unchanged_data_keeps_the_version() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, valid_person(OLTEN)).await;

    let saved = test.update_person(&worker, person.id, 1, person.data.clone()).await.unwrap();

    assert_eq!(saved, person);
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_the_current_state_and_stores_nothing() {
    let test = TestStore::new().await;
    let first = test.case_worker_of("sr-olten").await;
    let second = test.case_worker_of("sr-olten").await;
    let person = test.register(&first, valid_person(OLTEN)).await;
    let first_edit = person_named(OLTEN, "Tesfamariam", "Selam Hiwet");
    let saved = test.update_person(&first, person.id, 1, first_edit.clone()).await.unwrap();

    let stale = test.update_person(&second, person.id, 1, person_named(DULLIKEN, "Gebremedhin", "Selam")).await;

    let Err(StoreError::Stale(current)) = stale else { panic!("expected StoreError::Stale, got {stale:?}") };
    assert_eq!(*current, saved);
    let reread = test.get_person(&first, person.id).await.unwrap();
    assert_eq!(reread.data, first_edit);
    assert_eq!(reread.version, 2);
}

#[tokio::test]
async fn a_duplicate_ahv_number_is_invalid_on_create_and_on_update() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    test.register(&olten, person_with_ahv(OLTEN, 42)).await;
    let other = test.register(&thal, valid_person(BALSTHAL)).await;

    let on_create = field_errors(test.create_person(&thal, person_with_ahv(BALSTHAL, 42)).await);
    let on_update = field_errors(test.update_person(&thal, other.id, 1, person_with_ahv(BALSTHAL, 42)).await);

    assert!(on_create.get("ahv_nummer").is_some(), "{on_create:?}");
    assert!(on_update.get("ahv_nummer").is_some(), "{on_update:?}");
    assert_eq!(test.operator().count_persons().await.unwrap(), 2);
    assert_eq!(test.get_person(&thal, other.id).await.unwrap(), other);
}

#[tokio::test]
async fn a_person_may_keep_its_own_ahv_number_when_edited() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    let person = test.register(&worker, person_with_ahv(OLTEN, 42)).await;
    let renamed = PersonData { vornamen: PersonName::parse("Selam Hiwet").unwrap(), ..person.data.clone() };

    let updated = test.update_person(&worker, person.id, 1, renamed.clone()).await.unwrap();

    assert_eq!(updated.data, renamed);
}

#[tokio::test]
async fn many_persons_without_ahv_number_may_coexist() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;

    for _ in 0..3 {
        test.register(&worker, valid_person(OLTEN)).await;
    }

    assert_eq!(test.operator().count_persons().await.unwrap(), 3);
}

#[tokio::test]
async fn an_integration_officer_of_a_leitgemeinde_reaches_its_member_gemeinden_but_not_the_rest_of_the_region() {
    let test = TestStore::new().await;
    let thal = test.case_worker_of("sr-thal").await;
    let in_leitgemeinde = test.register(&thal, valid_person(WELSCHENROHR)).await;
    let in_member = test.register(&thal, valid_person(HERBETSWIL)).await;
    let elsewhere = test.register(&thal, valid_person(BALSTHAL)).await;
    let officer = test.integration_officer_of(WELSCHENROHR).await;

    let listed = test.search(&officer, "").await;

    assert_eq!(ids(&listed, |p| p.id), [in_leitgemeinde.id, in_member.id]);
    assert_eq!(test.get_person(&officer, in_member.id).await.unwrap(), in_member);
    let get = test.get_person(&officer, elsewhere.id).await;
    assert!(matches!(get, Err(StoreError::NotFound)), "{get:?}");
}

#[tokio::test]
async fn an_integration_officer_of_a_leitgemeinde_registers_persons_of_its_members_only() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(WELSCHENROHR).await;

    let in_member = test.create_person(&officer, valid_person(HERBETSWIL)).await;
    let elsewhere = test.create_person(&officer, valid_person(BALSTHAL)).await;

    assert!(in_member.is_ok(), "{in_member:?}");
    let errors = field_errors(elsewhere);
    assert!(errors.get("wohngemeinde_bfs").is_some(), "{errors:?}");
}

#[tokio::test]
async fn an_integration_officer_of_a_member_gemeinde_reaches_only_its_own_residents() {
    let test = TestStore::new().await;
    let thal = test.case_worker_of("sr-thal").await;
    test.register(&thal, valid_person(WELSCHENROHR)).await;
    let own = test.register(&thal, valid_person(HERBETSWIL)).await;
    let officer = test.integration_officer_of(HERBETSWIL).await;

    assert_eq!(ids(&test.search(&officer, "").await, |p| p.id), [own.id]);
}

#[tokio::test]
async fn the_actor_carries_the_gemeinden_of_its_organisation() {
    let test = TestStore::new().await;
    let officer = test.integration_officer_of(WELSCHENROHR).await;
    let bfs = |n: u16| BfsNr::known(n).unwrap();

    assert_eq!(officer.jurisdiction.organisation, [bfs(HERBETSWIL), bfs(WELSCHENROHR)].into_iter().collect());
    assert!(officer.jurisdiction.region.contains(&bfs(BALSTHAL)));
    assert_eq!(officer.organisation_name, "Welschenrohr-Gänsbrunnen");
}

#[tokio::test]
async fn an_export_holds_the_matching_persons_of_the_actors_scope_sorted_by_name() {
    let test = TestStore::new().await;
    let olten = test.case_worker_of("sr-olten").await;
    let thal = test.case_worker_of("sr-thal").await;
    let meier = test.register(&olten, person_named(OLTEN, "Meier", "Hans")).await;
    let mueller = test.register(&olten, person_named(DULLIKEN, "Müller", "Anna")).await;
    test.register(&olten, person_named(OLTEN, "Ammann", "Eva")).await;
    test.register(&thal, person_named(BALSTHAL, "Müller", "Beat")).await;

    let exported = test.export_persons(&olten, "m").await.unwrap();

    let names: Vec<&str> = exported.iter().map(|p| p.data.nachname.as_str()).collect();
    assert_eq!(names, ["Ammann", "Meier", "Müller"]);
    assert_eq!(exported[1].id, meier.id);
    assert_eq!(exported[2], iim_store::PersonSummary { id: mueller.id, data: mueller.data });
    let provider = test.provider_user().await;
    assert!(matches!(test.export_persons(&provider, "").await, Err(StoreError::Denied(_))));
}

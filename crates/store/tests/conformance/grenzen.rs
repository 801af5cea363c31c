//! Bounded input at the store: any page number and page size a caller passes reads a bounded page without
//! overflow, on both backends.

use crate::support::{TestStore, valid_person};
use iim_store::{MAX_PAGE, PersonQuery};

const OLTEN: u16 = 2581;

#[tokio::test]
async fn the_largest_page_numbers_read_an_empty_page_instead_of_overflowing() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    test.register(&worker, valid_person(OLTEN)).await;
    let auditor = test.kanton_auditor().await;

    for page in [i64::MAX as u64, u64::MAX, MAX_PAGE + 1] {
        let query = PersonQuery { text: String::new(), page, per_page: u64::MAX };
        let persons = test.list_persons(&worker, &query).await.unwrap();
        assert!(persons.items.is_empty(), "page {page}");
        assert_eq!((persons.page, persons.total, persons.pages()), (MAX_PAGE, 1, 1), "page {page}");

        let caseload = test.caseload(&worker, page, u64::MAX).await.unwrap();
        assert!(caseload.items.is_empty(), "page {page}");
        let orders = test.provider_orders(&test.provider_user().await, page, u64::MAX).await.unwrap();
        assert!(orders.items.is_empty(), "page {page}");
        let log = iim_store::AuditQuery { page, per_page: u64::MAX, ..Default::default() };
        assert!(test.list_audit(&auditor, &log).await.unwrap().items.is_empty(), "page {page}");
    }
}

#[tokio::test]
async fn a_list_counts_at_most_the_deepest_page() {
    let test = TestStore::new().await;
    let worker = test.case_worker_of("sr-olten").await;
    test.register(&worker, valid_person(OLTEN)).await;
    test.register(&worker, valid_person(OLTEN)).await;

    let query = PersonQuery { text: String::new(), page: 2, per_page: 1 };
    let second = test.list_persons(&worker, &query).await.unwrap();
    assert_eq!((second.page, second.per_page, second.items.len(), second.pages()), (2, 1, 1, 2));
    let page = iim_store::Page::<()> { items: Vec::new(), page: 1, per_page: 1, total: u64::MAX };
    assert_eq!(page.pages(), MAX_PAGE);
}

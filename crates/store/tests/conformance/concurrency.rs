//! Several users at once: saves and reads running side by side must all succeed (or be refused for a
//! reason the user can act on), never fail because the database was busy.

use crate::support::{TestStore, person_named, valid_person};
use iim_store::StoreError;
use std::sync::Arc;

const OLTEN: u16 = 2581;
const WORKERS: usize = 4;
const ROUNDS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_and_reads_all_succeed() {
    let test = Arc::new(TestStore::new().await);
    let mut actors = Vec::new();
    for _ in 0..WORKERS {
        actors.push(test.case_worker_of("sr-olten").await);
    }

    let mut tasks = Vec::new();
    for (worker, actor) in actors.into_iter().enumerate() {
        let test = Arc::clone(&test);
        tasks.push(tokio::spawn(async move {
            let mut failures: Vec<String> = Vec::new();
            for round in 0..ROUNDS {
                let step = async {
                    let person = test.create_person(&actor, valid_person(OLTEN)).await?;
                    test.get_person(&actor, person.id).await?;
                    let renamed = person_named(OLTEN, "Tesfamariam", &format!("Selam {worker} {round}"));
                    test.update_person(&actor, person.id, person.version, renamed).await?;
                    Ok::<(), StoreError>(())
                };
                if let Err(error) = step.await {
                    failures.push(format!("worker {worker}, round {round}: {error:?}"));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }

    assert!(
        failures.is_empty(),
        "{} of {} save rounds failed on {:?}; a write transaction must wait for the write lock, not fail:\n{}",
        failures.len(),
        WORKERS * ROUNDS,
        test.backend(),
        failures.join("\n")
    );
    assert_eq!(test.count_persons().await.unwrap(), (WORKERS * ROUNDS) as u64);
}

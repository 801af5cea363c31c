//! A million mutated deliveries through the reader (`cargo bench -p iim-ech --bench mutations [CASES]`): the
//! property test of `tests/reader.rs` runs 256 cases at every `cargo test`; this loop runs the same mutations
//! (`tests/support/mutate.rs`) often enough to find the rare ones, with a fixed seed so that a run can be
//! repeated, and prints cases, seconds, peak memory and panics for docs/performance.md. It exits non-zero if
//! any case panicked or broke a property.

#![allow(clippy::print_stdout)]

#[path = "../tests/support/check.rs"]
mod check;
#[path = "../tests/support/mutate.rs"]
mod mutate;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Default)]
struct Counts {
    refused: u64,
    events: u64,
    faulty: u64,
    broken: u64,
    panics: u64,
    bytes: u64,
}

/// Keeps a delivery that made the reader panic, for the test that will show the fix.
fn keep(delivery: &[u8], number: u64) {
    let path = format!("{}/mutation-panic-{number}.xml", env!("CARGO_TARGET_TMPDIR"));
    match std::fs::write(&path, delivery) {
        Ok(()) => eprintln!("Die Lieferung steht in {path}"),
        Err(error) => eprintln!("{path}: {error}"),
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; the first number is the count of cases.
    let cases: u64 = std::env::args().skip(1).find_map(|arg| arg.parse().ok()).unwrap_or(1_000_000);
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = mutate::mutated_delivery();
    let mut counts = Counts::default();
    let started = Instant::now();
    for _ in 0..cases {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            counts.broken += 1;
            continue;
        };
        let delivery = tree.current();
        counts.bytes += delivery.len() as u64;
        match catch_unwind(AssertUnwindSafe(|| check::read(&delivery))) {
            Ok(Ok(read)) => {
                counts.refused += u64::from(read.refused);
                counts.events += read.events as u64;
                counts.faulty += read.faulty as u64;
            }
            Ok(Err(problem)) => {
                counts.broken += 1;
                eprintln!("{problem}");
            }
            Err(_) => {
                counts.panics += 1;
                keep(&delivery, counts.panics);
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = check::peak_memory_mb().map_or_else(|| "?".to_owned(), |mb| mb.to_string());
    println!(
        "{cases} Fälle in {seconds:.1} s ({:.0} MB gelesen), Spitze {peak} MB RSS, Panics: {}, verletzte Eigenschaften: {}",
        counts.bytes as f64 / 1e6,
        counts.panics,
        counts.broken
    );
    println!(
        "Lieferungen abgelehnt: {}, Ereignisse gelesen: {}, fehlerhafte Ereignisse: {}",
        counts.refused, counts.events, counts.faulty
    );
    if counts.panics + counts.broken == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

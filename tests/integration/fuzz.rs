//! Fuzz smoke run: every fuzz target on its seed corpus plus a fixed number of mutants, so
//! `cargo test` catches a panic the long runs by hand (`examples/fuzz.rs`) would find at once.
//! Deterministic: the same inputs every run.

#[path = "../../fuzz/engine.rs"]
mod engine;
// `target` (lookup by name) serves the command-line driver only.
#[allow(dead_code)]
#[path = "../../fuzz/targets.rs"]
mod targets;

use std::path::Path;

/// Mutants per target: enough to exercise every mutation operator, few enough for a debug
/// build (the pipeline target reads and renders a whole site per input).
fn budget(name: &str) -> u64 {
    if name == "pipeline" { 60 } else { 600 }
}

#[test]
fn fuzz_targets_do_not_panic_on_seeds_and_mutants() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut failures = Vec::new();
    for (name, target) in targets::TARGETS {
        let seeds = engine::load_corpus(&corpus.join(name));
        assert!(!seeds.is_empty(), "fuzz/corpus/{name}/ has no seeds");
        let limits = engine::Limits {
            executions: Some(seeds.len() as u64 + budget(name)),
            time: None,
            max_len: 16384,
            seed: 9,
            last_input: None,
            progress: None,
        };
        let report = engine::run(*target, seeds, &limits);
        for finding in report.findings.values() {
            failures.push(format!(
                "{name}: panic at {}: {}\n  input: {:?}",
                finding.location,
                finding.message,
                String::from_utf8_lossy(&finding.input)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

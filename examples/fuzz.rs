//! Long fuzzing runs by hand, on stable Rust (see `fuzz/engine.rs` for why not cargo-fuzz):
//!
//! ```sh
//! cargo run --release --example fuzz -- TARGET [--minutes N] [--seed S] [--max-len BYTES] [--trace]
//! cargo run --release --example fuzz -- list
//! ```
//!
//! TARGET is one of `front_matter`, `knowledge`, `annotate`, `pipeline`. Seeds come from
//! `fuzz/corpus/TARGET/`; each panic's smallest input is written to `fuzz/artifacts/TARGET/`.
//! A crash the engine cannot catch (an abort, such as a stack overflow) ends the run: run again
//! with the same seed and `--trace`, which writes every input to
//! `fuzz/artifacts/TARGET/last-input` before running it (slow: a file write per execution), and
//! the run stops at the same input, since runs are deterministic. Prints executions, speed and
//! findings, and exits 1 when there are any.

#[path = "../fuzz/engine.rs"]
mod engine;
#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!("usage: fuzz TARGET [--minutes N] [--seed S] [--max-len BYTES] | list");
        return ExitCode::from(2);
    };
    if name == "list" {
        for (name, _) in targets::TARGETS {
            println!("{name}");
        }
        return ExitCode::SUCCESS;
    }
    let Some(target) = targets::target(name) else {
        eprintln!("unknown target `{name}`; `fuzz list` names them");
        return ExitCode::from(2);
    };
    let option = |flag: &str, default: f64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(default)
    };
    let minutes = option("--minutes", 1.0);
    let seed = option("--seed", 1.0) as u64;
    let max_len = option("--max-len", 16384.0) as usize;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let artifacts = root.join("artifacts").join(name);
    std::fs::create_dir_all(&artifacts).expect("fuzz/artifacts is writable");
    let seeds = engine::load_corpus(&root.join("corpus").join(name));
    eprintln!(
        "fuzzing {name} for {minutes} min from {} seeds (seed {seed})",
        seeds.len()
    );
    let limits = engine::Limits {
        executions: None,
        time: Some(Duration::from_secs_f64(minutes * 60.0)),
        max_len,
        seed,
        last_input: args
            .iter()
            .any(|a| a == "--trace")
            .then(|| artifacts.join("last-input")),
        progress: Some(Duration::from_secs(60)),
    };
    let report = engine::run(target, seeds, &limits);
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{name}: {} executions in {:.0} s ({:.0}/s), {} signatures, pool {}, slowest {:.1?} on {} bytes, {} unique panic(s)",
        report.executions,
        secs,
        report.executions as f64 / secs.max(1e-9),
        report.signatures,
        report.pool,
        report.slowest.0,
        report.slowest.1,
        report.findings.len()
    );
    for (index, finding) in report.findings.values().enumerate() {
        let path = artifacts.join(format!("panic-{index}"));
        let _ = std::fs::write(&path, &finding.input);
        println!(
            "  panic x{} at {}: {} (input {} bytes: {})",
            finding.count,
            finding.location,
            finding.message,
            finding.input.len(),
            path.display()
        );
    }
    if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

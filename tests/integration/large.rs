//! Issue 9, large inputs: a huge brief, a huge knowledge file and 1,000-deep nested Markdown
//! build with memory that grows with the input, not faster, and without overflowing a stack.
//! `cargo test` runs them at a tenth of the issue's sizes (the nesting at full depth);
//! `BRIEFING_LARGE=1` (set by .ci/run) runs the full 50 MB brief and 100,000 facts.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::{site_with, wait_for_exit};

const FRONT: &str = "---\ntitle: Big\ndate: 2022-08-04\n---\n";
const KNOWLEDGE: &str =
    "entries:\n  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: N\n";

fn full_size() -> bool {
    std::env::var_os("BRIEFING_LARGE").is_some()
}

/// Builds the site at `root`, polling the child's peak resident memory (VmHWM, Linux), and
/// returns it in MB; asserts success within `limit`.
fn build_peak_mb(root: &Path, limit: Duration) -> u64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("build")
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < limit {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            for line in status.lines().filter(|l| l.starts_with("VmHWM:")) {
                let kb: u64 = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = wait_for_exit(&mut child, Duration::ZERO);
    if status.is_none() {
        let _ = child.kill();
    }
    assert!(
        status.is_some_and(|s| s.success()),
        "build failed or took over {limit:?}"
    );
    peak_kb / 1024
}

#[test]
fn issue_9_thousand_deep_nesting_builds() {
    let quotes = format!("{FRONT}{}the 2020 war\n", "> ".repeat(1000));
    let lists: String = (0..1000)
        .map(|i| format!("{}- the 2020 war\n", "  ".repeat(i)))
        .collect();
    let mixed = format!("{FRONT}{}x\n", "> - ".repeat(1000));
    let emphasis = format!(
        "{FRONT}{}x{}\n{}x{}\n",
        "*".repeat(5000),
        "*".repeat(5000),
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (_temp, root) = site_with(&[
        ("content/knowledge.yaml", KNOWLEDGE),
        ("content/briefs/quotes.md", &quotes),
        ("content/briefs/lists.md", &format!("{FRONT}{lists}")),
        ("content/briefs/mixed.md", &mixed),
        ("content/briefs/emphasis.md", &emphasis),
    ]);
    let peak = build_peak_mb(&root, Duration::from_secs(60));
    eprintln!("1,000-deep nesting: peak RSS {peak} MB");
}

#[test]
fn issue_9_huge_brief_builds_in_linear_memory() {
    let mb = if full_size() { 50 } else { 5 };
    let para = "The 2020 war ended with a ceasefire and talks. ".repeat(8) + "\n\n";
    let body = para.repeat(mb * 1024 * 1024 / para.len() + 1);
    let (_temp, root) = site_with(&[
        ("content/knowledge.yaml", KNOWLEDGE),
        ("content/briefs/big.md", &format!("{FRONT}{body}")),
    ]);
    let peak = build_peak_mb(&root, Duration::from_secs(300));
    eprintln!("{mb} MB brief: peak RSS {peak} MB");
    // The brief's page, its feed entries and the Markdown stage's events each hold a copy.
    assert!(
        peak < 30 * mb as u64 + 150,
        "peak RSS {peak} MB for a {mb} MB brief"
    );
}

#[test]
fn issue_9_huge_knowledge_file_builds_in_linear_memory() {
    let facts = if full_size() { 100_000 } else { 10_000 };
    let mut yaml = String::from("entries:\n");
    for i in 0..facts {
        yaml.push_str(&format!(
            "  - id: fact-{i}\n    title: \"Fact {i}\"\n    terms: [\"term {i}\", \"phrase number {i}\"]\n    note: \"Note *{i}*.\"\n    sources:\n      - {{ title: S, url: \"https://e.org/{i}\" }}\n"
        ));
    }
    let brief = format!("{FRONT}Mentions term 5 and phrase number {}.\n", facts - 1);
    let (_temp, root) = site_with(&[
        ("content/knowledge.yaml", &yaml),
        ("content/briefs/a.md", &brief),
    ]);
    let peak = build_peak_mb(&root, Duration::from_secs(600));
    eprintln!(
        "{facts} facts ({} MB): peak RSS {peak} MB",
        yaml.len() / 1_000_000
    );
    assert!(
        peak < facts as u64 / 100 * 2 + 150,
        "peak RSS {peak} MB for {facts} facts"
    );
}

//! A small mutation fuzzer that runs on stable Rust with no extra crates.
//!
//! Why not cargo-fuzz: libFuzzer's coverage needs `-Zsanitizer` and other nightly-only flags,
//! and the machines this project builds on carry one stable toolchain. So the engine here trades
//! coverage guidance for something every machine can run: it starts from the seed corpus in
//! `fuzz/corpus/<target>/`, mutates with operators that know the input languages (a dictionary
//! of YAML and Markdown tokens, splices between inputs, runs of nesting characters), and keeps
//! an input for further mutation when the target reports a signature it has not seen before
//! (a new error message, a new shape of result). Any panic is a finding: its message and
//! location are recorded with the input that caused it under `fuzz/artifacts/<target>/`.
//!
//! Deterministic for a given seed, corpus and number of executions, so a smoke run in CI checks
//! the same inputs every time.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tokens worth inserting: the syntax of front matter, knowledge files, Markdown and templates,
/// plus characters that tend to break offset arithmetic (multi-byte, case-changing, BOM, CR).
pub const DICTIONARY: &[&str] = &[
    "---\n",
    "\n---\n",
    "---",
    "\r\n",
    "\n",
    "\n\n",
    ": ",
    "- ",
    "  - ",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "title: ",
    "date: ",
    "2022-08-04",
    "2020-02-29",
    "2022-13-40",
    "tags: ",
    "slug: ",
    "summary: ",
    "author: ",
    "source_url: ",
    "image: ",
    "src: ",
    "alt: ",
    "caption: ",
    "draft: ",
    "context: ",
    "updated: ",
    "true",
    "false",
    "null",
    "~",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">\n",
    "entries:\n",
    "  - id: ",
    "    title: ",
    "    terms: ",
    "    note: ",
    "    sources:\n",
    "      - { title: S, url: \"https://e.org\" }",
    "    since: ",
    "    until: ",
    "[^",
    "[^1]",
    "[^1]: ",
    "[^a]: note\n",
    "]",
    "(",
    ")",
    "](",
    "![",
    "<",
    ">",
    "> ",
    "* ",
    "1. ",
    "```",
    "```rust\n",
    "~~~",
    "    ",
    "\t",
    "`",
    "**",
    "_",
    "~~",
    "|",
    "| --- |",
    "- [ ] ",
    "#",
    "# ",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "\\",
    "<script>",
    "</script>",
    "<img src=x onerror=1>",
    "javascript:",
    "@/briefs/",
    "@/briefs/fuzz.md",
    "/static/",
    "http://",
    "https://",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{ brief.title }}",
    "{% for x in y %}",
    "{% endfor %}",
    "{% if %}",
    "| safe",
    "\u{feff}",
    "é",
    "ß",
    "İ",
    "ς",
    "Σ",
    "ﬃ",
    "\u{2019}",
    "\u{201C}",
    "\u{0301}",
    "\u{200d}",
    "日本",
    "🇦🇲",
    "\u{0}",
    "\u{7f}",
    "\u{fffd}",
    "..",
    "../",
    "/",
    "con",
    "nul",
    "2020 war",
    "war",
];

/// A deterministic pseudo-random generator (xorshift64*): no crate, same stream everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `input`, using `pool` for splices. Inputs are capped at `max_len` bytes.
pub fn mutate(rng: &mut Rng, input: &[u8], pool: &[Vec<u8>], max_len: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(6);
    for _ in 0..rounds {
        let at = rng.below(out.len() + 1);
        match rng.below(11) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.next() as u8),
            2 if !out.is_empty() => {
                let start = at.min(out.len() - 1);
                let end = (start + 1 + rng.below(16)).min(out.len());
                out.drain(start..end);
            }
            3..=5 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            6 if !out.is_empty() => {
                // Duplicate a slice somewhere else: repeats structure (list items, entries).
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(64)).min(out.len());
                let slice = out[start..end].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, slice);
            }
            7 => {
                // A run of one nesting token: deep block quotes, lists, brackets, emphasis.
                let tokens = [
                    "> ", "- ", "  ", "[", "*", "_", "`", "(", "![", "1. ", "{", "\n",
                ];
                let token = tokens[rng.below(tokens.len())];
                let most = if rng.below(8) == 0 { 2000 } else { 40 };
                let times = 1 + rng.below(most);
                out.splice(at..at, token.repeat(times).bytes());
            }
            8 if !pool.is_empty() => {
                // Splice: the head of this input with the tail of another.
                let other = &pool[rng.below(pool.len())];
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            9 if !out.is_empty() => {
                // Overwrite one byte with an interesting one.
                let interesting = [0u8, b'\n', b'\r', b'-', b':', b'"', b'#', 0x7f, 0xc3, 0xff];
                let i = rng.below(out.len());
                out[i] = interesting[rng.below(interesting.len())];
            }
            _ => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                let end = (at + rng.below(8)).min(out.len());
                out.splice(at..end, token.iter().copied());
            }
        }
    }
    out.truncate(max_len);
    out
}

/// The seed inputs of a target: every file of `dir`, in name order.
pub fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// A panic seen while fuzzing: where, what, and the smallest input found for it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub location: String,
    pub message: String,
    pub input: Vec<u8>,
    pub count: usize,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub executions: u64,
    pub elapsed: Duration,
    pub pool: usize,
    pub signatures: usize,
    /// Unique panics, by location.
    pub findings: BTreeMap<String, Finding>,
    /// The slowest single execution and its input size.
    pub slowest: (Duration, usize),
}

/// How long and how hard to fuzz.
pub struct Limits {
    pub executions: Option<u64>,
    pub time: Option<Duration>,
    pub max_len: usize,
    pub seed: u64,
    /// Where the input about to run is written first, so an abort (stack overflow) can be
    /// traced to it. `None` in the smoke test.
    pub last_input: Option<PathBuf>,
    /// Print executions so far to standard error this often (long runs by hand).
    pub progress: Option<Duration>,
}

static PANIC: Mutex<Option<(String, String)>> = Mutex::new(None);

/// Runs `target` on the seeds, then on mutants, until a limit is reached.
pub fn run(target: fn(&[u8]) -> u64, seeds: Vec<Vec<u8>>, limits: &Limits) -> Report {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut slot = PANIC.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert((location, message));
    }));
    let mut rng = Rng::new(limits.seed);
    let mut pool: Vec<Vec<u8>> = seeds.clone();
    if pool.is_empty() {
        pool.push(Vec::new());
    }
    let mut signatures = BTreeSet::new();
    let mut report = Report::default();
    let started = Instant::now();
    let mut queue = seeds.into_iter();
    let mut last_progress = Instant::now();
    loop {
        if limits
            .progress
            .is_some_and(|every| last_progress.elapsed() >= every)
        {
            last_progress = Instant::now();
            eprintln!(
                "  {:.0} s: {} executions, {} signatures, {} unique panic(s)",
                started.elapsed().as_secs_f64(),
                report.executions,
                signatures.len(),
                report.findings.len()
            );
        }
        let done_count = limits.executions.is_some_and(|n| report.executions >= n);
        let done_time = limits.time.is_some_and(|t| started.elapsed() >= t);
        if done_count || done_time {
            break;
        }
        let input = match queue.next() {
            Some(seed) => seed,
            None => {
                let parent = &pool[rng.below(pool.len())];
                mutate(&mut rng, parent, &pool, limits.max_len)
            }
        };
        if let Some(path) = &limits.last_input {
            let _ = std::fs::write(path, &input);
        }
        PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
        let one = Instant::now();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| target(&input)));
        let took = one.elapsed();
        report.executions += 1;
        if took > report.slowest.0 {
            report.slowest = (took, input.len());
        }
        match outcome {
            Ok(signature) => {
                if signatures.insert(signature) && pool.len() < 4096 {
                    pool.push(input);
                }
            }
            Err(_) => {
                let (location, message) = PANIC
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .unwrap_or_default();
                let entry = report
                    .findings
                    .entry(location.clone())
                    .or_insert_with(|| Finding {
                        location,
                        message,
                        input: input.clone(),
                        count: 0,
                    });
                entry.count += 1;
                if input.len() < entry.input.len() {
                    entry.input = input;
                }
            }
        }
    }
    panic::set_hook(previous_hook);
    report.elapsed = started.elapsed();
    report.pool = pool.len();
    report.signatures = signatures.len();
    report
}

#[cfg(test)]
mod tests {
    use super::{Rng, mutate};

    #[test]
    fn mutation_is_deterministic_and_bounded() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..200 {
            let x = mutate(&mut a, b"---\ntitle: T\n---\n", &[], 64);
            let y = mutate(&mut b, b"---\ntitle: T\n---\n", &[], 64);
            assert_eq!(x, y);
            assert!(x.len() <= 64);
        }
    }
}

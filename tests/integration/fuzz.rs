//! Fuzz smoke run: every fuzz target on every file of its corpus, then on a fixed number of
//! mutants of them, so `cargo test` catches at once a panic the AFL++ runs by hand (`fuzz/afl/`,
//! see the README) found or would find. The corpus is the hand-written seeds plus AFL's queue
//! after afl-cmin, so replaying it covers what the long runs reached; a crash AFL finds goes in
//! as a corpus file too and so stays a regression test.
//!
//! The mutants are a cheap, deterministic extra (same inputs every run): byte flips, cuts,
//! copies, splices and tokens from `fuzz/briefing.dict`, the dictionary AFL runs with. They are
//! no substitute for coverage guidance, only a net for a change that breaks on inputs near the
//! corpus.

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Mutants per target: enough for every operator to hit every corpus file a few times, few
/// enough for a debug build (the pipeline target writes, reads and renders a site per input).
fn mutants(name: &str) -> usize {
    match name {
        "pipeline" => 30,
        "front_matter" => 1500,
        _ => 600,
    }
}

// One test per target, so that they run in parallel and a failure names its target.
#[test]
fn front_matter_survives_corpus_and_mutants() {
    replay("front_matter", targets::front_matter);
}

#[test]
fn knowledge_survives_corpus_and_mutants() {
    replay("knowledge", targets::knowledge_file);
}

#[test]
fn annotate_survives_corpus_and_mutants() {
    replay("annotate", targets::annotate_text);
}

#[test]
fn pipeline_survives_corpus_and_mutants() {
    replay("pipeline", targets::one_brief_site);
}

/// Runs `target` on every file of `fuzz/corpus/<name>/`, then on [`mutants`] of them.
fn replay(name: &str, target: targets::Target) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let dictionary = load_dictionary(&fuzz.join("briefing.dict"));
    assert!(dictionary.len() > 50, "fuzz/briefing.dict lost its tokens");
    let corpus = load_corpus(&fuzz.join("corpus").join(name));
    assert!(!corpus.is_empty(), "fuzz/corpus/{name}/ is empty");
    let mut failures = Vec::new();
    for (path, input) in &corpus {
        if let Some(message) = panics(target, input) {
            failures.push(format!("{message} on {}", path.display()));
        }
    }
    let inputs: Vec<&[u8]> = corpus.iter().map(|(_, input)| input.as_slice()).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..mutants(name) {
        let mutant = mutate(&mut rng, &inputs, &dictionary);
        if let Some(message) = panics(target, &mutant) {
            failures.push(format!(
                "{message} on mutant {:?}",
                String::from_utf8_lossy(&mutant)
            ));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

/// The panic message, if `target` panics on `input`.
fn panics(target: targets::Target, input: &[u8]) -> Option<String> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| target(input)));
    let payload = outcome.err()?;
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    Some(format!("panic `{message}`"))
}

/// Every file of a corpus folder, sorted by name.
fn load_corpus(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a readable corpus file");
            (path, bytes)
        })
        .collect()
}

/// The tokens of an AFL dictionary: one `"..."` per line (optionally `name=` before it), with
/// `\\`, `\"` and `\xNN` escapes; `#` starts a comment line.
fn load_dictionary(path: &Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path).expect("fuzz/briefing.dict");
    let mut tokens = Vec::new();
    for line in text.lines().map(str::trim) {
        let (Some(open), Some(close)) = (line.find('"'), line.rfind('"')) else {
            continue;
        };
        if line.starts_with('#') || close <= open {
            continue;
        }
        let quoted = &line.as_bytes()[open + 1..close];
        let mut token = Vec::new();
        let mut i = 0;
        while i < quoted.len() {
            match (quoted[i], quoted.get(i + 1)) {
                (b'\\', Some(b'x')) => {
                    let hex = std::str::from_utf8(&quoted[i + 2..i + 4]).expect("\\xNN");
                    token.push(u8::from_str_radix(hex, 16).expect("\\xNN"));
                    i += 4;
                }
                (b'\\', Some(&escaped)) => {
                    token.push(escaped);
                    i += 2;
                }
                (byte, _) => {
                    token.push(byte);
                    i += 1;
                }
            }
        }
        tokens.push(token);
    }
    tokens
}

/// xorshift64*: no crate, the same stream on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

/// One to four mutations of a corpus input picked at random.
fn mutate(rng: &mut Rng, inputs: &[&[u8]], dictionary: &[Vec<u8>]) -> Vec<u8> {
    let mut out = inputs[rng.below(inputs.len())].to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + 1 + rng.below(32)).min(out.len());
                out.drain(at..end);
            }
            2 => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                let copy = out[at..end].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, copy);
            }
            3 => {
                let other = inputs[rng.below(inputs.len())];
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            _ => {
                let token = &dictionary[rng.below(dictionary.len())];
                out.splice(at..at, token.iter().copied());
            }
        }
    }
    out
}

//! End-to-end tests: the real binary on small sites, as a user runs it.
//!
//! `fixtures` builds each site under `tests/fixtures/<case>/site` and compares the whole output
//! tree with `tests/fixtures/<case>/expected` byte for byte (set `BRIEFING_BLESS=1` to rewrite
//! the expected trees after an intended change, then read the diff). `errors` pins the exact text
//! of every error a user can hit; `atomic` checks a failed build keeps the previous site.
//! `lint`, `explain` and `authoring` pin the text of `check`'s warnings, of `explain`'s reasons,
//! and of `init` and `new`, and run init → new → build → check from an empty folder.

mod atomic;
mod authoring;
mod cli;
mod crash;
mod errors;
mod explain;
mod fixtures;
mod fuzz;
mod hardening;
mod large;
mod lint;
mod publish;
mod serve;
mod session;
mod support;
mod workflow;

//! The fuzz targets, compiled once for the four harness binaries in `src/bin/`. The same file is
//! included by the smoke test in `cargo test` (`tests/integration/fuzz.rs`), so AFL and the tests
//! run exactly the same code.

#[path = "../../targets.rs"]
pub mod targets;

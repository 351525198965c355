//! Whole-site fixtures: each `tests/fixtures/<case>/site` is built and its output compared,
//! file by file and byte by byte, with `tests/fixtures/<case>/expected`.

use std::path::Path;

use crate::support::{briefing, read_tree, stderr};

fn check_fixture(case: &str) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let temp = tempfile::tempdir().unwrap();
    let output_dir = temp.path().join("public");
    let output = briefing(
        &fixture.join("site"),
        &["build", "--output", output_dir.to_str().unwrap()],
    );
    assert!(output.status.success(), "{case}: {}", stderr(&output));
    let actual = read_tree(&output_dir);
    let expected_dir = fixture.join("expected");
    if std::env::var_os("BRIEFING_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &actual {
            let target = expected_dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
        return;
    }
    let expected = read_tree(&expected_dir);
    let actual_paths: Vec<_> = actual.keys().collect();
    let expected_paths: Vec<_> = expected.keys().collect();
    assert_eq!(
        actual_paths, expected_paths,
        "{case}: the set of files differs"
    );
    for (path, bytes) in &expected {
        if actual[path] != *bytes {
            panic!(
                "{case}: {path} differs from the expected file\n--- expected\n{}\n--- actual\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&actual[path])
            );
        }
    }
}

#[test]
fn basic_site() {
    check_fixture("basic");
}

#[test]
fn theme_override_replaces_one_template() {
    check_fixture("theme-override");
}

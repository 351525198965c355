//! A failed build leaves the previous output byte-identical; a good build is deterministic.

use crate::support::{briefing, minimal_site, read_tree, site_with, stderr, write_files};

#[test]
fn failed_build_leaves_previous_public_untouched() {
    let (_temp, root) = site_with(&minimal_site());
    let first = briefing(&root, &["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = read_tree(&root.join("public"));
    assert!(before.contains_key("briefs/one/index.html"));

    write_files(
        &root,
        &[(
            "content/briefs/two.md",
            "---\ntitle: Two\ndate: 2022-02-30\n---\nBody\n",
        )],
    );
    let failed = briefing(&root, &["build"]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(read_tree(&root.join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".briefing-") && name != ".briefing-spare-public")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_builds_give_byte_identical_trees() {
    let (_temp, root) = site_with(&minimal_site());
    let a = briefing(&root, &["build", "--output", "out-a"]);
    let b = briefing(&root, &["build", "--output", "out-b"]);
    assert!(a.status.success() && b.status.success());
    let (a, b) = (
        read_tree(&root.join("out-a")),
        read_tree(&root.join("out-b")),
    );
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn check_writes_nothing() {
    let (_temp, root) = site_with(&minimal_site());
    let output = briefing(&root, &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!root.join("public").exists());
}

//! Command-line options end to end: `--drafts`, `--base-url`, `--output`, `--root`, `--timings`.

use crate::support::{briefing, minimal_site, site_with, stderr, write_files};

#[test]
fn drafts_are_built_only_when_asked() {
    let (_temp, root) = site_with(&minimal_site());
    write_files(
        &root,
        &[(
            "content/briefs/wip.md",
            "---\ntitle: WIP\ndate: 2022-08-05\ndraft: true\n---\nDraft.\n",
        )],
    );
    assert!(briefing(&root, &["build"]).status.success());
    assert!(!root.join("public/briefs/wip/index.html").exists());
    let with_drafts = briefing(&root, &["build", "--drafts"]);
    assert!(with_drafts.status.success(), "{}", stderr(&with_drafts));
    assert!(root.join("public/briefs/wip/index.html").exists());
}

#[test]
fn base_url_flag_overrides_site_yaml_in_every_link() {
    let (_temp, root) = site_with(&minimal_site());
    let output = briefing(
        &root,
        &["build", "--base-url", "https://user.github.io/repo"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(root.join("public/briefs/one/index.html")).unwrap();
    assert!(
        page.contains("href=\"https://user.github.io/repo/context/war/\""),
        "{page}"
    );
    assert!(!page.contains("example.org/sub"), "{page}");
}

#[test]
fn bad_base_url_flag_is_an_error() {
    let (_temp, root) = site_with(&minimal_site());
    let output = briefing(&root, &["build", "--base-url", "ftp://x"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: --base-url: invalid base_url `ftp://x`, expected an http(s) URL such as `https://user.github.io/repo/` or a path starting with `/`\n"
    );
}

#[test]
fn root_and_output_flags_work_from_another_folder() {
    let (_temp, root) = site_with(&minimal_site());
    let elsewhere = tempfile::tempdir().unwrap();
    let output = briefing(
        elsewhere.path(),
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            "out",
            "--timings",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Built 1 brief with 1 context note from 1 of 1 fact"),
        "{stdout}"
    );
    assert!(stdout.contains(" · briefs "), "{stdout}");
    assert!(elsewhere.path().join("out/briefs/one/index.html").exists());
    assert!(!root.join("public").exists());
}

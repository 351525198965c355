//! Issue 9: hostile or broken input is an error with a location, never a write outside the
//! output folder and never a script in a reader's browser. Exact text of each error, as in
//! `errors.rs`; the build must exit 1 and write nothing.

use crate::support::{briefing, site_with, stderr};

/// Builds a site of `files`, expects failure with nothing written, returns standard error.
fn build_error(files: &[(&str, &str)]) -> String {
    let (_temp, root) = site_with(files);
    let output = briefing(&root, &["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        !root.join("public").exists(),
        "a failed build wrote public/"
    );
    let outside: Vec<_> = std::fs::read_dir(root.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name == "evil" || name == "nul")
        .collect();
    assert!(outside.is_empty(), "written outside the site: {outside:?}");
    stderr(&output)
}

fn brief_with(front: &str) -> String {
    format!("---\ntitle: X\ndate: 2022-01-01\n{front}\n---\nBody.\n")
}

#[test]
fn issue_9_slug_that_climbs_out_of_the_output() {
    let brief = brief_with("slug: ../../evil");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: invalid slug `../../evil`, expected lowercase letters, digits, `-` and `_`\n  |\n4 | slug: ../../evil\n  | ^^^^\n"
    );
}

#[test]
fn issue_9_absolute_slug_and_nul() {
    let brief = brief_with("slug: \"/etc/x\\0\"");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: invalid slug `/etc/x\0`, expected lowercase letters, digits, `-` and `_`\n  |\n4 | slug: \"/etc/x\\0\"\n  | ^^^^\n"
    );
}

#[test]
fn issue_9_reserved_slug() {
    let brief = brief_with("slug: nul");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: slug `nul` is a name Windows reserves for a device\n  |\n4 | slug: nul\n  | ^^^^\n"
    );
}

#[test]
fn issue_9_reserved_file_name() {
    assert_eq!(
        build_error(&[("content/briefs/CON.md", &brief_with(""))]),
        "content/briefs/CON.md:1:1: error: the slug `con` made from the file name is a name Windows reserves for a device; set `slug:`\n  |\n1 | ---\n  | ^^^\n"
    );
}

#[test]
fn issue_9_overlong_slug() {
    let slug = "a".repeat(201);
    let brief = brief_with(&format!("slug: {slug}"));
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        format!(
            "content/briefs/a.md:4:1: error: slug `{slug}` is too long: 201 bytes, at most 200\n  |\n4 | slug: {slug}\n  | ^^^^\n"
        )
    );
}

#[test]
fn issue_9_tag_that_is_a_reserved_name() {
    let brief = brief_with("tags: [armenia, \"Aux\"]");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: tag `Aux` cannot be a folder name: `aux` is a name Windows reserves for a device\n  |\n4 | tags: [armenia, \"Aux\"]\n  | ^^^^\n"
    );
}

#[test]
fn issue_9_tag_made_of_dots_and_slashes() {
    let brief = brief_with("tags: [\"../..\"]");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: tag `../..` has no letters or digits to make a URL from\n  |\n4 | tags: [\"../..\"]\n  | ^^^^\n"
    );
}

#[test]
fn issue_9_fact_id_that_climbs_out() {
    let knowledge = "entries:\n  - id: ../evil\n    title: A\n";
    assert_eq!(
        build_error(&[("content/knowledge.yaml", knowledge)]),
        "content/knowledge.yaml:2:9: error: invalid fact id `../evil`, expected lowercase letters, digits and `-`\n  |\n2 |   - id: ../evil\n  |         ^^^^^^^\n"
    );
}

#[test]
fn issue_9_reserved_fact_id() {
    let knowledge = "entries:\n  - id: com1\n    title: A\n";
    assert_eq!(
        build_error(&[("content/knowledge.yaml", knowledge)]),
        "content/knowledge.yaml:2:9: error: fact id `com1` is a name Windows reserves for a device\n  |\n2 |   - id: com1\n  |         ^^^^\n"
    );
}

#[test]
fn issue_9_javascript_source_url_of_a_brief() {
    let brief = brief_with("source_url: \" JavaScript:alert(1)\"");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:1: error: invalid source_url ` JavaScript:alert(1)`, expected an http(s) URL\n  |\n4 | source_url: \" JavaScript:alert(1)\"\n  | ^^^^^^^^^^\n"
    );
}

#[test]
fn issue_9_javascript_image_src() {
    let brief = brief_with("image: { src: \"javascript:alert(1)\", alt: A }");
    assert_eq!(
        build_error(&[("content/briefs/a.md", &brief)]),
        "content/briefs/a.md:4:16: error: invalid image src `javascript:alert(1)`, expected an http(s) URL or a path in the site\n  |\n4 | image: { src: \"javascript:alert(1)\", alt: A }\n  |                ^^^^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn issue_9_javascript_url_of_a_fact_source() {
    let knowledge = "entries:\n  - id: war\n    title: A\n    sources:\n      - { title: S, url: \"javascript:alert(1)\" }\n";
    assert_eq!(
        build_error(&[("content/knowledge.yaml", knowledge)]),
        "content/knowledge.yaml:5:27: error: invalid source url `javascript:alert(1)`, expected an http(s) URL\n  |\n5 |       - { title: S, url: \"javascript:alert(1)\" }\n  |                           ^^^^^^^^^^^^^^^^^^^\n"
    );
}

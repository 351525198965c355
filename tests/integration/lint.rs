//! `briefing check`: the exact text of each knowledge-lint warning, of the build's errors as
//! check reports them, `--deny-warnings`, `--format json`, and the example site passing clean.

use std::path::Path;

use crate::support::{briefing, site_with, stderr};

/// The fact most sites here start from: sourced, with a note, holding from 2020-09-27.
const WAR: &str = "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: Six weeks.\n    sources:\n      - { title: S, url: \"https://example.org/war\" }\n    since: 2020-09-27\n";

/// A brief at `content/briefs/a.md` dated `date`; its body starts on line 5.
fn brief(date: &str, body: &str) -> String {
    format!("---\ntitle: A\ndate: {date}\n---\n{body}")
}

/// Runs `briefing check ARGS` on a site of `knowledge` (after `entries:`) and briefs, and
/// returns (exit code, stdout with its timing removed, stderr).
fn check(knowledge: &str, briefs: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let knowledge = format!("entries:\n{knowledge}");
    let mut files = vec![
        ("site.yaml", "title: T\n"),
        ("content/knowledge.yaml", knowledge.as_str()),
    ];
    files.extend_from_slice(briefs);
    let (_temp, root) = site_with(&files);
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let output = briefing(&root, &all);
    assert!(!root.join("public").exists(), "check wrote public/");
    (
        output.status.code().unwrap(),
        untimed(&String::from_utf8_lossy(&output.stdout)),
        stderr(&output),
    )
}

/// `Checked ... (12ms)` → `Checked ... (TIME)`.
fn untimed(stdout: &str) -> String {
    match stdout.rfind(" (") {
        Some(at) if stdout.ends_with(")\n") => format!("{} (TIME)\n", &stdout[..at]),
        _ => stdout.to_string(),
    }
}

/// Checks with one brief and expects success with exactly `warnings` on standard error.
fn warns(knowledge: &str, body: &str, date: &str) -> String {
    let text = brief(date, body);
    let (code, stdout, stderr) = check(knowledge, &[("content/briefs/a.md", &text)], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Checked 1 brief and "), "{stdout}");
    stderr
}

#[test]
fn a_clean_site_checks_with_no_warnings() {
    let body = "The 2020 war.\n";
    let text = brief("2022-01-01", body);
    let (code, stdout, stderr) =
        check(WAR, &[("content/briefs/a.md", &text)], &["--deny-warnings"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "Checked 1 brief and 1 fact: no errors or warnings (TIME)\n"
    );
}

#[test]
fn unused_fact() {
    let knowledge = format!(
        "{WAR}  - id: peace\n    title: Peace\n    terms: [\"peace talks\"]\n    note: Talks.\n    sources: [{{ title: S, url: \"https://example.org/p\" }}]\n"
    );
    assert_eq!(
        warns(&knowledge, "The 2020 war.\n", "2022-01-01"),
        "content/knowledge.yaml:9:5: warning: fact `peace` is cited by no brief\n  |\n9 |   - id: peace\n  |     ^^\n"
    );
}

#[test]
fn unused_fact_that_a_brief_mentions_outside_its_dates() {
    assert_eq!(
        warns(WAR, "Before the 2020 war.\n", "2019-01-01"),
        "content/knowledge.yaml:2:5: warning: fact `war` is cited by no brief; content/briefs/a.md:5:12 mentions it but gets no note (outside its dates; see `briefing explain content/briefs/a.md`)\n  |\n2 |   - id: war\n  |     ^^\n"
    );
}

#[test]
fn shadowed_term() {
    let knowledge = format!(
        "{WAR}  - id: lachin\n    title: Lachin\n    terms: [Lachin]\n    note: A district.\n    sources: [{{ title: S, url: \"https://example.org/l\" }}]\n  - id: corridor\n    title: Corridor\n    terms: [\"Lachin corridor\"]\n    note: A road.\n    sources: [{{ title: S, url: \"https://example.org/c\" }}]\n"
    );
    // Cited by hand, so only the term is at fault, not the fact.
    let body =
        "The 2020 war closed the Lachin corridor.\n\nThe Lachin corridor reopened[^lachin].\n";
    assert_eq!(
        warns(&knowledge, body, "2022-01-01"),
        "content/knowledge.yaml:11:13: warning: term \"Lachin\" of `lachin` is always shadowed: another fact's term wins at all 2 of its mentions (first at content/briefs/a.md:5:25, by \"Lachin corridor\" of `corridor`)\n   |\n11 |     terms: [Lachin]\n   |             ^^^^^^\n"
    );
}

#[test]
fn fact_without_sources() {
    let knowledge =
        "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: Six weeks.\n";
    assert_eq!(
        warns(knowledge, "The 2020 war.\n", "2022-01-01"),
        "content/knowledge.yaml:2:5: warning: fact `war` has no sources: readers cannot check its note\n  |\n2 |   - id: war\n  |     ^^\n"
    );
}

#[test]
fn fact_with_an_empty_note() {
    let knowledge = "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: \"  \"\n    sources: [{ title: S, url: \"https://example.org/w\" }]\n";
    assert_eq!(
        warns(knowledge, "The 2020 war.\n", "2022-01-01"),
        "content/knowledge.yaml:5:5: warning: fact `war` has an empty note: its footnote would show only its sources\n  |\n5 |     note: \"  \"\n  |     ^^^^\n"
    );
}

#[test]
fn broken_link_in_a_note() {
    let knowledge = "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: |\n      Six weeks; see [the brief](@/briefs/gone.md).\n    sources: [{ title: S, url: \"https://example.org/w\" }]\n";
    assert_eq!(
        warns(knowledge, "The 2020 war.\n", "2022-01-01"),
        "content/knowledge.yaml:6:34: warning: in the note of `war`: link to `@/briefs/gone.md`, which is not a brief (expected `@/briefs/<file>.md`, a path under content/)\n  |\n6 |       Six weeks; see [the brief](@/briefs/gone.md).\n  |                                  ^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn explicit_citation_outside_the_fact_s_dates() {
    assert_eq!(
        warns(WAR, "Tensions[^war] rose.\n", "2019-05-01"),
        "content/briefs/a.md:5:9: warning: `[^war]` cites `war` outside its dates: it holds from 2020-09-27, and the brief is dated 2019-05-01\n  |\n5 | Tensions[^war] rose.\n  |         ^^^^^^\n"
    );
}

#[test]
fn deny_warnings_fails_on_warnings_alone() {
    let text = brief("2019-05-01", "Tensions[^war] rose.\n");
    let (code, stdout, stderr) =
        check(WAR, &[("content/briefs/a.md", &text)], &["--deny-warnings"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "content/briefs/a.md:5:9: warning: `[^war]` cites `war` outside its dates: it holds from 2020-09-27, and the brief is dated 2019-05-01\n  |\n5 | Tensions[^war] rose.\n  |         ^^^^^^\n\
0 errors, 1 warning (--deny-warnings makes warnings fail the check)\n"
    );
}

#[test]
fn source_url_that_is_not_http_stays_an_error() {
    let knowledge = "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: N.\n    sources: [{ title: S, url: \"ftp://example.org/w\" }]\n";
    let text = brief("2022-01-01", "The 2020 war.\n");
    let (code, stdout, stderr) = check(knowledge, &[("content/briefs/a.md", &text)], &[]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "content/knowledge.yaml:6:33: error: invalid source url `ftp://example.org/w`, expected an http(s) URL\n  |\n6 |     sources: [{ title: S, url: \"ftp://example.org/w\" }]\n  |                                 ^^^^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn since_after_until_stays_an_error() {
    let knowledge = "  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    note: N.\n    sources: [{ title: S, url: \"https://example.org/w\" }]\n    since: 2020-11-10\n    until: 2020-09-27\n";
    let text = brief("2022-01-01", "The 2020 war.\n");
    let (code, _, stderr) = check(knowledge, &[("content/briefs/a.md", &text)], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "content/knowledge.yaml:8:5: error: `until` (2020-09-27) is before `since` (2020-11-10): the fact would never hold\n  |\n8 |     until: 2020-09-27\n  |     ^^^^^\n"
    );
}

#[test]
fn broken_link_between_briefs_stays_an_error_beside_the_warnings() {
    let a = brief(
        "2019-05-01",
        "Tensions[^war] rose; see [later](@/briefs/b.md).\n",
    );
    let (code, stdout, stderr) = check(WAR, &[("content/briefs/a.md", &a)], &[]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "content/briefs/a.md:5:9: warning: `[^war]` cites `war` outside its dates: it holds from 2020-09-27, and the brief is dated 2019-05-01\n  |\n5 | Tensions[^war] rose; see [later](@/briefs/b.md).\n  |         ^^^^^^\n\
content/briefs/a.md:5:26: error: link to `@/briefs/b.md`, which is not a brief (expected `@/briefs/<file>.md`, a path under content/)\n  |\n5 | Tensions[^war] rose; see [later](@/briefs/b.md).\n  |                          ^^^^^^^^^^^^^^^^^^^^^^\n\
1 error, 1 warning\n"
    );
}

#[test]
fn json_lists_errors_and_warnings_for_tools() {
    let a = brief(
        "2019-05-01",
        "Tensions[^war] rose; see [later](@/briefs/b.md).\n",
    );
    let (code, stdout, stderr) = check(WAR, &[("content/briefs/a.md", &a)], &["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        r#"{
  "errors": 1,
  "warnings": 1,
  "diagnostics": [
    {
      "severity": "warning",
      "code": "citation-outside-dates",
      "message": "`[^war]` cites `war` outside its dates: it holds from 2020-09-27, and the brief is dated 2019-05-01",
      "path": "content/briefs/a.md",
      "line": 5,
      "column": 9,
      "length": 6
    },
    {
      "severity": "error",
      "code": null,
      "message": "link to `@/briefs/b.md`, which is not a brief (expected `@/briefs/<file>.md`, a path under content/)",
      "path": "content/briefs/a.md",
      "line": 5,
      "column": 26,
      "length": 22
    }
  ]
}
"#
    );
}

#[test]
fn json_for_an_error_without_a_place() {
    let (_temp, root) = site_with(&[("site.yaml", "knowledge: missing.yaml\n")]);
    // The build names the file it could not read as it joined it: `--root` (here `.`) first.
    let output = briefing(&root, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let diagnostic = &value["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["path"], "./missing.yaml");
    assert_eq!(diagnostic["line"], serde_json::Value::Null);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read knowledge file: "),
        "{stdout}"
    );
}

#[test]
fn the_example_site_passes_with_deny_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = briefing(root, &["check", "--deny-warnings"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

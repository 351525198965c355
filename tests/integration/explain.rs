//! `briefing explain`: the exact report for each reason a mention gets no note, the attached
//! facts with their footnote numbers, JSON, `--root`, and the errors a user can hit.

use crate::support::{briefing, site_with, stderr};

/// Three facts: `war` (from 2020-09-27), `lachin`, and `corridor`, whose term contains
/// `lachin`'s.
const KNOWLEDGE: &str = "entries:\n  - id: war\n    title: War\n    terms: [\"2020 war\", \"44-day war\"]\n    note: Six weeks.\n    since: 2020-09-27\n  - id: lachin\n    title: Lachin\n    terms: [Lachin]\n    note: A district.\n  - id: corridor\n    title: Corridor\n    terms: [\"Lachin corridor\"]\n    note: A road.\n";

/// Explains `content/briefs/a.md` (front matter `extra`, then `body` from line 5 on when
/// `extra` is empty) on a site with `site_yaml`; returns stdout, expecting success.
fn explain_with(site_yaml: &str, extra: &str, body: &str, args: &[&str]) -> String {
    let brief = format!("---\ntitle: A\ndate: 2022-08-04\n{extra}---\n{body}");
    let (_temp, root) = site_with(&[
        ("site.yaml", site_yaml),
        ("content/knowledge.yaml", KNOWLEDGE),
        ("content/briefs/a.md", &brief),
    ]);
    let mut all = vec!["explain", "content/briefs/a.md"];
    all.extend_from_slice(args);
    let output = briefing(&root, &all);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    String::from_utf8(output.stdout).unwrap()
}

fn explain(body: &str) -> String {
    explain_with("title: T\n", "", body, &[])
}

#[test]
fn attached_facts_show_term_place_and_footnote_number() {
    assert_eq!(
        explain("The 2020 war and the Lachin corridor[^lachin].\n"),
        "content/briefs/a.md (2022-08-04): 3 facts attached, 1 mention not attached\n\n\
Attached:\n\
content/briefs/a.md:5:5: `war`, term \"2020 war\" (footnote 1)\n\
content/briefs/a.md:5:22: `corridor`, term \"Lachin corridor\" (footnote 2)\n\
content/briefs/a.md:5:37: `lachin`, cited as [^lachin] (footnote 3)\n\n\
Not attached:\n\
content/briefs/a.md:5:22: `lachin`, term \"Lachin\": inside the longer term \"Lachin corridor\" of `corridor`\n"
    );
}

#[test]
fn already_cited_earlier() {
    assert_eq!(
        explain("The 2020 war.\n\nThe 44-day war ended.\n"),
        "content/briefs/a.md (2022-08-04): 1 fact attached, 1 mention not attached\n\n\
Attached:\n\
content/briefs/a.md:5:5: `war`, term \"2020 war\" (footnote 1)\n\n\
Not attached:\n\
content/briefs/a.md:7:5: `war`, term \"44-day war\": already cited earlier: footnote 1 at 5:5\n"
    );
}

#[test]
fn outside_its_dates() {
    let brief = "---\ntitle: A\ndate: 2019-01-01\n---\nBefore the 2020 war.\n";
    let (_temp, root) = site_with(&[
        ("content/knowledge.yaml", KNOWLEDGE),
        ("content/briefs/a.md", brief),
    ]);
    let output = briefing(&root, &["explain", "content/briefs/a.md"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "content/briefs/a.md (2019-01-01): 0 facts attached, 1 mention not attached\n\n\
Not attached:\n\
content/briefs/a.md:5:12: `war`, term \"2020 war\": outside its dates: `war` holds from 2020-09-27, and the brief is dated 2019-01-01\n"
    );
}

#[test]
fn inside_a_code_span_or_a_link_or_other_text_that_is_not_prose() {
    let body = "# Lachin\n\nA `2020 war` and [Lachin](https://e.org/).\n\n![Lachin](map.png)\n\n```\nLachin\n```\n\nSee[^n].\n\n[^n]: Lachin.\n";
    assert_eq!(
        explain(body),
        "content/briefs/a.md (2022-08-04): 0 facts attached, 6 mentions not attached\n\n\
Not attached:\n\
content/briefs/a.md:5:3: `lachin`, term \"Lachin\": inside a heading\n\
content/briefs/a.md:7:4: `war`, term \"2020 war\": inside a code span\n\
content/briefs/a.md:7:19: `lachin`, term \"Lachin\": inside link text\n\
content/briefs/a.md:9:3: `lachin`, term \"Lachin\": inside an image's alt text\n\
content/briefs/a.md:12:1: `lachin`, term \"Lachin\": inside a code block\n\
content/briefs/a.md:17:7: `lachin`, term \"Lachin\": inside the text of a footnote\n"
    );
}

#[test]
fn inside_raw_html() {
    assert_eq!(
        explain("<p>The 2020 war</p>\n"),
        "content/briefs/a.md (2022-08-04): 0 facts attached, 1 mention not attached\n\n\
Not attached:\n\
content/briefs/a.md:5:8: `war`, term \"2020 war\": inside raw HTML\n"
    );
}

#[test]
fn over_max_per_brief() {
    let site = "footnotes:\n  max_per_brief: 1\n";
    assert_eq!(
        explain_with(site, "", "The 2020 war and Lachin.\n", &[]),
        "content/briefs/a.md (2022-08-04): 1 fact attached, 1 mention not attached\n\n\
Attached:\n\
content/briefs/a.md:5:5: `war`, term \"2020 war\" (footnote 1)\n\n\
Not attached:\n\
content/briefs/a.md:5:18: `lachin`, term \"Lachin\": over `max_per_brief`: the brief already has 1 automatic note\n"
    );
}

#[test]
fn turned_off_by_context_false() {
    assert_eq!(
        explain_with(
            "",
            "context: false\n",
            "The 2020 war; Lachin[^lachin].\n",
            &[]
        ),
        "content/briefs/a.md (2022-08-04): 1 fact attached, 2 mentions not attached\n\n\
Attached:\n\
content/briefs/a.md:6:21: `lachin`, cited as [^lachin] (footnote 1)\n\n\
Not attached:\n\
content/briefs/a.md:6:5: `war`, term \"2020 war\": turned off: the brief sets `context: false`\n\
content/briefs/a.md:6:15: `lachin`, term \"Lachin\": turned off: the brief sets `context: false`\n"
    );
}

#[test]
fn json_gives_every_mention_in_document_order() {
    assert_eq!(
        explain_with("", "", "The 2020 war, `Lachin`.\n", &["--format", "json"]),
        r#"{
  "brief": "content/briefs/a.md",
  "date": "2022-08-04",
  "context": true,
  "facts_attached": 1,
  "mentions_not_attached": 1,
  "mentions": [
    {
      "fact": "war",
      "term": "2020 war",
      "line": 5,
      "column": 5,
      "length": 8,
      "attached": true,
      "footnote": 1,
      "reason": null,
      "message": null
    },
    {
      "fact": "lachin",
      "term": "Lachin",
      "line": 5,
      "column": 16,
      "length": 6,
      "attached": false,
      "footnote": null,
      "reason": "code-span",
      "message": "inside a code span"
    }
  ]
}
"#
    );
}

#[test]
fn the_brief_may_be_named_from_the_current_folder_or_from_the_root() {
    let brief = "---\ntitle: A\ndate: 2022-08-04\n---\nThe 2020 war.\n";
    let (temp, root) = site_with(&[
        ("site/content/knowledge.yaml", KNOWLEDGE),
        ("site/content/briefs/a.md", brief),
    ]);
    let expected = "content/briefs/a.md (2022-08-04): 1 fact attached, 0 mentions not attached\n\n\
Attached:\n\
content/briefs/a.md:5:5: `war`, term \"2020 war\" (footnote 1)\n";
    for path in ["site/content/briefs/a.md", "content/briefs/a.md"] {
        let output = briefing(&root, &["explain", path, "--root", "site"]);
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{path}");
    }
    drop(temp);
}

#[test]
fn a_missing_brief_is_an_error() {
    let (_temp, root) = site_with(&[("content/knowledge.yaml", KNOWLEDGE)]);
    let output = briefing(&root, &["explain", "content/briefs/nope.md"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: content/briefs/nope.md: no such file\n"
    );
    let output = briefing(&root, &["explain", "nope.md", "--root", "site"]);
    assert_eq!(
        stderr(&output),
        "error: nope.md: no such file, here or under the site root site\n"
    );
}

#[test]
fn a_brief_the_build_rejects_is_the_build_s_error() {
    let brief = "---\ntitle: A\ndate: 2022-08-04\n---\nSee [^nope].\n";
    let (_temp, root) = site_with(&[
        ("content/knowledge.yaml", KNOWLEDGE),
        ("content/briefs/a.md", brief),
        ("content/briefs/b.md", "no front matter\n"),
    ]);
    let output = briefing(&root, &["explain", "content/briefs/a.md"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "content/briefs/a.md:5:5: error: `[^nope]` names no footnote in this brief and no fact in the knowledge file\n  |\n5 | See [^nope].\n  |     ^^^^^^^\n"
    );
    let output = briefing(&root, &["explain", "content/briefs/b.md"]);
    assert_eq!(
        stderr(&output),
        "content/briefs/b.md:1:1: error: expected front matter: a brief starts with a `---` line, then YAML, then `---`\n  |\n1 | no front matter\n  | ^^^\n"
    );
}

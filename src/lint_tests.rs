//! Tests of the knowledge lint: one per warning, and none on a clean site.

use super::lint;
use crate::annotate::{AnnotateOptions, markdown_options};
use crate::content::{Corpus, parse_brief};
use crate::error::SourceText;
use crate::knowledge::parse;
use crate::links::LinkMap;

/// Runs the lint over `briefs` (path, text) and a knowledge file; each warning as
/// `path:line:col code: message`.
fn warnings(knowledge: &str, briefs: &[(&str, &str)]) -> Vec<String> {
    let source = SourceText::new("content/knowledge.yaml", knowledge);
    let kb = parse(source.clone()).expect("test knowledge parses");
    let briefs: Vec<_> = briefs
        .iter()
        .map(|(path, text)| parse_brief(SourceText::new(*path, *text)).expect("brief parses"))
        .collect();
    let links = LinkMap::new(
        "/",
        vec![("briefs/a.md".into(), "/briefs/a/".into())],
        Vec::new(),
    );
    let corpus = Corpus {
        briefs,
        left_out: Vec::new(),
    };
    let options = AnnotateOptions {
        max_per_brief: 12,
        markdown: markdown_options(true),
    };
    lint(&corpus, &kb, Some(&source), &links, options)
        .into_iter()
        .map(|d| {
            let span = d.span.unwrap();
            format!(
                "{}:{}:{} {}: {}",
                span.path.display(),
                span.line,
                span.col,
                d.code.unwrap(),
                d.message
            )
        })
        .collect()
}

const SOURCES: &str = "    sources: [{ title: S, url: \"https://e.org/\" }]\n";

fn fact(id: &str, terms: &str, extra: &str) -> String {
    format!("  - id: {id}\n    title: T\n    terms: {terms}\n    note: N.\n{SOURCES}{extra}")
}

#[test]
fn a_clean_site_has_no_warnings() {
    let kb = format!("entries:\n{}", fact("war", "[\"2020 war\"]", ""));
    let brief = "---\ntitle: A\ndate: 2022-01-01\n---\nThe 2020 war.\n";
    assert!(warnings(&kb, &[("content/briefs/a.md", brief)]).is_empty());
}

#[test]
fn an_unused_fact_says_which_mention_got_no_note_and_why() {
    let kb = format!(
        "entries:\n{}{}",
        fact("old", "[\"1990s war\"]", "    until: 1994-05-12\n"),
        fact("never", "[zzz]", "")
    );
    let brief = "---\ntitle: A\ndate: 2022-01-01\n---\nThe 1990s war.\n";
    assert_eq!(
        warnings(&kb, &[("content/briefs/a.md", brief)]),
        vec![
            "content/knowledge.yaml:2:5 unused-fact: fact `old` is cited by no brief; content/briefs/a.md:5:5 mentions it but gets no note (outside its dates; see `briefing explain content/briefs/a.md`)",
            "content/knowledge.yaml:8:5 unused-fact: fact `never` is cited by no brief",
        ]
    );
}

#[test]
fn a_term_that_always_loses_to_a_longer_term_is_shadowed() {
    let kb = format!(
        "entries:\n{}{}",
        fact("lachin", "[\"Lachin\", \"the district\"]", ""),
        fact("corridor", "[\"Lachin corridor\"]", "")
    );
    let brief = "---\ntitle: A\ndate: 2022-01-01\n---\nThe Lachin corridor and the district.\n";
    assert_eq!(
        warnings(&kb, &[("content/briefs/a.md", brief)]),
        vec![
            "content/knowledge.yaml:4:13 shadowed-term: term \"Lachin\" of `lachin` is always shadowed: another fact's term wins at its only mention (first at content/briefs/a.md:5:5, by \"Lachin corridor\" of `corridor`)"
        ]
    );
    // Once it also stands alone somewhere, the term is not shadowed.
    let alone = "---\ntitle: B\ndate: 2022-01-01\n---\nLachin, then the Lachin corridor.\n";
    assert!(
        warnings(
            &kb,
            &[
                ("content/briefs/a.md", brief),
                ("content/briefs/b.md", alone)
            ]
        )
        .is_empty()
    );
}

#[test]
fn facts_without_sources_or_note_and_broken_note_links() {
    let kb = "entries:\n  - id: bare\n    title: Bare\n    terms: [bare]\n    note: \"\"\n  - id: linked\n    title: L\n    terms: [linked]\n    note: See [the brief](@/briefs/zzz.md).\n    sources: [{ title: S, url: \"https://e.org/\" }]\n";
    let brief = "---\ntitle: A\ndate: 2022-01-01\n---\nBare and linked.\n";
    assert_eq!(
        warnings(kb, &[("content/briefs/a.md", brief)]),
        vec![
            "content/knowledge.yaml:2:5 no-sources: fact `bare` has no sources: readers cannot check its note",
            "content/knowledge.yaml:5:5 empty-note: fact `bare` has an empty note: its footnote would show only its sources",
            "content/knowledge.yaml:9:27 broken-link: in the note of `linked`: link to `@/briefs/zzz.md`, which is not a brief (expected `@/briefs/<file>.md`, a path under content/)",
        ]
    );
}

#[test]
fn an_explicit_citation_outside_the_fact_s_dates_is_flagged_once() {
    let kb = format!(
        "entries:\n{}",
        fact("war", "[\"2020 war\"]", "    since: 2020-09-27\n")
    );
    let brief = "---\ntitle: A\ndate: 2019-01-01\n---\nTensions[^war] and more[^war].\n";
    assert_eq!(
        warnings(&kb, &[("content/briefs/a.md", brief)]),
        vec![
            "content/briefs/a.md:5:9 citation-outside-dates: `[^war]` cites `war` outside its dates: it holds from 2020-09-27, and the brief is dated 2019-01-01"
        ]
    );
}

//! Tests of `explain`: one per reason a mention gets no note, plus the traced terms the build
//! passes over, checked against the same annotator the build runs.

use super::{Reason, Status, explain};
use crate::annotate::{AnnotateOptions, NotProse, annotate, markdown_options};
use crate::content::{Brief, parse_brief};
use crate::error::SourceText;
use crate::knowledge::{KnowledgeBase, parse};

const KB: &str = "\
entries:
  - id: war
    title: War
    terms: [\"2020 war\", \"44-day war\"]
    since: 2020-09-27
  - id: old
    title: Old
    terms: [\"1990s war\"]
    until: 1994-05-12
  - id: lachin
    title: Lachin
    terms: [Lachin]
  - id: corridor
    title: Corridor
    terms: [\"Lachin corridor\"]
";

fn kb() -> KnowledgeBase {
    parse(SourceText::new("content/knowledge.yaml", KB)).unwrap()
}

fn brief(extra: &str, body: &str) -> Brief {
    parse_brief(SourceText::new(
        "content/briefs/x.md",
        format!("---\ntitle: T\ndate: 2022-08-04\n{extra}---\n{body}"),
    ))
    .unwrap()
}

fn options(max_per_brief: usize) -> AnnotateOptions {
    AnnotateOptions {
        max_per_brief,
        markdown: markdown_options(true),
    }
}

/// Each item as (fact id, line, column, status).
fn items(brief: &Brief, max: usize) -> Vec<(String, usize, usize, Status)> {
    let kb = kb();
    explain(brief, &kb, options(max))
        .unwrap()
        .items
        .into_iter()
        .map(|item| {
            let id = kb.facts[item.fact].id.clone();
            (id, item.span.line, item.span.col, item.status)
        })
        .collect()
}

fn no(reason: Reason) -> Status {
    Status::NotAttached(reason)
}

#[test]
fn attached_mentions_and_citations_carry_their_footnote_numbers() {
    let b = brief("", "The 2020 war and [^lachin].\n\nThe 44-day war.\n");
    assert_eq!(
        items(&b, 12),
        vec![
            ("war".into(), 5, 5, Status::Attached { footnote: 1 }),
            ("lachin".into(), 5, 18, Status::Attached { footnote: 2 }),
            (
                "war".into(),
                7,
                5,
                no(Reason::AlreadyCited {
                    footnote: 1,
                    line: 5,
                    col: 5
                })
            ),
        ]
    );
}

#[test]
fn dates_limit_and_context_each_have_their_reason() {
    let b = brief("", "The 1990s war, the 2020 war, Lachin.\n");
    assert_eq!(
        items(&b, 1),
        vec![
            ("old".into(), 5, 5, no(Reason::OutsideDates)),
            ("war".into(), 5, 20, Status::Attached { footnote: 1 }),
            ("lachin".into(), 5, 30, no(Reason::OverLimit)),
        ]
    );
    let off = brief("context: false\n", "The 2020 war.\n");
    assert_eq!(
        items(&off, 12),
        vec![("war".into(), 6, 5, no(Reason::ContextOff))]
    );
}

#[test]
fn terms_outside_prose_are_reported_with_their_container() {
    let body = "# The 2020 war\n\nA `2020 war` and [the 2020 war](https://e.org/) and ![2020 war](x.png).\n\n```\n2020 war\n```\n\n<p>2020 war</p>\n\nNote[^n].\n\n[^n]: The 2020 war.\n";
    let b = brief("", body);
    let found: Vec<(usize, usize, Status)> = items(&b, 12)
        .into_iter()
        .map(|(_, line, col, status)| (line, col, status))
        .collect();
    let ctx = |c| no(Reason::NotProse(c));
    assert_eq!(
        found,
        vec![
            (5, 7, ctx(NotProse::Heading)),
            (7, 4, ctx(NotProse::CodeSpan)),
            (7, 23, ctx(NotProse::LinkText)),
            (7, 55, ctx(NotProse::ImageAlt)),
            (10, 1, ctx(NotProse::CodeBlock)),
            (13, 4, ctx(NotProse::RawHtml)),
            (17, 11, ctx(NotProse::FootnoteDefinition)),
        ]
    );
}

#[test]
fn a_term_inside_another_facts_longer_term_is_overlapped() {
    let b = brief("", "The Lachin corridor.\n");
    assert_eq!(
        items(&b, 12),
        vec![
            ("corridor".into(), 5, 5, Status::Attached { footnote: 1 }),
            (
                "lachin".into(),
                5,
                5,
                no(Reason::Overlapped {
                    fact: 3,
                    term: 0,
                    contains: true
                })
            ),
        ]
    );
}

#[test]
fn tracing_does_not_change_the_build_s_decisions() {
    let kb = kb();
    let b = brief(
        "",
        "The `2020 war`, the Lachin corridor, the 2020 war, Lachin [^old].\n",
    );
    let plain = annotate(&b, &kb, options(12)).unwrap();
    let (traced, _) = crate::annotate::annotate_traced(&b, &kb, options(12)).unwrap();
    assert_eq!(plain.footnotes, traced.footnotes);
    assert_eq!(plain.citations, traced.citations);
    assert_eq!(plain.mentions.len(), traced.mentions.len());
}

#[test]
fn human_report_lists_attached_then_not_attached() {
    let kb = kb();
    let b = brief("", "The 2020 war and `Lachin`.\n");
    let text = explain(&b, &kb, options(12))
        .unwrap()
        .human(&b, &kb, options(12));
    assert_eq!(
        text,
        "content/briefs/x.md (2022-08-04): 1 fact attached, 1 mention not attached\n\n\
         Attached:\ncontent/briefs/x.md:5:5: `war`, term \"2020 war\" (footnote 1)\n\n\
         Not attached:\ncontent/briefs/x.md:5:19: `lachin`, term \"Lachin\": inside a code span\n"
    );
}

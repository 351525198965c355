//! Tests of the annotate stage: which mentions get a footnote, how footnotes are numbered, and
//! where mentions and errors point in the brief's file.

use super::{AnnotateOptions, AnnotatedBrief, FootnoteSlot, Outcome, annotate, markdown_options};
use crate::content::{Brief, parse_brief};
use crate::error::{Error, SourceText};
use crate::knowledge::{KnowledgeBase, parse};

/// The facts most tests use. `second-karabakh-war` holds from 2020-09-27 on; the default brief
/// date (2022-08-04) lies inside every window here.
const KB: &str = "\
entries:
  - id: second-karabakh-war
    title: Second Nagorno-Karabakh War
    terms: [\"2020 war\", \"44-day war\", \"war in 2020\"]
    note: Six weeks of fighting.
    since: 2020-09-27
  - id: peace
    title: Peace talks
    terms: [\"peace talks\"]
  - id: lachin
    title: Lachin
    terms: [Lachin]
  - id: lachin-corridor
    title: Lachin corridor
    terms: [\"Lachin corridor\"]
";

fn kb(yaml: &str) -> KnowledgeBase {
    parse(SourceText::new("content/knowledge.yaml", yaml)).expect("test knowledge parses")
}

/// A brief at `content/briefs/x.md`: four front-matter lines, so body line 1 is file line 5.
fn brief(body: &str) -> Brief {
    brief_with("", body)
}

/// A brief dated `date`.
fn brief_on(date: &str, body: &str) -> Brief {
    parse_brief(SourceText::new(
        "content/briefs/x.md",
        format!("---\ntitle: T\ndate: {date}\n---\n{body}"),
    ))
    .expect("test brief parses")
}

/// A brief with extra front-matter lines (`extra` ends with a newline when not empty).
fn brief_with(extra: &str, body: &str) -> Brief {
    parse_brief(SourceText::new(
        "content/briefs/x.md",
        format!("---\ntitle: T\ndate: 2022-08-04\n{extra}---\n{body}"),
    ))
    .expect("test brief parses")
}

fn options(max_per_brief: usize) -> AnnotateOptions {
    AnnotateOptions {
        max_per_brief,
        markdown: markdown_options(true),
    }
}

fn run<'a>(brief: &'a Brief, knowledge: &KnowledgeBase) -> AnnotatedBrief<'a> {
    annotate(brief, knowledge, options(12)).expect("annotates")
}

/// Each mention as (fact id, the text its span covers on its line, outcome).
fn mentions(
    annotated: &AnnotatedBrief,
    knowledge: &KnowledgeBase,
) -> Vec<(String, String, Outcome)> {
    annotated
        .mentions
        .iter()
        .map(|mention| {
            let span = mention.span(&annotated.brief.source);
            let text: String = span
                .source_line
                .chars()
                .skip(span.col - 1)
                .take(span.len)
                .collect();
            (
                knowledge.facts[mention.fact].id.clone(),
                text,
                mention.outcome,
            )
        })
        .collect()
}

/// Footnote N as `N author:<label>` or `N fact:<id>`.
fn slots(annotated: &AnnotatedBrief, knowledge: &KnowledgeBase) -> Vec<String> {
    annotated
        .footnotes
        .iter()
        .enumerate()
        .map(|(index, slot)| match slot {
            FootnoteSlot::Author(label) => format!("{} author:{label}", index + 1),
            FootnoteSlot::Fact(fact) => format!("{} fact:{}", index + 1, knowledge.facts[*fact].id),
        })
        .collect()
}

fn numbers(annotated: &AnnotatedBrief) -> Vec<usize> {
    annotated.citations.iter().map(|c| c.number).collect()
}

fn m(id: &str, text: &str, outcome: Outcome) -> (String, String, Outcome) {
    (id.to_string(), text.to_string(), outcome)
}

fn report(result: Result<AnnotatedBrief, Error>) -> String {
    result.expect_err("annotation fails").report()
}

#[test]
fn only_the_first_mention_gets_a_note() {
    let kb = kb(KB);
    let brief = brief("The 2020 war ended.\n\nAfter the 2020 war, the 44-day war was over.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m("second-karabakh-war", "2020 war", Outcome::Attached),
            m("second-karabakh-war", "2020 war", Outcome::AlreadyCited),
            m("second-karabakh-war", "44-day war", Outcome::AlreadyCited),
        ]
    );
    assert_eq!(slots(&a, &kb), vec!["1 fact:second-karabakh-war"]);
    assert_eq!(numbers(&a), vec![1]);
}

#[test]
fn matches_whole_words_in_any_case() {
    let kb = kb(KB);
    let brief =
        brief("Postlachin, Lachinsky and x2020 war aside, the LACHIN road and THE 2020 WAR.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m("lachin", "LACHIN", Outcome::Attached),
            m("second-karabakh-war", "2020 WAR", Outcome::Attached),
        ]
    );
}

#[test]
fn leftmost_longest_term_wins_across_facts() {
    let kb = kb(KB);
    let brief = brief("The Lachin corridor runs through Lachin.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m("lachin-corridor", "Lachin corridor", Outcome::Attached),
            m("lachin", "Lachin", Outcome::Attached),
        ]
    );
    assert_eq!(
        slots(&a, &kb),
        vec!["1 fact:lachin-corridor", "2 fact:lachin"]
    );
}

#[test]
fn a_term_split_by_a_soft_line_break_is_found() {
    let kb = kb(KB);
    let brief = brief("Turkey backed Azerbaijan in the 2020\nwar, which ended.\n");
    let a = run(&brief, &kb);
    assert_eq!(a.mentions.len(), 1, "{:?}", a.mentions);
    let mention = &a.mentions[0];
    assert_eq!(mention.outcome, Outcome::Attached);
    // The span starts at `2020` on the first body line (file line 5) and is cut at its line end.
    assert_eq!(
        {
            let span = mention.span(&brief.source);
            (span.line, span.col, span.len)
        },
        (5, 33, 4)
    );
}

#[test]
fn a_term_split_across_emphasis_is_found() {
    let kb = kb(KB);
    let brief = brief("The *2020* war began.\n");
    let a = run(&brief, &kb);
    assert_eq!(a.mentions.len(), 1, "{:?}", a.mentions);
    assert_eq!(a.mentions[0].outcome, Outcome::Attached);
}

#[test]
fn a_term_split_by_smart_quotes_is_found() {
    // Smart punctuation turns the body's `'` into `’`, and pulldown-cmark emits `Turkey`, `’`
    // and `s role` as three text events; the term, as the author typed it, still matches.
    let kb = kb("entries:\n  - id: turkey\n    title: Turkey\n    terms: [\"Turkey's role\"]\n");
    let brief = brief("Analysts weighed Turkey's role.\n");
    let a = run(&brief, &kb);
    assert_eq!(a.mentions.len(), 1, "{:?}", a.mentions);
    let mention = &a.mentions[0];
    assert_eq!((mention.fact, mention.outcome), (0, Outcome::Attached));
    assert_eq!(
        {
            let span = mention.span(&brief.source);
            (span.line, span.col)
        },
        (5, 18)
    );
    assert_eq!(slots(&a, &kb), vec!["1 fact:turkey"]);
}

#[test]
fn a_term_with_a_typographic_apostrophe_matches_a_straight_one() {
    let kb = kb("entries:\n  - id: turkey\n    title: Turkey\n    terms: [\"Turkey’s role\"]\n");
    let brief = brief("Analysts weighed Turkey's role.\n");
    let without_smart = AnnotateOptions {
        max_per_brief: 12,
        markdown: markdown_options(false),
    };
    let a = annotate(&brief, &kb, without_smart).unwrap();
    assert_eq!(
        mentions(&a, &kb),
        vec![m("turkey", "Turkey's role", Outcome::Attached)]
    );
}

#[test]
fn a_term_split_by_an_entity_is_found() {
    let kb = kb("entries:\n  - id: osce\n    title: OSCE\n    terms: [\"Armenia & Azerbaijan\"]\n");
    let brief = brief("Talks between Armenia &amp; Azerbaijan resumed.\n");
    let a = run(&brief, &kb);
    assert_eq!(a.mentions.len(), 1, "{:?}", a.mentions);
    assert_eq!(a.mentions[0].outcome, Outcome::Attached);
    assert_eq!(
        {
            let span = a.mentions[0].span(&brief.source);
            (span.line, span.col)
        },
        (5, 15)
    );
    assert_eq!(slots(&a, &kb), vec!["1 fact:osce"]);
}

#[test]
fn never_matches_outside_prose() {
    let kb = kb(KB);
    // Each body mentions the term first where it must not match, then once in prose on the
    // last line: exactly that last mention is found, and it is the one that gets the note.
    let cases = [
        ("inline code", "Use `the 2020 war` here.\n"),
        ("fenced code", "```\nthe 2020 war\n```\n"),
        ("indented code", "    the 2020 war\n"),
        (
            "link text",
            "Read [the 2020 war](https://example.com/) now.\n",
        ),
        ("atx heading", "## The 2020 war\n"),
        ("setext heading", "The 2020 war\n------------\n"),
        ("image alt text", "![the 2020 war](map.png)\n"),
        ("html block", "<div>\nthe 2020 war\n</div>\n"),
        (
            "inline html",
            "A <abbr title=\"the 2020 war\">war</abbr>.\n",
        ),
        (
            "footnote definition",
            "Text.[^1]\n\n[^1]: On the 2020 war.\n",
        ),
    ];
    for (name, first) in cases {
        let body = format!("{first}\nFinally the 2020 war.\n");
        let brief = brief(&body);
        let a = run(&brief, &kb);
        let last_line = 4 + body.lines().count();
        let found: Vec<(usize, Outcome)> = a
            .mentions
            .iter()
            .map(|x| (x.span(&brief.source).line, x.outcome))
            .collect();
        assert_eq!(
            found,
            vec![(last_line, Outcome::Attached)],
            "{name}: {body:?}"
        );
    }
}

#[test]
fn prose_in_lists_quotes_and_tables_is_scanned() {
    let kb = kb(KB);
    let brief = brief("- the 2020 war\n\n> peace talks\n\n| a | b |\n| - | - |\n| Lachin | x |\n");
    let a = run(&brief, &kb);
    assert_eq!(
        slots(&a, &kb),
        vec![
            "1 fact:second-karabakh-war",
            "2 fact:peace",
            "3 fact:lachin"
        ]
    );
}

const WINDOW: &str = "entries:\n  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    since: 2020-09-27\n    until: 2020-11-10\n";

#[test]
fn a_fact_attaches_only_inside_its_date_window() {
    let kb = kb(WINDOW);
    for (date, expected) in [
        ("2020-09-26", Outcome::OutsideDates),
        ("2020-09-27", Outcome::Attached),
        ("2020-11-10", Outcome::Attached),
        ("2020-11-11", Outcome::OutsideDates),
    ] {
        let brief = brief_on(date, "The 2020 war.\n");
        let a = run(&brief, &kb);
        assert_eq!(
            mentions(&a, &kb),
            vec![m("war", "2020 war", expected)],
            "brief dated {date}"
        );
        let attached = expected == Outcome::Attached;
        assert_eq!(
            a.footnotes.len(),
            usize::from(attached),
            "brief dated {date}"
        );
        assert_eq!(
            a.citations.len(),
            usize::from(attached),
            "brief dated {date}"
        );
    }
}

#[test]
fn max_per_brief_caps_automatic_notes_but_not_explicit_citations() {
    let kb = kb(KB);
    let brief =
        brief("The 2020 war, peace talks, Lachin. More peace talks.\n\nSee [^lachin-corridor].\n");
    let a = annotate(&brief, &kb, options(1)).unwrap();
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m("second-karabakh-war", "2020 war", Outcome::Attached),
            m("peace", "peace talks", Outcome::OverLimit),
            m("lachin", "Lachin", Outcome::OverLimit),
            m("peace", "peace talks", Outcome::OverLimit),
            m(
                "lachin-corridor",
                "[^lachin-corridor]",
                Outcome::ExplicitCitation
            ),
        ]
    );
    assert_eq!(
        slots(&a, &kb),
        vec!["1 fact:second-karabakh-war", "2 fact:lachin-corridor"]
    );
}

#[test]
fn context_off_keeps_explicit_citations_only() {
    let kb = kb(KB);
    let brief = brief_with("context: false\n", "The 2020 war and [^peace].\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m("second-karabakh-war", "2020 war", Outcome::ContextOff),
            m("peace", "[^peace]", Outcome::ExplicitCitation),
        ]
    );
    assert_eq!(slots(&a, &kb), vec!["1 fact:peace"]);
    assert_eq!(numbers(&a), vec![1]);
}

#[test]
fn an_escaped_bracket_keeps_a_literal_citation() {
    let kb = kb(KB);
    let brief = brief("Write \\[^peace] to cite, and \\[^nope] is no error.\n");
    let a = run(&brief, &kb);
    assert!(a.citations.is_empty());
    assert!(a.footnotes.is_empty());
}

#[test]
fn author_and_fact_footnotes_share_one_numbering_by_first_appearance() {
    let kb = kb(KB);
    let brief =
        brief("A[^1] then 2020 war then [^peace] then B[^note].\n\n[^1]: One.\n\n[^note]: Two.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        slots(&a, &kb),
        vec![
            "1 author:1",
            "2 fact:second-karabakh-war",
            "3 fact:peace",
            "4 author:note"
        ]
    );
    let authors: Vec<(&str, usize)> = a
        .author_numbers
        .iter()
        .map(|(label, n)| (label.as_str(), *n))
        .collect();
    assert_eq!(authors, vec![("1", 1), ("note", 4)]);
    // Citations are the fact references placed in the text, in document order.
    assert_eq!(numbers(&a), vec![2, 3]);
}

#[test]
fn numbering_follows_document_order_across_blocks() {
    let kb = kb(KB);
    let brief =
        brief("# Head\n\nFirst [^peace].\n\n- then A[^a]\n- then the 2020 war\n\n[^a]: A.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        slots(&a, &kb),
        vec!["1 fact:peace", "2 author:a", "3 fact:second-karabakh-war"]
    );
}

#[test]
fn an_explicit_citation_after_a_mention_reuses_its_number() {
    let kb = kb(KB);
    let brief =
        brief("The 2020 war began.\n\nSee [^second-karabakh-war] and [^second-karabakh-war].\n");
    let a = run(&brief, &kb);
    assert_eq!(slots(&a, &kb), vec!["1 fact:second-karabakh-war"]);
    assert_eq!(numbers(&a), vec![1, 1, 1]);
    let outcomes: Vec<Outcome> = a.mentions.iter().map(|x| x.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Attached,
            Outcome::ExplicitCitation,
            Outcome::ExplicitCitation
        ]
    );
}

#[test]
fn a_mention_after_an_explicit_citation_is_already_cited() {
    let kb = kb(KB);
    let brief = brief("As [^second-karabakh-war] shows, the 2020 war mattered.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![
            m(
                "second-karabakh-war",
                "[^second-karabakh-war]",
                Outcome::ExplicitCitation
            ),
            m("second-karabakh-war", "2020 war", Outcome::AlreadyCited),
        ]
    );
    assert_eq!(numbers(&a), vec![1]);
}

#[test]
fn an_author_footnote_referenced_twice_keeps_one_number() {
    let kb = kb(KB);
    let brief = brief("A[^n] and B[^n], then peace talks.\n\n[^n]: Note.\n");
    let a = run(&brief, &kb);
    assert_eq!(slots(&a, &kb), vec!["1 author:n", "2 fact:peace"]);
    assert_eq!(a.author_numbers.get("n"), Some(&1));
}

#[test]
fn a_footnote_right_after_a_term_is_numbered_after_the_term() {
    // The term's reference is placed right after it, so before the author's or the explicit one.
    let kb = kb(KB);
    let brief = brief("The 2020 war[^1] and the Lachin corridor[^peace].\n\n[^1]: A.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        slots(&a, &kb),
        vec![
            "1 fact:second-karabakh-war",
            "2 author:1",
            "3 fact:lachin-corridor",
            "4 fact:peace"
        ]
    );
    assert_eq!(numbers(&a), vec![1, 3, 4]);
}

#[test]
fn author_labels_match_regardless_of_case() {
    // pulldown-cmark resolves `[^Note]` to the `[^note]:` definition, so they are one footnote.
    let kb = kb(KB);
    let brief = brief("One[^Note] and two[^note].\n\n[^note]: The note.\n");
    let a = run(&brief, &kb);
    assert_eq!(slots(&a, &kb), vec!["1 author:note"]);
}

#[test]
fn an_author_footnote_referenced_from_a_heading_is_numbered() {
    // Headings are not scanned for terms, but an author's reference there is still a footnote;
    // unnumbered, it would be printed as the literal text `[^1]`.
    let kb = kb(KB);
    let brief = brief("## Background[^1]\n\nThe 2020 war.\n\n[^1]: Note.\n");
    let a = run(&brief, &kb);
    assert_eq!(
        slots(&a, &kb),
        vec!["1 author:1", "2 fact:second-karabakh-war"]
    );
}

#[test]
fn an_unknown_citation_is_an_error_at_its_place() {
    let kb = kb(KB);
    let brief = brief("Fine.\nSee [^nope] here.\n");
    assert_eq!(
        report(annotate(&brief, &kb, options(12))),
        "content/briefs/x.md:6:5: error: `[^nope]` names no footnote in this brief and no fact in the knowledge file\n  |\n6 | See [^nope] here.\n  |     ^^^^^^^\n"
    );
}

#[test]
fn every_unknown_citation_is_reported() {
    let kb = kb(KB);
    let brief = brief("[^nope] and [^peace] and [^nada].\n\n> Also [^zilch].\n");
    assert_eq!(
        report(annotate(&brief, &kb, options(12))),
        "\
content/briefs/x.md:5:1: error: `[^nope]` names no footnote in this brief and no fact in the knowledge file
  |
5 | [^nope] and [^peace] and [^nada].
  | ^^^^^^^
content/briefs/x.md:5:26: error: `[^nada]` names no footnote in this brief and no fact in the knowledge file
  |
5 | [^nope] and [^peace] and [^nada].
  |                          ^^^^^^^
content/briefs/x.md:7:8: error: `[^zilch]` names no footnote in this brief and no fact in the knowledge file
  |
7 | > Also [^zilch].
  |        ^^^^^^^^
3 errors
"
    );
}

#[test]
fn a_term_inside_a_citation_label_is_not_a_mention() {
    let kb = kb(
        "entries:\n  - id: second-karabakh-war\n    title: War\n    terms: [war]\n  - id: karabakh\n    title: Karabakh\n    terms: [karabakh]\n",
    );
    let brief = brief("See [^second-karabakh-war].\n");
    let a = run(&brief, &kb);
    assert_eq!(
        mentions(&a, &kb),
        vec![m(
            "second-karabakh-war",
            "[^second-karabakh-war]",
            Outcome::ExplicitCitation
        )]
    );
    assert_eq!(slots(&a, &kb), vec!["1 fact:second-karabakh-war"]);
}

#[test]
fn mention_spans_point_into_the_file() {
    let kb = kb(KB);
    // Front matter is four lines here and five below: body line 1 is file line 5, then 6.
    let body = "Intro.\n\nErdoğan's 2020 war, and *the* Lachin corridor.\n";
    for (extra, line) in [("", 7), ("author: AFP\n", 8)] {
        let brief = brief_with(extra, body);
        let a = run(&brief, &kb);
        let spans: Vec<(usize, usize, usize)> = a
            .mentions
            .iter()
            .map(|x| {
                let span = x.span(&brief.source);
                (span.line, span.col, span.len)
            })
            .collect();
        // Columns count characters: `Erdoğan’s ` is ten of them.
        assert_eq!(spans, vec![(line, 11, 8), (line, 31, 15)], "{extra:?}");
        assert!(
            a.mentions
                .iter()
                .all(|x| x.span(&brief.source).path.to_str() == Some("content/briefs/x.md"))
        );
    }
}

#[test]
fn greek_final_sigma_matches_in_either_case() {
    let kb = kb("entries:\n  - id: odos\n    title: Odos\n    terms: [\"ΟΔΟΣ\"]\n");
    for body in ["Η ΟΔΟΣ.\n", "Η οδος.\n"] {
        let brief = brief(body);
        let a = run(&brief, &kb);
        assert_eq!(a.mentions.len(), 1, "{body}");
    }
}

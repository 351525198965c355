//! Tests of the Markdown stage: one insta snapshot per behaviour of the body and footnote HTML,
//! plus exact checks of the markup design.md fixes.

use std::fmt::Write;

use super::{RenderOptions, RenderedFootnote, render_brief, render_markdown};
use crate::annotate::{AnnotateOptions, annotate, markdown_options};
use crate::content::parse_brief;
use crate::error::SourceText;
use crate::highlight::Highlighter;
use crate::knowledge::{KnowledgeBase, parse};
use crate::links::LinkMap;

const KB: &str = "\
entries:
  - id: second-karabakh-war
    title: Second Nagorno-Karabakh War
    terms: [\"2020 war\", \"44-day war\"]
    note: Six weeks of fighting.
    since: 2020-09-27
  - id: peace
    title: Peace talks
    terms: [\"peace talks\"]
";

/// What a test looks at in a rendered brief, owned so the fixtures can be dropped.
struct Rendered {
    body_html: String,
    footnotes: Vec<RenderedFootnote>,
    word_count: usize,
    knowledge: KnowledgeBase,
}

impl Rendered {
    /// The body HTML, then one line per footnote, for snapshots.
    fn show(&self) -> String {
        let mut out = self.body_html.clone();
        out.push_str("--- footnotes\n");
        for footnote in &self.footnotes {
            match footnote {
                RenderedFootnote::Author { number, html } => {
                    let _ = write!(out, "{number} author: {html}");
                    if !html.ends_with('\n') {
                        out.push('\n');
                    }
                }
                RenderedFootnote::Fact { number, fact } => {
                    let _ = writeln!(out, "{number} fact: {}", self.knowledge.facts[*fact].id);
                }
            }
        }
        out
    }
}

fn render_with(body: &str, unsafe_html: bool) -> Rendered {
    let knowledge = parse(SourceText::new("content/knowledge.yaml", KB)).expect("test knowledge");
    let brief = parse_brief(SourceText::new(
        "content/briefs/x.md",
        format!("---\ntitle: T\ndate: 2022-08-04\n---\n{body}"),
    ))
    .expect("test brief");
    let markdown = markdown_options(true);
    let annotated = annotate(
        &brief,
        &knowledge,
        AnnotateOptions {
            max_per_brief: 12,
            markdown,
        },
    )
    .expect("annotates");
    let highlighter = Highlighter::new();
    let rendered = render_brief(
        &annotated,
        RenderOptions {
            markdown,
            unsafe_html,
            highlighter: &highlighter,
            links: &links(),
        },
    );
    Rendered {
        body_html: rendered.body_html.as_str().to_string(),
        footnotes: rendered.footnotes,
        word_count: rendered.word_count,
        knowledge,
    }
}

/// A site under a subpath with one other brief to link to.
fn links() -> LinkMap {
    LinkMap::new(
        "/repo/",
        vec![("briefs/other.md".into(), "/repo/briefs/other/".into())],
        Vec::new(),
    )
}

#[test]
fn internal_and_root_links_are_resolved_under_the_base_path() {
    let out = render(
        "See [the other brief](@/briefs/other.md#fn-1), ![map](/static/map.png) and \
         [a site](https://example.org/x) and [a note](#fn-1).\n",
    );
    assert!(
        out.body_html
            .contains(r##"<a href="/repo/briefs/other/#fn-1">the other brief</a>"##)
    );
    assert!(
        out.body_html
            .contains(r#"<img src="/repo/static/map.png" alt="map" />"#)
    );
    assert!(
        out.body_html
            .contains(r#"<a href="https://example.org/x">a site</a>"#)
    );
    assert!(out.body_html.contains(r##"<a href="#fn-1">a note</a>"##));
}

fn render(body: &str) -> Rendered {
    render_with(body, false)
}

fn note(text: &str) -> String {
    let highlighter = Highlighter::new();
    render_markdown(
        text,
        RenderOptions {
            markdown: markdown_options(true),
            unsafe_html: false,
            highlighter: &highlighter,
            links: &links(),
        },
    )
}

#[test]
fn knowledge_reference_follows_the_term() {
    let out = render("Turkey backed Azerbaijan in the 2020 war, decisively.\n");
    assert!(
        out.body_html.contains(
            "the 2020 war<sup class=\"fn-ref\" id=\"fnref-1\"><a href=\"#fn-1\" role=\"doc-noteref\">1</a></sup>, decisively"
        ),
        "{}",
        out.body_html
    );
    insta::assert_snapshot!(out.show());
}

#[test]
fn reference_after_a_term_split_across_lines_and_quotes() {
    let out = render("Erdoğan's support in the 2020\nwar's final days.\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn explicit_citation_is_replaced_by_a_reference() {
    let out = render("Background: [^peace]. The talks stalled.\n");
    assert!(!out.body_html.contains("[^"), "{}", out.body_html);
    insta::assert_snapshot!(out.show());
}

#[test]
fn citation_of_an_already_cited_fact_gets_a_distinct_id() {
    let out = render("The 2020 war ended. See [^second-karabakh-war].\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn author_footnotes_are_lifted_out_of_the_body() {
    let out = render(
        "Moscow urged restraint[^1] after the 2020 war.\n\n[^1]: In a *statement* on 4 August.\n\nClosing line.\n",
    );
    assert!(!out.body_html.contains("statement"), "{}", out.body_html);
    assert!(
        out.body_html.contains("<p>Closing line.</p>"),
        "{}",
        out.body_html
    );
    insta::assert_snapshot!(out.show());
}

#[test]
fn author_and_fact_footnotes_share_one_numbering() {
    let out =
        render("A[^1] then 2020 war then [^peace] then B[^note].\n\n[^1]: One.\n\n[^note]: Two.\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn second_reference_to_a_footnote_gets_a_distinct_id() {
    let out = render("First[^n], and again[^n].\n\n[^n]: Shared note.\n");
    assert!(
        out.body_html.contains("id=\"fnref-1-2\""),
        "{}",
        out.body_html
    );
    insta::assert_snapshot!(out.show());
}

#[test]
fn footnote_references_right_after_a_term_keep_document_order() {
    let out = render("The 2020 war[^1] and peace talks[^peace].\n\n[^1]: Author note.\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn author_labels_match_their_definition_regardless_of_case() {
    let out = render("One[^Note] and two[^note].\n\n[^note]: The note.\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn author_footnote_in_a_heading() {
    let out = render("## Background[^1]\n\nText.\n\n[^1]: Heading note.\n");
    insta::assert_snapshot!(out.show());
}

#[test]
fn tables() {
    let out =
        render("| Side | Losses |\n| :--- | ---: |\n| Armenia | 3,825 |\n| Azerbaijan | 2,906 |\n");
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn strikethrough() {
    let out = render("The ~~ceasefire~~ truce held.\n");
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn task_lists() {
    let out = render("- [x] Ceasefire signed\n- [ ] Border demarcated\n");
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn smart_punctuation() {
    let out = render("\"Restraint,\" Moscow said -- it's the 'second' call --- so far...\n");
    insta::assert_snapshot!(out.body_html);
}

const RAW_HTML: &str = "<script>alert(1)</script>\n\nA <b onclick=x>bold</b> claim.\n";

#[test]
fn raw_html_is_dropped_by_default() {
    let out = render_with(RAW_HTML, false);
    assert!(!out.body_html.contains("<script"), "{}", out.body_html);
    assert!(!out.body_html.contains("onclick"), "{}", out.body_html);
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn raw_html_is_kept_when_unsafe_html_is_on() {
    let out = render_with(RAW_HTML, true);
    assert!(
        out.body_html.contains("<script>alert(1)</script>"),
        "{}",
        out.body_html
    );
    assert!(
        out.body_html.contains("<b onclick=x>bold</b>"),
        "{}",
        out.body_html
    );
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let out = render("Before.\n\n```rust\nfn main() { let war = \"2020 war\"; }\n```\n");
    assert!(
        out.body_html
            .contains("<pre class=\"code\" data-lang=\"rust\">"),
        "{}",
        out.body_html
    );
    assert!(out.body_html.contains("class=\"hl-"), "{}", out.body_html);
    assert!(out.footnotes.is_empty());
    insta::assert_snapshot!(out.body_html);
}

#[test]
fn word_count_counts_words_of_prose() {
    assert_eq!(render("One two three.\n").word_count, 3);
    // Smart quotes, entities and soft breaks split text events, not words.
    assert_eq!(
        render("Turkey's role in AT&amp;T's \"deal\"\nwas small.\n").word_count,
        7
    );
    // Two paragraphs: the last word of one and the first of the next are two words.
    assert_eq!(render("One\n\ntwo\n").word_count, 2);
}

#[test]
fn note_rendered_as_markdown() {
    let html = note(
        "Six weeks of *fighting* from 27 September 2020 -- Russia's \"brokered\" truce.\n\n- Armenia ceded land\n- <i>raw</i> dropped\n",
    );
    insta::assert_snapshot!(html);
}

#[test]
fn issue_9_script_links_and_images_are_neutralised() {
    let body = "[a](javascript:alert(1)) [b](<JAVA\tSCRIPT:alert(2)>) [c](&#106;avascript:alert(3)) \
                <javascript:alert(4)> ![i](javascript:alert(5)) [d](data:text/html,x) \
                ![ok](data:image/png;base64,AA) [ok](https://e.org/)\n\n[^1]\n\n[^1]: [e](vbscript:x)\n";
    for unsafe_html in [false, true] {
        let out = render_with(body, unsafe_html);
        let all = out.show();
        let urls: Vec<&str> = all
            .split(" href=\"")
            .skip(1)
            .chain(all.split(" src=\"").skip(1))
            .map(|rest| &rest[..rest.find('"').unwrap_or(rest.len())])
            .collect();
        for url in &urls {
            assert!(
                ["#", "https://e.org/", "data:image/png;base64,AA"].contains(url)
                    || url.starts_with("#fn"),
                "{url} in {all}"
            );
        }
        assert!(all.contains("src=\"data:image/png;base64,AA\""), "{all}");
        assert!(all.contains("href=\"https://e.org/\""), "{all}");
        assert!(all.contains("<a href=\"#\">a</a>"), "{all}");
    }
}

#[test]
fn words_are_counted_as_char_is_whitespace_splits_them() {
    let pieces = [
        "a", "word", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\u{a0}", "\u{2003}", "\u{3000}",
        "\u{85}", "é", "–", "“", "\u{1c}", "ß",
    ];
    let mut seed = 7u64;
    for _ in 0..2_000 {
        let mut text = String::new();
        for _ in 0..(seed % 41) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let expected = text
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .count();
        let (mut in_word, mut split_in_word) = (false, false);
        assert_eq!(
            super::count_words(&text, &mut in_word),
            expected,
            "{text:?}"
        );
        // Counting across two events continues a word split between them.
        let middle = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let split = super::count_words(&text[..middle], &mut split_in_word)
            + super::count_words(&text[middle..], &mut split_in_word);
        assert_eq!(split, expected, "{text:?}");
    }
}

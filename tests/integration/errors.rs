//! The exact text of every error a user can hit, and exit code 1 with nothing written.

use crate::support::{briefing, site_with, stderr};

const KNOWLEDGE: &str =
    "entries:\n  - id: war\n    title: The war\n    terms: [\"2020 war\"]\n    note: Six weeks.\n";

/// Builds a site made of `files` plus a one-fact knowledge file (unless `files` has its own),
/// expects failure, and returns standard error.
fn build_error(files: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = vec![("content/knowledge.yaml", KNOWLEDGE)];
    all.extend_from_slice(files);
    let (_temp, root) = site_with(&all);
    let output = briefing(&root, &["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(
        !root.join("public").exists(),
        "a failed build wrote public/"
    );
    stderr(&output)
}

#[test]
fn yaml_syntax_error_in_front_matter() {
    let brief = "---\ntitle: \"Unclosed\ndate: 2022-01-01\n---\nx\n";
    assert_eq!(
        build_error(&[("content/briefs/a.md", brief)]),
        "content/briefs/a.md:4:1: error: front matter: found unexpected end of stream while scanning a quoted scalar that starts at line 2, column 8\n  |\n4 | ---\n  | ^^^\n"
    );
}

#[test]
fn unknown_front_matter_key() {
    let brief = "---\ntitel: \"X\"\ndate: 2022-01-01\n---\nx\n";
    assert_eq!(
        build_error(&[("content/briefs/a.md", brief)]),
        "content/briefs/a.md:2:1: error: front matter: unknown key `titel` (expected one of: title, date, updated, author, tags, summary, source_url, image, draft, context, slug)\n  |\n2 | titel: \"X\"\n  | ^^^^^\n"
    );
}

#[test]
fn missing_front_matter_key() {
    let brief = "---\ndate: 2022-01-01\n---\nx\n";
    assert_eq!(
        build_error(&[("content/briefs/a.md", brief)]),
        "content/briefs/a.md:2:1: error: front matter: missing required key `title`\n  |\n2 | date: 2022-01-01\n  | ^^^^\n"
    );
}

#[test]
fn missing_front_matter() {
    assert_eq!(
        build_error(&[("content/briefs/a.md", "Just a body\n")]),
        "content/briefs/a.md:1:1: error: expected front matter: a brief starts with a `---` line, then YAML, then `---`\n  |\n1 | Just a body\n  | ^^^\n"
    );
}

#[test]
fn bad_date() {
    let brief = "---\ntitle: X\ndate: 2022-02-30\n---\nx\n";
    assert_eq!(
        build_error(&[("content/briefs/a.md", brief)]),
        "content/briefs/a.md:3:7: error: front matter: invalid date `2022-02-30`, expected a real calendar day written YYYY-MM-DD (optionally with a time: YYYY-MM-DDTHH:MM:SSZ)\n  |\n3 | date: 2022-02-30\n  |       ^^^^^^^^^^\n"
    );
}

#[test]
fn duplicate_fact_id() {
    let knowledge = "entries:\n  - id: war\n    title: A\n  - id: war\n    title: B\n";
    assert_eq!(
        build_error(&[("content/knowledge.yaml", knowledge)]),
        "content/knowledge.yaml:4:5: error: duplicate fact id `war` (first defined on line 2)\n  |\n4 |   - id: war\n  |     ^^\n"
    );
}

#[test]
fn term_shared_by_two_facts() {
    let knowledge = "entries:\n  - id: war\n    title: A\n    terms: [\"2020 war\"]\n  - id: other\n    title: B\n    terms: [\"peace\", \"2020 War\"]\n";
    assert_eq!(
        build_error(&[("content/knowledge.yaml", knowledge)]),
        "content/knowledge.yaml:7:23: error: term `2020 War` is claimed by two facts: `war` and `other`\n  |\n7 |     terms: [\"peace\", \"2020 War\"]\n  |                       ^^^^^^^^\n"
    );
}

#[test]
fn citation_naming_no_fact() {
    let brief = "---\ntitle: X\ndate: 2022-01-01\n---\nFirst line.\n\nThe talks[^nope] and *the [^war] and [^neither]*.\n";
    assert_eq!(
        build_error(&[("content/briefs/a.md", brief)]),
        "content/briefs/a.md:7:10: error: `[^nope]` names no footnote in this brief and no fact in the knowledge file\n  |\n7 | The talks[^nope] and *the [^war] and [^neither]*.\n  |          ^^^^^^^\n\
content/briefs/a.md:7:38: error: `[^neither]` names no footnote in this brief and no fact in the knowledge file\n  |\n7 | The talks[^nope] and *the [^war] and [^neither]*.\n  |                                      ^^^^^^^^^^\n\
2 errors\n"
    );
}

#[test]
fn duplicate_slugs_name_the_first_brief_in_corpus_order() {
    let brief = |slug: &str| format!("---\ntitle: X\ndate: 2022-01-01\n{slug}---\nx\n");
    let report = build_error(&[
        ("content/briefs/c.md", &brief("slug: same\n")),
        ("content/briefs/a.md", &brief("slug: same\n")),
        ("content/briefs/b/same.md", &brief("")),
        ("content/briefs/d.md", &brief("slug: other\n")),
    ]);
    assert_eq!(
        report,
        "content/briefs/b/same.md:1:1: error: duplicate slug `same`: content/briefs/a.md has it too\n  |\n1 | ---\n  | ^^^\n\
content/briefs/c.md:4:1: error: duplicate slug `same`: content/briefs/a.md has it too\n  |\n4 | slug: same\n  | ^^^^\n\
2 errors\n"
    );
}

#[test]
fn errors_in_several_files_are_reported_together_sorted() {
    let report = build_error(&[
        (
            "content/briefs/b.md",
            "---\ntitle: X\ndate: 2022-13-01\n---\nx\n",
        ),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\nfoo: 1\n---\nx\n",
        ),
        (
            "content/knowledge.yaml",
            "entries:\n  - id: Bad_Id\n    title: A\n",
        ),
    ]);
    assert_eq!(
        report,
        "content/briefs/a.md:4:1: error: front matter: unknown key `foo` (expected one of: title, date, updated, author, tags, summary, source_url, image, draft, context, slug)\n  |\n4 | foo: 1\n  | ^^^\n\
content/briefs/b.md:3:7: error: front matter: invalid date `2022-13-01`, expected a real calendar day written YYYY-MM-DD (optionally with a time: YYYY-MM-DDTHH:MM:SSZ)\n  |\n3 | date: 2022-13-01\n  |       ^^^^^^^^^^\n\
content/knowledge.yaml:2:9: error: invalid fact id `Bad_Id`, expected lowercase letters, digits and `-`\n  |\n2 |   - id: Bad_Id\n  |         ^^^^^^\n\
3 errors\n"
    );
}

#[test]
fn site_yaml_type_error() {
    assert_eq!(
        build_error(&[("site.yaml", "title: X\npaginate: ten\n")]),
        "site.yaml:2:11: error: site.yaml: invalid type: string \"ten\", expected a whole number\n  |\n2 | paginate: ten\n  |           ^^^\n"
    );
}

#[test]
fn site_yaml_unknown_key() {
    assert_eq!(
        build_error(&[("site.yaml", "title: X\nbase_ulr: /x/\n")]),
        "site.yaml:2:1: error: site.yaml: unknown key `base_ulr` (expected one of: title, base_url, language, description, theme, knowledge, paginate, footnotes, highlight, markdown, unsafe_html, cname, feed_limit, image, image_alt)\n  |\n2 | base_ulr: /x/\n  | ^^^^^^^^\n"
    );
}

#[test]
fn unknown_theme() {
    assert_eq!(
        build_error(&[("site.yaml", "theme: fancy\n")]),
        "site.yaml:1:1: error: theme `fancy` not found: expected a folder themes/fancy/\n  |\n1 | theme: fancy\n  | ^^^^^\n"
    );
}

#[test]
fn unknown_highlight_theme() {
    let report = build_error(&[("site.yaml", "theme: default\nhighlight:\n  theme: Neon\n")]);
    assert!(
        report
            .starts_with("site.yaml:3:3: error: unknown highlight theme `Neon` (expected one of: "),
        "{report}"
    );
}

#[test]
fn template_syntax_error() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "themes/broken/templates/brief.html",
            "<p>ok</p>\n<p>{% if %}</p>\n",
        ),
    ]);
    assert_eq!(
        report,
        "themes/broken/templates/brief.html:2:10: error: template: Found `%}` but expected one of: integer, float, string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`\n  |\n2 | <p>{% if %}</p>\n  |          ^^\n"
    );
}

#[test]
fn missing_parent_template() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "themes/broken/templates/brief.html",
            "{% extends \"nope.html\" %}\n",
        ),
    ]);
    assert_eq!(
        report,
        "themes/broken/templates/brief.html:1:12: error: template `brief.html` extends `nope.html`, which does not exist\n  |\n1 | {% extends \"nope.html\" %}\n  |            ^^^^^^^^^^^\n"
    );
}

#[test]
fn missing_included_template() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\n---\nx\n",
        ),
        (
            "themes/broken/templates/brief.html",
            "<p>{{ brief.title }}</p>\n{% include \"partials/nope.html\" %}\n",
        ),
    ]);
    assert_eq!(
        report,
        "themes/broken/templates/brief.html:2:12: error: template `partials/nope.html` not found\n  |\n2 | {% include \"partials/nope.html\" %}\n  |            ^^^^^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn template_rendering_error() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\n---\nx\n",
        ),
        (
            "themes/broken/templates/brief.html",
            "<p>{{ brief.no_such_field.deeper }}</p>\n",
        ),
    ]);
    assert_eq!(
        report,
        "themes/broken/templates/brief.html:1:13: error: template: Field `no_such_field` is not defined. Available fields: author, body_html, date, date_human, facts, footnotes, image, next, previous, reading_minutes, slug, source_url, summary, tags, title, updated, url, word_count\n  |\n1 | <p>{{ brief.no_such_field.deeper }}</p>\n  |             ^^^^^^^^^^^^^\n"
    );
}

/// Brief pages are written while the briefs are rendered, the list pages after; one run still
/// reports every template that failed, each place once.
#[test]
fn template_errors_of_brief_and_list_pages_together() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\n---\nx\n",
        ),
        (
            "content/briefs/b.md",
            "---\ntitle: Y\ndate: 2022-01-02\n---\ny\n",
        ),
        (
            "themes/broken/templates/brief.html",
            "<p>{{ brief.nope.x }}</p>\n",
        ),
        (
            "themes/broken/templates/index.html",
            "<p>{{ paginator.nope.x }}</p>\n",
        ),
    ]);
    assert_eq!(
        report,
        "themes/broken/templates/brief.html:1:13: error: template: Field `nope` is not defined. Available fields: author, body_html, date, date_human, facts, footnotes, image, next, previous, reading_minutes, slug, source_url, summary, tags, title, updated, url, word_count\n  |\n1 | <p>{{ brief.nope.x }}</p>\n  |             ^^^^\nthemes/broken/templates/index.html:1:17: error: template: Field `nope` is not defined. Available fields: current, next_url, pages, previous_url, total\n  |\n1 | <p>{{ paginator.nope.x }}</p>\n  |                 ^^^^\n2 errors\n"
    );
}

#[test]
fn card_partial_that_calls_card_html() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\n---\nx\n",
        ),
        (
            "themes/broken/templates/partials/card.html",
            "<p>{{ card.title }}</p>\n{{ card_html(card=card) }}\n",
        ),
    ]);
    assert_eq!(
        report,
        "(default theme)/templates/index.html:16:10: error: template: `partials/card.html` line 2, column 4: `partials/card.html` cannot call `card_html`, which renders it (`card_html` gives it `site`, `card` and `card_heading`, the same for every list the card is on)\n   |\n16 |   <li>{{ card_html(card=card) }}</li>\n   |          ^^^^^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn card_partial_that_reads_the_page() {
    let report = build_error(&[
        ("site.yaml", "theme: broken\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: X\ndate: 2022-01-01\n---\nx\n",
        ),
        (
            "themes/broken/templates/partials/card.html",
            "<p class=\"{{ page.kind }}\">{{ card.title }}</p>\n",
        ),
    ]);
    assert_eq!(
        report,
        "(default theme)/templates/index.html:16:10: error: template: `partials/card.html` line 1, column 14: Variable `page` is not defined. Available variables: card, site (`card_html` gives it `site`, `card` and `card_heading`, the same for every list the card is on)\n   |\n16 |   <li>{{ card_html(card=card) }}</li>\n   |          ^^^^^^^^^^^^^^^^^^^^\n"
    );
}

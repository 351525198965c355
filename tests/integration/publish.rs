//! Publishing under a project subpath: every link, `src`, feed entry and sitemap entry of a
//! built site stays under the base URL's prefix, the feeds parse as Atom and the sitemap keeps
//! the sitemaps.org structure. The HTML and XML are parsed, not grepped.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{briefing, read_tree, stderr, write_files};

const BASE: &str = "https://example.org/sub/";

/// Builds the `basic` fixture (base_url `https://example.org/sub/`) into a temp folder.
fn built_site() -> BTreeMap<String, Vec<u8>> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site");
    // Inside the temp folder: the build keeps its spare copy next to the output folder.
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("public");
    let output = briefing(&fixture, &["build", "--output", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    read_tree(&out)
}

fn text(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(tree[path].clone()).unwrap_or_else(|_| panic!("{path} is UTF-8"))
}

/// Whether a URL found in the site stays inside it: under the prefix, a fragment, or another
/// host altogether (sources, the original report).
fn stays_inside(url: &str) -> bool {
    url.starts_with(BASE)
        || url.starts_with('#')
        || url.starts_with("data:")
        || ((url.starts_with("https://") || url.starts_with("http://"))
            && !url.starts_with("https://example.org/")
            && !url.starts_with("http://example.org/"))
}

#[test]
fn no_link_or_src_escapes_the_base_path() {
    let tree = built_site();
    let mut checked = 0;
    for path in tree.keys().filter(|path| path.ends_with(".html")) {
        let html = scraper::Html::parse_document(&text(&tree, path));
        let selector = scraper::Selector::parse("[href], [src]").unwrap();
        for element in html.select(&selector) {
            for attribute in ["href", "src"] {
                if let Some(url) = element.value().attr(attribute) {
                    assert!(
                        stays_inside(url),
                        "{path}: {attribute}=\"{url}\" leaves {BASE}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    let brief = text(&tree, "briefs/b-before/index.html");
    assert!(brief.contains(r##"<a href="https://example.org/sub/briefs/a-ceasefire/#fn-1">"##));
    assert!(brief.contains(r#"<a href="https://example.org/sub/tags/">"#));
}

#[test]
fn feeds_parse_as_atom_with_entries_under_the_base_path() {
    let tree = built_site();
    let feeds: Vec<&String> = tree.keys().filter(|p| p.ends_with("atom.xml")).collect();
    assert_eq!(
        feeds,
        [
            "atom.xml",
            "tags/armenia/atom.xml",
            "tags/azerbaijan/atom.xml"
        ]
    );
    for path in feeds {
        let feed = feed_rs::parser::parse(tree[path].as_slice())
            .unwrap_or_else(|error| panic!("{path} is not a valid feed: {error}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{path}");
        assert_eq!(feed.id, format!("{BASE}{path}"));
        assert!(feed.updated.is_some() && !feed.authors.is_empty(), "{path}");
        assert!(!feed.entries.is_empty(), "{path}");
        for entry in &feed.entries {
            assert!(entry.id.starts_with(BASE), "{path}: entry id {}", entry.id);
            assert!(entry.updated.is_some() && entry.published.is_some());
            for link in &entry.links {
                assert!(stays_inside(&link.href), "{path}: {}", link.href);
            }
            let content = entry.content.as_ref().and_then(|c| c.body.clone());
            assert!(content.is_some_and(|body| body.contains("<p>")), "{path}");
        }
    }
    let site = feed_rs::parser::parse(tree["atom.xml"].as_slice()).unwrap();
    // Newest first; the draft is left out; `updated` keeps its offset.
    let titles: Vec<String> = site
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Context off, citation on",
            "Ceasefire ends the 44-day war",
            "Talks before the war"
        ]
    );
    let before = site
        .entries
        .iter()
        .find(|e| e.id.ends_with("b-before/"))
        .unwrap();
    assert_eq!(
        before.updated.unwrap().to_rfc3339(),
        "2019-08-07T05:30:00+00:00"
    );
    // The footnotes travel with the entry, their `#fn-N` links resolved against the entry URL.
    let ceasefire = text(&tree, "atom.xml");
    assert!(ceasefire.contains("xml:base=\"https://example.org/sub/briefs/a-ceasefire/\""));
    assert!(
        ceasefire.contains("role=&quot;doc-endnotes&quot;")
            || ceasefire.contains("role=&#x27;doc-endnotes")
    );
}

#[test]
fn sitemap_lists_pages_under_the_base_path_with_lastmod() {
    let tree = built_site();
    let xml = text(&tree, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let root = doc.root_element();
    assert!(root.has_tag_name((ns, "urlset")));
    let mut locs = Vec::new();
    for url in root.children().filter(roxmltree::Node::is_element) {
        assert!(url.has_tag_name((ns, "url")));
        let children: Vec<_> = url.children().filter(roxmltree::Node::is_element).collect();
        assert!(children[0].has_tag_name((ns, "loc")), "loc comes first");
        let loc = children[0].text().unwrap();
        assert!(loc.starts_with(BASE) && loc.len() < 2048, "{loc}");
        for child in &children[1..] {
            assert!(child.has_tag_name((ns, "lastmod")), "only loc and lastmod");
            let date = child.text().unwrap();
            assert!(is_w3c_date(date), "lastmod {date}");
        }
        locs.push(loc.to_string());
    }
    // Every page but the 404 and search pages, each once.
    let pages = tree
        .keys()
        .filter(|p| p.ends_with("index.html") && !p.starts_with("search/"))
        .count();
    assert_eq!(locs.len(), pages);
    assert!(locs.contains(&format!("{BASE}briefs/b-before/")));
    assert!(xml.contains(&format!(
        "<loc>{BASE}briefs/b-before/</loc>\n    <lastmod>2019-08-07</lastmod>"
    )));
    assert_eq!(
        text(&tree, "robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n")
    );
}

fn is_w3c_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

#[test]
fn search_index_lists_briefs_and_facts_relative_to_the_base() {
    let tree = built_site();
    let index: serde_json::Value = serde_json::from_slice(&tree["search-index.json"]).unwrap();
    let urls: Vec<&str> = index["briefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["u"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"briefs/b-before/"));
    assert!(
        index["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["u"] == "context/peacekeepers/")
    );
}

#[test]
fn a_link_to_a_missing_or_draft_brief_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.yaml", "title: T\n"),
            (
                "content/briefs/a.md",
                "---\ntitle: A\ndate: 2022-01-01\n---\nSee [b](@/briefs/b.md) and\n[the draft](@/briefs/d.md#x).\n",
            ),
            (
                "content/briefs/d.md",
                "---\ntitle: D\ndate: 2022-01-02\ndraft: true\n---\nDraft.\n",
            ),
        ],
    );
    let output = briefing(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "content/briefs/a.md:5:5: error: link to `@/briefs/b.md`, which is not a brief (expected `@/briefs/<file>.md`, a path under content/)\n  |\n5 | See [b](@/briefs/b.md) and\n  |     ^^^^^^^^^^^^^^^^^^\n\
content/briefs/a.md:6:1: error: link to `@/briefs/d.md#x`, a draft this build leaves out (build with --drafts, or publish it)\n  |\n6 | [the draft](@/briefs/d.md#x).\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\
2 errors\n"
    );
    assert!(!dir.path().join("public").exists());
    let output = briefing(dir.path(), &["build", "--drafts"]);
    assert!(output.status.code() == Some(1) && !stderr(&output).contains("draft this build"));
}

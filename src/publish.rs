//! The files that let readers, crawlers and the search box find the site: `sitemap.xml`,
//! `robots.txt` and `search-index.json`, made from the assembled pages.
//!
//! They are written here rather than by theme templates because their formats are fixed by
//! others (sitemaps.org, the robots exclusion protocol) or by the theme's search script, and a
//! theme has nothing to style in them. Nothing here reads a clock: `lastmod` is the newest date
//! an author gave to what the page shows.

use rayon::prelude::*;
use serde::Serialize;

use crate::site::{Page, Urls};
use crate::views::{BriefCard, FactCard, Prepared};

/// Page kinds left out of the sitemap: not pages anyone should land on from a search engine.
const NOT_IN_SITEMAP: [&str; 2] = ["404", "search"];

/// `sitemap.xml`: every brief's page (`briefs` holds their cards, in page order), then every
/// other page but the 404 and search pages, in page order. A brief's page is known by its
/// card, whose URL and date are its page's: a build writes the brief pages before the rest
/// and keeps only their cards.
pub fn sitemap(briefs: &[Prepared<BriefCard>], pages: &[Page]) -> String {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                        <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    const TAIL: &str = "</urlset>\n";
    // Made in parallel runs of pages, then joined: a 100,000-brief sitemap is 27 MB, which
    // one thread took a tenth of a second to write while the other waited.
    const RUN: usize = 4096;
    let briefs = briefs.par_chunks(RUN).map(|run| {
        urls_xml(
            run.iter()
                .map(|card| (card.url.as_str(), Some(card.updated.as_str()))),
        )
    });
    let others = pages.par_chunks(RUN).map(|run| {
        urls_xml(
            run.iter()
                .filter(|page| !NOT_IN_SITEMAP.contains(&page.meta.kind))
                .map(|page| (page.meta.url.as_str(), page.meta.updated.as_deref())),
        )
    });
    let runs: Vec<String> = briefs.chain(others).collect();
    let mut xml = String::with_capacity(
        HEAD.len() + runs.iter().map(String::len).sum::<usize>() + TAIL.len(),
    );
    xml.push_str(HEAD);
    for run in runs {
        xml.push_str(&run);
    }
    xml.push_str(TAIL);
    xml
}

/// The sitemap's `<url>` element of each page (`loc`, and `lastmod` when known).
fn urls_xml<'a>(pages: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut xml = String::new();
    for (url, lastmod) in pages {
        xml.push_str("  <url>\n    <loc>");
        push_escaped_xml(&mut xml, url);
        xml.push_str("</loc>\n");
        if let Some(lastmod) = lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(lastmod);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap is named by its full URL.
pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        urls.asset("sitemap.xml")
    )
}

/// One brief's entry in `search-index.json`: a JSON object with short keys, so that a
/// 10,000-brief index stays small: `t` title, `d` date, `s` summary, `g` tag names, `u` URL
/// relative to `base_url` (so the file works wherever the site is served from). Entries are
/// made once per brief and kept, so a rebuild after one edit remakes one entry, not 10,000.
pub fn search_entry(urls: &Urls, card: &BriefCard) -> String {
    #[derive(Serialize)]
    struct BriefEntry<'a> {
        t: &'a str,
        d: &'a str,
        s: &'a str,
        g: Vec<&'a str>,
        u: &'a str,
    }
    let entry = BriefEntry {
        t: &card.title,
        d: &card.date,
        s: card.summary.as_deref().unwrap_or(""),
        g: card.tags.iter().map(|tag| tag.name.as_str()).collect(),
        u: urls.relative(&card.url),
    };
    serde_json::to_string(&entry).unwrap_or_default()
}

/// `search-index.json`, read by the theme's search script: `{"v":1,"briefs":[…],"facts":[…]}`
/// with the briefs' [`search_entry`]s in order and each fact's title and relative URL.
pub fn search_index(urls: &Urls, entries: &[String], facts: &[FactCard]) -> String {
    #[derive(Serialize)]
    struct FactEntry<'a> {
        t: &'a str,
        u: &'a str,
    }
    let facts: Vec<FactEntry> = facts
        .iter()
        .map(|fact| FactEntry {
            t: &fact.title,
            u: urls.relative(&fact.url),
        })
        .collect();
    let facts = serde_json::to_string(&facts).unwrap_or_default();
    let size = entries.iter().map(|entry| entry.len() + 1).sum::<usize>() + facts.len() + 32;
    let mut json = String::with_capacity(size);
    json.push_str("{\"v\":1,\"briefs\":[");
    for (at, entry) in entries.iter().enumerate() {
        if at > 0 {
            json.push(',');
        }
        json.push_str(entry);
    }
    json.push_str("],\"facts\":");
    json.push_str(&facts);
    json.push_str("}\n");
    json
}

/// Appends `text` to `xml` with XML's five special characters escaped, in one pass: the
/// sitemap escapes the URL of every page of the site.
fn push_escaped_xml(xml: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        xml.push_str(&rest[..at]);
        xml.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[at + 1..];
    }
    xml.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::{push_escaped_xml, robots};
    use crate::site::Urls;

    #[test]
    fn robots_names_the_sitemap_under_the_base_path() {
        assert_eq!(
            robots(&Urls::new("https://u.github.io/repo/")),
            "User-agent: *\nAllow: /\nSitemap: https://u.github.io/repo/sitemap.xml\n"
        );
    }

    #[test]
    fn sitemap_locations_are_escaped() {
        let escaped = |text: &str| {
            let mut xml = String::from("<loc>");
            push_escaped_xml(&mut xml, text);
            xml
        };
        assert_eq!(escaped("a?b=1&c=<2>"), "<loc>a?b=1&amp;c=&lt;2&gt;");
        assert_eq!(escaped("\"it's\""), "<loc>&quot;it&apos;s&quot;");
        assert_eq!(escaped("/plain/"), "<loc>/plain/");
    }
}

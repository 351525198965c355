//! The files that let readers, crawlers and the search box find the site: `sitemap.xml`,
//! `robots.txt` and `search-index.json`, made from the assembled pages.
//!
//! They are written here rather than by theme templates because their formats are fixed by
//! others (sitemaps.org, the robots exclusion protocol) or by the theme's search script, and a
//! theme has nothing to style in them. Nothing here reads a clock: `lastmod` is the newest date
//! an author gave to what the page shows.

use serde::Serialize;

use crate::site::{Page, Urls};
use crate::views::{BriefCard, FactCard};

/// Page kinds left out of the sitemap: not pages anyone should land on from a search engine.
const NOT_IN_SITEMAP: [&str; 2] = ["404", "search"];

/// `sitemap.xml`: every page but the 404 and search pages, in page order.
pub fn sitemap(pages: &[Page]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages
        .iter()
        .filter(|page| !NOT_IN_SITEMAP.contains(&page.meta.kind))
    {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_xml(&page.meta.url));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = &page.meta.updated {
            xml.push_str("    <lastmod>");
            xml.push_str(lastmod);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap is named by its full URL.
pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        urls.asset("sitemap.xml")
    )
}

/// `search-index.json`, read by the theme's search script. Short keys keep a 10,000-brief index
/// small: `t` title, `d` date, `s` summary, `g` tag names, `u` URL relative to `base_url` (so
/// the file works wherever the site is served from).
pub fn search_index(
    urls: &Urls,
    briefs: &[std::sync::Arc<BriefCard>],
    facts: &[FactCard],
) -> String {
    #[derive(Serialize)]
    struct Index<'a> {
        v: u32,
        briefs: Vec<BriefEntry<'a>>,
        facts: Vec<FactEntry<'a>>,
    }
    #[derive(Serialize)]
    struct BriefEntry<'a> {
        t: &'a str,
        d: &'a str,
        s: &'a str,
        g: Vec<&'a str>,
        u: &'a str,
    }
    #[derive(Serialize)]
    struct FactEntry<'a> {
        t: &'a str,
        u: &'a str,
    }
    let index = Index {
        v: 1,
        briefs: briefs
            .iter()
            .map(|card| BriefEntry {
                t: &card.title,
                d: &card.date,
                s: card.summary.as_deref().unwrap_or(""),
                g: card.tags.iter().map(|tag| tag.name.as_str()).collect(),
                u: urls.relative(&card.url),
            })
            .collect(),
        facts: facts
            .iter()
            .map(|fact| FactEntry {
                t: &fact.title,
                u: urls.relative(&fact.url),
            })
            .collect(),
    };
    let mut json = serde_json::to_string(&index).unwrap_or_default();
    json.push('\n');
    json
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::{escape_xml, robots};
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
        assert_eq!(escape_xml("a?b=1&c=<2>"), "a?b=1&amp;c=&lt;2&gt;");
    }
}

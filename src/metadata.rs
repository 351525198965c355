//! What a brief tells machines about itself: OpenGraph and Twitter card values and the
//! schema.org `NewsArticle` JSON-LD, derived from the brief's view.
//!
//! The JSON is written by serde_json, so every string is correctly quoted, then `<`, `>` and `&`
//! are replaced by their `\u` escapes: the result is still the same JSON, and no author text can
//! close the `<script>` element it sits in.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::site::{Page, Urls};
use crate::views::{BriefView, PageMeta};

/// Adds a brief's article metadata to its page metadata.
pub fn brief_meta(
    mut meta: PageMeta,
    brief: &BriefView,
    config: &SiteConfig,
    urls: &Urls,
) -> PageMeta {
    meta.og_type = "article";
    meta.published = Some(brief.card.date.clone());
    if let Some(image) = brief
        .image
        .as_ref()
        .filter(|image| shows_in_cards(&image.src))
    {
        meta.image = Some(image.src.clone());
        meta.image_alt = Some(image.alt.clone());
    }
    meta.json_ld_html = Some(script_safe(&news_article(brief, config, urls)));
    meta
}

/// The schema.org `NewsArticle` of a brief. Fields in the order serde_json writes a map's keys
/// (sorted), so the text is what the `json!` map this replaces gave; written straight from
/// the struct, without building that map for every brief.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Named<'a>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Named<'a>,
}

/// A `Person` or `Organization` by name.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

fn news_article<'a>(brief: &'a BriefView, config: &'a SiteConfig, urls: &Urls) -> NewsArticle<'a> {
    let organization = Named {
        kind: "Organization",
        name: &config.title,
    };
    let author = match &brief.card.author {
        Some(author) => Named {
            kind: "Person",
            name: author,
        },
        None => Named {
            kind: "Organization",
            name: &config.title,
        },
    };
    // Search engines read SVG too, so the brief's own image wins whatever its format.
    let image = match &brief.image {
        Some(image) => Some(image.src.clone()),
        None => site_image(config).map(|src| urls.asset(src)),
    };
    let keywords = (!brief.card.tags.is_empty()).then(|| {
        let names: Vec<&str> = brief.card.tags.iter().map(|t| t.name.as_str()).collect();
        names.join(", ")
    });
    NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        author,
        date_published: &brief.card.date,
        description: brief.card.summary.as_deref(),
        headline: &brief.card.title,
        image: image.map(|image| [image]),
        keywords,
        main_entity_of_page: &brief.card.url,
        publisher: organization,
    }
}

/// Gives every page without a card image of its own the site's `image`, if one is set.
pub fn default_images(config: &SiteConfig, urls: &Urls, pages: &mut [Page]) {
    let Some(src) = site_image(config) else {
        return;
    };
    let url = urls.asset(src);
    for page in pages.iter_mut().filter(|page| page.meta.image.is_none()) {
        page.meta.image = Some(url.clone());
        page.meta.image_alt = Some(config.image_alt.clone()).filter(|alt| !alt.is_empty());
    }
}

fn site_image(config: &SiteConfig) -> Option<&str> {
    Some(config.image.as_str()).filter(|src| !src.is_empty())
}

/// Whether link previews (OpenGraph, Twitter cards) can show this image: raster formats only.
fn shows_in_cards(src: &str) -> bool {
    let path = src
        .split(['?', '#'])
        .next()
        .unwrap_or(src)
        .to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// JSON text that can sit inside a `<script>` element unchanged: `<`, `>` and `&` written as
/// their `\u` escapes, which JSON reads as the same characters.
fn script_safe(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    // By byte and by slice: the three are ASCII, so no character is split, and pushing the
    // 900 bytes of a brief's JSON-LD a character at a time was 1% of a build's CPU.
    let mut safe = String::with_capacity(json.len());
    let mut copied = 0;
    for (at, byte) in json.bytes().enumerate() {
        let escape = match byte {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        safe.push_str(&json[copied..at]);
        safe.push_str(escape);
        copied = at + 1;
    }
    safe.push_str(&json[copied..]);
    safe
}

#[cfg(test)]
mod tests {
    use super::{script_safe, shows_in_cards};
    use serde_json::json;

    #[test]
    fn link_previews_get_raster_images_only() {
        assert!(shows_in_cards("https://example.org/a/photo.JPG?w=1200"));
        assert!(shows_in_cards("/static/card.webp"));
        assert!(!shows_in_cards("/static/timeline.svg"));
        assert!(!shows_in_cards("/static/timeline.svg#png"));
    }

    #[test]
    fn script_closing_text_cannot_escape_the_element() {
        let text = script_safe(&json!({ "headline": "</script><script>alert(1)</script> & co" }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & co");
    }
}

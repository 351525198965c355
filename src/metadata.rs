//! What a brief tells machines about itself: OpenGraph and Twitter card values and the
//! schema.org `NewsArticle` JSON-LD, derived from the brief's view.
//!
//! The JSON is written by serde_json, so every string is correctly quoted, then `<`, `>` and `&`
//! are replaced by their `\u` escapes: the result is still the same JSON, and no author text can
//! close the `<script>` element it sits in.

use serde_json::{Value, json};

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

fn news_article(brief: &BriefView, config: &SiteConfig, urls: &Urls) -> Value {
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.card.title,
        "datePublished": brief.card.date,
        "mainEntityOfPage": brief.card.url,
        "publisher": { "@type": "Organization", "name": config.title },
    });
    if let Some(author) = &brief.card.author {
        article["author"] = json!({ "@type": "Person", "name": author });
    } else {
        article["author"] = json!({ "@type": "Organization", "name": config.title });
    }
    if let Some(summary) = &brief.card.summary {
        article["description"] = json!(summary);
    }
    // Search engines read SVG too, so the brief's own image wins whatever its format.
    let image = match &brief.image {
        Some(image) => Some(image.src.clone()),
        None => site_image(config).map(|src| urls.asset(src)),
    };
    if let Some(image) = image {
        article["image"] = json!([image]);
    }
    if !brief.card.tags.is_empty() {
        let keywords: Vec<&str> = brief.card.tags.iter().map(|t| t.name.as_str()).collect();
        article["keywords"] = json!(keywords.join(", "));
    }
    article
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

/// JSON text that can sit inside a `<script>` element unchanged.
fn script_safe(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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

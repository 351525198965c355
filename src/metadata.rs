//! What a brief tells machines about itself: OpenGraph and Twitter card values and the
//! schema.org `NewsArticle` JSON-LD, derived from the brief's view.
//!
//! The JSON is written by serde_json, so every string is correctly quoted, then `<`, `>` and `&`
//! are replaced by their `\u` escapes: the result is still the same JSON, and no author text can
//! close the `<script>` element it sits in.

use serde_json::{Value, json};

use crate::config::SiteConfig;
use crate::views::{BriefView, PageMeta};

/// Adds a brief's article metadata to its page metadata.
pub fn brief_meta(mut meta: PageMeta, brief: &BriefView, config: &SiteConfig) -> PageMeta {
    meta.og_type = "article";
    meta.published = Some(brief.card.date.clone());
    meta.image = brief.image.as_ref().map(|image| image.src.clone());
    meta.image_alt = brief.image.as_ref().map(|image| image.alt.clone());
    meta.json_ld_html = Some(script_safe(&news_article(brief, config)));
    meta
}

fn news_article(brief: &BriefView, config: &SiteConfig) -> Value {
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
    if let Some(image) = &brief.image {
        article["image"] = json!([image.src]);
    }
    if !brief.card.tags.is_empty() {
        let keywords: Vec<&str> = brief.card.tags.iter().map(|t| t.name.as_str()).collect();
        article["keywords"] = json!(keywords.join(", "));
    }
    article
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
    use super::script_safe;
    use serde_json::json;

    #[test]
    fn script_closing_text_cannot_escape_the_element() {
        let text = script_safe(&json!({ "headline": "</script><script>alert(1)</script> & co" }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & co");
    }
}

//! Atom feeds: the site's newest briefs in `atom.xml`, and each tag's in `tags/<tag>/atom.xml`.
//!
//! This stage only decides what each feed holds (newest first, capped by `feed_limit`) and its
//! dates; the XML comes from the theme's `atom.xml` template, and each entry's content (body
//! plus footnotes, so feed readers get the context too) from its `feed_entry.html`, rendered
//! by the templates stage. Every date is the author's, never the build's: a feed with no
//! entries says it was updated at the Unix epoch, so output stays deterministic.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::{Brief, FrontMatter};
use crate::site::{ByTag, Urls};
use crate::views::BriefCard;

/// One feed file to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// Output path, `atom.xml` or `tags/<slug>/atom.xml`.
    pub path: String,
    pub view: FeedView,
    /// For each entry, in order, the index of its brief's page in `Site::pages`, whose context
    /// renders the entry's content.
    pub entry_pages: Vec<usize>,
}

/// What `atom.xml` receives as `feed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedView {
    pub title: String,
    pub subtitle: String,
    /// The feed's own URL: its `rel="self"` link and its Atom id.
    pub url: String,
    /// The page the feed mirrors (home or tag page), its `rel="alternate"` link.
    pub page_url: String,
    /// RFC 3339: the newest `updated` among its entries.
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    /// RFC 3339 `date` and `updated` (the date again when the brief has no `updated`).
    pub published: String,
    pub updated: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// Filled by the templates stage from `feed_entry.html`; HTML that Tera escapes into the
    /// XML, as `<content type="html">` requires.
    pub content_html: String,
}

/// Feeds for the site and each tag. `newest_first[i]` is the brief on page `i` of the site;
/// `by_tag` gives each tag's name and the positions of its briefs, ascending.
pub(crate) fn build(
    config: &SiteConfig,
    urls: &Urls,
    newest_first: &[&Brief],
    cards: &[crate::views::Prepared<BriefCard>],
    by_tag: &ByTag,
) -> Vec<Feed> {
    let limit = if config.feed_limit == 0 {
        usize::MAX
    } else {
        config.feed_limit
    };
    let everything: Vec<usize> = (0..newest_first.len()).take(limit).collect();
    let mut feeds = vec![feed(
        FeedHead {
            title: config.title.clone(),
            subtitle: config.description.clone(),
            path: "atom.xml".into(),
            page_url: urls.home(),
        },
        urls,
        newest_first,
        cards,
        &everything,
    )];

    for (slug, (name, positions)) in by_tag {
        let positions = &positions[..positions.len().min(limit)];
        feeds.push(feed(
            FeedHead {
                title: format!("{}: {name}", config.title),
                subtitle: format!("Briefs tagged “{name}”"),
                path: format!("tags/{slug}/atom.xml"),
                page_url: urls.tag(slug),
            },
            urls,
            newest_first,
            cards,
            positions,
        ));
    }
    feeds
}

/// A brief's entry in a feed, its content left for the templates stage to fill.
pub fn entry(meta: &FrontMatter, card: &BriefCard) -> FeedEntry {
    FeedEntry {
        title: card.title.clone(),
        url: card.url.clone(),
        published: meta.date.rfc3339(),
        updated: meta.updated.unwrap_or(meta.date).rfc3339(),
        author: card.author.clone(),
        summary: card.summary.clone(),
        tags: card.tags.iter().map(|tag| tag.name.clone()).collect(),
        content_html: String::new(),
    }
}

struct FeedHead {
    title: String,
    subtitle: String,
    path: String,
    page_url: String,
}

fn feed(
    head: FeedHead,
    urls: &Urls,
    newest_first: &[&Brief],
    cards: &[crate::views::Prepared<BriefCard>],
    positions: &[usize],
) -> Feed {
    let entries: Vec<FeedEntry> = positions
        .iter()
        .map(|&position| entry(&newest_first[position].meta, &cards[position]))
        .collect();
    let updated = positions
        .iter()
        .map(|&position| {
            let meta = &newest_first[position].meta;
            meta.updated.unwrap_or(meta.date)
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |date| date.rfc3339());
    Feed {
        view: FeedView {
            title: head.title,
            subtitle: head.subtitle,
            url: urls.asset(&head.path),
            page_url: head.page_url,
            updated,
            entries,
        },
        path: head.path,
        entry_pages: positions.to_vec(),
    }
}

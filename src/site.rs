//! Assembling the site: rendered briefs + knowledge → [`Site`], the list of pages to render.
//!
//! Steps: order briefs newest first, turn each into its view (with previous/next links and its
//! footnotes' notes and sources), paginate the index, gather tags, and invert citations into
//! each fact's list of citing briefs. Everything is sorted explicitly so output order never
//! depends on hashing or thread timing. This stage decides every URL (through [`Urls`]) and owns
//! no HTML beyond the Markdown already rendered.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::Brief;
use crate::date::Date;
use crate::feeds::{self, Feed};
use crate::knowledge::{Fact, KnowledgeBase, Source};
use crate::markdown::{RenderedBrief, RenderedFootnote};
use crate::metadata;
use crate::publish;
use crate::views::{
    BriefCard, BriefView, FactCard, FactLink, FactView, FootnoteView, ImageView, PageData,
    PageLink, PageMeta, Paginator, SiteView, SourceView, TagLink, TagView, WindowView,
};

/// Words per minute for the reading-time estimate: a common figure for news prose on screen.
const WORDS_PER_MINUTE: usize = 200;

/// One page to render: where it goes, with which template, and its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Output path relative to the output folder, `/`-separated, ending in `.html`.
    pub path: String,
    pub template: &'static str,
    pub meta: PageMeta,
    pub data: PageData,
}

/// Every page of the site plus the values shared by all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub view: SiteView,
    pub pages: Vec<Page>,
    /// Atom feeds, rendered after the pages because each entry reuses its brief's context.
    pub feeds: Vec<Feed>,
    /// Files made without templates (`sitemap.xml`, `robots.txt`, `search-index.json`):
    /// `(output path, content)`.
    pub files: Vec<(String, String)>,
}

/// Builds every URL of the site from the base URL, so the path prefix is never forgotten.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// `base` must end with `/` (the config loader guarantees it).
    pub fn new(base: &str) -> Urls {
        Urls {
            base: base.to_string(),
        }
    }

    pub fn home(&self) -> String {
        self.base.clone()
    }

    pub fn brief(&self, slug: &str) -> String {
        format!("{}briefs/{slug}/", self.base)
    }

    pub fn fact(&self, id: &str) -> String {
        format!("{}context/{id}/", self.base)
    }

    pub fn facts(&self) -> String {
        format!("{}context/", self.base)
    }

    pub fn tag(&self, slug: &str) -> String {
        format!("{}tags/{slug}/", self.base)
    }

    pub fn tags(&self) -> String {
        format!("{}tags/", self.base)
    }

    pub fn index_page(&self, number: usize) -> String {
        if number == 1 {
            self.home()
        } else {
            format!("{}page/{number}/", self.base)
        }
    }

    pub fn static_dir(&self) -> String {
        format!("{}static/", self.base)
    }

    /// `url` without the base prefix, for files that must work wherever the site is served.
    pub fn relative<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }

    /// An author-given path or URL: absolute http(s) URLs stay, paths are put under the base.
    pub fn asset(&self, src: &str) -> String {
        if crate::content::is_web_url(src) {
            src.to_string()
        } else {
            format!("{}{}", self.base, src.trim_start_matches('/'))
        }
    }
}

/// Assembles the site. `briefs` may be in any order; `notes_html[i]` is fact `i`'s rendered note.
pub fn assemble(
    config: &SiteConfig,
    knowledge: &KnowledgeBase,
    notes_html: &[Arc<str>],
    briefs: &[RenderedBrief],
) -> Site {
    let urls = Urls::new(&config.base_url);
    let mut order: Vec<&RenderedBrief> = briefs.iter().collect();
    order.sort_by(|a, b| {
        (b.brief.meta.date, &a.brief.slug).cmp(&(a.brief.meta.date, &b.brief.slug))
    });
    let cards: Vec<Arc<BriefCard>> = order
        .iter()
        .map(|r| Arc::new(card(&urls, r.brief)))
        .collect();
    let mut pages = Vec::new();

    for (position, rendered) in order.iter().enumerate() {
        let previous = cards.get(position + 1).cloned();
        let next = position.checked_sub(1).map(|p| cards[p].clone());
        let view = brief_view(
            &urls,
            knowledge,
            notes_html,
            rendered,
            &cards[position],
            previous,
            next,
        );
        pages.push(Page {
            path: format!("briefs/{}/index.html", rendered.brief.slug),
            template: "brief.html",
            meta: metadata::brief_meta(
                meta(
                    &rendered.brief.meta.title,
                    rendered
                        .brief
                        .meta
                        .summary
                        .as_deref()
                        .unwrap_or(&config.description),
                    view.card.url.clone(),
                    "brief",
                )
                .updated(Some(view.card.updated.clone())),
                &view,
                config,
                &urls,
            ),
            data: PageData::Brief {
                brief: Box::new(view),
            },
        });
    }

    index_pages(config, &urls, &cards, &mut pages);
    let facts = fact_pages(&urls, knowledge, notes_html, &order, &cards, &mut pages);
    tag_pages(&urls, &order, &cards, &mut pages);
    pages.push(Page {
        path: "404.html".into(),
        template: "404.html",
        meta: meta(
            "Page not found",
            &config.description,
            urls.asset("404.html"),
            "404",
        ),
        data: PageData::NotFound {},
    });

    pages.push(Page {
        path: "search/index.html".into(),
        template: "search.html",
        meta: meta(
            "Search",
            &config.description,
            urls.asset("search/"),
            "search",
        ),
        data: PageData::Search {},
    });
    metadata::default_images(config, &urls, &mut pages);
    let feeds = feeds::build(config, &urls, &order, &cards);
    let files = vec![
        ("sitemap.xml".to_string(), publish::sitemap(&pages)),
        ("robots.txt".to_string(), publish::robots(&urls)),
        (
            "search-index.json".to_string(),
            publish::search_index(&urls, &cards, &facts),
        ),
    ];
    Site {
        view: SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.base_url.clone(),
            footnote_heading: config.footnotes.heading.clone(),
            static_url: urls.static_dir(),
            generator: format!("briefing {}", env!("CARGO_PKG_VERSION")),
        },
        pages,
        feeds,
        files,
    }
}

/// The newest `updated` date among `cards`, for a listing's sitemap `lastmod`.
fn newest(cards: &[Arc<BriefCard>]) -> Option<String> {
    cards.iter().map(|card| card.updated.clone()).max()
}

fn meta(title: &str, description: &str, url: String, kind: &'static str) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        url,
        kind,
        og_type: "website",
        image: None,
        image_alt: None,
        published: None,
        updated: None,
        json_ld_html: None,
    }
}

fn card(urls: &Urls, brief: &Brief) -> BriefCard {
    BriefCard {
        slug: brief.slug.clone(),
        url: urls.brief(&brief.slug),
        title: brief.meta.title.clone(),
        date: brief.meta.date.iso(),
        date_human: brief.meta.date.human(),
        updated: brief.meta.updated.unwrap_or(brief.meta.date).iso(),
        author: brief.meta.author.clone(),
        summary: brief.meta.summary.clone(),
        tags: brief
            .tags
            .iter()
            .map(|(slug, name)| TagLink {
                name: name.clone(),
                slug: slug.clone(),
                url: urls.tag(slug),
            })
            .collect(),
    }
}

fn fact_link(urls: &Urls, fact: &Fact) -> FactLink {
    FactLink {
        id: fact.id.clone(),
        title: fact.title.clone(),
        url: urls.fact(&fact.id),
    }
}

fn source_views(sources: &[Source]) -> Vec<SourceView> {
    sources
        .iter()
        .map(|source| SourceView {
            title: source.title.clone(),
            url: source.url.clone(),
            publisher: source.publisher.clone(),
            date: source.date.map(Date::iso),
            date_human: source.date.map(Date::human),
        })
        .collect()
}

fn window(fact: &Fact) -> WindowView {
    let text = match (fact.since, fact.until) {
        (Some(since), Some(until)) => format!("from {} to {}", since.human(), until.human()),
        (Some(since), None) => format!("since {}", since.human()),
        (None, Some(until)) => format!("until {}", until.human()),
        (None, None) => String::new(),
    };
    WindowView {
        since: fact.since.map(Date::iso),
        until: fact.until.map(Date::iso),
        text,
    }
}

fn brief_view(
    urls: &Urls,
    knowledge: &KnowledgeBase,
    notes_html: &[Arc<str>],
    rendered: &RenderedBrief,
    card: &Arc<BriefCard>,
    previous: Option<Arc<BriefCard>>,
    next: Option<Arc<BriefCard>>,
) -> BriefView {
    let brief = rendered.brief;
    let footnotes = rendered
        .footnotes
        .iter()
        .map(|footnote| match footnote {
            RenderedFootnote::Author { number, html } => FootnoteView {
                number: *number,
                fact: None,
                note_html: html.as_str().into(),
                sources: Vec::new(),
            },
            RenderedFootnote::Fact { number, fact } => FootnoteView {
                number: *number,
                fact: Some(fact_link(urls, &knowledge.facts[*fact])),
                note_html: notes_html[*fact].clone(),
                sources: source_views(&knowledge.facts[*fact].sources),
            },
        })
        .collect();
    BriefView {
        card: card.clone(),
        source_url: brief.meta.source_url.clone(),
        image: brief.meta.image.as_ref().map(|image| ImageView {
            src: urls.asset(&image.src),
            alt: image.alt.clone(),
            caption: image.caption.clone(),
        }),
        body_html: rendered.body_html.clone(),
        footnotes,
        facts: rendered
            .facts()
            .map(|fact| fact_link(urls, &knowledge.facts[fact]))
            .collect(),
        word_count: rendered.word_count,
        reading_minutes: rendered.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
        previous,
        next,
    }
}

fn index_pages(config: &SiteConfig, urls: &Urls, cards: &[Arc<BriefCard>], pages: &mut Vec<Page>) {
    let total = cards.len().div_ceil(config.paginate).max(1);
    for number in 1..=total {
        let start = (number - 1) * config.paginate;
        let chunk = cards.get(start..(start + config.paginate).min(cards.len()));
        let paginator = Paginator {
            current: number,
            total,
            previous_url: (number > 1).then(|| urls.index_page(number - 1)),
            next_url: (number < total).then(|| urls.index_page(number + 1)),
            pages: (1..=total)
                .map(|n| PageLink {
                    number: n,
                    url: urls.index_page(n),
                    current: n == number,
                })
                .collect(),
        };
        let (path, title) = if number == 1 {
            ("index.html".to_string(), config.title.clone())
        } else {
            (
                format!("page/{number}/index.html"),
                format!("Page {number}"),
            )
        };
        pages.push(Page {
            path,
            template: "index.html",
            meta: meta(
                &title,
                &config.description,
                urls.index_page(number),
                "index",
            )
            .updated(chunk.and_then(newest)),
            data: PageData::Index {
                briefs: chunk.map(<[Arc<BriefCard>]>::to_vec).unwrap_or_default(),
                paginator,
            },
        });
    }
}

fn fact_pages(
    urls: &Urls,
    knowledge: &KnowledgeBase,
    notes_html: &[Arc<str>],
    newest_first: &[&RenderedBrief],
    cards: &[Arc<BriefCard>],
    pages: &mut Vec<Page>,
) -> Vec<FactCard> {
    let mut cited_by: Vec<Vec<Arc<BriefCard>>> = vec![Vec::new(); knowledge.facts.len()];
    for (rendered, card) in newest_first.iter().zip(cards) {
        for fact in rendered.facts() {
            cited_by[fact].push(card.clone());
        }
    }
    let mut listing = Vec::with_capacity(knowledge.facts.len());
    for (index, fact) in knowledge.facts.iter().enumerate() {
        let view = FactView {
            id: fact.id.clone(),
            title: fact.title.clone(),
            url: urls.fact(&fact.id),
            note_html: notes_html[index].clone(),
            sources: source_views(&fact.sources),
            window: window(fact),
            cited_by: std::mem::take(&mut cited_by[index]),
        };
        listing.push(FactCard {
            id: fact.id.clone(),
            title: fact.title.clone(),
            url: view.url.clone(),
            window: view.window.clone(),
            citations: view.cited_by.len(),
        });
        pages.push(Page {
            path: format!("context/{}/index.html", fact.id),
            template: "fact.html",
            meta: meta(
                &fact.title,
                &first_sentence(&fact.note),
                view.url.clone(),
                "fact",
            )
            .updated(newest(&view.cited_by)),
            data: PageData::Fact {
                fact: Box::new(view),
            },
        });
    }
    listing.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    pages.push(Page {
        path: "context/index.html".into(),
        template: "facts.html",
        meta: meta(
            "Context",
            "Every background fact this site explains.",
            urls.facts(),
            "facts",
        ),
        data: PageData::Facts {
            facts: listing.clone(),
        },
    });
    listing
}

fn tag_pages(
    urls: &Urls,
    newest_first: &[&RenderedBrief],
    cards: &[Arc<BriefCard>],
    pages: &mut Vec<Page>,
) {
    let mut by_tag: BTreeMap<&str, (&str, Vec<Arc<BriefCard>>)> = BTreeMap::new();
    for (rendered, card) in newest_first.iter().zip(cards) {
        for (slug, name) in &rendered.brief.tags {
            by_tag
                .entry(slug)
                .or_insert_with(|| (name, Vec::new()))
                .1
                .push(card.clone());
        }
    }
    let mut tags = Vec::with_capacity(by_tag.len());
    for (slug, (name, briefs)) in by_tag {
        let tag = TagView {
            name: name.to_string(),
            slug: slug.to_string(),
            url: urls.tag(slug),
            count: briefs.len(),
        };
        tags.push(tag.clone());
        pages.push(Page {
            path: format!("tags/{slug}/index.html"),
            template: "tag.html",
            meta: meta(&format!("Tagged “{name}”"), "", tag.url.clone(), "tag")
                .updated(newest(&briefs)),
            data: PageData::Tag { tag, briefs },
        });
    }
    pages.push(Page {
        path: "tags/index.html".into(),
        template: "tags.html",
        meta: meta("Tags", "", urls.tags(), "tags"),
        data: PageData::Tags { tags },
    });
}

/// The first sentence of a Markdown note, stripped of the most common markup, for a meta
/// description.
fn first_sentence(note: &str) -> String {
    let plain: String = note
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['*', '_', '`', '[', ']'], "");
    let end = plain.find(". ").map_or(plain.len(), |i| i + 1);
    plain[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::{Urls, first_sentence};

    #[test]
    fn urls_keep_the_base_path() {
        let urls = Urls::new("https://u.github.io/repo/");
        assert_eq!(urls.brief("a"), "https://u.github.io/repo/briefs/a/");
        assert_eq!(urls.index_page(1), "https://u.github.io/repo/");
        assert_eq!(urls.index_page(3), "https://u.github.io/repo/page/3/");
        assert_eq!(
            urls.asset("/static/x.svg"),
            "https://u.github.io/repo/static/x.svg"
        );
        assert_eq!(urls.asset("https://e.org/x.png"), "https://e.org/x.png");
    }

    #[test]
    fn first_sentence_of_a_note() {
        assert_eq!(
            first_sentence("Six *weeks* of war.\nThen peace. More."),
            "Six weeks of war."
        );
    }
}

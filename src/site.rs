//! Assembling the site: rendered briefs + knowledge → [`Site`], the list of pages to render.
//!
//! Steps: order briefs newest first, turn each into its view (with previous/next links and its
//! footnotes' notes and sources), paginate the index, gather tags, and invert citations into
//! each fact's list of citing briefs. Everything is sorted explicitly so output order never
//! depends on hashing or thread timing. This stage decides every URL (through [`Urls`]) and owns
//! no HTML beyond the Markdown already rendered.

mod frame;
mod lists;
mod patch;
mod tags;
mod urls;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Brief;
use crate::date::Date;
use crate::feeds::Feed;
use crate::knowledge::{Fact, KnowledgeBase, Source};
use crate::markdown::{RenderedBrief, RenderedFootnote};
use crate::metadata;
use crate::publish;
use crate::views::{
    BriefCard, BriefView, FactCard, FactLink, FootnoteView, ImageView, PageData, PageMeta,
    Prepared, PreparedText, SiteView, SourceView, WindowView,
};

pub(crate) use frame::{Frame, frame};

pub(crate) use lists::{fact_pages_of, newest_listed, page_count};
pub use patch::{Edit, Patch, patch};
pub(crate) use tags::ByTag;
use tags::TagLinks;
pub use urls::Urls;

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
    /// Where things are in `pages`, for rebuilds that patch the site.
    pub layout: Layout,
}

/// Where each part of an assembled site sits, so that a rebuild after an edit to one brief
/// finds the few pages that show it without assembling the rest again.
///
/// `pages` holds, in order: one page per brief (newest first, so page `p` is the brief at
/// position `p`), the index pages, each fact's pages (in knowledge-file order) and the facts
/// index, each tag's pages and the tags index, then `404.html` and the search page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// `position[i]`: where corpus brief `i` sits in date order, newest first.
    pub position: Vec<usize>,
    /// Each brief's card, by position.
    pub cards: Vec<Prepared<BriefCard>>,
    pub first_index_page: usize,
    /// `fact_pages[i]`: fact `i`'s first page; the rest follow it.
    pub fact_pages: Vec<usize>,
    pub facts_index: usize,
    /// `citing[i]`: positions of the briefs citing fact `i`, ascending (newest first).
    pub citing: Vec<Vec<usize>>,
    /// Each tag's first page, by tag slug.
    pub tag_pages: BTreeMap<String, usize>,
    /// Positions of the briefs carrying each tag, ascending, by tag slug.
    pub tagged: BTreeMap<String, Vec<usize>>,
    /// Each brief's entry in the search index, by position.
    pub search_entries: Vec<String>,
}

/// Assembles the site. `briefs` may be in any order; `notes_html[i]` is fact `i`'s rendered note.
pub fn assemble(
    config: &SiteConfig,
    knowledge: &KnowledgeBase,
    notes_html: &[PreparedText],
    briefs: &[RenderedBrief],
) -> Site {
    let corpus: Vec<&Brief> = briefs.iter().map(|rendered| rendered.brief).collect();
    let frame = frame(config, &corpus);
    let shared = fact_shared(knowledge);
    // In parallel, like the stages before: the pages then reuse the memory those stages'
    // threads freed instead of growing the heap.
    let mut pages: Vec<Page> = frame
        .newest_first
        .par_iter()
        .enumerate()
        .map(|(position, &index)| {
            brief_page(
                config,
                &frame.urls,
                &shared,
                notes_html,
                &briefs[index],
                &frame.cards[position],
                frame.neighbours(position),
            )
        })
        .collect();
    let cited: Vec<Vec<usize>> = frame
        .newest_first
        .iter()
        .map(|&index| briefs[index].facts().collect())
        .collect();
    let first_index_page = pages.len();
    let listing = list_pages(config, knowledge, notes_html, &frame, &cited, &mut pages);
    Site {
        view: frame.view,
        pages,
        feeds: frame.feeds,
        files: listing.files,
        layout: Layout {
            position: frame.position,
            cards: frame.cards,
            first_index_page,
            fact_pages: listing.fact_pages,
            facts_index: listing.facts_index,
            citing: listing.citing,
            tag_pages: listing.tag_pages,
            search_entries: frame.search_entries,
            tagged: frame
                .by_tag
                .into_iter()
                .map(|(slug, (_, positions))| (slug, positions))
                .collect(),
        },
    }
}

/// What [`list_pages`] made besides the pages.
pub(crate) struct Listing {
    /// Files made without templates (`sitemap.xml`, `robots.txt`, `search-index.json`).
    pub files: Vec<(String, String)>,
    /// `citing[i]`: positions of the briefs citing fact `i`, ascending.
    pub citing: Vec<Vec<usize>>,
    /// Indices into the pages, as in [`Layout`].
    pub fact_pages: Vec<usize>,
    pub facts_index: usize,
    pub tag_pages: BTreeMap<String, usize>,
}

/// Appends the pages after the briefs' to `pages` (the index, each fact's and tag's pages and
/// their indexes, the 404 and search pages) and makes the files that list every page. Needs
/// the frame and `cited[p]`, the facts the brief at position `p` cites, in footnote order;
/// `pages` holds the brief pages, or nothing when they were written already.
pub(crate) fn list_pages(
    config: &SiteConfig,
    knowledge: &KnowledgeBase,
    notes_html: &[PreparedText],
    frame: &Frame,
    cited: &[Vec<usize>],
    pages: &mut Vec<Page>,
) -> Listing {
    let first = pages.len();
    let citing = tags::citing(knowledge.facts.len(), cited);
    let lists = Lists {
        config,
        urls: &frame.urls,
        knowledge,
        notes_html,
        cards: &frame.cards,
    };
    let Listed {
        facts,
        fact_pages,
        facts_index,
        tag_pages,
    } = lists.add_pages(&citing, &frame.by_tag, pages);
    metadata::default_images(config, &frame.urls, &mut pages[first..]);
    let urls = &frame.urls;
    let files = vec![
        (
            "sitemap.xml".to_string(),
            publish::sitemap(&frame.cards, &pages[first..]),
        ),
        ("robots.txt".to_string(), publish::robots(urls)),
        (
            "search-index.json".to_string(),
            publish::search_index(urls, &frame.search_entries, &facts),
        ),
    ];
    Listing {
        files,
        citing,
        fact_pages,
        facts_index,
        tag_pages,
    }
}

/// What the list pages need of the site.
struct Lists<'a> {
    config: &'a SiteConfig,
    urls: &'a Urls,
    knowledge: &'a KnowledgeBase,
    notes_html: &'a [PreparedText],
    cards: &'a [Prepared<BriefCard>],
}

/// Where [`Lists::add_pages`] put the pages that others link to.
struct Listed {
    facts: Vec<FactCard>,
    fact_pages: Vec<usize>,
    facts_index: usize,
    tag_pages: BTreeMap<String, usize>,
}

impl Lists<'_> {
    /// Appends the index, fact, tag, 404 and search pages to `pages`.
    fn add_pages(&self, citing: &[Vec<usize>], by_tag: &ByTag, pages: &mut Vec<Page>) -> Listed {
        let Lists {
            config,
            urls,
            knowledge,
            notes_html,
            cards,
        } = *self;
        lists::index_pages(config, urls, cards, pages);
        let (facts, fact_pages) =
            lists::fact_pages(config, urls, knowledge, notes_html, citing, cards, pages);
        let facts_index = pages.len() - 1;
        let tag_pages = lists::tag_pages(config, urls, by_tag, cards, pages);
        let description = &config.description;
        pages.push(Page {
            path: "404.html".into(),
            template: "404.html",
            meta: meta("Page not found", description, urls.asset("404.html"), "404"),
            data: PageData::NotFound {},
        });
        pages.push(Page {
            path: "search/index.html".into(),
            template: "search.html",
            meta: meta("Search", description, urls.asset("search/"), "search"),
            data: PageData::Search {},
        });
        Listed {
            facts,
            fact_pages,
            facts_index,
            tag_pages,
        }
    }
}

/// What every footnote citing a fact shows of it, made once per fact and shared, so that
/// 50,000 footnotes do not each carry their own copy of the fact's link and sources. Made
/// when a footnote first needs them: most facts of a 100,000-fact knowledge file are cited by
/// no brief, and preparing them all cost 2 KB a fact.
pub(crate) struct FactShared<'k> {
    fact: &'k Fact,
    link: OnceLock<Prepared<FactLink>>,
    sources: OnceLock<Prepared<Vec<SourceView>>>,
}

impl FactShared<'_> {
    fn link(&self, urls: &Urls) -> Prepared<FactLink> {
        let link = self
            .link
            .get_or_init(|| Prepared::new(fact_link(urls, self.fact)));
        link.clone()
    }

    fn sources(&self) -> Prepared<Vec<SourceView>> {
        let sources = self
            .sources
            .get_or_init(|| Prepared::new(source_views(&self.fact.sources)));
        sources.clone()
    }
}

/// The shared views of every fact, in knowledge-file order.
pub(crate) fn fact_shared(knowledge: &KnowledgeBase) -> Vec<FactShared<'_>> {
    knowledge
        .facts
        .iter()
        .map(|fact| FactShared {
            fact,
            link: OnceLock::new(),
            sources: OnceLock::new(),
        })
        .collect()
}

/// A brief's newer and older neighbours in date order, linked from its page.
pub(crate) struct Neighbours {
    /// The next older brief.
    pub previous: Option<Prepared<BriefCard>>,
    /// The next newer brief.
    pub next: Option<Prepared<BriefCard>>,
}

/// A brief's page. Every value in it comes from the brief itself, its card, the knowledge
/// base and its two neighbours' cards, which is what lets a rebuild redo one brief alone.
pub(crate) fn brief_page(
    config: &SiteConfig,
    urls: &Urls,
    facts: &[FactShared],
    notes_html: &[PreparedText],
    rendered: &RenderedBrief,
    card: &Prepared<BriefCard>,
    neighbours: Neighbours,
) -> Page {
    let view = brief_view(urls, facts, notes_html, rendered, card, neighbours);
    let description = rendered
        .brief
        .meta
        .summary
        .as_deref()
        .unwrap_or(&config.description);
    let head = meta(
        &rendered.brief.meta.title,
        description,
        view.card.url.clone(),
        "brief",
    )
    .updated(Some(view.card.updated.clone()));
    let mut page = Page {
        path: brief_path(&rendered.brief.slug),
        template: "brief.html",
        meta: metadata::brief_meta(head, &view, config, urls),
        data: PageData::Brief {
            brief: Box::new(view),
        },
    };
    metadata::default_images(config, urls, std::slice::from_mut(&mut page));
    page
}

/// Where the page of the brief with `slug` is written.
pub(crate) fn brief_path(slug: &str) -> String {
    format!("briefs/{slug}/index.html")
}

/// The newest `updated` date among `cards`, for a listing's sitemap `lastmod`.
fn newest(cards: &[Prepared<BriefCard>]) -> Option<String> {
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

fn card(urls: &Urls, brief: &Brief, tags: &TagLinks) -> BriefCard {
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
            .map(|(slug, name)| tags.link(urls, slug, name))
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
    facts: &[FactShared],
    notes_html: &[PreparedText],
    rendered: &RenderedBrief,
    card: &Prepared<BriefCard>,
    neighbours: Neighbours,
) -> BriefView {
    let brief = rendered.brief;
    let footnotes = rendered
        .footnotes
        .iter()
        .map(|footnote| match footnote {
            RenderedFootnote::Author { number, html } => FootnoteView {
                number: *number,
                fact: None,
                note_html: PreparedText::new(html),
                sources: Prepared::new(Vec::new()),
            },
            RenderedFootnote::Fact { number, fact } => FootnoteView {
                number: *number,
                fact: Some(facts[*fact].link(urls)),
                note_html: notes_html[*fact].clone(),
                sources: facts[*fact].sources(),
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
            .map(|fact| facts[fact].link(urls))
            .collect(),
        word_count: rendered.word_count,
        reading_minutes: rendered.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
        previous: neighbours.previous,
        next: neighbours.next,
    }
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
    use super::first_sentence;

    #[test]
    fn first_sentence_of_a_note() {
        assert_eq!(
            first_sentence("Six *weeks* of war.\nThen peace. More."),
            "Six weeks of war."
        );
    }
}

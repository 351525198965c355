//! The template contract: what each theme template receives, as explicit view structs.
//!
//! Templates never see the pipeline's internal types, so those can change without breaking a
//! theme. Every string here is plain text that Tera escapes, except the fields ending in `_html`,
//! which hold HTML rendered from Markdown the author wrote (templates mark them `| safe`). URLs
//! are absolute or root-relative and already carry the `base_url` prefix.
//!
//! Every page gets `site` ([`SiteView`]) and `page` ([`PageMeta`]); the rest depends on the
//! template, see [`PageData`]. Lists of briefs show each [`BriefCard`] with the template function
//! `card_html(card=card, heading="h3")`, which renders `partials/card.html` once per card and
//! heading for the whole site (see `templates::cards`).

use std::ops::Deref;
use std::sync::Arc;

use serde::Serialize;

/// A view serialised for templates once and shared: a brief's card appears on its own page,
/// its neighbours' and about nine list pages, and Tera clones a prepared value (reference
/// counts) where it would otherwise serialise the view again for each of them.
///
/// The view and its value share one reference count, so a clone (about ten per card at
/// 100,000 briefs, each on memory long gone cold) counts one reference, not two.
#[derive(Debug)]
pub struct Prepared<T>(Arc<(T, tera::Value)>);

impl<T> Clone for Prepared<T> {
    fn clone(&self) -> Prepared<T> {
        Prepared(Arc::clone(&self.0))
    }
}

impl<T: Serialize> Prepared<T> {
    pub fn new(view: T) -> Prepared<T> {
        let value = tera::Value::from_serializable(&view);
        Prepared(Arc::new((view, value)))
    }

    /// The template value, shared (not copied) by every context it is put in: a template that
    /// is handed this value gets this very map, which is how [`crate::templates`] recognises a
    /// card it has rendered before.
    pub fn value(&self) -> &tera::Value {
        &self.0.1
    }
}

impl<T> Deref for Prepared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.0
    }
}

impl<T: PartialEq> PartialEq for Prepared<T> {
    fn eq(&self, other: &Prepared<T>) -> bool {
        self.0.0 == other.0.0
    }
}

impl<T: Eq> Eq for Prepared<T> {}

impl<T> Serialize for Prepared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.1.serialize(serializer)
    }
}

/// Text made a template value once and shared, like [`Prepared`]: a brief's body and each
/// fact's note were copied into the context of every page that shows them (a fact's note into
/// every footnote citing it, 50,000 of them at 10,000 briefs), and each copy freed again.
#[derive(Debug, Clone)]
pub struct PreparedText(tera::Value);

impl PreparedText {
    pub fn new(text: &str) -> PreparedText {
        PreparedText(tera::Value::from(text))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or_default()
    }
}

impl PartialEq for PreparedText {
    fn eq(&self, other: &PreparedText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PreparedText {}

impl Serialize for PreparedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Site-wide values, the same on every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Ends with `/`.
    pub base_url: String,
    /// Heading of the footnotes section (`footnotes.heading`).
    pub footnote_heading: String,
    /// URL of the stylesheet folder, `<base_url>static/`.
    pub static_url: String,
    pub generator: String,
}

impl PageMeta {
    /// The same metadata with `updated` set.
    pub fn updated(mut self, updated: Option<String>) -> PageMeta {
        self.updated = updated;
        self
    }
}

/// Per-page values for `<head>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageMeta {
    /// Title of this page alone (the template adds the site title).
    pub title: String,
    pub description: String,
    /// This page's own URL.
    pub url: String,
    /// Which kind of page: `brief`, `index`, `fact`, `facts`, `tags`, `tag`, `404`.
    pub kind: &'static str,
    /// OpenGraph type: `article` for briefs, `website` otherwise.
    pub og_type: &'static str,
    /// Absolute URL of the page's image (a brief's), for OpenGraph and Twitter cards.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Publication date (`YYYY-MM-DD`) of a brief.
    pub published: Option<String>,
    /// Newest date (`YYYY-MM-DD`) an author gave to what the page shows: a brief's `updated`
    /// or `date`, a listing's newest brief. The sitemap's `lastmod`.
    pub updated: Option<String>,
    /// JSON-LD (`NewsArticle` for briefs), serialised and escaped so it can sit inside
    /// `<script type="application/ld+json">` (`<`, `>` and `&` are `\u` escapes); templates
    /// mark it safe.
    pub json_ld_html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// A brief as listed on index, tag and fact pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BriefCard {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: String,
    pub date_human: String,
    /// `YYYY-MM-DD` of the `updated` front matter, or the date when the brief has none.
    pub updated: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    /// Shared by every card with the same tag (see `site::TagLinks`): 50 tags make 40,000
    /// links on a 10,000-brief site.
    pub tags: Vec<Prepared<TagLink>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub date_human: Option<String>,
}

/// One entry of a brief's footnotes section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FootnoteView {
    pub number: usize,
    /// The fact, for knowledge footnotes; absent for the author's own.
    pub fact: Option<Prepared<FactLink>>,
    pub note_html: PreparedText,
    /// Shared by every footnote of the fact (serialised as a plain list).
    pub sources: Prepared<Vec<SourceView>>,
}

/// A brief's own page: its card's fields and these (serialised as one map, see below).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefView {
    pub card: Prepared<BriefCard>,
    pub source_url: Option<String>,
    pub image: Option<ImageView>,
    pub body_html: PreparedText,
    pub footnotes: Vec<FootnoteView>,
    /// Facts cited, in footnote order.
    pub facts: Vec<Prepared<FactLink>>,
    pub word_count: usize,
    pub reading_minutes: usize,
    /// The next older and next newer brief, by date.
    pub previous: Option<Prepared<BriefCard>>,
    pub next: Option<Prepared<BriefCard>>,
}

/// The card's entries, taken from its prepared map, then the page's own: what
/// `#[serde(flatten)]` of the card gave, without serde's flattening, whose buffering of the
/// card's entries for every brief page was 1.9% of a 10,000-brief build's CPU time (perf).
impl Serialize for BriefView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let card = self.card.value().as_map();
        let mut map = serializer.serialize_map(Some(card.map_or(0, |card| card.len()) + 9))?;
        for (key, value) in card.into_iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("source_url", &self.source_url)?;
        map.serialize_entry("image", &self.image)?;
        map.serialize_entry("body_html", &self.body_html)?;
        map.serialize_entry("footnotes", &self.footnotes)?;
        map.serialize_entry("facts", &self.facts)?;
        map.serialize_entry("word_count", &self.word_count)?;
        map.serialize_entry("reading_minutes", &self.reading_minutes)?;
        map.serialize_entry("previous", &self.previous)?;
        map.serialize_entry("next", &self.next)?;
        map.end()
    }
}

/// A fact's window in words and as dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowView {
    pub since: Option<String>,
    pub until: Option<String>,
    /// `since 10 November 2020`, `from … to …`, `until …`, or empty when always.
    pub text: String,
}

/// A fact's own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub note_html: PreparedText,
    pub sources: Arc<[SourceView]>,
    pub window: WindowView,
    /// This page's share of the briefs that cite the fact, newest first.
    pub cited_by: Vec<Prepared<BriefCard>>,
}

/// A fact as listed on the facts index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub window: WindowView,
    pub citations: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Page numbers are left out just before this one (show an ellipsis).
    pub gap_before: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

/// The template-specific part of a page's context. Serialised flat, so a brief page's context
/// has `site`, `page` and `brief`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PageData {
    /// `brief.html`
    Brief { brief: Box<BriefView> },
    /// `index.html`, one per page of the newest-first list.
    Index {
        briefs: Vec<Prepared<BriefCard>>,
        paginator: Paginator,
    },
    /// `fact.html`, one per page of the fact's citing briefs.
    Fact {
        fact: Box<FactView>,
        paginator: Paginator,
    },
    /// `facts.html`
    Facts { facts: Vec<FactCard> },
    /// `tags.html`
    Tags { tags: Vec<TagView> },
    /// `tag.html`, one per page of the tag's briefs.
    Tag {
        tag: TagView,
        briefs: Vec<Prepared<BriefCard>>,
        paginator: Paginator,
    },
    /// `404.html`
    NotFound {},
    /// `search.html`: the results page of the client-side search; the script fills it from
    /// `search-index.json`.
    Search {},
}

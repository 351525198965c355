//! Rendering pages with Tera 2: [`Site`] + [`Theme`] → HTML strings, in memory.
//!
//! Steps: compile every theme template once into one Tera environment (template errors are
//! reported at their file, line and column), check the templates each page kind needs exist,
//! then render all pages in parallel, keeping the pages' order, each site in its own copy of
//! the environment whose `card_html` keeps the cards it renders (`templates::cards`). Templates are
//! named `*.html` so Tera autoescapes every value; only the views' `*_html` fields (author
//! Markdown) are marked safe, by the templates themselves, and the cards `card_html` gives,
//! which the theme's own partial rendered with the same escaping. This stage writes nothing.

mod cards;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::error::{Error, SourceText};
use crate::feeds::Feed;
use crate::site::{Page, Patch, Site};
use crate::theme::Theme;
use crate::views::{BriefCard, Prepared, SiteView};

/// Templates every theme must provide (the embedded default theme always does).
pub const REQUIRED: [&str; 10] = [
    "index.html",
    "brief.html",
    "fact.html",
    "facts.html",
    "tag.html",
    "tags.html",
    "404.html",
    "search.html",
    FEED,
    FEED_ENTRY,
];

/// A page's HTML, its feed entry content when a feed lists it, and whether it was rendered
/// (rather than reused from the previous build).
type RenderedPage = (Arc<str>, Option<Arc<str>>, bool);

/// The text of every page (in `Site::pages` order), of each page's feed entry, and of every
/// feed (in `Site::feeds` order), kept so that the next build can reuse what did not change.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub pages: Vec<Arc<str>>,
    pub entries: Vec<Option<Arc<str>>>,
    pub feeds: Vec<Arc<str>>,
    /// Pages and feeds rendered by this build rather than reused.
    pub fresh: usize,
}

/// The Atom template, given `feed` ([`crate::feeds::FeedView`]).
const FEED: &str = "atom.xml";
/// One feed entry's content, given the same context as the brief's page.
const FEED_ENTRY: &str = "feed_entry.html";
/// The template function that gives a brief's card, see `templates::cards`.
const CARD_HTML: &str = "card_html";

/// A compiled template environment, with the sources kept for error messages.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
}

/// Compiles the theme's templates.
pub fn compile(theme: Theme) -> Result<Renderer, Error> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    // Known from the start, so templates that call it compile; each site's environment
    // replaces it (see `Renderer::for_site`). This one is what `partials/card.html` itself
    // would call, and refusing there is what keeps a card from rendering itself forever.
    tera.register_function(CARD_HTML, cards::refuse);
    tera.register_filter("safe", safe);
    let sources: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()))
        .collect();
    if let Err(error) = tera.add_raw_templates(sources) {
        return Err(convert(&theme, None, &error));
    }
    for name in REQUIRED {
        if !tera.contains_template(name) {
            return Err(Error::File {
                path: "themes".into(),
                message: format!("missing template `{name}`"),
            });
        }
    }
    Ok(Renderer { tera, theme })
}

/// Tera's `safe`, without the copy: the built-in filter copies a string into a new one to
/// mark it, and a brief's body (`brief.body_html | safe`) is the largest string of its page.
/// A string is marked as it is; anything else is shown and marked, as the built-in does.
fn safe(value: &Value, _: Kwargs, _: &State) -> Value {
    if value.is_string() {
        value.clone().mark_safe()
    } else {
        Value::safe_string(&value.to_string())
    }
}

impl Renderer {
    /// The environment `site`'s pages render in: the theme's templates, with a `card_html`
    /// that keeps the cards it renders for the site's other lists.
    pub fn for_site(&self, site: &Site) -> SiteRenderer<'_> {
        self.for_cards(&site.layout.cards)
    }

    /// [`Renderer::for_site`] for a site known by its briefs' cards alone (in page order),
    /// for a build that renders brief pages before the rest of the site is assembled.
    pub(crate) fn for_cards(&self, site_cards: &[Prepared<BriefCard>]) -> SiteRenderer<'_> {
        let cards = cards::CardHtml::new(self.tera.clone(), site_cards);
        let mut tera = self.tera.clone();
        tera.register_function(CARD_HTML, move |kwargs: Kwargs, state: &State| {
            cards.call(kwargs, state)
        });
        SiteRenderer {
            tera,
            theme: &self.theme,
        }
    }
}

/// One site's template environment, made by [`Renderer::for_site`].
pub struct SiteRenderer<'r> {
    tera: Tera,
    theme: &'r Theme,
}

impl SiteRenderer<'_> {
    /// Renders every page of `site`, in order, then its feeds. With `previous` (the site and
    /// output of an earlier build with the same templates), a page or feed whose context is
    /// equal to its earlier one is reused instead of rendered: same templates and same context
    /// give the same text, so the result is the one a full render would give.
    pub fn render(
        &self,
        site: &Site,
        previous: Option<(&Site, &RenderedSite)>,
    ) -> Result<RenderedSite, Error> {
        let previous = previous.filter(|(before, _)| before.view == site.view);
        let earlier_page: HashMap<&str, usize> = previous
            .map(|(before, _)| {
                let paths = before.pages.iter().map(|page| page.path.as_str());
                paths.zip(0..).collect()
            })
            .unwrap_or_default();
        let shared = shared_context(&site.view);
        // Feed entries reuse their brief page's context; render them with the page, so no
        // context outlives its page.
        let mut in_feeds = vec![false; site.pages.len()];
        for feed in &site.feeds {
            for &page in &feed.entry_pages {
                in_feeds[page] = true;
            }
        }
        let rendered: Vec<Result<RenderedPage, Error>> = site
            .pages
            .par_iter()
            .zip(&in_feeds)
            .map(|(page, &in_feed)| {
                if let Some((before, output)) = previous
                    && let Some(&index) = earlier_page.get(page.path.as_str())
                    && before.pages[index] == *page
                    && (!in_feed || output.entries[index].is_some())
                {
                    let entry = output.entries[index].clone().filter(|_| in_feed);
                    return Ok((output.pages[index].clone(), entry, false));
                }
                let (html, entry) = self.render_page(&shared, page, in_feed)?;
                Ok((html, entry, true))
            })
            .collect();
        let mut out = RenderedSite::default();
        let mut fresh_page = Vec::with_capacity(site.pages.len());
        for (html, entry, fresh) in gather(rendered)? {
            out.pages.push(html);
            out.entries.push(entry);
            fresh_page.push(fresh);
        }
        out.fresh = fresh_page.iter().filter(|fresh| **fresh).count();
        let earlier_feed: HashMap<&str, usize> = previous
            .map(|(before, _)| {
                let paths = before.feeds.iter().map(|feed| feed.path.as_str());
                paths.zip(0..).collect()
            })
            .unwrap_or_default();
        let feeds = site
            .feeds
            .par_iter()
            .map(|feed| {
                if let Some((before, output)) = previous
                    && let Some(&index) = earlier_feed.get(feed.path.as_str())
                    && before.feeds[index] == *feed
                    && !feed.entry_pages.iter().any(|&page| fresh_page[page])
                {
                    return Ok((output.feeds[index].clone(), false));
                }
                let text = self.render_feed(&shared, feed, |page| out.entries[page].as_deref())?;
                Ok((text.into(), true))
            })
            .collect();
        for (text, fresh) in gather(feeds)? {
            out.feeds.push(text);
            out.fresh += usize::from(fresh);
        }
        Ok(out)
    }

    /// Renders only the pages and feeds of `patch` on top of `site` and its `rendered` text;
    /// a feed is rendered again when it changed or when an entry page of it did.
    pub fn render_patch(
        &self,
        site: &Site,
        rendered: &RenderedSite,
        patch: &Patch,
    ) -> Result<RenderedPatch, Error> {
        let shared = shared_context(&site.view);
        let in_feed = |index: usize| {
            site.feeds
                .iter()
                .any(|feed| feed.entry_pages.contains(&index))
        };
        let pages: Vec<_> = patch
            .pages
            .par_iter()
            .map(|(&index, page)| {
                let (html, entry) = self.render_page(&shared, page, in_feed(index))?;
                Ok((index, html, entry))
            })
            .collect();
        let pages = gather(pages)?;
        let fresh_entry: HashMap<usize, &Arc<str>> = pages
            .iter()
            .filter_map(|(index, _, entry)| entry.as_ref().map(|entry| (*index, entry)))
            .collect();
        let mut feeds = Vec::new();
        for (index, feed) in site.feeds.iter().enumerate() {
            let changed = patch.feeds.get(&index);
            let touched = feed
                .entry_pages
                .iter()
                .any(|page| fresh_entry.contains_key(page));
            if changed.is_none() && !touched {
                continue;
            }
            let feed = changed.unwrap_or(feed);
            let text = self.render_feed(&shared, feed, |page| {
                fresh_entry
                    .get(&page)
                    .map(|text| &text[..])
                    .or(rendered.entries[page].as_deref())
            })?;
            feeds.push((index, text.into()));
        }
        Ok(RenderedPatch { pages, feeds })
    }

    /// A page's HTML, and its feed entry's when a feed lists it: both from the same context.
    fn render_page(
        &self,
        shared: &Context,
        page: &Page,
        in_feed: bool,
    ) -> Result<(Arc<str>, Option<Arc<str>>), Error> {
        let (html, entry) = self.render_page_and_entry(shared, page, true, in_feed)?;
        // Every piece of the page was a `str`: the text is whole, and copied once, as the
        // `String` it replaces was.
        let html = String::from_utf8_lossy(html.as_deref().unwrap_or_default()).into();
        Ok((html, entry.map(Arc::from)))
    }

    /// The context `page`'s template gets: the shared values, `page`, and its own data.
    fn page_context(&self, shared: &Context, page: &Page) -> Result<Context, Error> {
        let mut context = Context::from_serialize(&page.data)
            .map_err(|error| convert(self.theme, Some(page.template), &error))?;
        context.extend(shared.clone());
        context.insert("page", &page.meta);
        Ok(context)
    }

    /// One page's HTML, for a build that writes each page as soon as it is rendered and keeps
    /// none: `shared` is [`shared_context`] of the page's site.
    pub fn render_page_alone(&self, shared: &Context, page: &Page) -> Result<Vec<u8>, Error> {
        let context = self.page_context(shared, page)?;
        self.render_bytes(page.template, &context)
    }

    /// A page's HTML (unless `write` is false: a file of the site's `static/` takes its
    /// place) and its feed entry's when `in_feed`, both from one context.
    pub(crate) fn render_page_and_entry(
        &self,
        shared: &Context,
        page: &Page,
        write: bool,
        in_feed: bool,
    ) -> Result<(Option<Vec<u8>>, Option<String>), Error> {
        let context = self.page_context(shared, page)?;
        let html = match write {
            true => Some(self.render_bytes(page.template, &context)?),
            false => None,
        };
        let entry = match in_feed {
            true => Some(self.render_one(FEED_ENTRY, &context)?),
            false => None,
        };
        Ok((html, entry))
    }

    /// Bytes, rendered into a buffer sized for a brief page: Tera's own `render` starts from the
    /// template's size and doubles its way up to the page's, copying each time, then checks
    /// the whole page is UTF-8 (it is: every piece of it was a `str`).
    fn render_bytes(&self, template: &str, context: &Context) -> Result<Vec<u8>, Error> {
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(template, context, &mut html)
            .map_err(|error| convert(self.theme, Some(template), &error))?;
        Ok(html)
    }

    /// A feed's XML, its entries' content given by `entry_text` (by page index), rendered
    /// with the page they belong to.
    pub(crate) fn render_feed<'t>(
        &self,
        shared: &Context,
        feed: &Feed,
        entry_text: impl Fn(usize) -> Option<&'t str>,
    ) -> Result<String, Error> {
        let mut view = feed.view.clone();
        for (entry, &page) in view.entries.iter_mut().zip(&feed.entry_pages) {
            if let Some(text) = entry_text(page) {
                entry.content_html = text.to_string();
            }
        }
        let mut context = shared.clone();
        context.insert("feed", &view);
        self.render_one(FEED, &context)
    }

    fn render_one(&self, template: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(template, context)
            .map_err(|error| convert(self.theme, Some(template), &error))
    }
}

/// Bytes set aside for a page being rendered: a brief page of a few hundred words with its
/// notes is 15 to 25 KiB.
const PAGE_CAPACITY: usize = 32 * 1024;

/// The values every page and feed shares.
pub fn shared_context(view: &SiteView) -> Context {
    let mut shared = Context::new();
    shared.insert("site", view);
    shared
}

/// The text of a patch's pages, `(page index, HTML, feed entry)`, and of the feeds it
/// changed, `(feed index, XML)`.
#[derive(Debug, Default)]
pub struct RenderedPatch {
    pub pages: Vec<(usize, Arc<str>, Option<Arc<str>>)>,
    pub feeds: Vec<(usize, Arc<str>)>,
}

/// The results in order, or every error once: one broken template fails every page that uses
/// it, and is reported once per place.
pub(crate) fn gather<T>(results: Vec<Result<T, Error>>) -> Result<Vec<T>, Error> {
    let mut values = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(error) => errors.push(error),
        }
    }
    Error::collect_distinct(errors)?;
    Ok(values)
}

/// Turns a Tera error into a located error in the template file that caused it.
fn convert(theme: &Theme, rendering: Option<&str>, error: &tera::Error) -> Error {
    let source_of = |name: &str| theme.templates.get(name);
    let fallback_path = |name: Option<&str>| {
        name.and_then(source_of)
            .map_or_else(|| "themes".into(), |source| source.path.clone())
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            match source_of(report.filename()).or_else(|| rendering.and_then(source_of)) {
                Some(source) => {
                    let range = &report.span().range;
                    let len = range.end.saturating_sub(range.start).max(1);
                    Error::user(
                        source.span(range.start, len),
                        template_message(report.message()),
                    )
                }
                None => Error::File {
                    path: fallback_path(rendering),
                    message: template_message(report.message()),
                },
            }
        }
        ErrorKind::MissingParent { current, parent } => located_name(
            source_of(current),
            parent,
            &format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .unwrap_or_else(|| Error::File {
            path: fallback_path(Some(current)),
            message: format!("template `{current}` extends `{parent}`, which does not exist"),
        }),
        ErrorKind::TemplateNotFound(name) => {
            let message = format!("template `{name}` not found");
            let located = theme
                .templates
                .values()
                .find_map(|source| located_name(Some(source), name, &message));
            located.unwrap_or_else(|| Error::File {
                path: fallback_path(rendering),
                message,
            })
        }
        _ => {
            let text = error_chain(error);
            // An `{% include %}` of a missing template surfaces as a message, not a kind.
            let missing = text
                .split_once("Unknown template `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map(|(name, _)| name.to_string());
            match missing {
                Some(name) => {
                    let message = format!("template `{name}` not found");
                    rendering
                        .and_then(|current| located_name(source_of(current), &name, &message))
                        .or_else(|| {
                            theme
                                .templates
                                .values()
                                .find_map(|source| located_name(Some(source), &name, &message))
                        })
                        .unwrap_or_else(|| Error::File {
                            path: fallback_path(rendering),
                            message,
                        })
                }
                None => Error::File {
                    path: fallback_path(rendering),
                    message: format!("template error: {text}"),
                },
            }
        }
    }
}

/// Points at `"name"` (quoted as templates write it) inside `source`.
fn located_name(source: Option<&SourceText>, name: &str, message: &str) -> Option<Error> {
    let source = source?;
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    quoted.iter().find_map(|needle| {
        source
            .text
            .find(needle.as_str())
            .map(|at| Error::user(source.span(at, needle.len()), message))
    })
}

fn template_message(message: &str) -> String {
    format!("template: {message}")
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use tera::{Context, Tera};

    #[test]
    fn safe_marks_strings_as_they_are_and_shows_other_values_as_the_built_in_does() {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.register_filter("safe", super::safe);
        tera.add_raw_template(
            "t.html",
            "{{ s | safe }}|{{ long | safe }}|{{ n | safe }}|{{ list | safe }}|{{ s }}",
        )
        .unwrap();
        let mut context = Context::new();
        context.insert("s", "<b>");
        context.insert("long", &"<i>x</i>".repeat(8));
        context.insert("n", &3);
        context.insert("list", &["<a>"]);
        assert_eq!(
            tera.render("t.html", &context).unwrap(),
            format!("<b>|{}|3|[\"<a>\"]|&lt;b&gt;", "<i>x</i>".repeat(8))
        );
    }
}

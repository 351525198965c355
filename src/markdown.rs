//! Markdown to HTML: [`AnnotatedBrief`] → [`RenderedBrief`], and fact notes to HTML.
//!
//! Steps, as one rewrite of pulldown-cmark's event stream: put each footnote reference where the
//! annotate stage placed it (splitting text events, replacing explicit `[^id]` text), turn the
//! author's footnote references into numbered ones and lift their definitions out of the body,
//! highlight fenced code with syntect, and drop raw HTML unless the site allows it. The result
//! is the body HTML plus, per footnote, what it holds; the footnote list's own markup belongs to
//! the theme. This stage reads no files and knows nothing of URLs.

use std::collections::BTreeMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::annotate::{AnnotatedBrief, FootnoteSlot};
use crate::ascii8::{HIGH_BITS, is_white, white_bytes};
use crate::content::Brief;
use crate::highlight::Highlighter;
use crate::links::{LinkMap, Resolved};
use crate::views::PreparedText;

/// How bodies and notes are rendered.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'h> {
    pub markdown: Options,
    /// Pass raw HTML through (`unsafe_html: true`); otherwise it is dropped.
    pub unsafe_html: bool,
    pub highlighter: &'h Highlighter,
    /// Resolves `@/briefs/x.md` and `/root/paths` in links and images.
    pub links: &'h LinkMap,
}

/// One footnote of a rendered brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderedFootnote {
    /// The author's own note, rendered.
    Author { number: usize, html: String },
    /// A knowledge fact, by index; its note is rendered once per build, not per brief.
    Fact { number: usize, fact: usize },
}

/// A brief with its HTML.
#[derive(Debug, Clone)]
pub struct RenderedBrief<'a> {
    pub brief: &'a Brief,
    /// Made a template value here, once, and shared by the brief's page and feed entries.
    pub body_html: PreparedText,
    /// In number order, starting at 1.
    pub footnotes: Vec<RenderedFootnote>,
    /// Words of prose in the body, for reading time.
    pub word_count: usize,
}

impl RenderedBrief<'_> {
    /// Indices of the facts this brief cites, in footnote order.
    pub fn facts(&self) -> impl Iterator<Item = usize> + '_ {
        self.footnotes.iter().filter_map(|footnote| match footnote {
            RenderedFootnote::Fact { fact, .. } => Some(*fact),
            RenderedFootnote::Author { .. } => None,
        })
    }
}

/// A Markdown text parsed once: each event with its byte range. The build parses a brief's
/// body once for both the annotate stage and this one, which number events alike.
pub type Events<'t> = Vec<(Event<'t>, std::ops::Range<usize>)>;

/// Parses `text` into [`Events`].
pub fn parse(text: &str, options: Options) -> Events<'_> {
    // Sized from the text: the parser cannot say how many events are coming, and a brief's
    // hundreds were collected by doubling, copying the list at each step. The example site's
    // briefs make an event every 34 bytes, the benchmark corpus's every 69 (a twentieth of
    // its briefs under 36): one allocation for nearly every brief, freed with the brief.
    let mut events = Vec::with_capacity(text.len() / 24 + 8);
    events.extend(Parser::new_ext(text, options).into_offset_iter());
    events
}

/// Renders an annotated brief.
pub fn render_brief<'a>(
    annotated: &AnnotatedBrief<'a>,
    options: RenderOptions,
) -> RenderedBrief<'a> {
    render_parsed(
        annotated,
        &parse(annotated.brief.body(), options.markdown),
        options,
    )
}

/// [`render_brief`] of a body already parsed into `events` (with `options.markdown`).
pub fn render_parsed<'a, 'e>(
    annotated: &AnnotatedBrief<'a>,
    events: &[(Event<'e>, std::ops::Range<usize>)],
    options: RenderOptions,
) -> RenderedBrief<'a> {
    let mut rewriter = Rewriter::new(options);
    let mut citations = annotated.citations.iter().peekable();
    let mut skip_to: Option<crate::annotate::TextPos> = None;
    let mut references_seen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut word_count = 0;
    let mut in_word = false;
    for (index, event) in events.iter().map(|(event, _)| event.clone()).enumerate() {
        if !matches!(event, Event::Text(_)) {
            in_word = false;
        }
        match event {
            Event::Text(text) => {
                word_count += count_words(&text, &mut in_word);
                let mut cursor = 0;
                if let Some(end) = skip_to {
                    if end.event > index {
                        continue;
                    }
                    cursor = end.offset;
                    skip_to = None;
                }
                while let Some(citation) = citations.next_if(|c| c.start.event == index) {
                    let start = citation.start.offset.max(cursor);
                    if start > cursor {
                        rewriter.push(Event::Text(text[cursor..start].to_string().into()));
                    }
                    let seen = references_seen.entry(citation.number).or_insert(0);
                    *seen += 1;
                    rewriter.emit(Event::InlineHtml(
                        reference_html(citation.number, *seen).into(),
                    ));
                    if citation.end.event == index {
                        cursor = citation.end.offset.max(start);
                    } else {
                        skip_to = Some(citation.end);
                        cursor = text.len();
                        break;
                    }
                }
                if cursor == 0 {
                    rewriter.push(Event::Text(text));
                } else if cursor < text.len() {
                    rewriter.push(Event::Text(text[cursor..].to_string().into()));
                }
            }
            Event::FootnoteReference(label) => {
                match annotated.author_numbers.get(&label.to_lowercase()) {
                    Some(&number) => {
                        let seen = references_seen.entry(number).or_insert(0);
                        *seen += 1;
                        rewriter.emit(Event::InlineHtml(reference_html(number, *seen).into()));
                    }
                    None => rewriter.push(Event::Text(format!("[^{label}]").into())),
                }
            }
            other => rewriter.push(other),
        }
    }
    let (body_html, definitions) = rewriter.finish();
    let footnotes = annotated
        .footnotes
        .iter()
        .enumerate()
        .map(|(index, slot)| match slot {
            FootnoteSlot::Author(label) => RenderedFootnote::Author {
                number: index + 1,
                html: definitions.get(label).cloned().unwrap_or_default(),
            },
            FootnoteSlot::Fact(fact) => RenderedFootnote::Fact {
                number: index + 1,
                fact: *fact,
            },
        })
        .collect();
    RenderedBrief {
        brief: annotated.brief,
        body_html: PreparedText::new(&body_html),
        footnotes,
        word_count,
    }
}

/// Renders a stand-alone piece of Markdown (a fact's note). Footnotes inside it are rendered by
/// pulldown-cmark's defaults; code and raw HTML follow the site's settings.
pub fn render_markdown(text: &str, options: RenderOptions) -> String {
    let mut rewriter = Rewriter::new(options);
    rewriter.keep_definitions = true;
    for event in Parser::new_ext(text, options.markdown) {
        rewriter.push(event);
    }
    rewriter.finish().0
}

/// Words in `text`. pulldown-cmark splits one word into several text events at smart quotes
/// and entities (`Turkey`, `’`, `s`), so `in_word` carries whether the previous adjacent text
/// ended inside a word, and is left saying whether this one does.
fn count_words(text: &str, in_word: &mut bool) -> usize {
    // This runs over every brief's whole text. Most text events are ASCII (pulldown-cmark
    // gives smart quotes events of their own), and for those a word start is a byte that is
    // not whitespace after one that is, found eight bytes at a time: `chars()` with
    // `char::is_whitespace` cost over ten instructions a byte, a byte-pair count nine.
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        // Whether the byte before the next one is whitespace, as the high bit of a byte.
        let mut before_white = if *in_word { 0 } else { HIGH_BITS };
        let mut count = 0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let white = white_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
            let before = white << 8 | before_white >> 56;
            count += (before & !white & HIGH_BITS).count_ones() as usize;
            before_white = white;
        }
        let mut before_white = before_white & 1 << 63 != 0;
        for &byte in chunks.remainder() {
            let white = is_white(byte);
            count += usize::from(before_white && !white);
            before_white = white;
        }
        if !bytes.is_empty() {
            *in_word = !before_white;
        }
        return count;
    }
    let mut count = 0;
    for c in text.chars() {
        if c.is_whitespace() {
            *in_word = false;
        } else if !*in_word {
            *in_word = true;
            count += 1;
        }
    }
    count
}

/// The markup design.md fixes for a footnote reference. The `occurrence`-th reference to the same
/// footnote gets a distinct id so ids stay unique.
fn reference_html(number: usize, occurrence: usize) -> String {
    // Pieces joined, not `format!`ted: there is one of these for each of a site's notes.
    let number = number.to_string();
    let occurrence = occurrence.to_string();
    let id_suffix: [&str; 2] = if occurrence == "1" {
        ["", ""]
    } else {
        ["-", &occurrence]
    };
    [
        "<sup class=\"fn-ref\" id=\"fnref-",
        &number,
        id_suffix[0],
        id_suffix[1],
        "\"><a href=\"#fn-",
        &number,
        "\" role=\"doc-noteref\">",
        &number,
        "</a></sup>",
    ]
    .concat()
}

/// Applies the rewrites every Markdown text gets and collects the HTML.
struct Rewriter<'h, 'e> {
    options: RenderOptions<'h>,
    body: Vec<Event<'e>>,
    /// Events of the footnote definition being read, if any, with its label.
    definition: Option<(String, Vec<Event<'e>>)>,
    definitions: BTreeMap<String, String>,
    keep_definitions: bool,
    /// Text of the fenced code block being read, with its language.
    code: Option<(String, String)>,
}

impl<'h, 'e> Rewriter<'h, 'e> {
    fn new(options: RenderOptions<'h>) -> Self {
        Rewriter {
            options,
            body: Vec::new(),
            definition: None,
            definitions: BTreeMap::new(),
            keep_definitions: false,
            code: None,
        }
    }

    fn push(&mut self, event: Event<'e>) {
        if let Some((lang, code)) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let html = self.options.highlighter.code_block(code, lang);
                    self.code = None;
                    self.emit(Event::Html(html.into()));
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) if !self.keep_definitions => {
                self.definition = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) if !self.keep_definitions => {
                if let Some((label, events)) = self.definition.take() {
                    let mut html = String::new();
                    html::push_html(&mut html, events.into_iter());
                    // Keyed like the annotate stage's labels: lowercased, as labels match.
                    self.definitions.entry(label.to_lowercase()).or_insert(html);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if !self.options.unsafe_html => {}
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
                if !self.options.unsafe_html => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, false);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, true);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => self.emit(other),
        }
    }

    /// The URL to write for a link (or, with `image`, an image) to `dest`: internal links
    /// resolved, and script URLs replaced by `#`, whether or not raw HTML is allowed.
    fn resolve(&self, dest: CowStr<'e>, image: bool) -> CowStr<'e> {
        if crate::links::is_script_url(&dest, image) {
            return "#".into();
        }
        match self.options.links.resolve(&dest) {
            Resolved::To(url) => url.into(),
            Resolved::Unchanged | Resolved::Broken(_) => dest,
        }
    }

    /// Events produced here (references, highlighted code) are trusted markup and bypass the
    /// raw-HTML filter.
    fn emit(&mut self, event: Event<'e>) {
        match &mut self.definition {
            Some((_, events)) => events.push(event),
            None => self.body.push(event),
        }
    }

    fn finish(self) -> (String, BTreeMap<String, String>) {
        let mut html = String::new();
        html::push_html(&mut html, self.body.into_iter());
        (html, self.definitions)
    }
}

/// Escapes text for HTML, for the few places outside templates that build markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;

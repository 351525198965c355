//! Deciding which facts a brief cites and where: ([`Brief`], [`KnowledgeBase`]) → [`AnnotatedBrief`].
//!
//! Steps: parse the body into Markdown events; gather prose into runs (the joined text of one
//! block, so a term split by smart punctuation or a soft line break is still found), skipping
//! code, links, images, headings, raw HTML and footnote definitions; in each run find explicit
//! `[^fact-id]` citations and term mentions; then walk author footnote references, citations and
//! mentions in document order, numbering footnotes by first appearance. A mention attaches only
//! if the fact holds on the brief's date, is not cited yet, the brief has `context` on, and the
//! brief is under `max_per_brief` automatic notes. Every mention is recorded with its outcome.
//!
//! [`annotate_traced`] runs the same walk and also reports the mentions the build passes over
//! without a word: terms in text that is not prose, and terms overlapped by another fact's term
//! that won. `briefing explain` and the knowledge lint need them; the build does not, and its
//! walk (`annotate`, traced by `()`) compiles the tracing away.
//!
//! The stage is pure: no I/O and no HTML. Positions are given as event index plus byte offset in
//! that event's text, which the Markdown stage finds again by parsing the same body with the
//! same options.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Tag, TagEnd};

use crate::content::Brief;
use crate::error::{Error, SourceText, Span};
use crate::knowledge::KnowledgeBase;

// The types of a traced walk, kept in their own file so this one stays about the walk.
#[path = "annotate_trace.rs"]
mod trace;
use trace::Tracer;
pub use trace::{Hidden, HiddenMention, NotProse, Trace};

/// A point in the event stream: the `event`-th event's text, at byte `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPos {
    pub event: usize,
    pub offset: usize,
}

/// A footnote reference to place in the body: the text from `start` to `end` is replaced by the
/// reference (they are equal for a mention, where the reference follows the term).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub start: TextPos,
    pub end: TextPos,
    pub number: usize,
}

/// What footnote number N is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FootnoteSlot {
    /// The author's own `[^label]` footnote.
    Author(String),
    /// A knowledge fact, by index.
    Fact(usize),
}

/// Why a mention got, or did not get, a footnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Attached,
    ExplicitCitation,
    OutsideDates,
    AlreadyCited,
    OverLimit,
    ContextOff,
}

/// One mention of a fact in the brief's prose.
#[derive(Debug, Clone)]
pub struct Mention {
    pub fact: usize,
    /// Index into the fact's terms; `None` for an explicit `[^id]`.
    pub term: Option<usize>,
    /// Bytes of the brief's file the mention covers. Kept as offsets and turned into a
    /// [`Span`] only by those who show it (`explain`): a build records 50,000 mentions and
    /// shows none.
    pub at: Range<usize>,
    pub outcome: Outcome,
}

impl Mention {
    /// Where the mention is, for messages; `source` is its brief's file.
    pub fn span(&self, source: &SourceText) -> Span {
        source.span(self.at.start, self.at.len())
    }
}

/// A brief plus the decisions of this stage.
#[derive(Debug, Clone)]
pub struct AnnotatedBrief<'a> {
    pub brief: &'a Brief,
    /// Footnote N is `footnotes[N - 1]`.
    pub footnotes: Vec<FootnoteSlot>,
    /// Citations sorted by position.
    pub citations: Vec<Citation>,
    /// Author footnote labels that are referenced (lowercased), with their numbers.
    pub author_numbers: BTreeMap<String, usize>,
    pub mentions: Vec<Mention>,
}

/// The knobs of this stage, from `site.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct AnnotateOptions {
    pub max_per_brief: usize,
    pub markdown: Options,
}

/// The Markdown dialect every body and note is parsed with.
pub fn markdown_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Annotates one brief. Fails (with every problem found) on `[^id]` naming no fact.
pub fn annotate<'a>(
    brief: &'a Brief,
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
) -> Result<AnnotatedBrief<'a>, Error> {
    let events = crate::markdown::parse(brief.body(), options.markdown);
    annotate_parsed(brief, &events, knowledge, options)
}

/// [`annotate`] of a body already parsed into `events` (with `options.markdown`), which the
/// Markdown stage then renders without parsing it again.
pub fn annotate_parsed<'a>(
    brief: &'a Brief,
    events: &[(Event<'_>, Range<usize>)],
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
) -> Result<AnnotatedBrief<'a>, Error> {
    walk(brief, events, knowledge, options, ()).map(|(annotated, ())| annotated)
}

/// Annotates one brief exactly as [`annotate`] does, and also reports the terms it passed over
/// (see [`Trace`]). Slower: for `explain` and `check`, not for the build.
pub fn annotate_traced<'a>(
    brief: &'a Brief,
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
) -> Result<(AnnotatedBrief<'a>, Trace), Error> {
    let events = crate::markdown::parse(brief.body(), options.markdown);
    walk(brief, &events, knowledge, options, Trace::default())
}

fn walk<'a, T: Tracer>(
    brief: &'a Brief,
    events: &[(Event<'_>, Range<usize>)],
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
    tracer: T,
) -> Result<(AnnotatedBrief<'a>, T), Error> {
    let body = brief.body();
    let mut state = State {
        brief,
        knowledge,
        options,
        annotated: AnnotatedBrief {
            brief,
            footnotes: Vec::new(),
            citations: Vec::new(),
            author_numbers: BTreeMap::new(),
            mentions: Vec::new(),
        },
        fact_numbers: BTreeMap::new(),
        automatic: 0,
        errors: Vec::new(),
        tracer,
    };
    let mut run = Run::default();
    let mut excluded = 0usize;
    // The containers the walk is inside of, innermost last; kept only when tracing.
    let mut contexts: Vec<NotProse> = Vec::new();
    for (index, (event, range)) in events.iter().cloned().enumerate() {
        match event {
            Event::Text(text) if excluded == 0 => {
                let exact = body.get(range.clone()) == Some(text.as_ref());
                run.push_text(index, &text, range.start, exact);
            }
            Event::SoftBreak if excluded == 0 => run.text.push(' '),
            // Numbered wherever it stands, headings and link text included: the Markdown stage
            // renders every author reference it meets, and an unnumbered one would come out as
            // the literal text `[^label]` with its note lost.
            Event::FootnoteReference(label) => {
                // Lowercased: pulldown-cmark matches `[^Note]` to `[^note]:` regardless of case.
                run.refs.push((run.text.len(), label.to_lowercase()));
                run.text.push('\0');
            }
            Event::Start(tag) => {
                if let Some(context) = not_prose(&tag) {
                    excluded += 1;
                    if T::ON {
                        contexts.push(context);
                    }
                }
                if !is_inline(&tag) || is_excluded(&tag) {
                    state.flush(&mut run);
                }
            }
            Event::End(tag) => {
                if is_excluded_end(tag) {
                    excluded = excluded.saturating_sub(1);
                    if T::ON {
                        contexts.pop();
                    }
                }
                if !is_inline_end(tag) || is_excluded_end(tag) {
                    state.flush(&mut run);
                }
            }
            Event::Text(text) => {
                if T::ON {
                    if let Some(&context) = contexts.last() {
                        state.trace_not_prose(&text, range, context);
                    }
                }
            }
            Event::SoftBreak => {}
            other => {
                state.flush(&mut run);
                if T::ON {
                    match other {
                        Event::Code(text) => {
                            state.trace_not_prose(&text, range, NotProse::CodeSpan)
                        }
                        Event::Html(text) | Event::InlineHtml(text) => {
                            state.trace_not_prose(&text, range, NotProse::RawHtml);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    state.flush(&mut run);
    Error::collect(state.errors)?;
    let mut annotated = state.annotated;
    annotated.citations.sort_by_key(|citation| citation.start);
    Ok((annotated, state.tracer))
}

/// Containers whose text is never scanned for terms, and what to call them.
fn not_prose(tag: &Tag) -> Option<NotProse> {
    match tag {
        Tag::CodeBlock(_) | Tag::MetadataBlock(_) => Some(NotProse::CodeBlock),
        Tag::Heading { .. } => Some(NotProse::Heading),
        Tag::Link { .. } => Some(NotProse::LinkText),
        Tag::Image { .. } => Some(NotProse::ImageAlt),
        Tag::HtmlBlock => Some(NotProse::RawHtml),
        Tag::FootnoteDefinition(_) => Some(NotProse::FootnoteDefinition),
        _ => None,
    }
}

fn is_excluded(tag: &Tag) -> bool {
    not_prose(tag).is_some()
}

fn is_excluded_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::CodeBlock
            | TagEnd::Heading(_)
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::HtmlBlock
            | TagEnd::FootnoteDefinition
            | TagEnd::MetadataBlock(_)
    )
}

/// Inline containers do not end a run of prose: a term may span `*emphasis*`.
fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript
    )
}

fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The joined text of one block of prose and where each piece came from.
#[derive(Default)]
struct Run {
    text: String,
    segments: Vec<Segment>,
    /// Author footnote references: offset in `text` and label.
    refs: Vec<(usize, String)>,
}

struct Segment {
    event: usize,
    /// Range of this event's text within the run's text.
    range: Range<usize>,
    /// Byte offset of the event in the body.
    body_offset: usize,
    /// Whether the event's text is the body's text verbatim (no entity or smart quote), so
    /// offsets inside it map exactly onto the body.
    exact: bool,
}

impl Run {
    fn push_text(&mut self, event: usize, text: &str, body_offset: usize, exact: bool) {
        let start = self.text.len();
        self.text.push_str(text);
        self.segments.push(Segment {
            event,
            range: start..self.text.len(),
            body_offset,
            exact,
        });
    }

    /// The position of run offset `at`: inside the segment that holds the byte before it when
    /// `at_end`, or the byte at it otherwise.
    fn position(&self, at: usize, at_end: bool) -> Option<(&Segment, TextPos)> {
        self.segments
            .iter()
            .find(|s| {
                if at_end {
                    s.range.start < at && at <= s.range.end
                } else {
                    s.range.start <= at && at < s.range.end
                }
            })
            .map(|s| {
                let pos = TextPos {
                    event: s.event,
                    offset: at - s.range.start,
                };
                (s, pos)
            })
    }

    /// Byte offset in the body of run offset `at`, exact when the segment's text is verbatim.
    fn body_offset(&self, at: usize) -> usize {
        match self.position(at, false) {
            Some((segment, pos)) if segment.exact => segment.body_offset + pos.offset,
            Some((segment, _)) => segment.body_offset,
            None => self.segments.last().map_or(0, |s| s.body_offset),
        }
    }
}

/// Something in a run that may take a footnote number, in document order.
enum Item {
    AuthorRef(String),
    Explicit {
        range: Range<usize>,
        id: String,
    },
    Mention {
        range: Range<usize>,
        fact: usize,
        term: usize,
    },
}

struct State<'a, 'k, T> {
    brief: &'a Brief,
    knowledge: &'k KnowledgeBase,
    options: AnnotateOptions,
    annotated: AnnotatedBrief<'a>,
    fact_numbers: BTreeMap<usize, usize>,
    automatic: usize,
    errors: Vec<Error>,
    tracer: T,
}

impl<T: Tracer> State<'_, '_, T> {
    /// Reports the terms in `text`, an event at `range` of the body that is not prose.
    fn trace_not_prose(&mut self, text: &str, range: Range<usize>, context: NotProse) {
        let body = self.brief.body();
        // Where the event's text sits verbatim (a code span's range includes its backticks);
        // otherwise (an entity, a smart quote) the event's start is the closest place known.
        let verbatim = body
            .get(range.clone())
            .and_then(|source| source.find(text))
            .map(|at| range.start + at);
        for found in self.knowledge.matcher.find(text) {
            let offset = verbatim.map_or(range.start, |start| start + found.start);
            let span = self
                .brief
                .source
                .span(self.brief.body_offset + offset, found.end - found.start);
            self.tracer.hidden(HiddenMention {
                fact: found.fact,
                term: found.term,
                span,
                why: Hidden::NotProse(context),
            });
        }
    }

    /// Annotates the run, then empties it for the next, keeping its buffers: a fresh run for
    /// every paragraph grew its text and segments anew (a quarter of a million reallocations
    /// at 10,000 briefs).
    fn flush(&mut self, run: &mut Run) {
        if run.text.is_empty() {
            return;
        }
        self.annotate_run(run);
        run.text.clear();
        run.segments.clear();
        run.refs.clear();
    }

    fn annotate_run(&mut self, run: &Run) {
        let mut items: Vec<(usize, Item)> = Vec::new();
        for (offset, label) in &run.refs {
            items.push((*offset, Item::AuthorRef(label.clone())));
        }
        // `\[^x]` is the author asking for the literal text. Depending on what precedes it,
        // the escaped bracket starts a text event at the backslash or just after it.
        let body = self.brief.body().as_bytes();
        let explicit: Vec<_> = find_explicit_citations(&run.text)
            .into_iter()
            .filter(|(range, _)| {
                let at = run.body_offset(range.start);
                body.get(at) != Some(&b'\\') && (at == 0 || body.get(at - 1) != Some(&b'\\'))
            })
            .collect();
        for (range, id) in &explicit {
            items.push((
                range.start,
                Item::Explicit {
                    range: range.clone(),
                    id: id.clone(),
                },
            ));
        }
        let inside_citation = |found: &crate::matcher::TermMatch| {
            explicit
                .iter()
                .any(|(range, _)| found.start < range.end && range.start < found.end)
        };
        let found = if T::ON {
            let (chosen, overlapped) = self.knowledge.matcher.find_with_hidden(&run.text);
            for (lost, won) in overlapped {
                if lost.fact != won.fact && !inside_citation(&lost) {
                    let span = self.span(run, lost.start..lost.end);
                    self.tracer.hidden(HiddenMention {
                        fact: lost.fact,
                        term: lost.term,
                        span,
                        why: Hidden::Overlapped {
                            fact: won.fact,
                            term: won.term,
                            contains: won.start <= lost.start && lost.end <= won.end,
                        },
                    });
                }
            }
            chosen
        } else {
            self.knowledge.matcher.find(&run.text)
        };
        for found in found {
            if !inside_citation(&found) {
                items.push((
                    found.end,
                    Item::Mention {
                        range: found.start..found.end,
                        fact: found.fact,
                        term: found.term,
                    },
                ));
            }
        }
        // A mention's reference goes right after its term, so it comes before a `[^label]` that
        // starts where the term ends (`2020 war[^1]`): number it first.
        items.sort_by_key(|(offset, item)| (*offset, !matches!(item, Item::Mention { .. })));
        for (_, item) in items {
            self.take(run, item);
        }
    }

    fn take(&mut self, run: &Run, item: Item) {
        match item {
            Item::AuthorRef(label) => {
                if !self.annotated.author_numbers.contains_key(&label) {
                    let number = self.next_number(FootnoteSlot::Author(label.clone()));
                    self.annotated.author_numbers.insert(label, number);
                }
            }
            Item::Explicit { range, id } => {
                let at = self.source_range(run, range.clone());
                let Some(fact) = self.knowledge.index_of(&id) else {
                    self.errors.push(Error::user(
                        self.brief.source.span(at.start, at.len()),
                        format!(
                            "`[^{id}]` names no footnote in this brief and no fact in the knowledge file"
                        ),
                    ));
                    return;
                };
                let number = match self.fact_numbers.get(&fact) {
                    Some(&number) => number,
                    None => {
                        let number = self.next_number(FootnoteSlot::Fact(fact));
                        self.fact_numbers.insert(fact, number);
                        number
                    }
                };
                if let (Some((_, start)), Some((_, end))) = (
                    run.position(range.start, false),
                    run.position(range.end, true),
                ) {
                    self.annotated
                        .citations
                        .push(Citation { start, end, number });
                }
                self.record(fact, None, at, Outcome::ExplicitCitation);
            }
            Item::Mention { range, fact, term } => {
                let at = self.source_range(run, range.clone());
                let outcome = if !self.brief.meta.context {
                    Outcome::ContextOff
                } else if self.fact_numbers.contains_key(&fact) {
                    Outcome::AlreadyCited
                } else if !self.knowledge.holds_on(fact, self.brief.meta.date) {
                    Outcome::OutsideDates
                } else if self.automatic >= self.options.max_per_brief {
                    Outcome::OverLimit
                } else {
                    Outcome::Attached
                };
                if outcome == Outcome::Attached {
                    if let Some((_, at)) = run.position(range.end, true) {
                        let number = self.next_number(FootnoteSlot::Fact(fact));
                        self.fact_numbers.insert(fact, number);
                        self.automatic += 1;
                        self.annotated.citations.push(Citation {
                            start: at,
                            end: at,
                            number,
                        });
                    }
                }
                self.record(fact, Some(term), at, outcome);
            }
        }
    }

    fn next_number(&mut self, slot: FootnoteSlot) -> usize {
        self.annotated.footnotes.push(slot);
        self.annotated.footnotes.len()
    }

    fn span(&self, run: &Run, range: Range<usize>) -> Span {
        let at = self.source_range(run, range);
        self.brief.source.span(at.start, at.len())
    }

    /// The bytes of the brief's file that `range` of `run`'s text starts at, `range.len()` long.
    fn source_range(&self, run: &Run, range: Range<usize>) -> Range<usize> {
        let offset = self.brief.body_offset + run.body_offset(range.start);
        offset..offset + range.len()
    }

    fn record(&mut self, fact: usize, term: Option<usize>, at: Range<usize>, outcome: Outcome) {
        self.annotated.mentions.push(Mention {
            fact,
            term,
            at,
            outcome,
        });
    }
}

/// `[^label]` left in prose: pulldown-cmark turns a reference with a local definition into a
/// footnote event, so any that remain as text name no local footnote and are fact citations.
fn find_explicit_citations(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    // A search for the byte `[`, not for the two-byte string, which runs the slower general
    // substring search over every paragraph of every brief; with the memchr crate's vector
    // search, not `str::find`'s word-at-a-time one (1% of a 10k build's instructions).
    while let Some(relative) = memchr::memchr(b'[', &text.as_bytes()[from..]) {
        let start = from + relative;
        if text.as_bytes().get(start + 1) != Some(&b'^') {
            from = start + 1;
            continue;
        }
        let label_start = start + 2;
        let label_len = text[label_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(text.len() - label_start);
        let close = label_start + label_len;
        if label_len > 0 && text[close..].starts_with(']') {
            found.push((start..close + 1, text[label_start..close].to_string()));
            from = close + 1;
        } else {
            from = label_start;
        }
    }
    found
}

#[cfg(test)]
#[path = "annotate_tests.rs"]
mod tests;

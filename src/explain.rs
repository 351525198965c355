//! `briefing explain`: why each fact a brief mentions did, or did not, get a footnote.
//!
//! Steps: annotate the brief with the build's own annotator, traced (so the answer is the
//! build's decision, not a second opinion), turn each mention into an [`Item`] with its footnote
//! number or the [`Reason`] it has none, add the terms the build passed over (in code, links,
//! headings, or overlapped by another fact's term), and sort them into document order. The
//! knowledge lint reads the same items for every brief. Reading files happens only in [`run`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::annotate::{self, AnnotateOptions, FootnoteSlot, Hidden, NotProse, Outcome};
use crate::config;
use crate::content::{self, Brief};
use crate::error::{Error, SourceText, Span};
use crate::knowledge::{self, KnowledgeBase};
use crate::report::{self, Format};

/// Every mention of a fact in one brief, in document order.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub items: Vec<Item>,
}

/// One mention: a term of a fact, or an explicit `[^id]` citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub fact: usize,
    /// Which of the fact's terms matched; `None` for an explicit `[^id]` citation.
    pub term: Option<usize>,
    pub span: Span,
    pub status: Status,
}

/// Whether a mention got a footnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Attached { footnote: usize },
    NotAttached(Reason),
}

/// Why a mention got no footnote of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The brief's date lies outside the fact's `since`/`until`.
    OutsideDates,
    /// An earlier mention or citation already has the fact's footnote.
    AlreadyCited {
        footnote: usize,
        line: usize,
        col: usize,
    },
    /// The brief already has `max_per_brief` automatic notes.
    OverLimit,
    /// The brief sets `context: false`.
    ContextOff,
    /// The term is in text that is never annotated.
    NotProse(NotProse),
    /// Another fact's term overlaps this one and won.
    Overlapped {
        fact: usize,
        term: usize,
        contains: bool,
    },
}

impl Reason {
    /// A stable name for tools (`--format json`).
    pub fn code(self) -> &'static str {
        match self {
            Reason::OutsideDates => "outside-dates",
            Reason::AlreadyCited { .. } => "already-cited",
            Reason::OverLimit => "over-limit",
            Reason::ContextOff => "context-off",
            Reason::NotProse(NotProse::CodeSpan) => "code-span",
            Reason::NotProse(NotProse::CodeBlock) => "code-block",
            Reason::NotProse(NotProse::LinkText) => "link-text",
            Reason::NotProse(NotProse::ImageAlt) => "image-alt",
            Reason::NotProse(NotProse::Heading) => "heading",
            Reason::NotProse(NotProse::RawHtml) => "raw-html",
            Reason::NotProse(NotProse::FootnoteDefinition) => "footnote-text",
            Reason::Overlapped { .. } => "overlapped",
        }
    }

    /// The reason in words, for `fact` in `brief`.
    pub fn describe(
        self,
        fact: usize,
        brief: &Brief,
        knowledge: &KnowledgeBase,
        options: AnnotateOptions,
    ) -> String {
        let fact = &knowledge.facts[fact];
        match self {
            Reason::OutsideDates => format!(
                "outside its dates: `{}` holds {}, and the brief is dated {}",
                fact.id,
                fact.window(),
                brief.meta.date
            ),
            Reason::AlreadyCited {
                footnote,
                line,
                col,
            } => format!("already cited earlier: footnote {footnote} at {line}:{col}"),
            Reason::OverLimit => format!(
                "over `max_per_brief`: the brief already has {}",
                report::count(options.max_per_brief, "automatic note")
            ),
            Reason::ContextOff => "turned off: the brief sets `context: false`".to_string(),
            Reason::NotProse(context) => match context {
                NotProse::CodeSpan => "inside a code span",
                NotProse::CodeBlock => "inside a code block",
                NotProse::LinkText => "inside link text",
                NotProse::ImageAlt => "inside an image's alt text",
                NotProse::Heading => "inside a heading",
                NotProse::RawHtml => "inside raw HTML",
                NotProse::FootnoteDefinition => "inside the text of a footnote",
            }
            .to_string(),
            Reason::Overlapped {
                fact,
                term,
                contains,
            } => {
                let winner = &knowledge.facts[fact];
                let term = &winner.terms[term];
                if contains {
                    format!("inside the longer term \"{term}\" of `{}`", winner.id)
                } else {
                    format!(
                        "overlapped by the term \"{term}\" of `{}`, which starts earlier",
                        winner.id
                    )
                }
            }
        }
    }
}

/// Explains one brief: the build's decisions for it, and the terms the build passed over.
/// Fails only where the build fails (an explicit citation naming no fact).
pub fn explain(
    brief: &Brief,
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
) -> Result<Explanation, Error> {
    let (annotated, trace) = annotate::annotate_traced(brief, knowledge, options)?;
    let footnotes = annotated.footnotes;
    let footnote_of = |fact: usize| {
        footnotes
            .iter()
            .position(|slot| *slot == FootnoteSlot::Fact(fact))
            .map_or(0, |index| index + 1)
    };
    let mut items: Vec<Item> = Vec::with_capacity(annotated.mentions.len() + trace.hidden.len());
    for mention in annotated.mentions {
        let status = match mention.outcome {
            Outcome::Attached | Outcome::ExplicitCitation => Status::Attached {
                footnote: footnote_of(mention.fact),
            },
            Outcome::AlreadyCited => {
                // Mentions come in document order, so the first citation is already listed.
                let first = items.iter().find(|item| {
                    item.fact == mention.fact && matches!(item.status, Status::Attached { .. })
                });
                let (line, col) = first.map_or((0, 0), |item| (item.span.line, item.span.col));
                Status::NotAttached(Reason::AlreadyCited {
                    footnote: footnote_of(mention.fact),
                    line,
                    col,
                })
            }
            Outcome::OutsideDates => Status::NotAttached(Reason::OutsideDates),
            Outcome::OverLimit => Status::NotAttached(Reason::OverLimit),
            Outcome::ContextOff => Status::NotAttached(Reason::ContextOff),
        };
        items.push(Item {
            fact: mention.fact,
            term: mention.term,
            span: mention.span(&brief.source),
            status,
        });
    }
    items.extend(trace.hidden.into_iter().map(|hidden| Item {
        fact: hidden.fact,
        term: Some(hidden.term),
        span: hidden.span,
        status: Status::NotAttached(match hidden.why {
            Hidden::NotProse(context) => Reason::NotProse(context),
            Hidden::Overlapped {
                fact,
                term,
                contains,
            } => Reason::Overlapped {
                fact,
                term,
                contains,
            },
        }),
    }));
    // Stable: a mention and a term it overlapped keep the annotator's order.
    items.sort_by_key(|item| (item.span.line, item.span.col));
    Ok(Explanation { items })
}

impl Explanation {
    /// How many distinct footnotes the brief's facts got.
    pub fn facts_attached(&self) -> usize {
        let mut numbers: Vec<usize> = self
            .items
            .iter()
            .filter_map(|item| match item.status {
                Status::Attached { footnote } => Some(footnote),
                Status::NotAttached(_) => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers.len()
    }

    fn not_attached(&self) -> usize {
        self.items
            .iter()
            .filter(|item| matches!(item.status, Status::NotAttached(_)))
            .count()
    }

    /// The report for people: a heading line, then the attached facts and the mentions left
    /// without a note, one `path:line:col:` line each.
    pub fn human(
        &self,
        brief: &Brief,
        knowledge: &KnowledgeBase,
        options: AnnotateOptions,
    ) -> String {
        let mut out = format!(
            "{} ({}): {} attached, {} not attached\n",
            brief.source.path.display(),
            brief.meta.date,
            report::count(self.facts_attached(), "fact"),
            report::count(self.not_attached(), "mention"),
        );
        let describe = |item: &Item| {
            let fact = &knowledge.facts[item.fact];
            let what = match item.term {
                Some(term) => format!("term \"{}\"", fact.terms[term]),
                None => format!("cited as [^{}]", fact.id),
            };
            let at = &item.span;
            format!(
                "{}:{}:{}: `{}`, {what}",
                at.path.display(),
                at.line,
                at.col,
                fact.id
            )
        };
        let attached: Vec<&Item> = self
            .items
            .iter()
            .filter(|item| matches!(item.status, Status::Attached { .. }))
            .collect();
        if !attached.is_empty() {
            out.push_str("\nAttached:\n");
            for item in attached {
                if let Status::Attached { footnote } = item.status {
                    let line = describe(item);
                    out.push_str(&format!("{line} (footnote {footnote})\n"));
                }
            }
        }
        if self.not_attached() > 0 {
            out.push_str("\nNot attached:\n");
            for item in &self.items {
                if let Status::NotAttached(reason) = item.status {
                    let why = reason.describe(item.fact, brief, knowledge, options);
                    out.push_str(&format!("{}: {why}\n", describe(item)));
                }
            }
        }
        out
    }

    /// The report for tools: one JSON object (see README, "briefing explain").
    pub fn json(
        &self,
        brief: &Brief,
        knowledge: &KnowledgeBase,
        options: AnnotateOptions,
    ) -> String {
        let mentions = self
            .items
            .iter()
            .map(|item| {
                let fact = &knowledge.facts[item.fact];
                let (footnote, reason) = match item.status {
                    Status::Attached { footnote } => (Some(footnote), None),
                    Status::NotAttached(reason) => (None, Some(reason)),
                };
                JsonMention {
                    fact: &fact.id,
                    term: item.term.map(|term| fact.terms[term].as_str()),
                    line: item.span.line,
                    column: item.span.col,
                    length: item.span.len,
                    attached: footnote.is_some(),
                    footnote,
                    reason: reason.map(Reason::code),
                    message: reason.map(|r| r.describe(item.fact, brief, knowledge, options)),
                }
            })
            .collect();
        report::to_json(&JsonExplanation {
            brief: report::display_path(&brief.source.path),
            date: brief.meta.date.to_string(),
            context: brief.meta.context,
            facts_attached: self.facts_attached(),
            mentions_not_attached: self.not_attached(),
            mentions,
        })
    }
}

#[derive(Serialize)]
struct JsonExplanation<'a> {
    brief: String,
    date: String,
    context: bool,
    facts_attached: usize,
    mentions_not_attached: usize,
    mentions: Vec<JsonMention<'a>>,
}

#[derive(Serialize)]
struct JsonMention<'a> {
    fact: &'a str,
    /// The knowledge term that matched; `null` for an explicit `[^id]`.
    term: Option<&'a str>,
    line: usize,
    column: usize,
    length: usize,
    attached: bool,
    footnote: Option<usize>,
    reason: Option<&'static str>,
    message: Option<String>,
}

/// Loads the site at `root` and explains the brief at `path` (as the user typed it, from the
/// current folder, or relative to `root`), printing in `format`.
pub fn run(root: &Path, path: &Path, format: Format) -> Result<String, Error> {
    let loaded = config::load(root)?;
    let config = &loaded.config;
    let named = crate::yaml::find_key(&loaded.source, "knowledge", 0).is_some();
    let (file, shown) = locate(root, path);
    if !file.exists() {
        let under = if root == Path::new(".") {
            String::new()
        } else {
            format!(", here or under the site root {}", root.display())
        };
        return Err(Error::File {
            path: path.to_path_buf(),
            message: format!("no such file{under}"),
        });
    }
    let text =
        std::fs::read_to_string(&file).map_err(|error| Error::io("cannot read", &file, error))?;
    let brief = content::parse_brief(SourceText::new(shown, text));
    let knowledge = knowledge::load(root, &config.knowledge, named);
    let (brief, knowledge) = Error::both(brief, knowledge)?;
    let options = AnnotateOptions {
        max_per_brief: config.footnotes.max_per_brief,
        markdown: annotate::markdown_options(config.markdown.smart_punctuation),
    };
    let explanation = explain(&brief, &knowledge, options)?;
    let mut text = match format {
        Format::Human => explanation.human(&brief, &knowledge, options),
        Format::Json => explanation.json(&brief, &knowledge, options),
    };
    text.truncate(text.trim_end().len());
    Ok(text)
}

/// The file to read for `path`, and the path to show: relative to `root` when inside it, as
/// every other message shows paths.
fn locate(root: &Path, path: &Path) -> (PathBuf, PathBuf) {
    let file = if path.exists() || path.is_absolute() {
        path.to_path_buf()
    } else {
        let under_root = root.join(path);
        if under_root.exists() {
            under_root
        } else {
            path.to_path_buf()
        }
    };
    let shown = file
        .strip_prefix(root)
        .map_or_else(|_| file.clone(), Path::to_path_buf);
    (file, shown)
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;

//! The knowledge lint that `briefing check` adds to the build's own checks: what the build
//! accepts but an editor wants to hear about before readers notice.
//!
//! Steps: explain every brief (the build's decisions, traced, see [`crate::explain`]); from
//! those, find facts no brief cites, terms another fact's term always shadows, and explicit
//! citations dated outside the fact's window; from the knowledge file alone, find facts without
//! sources, facts with an empty note, and broken `@/` links in notes. Every finding is a warning
//! located in the knowledge file or the brief. Anything the build rejects stays the build's
//! error and is not repeated here. Reads files only in [`run`]; [`lint`] is pure.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::annotate::{self, AnnotateOptions};
use crate::config::{self, LoadedConfig};
use crate::content::{self, Corpus};
use crate::error::{Error, SourceText, Span};
use crate::explain::{self, Explanation, Item, Reason, Status};
use crate::knowledge::{self, Fact, KnowledgeBase};
use crate::links::{self, LinkMap};
use crate::pipeline::{self, BuildOptions, Built};
use crate::report::Diagnostic;
use crate::yaml;

/// What the lint looked at and what it found.
#[derive(Debug, Clone)]
pub struct Lint {
    pub briefs: usize,
    pub facts: usize,
    /// Sorted by file and position.
    pub warnings: Vec<Diagnostic>,
}

/// Loads the site as `build` would (same drafts rule) and lints it. Fails only when loading
/// fails, with the errors the build reports for the same files. For a site whose build failed;
/// after a successful one, [`after_build`] lints what the build loaded.
pub fn run(options: &BuildOptions) -> Result<Lint, Error> {
    let loaded = config::load(&options.root)?;
    let config = &loaded.config;
    let (corpus, knowledge) = rayon::join(
        || content::load(&options.root, options.drafts),
        || knowledge::load(&options.root, &config.knowledge, names_knowledge(&loaded)),
    );
    let (corpus, knowledge) = Error::both(corpus, knowledge)?;
    let annotate_options = AnnotateOptions {
        max_per_brief: config.footnotes.max_per_brief,
        markdown: annotate::markdown_options(config.markdown.smart_punctuation),
    };
    let links = pipeline::link_map(config, &corpus);
    lint_loaded(
        &options.root,
        &loaded,
        &corpus,
        &knowledge,
        &links,
        annotate_options,
    )
}

/// Lints what a successful build loaded.
pub fn after_build(root: &Path, built: &Built) -> Result<Lint, Error> {
    let (loaded, corpus, knowledge, links, options) = pipeline::loaded_inputs(built);
    lint_loaded(root, loaded, corpus, knowledge, links, options)
}

/// Reads the knowledge file's text again, to point into it, and lints.
fn lint_loaded(
    root: &Path,
    loaded: &LoadedConfig,
    corpus: &Corpus,
    knowledge: &KnowledgeBase,
    links: &LinkMap,
    options: AnnotateOptions,
) -> Result<Lint, Error> {
    let source = knowledge::read(root, &loaded.config.knowledge, names_knowledge(loaded))?;
    let warnings = lint(corpus, knowledge, source.as_ref(), links, options);
    Ok(Lint {
        briefs: corpus.briefs.len(),
        facts: knowledge.facts.len(),
        warnings,
    })
}

/// Whether `site.yaml` names the knowledge file (then it must exist), as the build decides.
fn names_knowledge(loaded: &LoadedConfig) -> bool {
    yaml::find_key(&loaded.source, "knowledge", 0).is_some()
}

/// Every warning for this corpus and knowledge base, sorted. `source` is the knowledge file the
/// base was parsed from, to point into it.
pub fn lint(
    corpus: &Corpus,
    knowledge: &KnowledgeBase,
    source: Option<&SourceText>,
    links: &LinkMap,
    options: AnnotateOptions,
) -> Vec<Diagnostic> {
    // A brief that fails to annotate is the build's error; it is left out here.
    let explained: Vec<Option<Explanation>> = corpus
        .briefs
        .par_iter()
        .map(|brief| explain::explain(brief, knowledge, options).ok())
        .collect();
    let mut warnings = Vec::new();
    let all_explained = explained.iter().all(Option::is_some);
    let usage = Usage::gather(knowledge, &explained);
    for (index, fact) in knowledge.facts.iter().enumerate() {
        // With a brief missing, a fact it cites would look unused.
        if all_explained && !usage.cited[index] {
            let first = usage.first_mention[index].and_then(|(b, i)| {
                let item = explained[b].as_ref()?.items.get(i)?;
                Some((&corpus.briefs[b], item))
            });
            warnings.push(unused(fact, first, knowledge, options));
        }
        if let Some(source) = source {
            warnings.extend(fact_warnings(fact, source, links, options));
        }
    }
    for ((fact, term), shadow) in &usage.terms {
        if shadow.won == 0 {
            if let (Some(source), Some(first)) = (source, &shadow.first_lost) {
                warnings.push(shadowed(
                    &knowledge.facts[*fact],
                    *term,
                    source,
                    shadow.lost,
                    first,
                    knowledge,
                ));
            }
        }
    }
    for (brief, explanation) in corpus.briefs.iter().zip(&explained) {
        let Some(explanation) = explanation else {
            continue;
        };
        let mut warned = Vec::new();
        for item in &explanation.items {
            let fact = &knowledge.facts[item.fact];
            let explicit = item.term.is_none() && matches!(item.status, Status::Attached { .. });
            if explicit
                && !knowledge.holds_on(item.fact, brief.meta.date)
                && !warned.contains(&item.fact)
            {
                warned.push(item.fact);
                warnings.push(Diagnostic::warning(
                    "citation-outside-dates",
                    item.span.clone(),
                    format!(
                        "`[^{id}]` cites `{id}` outside its dates: it holds {}, and the brief is dated {}",
                        fact.window(),
                        brief.meta.date,
                        id = fact.id
                    ),
                ));
            }
        }
    }
    crate::report::sort(&mut warnings);
    warnings
}

/// How a term fared across all briefs: how often it won in prose, how often another fact's
/// term took its place, and the first such place.
#[derive(Default)]
struct Shadow {
    won: usize,
    lost: usize,
    first_lost: Option<Lost>,
}

/// Where a term first lost, and to which fact's term.
struct Lost {
    at: Span,
    fact: usize,
    term: usize,
}

/// Citations and mentions of every fact and term, across the corpus.
struct Usage {
    cited: Vec<bool>,
    /// The first mention (brief, item) of each fact that got no note.
    first_mention: Vec<Option<(usize, usize)>>,
    /// Per (fact, term) that was overlapped at least once or won at least once.
    terms: BTreeMap<(usize, usize), Shadow>,
}

impl Usage {
    fn gather(knowledge: &KnowledgeBase, explained: &[Option<Explanation>]) -> Usage {
        let facts = knowledge.facts.len();
        let mut usage = Usage {
            cited: vec![false; facts],
            first_mention: vec![None; facts],
            terms: BTreeMap::new(),
        };
        for (b, explanation) in explained.iter().enumerate() {
            let Some(explanation) = explanation else {
                continue;
            };
            for (i, item) in explanation.items.iter().enumerate() {
                match item.status {
                    Status::Attached { .. } => usage.cited[item.fact] = true,
                    Status::NotAttached(_) => {
                        usage.first_mention[item.fact].get_or_insert((b, i));
                    }
                }
                let Some(term) = item.term else { continue };
                match item.status {
                    Status::NotAttached(Reason::Overlapped { fact, term: by, .. }) => {
                        let shadow = usage.terms.entry((item.fact, term)).or_default();
                        shadow.lost += 1;
                        shadow.first_lost.get_or_insert(Lost {
                            at: item.span.clone(),
                            fact,
                            term: by,
                        });
                    }
                    Status::NotAttached(Reason::NotProse(_)) => {}
                    _ => usage.terms.entry((item.fact, term)).or_default().won += 1,
                }
            }
        }
        usage
    }
}

/// `unused-fact`, at the fact's `id:`; when a brief mentions it, says where and why no note.
fn unused(
    fact: &Fact,
    first: Option<(&content::Brief, &Item)>,
    knowledge: &KnowledgeBase,
    options: AnnotateOptions,
) -> Diagnostic {
    let mut message = format!("fact `{}` is cited by no brief", fact.id);
    if let Some((brief, item)) = first {
        if let Status::NotAttached(reason) = item.status {
            let why = reason.describe(item.fact, brief, knowledge, options);
            let why = why
                .split_once(": ")
                .map_or(why.as_str(), |(short, _)| short);
            message.push_str(&format!(
                "; {}:{}:{} mentions it but gets no note ({why}; see `briefing explain {}`)",
                item.span.path.display(),
                item.span.line,
                item.span.col,
                item.span.path.display(),
            ));
        }
    }
    Diagnostic::warning("unused-fact", fact.span.clone(), message)
}

/// `shadowed-term`, at the term in the knowledge file.
fn shadowed(
    fact: &Fact,
    term: usize,
    source: &SourceText,
    lost: usize,
    first: &Lost,
    knowledge: &KnowledgeBase,
) -> Diagnostic {
    let winner = &knowledge.facts[first.fact];
    let text = &fact.terms[term];
    let span = term_span(fact, text, source);
    Diagnostic::warning(
        "shadowed-term",
        span,
        format!(
            "term \"{text}\" of `{}` is always shadowed: another fact's term wins at {} (first at {}:{}:{}, by \"{}\" of `{}`)",
            fact.id,
            if lost == 1 {
                "its only mention".to_string()
            } else {
                format!("all {lost} of its mentions")
            },
            first.at.path.display(),
            first.at.line,
            first.at.col,
            winner.terms[first.term],
            winner.id
        ),
    )
}

/// Where `term` is written in the fact's entry: after `terms:`, quoted if it is quoted.
fn term_span(fact: &Fact, term: &str, source: &SourceText) -> Span {
    let from = yaml::find_key(source, "terms", fact.range.start)
        .map(|(_, offset)| offset)
        .filter(|offset| *offset < fact.range.end)
        .unwrap_or(fact.range.start);
    for needle in [format!("\"{term}\""), format!("'{term}'"), term.to_string()] {
        if let Some(span) = yaml::find_value(source, &needle, from, fact.range.end) {
            return span;
        }
    }
    fact.span.clone()
}

/// The warnings that need only the fact itself: `no-sources`, `empty-note`, `broken-link`.
fn fact_warnings(
    fact: &Fact,
    source: &SourceText,
    links: &LinkMap,
    options: AnnotateOptions,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let key = |key: &str| {
        yaml::find_key(source, key, fact.range.start)
            .filter(|(_, offset)| *offset < fact.range.end)
            .map_or_else(|| fact.span.clone(), |(span, _)| span)
    };
    if fact.sources.is_empty() {
        warnings.push(Diagnostic::warning(
            "no-sources",
            fact.span.clone(),
            format!(
                "fact `{}` has no sources: readers cannot check its note",
                fact.id
            ),
        ));
    }
    if fact.note.trim().is_empty() {
        warnings.push(Diagnostic::warning(
            "empty-note",
            key("note"),
            format!(
                "fact `{}` has an empty note: its footnote would show only its sources",
                fact.id
            ),
        ));
    }
    for (range, message) in links::broken(&fact.note, links, options.markdown) {
        let link = &fact.note[range];
        let dest = link
            .find("@/")
            .map(|at| &link[at..])
            .map(|rest| rest.split([')', ' ', '>', '"']).next().unwrap_or(rest));
        let span = dest
            .and_then(|dest| yaml::find_value(source, dest, fact.range.start, fact.range.end))
            .unwrap_or_else(|| fact.span.clone());
        warnings.push(Diagnostic::warning(
            "broken-link",
            span,
            format!("in the note of `{}`: {message}", fact.id),
        ));
    }
    warnings
}

#[cfg(test)]
#[path = "lint_tests.rs"]
mod tests;

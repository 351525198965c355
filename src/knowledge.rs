//! The knowledge file: `content/knowledge.yaml` → [`KnowledgeBase`].
//!
//! Steps: parse the YAML strictly, check each fact (id shape, non-empty terms, http(s) sources,
//! a window whose start is not after its end), check across facts (unique ids, no term claimed
//! by two facts), then build the one term trie every brief is scanned with. All problems in the
//! file are reported together. This stage owns [`Fact`] and the [`Matcher`] it builds; it knows
//! nothing about briefs.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::content::is_web_url;
use crate::date::Date;
use crate::error::{Error, SourceText, Span};
use crate::matcher::{Matcher, fold};
use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnowledgeFile {
    #[serde(default)]
    entries: Vec<RawFact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    id: String,
    title: String,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    since: Option<Date>,
    #[serde(default)]
    until: Option<Date>,
}

/// Where a fact's background comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
}

/// One background fact, checked.
#[derive(Debug, Clone)]
pub struct Fact {
    pub id: String,
    pub title: String,
    pub terms: Vec<String>,
    /// Markdown, rendered like a brief body.
    pub note: String,
    pub sources: Vec<Source>,
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// The fact's `id:` line, for messages about the fact as a whole.
    pub span: Span,
    /// The entry's bytes in the knowledge file (from its `id:` to the next entry's), so that
    /// a later check can point at one of its values with [`yaml::find_value`].
    pub range: Range<usize>,
}

impl Fact {
    /// Whether the fact holds on `date`: inside `[since, until]`, either end open when unset.
    pub fn holds_on(&self, date: Date) -> bool {
        Window::of(self).contains(date)
    }

    /// The dates the fact holds on, in words for messages: `from 2020-09-27 to 2020-11-10`,
    /// `from 2020-09-27`, `until 1994-05-12`, or `on every date`.
    pub fn window(&self) -> String {
        match (self.since, self.until) {
            (Some(since), Some(until)) => format!("from {since} to {until}"),
            (Some(since), None) => format!("from {since}"),
            (None, Some(until)) => format!("until {until}"),
            (None, None) => "on every date".to_string(),
        }
    }
}

/// Every fact in file order, an index by id, and the term trie over all of them.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub facts: Vec<Fact>,
    by_id: BTreeMap<String, usize>,
    pub matcher: Matcher,
    /// Each fact's dates, by index, as [`KnowledgeBase::holds_on`] reads them.
    windows: Vec<Window>,
}

/// A fact's first and last day as day numbers, open ends as the smallest and largest. The
/// annotator asks whether a fact holds at each first mention of it in a brief: read from the
/// facts themselves (a quarter of a kilobyte each), that was a cache miss per mention once the
/// knowledge file outgrew the caches; with 5,000 facts, perf put a third of the mention loop's
/// samples on that one load. Eight bytes a fact keep thousands of them in the nearest cache.
#[derive(Debug, Clone, Copy)]
struct Window {
    since: i32,
    until: i32,
}

impl Window {
    fn of(fact: &Fact) -> Window {
        Window {
            since: fact.since.map_or(i32::MIN, Date::day_number),
            until: fact.until.map_or(i32::MAX, Date::day_number),
        }
    }

    /// Whether `date`'s day is inside the window: the time of day never counts, so a fact that
    /// holds until a day holds all of that day.
    fn contains(self, date: Date) -> bool {
        (self.since..=self.until).contains(&date.day_number())
    }
}

impl KnowledgeBase {
    /// The index of the fact called `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether fact `fact` holds on `date`: [`Fact::holds_on`], from a compact table.
    pub fn holds_on(&self, fact: usize, date: Date) -> bool {
        self.windows[fact].contains(date)
    }

    /// A knowledge base with no facts, for sites without a knowledge file.
    pub fn empty() -> KnowledgeBase {
        build(Vec::new()).expect("an empty trie always builds")
    }
}

/// Reads `root/<path>`. A missing file is an empty knowledge base unless `required` (the site
/// named it explicitly).
pub fn load(root: &Path, path: &Path, required: bool) -> Result<KnowledgeBase, Error> {
    match read(root, path, required)? {
        Some(source) => parse(source),
        None => Ok(KnowledgeBase::empty()),
    }
}

/// The knowledge file's text, for callers that point into it after [`parse`]; `None` when it
/// is missing and not `required`, as in [`load`].
pub fn read(root: &Path, path: &Path, required: bool) -> Result<Option<SourceText>, Error> {
    let full = root.join(path);
    match std::fs::read_to_string(&full) {
        Ok(text) => Ok(Some(SourceText::new(path, text))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        Err(error) => Err(Error::io("cannot read knowledge file", full, error)),
    }
}

/// Parses and checks a knowledge file already in memory.
pub fn parse(source: SourceText) -> Result<KnowledgeBase, Error> {
    let file: KnowledgeFile = if source.text.trim().is_empty() {
        KnowledgeFile {
            entries: Vec::new(),
        }
    } else {
        yaml::parse(&source, &source.text, 1, "knowledge file")?
    };
    let mut errors = Vec::new();
    let mut facts = Vec::with_capacity(file.entries.len());
    // Entries start at their `id:` lines, in order; each check below searches within one entry.
    let mut entry_starts = Vec::with_capacity(file.entries.len());
    let mut cursor = 0;
    for _ in &file.entries {
        let found = yaml::find_key(&source, "id", cursor);
        let offset = found.as_ref().map_or(cursor, |(_, offset)| *offset);
        entry_starts.push((found.map(|(span, _)| span), offset));
        cursor = offset + 1;
    }
    for (index, raw) in file.entries.into_iter().enumerate() {
        let (id_span, start) = entry_starts[index].clone();
        let end = entry_starts
            .get(index + 1)
            .map_or(source.text.len(), |(_, next)| *next);
        let entry = Entry {
            source: &source,
            start,
            end,
        };
        let span = id_span.unwrap_or_else(|| source.span(start, 1));
        check_fact(&raw, &entry, &span, &mut errors);
        facts.push(Fact {
            id: raw.id,
            title: raw.title,
            terms: raw.terms.iter().map(|t| t.trim().to_string()).collect(),
            note: raw.note,
            sources: raw.sources,
            since: raw.since,
            until: raw.until,
            span,
            range: start..end,
        });
    }
    check_across_facts(&facts, &source, &entry_starts, &mut errors);
    Error::collect(errors)?;
    build(facts).map_err(|error| Error::File {
        path: source.path.clone(),
        message: format!("the knowledge terms are too many to index: {error}"),
    })
}

fn build(facts: Vec<Fact>) -> Result<KnowledgeBase, crate::matcher::TooLarge> {
    let matcher = Matcher::new(facts.iter().map(|fact| fact.terms.as_slice()))?;
    let by_id = facts
        .iter()
        .enumerate()
        .map(|(index, fact)| (fact.id.clone(), index))
        .collect();
    let windows = facts.iter().map(Window::of).collect();
    Ok(KnowledgeBase {
        facts,
        by_id,
        matcher,
        windows,
    })
}

/// One entry's byte range in the file, to point at what the entry wrote.
struct Entry<'a> {
    source: &'a SourceText,
    start: usize,
    end: usize,
}

impl Entry<'_> {
    fn key(&self, key: &str, fallback: &Span) -> Span {
        yaml::find_key(self.source, key, self.start)
            .filter(|(_, offset)| *offset < self.end)
            .map_or_else(|| fallback.clone(), |(span, _)| span)
    }

    fn value(&self, value: &str, fallback: &Span) -> Span {
        yaml::find_value(self.source, value, self.start, self.end)
            .unwrap_or_else(|| fallback.clone())
    }
}

fn check_fact(raw: &RawFact, entry: &Entry, span: &Span, errors: &mut Vec<Error>) {
    if !is_fact_id(&raw.id) {
        errors.push(Error::user(
            entry.value(&raw.id, span),
            format!(
                "invalid fact id `{}`, expected lowercase letters, digits and `-`",
                raw.id
            ),
        ));
    } else if let Some(problem) = crate::content::path_name_problem(&raw.id) {
        errors.push(Error::user(
            entry.value(&raw.id, span),
            format!("fact id `{}` {problem}", raw.id),
        ));
    }
    if raw.title.trim().is_empty() {
        errors.push(Error::user(
            entry.key("title", span),
            "`title` must not be empty",
        ));
    }
    for term in &raw.terms {
        if term.trim().is_empty() {
            errors.push(Error::user(
                entry.key("terms", span),
                "a term must not be empty",
            ));
        }
    }
    for source in &raw.sources {
        if !is_web_url(&source.url) {
            errors.push(Error::user(
                entry.value(&source.url, span),
                format!(
                    "invalid source url `{}`, expected an http(s) URL",
                    source.url
                ),
            ));
        }
    }
    if let (Some(since), Some(until)) = (raw.since, raw.until) {
        if since > until {
            errors.push(Error::user(
                entry.key("until", span),
                format!("`until` ({until}) is before `since` ({since}): the fact would never hold"),
            ));
        }
    }
}

fn check_across_facts(
    facts: &[Fact],
    source: &SourceText,
    entry_starts: &[(Option<Span>, usize)],
    errors: &mut Vec<Error>,
) {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut terms: BTreeMap<String, usize> = BTreeMap::new();
    for (index, fact) in facts.iter().enumerate() {
        if let Some(first) = ids.insert(&fact.id, index) {
            ids.insert(&facts[first].id, first);
            errors.push(Error::user(
                fact.span.clone(),
                format!(
                    "duplicate fact id `{}` (first defined on line {})",
                    fact.id, facts[first].span.line
                ),
            ));
        }
        let entry = Entry {
            source,
            start: entry_starts[index].1,
            end: entry_starts
                .get(index + 1)
                .map_or(source.text.len(), |(_, next)| *next),
        };
        for term in &fact.terms {
            let key = fold(term);
            match terms.get(&key) {
                Some(&other) if other != index => errors.push(Error::user(
                    entry.value(term, &fact.span),
                    format!(
                        "term `{term}` is claimed by two facts: `{}` and `{}`",
                        facts[other].id, fact.id
                    ),
                )),
                Some(_) => {}
                None => {
                    terms.insert(key, index);
                }
            }
        }
    }
}

/// Fact ids appear in URLs and in `[^id]` citations: lowercase ASCII, digits and dashes.
pub fn is_fact_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::date::Date;
    use crate::error::SourceText;

    const TWO: &str = "entries:\n  - id: war\n    title: War\n    terms: [\"2020 war\"]\n    since: 2020-09-27\n    until: 2020-11-10\n  - id: peace\n    title: Peace\n    terms: [peace]\n";

    #[test]
    fn loads_facts_in_file_order_with_their_windows() {
        let kb = parse(SourceText::new("k.yaml", TWO)).unwrap();
        assert_eq!(kb.facts.len(), 2);
        assert_eq!(kb.index_of("peace"), Some(1));
        let war = &kb.facts[0];
        assert!(war.holds_on(Date::parse("2020-10-01").unwrap()));
        assert!(war.holds_on(Date::parse("2020-11-10").unwrap()));
        assert!(!war.holds_on(Date::parse("2020-11-11").unwrap()));
        assert_eq!(war.span.line, 2);
    }

    #[test]
    fn the_window_table_agrees_with_each_fact() {
        let text =
            format!("{TWO}  - id: old\n    title: Old\n    terms: [old]\n    until: 1994-05-12\n");
        let kb = parse(SourceText::new("k.yaml", &text)).unwrap();
        let days = [
            "0001-01-01",
            "1994-05-12",
            "1994-05-13",
            "2020-09-26",
            "2020-09-27T00:00:01+14:00",
            "2020-11-10T23:59:59-12:00",
            "2020-11-11",
            "9999-12-31",
        ];
        for (index, fact) in kb.facts.iter().enumerate() {
            for day in days {
                let date = Date::parse(day).unwrap();
                assert_eq!(
                    kb.holds_on(index, date),
                    fact.holds_on(date),
                    "{} {day}",
                    fact.id
                );
            }
        }
        let war = Date::parse("2020-11-10T23:59:59-12:00").unwrap();
        assert!(kb.holds_on(0, war) && kb.holds_on(1, war) && !kb.holds_on(2, war));
    }

    #[test]
    fn duplicate_ids_and_shared_terms_are_reported_together() {
        let text = format!("{TWO}  - id: war\n    title: Again\n    terms: [Peace]\n");
        assert!(parse(SourceText::new("k.yaml", text.clone())).is_err());
        let report = parse(SourceText::new("k.yaml", text)).unwrap_err().report();
        assert!(
            report
                .contains("k.yaml:10:5: error: duplicate fact id `war` (first defined on line 2)"),
            "{report}"
        );
        assert!(
            report.contains(
                "k.yaml:12:13: error: term `Peace` is claimed by two facts: `peace` and `war`"
            ),
            "{report}"
        );
        assert!(report.ends_with("2 errors\n"));
    }

    #[test]
    fn terms_that_fold_alike_are_one_term() {
        let text = "entries:\n  - id: a\n    title: A\n    terms: [\"Turkey's role\"]\n  - id: b\n    title: B\n    terms: [\"TURKEY’S ROLE\"]\n";
        let report = parse(SourceText::new("k.yaml", text)).unwrap_err().report();
        assert!(
            report.contains("is claimed by two facts: `a` and `b`"),
            "{report}"
        );
    }

    #[test]
    fn issue_9_fact_ids_that_cannot_be_folder_names_are_refused() {
        let text = "entries:\n  - id: aux\n    title: A\n";
        let report = parse(SourceText::new("k.yaml", text)).unwrap_err().report();
        assert!(
            report.starts_with(
                "k.yaml:2:9: error: fact id `aux` is a name Windows reserves for a device"
            ),
            "{report}"
        );
    }

    #[test]
    fn javascript_source_urls_are_refused() {
        let text = "entries:\n  - id: a\n    title: A\n    sources:\n      - { title: x, url: \"javascript:alert(1)\" }\n";
        let report = parse(SourceText::new("k.yaml", text)).unwrap_err().report();
        assert!(
            report.starts_with("k.yaml:5:27: error: invalid source url"),
            "{report}"
        );
    }
}

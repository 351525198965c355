//! Loading briefs: `content/briefs/**/*.md` → [`Corpus`].
//!
//! Steps: walk the folder in file-name order (so every later stage sees the same order), split
//! each file into YAML front matter and Markdown body, parse the front matter strictly, derive
//! the slug, check URLs and tags, drop drafts unless asked for, and reject duplicate slugs.
//! Every file is read and checked even after one fails, and all errors are returned together.
//! This stage owns the [`Brief`] type; it does not look at the body's Markdown.

use std::path::{Path, PathBuf};

use rayon::iter::Either;
use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::date::Date;
use crate::error::{Error, SourceText};
use crate::yaml;

/// Where briefs live under the site root.
pub const BRIEFS_DIR: &str = "content/briefs";

/// Front matter as the author wrote it. Unknown keys are an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub date: Date,
    /// When the brief was last changed, if after `date`: feeds and the sitemap report it.
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default)]
    pub image: Option<Image>,
    #[serde(default)]
    pub draft: bool,
    /// `false` turns off automatic knowledge footnotes for this brief.
    #[serde(default = "yes")]
    pub context: bool,
    #[serde(default)]
    pub slug: Option<String>,
}

fn yes() -> bool {
    true
}

/// An illustration shown above the body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    pub alt: String,
    #[serde(default)]
    pub caption: Option<String>,
}

/// One brief, checked and ready to annotate. Immutable from here on.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The whole file, path relative to the site root.
    pub source: SourceText,
    /// Byte offset in `source.text` where the Markdown body starts.
    pub body_offset: usize,
    pub slug: String,
    pub meta: FrontMatter,
    /// Tags as `(slug, name as written)`, in the author's order, without duplicates.
    pub tags: Vec<(String, String)>,
}

impl Brief {
    /// The Markdown body, after the closing `---`.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }

    /// Frees the Markdown body once it is rendered, keeping the front matter (the body reads
    /// as empty afterwards): a build renders each brief once, and on a 10,000-brief site the
    /// bodies are a fifth of its memory.
    pub fn forget_body(&mut self) {
        self.source.truncate(self.body_offset);
    }
}

/// Every brief of the site, in file-path order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub briefs: Vec<Brief>,
    /// Drafts this build leaves out, by path, so a link to one can say so.
    pub left_out: Vec<PathBuf>,
}

/// Reads every brief under `root/content/briefs`. Drafts are kept only when `include_drafts`.
pub fn load(root: &Path, include_drafts: bool) -> Result<Corpus, Error> {
    let dir = root.join(BRIEFS_DIR);
    if !dir.is_dir() {
        return Ok(Corpus::default());
    }
    let mut paths = Vec::new();
    for entry in WalkDir::new(&dir) {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&dir).to_path_buf();
            Error::io("cannot read", path, error.into())
        })?;
        let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
        if entry.file_type().is_file() && is_markdown {
            paths.push(entry.into_path());
        }
    }
    sort_as_walked(&mut paths);
    // Briefs go straight from the thread that parsed them to their place in the corpus, in
    // order; drafts left out and errors, the rare rest, are sorted out after. Gathering them
    // one by one on one thread took 55 ms at 100,000 briefs while the other thread waited.
    let (briefs, rest): (Vec<Brief>, Vec<Result<PathBuf, Error>>) = paths
        .par_iter()
        // Runs of at most 256: rayon otherwise left one thread parsing the last 6,000 briefs
        // of 100,000 alone, 70 ms, while the other had nothing to take.
        .with_max_len(256)
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|error| Error::io("cannot read", path, error))?;
            let shown = path.strip_prefix(root).unwrap_or(path);
            parse_brief(SourceText::new(shown, text))
        })
        .partition_map(|result| match result {
            Ok(brief) if !brief.meta.draft || include_drafts => Either::Left(brief),
            Ok(draft) => Either::Right(Ok(draft.source.path)),
            Err(error) => Either::Right(Err(error)),
        });
    let mut left_out = Vec::new();
    let mut errors = Vec::new();
    for result in rest {
        match result {
            Ok(path) => left_out.push(path),
            Err(error) => errors.push(error),
        }
    }
    errors.extend(duplicate_slugs(&briefs));
    Error::collect(errors)?;
    Ok(Corpus { briefs, left_out })
}

/// Parses one brief file already in memory.
pub fn parse_brief(source: SourceText) -> Result<Brief, Error> {
    let (front, front_line, body_offset) = split_front_matter(&source)?;
    let meta: FrontMatter = yaml::parse(&source, front, front_line, "front matter")?;
    let at_key = |key: &str, message: String| match yaml::find_key(&source, key, 0) {
        Some((span, _)) => Error::user(span, message),
        None => Error::user(source.span(0, 3), message),
    };
    if meta.title.trim().is_empty() {
        return Err(at_key("title", "`title` must not be empty".into()));
    }
    let slug = match &meta.slug {
        Some(slug) if is_safe_slug(slug) => match path_name_problem(slug) {
            Some(problem) => return Err(at_key("slug", format!("slug `{slug}` {problem}"))),
            None => slug.clone(),
        },
        Some(slug) => {
            return Err(at_key(
                "slug",
                format!("invalid slug `{slug}`, expected lowercase letters, digits, `-` and `_`"),
            ));
        }
        None => {
            let stem = source
                .path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                return Err(Error::user(
                    source.span(0, 3),
                    format!("cannot make a URL slug from the file name `{stem}`; set `slug:`"),
                ));
            }
            if let Some(problem) = path_name_problem(&slug) {
                return Err(Error::user(
                    source.span(0, 3),
                    format!("the slug `{slug}` made from the file name {problem}; set `slug:`"),
                ));
            }
            slug
        }
    };
    if meta.updated.is_some_and(|updated| updated < meta.date) {
        return Err(at_key(
            "updated",
            format!("`updated` is before `date` ({})", meta.date),
        ));
    }
    if let Some(url) = &meta.source_url {
        if !is_web_url(url) {
            return Err(at_key(
                "source_url",
                format!("invalid source_url `{url}`, expected an http(s) URL"),
            ));
        }
    }
    if let Some(image) = &meta.image {
        if image.src.contains(':') && !is_web_url(&image.src) {
            // `image: { src: ... }` is usually written inline, where no line starts with `src:`.
            let span = yaml::find_key(&source, "src", 0)
                .map(|(span, _)| span)
                .or_else(|| yaml::find_value(&source, &image.src, 0, body_offset))
                .unwrap_or_else(|| source.span(0, 3));
            return Err(Error::user(
                span,
                format!(
                    "invalid image src `{}`, expected an http(s) URL or a path in the site",
                    image.src
                ),
            ));
        }
    }
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in &meta.tags {
        let tag_slug = slugify(tag);
        if tag_slug.is_empty() {
            return Err(at_key(
                "tags",
                format!("tag `{tag}` has no letters or digits to make a URL from"),
            ));
        }
        if let Some(problem) = path_name_problem(&tag_slug) {
            return Err(at_key(
                "tags",
                format!("tag `{tag}` cannot be a folder name: `{tag_slug}` {problem}"),
            ));
        }
        if !tags.iter().any(|(existing, _)| *existing == tag_slug) {
            tags.push((tag_slug, tag.trim().to_string()));
        }
    }
    Ok(Brief {
        source,
        body_offset,
        slug,
        meta,
        tags,
    })
}

/// Splits `---\n<yaml>\n---\n<body>`. Returns the YAML, its first line (1-based) and the byte
/// offset of the body.
fn split_front_matter(source: &SourceText) -> Result<(&str, usize, usize), Error> {
    let text = source.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let Some(after_open) = strip_fence(&text[start..]) else {
        return Err(Error::user(
            source.span(start, 3),
            "expected front matter: a brief starts with a `---` line, then YAML, then `---`",
        ));
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body = offset + line.len();
            return Ok((&text[yaml_start..offset], 2, body));
        }
        offset += line.len();
    }
    Err(Error::user(
        source.span(start, 3),
        "front matter is never closed: expected a `---` line after the YAML",
    ))
}

/// The text after an opening `---` line, if `text` starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Lowercase ASCII letters and digits joined by single dashes; other letters are kept as they
/// are lowercased (so `Նորություններ` stays readable), punctuation becomes a dash.
pub fn slugify(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        slugify_ascii(text)
    } else {
        slugify_chars(text)
    }
}

fn slugify_chars(text: &str) -> String {
    join_words(
        text.len(),
        text.chars().flat_map(char::to_lowercase),
        char::is_alphanumeric,
    )
}

/// [`slugify`] of ASCII text, a byte at a time: for ASCII, `char::to_lowercase` and
/// `char::is_alphanumeric` are their ASCII forms, and their Unicode tables made every brief's
/// file name and tags cost a few hundred instructions each.
fn slugify_ascii(text: &str) -> String {
    join_words(
        text.len(),
        text.bytes()
            .map(|byte| char::from(byte.to_ascii_lowercase())),
        |c| c.is_ascii_alphanumeric(),
    )
}

/// The word characters of `chars` (and `_`), each run of others one dash, none at either end;
/// `bytes` is about how long the result may be.
fn join_words(
    bytes: usize,
    chars: impl Iterator<Item = char>,
    is_word: impl Fn(char) -> bool,
) -> String {
    let mut slug = String::with_capacity(bytes);
    for c in chars {
        if is_word(c) || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A slug that is safe as one path component: no separators, dots, or control characters.
pub fn is_safe_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Longest slug, tag or fact id, in bytes: each becomes one folder name of the output, and
/// file systems refuse names over 255 bytes; the margin leaves room for a suffix.
pub const MAX_NAME_BYTES: usize = 200;

/// Why `name` cannot be one folder name of the output, although its characters are safe
/// (letters, digits, `-`, `_`): too long for a file system, or a name Windows reserves for a
/// device (`con`, `nul`, `com1`...), which would make the built site impossible to check out
/// there. `None` when it can.
pub fn path_name_problem(name: &str) -> Option<String> {
    if name.len() > MAX_NAME_BYTES {
        return Some(format!(
            "is too long: {} bytes, at most {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    is_reserved_name(name).then(|| "is a name Windows reserves for a device".to_string())
}

/// Puts `paths` in the order a walk visiting each folder's entries by name gives (a folder's
/// files right where its name sorts), so that every later stage sees the same order.
///
/// Sorted here rather than by the walk: `WalkDir::sort_by_file_name` finds each name with
/// `Path::file_name` at every comparison, which was 3% of a 10,000-brief build. Comparing
/// paths as bytes with the separator made the lowest byte gives the same order as comparing
/// them part by part: `a/x.md` before `a.md`, as `a` sorts before `a.md`.
pub fn sort_as_walked(paths: &mut [PathBuf]) {
    let is_separator = |byte: u8| byte == b'/' || (cfg!(windows) && byte == b'\\');
    paths.par_sort_by_cached_key(|path| {
        path.as_os_str()
            .as_encoded_bytes()
            .iter()
            .map(|&byte| if is_separator(byte) { 0 } else { byte })
            .collect::<Vec<u8>>()
    });
}

/// `con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`, in any case, alone or before a
/// dot (`nul.txt` is the device too).
pub fn is_reserved_name(name: &str) -> bool {
    // Checked for every part of every output path, so without allocating.
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let is = |reserved: &str| stem.eq_ignore_ascii_case(reserved);
    match stem.len() {
        3 => is("con") || is("prn") || is("aux") || is("nul"),
        4 => {
            // Bytes, not `str::split_at`: the fourth byte may be inside a character.
            let bytes = stem.as_bytes();
            (bytes[..3].eq_ignore_ascii_case(b"com") || bytes[..3].eq_ignore_ascii_case(b"lpt"))
                && bytes[3].is_ascii_digit()
        }
        _ => false,
    }
}

/// `http://` or `https://` followed by something.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|scheme| lower.len() > scheme.len() && lower.starts_with(scheme))
}

/// An error for each brief whose slug an earlier brief has, in corpus order. Found by
/// sorting the slugs on both threads: a map of 100,000 of them, filled in order on one
/// thread, took 32 ms while the other waited.
fn duplicate_slugs(briefs: &[Brief]) -> Vec<Error> {
    let mut slugs: Vec<(&str, usize)> = briefs
        .par_iter()
        .enumerate()
        .map(|(index, brief)| (brief.slug.as_str(), index))
        .collect();
    slugs.par_sort_unstable();
    // Each repeat with the first brief of its slug.
    let mut repeats: Vec<(usize, usize)> = slugs
        .chunk_by(|a, b| a.0 == b.0)
        .flat_map(|same| same[1..].iter().map(|&(_, index)| (index, same[0].1)))
        .collect();
    repeats.sort_unstable();
    repeats
        .into_iter()
        .map(|(index, first)| {
            let brief = &briefs[index];
            let span = match yaml::find_key(&brief.source, "slug", 0) {
                Some((span, _)) => span,
                None => brief.source.span(0, 3),
            };
            Error::user(
                span,
                format!(
                    "duplicate slug `{}`: {} has it too",
                    brief.slug,
                    briefs[first].source.path.display()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{parse_brief, slugify};
    use crate::error::SourceText;

    fn brief(text: &str) -> Result<super::Brief, crate::error::Error> {
        parse_brief(SourceText::new("content/briefs/a-b.md", text))
    }

    #[test]
    fn splits_front_matter_and_body() {
        let brief = brief("---\ntitle: T\ndate: 2022-08-04\ntags: [Armenia, armenia]\n---\nBody\n")
            .unwrap();
        assert_eq!(brief.body(), "Body\n");
        let mut forgotten = brief.clone();
        forgotten.forget_body();
        assert_eq!(forgotten.body(), "");
        assert_eq!(forgotten.meta.title, brief.meta.title);
        assert_eq!(brief.slug, "a-b");
        assert_eq!(brief.tags, vec![("armenia".into(), "Armenia".into())]);
        assert!(brief.meta.context);
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        let report = brief("Just text\n").unwrap_err().report();
        assert!(report.starts_with("content/briefs/a-b.md:1:1: error: expected front matter"));
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let report = brief("---\ntitle: T\ndate: 2022-13-01\n---\n")
            .unwrap_err()
            .report();
        assert!(
            report.starts_with("content/briefs/a-b.md:3:7: error: front matter: invalid date"),
            "{report}"
        );
    }

    #[test]
    fn javascript_source_url_is_refused() {
        let report =
            brief("---\ntitle: T\ndate: 2022-01-01\nsource_url: \"javascript:alert(1)\"\n---\n")
                .unwrap_err()
                .report();
        assert!(
            report.contains("4:1: error: invalid source_url"),
            "{report}"
        );
    }

    #[test]
    fn issue_9_reserved_and_overlong_names_are_refused() {
        for (front, expected) in [
            (
                "slug: con",
                "4:1: error: slug `con` is a name Windows reserves for a device",
            ),
            (
                "tags: [ok, LPT1]",
                "4:1: error: tag `LPT1` cannot be a folder name: `lpt1` is a name Windows reserves for a device",
            ),
        ] {
            let report = brief(&format!("---\ntitle: T\ndate: 2022-01-01\n{front}\n---\n"))
                .unwrap_err()
                .report();
            assert!(report.contains(expected), "{report}");
        }
        let long = "a".repeat(201);
        let report = brief(&format!(
            "---\ntitle: T\ndate: 2022-01-01\nslug: {long}\n---\n"
        ))
        .unwrap_err()
        .report();
        assert!(
            report.contains("is too long: 201 bytes, at most 200"),
            "{report}"
        );
        let from_file = parse_brief(SourceText::new(
            "content/briefs/Nul.md",
            "---\ntitle: T\ndate: 2022-01-01\n---\n",
        ));
        assert!(
            from_file
                .unwrap_err()
                .report()
                .contains("the slug `nul` made from the file name is a name Windows reserves")
        );
        assert!(super::is_reserved_name("COM9.txt") && !super::is_reserved_name("con-flict"));
        assert!(!super::is_reserved_name("com") && !super::is_reserved_name("console"));
        assert!(super::is_reserved_name("Lpt1 .md") && super::is_reserved_name("aux"));
    }

    #[test]
    fn ascii_text_is_slugified_as_the_unicode_rules_would() {
        let mut seed = 11u64;
        for _ in 0..3_000 {
            let text: String = (0..seed % 17)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    char::from((seed >> 33) as u8 % 128)
                })
                .collect();
            assert_eq!(
                super::slugify_ascii(&text),
                super::slugify_chars(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn paths_sort_as_a_walk_by_name_visits_them() {
        let names = [
            "b.md", "a.md", "a/z.md", "a/b/c.md", "a-b.md", "a/a.md", "ab.md", "é.md",
        ];
        let mut paths: Vec<std::path::PathBuf> = names
            .iter()
            .map(|name| std::path::Path::new("r").join(name))
            .collect();
        super::sort_as_walked(&mut paths);
        let mut by_parts = paths.clone();
        by_parts.sort();
        assert_eq!(paths, by_parts);
        assert_eq!(paths[0], std::path::Path::new("r/a/a.md"));
        assert!(!super::is_reserved_name("abé") && !super::is_reserved_name("cé"));
    }

    #[test]
    fn slugify_makes_one_safe_component() {
        assert_eq!(
            slugify("  Nagorno-Karabakh: 2020 War! "),
            "nagorno-karabakh-2020-war"
        );
        assert_eq!(slugify("../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..."), "");
    }
}

//! Errors: one enum for everything that can stop a build, and the compiler-style report a user
//! reads.
//!
//! Anything a user wrote carries a [`Span`] (file, 1-based line, 1-based column counted in
//! characters, the source line itself and the length to underline), so the report can show the
//! line and a caret without reading the file again. A stage that reads many files collects every
//! error it finds into [`Error::Many`], sorted by position, so the user fixes them in one pass.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where in a user's file something went wrong. Built by [`SourceText::span`] so line and column
/// always agree with the text the user sees in an editor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Path as shown to the user: relative to the site root when it lies inside it.
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    /// How many characters the caret underlines (at least one).
    pub len: usize,
    /// The whole source line, without its line ending.
    pub source_line: String,
}

/// A user file held in memory, able to turn byte offsets into [`Span`]s.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
    /// Byte offset of each line start, computed on first use: the annotate stage makes a span
    /// for every mention, and counting newlines from the top each time made that quadratic.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceText {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// Keeps only the first `len` bytes (a character boundary), freeing the rest; spans made
    /// afterwards point into what is kept.
    pub fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.text.shrink_to_fit();
        self.line_starts = OnceLock::new();
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The span of `len` bytes starting at byte `offset`. Offsets past the end are clamped, and
    /// offsets inside a character move back to its start, so any offset is safe to pass.
    pub fn span(&self, offset: usize, len: usize) -> Span {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let line_end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        let source_line = self.text[line_start..line_end].trim_end_matches('\r');
        let mut end = (offset + len).min(line_end);
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let len = self.text[offset..end].chars().count().max(1);
        Span {
            path: self.path.clone(),
            line,
            col,
            len,
            source_line: source_line.to_string(),
        }
    }

    /// The span at a 1-based line and column (in characters), as YAML parsers report them.
    pub fn span_at_line_col(&self, line: usize, col: usize, len: usize) -> Span {
        let line_start = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let rest = &self.text[line_start.min(self.text.len())..];
        let byte_col = rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        let within_line = rest.find('\n').map_or(rest.len(), |n| n);
        self.span(line_start + byte_col.min(within_line), len)
    }
}

/// Everything that can make a command fail. Every variant is a user-facing error: the binary
/// prints it with [`Error::report`] and exits with code 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A mistake in a file the user wrote, located precisely.
    #[error("{message}")]
    User { span: Span, message: String },
    /// A mistake that belongs to a file but to no position in it (an empty file, say).
    #[error("{path}: {message}", path = path.display())]
    File { path: PathBuf, message: String },
    /// A command-line value that is wrong (the option names itself in the message).
    #[error("{0}")]
    Usage(String),
    /// The file system refused something.
    #[error("{action} {path}: {source}", path = path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// Several errors found in one run, sorted by file and position.
    #[error("{} errors", .0.len())]
    Many(Vec<Error>),
}

impl Error {
    pub fn user(span: Span, message: impl Into<String>) -> Self {
        Error::User {
            span,
            message: message.into(),
        }
    }

    pub fn io(action: &'static str, path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// Both values, or the errors of whichever failed, together: loading the briefs and the
    /// knowledge file reports the mistakes of both in one run.
    pub fn both<A, B>(a: Result<A, Error>, b: Result<B, Error>) -> Result<(A, B), Error> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            // Two errors always collapse into one `Err`.
            (Err(a), Err(b)) => Err(Error::collect(vec![a, b]).unwrap_err()),
            (Err(error), _) | (_, Err(error)) => Err(error),
        }
    }

    /// [`Error::collect`] with each report once: one broken template fails every page that
    /// uses it, and is reported once per place.
    pub fn collect_distinct(mut errors: Vec<Error>) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        errors.retain(|error| seen.insert(error.report()));
        Error::collect(errors)
    }

    /// Collapses a list of errors: none is `Ok`, one is itself, more become a sorted
    /// [`Error::Many`] (nested lists are flattened).
    pub fn collect(errors: Vec<Error>) -> Result<(), Error> {
        let mut flat = Vec::with_capacity(errors.len());
        for error in errors {
            match error {
                Error::Many(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat.sort_by_key(Error::sort_key);
        match flat.len() {
            0 => Ok(()),
            1 => Err(flat.pop().expect("one element")),
            _ => Err(Error::Many(flat)),
        }
    }

    fn sort_key(&self) -> (PathBuf, usize, usize, String) {
        match self {
            Error::User { span, message } => {
                (span.path.clone(), span.line, span.col, message.clone())
            }
            Error::File { path, message } => (path.clone(), 0, 0, message.clone()),
            Error::Io { path, .. } => (path.clone(), 0, 0, self.to_string()),
            Error::Usage(message) => (PathBuf::new(), 0, 0, message.clone()),
            Error::Many(_) => (PathBuf::new(), 0, 0, String::new()),
        }
    }

    /// The text printed to standard error: `path:line:col: error: message`, then the source line
    /// and a caret under the offending characters. Editors parse the first line as a location.
    pub fn report(&self) -> String {
        let mut out = String::new();
        self.write_report(&mut out);
        out
    }

    fn write_report(&self, out: &mut String) {
        use fmt::Write;
        match self {
            Error::User { span, message } => write_located(out, "error", span, message),
            Error::Many(errors) => {
                for error in errors {
                    error.write_report(out);
                }
                let _ = writeln!(out, "{} errors", errors.len());
            }
            other => {
                let _ = writeln!(out, "error: {other}");
            }
        }
    }
}

/// Writes one located message in the compiler style every report uses:
/// `path:line:col: <severity>: message`, the source line, and a caret under the span. Shared by
/// errors and by `check`'s warnings so both read, and parse in an editor, the same way.
pub fn write_located(out: &mut String, severity: &str, span: &Span, message: &str) {
    use fmt::Write;
    let number = span.line.to_string();
    let gutter = " ".repeat(number.len());
    let indent: String = span
        .source_line
        .chars()
        .take(span.col.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(
        out,
        "{}:{}:{}: {severity}: {message}",
        span.path.display(),
        span.line,
        span.col
    );
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {}", span.source_line);
    let _ = writeln!(out, "{gutter} | {indent}{}", "^".repeat(span.len));
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{Error, SourceText};

    #[test]
    fn span_counts_lines_and_characters() {
        let source = SourceText::new("a.md", "first\nsé cond line\n");
        let span = source.span(9, 4);
        assert_eq!((span.line, span.col, span.len), (2, 3, 4));
        assert_eq!(span.source_line, "sé cond line");
    }

    #[test]
    fn span_clamps_offsets_inside_characters_and_past_the_end() {
        let source = SourceText::new("a.md", "é");
        assert_eq!(source.span(1, 1).col, 1);
        assert_eq!(source.span(99, 1).col, 2);
    }

    #[test]
    fn span_at_line_col_finds_the_same_place() {
        let source = SourceText::new("a.yaml", "a: 1\nbé: x\n");
        let span = source.span_at_line_col(2, 3, 1);
        assert_eq!((span.line, span.col), (2, 3));
    }

    #[test]
    fn report_shows_location_line_and_caret() {
        let source = SourceText::new("content/briefs/x.md", "---\ntitel: \"X\"\n");
        let error = Error::user(source.span(4, 5), "unknown key `titel`");
        assert_eq!(
            error.report(),
            "content/briefs/x.md:2:1: error: unknown key `titel`\n  |\n2 | titel: \"X\"\n  | ^^^^^\n"
        );
    }

    #[test]
    fn both_keeps_every_error() {
        let bad = |path: &str| Error::File {
            path: path.into(),
            message: "bad".into(),
        };
        assert!(Error::both(Ok::<_, Error>(1), Ok::<_, Error>(2)).is_ok());
        let one = Error::both(Ok::<u8, Error>(1), Err::<u8, _>(bad("b"))).unwrap_err();
        assert_eq!(one.report(), bad("b").report());
        let two = Error::both(Err::<u8, _>(bad("b")), Err::<u8, _>(bad("a"))).unwrap_err();
        assert!(matches!(two, Error::Many(ref errors) if errors.len() == 2));
    }

    #[test]
    fn collect_sorts_and_flattens() {
        let a = SourceText::new("b.md", "x\ny\n");
        let b = SourceText::new("a.md", "x\n");
        let errors = vec![
            Error::user(a.span(2, 1), "second"),
            Error::Many(vec![Error::user(b.span(0, 1), "first")]),
        ];
        let Err(Error::Many(list)) = Error::collect(errors) else {
            panic!("expected many");
        };
        assert_eq!(list[0].to_string(), "first");
    }
}

//! What the authoring commands (`check`, `explain`) hand back to print: diagnostics with a
//! severity, in the compiler style every error already uses or as JSON for tools.
//!
//! A [`Diagnostic`] is either an [`Error`] the build would stop on or a warning from the
//! knowledge lint. Both print as `path:line:col: <severity>: message` with the source line and a
//! caret, so an editor jumps to either the same way; `--format json` gives the same list as data.
//! This module formats; it decides nothing about what is wrong.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Span, write_located};

/// How a command prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style text for people.
    #[default]
    Human,
    /// One JSON document on standard output, for editors and CI tools.
    Json,
}

/// What a command prints and whether it failed; `main` writes both streams and exits 1 when
/// `failed`. Commands that find problems but still print a full report (`check`) return this
/// instead of an `Err`, so warnings can reach the user on a successful run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub failed: bool,
}

impl Outcome {
    /// A success that prints `line` (plus a newline) on standard output.
    pub fn success(line: impl Into<String>) -> Outcome {
        let mut stdout = line.into();
        stdout.push('\n');
        Outcome {
            stdout,
            ..Outcome::default()
        }
    }
}

/// How serious a finding is. Errors fail `build` and `check`; warnings fail `check` only with
/// `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, located when it belongs to a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The lint's name (`unused-fact`) for warnings; `None` for errors of the build itself.
    pub code: Option<&'static str>,
    pub message: String,
    /// The file it concerns, when there is one.
    pub path: Option<PathBuf>,
    /// Where in that file, when known.
    pub span: Option<Span>,
    /// The text printed for an error without a span (`error: <this>`), which names its path.
    unlocated: String,
}

impl Diagnostic {
    /// A lint warning at `span`.
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        let message = message.into();
        Diagnostic {
            severity: Severity::Warning,
            code: Some(code),
            path: Some(span.path.clone()),
            span: Some(span),
            unlocated: message.clone(),
            message,
        }
    }

    /// Every error inside `error` (a list is flattened), in its order.
    pub fn from_error(error: Error) -> Vec<Diagnostic> {
        let unlocated = error.to_string();
        let (message, path, span) = match error {
            Error::Many(errors) => return errors.into_iter().flat_map(Self::from_error).collect(),
            Error::User { span, message } => (message, Some(span.path.clone()), Some(span)),
            Error::File { path, message } => (message, Some(path), None),
            Error::Io {
                action,
                path,
                source,
            } => (format!("{action}: {source}"), Some(path), None),
            Error::Usage(message) => (message, None, None),
        };
        vec![Diagnostic {
            severity: Severity::Error,
            code: None,
            message,
            path,
            span,
            unlocated,
        }]
    }

    /// Orders by file, then position, then severity and message: the order of the report.
    fn sort_key(&self) -> (Option<PathBuf>, usize, usize, Severity, &str) {
        let (line, col) = self
            .span
            .as_ref()
            .map_or((0, 0), |span| (span.line, span.col));
        (self.path.clone(), line, col, self.severity, &self.message)
    }

    fn write_human(&self, out: &mut String) {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.span {
            Some(span) => write_located(out, severity, span, &self.message),
            None => {
                out.push_str(&format!("{severity}: {}\n", self.unlocated));
            }
        }
    }
}

/// Sorts diagnostics into report order: file, line, column (the order `build` reports errors in).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// `1 error`, `2 warnings`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The diagnostics as text, in order. With errors only, this is exactly what `build` prints
/// for the same errors (the `N errors` line included), so the two commands agree; with
/// warnings, a last line counts both, and says so when `deny_warnings` makes them fail.
pub fn human(diagnostics: &[Diagnostic], deny_warnings: bool) -> String {
    let mut out = blocks(diagnostics);
    let errors = errors(diagnostics);
    let warnings = diagnostics.len() - errors;
    if warnings > 0 {
        let denied = if deny_warnings {
            " (--deny-warnings makes warnings fail the check)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{}, {}{denied}\n",
            count(errors, "error"),
            count(warnings, "warning")
        ));
    } else if errors > 1 {
        out.push_str(&format!("{}\n", count(errors, "error")));
    }
    out
}

/// The diagnostics as text, without a closing count (for a run that then prints a summary).
pub fn blocks(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        diagnostic.write_human(&mut out);
    }
    out
}

/// How many of `diagnostics` are errors.
pub fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// The JSON form of one diagnostic; the field names are a documented interface (README).
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: Option<&'a str>,
    message: &'a str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    /// Characters underlined, from `column` on.
    length: Option<usize>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// The diagnostics as one pretty-printed JSON object: `errors`, `warnings` (counts) and
/// `diagnostics` (in report order), ending with a newline.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let errors = errors(diagnostics);
    let report = JsonReport {
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                path: d.path.as_ref().map(|p| display_path(p)),
                line: d.span.as_ref().map(|s| s.line),
                column: d.span.as_ref().map(|s| s.col),
                length: d.span.as_ref().map(|s| s.len),
            })
            .collect(),
    };
    to_json(&report)
}

/// A path with `/` separators on every platform, as JSON consumers compare them.
pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Pretty JSON with a final newline. Serialising these plain structs cannot fail.
pub fn to_json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, errors, human, json, sort};
    use crate::error::{Error, SourceText};

    fn sample() -> Vec<Diagnostic> {
        let source = SourceText::new("k.yaml", "entries:\n  - id: a\n");
        let mut list = vec![Diagnostic::warning(
            "unused-fact",
            source.span(13, 2),
            "fact `a` is cited by no brief",
        )];
        list.extend(Diagnostic::from_error(Error::Many(vec![
            Error::user(source.span(0, 7), "first"),
            Error::Usage("no place".into()),
        ])));
        sort(&mut list);
        list
    }

    #[test]
    fn errors_and_warnings_print_alike_in_file_order() {
        let list = sample();
        assert_eq!(errors(&list), 2);
        assert_eq!(
            human(&list, false),
            "error: no place\n\
             k.yaml:1:1: error: first\n  |\n1 | entries:\n  | ^^^^^^^\n\
             k.yaml:2:5: warning: fact `a` is cited by no brief\n  |\n2 |   - id: a\n  |     ^^\n\
             2 errors, 1 warning\n"
        );
    }

    #[test]
    fn json_has_one_object_per_diagnostic() {
        let text = json(&sample());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["errors"], 2);
        assert_eq!(value["warnings"], 1);
        let last = &value["diagnostics"][2];
        assert_eq!(last["code"], "unused-fact");
        assert_eq!(last["severity"], "warning");
        assert_eq!(
            (&last["line"], &last["column"], &last["length"]),
            (&2.into(), &5.into(), &2.into())
        );
        assert_eq!(value["diagnostics"][0]["path"], serde_json::Value::Null);
    }
}

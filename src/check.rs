//! `briefing check`: every check the build makes, writing nothing, plus the knowledge lint.
//!
//! Steps: render the site in memory (the build's own checks, so `check` passes exactly when
//! `build` would), lint the knowledge (see [`crate::lint`]) on what the render loaded, then
//! merge the build's errors and the lint's warnings into one sorted report. The exit status
//! fails on any error, and on any warning with `--deny-warnings`, for CI.

use std::time::Instant;

use crate::lint;
use crate::pipeline::{self, BuildOptions};
use crate::report::{self, Diagnostic, Format, Outcome, Severity};

/// What to check and how to report it.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Warnings fail the check (exit 1), as `-D warnings` does for clippy.
    pub deny_warnings: bool,
    pub format: Format,
}

/// Checks the site. Problems found in the site are the report, not an `Err`: the report goes to
/// standard error (or, as JSON, to standard output) and `failed` says whether to exit 1.
pub fn run(options: &CheckOptions) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Vec::new();
    let mut counts = None;
    // After a good build the lint reuses what it loaded; after a failed one it loads the site
    // itself, so warnings still come with the errors (unless loading is what failed: then the
    // build's errors already say why).
    let linted = match pipeline::render_all(&options.build) {
        Ok(built) => {
            counts = Some((built.stats.briefs, built.stats.facts));
            lint::after_build(&options.build.root, &built)
        }
        Err(error) => {
            diagnostics.extend(Diagnostic::from_error(error));
            lint::run(&options.build)
        }
    };
    match linted {
        Ok(lint) => {
            counts.get_or_insert((lint.briefs, lint.facts));
            diagnostics.extend(lint.warnings);
        }
        Err(error) if counts.is_some() => diagnostics.extend(Diagnostic::from_error(error)),
        Err(_) => {}
    }
    report::sort(&mut diagnostics);
    let errors = report::errors(&diagnostics);
    let warnings = diagnostics.len() - errors;
    let failed = errors > 0 || (options.deny_warnings && warnings > 0);
    debug_assert!(
        diagnostics
            .iter()
            .all(|d| (d.severity == Severity::Warning) == d.code.is_some())
    );
    match options.format {
        Format::Json => Outcome {
            stdout: report::json(&diagnostics),
            stderr: String::new(),
            failed,
        },
        Format::Human if failed => Outcome {
            stdout: String::new(),
            stderr: report::human(&diagnostics, options.deny_warnings),
            failed,
        },
        Format::Human => {
            let (briefs, facts) = counts.unwrap_or_default();
            let found = if warnings == 0 {
                "no errors or warnings".to_string()
            } else {
                report::count(warnings, "warning")
            };
            let mut outcome = Outcome::success(format!(
                "Checked {} and {}: {found} ({:.0?})",
                report::count(briefs, "brief"),
                report::count(facts, "fact"),
                start.elapsed()
            ));
            outcome.stderr = report::blocks(&diagnostics);
            outcome
        }
    }
}

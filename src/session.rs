//! A build that remembers: `serve` keeps one [`Session`] and tells it which files changed, and
//! the session redoes only what depends on them.
//!
//! When every changed file is a brief that already existed and kept its slug and its draft
//! state, only those briefs are parsed, annotated and rendered again; the site is re-assembled
//! (cheap: rendered HTML is shared, not copied) and only pages whose template context differs
//! from the last build are rendered: the brief, its neighbours, the fact pages, index, tag
//! pages and feeds that show it. Any other change (site.yaml, the knowledge file, a theme or
//! static file, a brief added, removed or renamed) rebuilds everything. Both paths give the
//! same bytes as `briefing build`; the integration tests compare them file by file.

use std::path::{Path, PathBuf};

use crate::content::{self, Brief};
use crate::error::{Error, SourceText};
use crate::output::OutputFile;
use crate::pipeline::{self, BuildOptions, Built, Parts, Stats};

/// How a rebuild went about it, for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every stage from scratch.
    Full,
    /// Only the changed briefs, and the pages whose context changed.
    Briefs(usize),
}

/// What a rebuild gives.
#[derive(Debug)]
pub struct Rebuilt {
    /// The whole site when `complete`, else only the files that changed (none is removed).
    pub files: Vec<OutputFile>,
    pub complete: bool,
    pub stats: Stats,
    pub scope: Scope,
}

/// The last build's stages, kept between rebuilds.
pub struct Session {
    options: BuildOptions,
    parts: Option<Parts>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            parts: None,
        }
    }

    /// Builds everything from scratch.
    pub fn build_all(&mut self) -> Result<(Vec<OutputFile>, Stats), Error> {
        let built = pipeline::render_all(&self.options)?;
        Ok(self.keep(built))
    }

    /// Rebuilds after the files at `changed` (relative to the site root) changed on disk.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Error> {
        let Some(parts) = self.parts.take() else {
            return self.rebuild_all();
        };
        let briefs = match changed_briefs(&self.options, &parts, changed) {
            Ok(Some(briefs)) => briefs,
            Ok(None) => return self.rebuild_all(),
            Err(error) => {
                self.parts = Some(parts);
                return Err(error);
            }
        };
        let count = briefs.len();
        match pipeline::rebuild_briefs(parts, briefs) {
            Ok(built) => {
                let complete = built.complete;
                let (files, stats) = self.keep(built);
                Ok(Rebuilt {
                    files,
                    complete,
                    stats,
                    scope: Scope::Briefs(count),
                })
            }
            Err(failed) => {
                let (error, parts) = *failed;
                self.parts = Some(parts);
                Err(error)
            }
        }
    }

    fn rebuild_all(&mut self) -> Result<Rebuilt, Error> {
        let (files, stats) = self.build_all()?;
        Ok(Rebuilt {
            files,
            complete: true,
            stats,
            scope: Scope::Full,
        })
    }

    fn keep(&mut self, built: Built) -> (Vec<OutputFile>, Stats) {
        self.parts = Some(built.parts);
        (built.files, built.stats)
    }
}

/// The changed briefs, parsed, with their places in the corpus; `None` when the change is
/// more than edits to existing briefs that keep their slug and draft state, and so needs a
/// full build.
fn changed_briefs(
    options: &BuildOptions,
    parts: &Parts,
    changed: &[PathBuf],
) -> Result<Option<Vec<(usize, Brief)>>, Error> {
    let knowledge = parts.loaded.config.knowledge.as_path();
    let mut briefs = Vec::new();
    for relative in changed {
        if relative == knowledge || !is_brief_file(relative) {
            return Ok(None);
        }
        let Some(index) = parts
            .corpus
            .briefs
            .iter()
            .position(|brief| brief.source.path == *relative)
        else {
            return Ok(None); // new, or a draft this build leaves out
        };
        let text = match std::fs::read_to_string(options.root.join(relative)) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(Error::io("cannot read", relative, error)),
        };
        let brief = content::parse_brief(SourceText::new(relative, text))?;
        let before = &parts.corpus.briefs[index];
        if brief.slug != before.slug || (brief.meta.draft && !options.drafts) {
            return Ok(None);
        }
        briefs.push((index, brief));
    }
    Ok(Some(briefs))
}

/// A Markdown file under `content/briefs/`, the only files a brief-only rebuild can take.
fn is_brief_file(relative: &Path) -> bool {
    relative.starts_with(content::BRIEFS_DIR) && relative.extension().is_some_and(|ext| ext == "md")
}

//! Watching the site's sources for `serve`: `content/`, `themes/`, `static/` and `site.yaml`,
//! through notify's full debouncer, which merges an editor's burst of writes, renames and
//! deletes into one batch and pairs save-by-rename into a change of the real file.
//!
//! Only those sources are watched, never the site root as a whole: a site root is often a
//! repository whose `target/`, `public/` or `.git/` churn would wake the preview for nothing.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::Error;

/// How long the debouncer waits for a burst of events to end. Editors finish a save (write a
/// temp file, rename it over the old one) within a few milliseconds; a short wait keeps an edit
/// close to instant on screen.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders watched recursively, relative to the site root.
pub const SOURCE_FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// A running watch; dropping it stops watching.
pub struct Watch {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
}

impl Watch {
    /// Starts watching the source folders among `changed` that did not exist at the start (the
    /// root's own watch sees them appear, not what goes into them). Files written into one
    /// before this call are still read: its appearance has already triggered a full rebuild.
    pub fn follow_new_folders(&mut self, changed: &[PathBuf]) {
        for relative in changed {
            let is_folder = relative.components().count() == 1
                && SOURCE_FOLDERS
                    .iter()
                    .any(|folder| relative == Path::new(folder));
            let path = self.root.join(relative);
            if is_folder && path.is_dir() {
                // Watching an already-watched folder again is harmless.
                if let Err(error) = self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    eprintln!("warning: {}", watch_error(&path, error));
                }
            }
        }
    }
}

/// Starts watching `root` and sends the sorted, de-duplicated list of changed source files
/// (relative to `root`) whenever a debounced batch holds at least one.
pub fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> Result<Watch, Error> {
    // Events name absolute paths; a root given as `.` must be absolute too to strip it from them.
    let root = root
        .canonicalize()
        .map_err(|error| Error::io("cannot watch", root, error))?;
    let handler_root = root.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return; // the next event or the next save brings the watch back in step
        };
        let mut changed: Vec<PathBuf> = events
            .iter()
            .filter(|event| matters(&event.kind))
            .flat_map(|event| event.paths.iter())
            .filter_map(|path| path.strip_prefix(&handler_root).ok())
            .filter(|relative| is_source(relative))
            .map(Path::to_path_buf)
            .collect();
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            let _ = changes.send(changed);
        }
    })
    .map_err(|error| watch_error(&root, error))?;
    // The root itself, not recursively: site.yaml, and source folders created after the start.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|error| watch_error(&root, error))?;
    for folder in SOURCE_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|error| watch_error(&path, error))?;
        }
    }
    Ok(Watch { debouncer, root })
}

fn watch_error(path: &Path, error: notify::Error) -> Error {
    Error::Usage(format!("cannot watch {}: {error}", path.display()))
}

/// Events that can change what a build reads: not reads, opens or closes.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Any | EventKind::Other | EventKind::Access(_) => false,
    }
}

/// Whether a changed path (relative to the root) is one the build reads: `site.yaml`, or a file
/// under a source folder that is not an editor's backup, swap or lock file, nor hidden.
pub fn is_source(relative: &Path) -> bool {
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    match parts.as_slice() {
        [] => false,
        [only] => only == "site.yaml" || SOURCE_FOLDERS.contains(&&**only),
        [first, .., name] => {
            SOURCE_FOLDERS.contains(&&**first)
                && !parts.iter().any(|part| part.starts_with('.'))
                && !is_editor_noise(name)
        }
    }
}

/// Files editors write beside the real one while saving or to recover it: vim's `.swp`/`.swx`
/// and its `4913` probe, emacs' `#name#` and `.#name` locks, `name~` backups, JetBrains'
/// `___jb_tmp___`/`___jb_old___`, and the `.tmp`/`.bak`/`.orig` leftovers of many others.
pub fn is_editor_noise(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_site_yaml_and_files_under_the_source_folders() {
        for path in [
            "site.yaml",
            "content/briefs/a.md",
            "content/knowledge.yaml",
            "themes/mine/templates/base.html",
            "static/images/card.png",
            "content",
        ] {
            assert!(is_source(Path::new(path)), "{path}");
        }
        for path in [
            "public/index.html",
            "target/debug/briefing",
            "README.md",
            "site.yaml~",
            "content/briefs/.a.md.swp",
            "content/briefs/a.md~",
            "content/briefs/#a.md#",
            "content/briefs/.#a.md",
            "content/briefs/4913",
            "themes/mine/templates/base.html___jb_tmp___",
            "content/.git/HEAD",
            "content/briefs/a.md.tmp",
        ] {
            assert!(!is_source(Path::new(path)), "{path}");
        }
    }
}

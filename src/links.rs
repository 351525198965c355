//! Links an author writes to other briefs and to files of the site, checked and resolved.
//!
//! Two forms are rewritten, in brief bodies and fact notes alike:
//! - `@/briefs/other.md` (optionally `#anchor`): another brief, by its file path under
//!   `content/`, as Zola writes internal links. It becomes that brief's URL, so it survives a
//!   change of slug or base URL, and a link to a brief that does not exist (or is a draft left
//!   out of this build) is an error at its line and column.
//! - `/static/map.png`: a path from the site's root. It gets the `base_url` prefix, so the same
//!   Markdown works at `https://example.org/` and under `https://user.github.io/repo/`.
//!
//! Everything else (`https://...`, `#fn-1`, `../x`, `mailto:`) is left exactly as written.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::content::Brief;
use crate::error::Error;

/// The prefix of an internal link: a path under `content/`.
const INTERNAL: &str = "@/";
const CONTENT_DIR: &str = "content/";

/// Where internal links point, built once per build from the briefs.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    base: String,
    /// `briefs/other.md` → the brief's URL.
    briefs: BTreeMap<String, String>,
    /// Paths of drafts this build leaves out, for a clearer error.
    drafts: Vec<String>,
}

/// What becomes of a link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Rewrite it to this URL.
    To(String),
    /// Leave it as written.
    Unchanged,
    /// An internal link to nothing: the message says why.
    Broken(String),
}

impl LinkMap {
    /// `base` is the site's base URL (ending in `/`); `briefs` pairs each brief's path under
    /// `content/` (`briefs/x.md`) with its URL.
    pub fn new(base: &str, briefs: Vec<(String, String)>, drafts: Vec<String>) -> LinkMap {
        LinkMap {
            base: base.to_string(),
            briefs: briefs.into_iter().collect(),
            drafts,
        }
    }

    pub fn resolve(&self, dest: &str) -> Resolved {
        if let Some(path) = dest.strip_prefix(INTERNAL) {
            let (path, anchor) = match path.find(['#', '?']) {
                Some(at) => path.split_at(at),
                None => (path, ""),
            };
            return match self.briefs.get(path) {
                Some(url) => Resolved::To(format!("{url}{anchor}")),
                None if self.drafts.iter().any(|draft| draft == path) => Resolved::Broken(format!(
                    "link to `{dest}`, a draft this build leaves out (build with --drafts, \
                     or publish it)"
                )),
                None => Resolved::Broken(format!(
                    "link to `{dest}`, which is not a brief (expected `@/briefs/<file>.md`, \
                     a path under content/)"
                )),
            };
        }
        match dest.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => Resolved::To(format!("{}{rest}", self.base)),
            _ => Resolved::Unchanged,
        }
    }
}

/// Whether a browser would run `dest` as a script (or, for a link, open it as a document the
/// author's text made up): `javascript:`, `vbscript:` and `data:` URLs, with the browser's own
/// leniency applied first (leading spaces and control characters dropped, tabs and line breaks
/// removed anywhere, the scheme's case ignored), so `JaVa&#9;Script:` is caught as well.
/// `data:image/...` stays allowed in an image, where it cannot run anything. The Markdown stage
/// turns such links into `#`, since Markdown from wires and tips must not reach a reader's browser
/// as a script.
pub fn is_script_url(dest: &str, image: bool) -> bool {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if image && cleaned.starts_with("data:image/") {
        return false;
    }
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// The path under `content/` that `@/` links name a brief by (`briefs/x.md`), from the brief's
/// path relative to the site root (`content/briefs/x.md`).
pub fn content_path(path: &Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    match path.strip_prefix(CONTENT_DIR) {
        Some(rest) => rest.to_string(),
        None => path,
    }
}

/// Every broken internal link in a brief's body, at its line and column.
pub fn check(brief: &Brief, links: &LinkMap, options: Options) -> Vec<Error> {
    let body = brief.body();
    broken(body, links, options)
        .into_iter()
        .map(|(range, message)| {
            let start = brief.body_offset + range.start;
            let len = body[range.clone()].find('\n').unwrap_or(range.len()).max(1);
            Error::user(brief.source.span(start, len), message)
        })
        .collect()
}

/// Every broken internal link in `markdown` (a brief's body or a fact's note): the byte range
/// of the link in `markdown` and why it is broken.
pub fn broken(markdown: &str, links: &LinkMap, options: Options) -> Vec<(Range<usize>, String)> {
    // Most texts have no internal link: skip the second parse for them.
    if !markdown.contains(INTERNAL) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if let Resolved::Broken(message) = links.resolve(dest) {
            found.push((range, message));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{LinkMap, Resolved, is_script_url};

    #[test]
    fn issue_9_script_urls_are_recognised_however_written() {
        for dest in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "jav\nascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert!(is_script_url(dest, false), "{dest:?}");
            assert!(is_script_url(dest, true), "{dest:?}");
        }
        assert!(is_script_url("data:image/svg+xml,<svg/>", false));
        assert!(!is_script_url("data:image/png;base64,AAAA", true));
        for dest in [
            "https://e.org/javascript:",
            "/static/x.png",
            "#fn-1",
            "java.html",
        ] {
            assert!(!is_script_url(dest, false), "{dest:?}");
        }
    }

    fn map() -> LinkMap {
        LinkMap::new(
            "https://u.github.io/repo/",
            vec![(
                "briefs/a.md".into(),
                "https://u.github.io/repo/briefs/a/".into(),
            )],
            vec!["briefs/draft.md".into()],
        )
    }

    #[test]
    fn internal_links_become_brief_urls_with_their_anchor() {
        assert_eq!(
            map().resolve("@/briefs/a.md#fn-2"),
            Resolved::To("https://u.github.io/repo/briefs/a/#fn-2".into())
        );
    }

    #[test]
    fn root_paths_get_the_base_prefix_and_others_stay() {
        let map = map();
        assert_eq!(
            map.resolve("/static/x.png"),
            Resolved::To("https://u.github.io/repo/static/x.png".into())
        );
        for dest in [
            "//cdn.example.org/x",
            "https://e.org/",
            "#fn-1",
            "../a/",
            "x.png",
        ] {
            assert_eq!(map.resolve(dest), Resolved::Unchanged, "{dest}");
        }
    }

    #[test]
    fn unknown_and_draft_targets_are_broken() {
        let map = map();
        assert!(
            matches!(map.resolve("@/briefs/zzz.md"), Resolved::Broken(m) if m.contains("not a brief"))
        );
        assert!(
            matches!(map.resolve("@/briefs/draft.md"), Resolved::Broken(m) if m.contains("draft"))
        );
    }
}

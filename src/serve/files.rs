//! The built site as the preview server holds it: every output file in memory, keyed by its
//! `/`-separated path, exactly as `build` would have written it.
//!
//! Serving from memory (as `hugo server` does) means a request can only ever name a file the
//! build produced: there is no disk path to climb out of, no symlink to follow, and no write to
//! `public/` on the reload path. [`request_path`] still refuses every traversal form outright, so
//! that a refused path is a plain 404 whatever the map holds.

use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::percent_decode_str;

use crate::output::OutputFile;

/// One complete build, shared read-only between requests; a rebuild replaces it whole.
#[derive(Debug, Default)]
pub struct SiteFiles {
    /// Shared keys make the copy a rebuild patches cheap: no path is copied, only counted.
    files: HashMap<Arc<str>, Arc<[u8]>>,
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The file at this key (a folder's `index.html` for a path ending in `/`).
    File(&'a str, &'a Arc<[u8]>),
    /// A folder named without its trailing slash: redirect to the path plus `/`, as GitHub
    /// Pages does, so that relative links inside the page resolve the same way.
    AddSlash,
    NotFound,
}

impl SiteFiles {
    pub fn new(files: Vec<OutputFile>) -> SiteFiles {
        SiteFiles {
            files: files
                .into_iter()
                .map(|file| (Arc::from(file.path), file.contents))
                .collect(),
        }
    }

    /// These files with `changed` put in place of (or beside) the ones at their paths.
    pub fn with(&self, changed: Vec<OutputFile>) -> SiteFiles {
        let mut files = self.files.clone();
        for file in changed {
            files.insert(Arc::from(file.path), file.contents);
        }
        SiteFiles { files }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Arc<[u8]>> {
        self.files.get(key)
    }

    /// Resolves the raw (still %-encoded) path of a request URI.
    pub fn lookup(&self, raw_path: &str) -> Lookup<'_> {
        let Some(key) = request_path(raw_path) else {
            return Lookup::NotFound;
        };
        if let Some((key, bytes)) = self.files.get_key_value(key.as_str()) {
            return Lookup::File(key, bytes);
        }
        if !key.is_empty() && !key.ends_with("index.html") {
            let folder_index = format!("{key}/index.html");
            if self.files.contains_key(folder_index.as_str()) {
                return Lookup::AddSlash;
            }
        }
        Lookup::NotFound
    }

    /// How many files differ between two builds (added, removed or changed), for the terminal.
    pub fn changed_since(&self, before: &SiteFiles) -> usize {
        let changed = self
            .files
            .iter()
            .filter(|(key, bytes)| before.files.get(*key) != Some(*bytes))
            .count();
        let removed = before
            .files
            .keys()
            .filter(|key| !self.files.contains_key(*key))
            .count();
        changed + removed
    }
}

/// The file key a request path names, or `None` for anything that is not a plain path inside
/// the site: `..` or `.` segments (also when %-encoded), backslashes, NUL, empty segments
/// (`//`, which some servers read as an absolute path), and bytes that are not UTF-8.
/// A path ending in `/` names the folder's `index.html`.
pub fn request_path(raw_path: &str) -> Option<String> {
    let rest = raw_path.strip_prefix('/')?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    if decoded.is_empty() {
        return Some("index.html".to_string());
    }
    let (body, folder) = match decoded.strip_suffix('/') {
        Some(body) => (body, true),
        None => (&*decoded, false),
    };
    for segment in body.split('/') {
        if segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['\\', '\0'])
            || segment.contains(':')
        {
            return None;
        }
    }
    Some(if folder {
        format!("{body}/index.html")
    } else {
        body.to_string()
    })
}

/// The Content-Type for a file key; text types say they are UTF-8, as the build writes them.
pub fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let essence = mime.essence_str();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    if key.ends_with("atom.xml") {
        "application/atom+xml; charset=utf-8".to_string()
    } else if text {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        SiteFiles::new(vec![
            OutputFile::new("index.html", "home"),
            OutputFile::new("briefs/a/index.html", "a"),
            OutputFile::new("static/style.css", "css"),
            OutputFile::new("caf\u{e9}.txt", "utf8 name"),
        ])
    }

    #[test]
    fn folders_serve_their_index_and_plain_files_themselves() {
        let site = site();
        assert!(matches!(site.lookup("/"), Lookup::File("index.html", _)));
        assert!(matches!(
            site.lookup("/briefs/a/"),
            Lookup::File("briefs/a/index.html", _)
        ));
        assert!(matches!(
            site.lookup("/static/style.css"),
            Lookup::File("static/style.css", _)
        ));
        assert!(matches!(site.lookup("/caf%C3%A9.txt"), Lookup::File(..)));
        assert_eq!(site.lookup("/briefs/a"), Lookup::AddSlash);
        assert_eq!(site.lookup("/briefs/b/"), Lookup::NotFound);
        assert_eq!(site.lookup("/static/style.css/"), Lookup::NotFound);
    }

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        for raw in [
            "/../Cargo.toml",
            "/briefs/../index.html",
            "/briefs/./a/",
            "/%2e%2e/site.yaml",
            "/%2E%2E%2Fsite.yaml",
            "/briefs/%2e%2e/%2e%2e/etc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/static\\..\\site.yaml",
            "//etc/passwd",
            "/static//style.css",
            "/%00index.html",
            "/C:/Windows/win.ini",
            "/%ff%fe",
            "relative/path",
            "",
        ] {
            assert_eq!(request_path(raw), None, "{raw} should be refused");
        }
    }

    #[test]
    fn content_types_name_utf8_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("static/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("search-index.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("static/card.png"), "image/png");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }

    #[test]
    fn counts_changed_added_and_removed_files() {
        let before = site();
        let after = SiteFiles::new(vec![
            OutputFile::new("index.html", "home, edited"),
            OutputFile::new("briefs/a/index.html", "a"),
            OutputFile::new("new.txt", "n"),
        ]);
        // index.html changed, new.txt added, style.css and café.txt removed.
        assert_eq!(after.changed_since(&before), 4);
    }
}

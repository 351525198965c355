//! `site.yaml`: the site's settings, every key optional with a documented default.
//!
//! Steps: read the file (a missing file means all defaults), parse it strictly (an unknown key is
//! an error at its line and column), then check the values that YAML types cannot (the base URL's
//! shape, the pagination size). Command-line overrides (`--base-url`) are applied by the caller
//! through [`SiteConfig::with_base_url`] so they go through the same checks.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, SourceText};
use crate::yaml;

/// Validated site settings. Field docs give each default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site name in titles and feeds. Default: `Briefing`.
    pub title: String,
    /// Absolute URL (`https://user.github.io/repo/`) or path (`/`) every link starts with;
    /// always ends in `/` after loading. Default: `/`.
    pub base_url: String,
    /// `lang` of every page. Default: `en`.
    pub language: String,
    /// Meta description of the home page. Default: empty.
    pub description: String,
    /// Folder under `themes/`; files it lacks come from the embedded default theme.
    /// Default: `default`.
    pub theme: String,
    /// Path of the knowledge file, relative to the site root. Default: `content/knowledge.yaml`.
    pub knowledge: PathBuf,
    /// Briefs per index page. Default: 10.
    pub paginate: usize,
    pub footnotes: FootnotesConfig,
    pub highlight: HighlightConfig,
    pub markdown: MarkdownConfig,
    /// Pass raw HTML in Markdown through. Default: false (it is dropped), as in Hugo.
    pub unsafe_html: bool,
    /// Custom domain written to `public/CNAME` when not empty. Default: empty.
    pub cname: String,
    /// Most briefs in `atom.xml` and in each tag's feed, newest first; 0 for all. Default: 20.
    pub feed_limit: usize,
    /// The social-card image (a path under the site, or a URL) of pages that have no PNG,
    /// JPEG, GIF or WebP image of their own: link previews do not render SVG. Default: none.
    pub image: String,
    /// Text alternative of `image`. Default: empty.
    pub image_alt: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FootnotesConfig {
    /// Heading of the footnotes section. Default: `Context`.
    pub heading: String,
    /// Most knowledge footnotes a brief gets automatically. Default: 12.
    pub max_per_brief: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// A syntect theme name, emitted as CSS classes in `static/syntax.css`.
    /// Default: `InspiredGitHub`.
    pub theme: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses. Default: true.
    pub smart_punctuation: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Briefing".into(),
            base_url: "/".into(),
            language: "en".into(),
            description: String::new(),
            theme: "default".into(),
            knowledge: PathBuf::from("content/knowledge.yaml"),
            paginate: 10,
            footnotes: FootnotesConfig::default(),
            highlight: HighlightConfig::default(),
            markdown: MarkdownConfig::default(),
            unsafe_html: false,
            cname: String::new(),
            feed_limit: 20,
            image: String::new(),
            image_alt: String::new(),
        }
    }
}

impl Default for FootnotesConfig {
    fn default() -> Self {
        FootnotesConfig {
            heading: "Context".into(),
            max_per_brief: 12,
        }
    }
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            theme: "InspiredGitHub".into(),
        }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
        }
    }
}

/// The loaded configuration plus its source text, kept so later checks (an unknown highlight
/// theme, say) can point at the line that set the value.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: SiteConfig,
    pub source: SourceText,
}

/// Where `site.yaml` lives under a site root; shown in messages relative to the root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Reads and checks `root/site.yaml`.
pub fn load(root: &Path) -> Result<LoadedConfig, Error> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(Error::io("cannot read", &path, error)),
    };
    parse(SourceText::new(CONFIG_FILE, text))
}

/// Parses and checks a `site.yaml` already in memory.
pub fn parse(source: SourceText) -> Result<LoadedConfig, Error> {
    let config: SiteConfig = if source.text.trim().is_empty() {
        SiteConfig::default()
    } else {
        yaml::parse(&source, &source.text, 1, "site.yaml")?
    };
    let mut loaded = LoadedConfig { config, source };
    loaded.config.base_url = check_base_url(&loaded.config.base_url)
        .map_err(|message| loaded.error_at("base_url", message))?;
    if loaded.config.paginate == 0 {
        return Err(loaded.error_at("paginate", "`paginate` must be at least 1"));
    }
    Ok(loaded)
}

impl LoadedConfig {
    /// Replaces the base URL (from `--base-url`), with the same checks as the file's value.
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, Error> {
        self.config.base_url = check_base_url(base_url)
            .map_err(|message| Error::Usage(format!("--base-url: {message}")))?;
        Ok(self)
    }

    /// An error pointing at `key` in `site.yaml` (dotted for nested keys: `highlight.theme`), or
    /// at the file when the key is not written there (its default is what failed).
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Error {
        let mut found = None;
        let mut from = 0;
        for part in key.split('.') {
            found = yaml::find_key(&self.source, part, from);
            match &found {
                Some((_, offset)) => from = *offset + part.len(),
                None => break,
            }
        }
        match found {
            Some((span, _)) => Error::user(span, message),
            None => Error::File {
                path: self.source.path.clone(),
                message: message.into(),
            },
        }
    }
}

/// A base URL is either absolute with an http(s) scheme and a host, or a path starting with `/`.
/// The result always ends with `/` so joining never doubles or drops a slash.
fn check_base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let valid = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        !rest.is_empty() && !rest.starts_with('/')
    } else {
        url.starts_with('/')
    };
    if !valid
        || url
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<')
    {
        return Err(format!(
            "invalid base_url `{url}`, expected an http(s) URL such as \
             `https://user.github.io/repo/` or a path starting with `/`"
        ));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::error::SourceText;

    #[test]
    fn empty_file_gives_documented_defaults() {
        let loaded = parse(SourceText::new("site.yaml", "")).unwrap();
        assert_eq!(loaded.config.base_url, "/");
        assert_eq!(loaded.config.paginate, 10);
        assert_eq!(loaded.config.footnotes.heading, "Context");
        assert!(loaded.config.markdown.smart_punctuation);
        assert!(!loaded.config.unsafe_html);
    }

    #[test]
    fn base_url_gains_a_trailing_slash() {
        let source = SourceText::new("site.yaml", "base_url: https://a.github.io/repo\n");
        assert_eq!(
            parse(source).unwrap().config.base_url,
            "https://a.github.io/repo/"
        );
    }

    #[test]
    fn bad_base_url_points_at_its_key() {
        let source = SourceText::new("site.yaml", "title: x\nbase_url: ftp://x\n");
        let report = parse(source).unwrap_err().report();
        assert!(report.starts_with("site.yaml:2:1: error: invalid base_url `ftp://x`"));
    }

    #[test]
    fn unknown_nested_key_is_located() {
        let source = SourceText::new("site.yaml", "footnotes:\n  heading: X\n  max: 3\n");
        let report = parse(source).unwrap_err().report();
        assert!(
            report.starts_with("site.yaml:3:3: error: site.yaml: unknown key `max`"),
            "{report}"
        );
    }
}

//! Code highlighting with syntect, emitted as CSS classes rather than inline colours.
//!
//! Classes keep the HTML small and let a theme (or the reader's dark mode) restyle code with one
//! stylesheet: `static/syntax.css`, generated from the syntect theme named in `site.yaml`. The
//! syntax definitions take a few milliseconds to load, so they are loaded once per process, on
//! first use, and only if some brief or note has a fenced code block.

use std::sync::OnceLock;

use pulldown_cmark_escape::escape_html_body_text;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Every class syntect writes starts with this, so theme CSS and code colours never collide.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntax definitions, loaded on first use and kept for the rest of the process.
///
/// Process-wide, not per build: syntect compiles a syntax's regexes on first use and caches
/// them inside its `SyntaxSet`, so a fresh set per build compiled them again every time. That
/// was most of a one-brief build with a Rust code block: in the AFL `pipeline` harness about
/// 160 ms a build before this, 11 ms after (it had held the fuzzer to 9 inputs a second), and
/// every full rebuild of `serve` paid it too. The cost is that the compiled regexes stay in
/// memory after the last build.
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// A handle on the process's syntax definitions ([`SYNTAXES`]); cheap to create.
#[derive(Debug, Default)]
pub struct Highlighter;

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter
    }

    /// A `<pre>` block for `code` in language `lang` (a fence's info string, e.g. `rust` or
    /// `py`). Unknown or missing languages give plain escaped code.
    pub fn code_block(&self, code: &str, lang: &str) -> String {
        let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        let mut html = String::with_capacity(code.len() * 2 + 64);
        let lang_attr = escape_attr(lang);
        if lang.is_empty() {
            html.push_str("<pre class=\"code\"><code>");
        } else {
            html.push_str(&format!(
                "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">"
            ));
        }
        match self.highlighted(code, lang) {
            Some(spans) => html.push_str(&spans),
            None => {
                let _ = escape_html_body_text(&mut html, code);
            }
        }
        html.push_str("</code></pre>\n");
        html
    }

    fn highlighted(&self, code: &str, lang: &str) -> Option<String> {
        if lang.is_empty() {
            return None;
        }
        let syntaxes = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| syntaxes.find_syntax_by_extension(lang))?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// The names of the themes syntect ships, for error messages.
pub fn theme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.into_keys().collect()
}

/// The stylesheet for syntect theme `name`, or `None` if syntect has no such theme.
pub fn stylesheet(name: &str) -> Option<String> {
    let themes = ThemeSet::load_defaults();
    let theme = themes.themes.get(name)?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::{Highlighter, stylesheet};

    #[test]
    fn known_language_gets_classes() {
        let html = Highlighter::new().code_block("fn main() {}\n", "rust");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\">"));
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = Highlighter::new().code_block("<b>x</b>\n", "nope\"><script>");
        assert_eq!(
            html,
            "<pre class=\"code\" data-lang=\"nope&quot;&gt;&lt;script&gt;\"><code class=\"language-nope&quot;&gt;&lt;script&gt;\">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_exists_for_the_default_theme_only_by_name() {
        assert!(stylesheet("InspiredGitHub").unwrap().contains(".hl-"));
        assert!(stylesheet("NoSuchTheme").is_none());
    }
}

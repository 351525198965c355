//! Every URL of the site, in one place.

/// Builds every URL of the site from the base URL, so the path prefix is never forgotten.
/// URLs are joined with `concat`, not `format!`: a build makes hundreds of thousands of them,
/// and `format!`'s padding checks cost ten times the copying.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// `base` must end with `/` (the config loader guarantees it).
    pub fn new(base: &str) -> Urls {
        Urls {
            base: base.to_string(),
        }
    }

    pub fn home(&self) -> String {
        self.base.clone()
    }

    pub fn brief(&self, slug: &str) -> String {
        [&self.base, "briefs/", slug, "/"].concat()
    }

    pub fn fact(&self, id: &str) -> String {
        [&self.base, "context/", id, "/"].concat()
    }

    /// Page `number` of a fact's list of citing briefs; the first is the fact's own URL.
    pub fn fact_page(&self, id: &str, number: usize) -> String {
        numbered(self.fact(id), number)
    }

    pub fn facts(&self) -> String {
        [&self.base, "context/"].concat()
    }

    pub fn tag(&self, slug: &str) -> String {
        [&self.base, "tags/", slug, "/"].concat()
    }

    /// Page `number` of a tag's briefs; the first is the tag's own URL.
    pub fn tag_page(&self, slug: &str, number: usize) -> String {
        numbered(self.tag(slug), number)
    }

    pub fn tags(&self) -> String {
        [&self.base, "tags/"].concat()
    }

    pub fn index_page(&self, number: usize) -> String {
        numbered(self.home(), number)
    }

    pub fn static_dir(&self) -> String {
        [&self.base, "static/"].concat()
    }

    /// The output file of the page at `url`, one of this site's folder URLs.
    pub fn output_path(&self, url: &str) -> String {
        [self.relative(url), "index.html"].concat()
    }

    /// `url` without the base prefix, for files that must work wherever the site is served.
    pub fn relative<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }

    /// An author-given path or URL: absolute http(s) URLs stay, paths are put under the base.
    pub fn asset(&self, src: &str) -> String {
        if crate::content::is_web_url(src) {
            src.to_string()
        } else {
            [&self.base, src.trim_start_matches('/')].concat()
        }
    }
}

/// Page `number` of the list at `first` (a folder URL): the list's own URL for page 1, then
/// `page/<n>/` under it, as Zola and Hugo name them.
fn numbered(first: String, number: usize) -> String {
    if number == 1 {
        first
    } else {
        [&first, "page/", &number.to_string(), "/"].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::Urls;

    #[test]
    fn urls_keep_the_base_path() {
        let urls = Urls::new("https://u.github.io/repo/");
        assert_eq!(urls.brief("a"), "https://u.github.io/repo/briefs/a/");
        assert_eq!(urls.index_page(1), "https://u.github.io/repo/");
        assert_eq!(urls.index_page(3), "https://u.github.io/repo/page/3/");
        assert_eq!(
            urls.tag_page("a-b", 1),
            "https://u.github.io/repo/tags/a-b/"
        );
        assert_eq!(
            urls.fact_page("war", 2),
            "https://u.github.io/repo/context/war/page/2/"
        );
        assert_eq!(
            urls.output_path(&urls.tag_page("a-b", 2)),
            "tags/a-b/page/2/index.html"
        );
        assert_eq!(urls.output_path(&urls.index_page(1)), "index.html");
        assert_eq!(
            urls.asset("/static/x.svg"),
            "https://u.github.io/repo/static/x.svg"
        );
        assert_eq!(urls.asset("https://e.org/x.png"), "https://e.org/x.png");
    }
}

//! Starting points for authors: `briefing init DIR` (a new working site) and
//! `briefing new "Title"` (a new brief with its front matter filled in).
//!
//! Neither ever overwrites a file: `init` wants a missing or empty folder, and `new` opens its
//! file with `create_new`, so two runs racing for one name cannot clobber each other either.
//! The starter site is the `starter/` folder of this repository, embedded in the binary, so
//! what `init` writes is a real site the test suite builds and checks with `--deny-warnings`.
//! `new` checks the brief it is about to write with the build's own parser, so a written brief
//! always loads.

use std::io::Write;
use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

use crate::content::{self, BRIEFS_DIR};
use crate::date::Date;
use crate::error::{Error, SourceText};

/// The starter site, file for file.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// In the starter's `site.yaml`, replaced by the site's title (quoted).
const TITLE_PLACEHOLDER: &str = "__TITLE__";

/// Creates a site in `dir` (created when missing; refused when it holds anything) and returns
/// what to print: the files written and what to do next.
pub fn init(dir: &Path) -> Result<String, Error> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::File {
                    path: dir.to_path_buf(),
                    message: "the folder is not empty; `briefing init` only creates a site in a \
                              new or empty folder, so it never overwrites files"
                        .into(),
                });
            }
        }
        Err(_) if dir.is_file() => {
            return Err(Error::File {
                path: dir.to_path_buf(),
                message: "exists and is not a folder".into(),
            });
        }
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
    }
    let title = site_title(dir);
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut written = Vec::new();
    for (path, bytes) in files {
        let target = dir.join(&path);
        let bytes = if path == Path::new("site.yaml") {
            let text = String::from_utf8_lossy(bytes);
            text.replace(TITLE_PLACEHOLDER, &yaml_string(&title))
                .into_bytes()
        } else {
            bytes.to_vec()
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        write_new(&target, &bytes)?;
        written.push(format!("  {}", path.display()));
    }
    Ok(format!(
        "Created a new site in {}:\n{}\nNext: briefing serve --root {} --open",
        dir.display(),
        written.join("\n"),
        dir.display()
    ))
}

/// Every file under `dir`, by path relative to the starter's root.
fn collect<'a>(dir: &'a Dir<'a>, files: &mut Vec<(PathBuf, &'a [u8])>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect(sub, files),
            DirEntry::File(file) => files.push((file.path().to_path_buf(), file.contents())),
        }
    }
}

/// The folder's name as the site's title (`my-site` for `init my-site`); `Briefing` when the
/// path has no usable name (`.`, `/`).
fn site_title(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|full| full.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Briefing".to_string())
}

/// A YAML double-quoted scalar: a JSON string is one, escapes included.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// What `briefing new` writes.
#[derive(Debug, Clone)]
pub struct NewBrief {
    pub root: PathBuf,
    pub title: String,
    /// `None`: today, in the local time zone.
    pub date: Option<String>,
    /// As typed after `--tags`: comma-separated.
    pub tags: Option<String>,
}

/// Writes `content/briefs/<slug>.md` under the root and returns the line to print.
pub fn new_brief(options: &NewBrief) -> Result<String, Error> {
    let title = options.title.trim();
    let slug = content::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "cannot make a file name from the title `{}`: it has no letters or digits",
            options.title
        )));
    }
    // Written as typed once it parses, so a time of day the author gave is kept.
    let date = match &options.date {
        Some(text) => match Date::parse(text.trim()) {
            Some(_) => text.trim().to_string(),
            None => {
                return Err(Error::Usage(format!(
                    "--date: invalid date `{text}`, expected a real calendar day written YYYY-MM-DD"
                )));
            }
        },
        None => today().to_string(),
    };
    let mut tags = Vec::new();
    for tag in options.tags.iter().flat_map(|tags| tags.split(',')) {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        if content::slugify(tag).is_empty() {
            return Err(Error::Usage(format!(
                "--tags: tag `{tag}` has no letters or digits to make a URL from"
            )));
        }
        tags.push(yaml_string(tag));
    }
    let relative = Path::new(BRIEFS_DIR).join(format!("{slug}.md"));
    let text = brief_text(title, &date, &tags);
    // The build's own parser: what `new` writes always loads.
    content::parse_brief(SourceText::new(&relative, text.as_str()))?;
    let target = options.root.join(&relative);
    // Paths as the user would type them: without a leading `./`.
    let shown = if options.root == Path::new(".") {
        relative
    } else {
        target.clone()
    };
    if target.exists() {
        return Err(already_exists(&shown));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    }
    write_new(&target, text.as_bytes()).map_err(|error| match error {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            already_exists(&shown)
        }
        other => other,
    })?;
    Ok(format!("Created {}", shown.display()))
}

fn already_exists(shown: &Path) -> Error {
    Error::File {
        path: shown.to_path_buf(),
        message: "already exists; `briefing new` never overwrites a brief (choose another \
                  title, or edit that file)"
            .into(),
    }
}

/// The new brief's text: front matter with the given values, hints as YAML comments, and an
/// empty body.
fn brief_text(title: &str, date: &str, tags: &[String]) -> String {
    let mut text = format!("---\ntitle: {}\ndate: {date}\n", yaml_string(title));
    if !tags.is_empty() {
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    text.push_str(
        "# summary: \"One sentence for lists and previews.\"\n\
         # source_url: \"https://...\"\n\
         # draft: true\n\
         # The body below is Markdown. The first mention of a fact's term gets the fact's note;\n\
         # [^fact-id] cites a fact by hand.\n\
         ---\n",
    );
    text
}

/// Today's date on the author's clock. The one place briefing reads the clock: a new brief is
/// dated when it is written, in the author's time zone, as Hugo's `new` does; the build never
/// reads it, so its output stays the same whenever it runs.
fn today() -> Date {
    let day = chrono::Local::now().date_naive();
    Date::parse(&day.format("%Y-%m-%d").to_string()).expect("a calendar day parses")
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("cannot create", path, e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io("cannot write", path, e))
}

#[cfg(test)]
mod tests {
    use super::{STARTER, brief_text, yaml_string};
    use crate::content::parse_brief;
    use crate::error::SourceText;

    #[test]
    fn the_starter_holds_a_site_a_brief_a_knowledge_file_and_a_readme() {
        for path in [
            "site.yaml",
            "README.md",
            ".gitignore",
            "content/knowledge.yaml",
            "content/briefs/karabakh-ceasefire-2020-11-10.md",
        ] {
            assert!(STARTER.get_file(path).is_some(), "{path}");
        }
    }

    #[test]
    fn titles_and_tags_are_quoted_so_any_text_parses() {
        let title = "Quotes \" and: colons # too";
        let text = brief_text(title, "2024-05-01", &[yaml_string("a: b")]);
        let brief = parse_brief(SourceText::new("content/briefs/x.md", text)).unwrap();
        assert_eq!(brief.meta.title, title);
        assert_eq!(brief.meta.tags, vec!["a: b".to_string()]);
        assert_eq!(brief.body(), "");
    }
}

//! The fuzz targets: each takes arbitrary bytes and feeds them to one part of briefing. A target
//! must never panic, whatever the input: bad input is an `Error` with a position, and the
//! targets also assert the invariants the output stage relies on (every derived path stays
//! inside the output folder; matches fall on character boundaries). A panic is a finding.
//!
//! Shared, through `#[path]` modules, by the AFL++ harnesses in `fuzz/afl/` (coverage-guided
//! long runs by hand) and the smoke test in `cargo test` (`tests/integration/fuzz.rs`), so both
//! run exactly the same code.

use std::path::Path;

use briefing::annotate::{self, AnnotateOptions};
use briefing::content;
use briefing::error::SourceText;
use briefing::highlight::Highlighter;
use briefing::knowledge;
use briefing::links::LinkMap;
use briefing::markdown::{self, RenderOptions};
use briefing::output;
use briefing::pipeline::{self, BuildOptions};

/// A target: takes any bytes, returns normally or panics (a finding). Each has a harness binary
/// in `fuzz/afl/src/bin/`, a test in `tests/integration/fuzz.rs` and a corpus folder, all named
/// `front_matter`, `knowledge`, `annotate` or `pipeline`.
pub type Target = fn(&[u8]);

/// Separates the sections of a multi-part input (terms and body; the files of a site). A line
/// of its own, so that mutations of the text rarely create or destroy one by accident.
pub const SEPARATOR: &str = "\n=====\n";

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Front matter split and parse: a whole brief file.
pub fn front_matter(data: &[u8]) {
    let source = SourceText::new("content/briefs/fuzz.md", text(data));
    match content::parse_brief(source) {
        Ok(brief) => {
            // Every derived path must be writable inside the output folder.
            let slug_ok = output::check_path(&format!("briefs/{}/index.html", brief.slug)).is_ok();
            let tags_ok = brief
                .tags
                .iter()
                .all(|(tag, _)| output::check_path(&format!("tags/{tag}/index.html")).is_ok());
            assert!(slug_ok && tags_ok, "unsafe path from {:?}", brief.slug);
        }
        Err(error) => {
            let _ = error.report();
        }
    }
}

/// Knowledge file parse and checks.
pub fn knowledge_file(data: &[u8]) {
    match knowledge::parse(SourceText::new("content/knowledge.yaml", text(data))) {
        Ok(kb) => {
            for fact in &kb.facts {
                assert!(
                    output::check_path(&format!("context/{}/index.html", fact.id)).is_ok(),
                    "unsafe fact id {:?}",
                    fact.id
                );
            }
        }
        Err(error) => {
            let _ = error.report();
        }
    }
}

/// The matcher and the annotate and Markdown stages on arbitrary prose and terms: the input is
/// `term|term|...` lines (one line per fact), [`SEPARATOR`], then a Markdown body.
pub fn annotate_text(data: &[u8]) {
    let input = text(data);
    let (terms, body) = input.split_once(SEPARATOR).unwrap_or(("", &input));
    let mut seen = std::collections::BTreeSet::new();
    let mut yaml = String::from("entries:\n");
    for (index, line) in terms.lines().take(64).enumerate() {
        let mut fact_terms = Vec::new();
        for term in line.split('|') {
            let term = term.trim();
            if !term.is_empty() && seen.insert(briefing::matcher::fold(term)) {
                fact_terms.push(term.to_string());
            }
        }
        // JSON strings are YAML flow scalars, so any term survives quoting.
        let terms_json = serde_json::to_string(&fact_terms).unwrap_or_default();
        yaml.push_str(&format!(
            "  - id: f{index}\n    title: F\n    terms: {terms_json}\n    note: \"N *{index}*\"\n"
        ));
    }
    let kb = match knowledge::parse(SourceText::new("k.yaml", yaml)) {
        Ok(kb) => kb,
        Err(error) => {
            let _ = error.report();
            return;
        }
    };
    let mentions = kb.matcher.find(body);
    for found in &mentions {
        assert!(found.start < found.end && body.is_char_boundary(found.start));
        assert!(body.is_char_boundary(found.end));
    }
    let file = format!("---\ntitle: T\ndate: 2022-08-04\n---\n{body}");
    let brief = match content::parse_brief(SourceText::new("content/briefs/x.md", file)) {
        Ok(brief) => brief,
        Err(error) => {
            let _ = error.report();
            return;
        }
    };
    for smart in [true, false] {
        let options = AnnotateOptions {
            max_per_brief: 3,
            markdown: annotate::markdown_options(smart),
        };
        match annotate::annotate(&brief, &kb, options) {
            Ok(annotated) => {
                let links = LinkMap::new("/", Vec::new(), Vec::new());
                let render = RenderOptions {
                    markdown: options.markdown,
                    unsafe_html: false,
                    highlighter: highlighter(),
                    links: &links,
                };
                markdown::render_brief(&annotated, render);
            }
            Err(error) => {
                let _ = error.report();
            }
        }
    }
}

/// One highlighter for every input: loading syntect's definitions takes longer than the rest
/// of an input's run.
fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

/// The whole pipeline on a one-brief site: the brief file, [`SEPARATOR`], the knowledge file,
/// and optionally [`SEPARATOR`] `site.yaml` and [`SEPARATOR`] a `brief.html` template that
/// replaces the default theme's.
pub fn one_brief_site(data: &[u8]) {
    let input = text(data);
    let mut parts = input.splitn(4, SEPARATOR);
    let brief = parts.next().unwrap_or("");
    let knowledge = parts.next().unwrap_or("");
    let site = parts.next();
    let template = parts.next();
    let dir = scratch_dir();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(root)).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/briefs/fuzz.md", brief);
    write("content/knowledge.yaml", knowledge);
    let mut site_yaml = site.unwrap_or("title: Fuzz\n").to_string();
    if let Some(template) = template {
        write("themes/fuzz/templates/brief.html", template);
        site_yaml = format!("theme: fuzz\n{site_yaml}");
    }
    write("site.yaml", &site_yaml);
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
    };
    match pipeline::render(&options) {
        Ok(rendered) => {
            for file in &rendered.files {
                assert!(
                    output::check_path(&file.path).is_ok(),
                    "unsafe output path {:?}",
                    file.path
                );
            }
        }
        Err(error) => {
            let _ = error.report();
        }
    }
}

/// A fresh temporary folder per call: the pipeline reads its input from disk.
fn scratch_dir() -> tempfile::TempDir {
    let base = std::env::var_os("BRIEFING_FUZZ_TMP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("briefing-fuzz-")
        .tempdir_in(Path::new(&base))
        .expect("a temporary folder")
}

//! The build, stage by stage: config → content + knowledge → annotate → markdown → site →
//! templates → output files. `build` and `check` both run [`render`]; only `build` then hands
//! the files to the output stage, so what `check` accepts is exactly what `build` ships.
//!
//! Loading errors from briefs and from the knowledge file are gathered together before failing,
//! so one run shows every mistake in the content. Per-brief stages run in parallel and collect
//! into a Vec in input order.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::annotate::{self, AnnotateOptions, AnnotatedBrief};
use crate::config::{self, LoadedConfig};
use crate::content;
use crate::error::Error;
use crate::highlight::{self, Highlighter};
use crate::knowledge;
use crate::links::{self, LinkMap};
use crate::markdown::{self, RenderOptions};
use crate::output::{self, OutputFile};
use crate::site;
use crate::templates;
use crate::theme;

/// What to build, after command-line arguments are resolved.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Figures for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub briefs: usize,
    pub facts: usize,
    /// Knowledge footnotes attached across all briefs.
    pub notes_attached: usize,
    /// Facts cited by at least one brief.
    pub facts_cited: usize,
    pub pages: usize,
    pub files: usize,
    /// Wall time of each stage, in order, for `--timings`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each stage took, for `--timings`.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// The rendered site in memory.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub stats: Stats,
}

/// Runs every stage up to, not including, writing.
pub fn render(options: &BuildOptions) -> Result<Rendered, Error> {
    let mut clock = Clock::new();
    let mut loaded = config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        loaded = loaded.with_base_url(base_url)?;
    }
    let config = &loaded.config;
    let highlight_css = highlight::stylesheet(&config.highlight.theme).ok_or_else(|| {
        loaded.error_at(
            "highlight.theme",
            format!(
                "unknown highlight theme `{}` (expected one of: {})",
                config.highlight.theme,
                highlight::theme_names().join(", ")
            ),
        )
    })?;
    let theme = theme::load(&options.root, &loaded)?;
    clock.lap("config+theme");

    let knowledge_named = yaml_mentions(&loaded, "knowledge");
    let (corpus, knowledge) = rayon::join(
        || content::load(&options.root, options.drafts),
        || knowledge::load(&options.root, &config.knowledge, knowledge_named),
    );
    let (corpus, knowledge) = match (corpus, knowledge) {
        (Ok(corpus), Ok(knowledge)) => (corpus, knowledge),
        (corpus, knowledge) => {
            let errors = [corpus.err(), knowledge.err()]
                .into_iter()
                .flatten()
                .collect();
            Error::collect(errors)?;
            unreachable!("at least one of the two loads failed");
        }
    };
    clock.lap("load");
    let renderer = templates::compile(theme.clone())?;
    clock.lap("templates");

    let markdown_options = annotate::markdown_options(config.markdown.smart_punctuation);
    let annotate_options = AnnotateOptions {
        max_per_brief: config.footnotes.max_per_brief,
        markdown: markdown_options,
    };
    let link_map = link_map(config, &corpus);
    let annotated: Vec<Result<AnnotatedBrief, Error>> = corpus
        .briefs
        .par_iter()
        .map(|brief| {
            let broken = links::check(brief, &link_map, markdown_options);
            match annotate::annotate(brief, &knowledge, annotate_options) {
                Ok(_) if !broken.is_empty() => Err(Error::Many(broken)),
                Err(error) if !broken.is_empty() => {
                    Err(Error::Many(broken.into_iter().chain([error]).collect()))
                }
                result => result,
            }
        })
        .collect();
    let mut errors = Vec::new();
    let annotated: Vec<AnnotatedBrief> = annotated
        .into_iter()
        .filter_map(|result| result.map_err(|error| errors.push(error)).ok())
        .collect();
    Error::collect(errors)?;
    clock.lap("annotate");

    let highlighter = Highlighter::new();
    let render_options = RenderOptions {
        markdown: markdown_options,
        unsafe_html: config.unsafe_html,
        highlighter: &highlighter,
        links: &link_map,
    };
    let notes_html: Vec<std::sync::Arc<str>> = knowledge
        .facts
        .par_iter()
        .map(|fact| markdown::render_markdown(&fact.note, render_options).into())
        .collect();
    let rendered: Vec<_> = annotated
        .par_iter()
        .map(|brief| markdown::render_brief(brief, render_options))
        .collect();

    clock.lap("markdown");
    let site = site::assemble(config, &knowledge, &notes_html, &rendered);
    clock.lap("site");
    let rendered_files = renderer.render(&site)?;
    clock.lap("render");

    let page_count = site.pages.len();
    let mut files: Vec<OutputFile> = rendered_files
        .into_iter()
        .chain(site.files)
        .map(|(path, text)| OutputFile::new(path, text))
        .collect();
    for (path, bytes) in &theme.static_files {
        files.push(OutputFile::new(format!("static/{path}"), bytes.clone()));
    }
    files.push(OutputFile::new("static/syntax.css", highlight_css));
    files.push(OutputFile::new(".nojekyll", ""));
    if !config.cname.trim().is_empty() {
        files.push(OutputFile::new(
            "CNAME",
            format!("{}\n", config.cname.trim()),
        ));
    }
    // A site's static/ may not replace generated files; later entries win, earlier are dropped.
    dedupe_keep_last(&mut files);

    let cited: std::collections::BTreeSet<usize> =
        rendered.iter().flat_map(|brief| brief.facts()).collect();
    let stats = Stats {
        briefs: corpus.briefs.len(),
        facts: knowledge.facts.len(),
        notes_attached: rendered.iter().map(|brief| brief.facts().count()).sum(),
        facts_cited: cited.len(),
        pages: page_count,
        files: files.len(),
        timings: clock.laps,
    };
    Ok(Rendered { files, stats })
}

/// Renders and writes the site; the output folder changes only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Stats, Error> {
    let rendered = render(options)?;
    let start = Instant::now();
    output::write_site(&options.output, &rendered.files)?;
    let mut stats = rendered.stats;
    stats.timings.push(("write", start.elapsed()));
    Ok(stats)
}

/// Where `@/briefs/x.md` links point in this build.
fn link_map(config: &config::SiteConfig, corpus: &content::Corpus) -> LinkMap {
    let urls = site::Urls::new(&config.base_url);
    let briefs = corpus
        .briefs
        .iter()
        .map(|brief| {
            (
                links::content_path(&brief.source.path),
                urls.brief(&brief.slug),
            )
        })
        .collect();
    let drafts = corpus
        .left_out
        .iter()
        .map(|path| links::content_path(path))
        .collect();
    LinkMap::new(&config.base_url, briefs, drafts)
}

/// Whether `site.yaml` sets `key` itself (rather than relying on the default).
fn yaml_mentions(loaded: &LoadedConfig, key: &str) -> bool {
    crate::yaml::find_key(&loaded.source, key, 0).is_some()
}

fn dedupe_keep_last(files: &mut Vec<OutputFile>) {
    let mut seen = std::collections::BTreeSet::new();
    let mut kept: Vec<OutputFile> = files
        .drain(..)
        .rev()
        .filter(|file| seen.insert(file.path.clone()))
        .collect();
    kept.reverse();
    *files = kept;
}

/// The summary printed after a successful build, in the manner of Zola's.
pub fn summary(stats: &Stats, output: &Path, elapsed: Duration) -> String {
    format!(
        "Built {} brief{} with {} context note{} from {} of {} fact{}: {} pages, {} files in {} in {:.0?}",
        stats.briefs,
        plural(stats.briefs),
        stats.notes_attached,
        plural(stats.notes_attached),
        stats.facts_cited,
        stats.facts,
        plural(stats.facts),
        stats.pages,
        stats.files,
        output.display(),
        elapsed,
    )
}

/// One line of per-stage wall times: `config+theme 3ms · load 41ms · ...`.
pub fn timings_line(stats: &Stats) -> String {
    stats
        .timings
        .iter()
        .map(|(stage, took)| format!("{stage} {took:.1?}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Times `f`, for the summary line.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

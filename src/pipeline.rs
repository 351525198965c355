//! The build, stage by stage: config → content + knowledge → annotate → markdown → site →
//! templates → output files. [`render`] (what `check` and `serve` run) takes each stage over
//! the whole site in memory; [`build`] takes the same stages with the briefs a run at a time,
//! writing each brief's page as soon as it is rendered (see `pipeline/build.rs`). Both call
//! the same stage functions, and a test holds the files `build` writes equal to the ones
//! `render` gives, so what `check` accepts is what `build` ships.
//!
//! Loading errors from briefs and from the knowledge file are gathered together before failing,
//! so one run shows every mistake in the content. Per-brief stages run in parallel and collect
//! into a Vec in input order.

mod build;
mod rebuild;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::annotate::{self, AnnotateOptions};
use crate::config::{self, LoadedConfig};
use crate::content;
use crate::error::Error;
use crate::highlight::{self, Highlighter};
use crate::knowledge;
use crate::links::{self, LinkMap};
use crate::markdown::{self, RenderOptions};
use crate::output::OutputFile;
use crate::site;
use crate::templates;
use crate::theme;
use crate::views::PreparedText;

/// What to build, after command-line arguments are resolved.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

pub use build::build;
pub(crate) use rebuild::rebuild_briefs;

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
    /// Pages and feeds rendered from their templates (the rest were reused from the last build).
    pub rendered: usize,
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

/// A finished render and the values that made it. `serve` keeps the last one, so that a change
/// to a few briefs redoes only their stages and the pages whose context changed.
pub struct Built {
    /// The whole site, or when `complete` is false only the files that differ from the
    /// previous build's (a patched rebuild removes no file).
    pub files: Vec<OutputFile>,
    pub complete: bool,
    pub stats: Stats,
    pub(crate) parts: Parts,
}

/// Every stage's output of one build, in the form the next build can reuse.
pub(crate) struct Parts {
    pub loaded: LoadedConfig,
    pub renderer: templates::Renderer,
    /// Files made without templates or briefs: static assets, `syntax.css`, `.nojekyll`, `CNAME`.
    pub extras: Vec<OutputFile>,
    pub knowledge: knowledge::KnowledgeBase,
    pub notes_html: Vec<PreparedText>,
    pub highlighter: Highlighter,
    pub link_map: LinkMap,
    pub annotate_options: AnnotateOptions,
    pub corpus: content::Corpus,
    /// `html[i]` is `corpus.briefs[i]` rendered.
    pub html: Vec<BriefHtml>,
    /// The assembled site and its rendered text, compared with by the next build.
    pub output: Option<(site::Site, templates::RenderedSite)>,
    /// The last build's figures, which a patched rebuild adjusts.
    pub stats: Stats,
}

/// A rebuild's error, with the parts it started from, so the next rebuild can start there.
pub(crate) type Failed = Box<(Error, Parts)>;

/// A brief's rendered Markdown, without the borrow of the brief it came from.
#[derive(Debug, Clone)]
pub(crate) struct BriefHtml {
    body_html: PreparedText,
    footnotes: Vec<markdown::RenderedFootnote>,
    word_count: usize,
}

impl BriefHtml {
    /// Indices of the facts cited, in footnote order.
    fn facts(&self) -> impl Iterator<Item = usize> + '_ {
        self.footnotes.iter().filter_map(|footnote| match footnote {
            markdown::RenderedFootnote::Fact { fact, .. } => Some(*fact),
            markdown::RenderedFootnote::Author { .. } => None,
        })
    }

    /// The rendering of `brief`, which this is.
    fn rendered<'b>(&self, brief: &'b content::Brief) -> markdown::RenderedBrief<'b> {
        markdown::RenderedBrief {
            brief,
            body_html: self.body_html.clone(),
            footnotes: self.footnotes.clone(),
            word_count: self.word_count,
        }
    }
}

/// Runs every stage up to, not including, writing.
pub fn render(options: &BuildOptions) -> Result<Rendered, Error> {
    let built = render_all(options)?;
    Ok(Rendered {
        files: built.files,
        stats: built.stats,
    })
}

/// Runs every stage from scratch, keeping what a later [`rebuild_briefs`] reuses.
pub fn render_all(options: &BuildOptions) -> Result<Built, Error> {
    let (parts, clock) = prepare(options)?;
    finish(parts, clock).map_err(|failed| failed.0)
}

/// What a build reads and compiles before any brief is rendered.
pub(crate) struct Inputs {
    pub loaded: LoadedConfig,
    pub renderer: templates::Renderer,
    /// Files made without templates or briefs: static assets, `syntax.css`, `.nojekyll`, `CNAME`.
    pub extras: Vec<OutputFile>,
    pub knowledge: knowledge::KnowledgeBase,
    pub highlighter: Highlighter,
    pub link_map: LinkMap,
    pub annotate_options: AnnotateOptions,
    pub corpus: content::Corpus,
}

impl Inputs {
    /// How Markdown is rendered in this build.
    fn render_options(&self) -> RenderOptions<'_> {
        RenderOptions {
            markdown: self.annotate_options.markdown,
            unsafe_html: self.loaded.config.unsafe_html,
            highlighter: &self.highlighter,
            links: &self.link_map,
        }
    }
}

/// Config, theme, content and knowledge loaded, templates compiled.
fn load_inputs(options: &BuildOptions) -> Result<(Inputs, Clock), Error> {
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
    let (corpus, knowledge) = Error::both(corpus, knowledge)?;
    clock.lap("load");
    let mut extras: Vec<OutputFile> = theme
        .static_files
        .iter()
        .map(|(path, bytes)| OutputFile::new(format!("static/{path}"), bytes.clone()))
        .collect();
    extras.push(OutputFile::new("static/syntax.css", highlight_css));
    extras.push(OutputFile::new(".nojekyll", ""));
    if !config.cname.trim().is_empty() {
        extras.push(OutputFile::new(
            "CNAME",
            format!("{}\n", config.cname.trim()),
        ));
    }
    let renderer = templates::compile(theme)?;
    clock.lap("templates");

    let markdown_options = annotate::markdown_options(config.markdown.smart_punctuation);
    let annotate_options = AnnotateOptions {
        max_per_brief: config.footnotes.max_per_brief,
        markdown: markdown_options,
    };
    let link_map = link_map(config, &corpus);
    let inputs = Inputs {
        loaded,
        renderer,
        extras,
        knowledge,
        highlighter: Highlighter::new(),
        link_map,
        annotate_options,
        corpus,
    };
    Ok((inputs, clock))
}

/// Every fact's note rendered, in knowledge-file order.
fn render_notes(
    knowledge: &knowledge::KnowledgeBase,
    render_options: RenderOptions,
) -> Vec<PreparedText> {
    knowledge
        .facts
        .par_iter()
        .map(|fact| PreparedText::new(&markdown::render_markdown(&fact.note, render_options)))
        .collect()
}

/// Every stage before the site is assembled: config, theme, content, knowledge, annotation,
/// Markdown and the facts' notes.
fn prepare(options: &BuildOptions) -> Result<(Parts, Clock), Error> {
    let (inputs, mut clock) = load_inputs(options)?;
    let render_options = inputs.render_options();
    let html = render_briefs(
        inputs.corpus.briefs.par_iter(),
        &inputs.knowledge,
        inputs.annotate_options,
        render_options,
    )?;
    clock.lap("annotate+markdown");
    let notes_html = render_notes(&inputs.knowledge, render_options);
    clock.lap("notes");

    let Inputs {
        loaded,
        renderer,
        extras,
        knowledge,
        highlighter,
        link_map,
        annotate_options,
        corpus,
    } = inputs;
    let parts = Parts {
        loaded,
        renderer,
        extras,
        knowledge,
        notes_html,
        highlighter,
        link_map,
        annotate_options,
        corpus,
        html,
        output: None,
        stats: Stats::default(),
    };
    Ok((parts, clock))
}

/// Annotates and renders `briefs` (in parallel, results in order), checking their links.
fn render_briefs<'a>(
    briefs: impl IndexedParallelIterator<Item = &'a content::Brief>,
    knowledge: &knowledge::KnowledgeBase,
    annotate_options: AnnotateOptions,
    render_options: RenderOptions,
) -> Result<Vec<BriefHtml>, Error> {
    collect_rendered(
        briefs
            .map(|brief| render_brief(brief, knowledge, annotate_options, render_options))
            .collect(),
    )
}

/// Annotates and renders one brief, checking its links.
fn render_brief(
    brief: &content::Brief,
    knowledge: &knowledge::KnowledgeBase,
    annotate_options: AnnotateOptions,
    render_options: RenderOptions,
) -> Result<BriefHtml, Error> {
    let broken = links::check(brief, render_options.links, annotate_options.markdown);
    let events = markdown::parse(brief.body(), annotate_options.markdown);
    let annotated = match annotate::annotate_parsed(brief, &events, knowledge, annotate_options) {
        Ok(_) if !broken.is_empty() => Err(Error::Many(broken)),
        Err(error) if !broken.is_empty() => {
            Err(Error::Many(broken.into_iter().chain([error]).collect()))
        }
        result => result,
    }?;
    let rendered = markdown::render_parsed(&annotated, &events, render_options);
    Ok(BriefHtml {
        body_html: rendered.body_html,
        footnotes: rendered.footnotes,
        word_count: rendered.word_count,
    })
}

/// The rendered briefs in order, or every brief's errors.
fn collect_rendered(results: Vec<Result<BriefHtml, Error>>) -> Result<Vec<BriefHtml>, Error> {
    let mut errors = Vec::new();
    let html = results
        .into_iter()
        .filter_map(|result| result.map_err(|error| errors.push(error)).ok())
        .collect();
    Error::collect(errors)?;
    Ok(html)
}

/// Assembles and renders the site from `parts`, reusing the pages of `parts.output` (the
/// previous build) whose context is unchanged, and gathers the output files. On an error
/// `parts` comes back as it was.
fn finish(mut parts: Parts, mut clock: Clock) -> Result<Built, Failed> {
    let (mut site, counts) = assemble(&parts);
    clock.lap("site");
    let previous = parts
        .output
        .as_ref()
        .map(|(site, rendered)| (site, rendered));
    let rendered = match parts.renderer.for_site(&site).render(&site, previous) {
        Ok(rendered) => rendered,
        Err(error) => return Err(Box::new((error, parts))),
    };
    clock.lap("render");

    let generated = generated_files(&mut site, &rendered.feeds, &parts.extras);
    let mut files: Vec<OutputFile> = site
        .pages
        .iter()
        .zip(&rendered.pages)
        .map(|(page, html)| OutputFile::shared(page.path.clone(), html))
        .chain(generated)
        .collect();
    // A site's static/ may not replace generated files; later entries win, earlier are dropped.
    dedupe_keep_last(&mut files);

    let stats = Stats {
        files: files.len(),
        rendered: rendered.fresh,
        timings: clock.laps,
        ..counts
    };
    parts.output = Some((site, rendered));
    parts.stats = stats.clone();
    Ok(Built {
        files,
        complete: true,
        stats,
        parts,
    })
}

/// The site of `parts`, assembled, and its figures but `files`, `rendered` and `timings`.
fn assemble(parts: &Parts) -> (site::Site, Stats) {
    let briefs: Vec<markdown::RenderedBrief> = parts
        .corpus
        .briefs
        .iter()
        .zip(&parts.html)
        .map(|(brief, html)| html.rendered(brief))
        .collect();
    let site = site::assemble(
        &parts.loaded.config,
        &parts.knowledge,
        &parts.notes_html,
        &briefs,
    );
    let mut cited = vec![false; parts.knowledge.facts.len()];
    let mut notes_attached = 0;
    for fact in briefs.iter().flat_map(|brief| brief.facts()) {
        cited[fact] = true;
        notes_attached += 1;
    }
    let stats = Stats {
        briefs: parts.corpus.briefs.len(),
        facts: parts.knowledge.facts.len(),
        notes_attached,
        facts_cited: cited.iter().filter(|cited| **cited).count(),
        pages: site.pages.len(),
        ..Stats::default()
    };
    (site, stats)
}

/// Where `@/briefs/x.md` links point in this build.
pub(crate) fn link_map(config: &config::SiteConfig, corpus: &content::Corpus) -> LinkMap {
    let urls = site::Urls::new(&config.base_url);
    // In parallel: a 100,000-brief site's map is 200,000 strings, made while nothing else runs.
    let briefs = corpus
        .briefs
        .par_iter()
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

/// The files that are not pages: feeds (`feeds[i]` is `site.feeds[i]` rendered), the files
/// made without templates (moved out of `site`: no later build compares them) and the static
/// files. They follow the pages, so that [`dedupe_keep_last`] lets them win.
fn generated_files(
    site: &mut site::Site,
    feeds: &[Arc<str>],
    extras: &[OutputFile],
) -> Vec<OutputFile> {
    site.feeds
        .iter()
        .zip(feeds)
        .map(|(feed, text)| OutputFile::shared(feed.path.clone(), text))
        .chain(
            std::mem::take(&mut site.files)
                .into_iter()
                .map(|(path, text)| OutputFile::new(path, text)),
        )
        .chain(extras.iter().cloned())
        .collect()
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

/// What a finished render loaded, for checks that run after it (`briefing check`'s knowledge
/// lint), so that they need not load and parse the site a second time.
pub(crate) fn loaded_inputs(
    built: &Built,
) -> (
    &LoadedConfig,
    &content::Corpus,
    &knowledge::KnowledgeBase,
    &LinkMap,
    AnnotateOptions,
) {
    let parts = &built.parts;
    (
        &parts.loaded,
        &parts.corpus,
        &parts.knowledge,
        &parts.link_map,
        parts.annotate_options,
    )
}

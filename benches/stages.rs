//! Per-stage timings of the build, with divan: loading, annotation, Markdown with
//! highlighting, and the whole render (every stage but writing). Run by hand:
//!
//! ```text
//! cargo bench --bench stages                                    # the example site
//! BRIEFING_BENCH_SITE=/tmp/corpus-10k/neutral cargo bench --bench stages
//! ```
//!
//! Whole-site comparisons with Hugo and Zola are `benches/compare.sh`.

use std::path::PathBuf;

use briefing::annotate::{self, AnnotateOptions};
use briefing::content::{self, Corpus};
use briefing::highlight::Highlighter;
use briefing::knowledge::{self, KnowledgeBase};
use briefing::links::LinkMap;
use briefing::markdown::{self, RenderOptions};
use briefing::pipeline::{self, BuildOptions};

fn main() {
    divan::main();
}

/// The site to measure: `BRIEFING_BENCH_SITE`, or this repository's example site.
fn site() -> PathBuf {
    std::env::var_os("BRIEFING_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn inputs() -> (Corpus, KnowledgeBase) {
    let root = site();
    let corpus = content::load(&root, false).expect("the briefs load");
    let knowledge = knowledge::load(&root, "content/knowledge.yaml".as_ref(), true)
        .expect("the knowledge file loads");
    (corpus, knowledge)
}

fn annotate_options() -> AnnotateOptions {
    AnnotateOptions {
        max_per_brief: 12,
        markdown: annotate::markdown_options(false),
    }
}

#[divan::bench(sample_count = 10)]
fn load_briefs_and_knowledge() -> (Corpus, KnowledgeBase) {
    inputs()
}

#[divan::bench(sample_count = 10)]
fn annotate_every_brief(bencher: divan::Bencher) {
    let (corpus, knowledge) = inputs();
    let options = annotate_options();
    bencher.bench_local(|| {
        corpus
            .briefs
            .iter()
            .filter_map(|brief| annotate::annotate(brief, &knowledge, options).ok())
            .map(|annotated| annotated.footnotes.len())
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 10)]
fn annotate_and_render_markdown(bencher: divan::Bencher) {
    let (corpus, knowledge) = inputs();
    let options = annotate_options();
    let highlighter = Highlighter::new();
    let links = LinkMap::new("/", Vec::new(), Vec::new());
    let render = RenderOptions {
        markdown: options.markdown,
        unsafe_html: false,
        highlighter: &highlighter,
        links: &links,
    };
    bencher.bench_local(|| {
        corpus
            .briefs
            .iter()
            .filter_map(|brief| annotate::annotate(brief, &knowledge, options).ok())
            .map(|annotated| {
                markdown::render_brief(&annotated, render)
                    .body_html
                    .as_str()
                    .len()
            })
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 5)]
fn render_whole_site() -> usize {
    let root = site();
    let options = BuildOptions {
        output: root.join("public"),
        root,
        base_url: None,
        drafts: false,
    };
    pipeline::render(&options)
        .expect("the site renders")
        .files
        .len()
}

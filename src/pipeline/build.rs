//! `briefing build`: every stage, with each page written as soon as it is rendered.
//!
//! `serve` keeps every page's text for its next rebuild; a build keeps none, and holds no
//! brief's HTML longer than it takes to write its page. The briefs' order, cards and feeds
//! follow from their front matter ([`site::frame`]), and a brief's page needs only those, the
//! knowledge base and the brief, so the briefs are annotated, rendered to Markdown, put in
//! their pages, written and dropped a run at a time, in parallel; what the rest of the site
//! needs of a brief (the facts it cites, its feed entry's text) is all that is kept. Then the lists that
//! depend on every brief's citations (fact pages, their index, the search index) are
//! assembled, rendered and written, with the feeds and the files made without templates.
//! On a 10,000-brief site, holding every brief's HTML and page until the end took the peak
//! memory from 151 MB to 215 MB (and from 1.3 GB to 2.0 GB at 100,000 briefs).

use std::collections::BTreeSet;
use std::time::Instant;

use rayon::prelude::*;

use super::{
    BuildOptions, Inputs, Stats, dedupe_keep_last, load_inputs, render_brief, render_notes,
};
use crate::content::Brief;
use crate::error::Error;
use crate::output::{self, Rendering};
use crate::site;
use crate::templates;

/// Briefs taken through the brief stage together: all rendered to HTML, then all put in their
/// pages and written. One brief at a time through both steps did the same work with 6% fewer
/// instructions, yet took 10% longer on the 10,000-brief benchmark: each step's code and
/// tables (the matcher, syntect, the templates) left the caches to the other's at every
/// brief. Runs of 1,024 keep each step's working set warm and the HTML held to a few MB.
const BRIEFS_AT_ONCE: usize = 1024;

/// What the rest of the build keeps of a brief once its page is written.
struct Written {
    /// The facts it cites, in footnote order.
    cited: Vec<usize>,
    /// Its feed entry's content, when a feed lists it.
    entry: Option<String>,
    /// Its page failed to render or to be written. The rest of the site is still rendered, so
    /// that one run reports every template error, as it would for any other page.
    failed: Option<Error>,
}

/// Renders and writes the site; the output folder changes only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Stats, Error> {
    let (mut inputs, mut clock) = load_inputs(options)?;
    // Taken out, to be read in place: each brief's body is freed as soon as it is rendered.
    let mut briefs = std::mem::take(&mut inputs.corpus.briefs);
    let render_options = inputs.render_options();
    let Inputs {
        loaded,
        renderer,
        extras,
        knowledge,
        annotate_options,
        ..
    } = &inputs;
    let config = &loaded.config;
    let notes_html = render_notes(knowledge, render_options);
    let frame = site::frame(config, &briefs.iter().collect::<Vec<&Brief>>());
    clock.lap("notes+frame");

    let mut staging = output::Staging::begin(&options.output)?;
    // A file of the site's static/ wins over a page at its path. The files made from the whole
    // site (`sitemap.xml` and the like) are not under `briefs/`, where every brief page is.
    let static_paths: BTreeSet<&str> = extras.iter().map(|file| file.path.as_str()).collect();
    let brief_paths: Vec<Option<String>> = frame
        .newest_first
        .par_iter()
        .map(|&index| {
            let path = site::brief_path(&briefs[index].slug);
            (!static_paths.contains(path.as_str())).then_some(path)
        })
        .collect();
    staging.add(brief_paths.iter().flatten().map(String::as_str))?;
    let shared = templates::shared_context(&frame.view);
    let site_renderer = renderer.for_cards(&frame.cards);
    let facts = site::fact_shared(knowledge);

    // In corpus order, each brief finding its position in the frame; in runs, each annotated
    // and rendered to HTML, then put in its page, rendered and written (see
    // `BRIEFS_AT_ONCE`).
    let mut results: Vec<Result<Written, Error>> = Vec::with_capacity(briefs.len());
    for (at, run) in briefs.chunks_mut(BRIEFS_AT_ONCE).enumerate() {
        let html: Vec<Result<super::BriefHtml, Error>> = run
            .par_iter()
            .map(|brief| render_brief(brief, knowledge, *annotate_options, render_options))
            .collect();
        let done: Vec<Result<Written, Error>> = run
            .par_iter_mut()
            .zip(html)
            .with_max_len(8)
            .enumerate()
            .map(|(offset, (brief, html))| {
                let index = at * BRIEFS_AT_ONCE + offset;
                let position = frame.position[index];
                let html = html?;
                let page = site::brief_page(
                    config,
                    &frame.urls,
                    &facts,
                    &notes_html,
                    &html.rendered(brief),
                    &frame.cards[position],
                    frame.neighbours(position),
                );
                // A freed body is reused by the pages rendered after it.
                brief.forget_body();
                let write = brief_paths[position].is_some();
                let in_feed = frame.in_feed[position];
                let rendered = site_renderer.render_page_and_entry(&shared, &page, write, in_feed);
                let (failed, entry) = match rendered {
                    Ok((Some(bytes), entry)) => (staging.write(&page.path, &bytes).err(), entry),
                    Ok((None, entry)) => (None, entry),
                    Err(error) => (Some(error), None),
                };
                Ok(Written {
                    cited: html.facts().collect(),
                    entry,
                    failed,
                })
            })
            .collect();
        results.extend(done);
    }
    let mut errors = Vec::new();
    let mut cited = vec![Vec::new(); briefs.len()];
    let mut entries: Vec<Option<String>> = vec![None; briefs.len()];
    let mut page_errors = Vec::new();
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok(written) => {
                let position = frame.position[index];
                cited[position] = written.cited;
                entries[position] = written.entry;
                page_errors.extend(written.failed);
            }
            Err(error) => errors.push(error),
        }
    }
    // As when every brief is rendered before any page: a brief's own errors are what the
    // author sees first, and the pages' wait until the briefs are right.
    Error::collect(errors)?;
    clock.lap("briefs");

    let mut pages = Vec::new();
    let listing = site::list_pages(config, knowledge, &notes_html, &frame, &cited, &mut pages);
    // A file of the site's static/ wins over a generated one at its path (and, among them,
    // the later over the earlier). The generated files are written from where they were
    // made: the sitemap and search index of a 100,000-brief site are 30 MB, and copying
    // them into shared files kept the other thread waiting.
    let mut statics = extras.clone();
    dedupe_keep_last(&mut statics);
    let files: Vec<(&str, &[u8])> = listing
        .files
        .iter()
        .filter(|(path, _)| !static_paths.contains(path.as_str()))
        .map(|(path, text)| (path.as_str(), text.as_bytes()))
        .chain(
            statics
                .iter()
                .map(|file| (file.path.as_str(), &*file.contents)),
        )
        .collect();
    let taken: BTreeSet<&str> = files.iter().map(|(path, _)| *path).collect();
    let list_pages: Vec<usize> = (0..pages.len())
        .into_par_iter()
        .filter(|&index| !taken.contains(pages[index].path.as_str()))
        .collect();
    let feeds: Vec<usize> = (0..frame.feeds.len())
        .filter(|&index| !taken.contains(frame.feeds[index].path.as_str()))
        .collect();
    clock.lap("site");

    let render = |at: usize| -> Result<Vec<u8>, Error> {
        match list_pages.get(at) {
            Some(&page) => site_renderer.render_page_alone(&shared, &pages[page]),
            None => {
                let feed = &frame.feeds[feeds[at - list_pages.len()]];
                let entry = |position: usize| entries[position].as_deref();
                let text = site_renderer.render_feed(&shared, feed, entry)?;
                Ok(text.into_bytes())
            }
        }
    };
    let rendering = Rendering {
        paths: list_pages
            .iter()
            .map(|&index| pages[index].path.as_str())
            .chain(feeds.iter().map(|&index| frame.feeds[index].path.as_str()))
            .collect(),
        order: {
            // List pages by the newest brief each shows (see `site::newest_listed`), and
            // feeds by their newest entry's.
            let newest_listed = site::newest_listed(
                config.paginate,
                (0, pages.len()),
                frame.cards.len(),
                (&listing.citing, &listing.fact_pages),
                (&frame.by_tag, &listing.tag_pages),
            );
            let newest = |at: usize| match list_pages.get(at) {
                Some(&page) => newest_listed[page],
                None => frame.feeds[feeds[at - list_pages.len()]]
                    .entry_pages
                    .first()
                    .copied(),
            };
            let mut order: Vec<usize> = (0..list_pages.len() + feeds.len()).collect();
            order.sort_by_cached_key(|&at| newest(at));
            order
        },
        render: &render,
    };
    let start = Instant::now();
    staging.add(files.iter().map(|(path, _)| *path))?;
    staging.add(rendering.paths.iter().copied())?;
    staging.write_files(&files)?;
    page_errors.extend(staging.write_rendered(rendering));
    Error::collect_distinct(page_errors)?;
    staging.finish()?;

    let written_briefs = brief_paths.iter().flatten().count();
    let mut stats = Stats {
        briefs: briefs.len(),
        facts: knowledge.facts.len(),
        notes_attached: cited.iter().map(Vec::len).sum(),
        facts_cited: listing.citing.iter().filter(|c| !c.is_empty()).count(),
        pages: briefs.len() + pages.len(),
        files: files.len() + written_briefs + list_pages.len() + feeds.len(),
        rendered: written_briefs + list_pages.len() + frame.feeds.len(),
        timings: std::mem::take(&mut clock.laps),
    };
    stats.timings.push(("render+write", start.elapsed()));
    // Freeing a 10,000-brief site's cards, lists and front matter is hundreds of thousands
    // of frees, done on one thread while the build is otherwise over; a `briefing build`
    // process exits without waiting for them.
    drop(site_renderer);
    let lists = (listing, cited, brief_paths, statics);
    let teardown = (inputs, briefs, frame, pages, entries, notes_html, lists);
    std::thread::spawn(move || drop(teardown));
    Ok(stats)
}

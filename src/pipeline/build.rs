//! `briefing build`: every stage, with pages rendered while they are written.
//!
//! `serve` keeps every page's text for its next rebuild; a build keeps none. Its feeds and the
//! files made without templates are rendered first (a feed needs its entries' text), then each
//! page is rendered, written and dropped by the output stage, in parallel, so the build never
//! holds the text of the whole site: on a 10,000-brief site that is most of its memory.

use std::collections::BTreeSet;
use std::time::Instant;

use super::{Bodies, BuildOptions, Stats, assemble, dedupe_keep_last, generated_files, prepare};
use crate::error::Error;
use crate::output::{self, Rendering};
use crate::templates;

/// Renders and writes the site; the output folder changes only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Stats, Error> {
    let (parts, mut clock) = prepare(options, Bodies::Forget)?;
    let (mut site, counts) = assemble(&parts);
    clock.lap("site");
    // Feeds are rendered like pages, while they are written, not held beforehand: 14 MB of
    // feed text at 10,000 briefs. Each renders its own entries.
    let mut files = generated_files(&mut site, &[], &parts.extras);
    // As in `render`: a file of the site's static/ wins over a generated one, a page or a
    // feed included.
    dedupe_keep_last(&mut files);
    let taken: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let pages: Vec<usize> = (0..site.pages.len())
        .filter(|&index| !taken.contains(site.pages[index].path.as_str()))
        .collect();
    let feeds: Vec<usize> = (0..site.feeds.len())
        .filter(|&index| !taken.contains(site.feeds[index].path.as_str()))
        .collect();
    clock.lap("files");

    let shared = templates::shared_context(&site);
    let renderer = parts.renderer.for_site(&site);
    let render = |at: usize| -> Result<Vec<u8>, Error> {
        match pages.get(at) {
            Some(&page) => renderer.render_page_alone(&shared, &site.pages[page]),
            None => renderer
                .render_feed_alone(&shared, &site, feeds[at - pages.len()])
                .map(String::into_bytes),
        }
    };
    let rendering = Rendering {
        paths: pages
            .iter()
            .map(|&index| site.pages[index].path.clone())
            .chain(feeds.iter().map(|&index| site.feeds[index].path.clone()))
            .collect(),
        render: &render,
    };
    let start = Instant::now();
    let written = files.len() + pages.len() + feeds.len();
    let mut staging = output::Staging::begin(&options.output)?;
    staging.add(files.iter().map(|file| file.path.as_str()))?;
    staging.add(rendering.paths.iter().map(String::as_str))?;
    staging.write_files(&files)?;
    staging.write_rendered(rendering)?;
    staging.finish()?;
    let mut stats = Stats {
        files: written,
        rendered: pages.len() + site.feeds.len(),
        timings: std::mem::take(&mut clock.laps),
        ..counts
    };
    stats.timings.push(("render+write", start.elapsed()));
    // Freeing a 10,000-brief site's views and bodies is hundreds of thousands of frees, done
    // on one thread while the build is otherwise over; a `briefing build` process exits
    // without waiting for them.
    drop(renderer);
    let teardown = (parts, site, shared);
    std::thread::spawn(move || drop(teardown));
    Ok(stats)
}

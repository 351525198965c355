//! Rebuilding after edits to a few briefs, on top of the last build: what `serve` runs on
//! every save. Only the edited briefs are annotated and rendered again; then the site is
//! patched ([`site::patch`]) and only the pages showing them are rendered, or, when an edit
//! moves a brief in some list, the site is assembled again and every page whose context is
//! unchanged is reused. Either way the files are the ones a full build gives.

use rayon::prelude::*;

use super::{BriefHtml, Built, Clock, Failed, Parts, Stats, finish, render_briefs};
use crate::content;
use crate::error::Error;
use crate::markdown::RenderOptions;
use crate::output::OutputFile;
use crate::publish;
use crate::site;
use crate::templates;
use crate::views::PageData;

/// Re-renders only the briefs at `changed` (indices into the corpus), given their new
/// contents, on top of the last build; everything else is reused. The caller guarantees that
/// nothing but these briefs changed and that none changed its slug or draft state, so the
/// link map and the notes stay valid. On an error the last build is returned untouched.
pub(crate) fn rebuild_briefs(
    mut parts: Parts,
    changed: Vec<(usize, content::Brief)>,
) -> Result<Built, Failed> {
    let mut clock = Clock::new();
    let render_options = RenderOptions {
        markdown: parts.annotate_options.markdown,
        unsafe_html: parts.loaded.config.unsafe_html,
        highlighter: &parts.highlighter,
        links: &parts.link_map,
    };
    let html = render_briefs(
        changed.par_iter().map(|(_, brief)| brief),
        &parts.knowledge,
        parts.annotate_options,
        render_options,
    );
    let html = match html {
        Ok(html) => html,
        Err(error) => return Err(Box::new((error, parts))),
    };
    clock.lap("annotate+markdown");
    let mut earlier = Vec::with_capacity(changed.len());
    for ((index, brief), html) in changed.into_iter().zip(html) {
        let brief = std::mem::replace(&mut parts.corpus.briefs[index], brief);
        let html = std::mem::replace(&mut parts.html[index], html);
        earlier.push((index, brief, html));
    }
    let result = match patch(&mut parts, &earlier, &mut clock) {
        Some(Ok((files, stats))) => Ok(Built {
            files,
            complete: false,
            stats,
            parts,
        }),
        Some(Err(error)) => Err(Box::new((error, parts))),
        None => finish(parts, clock),
    };
    result.map_err(|failed| {
        let (error, mut parts) = *failed;
        for (index, brief, html) in earlier {
            parts.corpus.briefs[index] = brief;
            parts.html[index] = html;
        }
        Box::new((error, parts))
    })
}

/// Patches the last build for the briefs at `earlier` (their index and former brief and
/// HTML), or `None` when the edits need the whole site assembled. Gives the files that
/// changed and the new figures.
fn patch(
    parts: &mut Parts,
    earlier: &[(usize, content::Brief, BriefHtml)],
    clock: &mut Clock,
) -> Option<Result<(Vec<OutputFile>, Stats), Error>> {
    let (site, rendered) = parts.output.as_ref()?;
    let edits: Vec<site::Edit> = earlier
        .iter()
        .map(|(index, _, before)| site::Edit {
            index: *index,
            rendered: parts.html[*index].rendered(&parts.corpus.briefs[*index]),
            facts_before: before.facts().collect(),
        })
        .collect();
    let config = &parts.loaded.config;
    let patch = site::patch(config, &parts.knowledge, &parts.notes_html, site, &edits)?;
    let mut stats = parts.stats.clone();
    for edit in &edits {
        stats.notes_attached =
            stats.notes_attached + edit.rendered.facts().count() - edit.facts_before.len();
    }
    drop(edits);
    clock.lap("site");
    let out = match parts
        .renderer
        .for_site(site)
        .render_patch(site, rendered, &patch)
    {
        Ok(out) => out,
        Err(error) => return Some(Err(error)),
    };
    clock.lap("render");
    let output = parts.output.as_mut()?;
    let base_url = &parts.loaded.config.base_url;
    let files = apply(output, &parts.extras, base_url, patch, out, &mut stats);
    clock.lap("files");
    stats.timings = std::mem::take(&mut clock.laps);
    parts.stats = stats.clone();
    Some(Ok((files, stats)))
}

/// Puts a rendered patch in place in the kept site and its text, and gives the files whose
/// text changed.
fn apply(
    (site, rendered): &mut (site::Site, templates::RenderedSite),
    extras: &[OutputFile],
    base_url: &str,
    mut patch: site::Patch,
    out: templates::RenderedPatch,
    stats: &mut Stats,
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    stats.rendered = out.pages.len() + out.feeds.len();
    for (index, html, entry) in out.pages {
        let Some(page) = patch.pages.remove(&index) else {
            continue;
        };
        if rendered.pages[index] != html {
            files.push(OutputFile::shared(page.path.clone(), &html));
        }
        site.pages[index] = page;
        rendered.pages[index] = html;
        rendered.entries[index] = entry;
    }
    for (index, text) in out.feeds {
        if let Some(feed) = patch.feeds.remove(&index) {
            site.feeds[index] = feed;
        }
        if rendered.feeds[index] != text {
            files.push(OutputFile::shared(site.feeds[index].path.clone(), &text));
        }
        rendered.feeds[index] = text;
    }
    let layout = &mut site.layout;
    for (fact, citing) in patch.citing {
        let was_cited = !layout.citing[fact].is_empty();
        stats.facts_cited =
            stats.facts_cited + usize::from(!citing.is_empty()) - usize::from(was_cited);
        layout.citing[fact] = citing;
    }
    let search_changed = !patch.cards.is_empty();
    for (position, (card, entry)) in patch.cards {
        layout.cards[position] = card;
        layout.search_entries[position] = entry;
    }
    if patch.sitemap_changed {
        files.push(OutputFile::new(
            "sitemap.xml",
            publish::sitemap(&layout.cards, &site.pages[layout.first_index_page..]),
        ));
    }
    if search_changed && let PageData::Facts { facts } = &site.pages[layout.facts_index].data {
        let urls = site::Urls::new(base_url);
        let index = publish::search_index(&urls, &layout.search_entries, facts);
        files.push(OutputFile::new("search-index.json", index));
    }
    // As in a full build, a file of the site's static/ wins over a generated one.
    files.retain(|file| !extras.iter().any(|extra| extra.path == file.path));
    files
}

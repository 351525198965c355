//! Patching an assembled site after edits to a few briefs, instead of assembling it again.
//!
//! An edit that keeps a brief's slug, date, `updated` date and tags keeps its place in every
//! list, so the pages it touches are known from the [`super::Layout`]: its own page; when its
//! card (title, author, summary) changed, its two neighbours, the index and tag pages that list
//! it, the feeds that carry it and its search entry; and the pages of the facts it cites or
//! stopped citing, with the facts index when a fact's count of citing briefs changed. [`patch`] builds those pages'
//! new contexts and nothing else; any other edit returns `None` and the caller assembles the
//! whole site. The result equals what [`super::assemble`] gives for the same briefs, which the
//! incremental-build tests check file by file.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::feeds::{self, Feed};
use crate::knowledge::KnowledgeBase;
use crate::markdown::RenderedBrief;
use crate::publish;
use crate::views::{BriefCard, PageData, Prepared, PreparedText};

use super::{
    Neighbours, Page, Site, TagLinks, Urls, brief_page, card, fact_pages_of, fact_shared,
    page_count,
};

/// One edited brief: its corpus index, its new rendering, and the facts it cited before.
pub struct Edit<'a> {
    pub index: usize,
    pub rendered: RenderedBrief<'a>,
    pub facts_before: Vec<usize>,
}

/// The pages and feeds an edit changed, to render and then put in place of the old ones,
/// and the new values of the layout.
#[derive(Debug, Default)]
pub struct Patch {
    /// New versions of pages, by index in `Site::pages`.
    pub pages: BTreeMap<usize, Page>,
    /// New versions of feeds, by index in `Site::feeds`.
    pub feeds: BTreeMap<usize, Feed>,
    /// New cards and search-index entries, by position.
    pub cards: BTreeMap<usize, (Prepared<BriefCard>, String)>,
    /// New lists of the positions of citing briefs, by fact.
    pub citing: BTreeMap<usize, Vec<usize>>,
    /// A page's `updated` date changed, so the sitemap's `lastmod` does.
    pub sitemap_changed: bool,
}

/// Where the patch is made: the site and what it was made from.
struct Target<'s> {
    config: &'s SiteConfig,
    urls: Urls,
    knowledge: &'s KnowledgeBase,
    notes_html: &'s [PreparedText],
    site: &'s Site,
}

/// The patch that turns `site` into the site of the edited briefs, or `None` when an edit
/// moves a brief in some list (new date, slug or tags), changes a listing's dates, or
/// changes how many pages a fact's list takes, which only a full assembly handles.
pub fn patch(
    config: &SiteConfig,
    knowledge: &KnowledgeBase,
    notes_html: &[PreparedText],
    site: &Site,
    edits: &[Edit],
) -> Option<Patch> {
    let at = Target {
        config,
        urls: Urls::new(&config.base_url),
        knowledge,
        notes_html,
        site,
    };
    let layout = &site.layout;
    let mut patch = Patch::default();
    for edit in edits {
        let position = *layout.position.get(edit.index)?;
        let before = &layout.cards[position];
        // A patched card makes its own tag links: the site's are equal to them, not shared.
        let after = card(&at.urls, edit.rendered.brief, &TagLinks::default());
        let keeps_place = after.slug == before.slug
            && after.date == before.date
            && after.updated == before.updated
            && after.tags == before.tags;
        if !keeps_place {
            return None;
        }
        if after != **before {
            let entry = publish::search_entry(&at.urls, &after);
            patch.cards.insert(position, (Prepared::new(after), entry));
        }
    }
    let shared = fact_shared(knowledge);
    for edit in edits {
        let position = layout.position[edit.index];
        let neighbours = Neighbours {
            previous: (position + 1 < layout.cards.len())
                .then(|| card_at(&at, &patch, position + 1)),
            next: position
                .checked_sub(1)
                .map(|next| card_at(&at, &patch, next)),
        };
        let page = brief_page(
            config,
            &at.urls,
            &shared,
            notes_html,
            &edit.rendered,
            &card_at(&at, &patch, position),
            neighbours,
        );
        patch.pages.insert(position, page);
    }
    for edit in edits {
        let position = layout.position[edit.index];
        if patch.cards.contains_key(&position) {
            relist(&at, &mut patch, edit, position)?;
        }
        recite(&at, &mut patch, edit, position)?;
    }
    Some(patch)
}

/// The card at `position`, as patched.
fn card_at(at: &Target, patch: &Patch, position: usize) -> Prepared<BriefCard> {
    patch.cards.get(&position).map_or_else(
        || at.site.layout.cards[position].clone(),
        |(card, _)| card.clone(),
    )
}

/// Puts the changed card at `position` into every page and feed that lists it.
fn relist(at: &Target, patch: &mut Patch, edit: &Edit, position: usize) -> Option<()> {
    let layout = &at.site.layout;
    let card = card_at(at, patch, position);
    let per_page = at.config.paginate;
    if position + 1 < layout.cards.len()
        && let PageData::Brief { brief } = &mut page_mut(at, patch, position + 1).data
    {
        brief.next = Some(card.clone());
    }
    if position > 0
        && let PageData::Brief { brief } = &mut page_mut(at, patch, position - 1).data
    {
        brief.previous = Some(card.clone());
    }
    let index_page = layout.first_index_page + position / per_page;
    if let PageData::Index { briefs, .. } = &mut page_mut(at, patch, index_page).data {
        briefs[position % per_page] = card.clone();
    }
    for tag in &card.tags {
        let first = *layout.tag_pages.get(&tag.slug)?;
        let at_in_list = layout
            .tagged
            .get(&tag.slug)?
            .binary_search(&position)
            .ok()?;
        let page = page_mut(at, patch, first + at_in_list / per_page);
        if let PageData::Tag { briefs, .. } = &mut page.data {
            briefs[at_in_list % per_page] = card.clone();
        }
    }
    for (feed_index, feed) in at.site.feeds.iter().enumerate() {
        let Some(entry_at) = feed.entry_pages.iter().position(|&page| page == position) else {
            continue;
        };
        let entry = feeds::entry(&edit.rendered.brief.meta, &card);
        patch
            .feeds
            .entry(feed_index)
            .or_insert_with(|| feed.clone())
            .view
            .entries[entry_at] = entry;
    }
    Some(())
}

/// Updates the pages of the facts the edited brief at `position` cites or cited: their lists
/// of citing briefs and `updated` dates, and the facts index's counts.
fn recite(at: &Target, patch: &mut Patch, edit: &Edit, position: usize) -> Option<()> {
    let layout = &at.site.layout;
    let now: Vec<usize> = edit.rendered.facts().collect();
    let card_changed = patch.cards.contains_key(&position);
    let mut touched: Vec<usize> = now.iter().chain(&edit.facts_before).copied().collect();
    touched.sort_unstable();
    touched.dedup();
    for fact in touched {
        let cites = now.contains(&fact);
        let cited = edit.facts_before.contains(&fact);
        if cites == cited && !card_changed {
            continue;
        }
        let per_page = at.config.paginate;
        if cites == cited {
            // Only the card changed: it keeps its place on its page.
            let citing = patch.citing.get(&fact).unwrap_or(&layout.citing[fact]);
            let in_list = citing.binary_search(&position).ok()?;
            let card = card_at(at, patch, position);
            let page = page_mut(at, patch, layout.fact_pages[fact] + in_list / per_page);
            if let PageData::Fact { fact, .. } = &mut page.data {
                fact.cited_by[in_list % per_page] = card;
            }
            continue;
        }
        let before = patch.citing.get(&fact).unwrap_or(&layout.citing[fact]);
        let mut citing = before.clone();
        match (citing.binary_search(&position), cites) {
            (Ok(_), true) | (Err(_), false) => {}
            (Ok(at_in_list), false) => {
                citing.remove(at_in_list);
            }
            (Err(at_in_list), true) => citing.insert(at_in_list, position),
        }
        if page_count(citing.len(), per_page) != page_count(before.len(), per_page) {
            return None;
        }
        let pages = fact_pages_of(
            at.config,
            &at.urls,
            at.knowledge,
            at.notes_html,
            fact,
            &citing,
            |position| card_at(at, patch, position),
        );
        let first = layout.fact_pages[fact];
        for (offset, page) in pages.into_iter().enumerate() {
            let index = first + offset;
            let current = patch.pages.get(&index).unwrap_or(&at.site.pages[index]);
            if *current != page {
                patch.sitemap_changed |= current.meta.updated != page.meta.updated;
                patch.pages.insert(index, page);
            }
        }
        let id = &at.knowledge.facts[fact].id;
        if let PageData::Facts { facts } = &mut page_mut(at, patch, layout.facts_index).data
            && let Some(listed) = facts.iter_mut().find(|listed| listed.id == *id)
        {
            listed.citations = citing.len();
        }
        patch.citing.insert(fact, citing);
    }
    Some(())
}

/// The patched version of page `index`, starting from the site's.
fn page_mut<'p>(at: &Target, patch: &'p mut Patch, index: usize) -> &'p mut Page {
    patch
        .pages
        .entry(index)
        .or_insert_with(|| at.site.pages[index].clone())
}

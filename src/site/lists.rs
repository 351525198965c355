//! The listing pages: the index, each fact's page with the briefs citing it, each tag's page,
//! and the facts and tags indexes.
//!
//! Every list of briefs is newest first and split into pages of `paginate` briefs, the first
//! at the list's own URL and the rest at `page/<n>/` under it, as Zola and Hugo do: a tag
//! that 5,000 briefs carry is 500 small pages, not one page of megabytes. Each page's
//! [`Paginator`] links its neighbours and a window of page numbers around it, so the links
//! on a page stay few however long the list grows.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::knowledge::KnowledgeBase;
use crate::views::{
    BriefCard, FactCard, FactView, PageData, PageLink, Paginator, Prepared, PreparedText,
    SourceView, TagView,
};

use super::{ByTag, Page, Urls, first_sentence, meta, newest, source_views, window};

/// Page numbers shown on each side of the current one, besides the first and the last.
const WINDOW: usize = 2;

/// One page of a list of briefs.
struct ListPage {
    url: String,
    number: usize,
    /// Which of the list's briefs the page shows.
    shown: std::ops::Range<usize>,
    paginator: Paginator,
}

/// Splits a list of `len` briefs into pages of `per_page`; `url(n)` is page `n`'s URL. An
/// empty list still has its first page.
fn paginate(len: usize, per_page: usize, url: impl Fn(usize) -> String) -> Vec<ListPage> {
    let total = page_count(len, per_page);
    // Each URL made once: every page links a dozen of its list's pages, and formatting them
    // anew for each was 1% of a 10,000-brief build's instructions.
    let urls: Vec<String> = (1..=total).map(url).collect();
    let url = |number: usize| urls[number - 1].clone();
    (1..=total)
        .map(|number| {
            let start = ((number - 1) * per_page).min(len);
            let end = (start + per_page).min(len);
            ListPage {
                url: url(number),
                number,
                shown: start..end,
                paginator: paginator(number, total, &url),
            }
        })
        .collect()
}

/// The cards of the briefs at `positions` (in page order), `card(position)` each. Cards are
/// cloned straight into the page that shows them: a 100,000-brief site lists each card ten
/// times, and each clone counts a reference on memory that has gone cold since the card was
/// made.
fn cards_at(
    positions: &[usize],
    card: impl Fn(usize) -> Prepared<BriefCard>,
) -> Vec<Prepared<BriefCard>> {
    positions.iter().map(|&position| card(position)).collect()
}

/// How many pages a list of `len` briefs takes.
pub(crate) fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page).max(1)
}

/// Links for page `current` of `total`: previous, next, and the first, the last and the
/// pages within [`WINDOW`] of the current one; `gap_before` marks where numbers are skipped.
fn paginator(current: usize, total: usize, url: &impl Fn(usize) -> String) -> Paginator {
    // Only the numbers shown are visited, not every page of the list: the index of a
    // 100,000-brief site has 10,000 pages, each with its paginator.
    let window = current.saturating_sub(WINDOW).max(1)..=(current + WINDOW).min(total);
    let shown = std::iter::once(1)
        .chain(window)
        .chain(std::iter::once(total));
    let mut pages = Vec::with_capacity(2 * WINDOW + 3);
    let mut last_shown = 0;
    for number in shown {
        if number <= last_shown {
            continue;
        }
        pages.push(PageLink {
            number,
            url: url(number),
            current: number == current,
            gap_before: number > last_shown + 1,
        });
        last_shown = number;
    }
    Paginator {
        current,
        total,
        previous_url: (current > 1).then(|| url(current - 1)),
        next_url: (current < total).then(|| url(current + 1)),
        pages,
    }
}

/// The index: every brief, newest first.
pub(super) fn index_pages(
    config: &SiteConfig,
    urls: &Urls,
    cards: &[Prepared<BriefCard>],
    pages: &mut Vec<Page>,
) {
    let lists = paginate(cards.len(), config.paginate, |n| urls.index_page(n));
    let index: Vec<Page> = lists
        .into_par_iter()
        .map(|list| {
            let title = if list.number == 1 {
                config.title.clone()
            } else {
                format!("Page {}", list.number)
            };
            let shown = &cards[list.shown];
            Page {
                path: urls.output_path(&list.url),
                template: "index.html",
                meta: meta(&title, &config.description, list.url, "index").updated(newest(shown)),
                data: PageData::Index {
                    briefs: shown.to_vec(),
                    paginator: list.paginator,
                },
            }
        })
        .collect();
    pages.extend(index);
}

/// Fact `index`'s pages: its note and sources, with the briefs citing it (`citing`, their
/// positions, newest first) split into pages; `card(position)` is a brief's card.
pub(crate) fn fact_pages_of(
    config: &SiteConfig,
    urls: &Urls,
    knowledge: &KnowledgeBase,
    notes_html: &[PreparedText],
    index: usize,
    citing: &[usize],
    card: impl Fn(usize) -> Prepared<BriefCard>,
) -> Vec<Page> {
    let fact = &knowledge.facts[index];
    let description = first_sentence(&fact.note);
    // Plain, not prepared: a fact's one or two pages serialise them once each.
    let sources: Arc<[SourceView]> = source_views(&fact.sources).into();
    paginate(citing.len(), config.paginate, |n| {
        urls.fact_page(&fact.id, n)
    })
    .into_iter()
    .map(|list| {
        let cited_by = cards_at(&citing[list.shown], &card);
        let title = match list.number {
            1 => fact.title.clone(),
            n => format!("{}, page {n}", fact.title),
        };
        let updated = newest(&cited_by);
        let view = FactView {
            id: fact.id.clone(),
            title: fact.title.clone(),
            url: urls.fact(&fact.id),
            note_html: notes_html[index].clone(),
            sources: sources.clone(),
            window: window(fact),
            cited_by,
        };
        Page {
            path: urls.output_path(&list.url),
            template: "fact.html",
            meta: meta(&title, &description, list.url, "fact").updated(updated),
            data: PageData::Fact {
                fact: Box::new(view),
                paginator: list.paginator,
            },
        }
    })
    .collect()
}

/// Every fact's pages, then the facts index. Gives the index's listing (for the search
/// index), and where each fact's first page is, with the positions of the briefs citing it.
pub(super) fn fact_pages(
    config: &SiteConfig,
    urls: &Urls,
    knowledge: &KnowledgeBase,
    notes_html: &[PreparedText],
    citing: &[Vec<usize>],
    cards: &[Prepared<BriefCard>],
    pages: &mut Vec<Page>,
) -> (Vec<FactCard>, Vec<usize>) {
    // Each fact's pages are made in parallel, then appended in the knowledge file's order.
    let per_fact: Vec<(FactCard, Vec<Page>)> = knowledge
        .facts
        .par_iter()
        .enumerate()
        .map(|(index, fact)| {
            let card = FactCard {
                id: fact.id.clone(),
                title: fact.title.clone(),
                url: urls.fact(&fact.id),
                window: window(fact),
                citations: citing[index].len(),
            };
            let brief_card = |position: usize| cards[position].clone();
            let fact_pages = fact_pages_of(
                config,
                urls,
                knowledge,
                notes_html,
                index,
                &citing[index],
                brief_card,
            );
            (card, fact_pages)
        })
        .collect();
    let mut listing = Vec::with_capacity(knowledge.facts.len());
    let mut first_pages = Vec::with_capacity(knowledge.facts.len());
    for (card, fact_pages) in per_fact {
        listing.push(card);
        first_pages.push(pages.len());
        pages.extend(fact_pages);
    }
    listing.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    pages.push(Page {
        path: "context/index.html".into(),
        template: "facts.html",
        meta: meta(
            "Context",
            "Every background fact this site explains.",
            urls.facts(),
            "facts",
        ),
        data: PageData::Facts {
            facts: listing.clone(),
        },
    });
    (listing, first_pages)
}

/// Every tag's pages, then the tags index. `by_tag` maps each tag's slug to its name and the
/// positions of the briefs carrying it; gives where each tag's first page is.
pub(super) fn tag_pages(
    config: &SiteConfig,
    urls: &Urls,
    by_tag: &ByTag,
    cards: &[Prepared<BriefCard>],
    pages: &mut Vec<Page>,
) -> BTreeMap<String, usize> {
    // Each tag's pages are made in parallel, then appended in slug order.
    let per_tag: Vec<(TagView, Vec<Page>)> = by_tag
        .par_iter()
        .map(|(slug, (name, positions))| {
            let tag = TagView {
                name: name.clone(),
                slug: slug.clone(),
                url: urls.tag(slug),
                count: positions.len(),
            };
            let tag_pages = paginate(positions.len(), config.paginate, |n| urls.tag_page(slug, n))
                .into_iter()
                .map(|list| {
                    let shown = cards_at(&positions[list.shown], |at| cards[at].clone());
                    let title = match list.number {
                        1 => format!("Tagged “{name}”"),
                        n => format!("Tagged “{name}”, page {n}"),
                    };
                    Page {
                        path: urls.output_path(&list.url),
                        template: "tag.html",
                        meta: meta(&title, "", list.url, "tag").updated(newest(&shown)),
                        data: PageData::Tag {
                            tag: tag.clone(),
                            briefs: shown,
                            paginator: list.paginator,
                        },
                    }
                })
                .collect();
            (tag, tag_pages)
        })
        .collect();
    let mut tags = Vec::with_capacity(by_tag.len());
    let mut first_pages = BTreeMap::new();
    for (tag, tag_pages) in per_tag {
        first_pages.insert(tag.slug.clone(), pages.len());
        pages.extend(tag_pages);
        tags.push(tag);
    }
    pages.push(Page {
        path: "tags/index.html".into(),
        template: "tags.html",
        meta: meta("Tags", "", urls.tags(), "tags"),
        data: PageData::Tags { tags },
    });
    first_pages
}

/// For each list page, the position of the newest brief it shows (`None` for a page that
/// shows none), by page index less `first`: `first` is where the index pages start, and the
/// fact and tag pages are where `fact_pages` and `tag_pages` say. A build renders list pages
/// in this order: the pages showing a brief's card then come close together, and at 100,000
/// briefs, where the cards no longer fit in the caches, that made rendering them 3% faster.
pub(crate) fn newest_listed(
    per_page: usize,
    (first, len): (usize, usize),
    briefs: usize,
    (citing, fact_pages): (&[Vec<usize>], &[usize]),
    (by_tag, tag_pages): (&ByTag, &BTreeMap<String, usize>),
) -> Vec<Option<usize>> {
    let mut newest = vec![None; len];
    let mut list = |start: usize, positions: &mut dyn Iterator<Item = usize>| {
        for (at, position) in positions.step_by(per_page).enumerate() {
            if let Some(slot) = newest.get_mut(start + at - first) {
                *slot = Some(position);
            }
        }
    };
    list(first, &mut (0..briefs));
    for (citing, &start) in citing.iter().zip(fact_pages) {
        list(start, &mut citing.iter().copied());
    }
    for (slug, (_, positions)) in by_tag {
        if let Some(&start) = tag_pages.get(slug) {
            list(start, &mut positions.iter().copied());
        }
    }
    newest
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{newest_listed, paginator};

    #[test]
    fn each_list_page_is_known_by_its_newest_brief() {
        // Pages of two: the index of five briefs (pages 0 to 2), a fact cited by the briefs
        // at 1, 3 and 4 (pages 3 and 4), one cited by none (page 5), the facts index (6), a
        // tag on the briefs at 0, 1 and 2 (pages 7 and 8), the tags index (9).
        let citing = [vec![1, 3, 4], vec![]];
        let by_tag = BTreeMap::from([("a".to_string(), ("A".to_string(), vec![0, 1, 2]))]);
        let tag_pages = BTreeMap::from([("a".to_string(), 7)]);
        let newest = newest_listed(2, (0, 10), 5, (&citing, &[3, 5]), (&by_tag, &tag_pages));
        let expected = [0, 2, 4, 1, 4].map(Some).into_iter();
        let expected: Vec<Option<usize>> = expected
            .chain([None, None, Some(0), Some(2), None])
            .collect();
        assert_eq!(newest, expected);
    }

    fn numbers(current: usize, total: usize) -> Vec<(usize, bool)> {
        paginator(current, total, &|n| format!("/page/{n}/"))
            .pages
            .iter()
            .map(|link| (link.number, link.gap_before))
            .collect()
    }

    #[test]
    fn the_paginator_shows_a_window_and_marks_gaps() {
        assert_eq!(numbers(1, 1), [(1, false)]);
        assert_eq!(
            numbers(1, 4),
            [(1, false), (2, false), (3, false), (4, false)]
        );
        assert_eq!(
            numbers(10, 500),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (500, true)
            ]
        );
        let last = paginator(500, 500, &|n| format!("/page/{n}/"));
        assert_eq!(last.previous_url.as_deref(), Some("/page/499/"));
        assert_eq!(last.next_url, None);
        assert_eq!(last.pages.len(), 4);
    }

    #[test]
    fn the_paginator_shows_exactly_the_first_the_last_and_the_window() {
        for total in 1..=30_usize {
            for current in 1..=total {
                let expected: Vec<usize> = (1..=total)
                    .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= super::WINDOW)
                    .collect();
                let shown: Vec<usize> = numbers(current, total).iter().map(|n| n.0).collect();
                assert_eq!(shown, expected, "page {current} of {total}");
            }
        }
    }
}

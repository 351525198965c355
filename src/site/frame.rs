//! What the briefs' front matter alone decides, before any brief is annotated: their order,
//! their cards, the tags' lists, the feeds and the search entries.
//!
//! A brief's page needs only this, the knowledge base and the brief itself (see
//! [`super::brief_page`]), so a build can render and write each brief's page as soon as its
//! Markdown is rendered, and drop it, instead of holding every brief's HTML until the site is
//! assembled; only the facts' lists wait for every brief's citations.

use std::cmp::Reverse;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Brief;
use crate::date::Date;
use crate::feeds::{self, Feed};
use crate::publish;
use crate::views::{BriefCard, Prepared, SiteView};

use super::tags::{ByTag, TagLinks, tagged};
use super::{Neighbours, Urls, card};

/// The site's briefs, ordered and carded, with what follows from their front matter.
pub(crate) struct Frame {
    pub urls: Urls,
    pub view: SiteView,
    /// `newest_first[p]`: the index (in the slice given to [`frame`]) of the brief at
    /// position `p`, newest first.
    pub newest_first: Vec<usize>,
    /// `position[i]`: where brief `i` sits in `newest_first`.
    pub position: Vec<usize>,
    /// Each brief's card, by position.
    pub cards: Vec<Prepared<BriefCard>>,
    /// Each tag's briefs, by slug.
    pub by_tag: ByTag,
    pub feeds: Vec<Feed>,
    /// Whether some feed lists the brief at each position (its entry is rendered with its page).
    pub in_feed: Vec<bool>,
    /// Each brief's entry in the search index, by position.
    pub search_entries: Vec<String>,
}

/// Orders `briefs` newest first (ties by slug) and makes everything their front matter decides.
pub(crate) fn frame(config: &SiteConfig, briefs: &[&Brief]) -> Frame {
    let urls = Urls::new(&config.base_url);
    // Sorted on both threads, by keys gathered next to each other: sorting the briefs
    // themselves read two of them, anywhere in memory, at each of 1.7 million comparisons of
    // a 100,000-brief site. The index settles ties, as a stable sort would.
    let mut keys: Vec<(Reverse<Date>, &str, usize)> = briefs
        .par_iter()
        .enumerate()
        .map(|(index, brief)| (Reverse(brief.meta.date), brief.slug.as_str(), index))
        .collect();
    keys.par_sort_unstable();
    let newest_first: Vec<usize> = keys.into_iter().map(|(_, _, index)| index).collect();
    let mut position = vec![0; briefs.len()];
    for (at, &index) in newest_first.iter().enumerate() {
        position[index] = at;
    }
    // What each brief gives is made in the briefs' own order, which is how they lie in
    // memory, and then put in page order: read newest first, each brief is somewhere else in
    // a corpus of hundreds of megabytes, and at 100,000 briefs the cards, tag links, tags'
    // lists and feeds took 14 to 21 times as long as at 10,000.
    let tags = TagLinks::of(&urls, briefs);
    let mut made: Vec<Option<BriefCard>> = briefs
        .par_iter()
        .map(|brief| Some(card(&urls, brief, &tags)))
        .collect();
    let in_page_order: Vec<BriefCard> = newest_first
        .iter()
        .map(|&index| {
            made[index]
                .take()
                .expect("page order holds each brief once")
        })
        .collect();
    // Made into template values in page order, so that each list, which shows its cards in
    // that order, finds them next to each other in memory.
    let cards: Vec<Prepared<BriefCard>> =
        in_page_order.into_par_iter().map(Prepared::new).collect();
    let by_tag = tagged(briefs, &position);
    let order: Vec<&Brief> = newest_first.iter().map(|&i| briefs[i]).collect();
    let (feeds, search_entries) = rayon::join(
        || feeds::build(config, &urls, &order, &cards, &by_tag),
        || {
            cards
                .par_iter()
                .map(|card| publish::search_entry(&urls, card))
                .collect()
        },
    );
    let mut in_feed = vec![false; briefs.len()];
    for feed in &feeds {
        for &position in &feed.entry_pages {
            in_feed[position] = true;
        }
    }
    Frame {
        view: site_view(config, &urls),
        urls,
        newest_first,
        position,
        cards,
        by_tag,
        feeds,
        in_feed,
        search_entries,
    }
}

impl Frame {
    /// The briefs next to the one at `position`, linked from its page.
    pub(crate) fn neighbours(&self, position: usize) -> Neighbours {
        Neighbours {
            previous: self.cards.get(position + 1).cloned(),
            next: position.checked_sub(1).map(|p| self.cards[p].clone()),
        }
    }
}

/// The values every page shares.
fn site_view(config: &SiteConfig, urls: &Urls) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_url: config.base_url.clone(),
        footnote_heading: config.footnotes.heading.clone(),
        static_url: urls.static_dir(),
        generator: format!("briefing {}", env!("CARGO_PKG_VERSION")),
    }
}

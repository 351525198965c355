//! The site's tags and citations, read off the briefs: one shared link per tag for the cards
//! ([`TagLinks`]), each tag's list of the briefs that carry it ([`tagged`]) and each fact's
//! list of the briefs that cite it ([`citing`]).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::content::Brief;
use crate::views::{Prepared, TagLink};

use super::Urls;

/// Each tag's name as first written and the positions of the briefs carrying it, by slug.
pub(crate) type ByTag = BTreeMap<String, (String, Vec<usize>)>;

/// For each fact, the positions of the briefs citing it, ascending; `cited[p]` holds the facts
/// the brief at position `p` cites. In parallel, over runs of briefs whose lists are then
/// joined in order: a 10,000-brief site has 50,000 citations.
pub(crate) fn citing(facts: usize, cited: &[Vec<usize>]) -> Vec<Vec<usize>> {
    cited
        .par_iter()
        .enumerate()
        .fold(
            || vec![Vec::new(); facts],
            |mut citing: Vec<Vec<usize>>, (position, cited)| {
                for &fact in cited {
                    citing[fact].push(position);
                }
                citing
            },
        )
        .reduce(
            || vec![Vec::new(); facts],
            |mut citing, later| {
                for (positions, later) in citing.iter_mut().zip(later) {
                    positions.extend(later);
                }
                citing
            },
        )
}

/// A tag's name, the position it was read at, and its briefs' positions.
type Tagged<'b> = BTreeMap<&'b str, (&'b str, usize, Vec<usize>)>;

/// The entry of `slug`, made or kept with the name read at the lowest position (the newest
/// brief's spelling) whatever the order the briefs are read in; gives its positions.
fn keep_newest_name<'t, 'b>(
    by_tag: &'t mut Tagged<'b>,
    slug: &'b str,
    name: &'b str,
    at: usize,
) -> &'t mut Vec<usize> {
    let tag = by_tag.entry(slug).or_insert_with(|| (name, at, Vec::new()));
    if at < tag.1 {
        (tag.0, tag.1) = (name, at);
    }
    &mut tag.2
}

/// For each tag, by slug, its name as the newest brief carrying it writes it and the positions
/// (`position[i]` for `briefs[i]`) of the briefs carrying it, ascending. In parallel like
/// [`citing`]: 40,000 tags at 10,000 briefs. The briefs are read in their own order, which is
/// how they lie in memory: read newest first, each is somewhere else in a corpus of hundreds
/// of megabytes, and at 100,000 briefs that took 18 times as long as at 10,000.
pub(crate) fn tagged(briefs: &[&Brief], position: &[usize]) -> ByTag {
    let by_tag: Tagged = briefs
        .par_iter()
        .zip(position)
        .fold(BTreeMap::new, |mut by_tag: Tagged, (brief, &at)| {
            for (slug, name) in &brief.tags {
                keep_newest_name(&mut by_tag, slug, name, at).push(at);
            }
            by_tag
        })
        .reduce(BTreeMap::new, |mut by_tag, later| {
            for (slug, (name, at, later)) in later {
                keep_newest_name(&mut by_tag, slug, name, at).extend(later);
            }
            by_tag
        });
    by_tag
        .into_par_iter()
        .map(|(slug, (name, _, mut positions))| {
            positions.sort_unstable();
            (slug.to_string(), (name.to_string(), positions))
        })
        .collect()
}

/// One prepared link for each tag as briefs spell it, made once and shared by every card
/// that carries it, instead of three strings and a template map for each of the site's
/// 40,000 tag links (at 10,000 briefs, a tenth of the memory the site's views take).
#[derive(Default)]
pub(crate) struct TagLinks(BTreeMap<String, BTreeMap<String, Prepared<TagLink>>>);

impl TagLinks {
    /// The links of every tag of `briefs`, by slug and then by the name as written. The
    /// briefs' tags are gathered in parallel (40,000 at 10,000 briefs, 50 distinct), then a
    /// link is made for each distinct one.
    pub(super) fn of(urls: &Urls, briefs: &[&Brief]) -> TagLinks {
        let distinct = briefs
            .par_iter()
            .fold(BTreeSet::new, |mut distinct, brief| {
                for (slug, name) in &brief.tags {
                    distinct.insert((slug.as_str(), name.as_str()));
                }
                distinct
            })
            .reduce(BTreeSet::new, |mut all, some| {
                all.extend(some);
                all
            });
        let mut links = TagLinks::default();
        for (slug, name) in distinct {
            let names = links.0.entry(slug.to_string()).or_default();
            names.insert(name.to_string(), new_tag_link(urls, slug, name));
        }
        links
    }

    /// The shared link, or a new one for a tag this table does not hold.
    pub(super) fn link(&self, urls: &Urls, slug: &str, name: &str) -> Prepared<TagLink> {
        self.0
            .get(slug)
            .and_then(|names| names.get(name))
            .cloned()
            .unwrap_or_else(|| new_tag_link(urls, slug, name))
    }
}

fn new_tag_link(urls: &Urls, slug: &str, name: &str) -> Prepared<TagLink> {
    Prepared::new(TagLink {
        name: name.to_string(),
        slug: slug.to_string(),
        url: urls.tag(slug),
    })
}

#[cfg(test)]
mod tests {
    use super::{TagLinks, citing, tagged};
    use crate::content::parse_brief;
    use crate::error::SourceText;
    use crate::site::{Urls, card};

    #[test]
    fn citations_and_tags_are_inverted_in_order_as_one_pass_would() {
        let names = ["Armenia", "armenia", "Russia", "Turkey", "peace"];
        let briefs: Vec<_> = (0..3_000)
            .map(|i| {
                let tags: Vec<&str> = (0..i % 4).map(|k| names[(i * 7 + k * 3) % 5]).collect();
                let text = format!(
                    "---\ntitle: T\ndate: 2022-08-04\ntags: [{}]\n---\nx\n",
                    tags.join(", ")
                );
                parse_brief(SourceText::new(format!("content/briefs/b{i}.md"), text)).unwrap()
            })
            .collect();
        let cited: Vec<Vec<usize>> = (0..briefs.len())
            .map(|i| (0..i % 3).map(|k| (i + k * 5) % 11).collect())
            .collect();
        // Positions a permutation of the briefs' own order, as a site's dates make them.
        let position: Vec<usize> = (0..briefs.len()).map(|i| i * 7919 % briefs.len()).collect();
        let mut order = vec![&briefs[0]; briefs.len()];
        for (index, &at) in position.iter().enumerate() {
            order[at] = &briefs[index];
        }
        let corpus: Vec<_> = briefs.iter().collect();
        let (citing, by_tag) = (citing(11, &cited), tagged(&corpus, &position));
        let mut one_citing = vec![Vec::new(); 11];
        let mut one_by_tag: super::ByTag = std::collections::BTreeMap::new();
        for (position, brief) in order.iter().enumerate() {
            for &fact in &cited[position] {
                one_citing[fact].push(position);
            }
            for (slug, name) in &brief.tags {
                let entry = one_by_tag.entry(slug.clone());
                entry
                    .or_insert_with(|| (name.clone(), Vec::new()))
                    .1
                    .push(position);
            }
        }
        assert_eq!(citing, one_citing);
        assert_eq!(by_tag, one_by_tag);
    }

    #[test]
    fn cards_share_the_link_of_a_tag_spelt_alike() {
        let brief = |name: &str, tags: &str| {
            let text = format!("---\ntitle: T\ndate: 2022-08-04\ntags: [{tags}]\n---\nx\n");
            parse_brief(SourceText::new(format!("content/briefs/{name}.md"), text)).unwrap()
        };
        let briefs = [brief("a", "Armenia, russia"), brief("b", "russia, armenia")];
        let urls = Urls::new("/");
        let links = TagLinks::of(&urls, &briefs.iter().collect::<Vec<_>>());
        let (a, b) = (
            card(&urls, &briefs[0], &links),
            card(&urls, &briefs[1], &links),
        );
        let map = |card: &crate::views::BriefCard, at: usize| {
            std::ptr::from_ref(card.tags[at].value().as_map().unwrap())
        };
        // `russia` is one shared link; `Armenia` and `armenia` are one tag, spelt two ways.
        assert_eq!(map(&a, 1), map(&b, 0));
        assert_ne!(map(&a, 0), map(&b, 1));
        assert_eq!(a.tags[0].url, b.tags[1].url);
        assert_eq!(
            (a.tags[0].name.as_str(), b.tags[1].name.as_str()),
            ("Armenia", "armenia")
        );
        // A table without the tag still gives an equal link, just not a shared one.
        let alone = card(&urls, &briefs[0], &TagLinks::default());
        assert_eq!(alone.tags, a.tags);
        assert_ne!(map(&alone, 1), map(&a, 1));
    }
}

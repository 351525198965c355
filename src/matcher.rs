//! Finding mentions of facts in prose: a radix trie over every term of every fact, walked from
//! each place in a text where a word starts.
//!
//! The trie is built once per build, and scanning a brief walks it only where a mention could
//! start, so the scan costs the same whether the knowledge file holds 50 facts or 100,000.
//! Matching is case-insensitive (Unicode lowercase on both sides), on whole words, and
//! leftmost-longest: where terms overlap, the one that starts first wins, and of those the
//! longest. A candidate that fails the word-boundary test does not hide a shorter candidate
//! that passes it, which is why every term found at a start is kept until the choice is made.

mod trie;

pub use trie::TooLarge;
use trie::Trie;

use crate::ascii8::{HIGH_BITS, word_bytes};

/// A term found in a piece of text; offsets are byte offsets into that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    /// Index of the fact in the knowledge base.
    pub fact: usize,
    /// Index of the term within that fact's terms.
    pub term: usize,
}

/// The term trie with, for each pattern, the fact and term it stands for.
#[derive(Debug, Clone)]
pub struct Matcher {
    trie: Trie,
    owners: Vec<(usize, usize)>,
}

impl Matcher {
    /// Builds the trie from each fact's terms, in fact order. Empty terms are skipped (the
    /// knowledge loader rejects them earlier). Fails only when the terms hold more text than
    /// the trie can number.
    pub fn new<'a>(facts: impl IntoIterator<Item = &'a [String]>) -> Result<Matcher, TooLarge> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (fact, terms) in facts.into_iter().enumerate() {
            for (term_index, term) in terms.iter().enumerate() {
                let folded = fold(term.trim());
                if !folded.is_empty() {
                    patterns.push(folded);
                    owners.push((fact, term_index));
                }
            }
        }
        Ok(Matcher {
            trie: Trie::new(&patterns)?,
            owners,
        })
    }

    /// Every whole-word, non-overlapping, leftmost-longest mention in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let mut chosen = Vec::new();
        for candidate in self.candidates(text) {
            if chosen
                .last()
                .is_none_or(|last: &TermMatch| candidate.start >= last.end)
            {
                chosen.push(candidate);
            }
        }
        chosen
    }

    /// What [`Matcher::find`] returns, plus every whole-word candidate it passed over, each
    /// paired with the chosen match that overlaps it. Slower than `find` (it keeps the losers),
    /// so only `explain` and `check` call it; the build calls `find`.
    pub fn find_with_hidden(&self, text: &str) -> (Vec<TermMatch>, Vec<(TermMatch, TermMatch)>) {
        let mut chosen: Vec<TermMatch> = Vec::new();
        let mut hidden = Vec::new();
        for candidate in self.candidates(text) {
            match chosen.last() {
                Some(last) if candidate.start < last.end => hidden.push((candidate, *last)),
                _ => chosen.push(candidate),
            }
        }
        (chosen, hidden)
    }

    /// Whole-word candidates ordered by start, longest first among those starting together.
    ///
    /// The folded text is read a word at a time: a mention can start only where a word or a
    /// non-word character does, and a word's first byte is the only place in it where one may,
    /// which the word itself says, with the one after it (see [`Trie::may_start_with_words_at`]). Walks may start at
    /// more places than a mention can (after a word, at its punctuation); the whole-word test
    /// drops what they find there.
    fn candidates(&self, text: &str) -> Vec<TermMatch> {
        let folded = Folded::new(text);
        let haystack = folded.text.as_bytes();
        let mut candidates = Vec::new();
        let mut walk_from = |start: usize| {
            self.trie.walk(haystack, start, |pattern, end| {
                let original_start = folded.original(start);
                let original_end = folded.original(end);
                let (fact, term) = self.owners[pattern as usize];
                if original_end > original_start
                    && is_whole_word(text, original_start, original_end)
                {
                    candidates.push(TermMatch {
                        start: original_start,
                        end: original_end,
                        fact,
                        term,
                    });
                }
            });
        };
        // The next special character not yet passed, by index.
        let mut next = 0;
        let mut position = 0;
        while position < haystack.len() {
            if let Some(special) = folded.special_at(position, &mut next) {
                // A character folding changed: a mention may start at each character it
                // folded to (the whole-word test drops what follows a word character).
                let mut start = special.folded;
                for lower in folded.text[special.folded..special.folded_end].chars() {
                    if self.trie.may_start_at(haystack, start) {
                        walk_from(start);
                    }
                    start += lower.len_utf8();
                }
                position = special.folded_end;
                if special.word {
                    position = folded.skip_word(position, &mut next);
                }
            } else if haystack[position].is_ascii_alphanumeric() {
                let end = word_end(haystack, position);
                if self.trie.may_start_with_words_at(haystack, position, end) {
                    walk_from(position);
                }
                position = folded.skip_word(end, &mut next);
            } else {
                if self.trie.may_start_with_word(&[]) {
                    walk_from(position);
                }
                position += 1;
            }
        }
        // Walks report the shortest term first, and in folded text two starts can map to one
        // original start; a stable sort puts the longest first and keeps pattern order.
        candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        candidates
    }
}

/// Case folding of terms; text is folded by [`Folded`] with the same [`fold_char`].
/// The form a term is matched in: two terms that fold alike are the same term to the matcher.
pub fn fold(text: &str) -> String {
    text.chars().flat_map(fold_char).collect()
}

/// Case folding used on both terms and text, one character at a time so both sides fold alike
/// (`str::to_lowercase` lowercases a word-final `Σ` to `ς`, `char::to_lowercase` to `σ`). Unicode
/// lowercase, not ASCII-only, so `ÇAĞ` finds `çağ`. Typographic quotes fold to straight ones:
/// smart punctuation turns the body's `Turkey's` into `Turkey’s`, and the author who typed the
/// term as `Turkey's` in the knowledge file means the same words.
fn fold_char(c: char) -> std::char::ToLowercase {
    let c = match c {
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        'ς' => 'σ',
        other => other,
    };
    c.to_lowercase()
}

/// A folded copy of a text, with what is needed to map offsets back to the original and to
/// tell word characters from the rest.
struct Folded {
    text: String,
    /// Each non-ASCII character of the original, in order, with what it folded to. Prose is
    /// mostly ASCII even when it is not all ASCII (smart punctuation curls every quote), so
    /// ASCII runs are copied and lowercased in bulk and only these few are looked up.
    specials: Vec<Special>,
}

/// A non-ASCII character of the original text and the folded text it became.
#[derive(Debug, Clone, Copy)]
struct Special {
    folded: usize,
    folded_end: usize,
    original: usize,
    original_end: usize,
    /// Whether the original character is a letter or digit.
    word: bool,
}

impl Folded {
    fn new(original: &str) -> Folded {
        if original.is_ascii() {
            return Folded {
                text: original.to_ascii_lowercase(),
                specials: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut specials = Vec::new();
        let bytes = original.as_bytes();
        let mut position = 0;
        while position < bytes.len() {
            let ascii_end = ascii_end(bytes, position);
            if ascii_end > position {
                let start = text.len();
                text.push_str(&original[position..ascii_end]);
                text[start..].make_ascii_lowercase();
                position = ascii_end;
                continue;
            }
            let Some(c) = original[position..].chars().next() else {
                break;
            };
            let folded = text.len();
            text.extend(fold_char(c));
            specials.push(Special {
                folded,
                folded_end: text.len(),
                original: position,
                original_end: position + c.len_utf8(),
                word: c.is_alphanumeric(),
            });
            position += c.len_utf8();
        }
        Folded { text, specials }
    }

    /// The original offset of a folded offset at a character boundary. Each character a
    /// special one folded to maps back to its start.
    fn original(&self, folded_offset: usize) -> usize {
        let after = self
            .specials
            .partition_point(|special| special.folded <= folded_offset);
        match after.checked_sub(1).map(|index| self.specials[index]) {
            Some(special) if folded_offset < special.folded_end => special.original,
            Some(special) => special.original_end + (folded_offset - special.folded_end),
            None => folded_offset,
        }
    }

    /// The special character at `position`, if there is one, moving `next` (the index of the
    /// first special not yet passed) past it and past any before it.
    #[inline]
    fn special_at(&self, position: usize, next: &mut usize) -> Option<Special> {
        while let Some(special) = self.specials.get(*next) {
            if special.folded > position {
                return None;
            }
            *next += 1;
            if special.folded == position {
                return Some(*special);
            }
        }
        None
    }

    /// The end of the word that continues at `position` (ASCII letters and digits, and special
    /// characters that were letters or digits), moving `next` past the specials it holds.
    fn skip_word(&self, mut position: usize, next: &mut usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while self
                .specials
                .get(*next)
                .is_some_and(|special| special.folded < position)
            {
                *next += 1;
            }
            match self.specials.get(*next) {
                Some(special) if special.folded == position && special.word => {
                    *next += 1;
                    position = special.folded_end;
                }
                Some(special) if special.folded == position => return position,
                _ if bytes.get(position).is_some_and(u8::is_ascii_alphanumeric) => {
                    position = word_end(bytes, position);
                }
                _ => return position,
            }
        }
    }
}

/// The end of the run of ASCII letters and digits starting at `start`, found eight bytes at a
/// time: a word costs a step or two, not a branch per byte and a mispredicted one at its end.
fn word_end(bytes: &[u8], start: usize) -> usize {
    run_end(
        bytes,
        start,
        |eight| !word_bytes(eight) & HIGH_BITS,
        |byte| !byte.is_ascii_alphanumeric(),
    )
}

/// The end of the run of ASCII bytes starting at `start`, eight bytes at a time.
fn ascii_end(bytes: &[u8], start: usize) -> usize {
    run_end(
        bytes,
        start,
        |eight| eight & HIGH_BITS,
        |byte| !byte.is_ascii(),
    )
}

/// The first byte at or after `start` that `ends` the run: eight bytes at a time while eight
/// are left (`ends_eight` gives the high bit of each byte of a word that ends it), then one by
/// one.
#[inline]
fn run_end(
    bytes: &[u8],
    start: usize,
    ends_eight: impl Fn(u64) -> u64,
    ends: impl Fn(&u8) -> bool,
) -> usize {
    let mut position = start;
    while let Some(eight) = bytes.get(position..position + 8) {
        let found = ends_eight(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
        if found != 0 {
            return position + (found.trailing_zeros() / 8) as usize;
        }
        position += 8;
    }
    bytes[position..]
        .iter()
        .position(ends)
        .map_or(bytes.len(), |length| position + length)
}

/// True when neither the character before `start` nor the one at `end` continues a word.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;

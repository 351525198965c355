//! The term index: a radix trie over the folded terms, walked from each place a mention could
//! start.
//!
//! A mention can only start where a word starts, so the matcher walks the trie from those
//! places instead of feeding every byte of every brief through an automaton of all terms. A walk
//! costs the length of the text it matches (a few bytes where no term starts), whatever the
//! number of terms: the knowledge file can grow from 50 facts to 100,000 without slowing the
//! scan of a brief, and the trie is built in one pass over the sorted terms.

/// One node, in one 32-byte line of memory. Its children are the nodes from `first_child` on,
/// one for each byte of `edge_bytes[edges..=edges + last_edge]` (sorted): breadth-first building
/// puts a node's children next to each other, so no table of child numbers is read. Its label is
/// `labels[label..label + label_len]`, whose first bytes are also in `head`; the terms that end
/// here are `outputs[outputs..outputs + output_count]`; a node with many children has its entry
/// in `bitmaps`.
///
/// A walk reads a node per step. With each node spread over four tables (nodes, labels, edges,
/// child numbers), a knowledge file of 5,000 facts, whose walks go twice as deep as 50 facts'
/// and whose trie no longer fits the first-level cache, spent three times as long walking.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct Node {
    /// The label's first bytes (as many as it has, up to three): most walks that fail, fail
    /// there, without reading `labels`.
    head: [u8; HEAD],
    /// The number of children less one; meaningless without children.
    last_edge: u8,
    first_child: u32,
    edges: u32,
    label: u32,
    label_len: u32,
    outputs: u32,
    output_count: u32,
    bitmap: u32,
}

/// How many of a label's bytes a [`Node`] holds itself.
const HEAD: usize = 3;

impl Node {
    fn new(label: &[u8], label_start: u32) -> Result<Node, TooLarge> {
        let mut head = [0; HEAD];
        let kept = label.len().min(HEAD);
        head[..kept].copy_from_slice(&label[..kept]);
        Ok(Node {
            head,
            last_edge: 0,
            first_child: NONE,
            edges: 0,
            label: label_start,
            label_len: index(label.len())?,
            outputs: 0,
            output_count: 0,
            bitmap: NONE,
        })
    }
}

/// Above this many children a node finds a child by counting bits below its byte rather than by
/// a scan: a node such as the one after `the ` has dozens of children when the knowledge file
/// is large, and the scan would make each walk through it slower as facts are added.
const SCAN_LIMIT: u32 = 8;

/// A radix trie of byte strings, each with a pattern number.
#[derive(Debug, Clone)]
pub struct Trie {
    nodes: Vec<Node>,
    edge_bytes: Vec<u8>,
    labels: Vec<u8>,
    outputs: Vec<u32>,
    /// For each node with more than [`SCAN_LIMIT`] children, a bit for each first byte of a
    /// child's label.
    bitmaps: Vec<[u64; 4]>,
    /// The root's child for each first byte (`u32::MAX` when none).
    root: Box<[u32; 256]>,
    /// A bit for the hashed first word of each pattern (see [`first_word_length`]): a text's
    /// word can start a pattern only if it is that pattern's first word, so most places in a
    /// text are turned away with one load, however many terms there are and however many of
    /// them share their first letters.
    first_words: Box<[u64]>,
    /// A bit for the hashed first word of each pattern that is that one word alone: where the
    /// text's word is one of these, a walk always starts.
    alone_words: Box<[u64]>,
    /// A bit for each pattern that goes on past its first word: its first word, the byte after
    /// it and the word after that byte, hashed together ([`pair_key`]). A term's first word is
    /// often a common one (`the Sador observatory`), which would start a walk at every `the` of
    /// every brief; the pair turns away all but the `the` before a term's second word.
    pairs: Box<[u64]>,
    /// How far a word's hash is shifted right to give its bit in `first_words`.
    key_shift: u32,
    /// Whether some pattern starts with a byte that is not an ASCII letter or digit (a quote, a
    /// non-ASCII letter): only then can a walk start where no ASCII word does. Kept exactly,
    /// not hashed, because the scan asks it at every space and punctuation mark.
    starts_without_word: bool,
}

/// `first_words` holds 32 bits a pattern, rounded up to a power of two: at most one bit in 32
/// is set, so 97% of the words that start no pattern are turned away, and for a knowledge file
/// of a few thousand terms the table (8 KiB at 1,500 terms) stays in the first-level cache the
/// scan of every word reads it from. Between 2^12 and 2^20 bits (128 KiB, a quarter full at
/// 300,000 terms).
fn key_bits(patterns: usize) -> u32 {
    patterns
        .saturating_mul(32)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(12, 20)
}

/// The length of the first word of `bytes`: the bytes before the first one that is not an
/// ASCII letter or digit, counted up to 9 (9 standing for longer). A word is hashed by its
/// first eight bytes and this length. Where a pattern matches on whole words, the text's first
/// word there is the pattern's: the pattern's own first non-word byte is in the text too, or
/// the pattern is one word and the byte after it in the text is not a letter or digit (an
/// ASCII one, or the start of a non-ASCII character, which this counts as a word's end on both
/// sides alike).
fn first_word_length(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take(9)
        .position(|byte| !byte.is_ascii_alphanumeric())
        .unwrap_or(bytes.len().min(9))
}

/// The key of a text whose first word is `word` (of any length, not empty).
#[inline]
fn word_key(word: &[u8], shift: u32) -> usize {
    hash_key(word_prefix(word), word.len(), shift)
}

/// The first eight bytes of `word`, zero-padded, as one number.
#[inline]
fn word_prefix(word: &[u8]) -> u64 {
    let mut prefix = 0u64;
    for (index, &byte) in word.iter().take(8).enumerate() {
        prefix |= u64::from(byte) << (8 * index);
    }
    prefix
}

/// The key of a first word, the byte after it and the word after that (which may be empty),
/// each word given by its first eight bytes and its length, in `64 - shift` bits.
#[inline]
fn pair_key(first: (u64, usize), separator: u8, second: (u64, usize), shift: u32) -> usize {
    let first = first.0 ^ (first.1.min(9) as u64) << 59;
    let second = second.0 ^ (second.1.min(9) as u64) << 59 ^ u64::from(separator) << 51;
    let mixed = first.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29) ^ second;
    (mixed.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> shift) as usize
}

/// [`word_prefix`] of `text[start..end]`. Where eight bytes follow `start` it reads them in
/// one load and masks off what is past the word, which is most of the matcher's work on a long
/// brief.
#[inline]
fn prefix_at(text: &[u8], start: usize, end: usize) -> u64 {
    let length = end - start;
    match text.get(start..start + 8) {
        Some(eight) if length > 0 => {
            let prefix = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            if length < 8 {
                prefix & ((1u64 << (8 * length)) - 1)
            } else {
                prefix
            }
        }
        _ => word_prefix(&text[start..end]),
    }
}

/// The length of the run of ASCII letters and digits at the start of `bytes`.
fn word_length(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|byte| !byte.is_ascii_alphanumeric())
        .unwrap_or(bytes.len())
}

/// The key of a word by its first eight bytes (zero-padded) and length, in `64 - shift` bits.
#[inline]
fn hash_key(prefix: u64, length: usize, shift: u32) -> usize {
    let key = prefix ^ (length.min(9) as u64) << 59;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// The patterns hold more bytes than the trie can number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("more than 4 GiB of term text")
    }
}

const NONE: u32 = u32::MAX;

fn set_bit(bits: &mut [u64], key: usize) {
    bits[key / 64] |= 1 << (key % 64);
}

fn has_bit(bits: &[u64], key: usize) -> bool {
    bits[key / 64] & (1 << (key % 64)) != 0
}

fn index(value: usize) -> Result<u32, TooLarge> {
    u32::try_from(value)
        .ok()
        .filter(|&value| value != NONE)
        .ok_or(TooLarge)
}

impl Trie {
    /// Builds the trie. Pattern numbers are positions in `patterns`; a byte string given twice
    /// ends at one node with both numbers, in order.
    pub fn new(patterns: &[String]) -> Result<Trie, TooLarge> {
        let mut order: Vec<u32> = (0..index(patterns.len())?).collect();
        order.sort_by(|&a, &b| {
            patterns[a as usize]
                .as_bytes()
                .cmp(patterns[b as usize].as_bytes())
                .then(a.cmp(&b))
        });
        let bytes = |position: usize| patterns[order[position] as usize].as_bytes();
        let mut trie = Trie {
            nodes: Vec::new(),
            edge_bytes: Vec::new(),
            labels: Vec::new(),
            outputs: Vec::new(),
            bitmaps: Vec::new(),
            root: Box::new([NONE; 256]),
            first_words: vec![0; 1 << (key_bits(patterns.len()) - 6)].into_boxed_slice(),
            alone_words: vec![0; 1 << (key_bits(patterns.len()) - 6)].into_boxed_slice(),
            pairs: vec![0; 1 << (key_bits(patterns.len()) - 6)].into_boxed_slice(),
            key_shift: 64 - key_bits(patterns.len()),
            starts_without_word: false,
        };
        for pattern in patterns {
            let bytes = pattern.as_bytes();
            match first_word_length(bytes) {
                0 => trie.starts_without_word = true,
                length => {
                    let key = word_key(&bytes[..length], trie.key_shift);
                    set_bit(&mut trie.first_words, key);
                    let first_end = word_length(bytes);
                    match bytes.get(first_end) {
                        None => set_bit(&mut trie.alone_words, key),
                        Some(&separator) => {
                            let first = (word_prefix(&bytes[..first_end]), first_end);
                            let rest = &bytes[first_end + 1..];
                            let second = &rest[..word_length(rest)];
                            let second = (word_prefix(second), second.len());
                            let pair = pair_key(first, separator, second, trie.key_shift);
                            set_bit(&mut trie.pairs, pair);
                        }
                    }
                }
            }
        }
        // Breadth first: each entry is a node already pushed, the range of sorted patterns
        // below it, and the depth its label ends at. Every pattern in the range starts with the
        // same `depth` bytes; those exactly `depth` long end at this node and sort first.
        let mut queue = std::collections::VecDeque::new();
        trie.nodes.push(Node::new(&[], 0)?);
        queue.push_back((0usize, 0..patterns.len(), 0usize));
        while let Some((node, range, depth)) = queue.pop_front() {
            let mut position = range.start;
            let outputs_start = trie.outputs.len();
            while position < range.end && bytes(position).len() == depth {
                trie.outputs.push(order[position]);
                position += 1;
            }
            let edges_start = trie.edge_bytes.len();
            let first_child = trie.nodes.len();
            while position < range.end {
                let first = bytes(position)[depth];
                let mut group_end = position + 1;
                while group_end < range.end && bytes(group_end)[depth] == first {
                    group_end += 1;
                }
                let (low, high) = (bytes(position), bytes(group_end - 1));
                let shared = low
                    .iter()
                    .zip(high)
                    .skip(depth)
                    .take_while(|(a, b)| a == b)
                    .count();
                let label = &low[depth..depth + shared];
                let child = trie.nodes.len();
                trie.nodes
                    .push(Node::new(label, index(trie.labels.len())?)?);
                trie.labels.extend_from_slice(label);
                trie.edge_bytes.push(first);
                if node == 0 {
                    trie.root[usize::from(first)] = index(child)?;
                }
                queue.push_back((child, position..group_end, depth + shared));
                position = group_end;
            }
            let edge_count = trie.edge_bytes.len() - edges_start;
            if edge_count > 0 {
                let node = &mut trie.nodes[node];
                node.first_child = index(first_child)?;
                node.edges = index(edges_start)?;
                // One child per distinct byte: at most 256.
                node.last_edge = u8::try_from(edge_count - 1).map_err(|_| TooLarge)?;
            }
            if edge_count > SCAN_LIMIT as usize {
                let mut bits = [0u64; 4];
                for &byte in &trie.edge_bytes[edges_start..] {
                    bits[usize::from(byte / 64)] |= 1 << (byte % 64);
                }
                trie.nodes[node].bitmap = index(trie.bitmaps.len())?;
                trie.bitmaps.push(bits);
            }
            trie.nodes[node].outputs = index(outputs_start)?;
            trie.nodes[node].output_count = index(trie.outputs.len() - outputs_start)?;
        }
        Ok(trie)
    }

    /// The child of `node` whose label starts with `byte`, or `NONE`.
    #[inline]
    fn child(&self, node: &Node, byte: u8) -> u32 {
        if node.first_child == NONE {
            return NONE;
        }
        if node.bitmap == NONE {
            let low = node.edges as usize;
            let high = low + usize::from(node.last_edge) + 1;
            return self.edge_bytes[low..high]
                .iter()
                .position(|&edge| edge == byte)
                .map_or(NONE, |offset| node.first_child + offset as u32);
        }
        let bits = &self.bitmaps[node.bitmap as usize];
        let (word, bit) = (usize::from(byte / 64), byte % 64);
        if bits[word] & (1 << bit) == 0 {
            return NONE;
        }
        let below = bits[..word].iter().map(|w| w.count_ones()).sum::<u32>()
            + (bits[word] & ((1 << bit) - 1)).count_ones();
        node.first_child + below
    }

    /// Whether some pattern may start at `text[start]`: a cheap test before a walk.
    #[inline]
    pub fn may_start_at(&self, text: &[u8], start: usize) -> bool {
        let rest = &text[start.min(text.len())..];
        self.may_start_with_word(&rest[..first_word_length(rest)])
    }

    /// [`Trie::may_start_at`] for a place where the text's first word (ASCII letters and
    /// digits up to the next other byte) is `word`, which the caller has already found.
    #[inline]
    pub fn may_start_with_word(&self, word: &[u8]) -> bool {
        if word.is_empty() {
            return self.starts_without_word;
        }
        self.has_key(word_key(word, self.key_shift))
    }

    /// [`Trie::may_start_with_word`] for the word `text[start..end]`, and where only longer
    /// patterns start with that word, the same question of the pair it makes with the byte and
    /// the word after it (see `pairs`). What a walk from `start` would find as a whole-word
    /// mention is never turned away: the text there holds the pattern's own first word, byte
    /// after it and second word, or the pattern is its first word alone.
    #[inline]
    pub fn may_start_with_words_at(&self, text: &[u8], start: usize, end: usize) -> bool {
        if end == start {
            return self.starts_without_word;
        }
        let first = (prefix_at(text, start, end), end - start);
        let key = hash_key(first.0, first.1, self.key_shift);
        if !has_bit(&self.first_words, key) {
            return false;
        }
        if has_bit(&self.alone_words, key) {
            return true;
        }
        let Some(&separator) = text.get(end) else {
            return false;
        };
        let second_start = end + 1;
        let second_end = match text.get(second_start) {
            Some(byte) if byte.is_ascii_alphanumeric() => super::word_end(text, second_start),
            _ => second_start,
        };
        let second = (
            prefix_at(text, second_start, second_end),
            second_end - second_start,
        );
        has_bit(
            &self.pairs,
            pair_key(first, separator, second, self.key_shift),
        )
    }

    #[inline]
    fn has_key(&self, key: usize) -> bool {
        has_bit(&self.first_words, key)
    }

    /// Calls `found(pattern, end)` for every pattern that `text[start..]` begins with, shortest
    /// first (and, for equal patterns, in pattern order).
    pub fn walk(&self, text: &[u8], start: usize, mut found: impl FnMut(u32, usize)) {
        let Some(&first) = text.get(start) else {
            return;
        };
        let mut child = self.root[usize::from(first)];
        let mut position = start;
        while child != NONE {
            let node = &self.nodes[child as usize];
            let length = node.label_len as usize;
            // Byte by byte: most walks stop at the first or second byte, before a memcmp call
            // would pay for itself; those bytes are in the node.
            let rest = &text[position..];
            let kept = length.min(HEAD);
            if rest.len() < length || node.head[..kept].iter().zip(rest).any(|(a, b)| a != b) {
                return;
            }
            let label = node.label as usize;
            let tail = &self.labels[label + kept..label + length];
            if tail.iter().zip(&rest[kept..]).any(|(a, b)| a != b) {
                return;
            }
            position += length;
            let outputs = node.outputs as usize;
            for &pattern in &self.outputs[outputs..outputs + node.output_count as usize] {
                found(pattern, position);
            }
            let Some(&next) = text.get(position) else {
                return;
            };
            child = self.child(node, next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Trie;

    fn walk(patterns: &[&str], text: &str, start: usize) -> Vec<(u32, usize)> {
        let owned: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let trie = Trie::new(&owned).unwrap();
        let mut found = Vec::new();
        trie.walk(text.as_bytes(), start, |pattern, end| {
            found.push((pattern, end))
        });
        found
    }

    #[test]
    fn finds_every_pattern_the_text_starts_with_shortest_first() {
        let patterns = ["lachin corridor", "lachin", "la", "lachine", "corridor"];
        assert_eq!(
            walk(&patterns, "lachin corridor road", 0),
            vec![(2, 2), (1, 6), (0, 15)]
        );
        assert_eq!(walk(&patterns, "the corridor", 4), vec![(4, 12)]);
        assert_eq!(walk(&patterns, "lachi", 0), vec![(2, 2)]);
        assert!(walk(&patterns, "x", 0).is_empty());
        assert!(walk(&patterns, "", 0).is_empty());
    }

    #[test]
    fn the_filters_let_through_every_place_a_pattern_starts() {
        let owned: Vec<String> = ["lachin", "x", "ab"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let trie = Trie::new(&owned).unwrap();
        let starts: Vec<usize> = (0..12)
            .filter(|&start| trie.may_start_at(b"lachin xy ab", start))
            .collect();
        // `xy` is not the word `x`, so no walk starts there.
        assert_eq!(starts, vec![0, 10]);
        assert!(!trie.may_start_at(b"lacx", 0));
        assert!(trie.may_start_at(b"x", 0));
        assert!(!trie.may_start_at(b"b", 0));

        let owned: Vec<String> = ["peacekeepers", "peace", "un"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let trie = Trie::new(&owned).unwrap();
        for text in ["peacekeepers", "peace talks", "un", "un.", "un\u{2014}x"] {
            assert!(trie.may_start_at(text.as_bytes(), 0), "{text}");
        }
        for text in ["peacekee", "pea", "peacemakers", "unless"] {
            assert!(!trie.may_start_at(text.as_bytes(), 0), "{text}");
        }
        assert!(trie.may_start_with_word(b"peacekeepers"));
        assert!(trie.may_start_with_word(b"un"));
        assert!(!trie.may_start_with_word(b"unless"));
        assert!(!trie.may_start_with_word(b""));
    }

    #[test]
    fn a_word_read_in_one_load_is_the_word_alone() {
        let text = b"a un peacekeepers karabakh lachinx corridor un a";
        let mut start = 0;
        while start < text.len() {
            let end = start + super::word_length(&text[start..]);
            assert_eq!(
                super::prefix_at(text, start, end),
                super::word_prefix(&text[start..end]),
                "{start}..{end}"
            );
            start = end + 1;
        }
    }

    #[test]
    fn a_common_first_word_starts_a_walk_only_before_a_second_word_of_a_term() {
        let owned: Vec<String> = [
            "the sador observatory",
            "jlo",
            "u.s. sanctions",
            "re-",
            "x -- y",
            "the",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let trie = Trie::new(&owned[..5]).unwrap();
        let at = |text: &str| {
            let end = super::word_length(text.as_bytes());
            trie.may_start_with_words_at(text.as_bytes(), 0, end)
        };
        for text in [
            "the sador observatory",
            "the sador",
            "jlo",
            "jlo's",
            "u.s. sanctions",
            "re- elected",
            "re-",
            "x -- y",
        ] {
            assert!(at(text), "{text}");
        }
        for text in [
            "the cat",
            "the",
            "the ",
            "jl",
            "u.k.",
            "re-elected",
            "x y",
            "sador",
        ] {
            assert!(!at(text), "{text}");
        }
        // A term that is the word alone starts a walk at every `the`.
        let trie = Trie::new(&owned).unwrap();
        assert!(trie.may_start_with_words_at(b"the cat", 0, 3));
    }

    #[test]
    fn the_first_word_table_grows_with_the_terms() {
        assert_eq!(super::key_bits(0), 12);
        assert_eq!(super::key_bits(1_500), 16);
        assert_eq!(super::key_bits(300_000), 20);
    }

    #[test]
    fn a_node_with_many_children_finds_each_of_them() {
        let patterns: Vec<String> = (b'a'..=b'z')
            .map(|c| format!("the {}x", c as char))
            .collect();
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        for (number, pattern) in patterns.iter().enumerate() {
            assert_eq!(walk(&refs, pattern, 0), vec![(number as u32, 6)]);
        }
        assert!(walk(&refs, "the 1x", 0).is_empty());
    }

    #[test]
    fn equal_patterns_end_at_one_node_in_pattern_order() {
        assert_eq!(
            walk(&["war", "war", "wa"], "war", 0),
            vec![(2, 2), (0, 3), (1, 3)]
        );
    }

    #[test]
    fn a_label_that_runs_past_the_text_does_not_match() {
        assert!(walk(&["peacekeepers", "peacemakers"], "peace", 0).is_empty());
        assert_eq!(
            walk(&["peacekeepers", "peacemakers"], "peacemakers", 0),
            vec![(1, 11)]
        );
    }

    #[test]
    fn multibyte_patterns_match_byte_for_byte() {
        assert_eq!(walk(&["çağ", "ça"], "çağdaş", 0), vec![(1, 3), (0, 5)]);
    }
}

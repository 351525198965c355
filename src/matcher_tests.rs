//! Unit tests of the matcher: whole words, case, overlaps, folding, and the scan against a
//! full search.

use super::{Matcher, TermMatch};

fn matcher(facts: &[&[&str]]) -> Matcher {
    let owned: Vec<Vec<String>> = facts
        .iter()
        .map(|terms| terms.iter().map(|t| t.to_string()).collect())
        .collect();
    Matcher::new(owned.iter().map(Vec::as_slice)).unwrap()
}

fn found(matcher: &Matcher, text: &str) -> Vec<(String, usize)> {
    matcher
        .find(text)
        .into_iter()
        .map(
            |TermMatch {
                 start, end, fact, ..
             }| (text[start..end].to_string(), fact),
        )
        .collect()
}

#[test]
fn matches_whole_words_only() {
    let m = matcher(&[&["war"]]);
    assert_eq!(
        found(&m, "warfare and war, postwar"),
        vec![("war".into(), 0)]
    );
}

#[test]
fn ignores_case() {
    let m = matcher(&[&["Lachin corridor"]]);
    assert_eq!(
        found(&m, "the LACHIN Corridor"),
        vec![("LACHIN Corridor".into(), 0)]
    );
}

#[test]
fn longest_term_wins_where_terms_overlap() {
    let m = matcher(&[&["Lachin"], &["Lachin corridor"]]);
    assert_eq!(
        found(&m, "the Lachin corridor, not Lachin"),
        vec![("Lachin corridor".into(), 1), ("Lachin".into(), 0)]
    );
}

#[test]
fn leftmost_wins_over_longer_later_overlap() {
    let m = matcher(&[&["2020 war"], &["war over Karabakh"]]);
    assert_eq!(
        found(&m, "the 2020 war over Karabakh"),
        vec![("2020 war".into(), 0)]
    );
}

#[test]
fn a_failed_longer_candidate_does_not_hide_a_shorter_one() {
    let m = matcher(&[&["peace"], &["peace talks"]]);
    assert_eq!(found(&m, "peace talksx"), vec![("peace".into(), 0)]);
}

#[test]
fn unicode_text_maps_back_to_original_offsets() {
    let m = matcher(&[&["çağ"], &["erdoğan"]]);
    assert_eq!(
        found(&m, "İŞ ÇAĞ — Erdoğan’s"),
        vec![("ÇAĞ".into(), 0), ("Erdoğan".into(), 1)]
    );
}

#[test]
fn letters_of_other_scripts_are_word_characters() {
    let m = matcher(&[&["war"]]);
    assert!(found(&m, "warы").is_empty());
}

#[test]
fn hidden_candidates_name_the_match_that_won() {
    let m = matcher(&[&["Lachin"], &["Lachin corridor"], &["corridor"]]);
    let text = "the Lachin corridor and Lachin";
    let (chosen, hidden) = m.find_with_hidden(text);
    assert_eq!(chosen, m.find(text));
    let hidden: Vec<(&str, usize, usize)> = hidden
        .iter()
        .map(|(lost, won)| (&text[lost.start..lost.end], lost.fact, won.fact))
        .collect();
    assert_eq!(hidden, vec![("Lachin", 0, 1), ("corridor", 2, 1)]);
}

/// Every occurrence of every folded term anywhere in the folded text, mapped back and kept
/// when on whole words: what the trie's walks from word starts must find.
fn every_occurrence(terms: &[String], text: &str) -> Vec<(usize, usize, usize)> {
    let folded = super::Folded::new(text);
    let mut found = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let term = super::fold(term);
        for position in 0..folded.text.len() {
            if folded.text.is_char_boundary(position) && folded.text[position..].starts_with(&term)
            {
                let start = folded.original(position);
                let end = folded.original(position + term.len());
                if end > start && super::is_whole_word(text, start, end) {
                    found.push((start, end, index));
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    found
}

#[test]
fn walks_from_word_starts_find_what_a_full_scan_finds() {
    let alphabet = [
        "a", "b", "ab", " ", "-", "İ", "i", "ς", "Σ", "σ", "’", "'", "2", "ǅ", "\u{212A}", "k",
        "—", "é",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let word = move |length: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
        (0..length)
            .map(|_| alphabet[next(alphabet.len())])
            .collect()
    };
    for _ in 0..5_000 {
        let count = 1 + next(6);
        let terms: Vec<String> = (0..count)
            .map(|_| {
                let length = 1 + next(4);
                word(length, &mut next)
            })
            .filter(|term| !super::fold(term.trim()).is_empty())
            .collect();
        let length = next(30);
        let text = word(length, &mut next);
        let m = Matcher::new(terms.iter().map(std::slice::from_ref)).unwrap();
        let candidates: Vec<(usize, usize, usize)> = m
            .candidates(&text)
            .into_iter()
            .map(|c| (c.start, c.end, c.fact))
            .collect();
        let trimmed: Vec<String> = terms.iter().map(|t| t.trim().to_string()).collect();
        assert_eq!(
            candidates,
            every_occurrence(&trimmed, &text),
            "{terms:?} in {text:?}"
        );
    }
}

#[test]
fn folded_offsets_map_back_like_a_map_of_every_byte() {
    for text in [
        "İŞ ÇAĞ — Erdoğan’s",
        "a’b’’c",
        "ǅx",
        "ΣΑΣ ς",
        "plain’",
        "’",
        "aİb",
        "\u{212A}x K",
    ] {
        let folded = super::Folded::new(text);
        let mut dense = Vec::new();
        for (offset, c) in text.char_indices() {
            for lower in super::fold_char(c) {
                dense.extend(std::iter::repeat_n(offset, lower.len_utf8()));
            }
        }
        dense.push(text.len());
        assert_eq!(dense.len(), folded.text.len() + 1, "{text:?}");
        for position in (0..=folded.text.len()).filter(|&p| folded.text.is_char_boundary(p)) {
            assert_eq!(
                folded.original(position),
                dense[position],
                "{text:?} at {position}"
            );
        }
    }
}

#[test]
fn word_and_ascii_ends_found_eight_bytes_at_a_time_match_a_byte_scan() {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..20_000 {
        let length = (seed % 24) as usize;
        let mut bytes = Vec::with_capacity(length);
        for _ in 0..length {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Mostly letters and digits, with every byte value now and then.
            let byte = match seed % 4 {
                0 => (seed >> 8) as u8,
                1 => b'0' + ((seed >> 8) % 10) as u8,
                _ => b'a' + ((seed >> 8) % 26) as u8,
            };
            bytes.push(byte);
        }
        for start in 0..=bytes.len() {
            let word = bytes[start..]
                .iter()
                .position(|byte| !byte.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| start + n);
            assert_eq!(
                super::word_end(&bytes, start),
                word,
                "{bytes:?} from {start}"
            );
            let ascii = bytes[start..]
                .iter()
                .position(|byte| !byte.is_ascii())
                .map_or(bytes.len(), |n| start + n);
            assert_eq!(
                super::ascii_end(&bytes, start),
                ascii,
                "{bytes:?} from {start}"
            );
        }
    }
}

#[test]
fn no_terms_matches_nothing() {
    assert!(matcher(&[]).find("anything").is_empty());
}

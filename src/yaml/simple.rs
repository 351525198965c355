//! The YAML most front matter is written in, read without the full parser.
//!
//! On a 10,000-brief site the YAML parser took a tenth of the build's instructions, about
//! 150,000 for each brief's dozen lines of front matter. Front matter is nearly always the
//! same few shapes: `key: value` lines, a list of tags, an image's three keys. This reads
//! those shapes into a [`Value`], which the caller then deserialises with the YAML crate
//! (`from_value`), so the typed result and every rule of the target type are the crate's own.
//!
//! It reads a deliberately narrow subset and gives up (`None`) on anything outside it, and on
//! anything it is unsure of, leaving that text to the full parser, which then also produces
//! any error message. What it reads it reads exactly as the full parser does (a test compares
//! the two on thousands of generated documents):
//!
//! - top-level `key: value` lines, a key being a plain word, each key once;
//! - as a value: a scalar; a one-line flow list `[a, "b"]` or map `{ k: v }` of scalars; or,
//!   on the lines after `key:`, a block list (`- item`) or a block map (`k: v`, indented) of
//!   scalars;
//! - scalars: double-quoted on one line (escapes `\\ \" \/ \n \t \r \uXXXX`), single-quoted on
//!   one line, or plain words that start with a letter (never `null`, `true` and the like,
//!   which resolve to other types, except `true` and `false` as booleans), or a date;
//! - blank lines, and comment lines at the left margin.

use serde_yaml::{Mapping, Value};

/// Reads `text` if it is in the subset this module knows; `None` otherwise.
pub fn read(text: &str) -> Option<Value> {
    if !text
        .bytes()
        .all(|byte| (0x20..0x7f).contains(&byte) || byte == b'\n')
        && !text.chars().all(printable_or_newline)
    {
        return None;
    }
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.trim_start_matches(' ').is_empty())
        .peekable();
    let mut top = Mapping::new();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            continue;
        }
        let (key, rest) = key_and_rest(line)?;
        let value = if rest.is_empty() {
            block(&mut lines)?
        } else {
            inline(rest)?
        };
        if top.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    (!top.is_empty()).then_some(Value::Mapping(top))
}

/// Characters the YAML parser takes inside a scalar without question: printable, and not one
/// of the Unicode line breaks it also splits lines at. Tabs are left to the full parser.
fn printable_or_newline(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Splits `key: rest` (or `key:` with nothing after it) at the left margin.
fn key_and_rest(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let after = &line[colon + 1..];
    if !plain_key(key) || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, strip_comment(after.trim_start_matches(' '))?))
}

/// A key the parser reads as the string it spells: a word of letters, digits, `_` and `-`
/// that starts with a letter and is not a word that resolves to a boolean or null.
fn plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
        && !special_word(key)
}

/// Words the parser resolves to null or a boolean, and words YAML 1.1 did, which a reader
/// might mean as such: left to the full parser whatever the target type. Compared without
/// lowercasing a copy: every key and plain scalar of every brief is asked.
fn special_word(word: &str) -> bool {
    const SPECIAL: [&str; 9] = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    word.len() <= 5
        && SPECIAL
            .iter()
            .any(|special| word.eq_ignore_ascii_case(special))
}

/// `text` without a trailing ` # comment` and trailing spaces; `None` if a `#` could be
/// inside a quoted scalar (left to the full parser).
fn strip_comment(text: &str) -> Option<&str> {
    let text = text.trim_end_matches(' ');
    match text.find('#') {
        None => Some(text),
        Some(_) if text.starts_with(['"', '\'']) => quoted_then_comment(text),
        Some(0) => Some(""),
        Some(at) if text.as_bytes()[at - 1] == b' ' => Some(text[..at].trim_end_matches(' ')),
        // `a#b`: the `#` is part of a plain scalar.
        Some(_) => Some(text),
    }
}

/// A quoted scalar followed by a comment: the scalar, if the comment starts after it.
fn quoted_then_comment(text: &str) -> Option<&str> {
    let end = quoted_end(text)?;
    let after = &text[end..];
    let rest = after.trim_start_matches(' ');
    (rest.is_empty() || (rest.starts_with('#') && after.starts_with(' '))).then(|| &text[..end])
}

/// Where the quoted scalar at the start of `text` ends (just past its closing quote).
fn quoted_end(text: &str) -> Option<usize> {
    let quote = text.as_bytes()[0];
    let bytes = text.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            byte if byte == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// A value written after `key:` on the same line.
fn inline(text: &str) -> Option<Value> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        return flow_items(inner)?
            .into_iter()
            .map(|item| scalar(item, true))
            .collect::<Option<Vec<Value>>>()
            .map(Value::Sequence);
    }
    if let Some(inner) = text.strip_prefix('{') {
        let inner = inner.strip_suffix('}')?;
        let mut map = Mapping::new();
        for item in flow_items(inner)? {
            let (key, value) = key_and_rest(item)?;
            if value.is_empty() || map.insert(key.into(), scalar(value, true)?).is_some() {
                return None;
            }
        }
        return Some(Value::Mapping(map));
    }
    scalar(text, false)
}

/// The comma-separated items of a one-line flow collection, trimmed. A quote may only open a
/// scalar (at an item's start or after `: `), and then commas inside it are its own; an
/// empty item (`[a,,b]`, a trailing comma) gives up.
fn flow_items(inner: &str) -> Option<Vec<&str>> {
    let bytes = inner.as_bytes();
    let mut items = Vec::new();
    let mut start = 0;
    let mut at = 0;
    // Where a scalar may open: the item's first non-space byte, or just after `: `.
    let mut may_open = true;
    while at < bytes.len() {
        match bytes[at] {
            b' ' => at += 1,
            b'"' | b'\'' if may_open => {
                at += quoted_end(&inner[at..])?;
                may_open = false;
            }
            b'"' | b'\'' | b'#' | b'[' | b']' | b'{' | b'}' => return None,
            b',' => {
                items.push(inner[start..at].trim_matches(' '));
                at += 1;
                start = at;
                may_open = true;
            }
            b':' if bytes.get(at + 1) == Some(&b' ') => {
                at += 2;
                may_open = true;
            }
            _ => {
                at += 1;
                may_open = false;
            }
        }
    }
    let last = inner[start..].trim_matches(' ');
    if !(last.is_empty() && items.is_empty()) {
        items.push(last);
    }
    (!items.iter().any(|item| item.is_empty())).then_some(items)
}

/// The lines after `key:`: a block list or a block map of scalars.
fn block<'t>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'t str>>) -> Option<Value> {
    let first = *lines.peek()?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let is_item = |line: &str| line[indent..].starts_with("- ");
    if is_item(first) {
        let mut items = Vec::new();
        while let Some(&line) = lines.peek() {
            let own = line.len() - line.trim_start_matches(' ').len();
            if own < indent || (own == indent && indent == 0 && !is_item(line)) {
                break;
            }
            if own != indent || !is_item(line) {
                return None;
            }
            let text = strip_comment(line[indent + 2..].trim_start_matches(' '))?;
            items.push(scalar(text, false)?);
            lines.next();
        }
        return Some(Value::Sequence(items));
    }
    if indent == 0 {
        // `key:` with nothing under it is null: left to the full parser.
        return None;
    }
    let mut map = Mapping::new();
    while let Some(&line) = lines.peek() {
        let own = line.len() - line.trim_start_matches(' ').len();
        if own == 0 {
            break;
        }
        if own != indent {
            return None;
        }
        let (key, rest) = key_and_rest(&line[indent..])?;
        if rest.is_empty() || map.insert(key.into(), scalar(rest, false)?).is_some() {
            return None;
        }
        lines.next();
    }
    Some(Value::Mapping(map))
}

/// One scalar, quoted or plain; `in_flow` when inside `[...]` or `{...}`.
fn scalar(text: &str, in_flow: bool) -> Option<Value> {
    let text = text.trim_matches(' ');
    match text.as_bytes().first()? {
        b'"' => double_quoted(text).map(Value::String),
        b'\'' => single_quoted(text).map(Value::String),
        _ => plain(text, in_flow),
    }
}

fn double_quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    // Most quoted scalars (titles, summaries) hold no escape: taken whole, not char by char.
    if !inner.contains('\\') {
        return (!inner.contains('"')).then(|| inner.to_string());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => out.push(match chars.next()? {
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    if hex.len() != 4 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                }
                _ => return None,
            }),
            c => out.push(c),
        }
    }
    Some(out)
}

fn single_quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    // Inside, a quote is written twice; a lone one would have ended the scalar.
    let lone = inner.split("''").any(|piece| piece.contains('\''));
    (!lone).then(|| inner.replace("''", "'"))
}

/// A plain scalar the parser reads as the string it spells, or as `true` or `false`.
fn plain(text: &str, in_flow: bool) -> Option<Value> {
    // One pass for what would end or change the scalar: `: ` and ` #` anywhere, a final `:`,
    // and in a flow collection its own punctuation.
    let bytes = text.as_bytes();
    let ends_or_changes = bytes.iter().enumerate().any(|(at, &byte)| match byte {
        b':' => bytes.get(at + 1).is_none_or(|&next| next == b' '),
        b'#' => in_flow || (at > 0 && bytes[at - 1] == b' '),
        b',' | b'[' | b']' | b'{' | b'}' => in_flow,
        _ => false,
    });
    if ends_or_changes {
        return None;
    }
    match text {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = text.chars().next()?;
    let word_like = (first.is_alphabetic() || !first.is_ascii()) && !special_word(text);
    (word_like || looks_like_a_date(text)).then(|| Value::String(text.to_string()))
}

/// `YYYY-MM-DD`, optionally followed by a time: never a number to the parser.
fn looks_like_a_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && bytes[10..].iter().all(|&b| {
            b.is_ascii_digit()
                || matches!(
                    b,
                    b'T' | b't' | b'Z' | b'z' | b':' | b'.' | b'+' | b'-' | b' '
                )
        })
}

#[cfg(test)]
#[path = "simple_tests.rs"]
mod tests;

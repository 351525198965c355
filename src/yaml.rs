//! YAML with positions: parsing into typed values while turning every parser error into a
//! located [`Error`], and finding where a key or value sits when a check made after parsing
//! (a duplicate id, an unknown theme) needs to point at it.
//!
//! The YAML crate gives a line and column for syntax and type errors but keeps no positions on
//! parsed values, so checks that run after deserialising find their place by scanning the text
//! for the key. Every file parsed here is also valid YAML by then, which keeps the scan simple.

use serde::de::DeserializeOwned;

use crate::error::{Error, SourceText, Span};

mod simple;

/// Parses `text` (which starts at `first_line` of `source`, 1-based) into `T`. `what` names the
/// document in messages ("front matter", "site.yaml").
pub fn parse<T: DeserializeOwned>(
    source: &SourceText,
    text: &str,
    first_line: usize,
    what: &str,
) -> Result<T, Error> {
    // Most front matter is in the subset `simple` reads, at a fraction of the parser's cost;
    // the rest, and anything the target type refuses, goes through the parser, which also
    // words every error.
    if let Some(value) = simple::read(text) {
        if let Ok(parsed) = serde_yaml::from_value(value) {
            return Ok(parsed);
        }
    }
    serde_yaml::from_str(text).map_err(|error| {
        let message = clean_message(&error.to_string(), first_line);
        let (line, col) = error
            .location()
            .map_or((1, 1), |location| (location.line(), location.column()));
        let line = line + first_line - 1;
        let mut span = source.span_at_line_col(line, col, 1);
        span.len = token_len(&span);
        // Errors raised while converting a value (a bad date) carry the position of the
        // enclosing mapping; the value quoted in the message finds the exact place.
        if let Some(value) = quoted_value(&message) {
            let from = line_offset(&source.text, span.line);
            if let Some(found) = find_value(source, value, from, source.text.len()) {
                if found.line >= span.line {
                    span = found;
                }
            }
        }
        Error::user(span, format!("{what}: {message}"))
    })
}

/// The first backtick-quoted value in an "invalid ..." message.
fn quoted_value(message: &str) -> Option<&str> {
    if !message.starts_with("invalid date") {
        return None;
    }
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len]).filter(|value| !value.is_empty())
}

/// Byte offset where 1-based `line` starts.
fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// serde's messages end with " at line L column C" (already shown by the span) and start with
/// the field path, which the span makes redundant too.
fn clean_message(raw: &str, first_line: usize) -> String {
    // libyaml: "<problem> at line L column C, <context> at line L2 column C2".
    let (problem, context) = match raw.split_once(", while ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (raw, None),
    };
    let message = problem.split(" at line ").next().unwrap_or(problem);
    let message = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => rest,
        _ => message,
    };
    let mut message = if let Some(rest) = message.strip_prefix("unknown field ") {
        let expected = rest
            .split_once(", expected one of ")
            .or_else(|| rest.split_once(", expected "));
        match expected {
            Some((key, expected)) => {
                format!(
                    "unknown key {key} (expected one of: {})",
                    expected.replace('`', "")
                )
            }
            None => format!("unknown key {rest}"),
        }
    } else if let Some(key) = message.strip_prefix("missing field ") {
        format!("missing required key {key}")
    } else {
        message
            .replace("expected usize", "expected a whole number")
            .replace("expected a boolean", "expected true or false")
    };
    if let Some(context) = context {
        let (what, position) = context.split_once(" at line ").unwrap_or((context, ""));
        message.push_str(&format!(" while {what}"));
        if let Some((line, column)) = position.split_once(" column ") {
            if let Ok(line) = line.trim().parse::<usize>() {
                let column = column.trim();
                message.push_str(&format!(
                    " that starts at line {}, column {column}",
                    line + first_line - 1
                ));
            }
        }
    }
    message
}

/// How many characters to underline: the key or scalar starting at the span, up to `:`, a
/// comma or a closing bracket.
fn token_len(span: &Span) -> usize {
    let rest: String = span.source_line.chars().skip(span.col - 1).collect();
    let trimmed = rest.trim_end();
    let len = if trimmed.starts_with('"') || trimmed.starts_with('\'') {
        trimmed.chars().count()
    } else {
        trimmed
            .chars()
            .take_while(|c| !matches!(c, ':' | ',' | ']' | '}') && !c.is_whitespace())
            .count()
    };
    len.max(1)
}

/// The span of the first line, at or after byte `from`, whose key is `key` (as `key:` or
/// `- key:`), underlining the key. `None` when no such line exists.
pub fn find_key(source: &SourceText, key: &str, from: usize) -> Option<(Span, usize)> {
    let mut offset = from;
    for line in source.text.get(from..)?.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let body_start = line.len() - body.len();
        let (dash, body) = match body.strip_prefix("- ") {
            Some(rest) => {
                let rest_trimmed = rest.trim_start();
                (2 + rest.len() - rest_trimmed.len(), rest_trimmed)
            }
            None => (0, body),
        };
        if body
            .strip_prefix(key)
            .is_some_and(|after| after.starts_with(':'))
        {
            let key_offset = offset + body_start + dash;
            return Some((source.span(key_offset, key.len()), key_offset));
        }
        offset += line.len();
    }
    None
}

/// The span of the first occurrence of `needle` (a scalar value as written, quoted or not) at or
/// after byte `from` and before byte `to`.
pub fn find_value(source: &SourceText, needle: &str, from: usize, to: usize) -> Option<Span> {
    let window = source.text.get(from..to.min(source.text.len()))?;
    let found = window.find(needle)?;
    Some(source.span(from + found, needle.len()))
}

#[cfg(test)]
mod tests {
    use super::{clean_message, find_key, find_value, parse};
    use crate::error::SourceText;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
    }

    #[test]
    fn unknown_key_points_at_the_key_in_the_file() {
        let source = SourceText::new("x.md", "---\ntitle: a\ntitel: b\n---\n");
        let error = parse::<Doc>(&source, "title: a\ntitel: b\n", 2, "front matter").unwrap_err();
        let report = error.report();
        assert!(
            report.starts_with(
                "x.md:3:1: error: front matter: unknown key `titel` (expected one of: title)"
            ),
            "{report}"
        );
        assert!(report.contains("| ^^^^^\n"), "{report}");
    }

    #[test]
    fn messages_lose_their_position_suffix() {
        assert_eq!(
            clean_message("entries[0]: missing field `id` at line 2 column 5", 1),
            "missing required key `id`"
        );
    }

    #[test]
    fn find_key_handles_list_items_and_indentation() {
        let source = SourceText::new("k.yaml", "entries:\n  - id: a\n    title: T\n  - id: b\n");
        let (span, offset) = find_key(&source, "id", 0).unwrap();
        assert_eq!((span.line, span.col), (2, 5));
        let (second, _) = find_key(&source, "id", offset + 1).unwrap();
        assert_eq!((second.line, second.col), (4, 5));
        let value = find_value(&source, "T", 0, source.text.len()).unwrap();
        assert_eq!((value.line, value.col), (3, 12));
    }
}

//! The subset reader agrees with the full parser wherever it answers.

use serde_yaml::Value;

use super::read;
use crate::content::FrontMatter;

/// What the full parser makes of `text`, as a value.
fn full(text: &str) -> Option<Value> {
    serde_yaml::from_str(text).ok()
}

#[track_caller]
fn agrees(text: &str) {
    if let Some(value) = read(text) {
        assert_eq!(Some(&value), full(text).as_ref(), "{text:?}");
    }
}

#[test]
fn typical_front_matter_is_read_as_the_parser_reads_it() {
    let text = "title: \"Russia Calls for 'Restraint' in \\\"Restive\\\" Karabakh\"\n\
                date: 2022-08-04\n\
                author: AFP\n\
                tags:\n  - armenia\n  - azerbaijan\n\
                summary: 'Moscow''s call, after clashes.'\n\
                source_url: \"https://example.org/a?b=c#d\"\n\
                image:\n  src: \"/img/x.jpg\"\n  alt: Lachin corridor\n  caption: \"A road, in 2020.\"\n\
                draft: false\n\
                # a comment\n\
                context: true   # another\n";
    let value = read(text).expect("in the subset");
    assert_eq!(Some(&value), full(text).as_ref());
    let fast: FrontMatter = serde_yaml::from_value(value).unwrap();
    let slow: FrontMatter = serde_yaml::from_str(text).unwrap();
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
}

#[test]
fn flow_collections_and_unicode_are_read() {
    for text in [
        "tags: [armenia, \"nagorno, karabakh\", 'it''s']\ntitle: Ceasefire “holds”\n",
        "image: { src: \"a.png\", alt: Erdoğan’s visit }\ndate: 2020-11-10T09:30:00+04:00\n",
        "tags: []\ntitle: x\n",
        "tags:\n- a\n- b\ntitle: Ölçek #1\n",
    ] {
        assert!(read(text).is_some(), "{text:?}");
        agrees(text);
    }
}

#[test]
fn anything_outside_the_subset_is_left_to_the_parser() {
    for text in [
        "",
        "title: 2022\n",
        "title: null\n",
        "title: ~\n",
        "title: yes\n",
        "title:\n",
        "title: a\ntitle: b\n",
        "title: |\n  block\n",
        "title: >\n  folded\n",
        "title: &a x\nsummary: *a\n",
        "title: !tag x\n",
        "title: a\n  continued\n",
        "title: \"a\n  b\"\n",
        "title:\ta\n",
        "\"title\": a\n",
        "title: a: b\n",
        "tags: [a, b,]\n",
        "tags: [a, [b]]\n",
        "tags:\n  - a\n    - b\n",
        "tags:\n  - a: b\n",
        "image:\n  src:\n    deep: x\n",
        "title: \"\\x41\"\n",
        "title: -x\n",
        "---\ntitle: a\n",
        "title: a\r\n",
        "title: \u{feff}a\n",
        "title: a\u{2028}b\n",
    ] {
        assert_eq!(read(text), None, "{text:?}");
    }
}

/// Documents built from pieces that sit on the subset's edges; wherever the reader answers,
/// the full parser must give the same value.
#[test]
fn generated_documents_agree_with_the_parser() {
    let keys = [
        "title", "date", "tags", "image", "draft", "x-y", "on", "a_b", "Title",
    ];
    let scalars = [
        "plain words",
        "It's here",
        "a#b",
        "a #b",
        "a: b",
        "a:b",
        "ends:",
        "\"quoted, with: colon\"",
        "\"esc \\\" \\\\ \\/ \\n \\t \\u00e9\"",
        "\"bad \\x\"",
        "'single ''q'''",
        "'lone ' q'",
        "true",
        "True",
        "FALSE",
        "yes",
        "No",
        "null",
        "~",
        "2022-08-04",
        "2022-08-04T10:00:00Z",
        "2022-13-45",
        "12",
        "0.5",
        "1e3",
        ".inf",
        "-x",
        "[a, b]",
        "[\"a, b\", c]",
        "[]",
        "[a,,b]",
        "{ src: a, alt: \"b, c\" }",
        "{a: b, a: c}",
        "{}",
        "Ölçek",
        "“smart”",
        "a [b] {c}",
        "\"unterminated",
        "'x' # c",
        "\"x\"junk",
        "@at",
        "`tick`",
        "%pct",
        "|",
        ">",
        "a\tb",
        "inf",
        "nan",
        "Infinity",
        "0x1F",
        "+1",
        "a # c",
        "é",
        "中文",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut answered, total) = (0, 20_000);
    for _ in 0..total {
        let mut text = String::new();
        for _ in 0..1 + next(5) {
            let key = keys[next(keys.len())];
            match next(8) {
                0 => {
                    let indent = [0, 2, 4][next(3)];
                    text.push_str(&format!("{key}:\n"));
                    for _ in 0..1 + next(3) {
                        let pad = " ".repeat(indent + usize::from(next(10) == 0));
                        text.push_str(&format!("{pad}- {}\n", scalars[next(scalars.len())]));
                    }
                }
                1 => {
                    text.push_str(&format!("{key}:\n"));
                    for _ in 0..1 + next(3) {
                        let sub = keys[next(keys.len())];
                        text.push_str(&format!("  {sub}: {}\n", scalars[next(scalars.len())]));
                    }
                }
                2 => text.push_str("# comment\n\n"),
                _ => text.push_str(&format!("{key}: {}\n", scalars[next(scalars.len())])),
            }
        }
        if let Some(value) = read(&text) {
            answered += 1;
            assert_eq!(Some(&value), full(&text).as_ref(), "{text:?}");
        }
    }
    // The test means something only if the reader answers often.
    assert!(answered > total / 10, "answered {answered} of {total}");
}

//! Syntax messages that changed between 4.2 and 8.1. The expected texts
//! were taken once from each release's own front end.

mod common;

use common::Scratch;

/// (file, text, [(release, expected error)])
type Case = (
    &'static str,
    &'static str,
    &'static [((u32, u32), &'static str)],
);

const CASES: &[Case] = &[
    (
        "list.json",
        "{ 'enum': 'E', 'data': [ , ] }\n",
        &[
            (
                (4, 2),
                "list.json:1:26: expected '{', '[', ']', string, boolean or 'null'",
            ),
            (
                (5, 2),
                "list.json:1:26: expected '{', '[', ']', string, boolean or 'null'",
            ),
            (
                (6, 0),
                "list.json:1:26: expected '{', '[', ']', string, or boolean",
            ),
            (
                (8, 1),
                "list.json:1:26: expected '{', '[', ']', string, or boolean",
            ),
        ],
    ),
    (
        "value.json",
        "{ 'enum': 'E', 'data': ['a'], 'if': }\n",
        &[
            (
                (4, 2),
                "value.json:1:37: expected '{', '[', string, boolean or 'null'",
            ),
            (
                (5, 2),
                "value.json:1:37: expected '{', '[', string, boolean or 'null'",
            ),
            (
                (6, 0),
                "value.json:1:37: expected '{', '[', string, or boolean",
            ),
        ],
    ),
    (
        "top.json",
        "[ 'x' ]\n",
        &[
            ((4, 2), "top.json:1:1: expected '{'"),
            ((6, 0), "top.json:1:1: expected '{'"),
            ((6, 1), "top.json:1: top-level expression must be an object"),
            (
                (10, 2),
                "top.json:1: top-level expression must be an object",
            ),
        ],
    ),
    (
        "stray.json",
        "{ 'enum': 'E', 'data': abc\"def }\n",
        &[
            ((4, 2), "stray.json:1:24: stray 'abc'"),
            ((8, 0), "stray.json:1:24: stray 'abc'"),
            ((8, 1), "stray.json:1:24: stray 'abc\"def'"),
        ],
    ),
];

#[test]
fn syntax_messages_follow_the_release() {
    let scratch = Scratch::new("syntax-dialects");
    let mut failures = Vec::new();
    for (file, text, expected) in CASES {
        for (release, want) in *expected {
            let got = scratch.check(file, text, *release);
            if got != *want {
                failures.push(format!(
                    "{file} under {release:?}:\n  want {want}\n  got  {got}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A repeated key is found whether the object is short (its keys looked
/// through) or long (its keys hashed).
#[test]
fn duplicate_keys_in_short_and_long_objects() {
    let scratch = Scratch::new("duplicate-keys");
    for (count, again) in [(3, 1), (40, 7), (40, 39)] {
        let keys: Vec<String> = (0..count).map(|i| format!("'k{i}': 'int'")).collect();
        let text = format!(
            "{{ 'struct': 'S', 'data': {{ {}, 'k{again}': 'str' }} }}\n",
            keys.join(", ")
        );
        // QEMU points at the value after the repeated key.
        let key = format!("'k{again}': ");
        let col = text.find(&format!("{key}'str'")).expect("the repeat") + key.len() + 1;
        assert_eq!(
            scratch.check("dup.json", &text, (10, 2)),
            format!("dup.json:1:{col}: duplicate key 'k{again}'"),
            "{count} keys"
        );
    }
}

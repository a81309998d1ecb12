//! The keyval parser on mutated and random strings, standing in for the
//! `keyval` fuzz target on every test run: a dictionary or QEMU's error,
//! never a panic, and well-formed input parsed as written.

#[path = "support/edits.rs"]
mod edits;

use edits::{edit, mutate};
use proptest::collection::vec;
use proptest::prelude::*;
use qapi_runtime::keyval;
use serde_json::{Map, Value};

/// Strings like the recorded `--blockdev` arguments.
const SEEDS: &[&str] = &[
    "driver=null-co,node-name=k0",
    "driver=raw,node-name=k0,file.driver=null-co,file.size=4096",
    "null-co,node-name=k0,read-only=on,cache.direct=off",
    "driver=qcow2,file.driver=file,file.filename=a,,b.img,opts.0=x,opts.1=y",
    "driver=raw,file=base,offset=1k",
    "node-name=a.b.c,driver=file",
    "a.0=x,a.1=y,a.2.b=z",
    "help",
    "?",
];

/// Characters that matter to keyval, and a few that do not.
fn keyval_char() -> impl Strategy<Value = char> + Clone {
    prop_oneof![
        prop::sample::select(vec![
            ',', '=', '.', '0', '1', '9', '-', '_', 'a', 'z', ' ', '\0'
        ]),
        any::<char>(),
    ]
}

/// Only objects, arrays and strings come out of keyval.
fn only_strings(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Array(items) => items.iter().all(only_strings),
        Value::Object(members) => members.values().all(only_strings),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn mutated_strings_parse_or_fail_cleanly(
        seed in prop::sample::select(SEEDS),
        edits in vec(edit(keyval_char()), 0..8),
        implied in any::<bool>(),
    ) {
        let text = mutate(seed, &edits);
        match keyval::parse(&text, implied.then_some("driver")) {
            Ok(dict) => {
                prop_assert!(dict.is_object(), "not an object: {}", dict);
                prop_assert!(only_strings(&dict), "not all strings: {}", dict);
            }
            Err(e) => prop_assert!(!e.message().is_empty()),
        }
    }

    #[test]
    fn random_strings_parse_or_fail_cleanly(text in ".{0,40}", implied in any::<bool>()) {
        if let Ok(dict) = keyval::parse(&text, implied.then_some("driver")) {
            prop_assert!(dict.is_object() && only_strings(&dict), "bad result {}", dict);
        }
    }

    /// `k=v,...` with distinct plain keys and values with commas doubled
    /// parses to exactly those members.
    #[test]
    fn written_members_come_back(
        members in vec(("[a-z][a-z0-9_-]{0,8}", "[^\u{0}]{0,10}"), 1..6),
    ) {
        let mut want = Map::new();
        let mut text = Vec::new();
        for (k, v) in members {
            if k == "help" || want.contains_key(&k) {
                continue;
            }
            text.push(format!("{k}={}", v.replace(',', ",,")));
            want.insert(k, Value::String(v));
        }
        let got = keyval::parse(&text.join(","), None);
        prop_assert_eq!(got.ok(), Some(Value::Object(want)));
    }
}

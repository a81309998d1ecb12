//! Properties over random input: decoding JSON text gives exactly what
//! decoding the text parsed into a `serde_json::Value` gives, results and
//! error texts alike, in strict and lenient mode; the text's tree is that
//! value; and neither decoding nor keyval parsing panics on any input.
//!
//! The values are built from the member names and values of the
//! project's `BlockdevOptions` (its bindings checked in under
//! `generated/schemas/`), so
//! that most of them get deep into the decoder before an error, or
//! decode.

// A library's public API is exempt from clippy's naming lints; included
// as a private module here, the bindings are not. The schema has no
// events, and its empty event set leaves parameters unused.
#[allow(dead_code, unused_variables, clippy::enum_variant_names)]
#[rustfmt::skip]
#[path = "../../generated/schemas/qapi_types.rs"]
mod qapi;

use proptest::prelude::*;
use qapi_runtime::decode::{
    from_keyval, from_str, from_str_lenient, from_value, from_value_lenient, Tree,
};
use qapi_runtime::keyval;
use serde_json::{Map, Value};

/// Member names of `BlockdevOptions` and its branches, and some it lacks.
const KEYS: &[&str] = &[
    "driver",
    "node-name",
    "discard",
    "cache",
    "direct",
    "no-flush",
    "active",
    "read-only",
    "auto-read-only",
    "force-share",
    "detect-zeroes",
    "filename",
    "aio",
    "locking",
    "aio-max-batch",
    "size",
    "latency-ns",
    "read-zeroes",
    "file",
    "backing",
    "data-file",
    "offset",
    "l2-cache-size",
    "lazy-refcounts",
    "bogus",
    "0",
];

/// Strings that are values of its enums, and some that are not.
const WORDS: &[&str] = &[
    "file", "null-co", "qcow2", "raw", "unmap", "ignore", "on", "off", "auto", "threads", "native",
    "", "x", "io_uring", "1", "-1", "0x10", "1k", "yes",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
        "\\PC{0,6}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<String, Value>>(),
                )
            }),
        ]
    })
}

/// An object with a driver, so that decoding reaches the branches.
fn blockdev() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&WORDS[..4]),
        prop::collection::vec((prop::sample::select(KEYS), value()), 0..8),
    )
        .prop_map(|(driver, members)| {
            let mut map: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            map.insert("driver".into(), Value::from(driver));
            Value::Object(map)
        })
}

fn any_input() -> impl Strategy<Value = Value> {
    prop_oneof![blockdev(), value()]
}

/// Keyval strings made of the characters its syntax gives meaning to.
fn keyval_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(KEYS).prop_map(str::to_owned),
            prop::sample::select(&[".", ",", "=", ",,", "0", "1", "00", "?", "help", "_", "é"][..])
                .prop_map(str::to_owned),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn text_and_value_decode_alike(v in any_input()) {
        // The value parsed back, since serde_json may print a float that
        // reads back one bit off.
        let text = v.to_string();
        let v: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            from_value::<qapi::BlockdevOptions>(&v),
            from_str::<qapi::BlockdevOptions>(&text)
        );
        prop_assert_eq!(
            from_value_lenient::<qapi::BlockdevOptions>(&v),
            from_str_lenient::<qapi::BlockdevOptions>(&text)
        );
    }

    #[test]
    fn the_tree_of_a_text_is_its_value(v in value()) {
        let text = v.to_string();
        let tree = Tree::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(tree.to_value(), parsed);
    }

    #[test]
    fn keyval_never_panics(text in keyval_text()) {
        if let Ok(dict) = keyval::parse(&text, Some("driver")) {
            // Whatever it decodes to, decoding ends.
            let _ = from_keyval::<qapi::BlockdevOptions>(&dict);
        }
    }

    #[test]
    fn keyval_decodes_any_dictionary_without_panicking(v in blockdev()) {
        let _ = from_keyval::<qapi::BlockdevOptions>(&v);
    }

    #[test]
    fn text_errors_never_panic(text in "\\PC{0,40}") {
        let _ = from_str::<qapi::BlockdevOptions>(&text);
    }
}

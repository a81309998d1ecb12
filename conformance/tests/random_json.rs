//! Random JSON for the generated `BlockdevOptions` of the installed
//! qemu-storage-daemon, standing in for the `blockdev_options` and
//! `keyval` fuzz targets on every test run: values shaped like block
//! options (a driver, known member names, wrong types, nesting) decode
//! or fail with a message, never panic; decoding from text and from a
//! `serde_json::Value` agree; what decodes serializes to JSON that
//! decodes to an equal value; and mutated `--blockdev` keyval strings
//! decode or fail cleanly.

#[path = "../../qapi-runtime/tests/support/edits.rs"]
mod edits;

use edits::{edit, mutate};
use proptest::collection::vec;
use proptest::prelude::*;
use qapi_conformance::qsd_10_0::BlockdevOptions;
use qapi_runtime::decode;
use serde_json::{Map, Value};

const DRIVERS: &[&str] = &[
    "null-co",
    "null-aio",
    "raw",
    "file",
    "qcow2",
    "throttle",
    "copy-on-read",
    "blkdebug",
    "quorum",
    "nbd",
    "luks",
    "vmdk",
    "bogus",
    "",
];

/// Members of several branches, so that some values get deep into the
/// variants' decoders.
const MEMBERS: &[&str] = &[
    "node-name",
    "size",
    "latency-ns",
    "read-zeroes",
    "read-only",
    "auto-read-only",
    "force-share",
    "detect-zeroes",
    "discard",
    "cache",
    "direct",
    "no-flush",
    "file",
    "backing",
    "filename",
    "offset",
    "aio",
    "locking",
    "throttle-group",
    "children",
    "vote-threshold",
    "data-file",
    "encrypt",
    "format",
    "key-secret",
    "server",
    "export",
    "type",
    "path",
    "lazy-refcounts",
    "refcount-cache-size",
    "overlap-check",
    "template",
    "image",
    "bogus",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        (-3i64..70000).prop_map(|n| Value::Number(n.into())),
        (-1e20f64..1e20)
            .prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
        prop::sample::select(DRIVERS).prop_map(|s| Value::String(s.to_owned())),
        prop::sample::select(vec![
            "on",
            "off",
            "unmap",
            "ignore",
            "native",
            "threads",
            "auto",
            "all",
            "none",
            "n0",
            "base",
            "/dev/null",
            "1k",
            "-1",
            "",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        "[^\u{0}]{0,6}".prop_map(Value::String),
    ]
}

/// Objects with a driver (mostly) and known member names.
fn options() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 6, |inner| {
        let member = (prop::sample::select(MEMBERS), inner.clone());
        prop_oneof![
            (
                proptest::option::weighted(0.9, prop::sample::select(DRIVERS)),
                vec(member, 0..6),
            )
                .prop_map(|(driver, members)| {
                    let mut map = Map::new();
                    if let Some(d) = driver {
                        map.insert("driver".to_owned(), Value::String(d.to_owned()));
                    }
                    for (k, v) in members {
                        map.insert(k.to_owned(), v);
                    }
                    Value::Object(map)
                }),
            vec(inner, 0..3).prop_map(Value::Array),
        ]
    })
}

fn check(value: &Value) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(value).expect("a Value serializes");
    let from_value = decode::from_value::<BlockdevOptions>(value).map_err(|e| e.to_string());
    let from_text = decode::from_str::<BlockdevOptions>(&text).map_err(|e| e.to_string());
    prop_assert_eq!(
        &from_value,
        &from_text,
        "text and value disagree on {}",
        text
    );
    match from_value {
        Ok(opts) => {
            let json = serde_json::to_value(&opts).expect("BlockdevOptions serializes");
            let again = decode::from_value::<BlockdevOptions>(&json);
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&opts),
                "round trip through {}",
                json
            );
        }
        Err(msg) => prop_assert!(!msg.is_empty()),
    }
    Ok(())
}

/// Characters that matter to keyval, and any other.
fn keyval_char() -> impl Strategy<Value = char> + Clone {
    prop_oneof![
        prop::sample::select(vec![',', '=', '.', '0', '1', 'k', '-', 'o', 'n', 'f']),
        any::<char>(),
    ]
}

/// The recorded `--blockdev` strings (tests/data/qsd-cases.json).
fn keyval_seeds() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/qsd-cases.json");
    let text = std::fs::read_to_string(path).expect("qsd-cases.json");
    let cases: Value = serde_json::from_str(&text).expect("qsd-cases.json is JSON");
    cases["keyval"]
        .as_array()
        .expect("keyval cases")
        .iter()
        .filter_map(|c| c["blockdev"].as_str().map(str::to_owned))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_options_decode_or_fail_alike(value in options()) {
        check(&value)?;
    }

    #[test]
    fn mutated_keyval_decodes_or_fails_cleanly(
        seed in prop::sample::select(keyval_seeds()),
        edits in vec(edit(keyval_char()), 0..6),
    ) {
        let text = mutate(&seed, &edits);
        match decode::from_cli::<BlockdevOptions>(&text, Some("driver")) {
            Ok(opts) => {
                let json = serde_json::to_value(&opts).expect("BlockdevOptions serializes");
                let again = decode::from_value::<BlockdevOptions>(&json);
                prop_assert_eq!(again.as_ref().ok(), Some(&opts), "round trip through {}", json);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// The recorded blockdev-add arguments, each checked the same way.
#[test]
fn recorded_arguments_decode_or_fail_alike() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/qsd-cases.json");
    let text = std::fs::read_to_string(path).expect("qsd-cases.json");
    let cases: Value = serde_json::from_str(&text).expect("qsd-cases.json is JSON");
    let mut n = 0;
    for case in cases["qmp"].as_array().expect("qmp cases") {
        if case["command"] == "blockdev-add" {
            check(&case["arguments"]).unwrap_or_else(|e| panic!("{}: {e}", case["name"]));
            n += 1;
        }
    }
    assert!(n > 50, "only {n} recorded blockdev-add cases");
}

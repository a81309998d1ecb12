//! The Rust backend: a snapshot of the bindings of a small schema that
//! uses every construct (the snapshot is compiled into this test, so it
//! must build without warnings), QMP input and output through it, and
//! QEMU's whole schema compiled as a crate.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test rust_bindings`
//! rewrites the snapshot.

#![deny(warnings)]

// The bindings are a library; these tests use only part of it.
// It is prettyplease's output, pinned as is.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "data/rust/all.rs"]
mod all;

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_codegen::rust::{generate, Options};
use qapi_parser::{Dialect, Schema};
use qapi_runtime::decode::Decode;
use serde_json::json;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rust")
}

/// Configuration of the snapshot: `CONFIG_GONE` is false, so its enum
/// value is left out; `CONFIG_LAYERED` is true.
fn snapshot_options() -> Options {
    Options {
        cfg: Some(vec!["CONFIG_LAYERED".into()]),
        ..Options::default()
    }
}

#[test]
fn snapshot_is_current() {
    let path = data_dir().join("all.json");
    let schema = Schema::from_file(&path.to_string_lossy(), &Dialect::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = generate(&schema, &snapshot_options(), "all.json").expect("generated code parses");
    let snapshot = data_dir().join("all.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &text).expect("cannot write the snapshot");
        return;
    }
    let old = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        old == text,
        "{} is stale; run UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test rust_bindings",
        snapshot.display()
    );
}

fn decode_err<T: Decode + std::fmt::Debug>(value: serde_json::Value) -> String {
    match T::from_value(&value) {
        Ok(v) => format!("decoded {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn wire_names_round_trip() {
    let input = json!({
        "driver": "type",
        "node-name": "top",
        "cache": {"no-flush": true},
        "child": {"driver": "file", "filename": "a.img"},
        "children": ["base", null]
    });
    let value = all::Options::from_value(&input).expect("decodes");
    assert_eq!(value.node_name.as_deref(), Some("top"));
    assert_eq!(value.branch.tag(), all::Driver::Type);
    let all::OptionsBranch::Type(layered) = &value.branch else {
        panic!("wrong branch: {value:?}");
    };
    assert!(matches!(&*layered.child, all::Ref::Definition(_)));
    assert_eq!(serde_json::to_value(&value).ok(), Some(input));
    assert_eq!("9p".parse(), Ok(all::Driver::V9p));
    assert_eq!(all::Driver::OrgQemuXVendor.as_str(), "__org.qemu_x-vendor");
}

#[test]
fn input_errors_are_qemus() {
    // The texts qemu-storage-daemon 10 answers to the same shapes of
    // input for blockdev-add (recorded by hand; see the commit message).
    let table = [
        (
            json!({"driver": "x"}),
            "Parameter 'driver' does not accept value 'x'",
        ),
        (
            json!({"driver": "gone"}),
            "Parameter 'driver' does not accept value 'gone'",
        ),
        (json!({"node-name": "a"}), "Parameter 'driver' is missing"),
        (
            json!({"driver": 1}),
            "Invalid parameter type for 'driver', expected: string",
        ),
        (
            json!({"driver": "file", "filename": "f", "foo": 1}),
            "Parameter 'foo' is unexpected",
        ),
        (
            json!({"driver": "file", "filename": "f", "cache": {"direct": "yes"}}),
            "Invalid parameter type for 'cache.direct', expected: boolean",
        ),
        (
            json!({"driver": "file", "filename": "f", "cache": {"direct": null}}),
            "Invalid parameter type for 'cache.direct', expected: boolean",
        ),
        (
            json!({"driver": "type", "child": 5}),
            "Invalid parameter type for 'child', expected: Ref",
        ),
        (
            json!({"driver": "type", "child": {"driver": "file"}}),
            "Parameter 'child.filename' is missing",
        ),
        (
            json!({"driver": "type", "child": "a", "children": ["x", 5]}),
            "Invalid parameter type for 'null', expected: Ref",
        ),
        (
            json!({"driver": "type", "child": {"driver": "file", "filename": "x", "bar": 1}}),
            "Parameter 'child.bar' is unexpected",
        ),
        (
            json!({"driver": "type", "child": "a", "children": "x"}),
            "Invalid parameter type for 'children', expected: array",
        ),
        (
            json!({"driver": "type", "child": "a", "children": [{"driver": "file"}]}),
            "Parameter 'children[0].filename' is missing",
        ),
        (
            json!({"driver": "file", "filename": "f", "cache": 5}),
            "Invalid parameter type for 'cache', expected: object",
        ),
        (
            json!({"driver": "type", "child": {"driver": "type", "child": 7}}),
            "Invalid parameter type for 'child', expected: Ref",
        ),
    ];
    for (input, want) in table {
        assert_eq!(decode_err::<all::Options>(input.clone()), want, "{input}");
    }
}

#[test]
fn integers_are_range_checked() {
    let base = json!({"type": "t", "self": 1, "i8": 0, "i16": 0, "i32": 0, "i64": 0,
        "u8": 0, "u16": 0, "u32": 0, "u64": 0, "sz": 0, "num": 1.5, "flag": true});
    let with = |key: &str, v: serde_json::Value| {
        let mut o = base.clone();
        o[key] = v;
        decode_err::<all::Scalars>(o)
    };
    assert!(with("i8", json!(127)).starts_with("decoded"));
    assert_eq!(with("i8", json!(128)), "Parameter 'i8' expects int8_t");
    assert_eq!(with("u8", json!(256)), "Parameter 'u8' expects uint8_t");
    assert_eq!(with("u64", json!("1")), "Parameter 'u64' expects uint64");
    assert_eq!(
        with("i64", json!(1.5)),
        "Invalid parameter type for 'i64', expected: integer"
    );
    assert_eq!(with("num", json!(1)), with("num", json!(1.0)));
    assert_eq!(
        with("flag", json!(1)),
        "Invalid parameter type for 'flag', expected: boolean"
    );
    assert_eq!(
        with("nothing", json!(0)),
        "Invalid parameter type for 'nothing', expected: null"
    );
    assert!(with("nothing", json!(null)).starts_with("decoded"));
}

/// Generates the bindings of `schema` as a crate and runs `cargo build`
/// and `cargo clippy -D warnings` on it.
fn bindings_build(schema: &Path, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bindings")
        .join(name);
    let schema_text = schema.to_string_lossy();
    let parsed =
        Schema::from_file(&schema_text, &Dialect::default()).unwrap_or_else(|e| panic!("{e}"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../qapi-runtime");
    qapi_codegen::rust::write_crate(&parsed, &Options::default(), &schema_text, &dir, &runtime)
        .unwrap_or_else(|e| panic!("{e}"));
    for args in [
        &["build", "-q"][..],
        &["clippy", "-q", "--", "-D", "warnings"],
    ] {
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("RUSTFLAGS")
            .status()
            .expect("cannot run cargo");
        assert!(
            status.success(),
            "cargo {args:?} in {} failed",
            dir.display()
        );
    }
}

#[test]
fn qemu_10_2_bindings_build_without_warnings() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qemu/10.2.0/qapi/qapi-schema.json");
    if !schema.exists() {
        eprintln!("skipped: {} is absent", schema.display());
        return;
    }
    bindings_build(&schema, "qemu-10.2");
}

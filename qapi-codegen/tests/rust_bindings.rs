//! The Rust backend: snapshots of the bindings of small schemas that use
//! every construct, of today's language and of QEMU 4.0's (the snapshots
//! are compiled into this test, so they must build without warnings),
//! QMP input and output through them, the small schema with its
//! conditions as cargo features built with and without them, and QEMU's
//! whole schemas (10.2, and the 4.0-era seed) compiled as crates.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test rust_bindings`
//! rewrites the snapshots.

#![deny(warnings)]

// The bindings are a library; these tests use only part of it.
// It is prettyplease's output, pinned as is.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "data/rust/all.rs"]
mod all;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "data/rust/legacy.rs"]
mod legacy;

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_codegen::release::parse_dialect;
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
        cfg: Some(vec!["CONFIG_LAYERED".into(), "CONFIG_POSIX".into()]),
        ..Options::default()
    }
}

/// Checks (or with UPDATE_SNAPSHOTS rewrites) the snapshot `rs` of the
/// bindings of `json` read under `dialect`.
fn check_snapshot(json: &str, rs: &str, dialect: &Dialect) {
    let path = data_dir().join(json);
    let schema =
        Schema::from_file(&path.to_string_lossy(), dialect).unwrap_or_else(|e| panic!("{e}"));
    let text = generate(&schema, &snapshot_options(), json).expect("generated code parses");
    let snapshot = data_dir().join(rs);
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

#[test]
fn snapshot_is_current() {
    check_snapshot("all.json", "all.rs", &Dialect::default());
}

#[test]
fn legacy_snapshot_is_current() {
    let dialect = parse_dialect("4.0").expect("4.0 is a release");
    check_snapshot("legacy.json", "legacy.rs", &dialect);
}

#[test]
fn simple_unions_wrap_their_branches() {
    let input = json!({"type": "inet", "data": {"host": "h", "port": "22"}});
    let value = legacy::Addr::from_value(&input).expect("decodes");
    let legacy::AddrBranch::Inet(wrapper) = &value.branch else {
        panic!("wrong branch: {value:?}");
    };
    assert_eq!(wrapper.data.host, "h");
    assert_eq!(serde_json::to_value(&value).ok(), Some(input));
    assert_eq!(
        decode_err::<legacy::Addr>(json!({"type": "path"})),
        "Parameter 'data' is missing"
    );
    assert_eq!(
        decode_err::<legacy::Addr>(json!({"type": "path", "data": 1})),
        "Invalid parameter type for 'data', expected: string"
    );
}

#[test]
fn all_optional_structs_have_a_default() {
    let cache = all::Cache {
        direct: Some(true),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&cache).ok(),
        Some(json!({"direct": true}))
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

/// Generates the bindings of `schema` (read under `dialect`) as a crate
/// and runs `cargo build` and `cargo clippy -D warnings` on it, once per
/// feature list of `features` (`None`: conditions decided at generation
/// time, every one true). Every crate shares one target folder, so that
/// the dependencies build once.
fn bindings_build(schema: &Path, name: &str, dialect: &str, features: Option<&[&str]>) {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bindings");
    let dir = tmp.join(name);
    let schema_text = schema.to_string_lossy();
    let dialect = parse_dialect(dialect).unwrap_or_else(|e| panic!("{e}"));
    let parsed = Schema::from_file(&schema_text, &dialect).unwrap_or_else(|e| panic!("{e}"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../qapi-runtime");
    let opts = Options {
        cfg_features: features.is_some(),
        ..Options::default()
    };
    qapi_codegen::rust::write_crate(&parsed, &opts, &schema_text, &dir, &runtime)
        .unwrap_or_else(|e| panic!("{e}"));
    for feature_list in features.unwrap_or(&[""]) {
        let features = ["--features", feature_list];
        let features = if feature_list.is_empty() {
            &[][..]
        } else {
            &features[..]
        };
        for args in [
            &["build", "-q"][..],
            &["clippy", "-q"],
            &["doc", "-q", "--no-deps"],
        ] {
            let lints: &[&str] = if args[0] == "clippy" {
                &["--", "-D", "warnings"]
            } else {
                &[]
            };
            let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
                .args(args)
                .args(features)
                .args(lints)
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", tmp.join("target"))
                .env("RUSTFLAGS", "-D warnings")
                .env("RUSTDOCFLAGS", "-D warnings")
                .status()
                .expect("cannot run cargo");
            assert!(
                status.success(),
                "cargo {args:?} {features:?} in {} failed",
                dir.display()
            );
        }
    }
}

fn shared_schema(path: &str) -> Option<PathBuf> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qemu")
        .join(path);
    if schema.exists() {
        Some(schema)
    } else {
        eprintln!("skipped: {} is absent", schema.display());
        None
    }
}

#[test]
fn qemu_bindings_build_without_warnings() {
    // One test, so that the crates build one after the other in the
    // shared target folder.
    if let Some(schema) = shared_schema("10.2.0/qapi/qapi-schema.json") {
        bindings_build(&schema, "qemu-10.2", "10.2", None);
    }
    if let Some(schema) = shared_schema("seed-1479c730/qapi/qapi-schema.json") {
        bindings_build(&schema, "qemu-seed", "4.0", None);
    }
    // Conditions as features, with none, some and all of them on.
    let schema = data_dir().join("all.json");
    let features: &[&str] = &[
        "",
        "CONFIG_LAYERED",
        "CONFIG_OTHER",
        "CONFIG_GONE,CONFIG_LAYERED",
    ];
    bindings_build(&schema, "all-features", "10.2", Some(features));
    let schema = data_dir().join("legacy.json");
    bindings_build(
        &schema,
        "legacy-features",
        "4.0",
        Some(&["", "CONFIG_POSIX"]),
    );
}

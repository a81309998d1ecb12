//! The bindings of the project's schema that qapi-runtime's benchmark
//! and tests compile (`qapi-runtime/benches/bindings/qapi_types.rs`) are
//! what the Rust backend generates now. They are checked in because
//! qapi-runtime must not depend on the code generator, not even to build
//! its benchmarks.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test runtime_bindings`
//! rewrites them.

use std::path::Path;

use qapi_codegen::rust::{generate, Options};
use qapi_parser::{Dialect, Schema};

#[test]
fn runtime_bindings_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema_path = root.join("schemas/qapi-schema.json");
    let schema = Schema::from_file(&schema_path.to_string_lossy(), &Dialect::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = generate(&schema, &Options::default(), "schemas/qapi-schema.json")
        .expect("generated code parses");
    let file = root.join("qapi-runtime/benches/bindings/qapi_types.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &text).expect("cannot write the bindings");
        return;
    }
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        old == text,
        "{} is stale; run UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test runtime_bindings",
        file.display()
    );
}

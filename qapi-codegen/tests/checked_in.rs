//! The checked-in bindings for `schemas/` (`generated/schemas/`) are what
//! `cargo xtask codegen` writes today; a schema or generator change that
//! forgets to regenerate them fails here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file directly in `dir`, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
    {
        let path = entry.expect("cannot read a folder entry").path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.insert(name, text);
        }
    }
    out
}

#[test]
fn checked_in_bindings_are_current() {
    let fresh = std::env::temp_dir().join(format!("qapi-checked-in-{}", std::process::id()));
    let _ = fs::remove_dir_all(&fresh);
    // Run from the workspace root with the same relative schema path as
    // `cargo xtask codegen`, so that the generated header is the same.
    let out = Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .current_dir(workspace())
        .args(["rust", "schemas/qapi-schema.json", "-o"])
        .arg(&fresh)
        .output()
        .expect("cannot run qapi-gen");
    assert!(
        out.status.success(),
        "qapi-gen rust failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = files(&fresh);
    let have = files(&workspace().join("generated/schemas"));
    let _ = fs::remove_dir_all(&fresh);
    let names: std::collections::BTreeSet<&String> = want.keys().chain(have.keys()).collect();
    let stale: Vec<&&String> = names
        .iter()
        .filter(|name| want.get(**name) != have.get(**name))
        .collect();
    assert!(
        stale.is_empty(),
        "generated/schemas/ is stale ({stale:?} differ): run `cargo xtask codegen`"
    );
}

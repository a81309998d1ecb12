//! Checks the schema (`../schemas`, or the file named by `QAPI_SCHEMA`)
//! and generates the daemon's bindings from it into `OUT_DIR`: the types
//! (`qapi_types.rs`, with the command handler trait, its dispatcher and
//! the value `query-qmp-schema` returns) and the command and enumeration
//! lists (`qapi_meta.rs`). A schema error fails the build with QEMU's
//! message.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qapi_parser::{Dialect, Schema};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    println!("cargo:rerun-if-env-changed=QAPI_SCHEMA");
    println!("cargo::rustc-check-cfg=cfg(own_schema)");
    let top = match std::env::var("QAPI_SCHEMA") {
        Ok(path) if !path.is_empty() => {
            // Relative to the workspace root, where `cargo test` is run.
            let path = PathBuf::from(path);
            if path.is_absolute() {
                path
            } else {
                manifest.join("..").join(path)
            }
        }
        _ => {
            // Commands only the project's schema has are tested with it.
            println!("cargo::rustc-cfg=own_schema");
            manifest.join("..").join("schemas").join("qapi-schema.json")
        }
    };
    let dir = top
        .parent()
        .ok_or_else(|| format!("{} has no folder", top.display()))?;
    watch(dir)?;

    let top_text = top.to_string_lossy();
    let dialect = match release_of(&top_text) {
        Some(release) => Dialect::for_release(release),
        None => Dialect::default(),
    };
    let schema = Schema::from_file(&top_text, &dialect).map_err(|e| e.to_string())?;
    let out = PathBuf::from(env_var("OUT_DIR")?);
    qapi_codegen::rust::write_bindings(
        &schema,
        &qapi_codegen::rust::Options::default(),
        "schemas/qapi-schema.json",
        &out,
    )?;
    // `include!` takes items only: the file's inner attributes move to
    // the module that includes it (src/main.rs).
    let types = fs::read_to_string(out.join(qapi_codegen::rust::TYPES_FILE))
        .map_err(|e| format!("cannot read the bindings: {e}"))?;
    write_if_changed(
        &out.join("qapi_types_items.rs"),
        &strip_inner_attributes(&types),
    )?;
    let code = qapi_codegen::demo::generate(&schema, "schemas/qapi-schema.json")
        .map_err(|e| format!("generated code does not parse: {e}"))?;
    write_if_changed(&out.join("qapi_meta.rs"), &code)
}

/// The QEMU release of a schema under `.../qemu/MAJOR.MINOR.MICRO/`, whose
/// language rules it follows; `QAPI_DIALECT=MAJOR.MINOR` overrides.
fn release_of(path: &str) -> Option<(u32, u32)> {
    println!("cargo:rerun-if-env-changed=QAPI_DIALECT");
    let parse = |text: &str| {
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some((major, minor))
    };
    if let Ok(d) = std::env::var("QAPI_DIALECT") {
        return parse(&d);
    }
    let rest = &path[path.find("/qemu/")? + "/qemu/".len()..];
    parse(rest.split('/').next()?)
}

/// Drops `#![...]` attributes (which may span lines) from generated code.
fn strip_inner_attributes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut skipping = false;
    for line in text.lines() {
        if !skipping && line.starts_with("#![") {
            skipping = true;
            depth = 0;
        }
        if skipping {
            depth += line.matches('[').count();
            depth = depth.saturating_sub(line.matches(']').count());
            if depth == 0 {
                skipping = false;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Rebuilds when any schema file changes, or a file is added or removed.
fn watch(dir: &Path) -> Result<(), String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Ok(())
}

/// Leaves the file alone when its text is unchanged, so nothing that
/// depends on it rebuilds.
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set (run through cargo)"))
}

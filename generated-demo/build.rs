//! Checks the project's schema (`../schemas`) and generates the daemon's
//! bindings from it into `OUT_DIR`. A schema error fails the build with
//! QEMU's message.

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
    let schemas = manifest.join("..").join("schemas");
    watch(&schemas)?;

    let top = schemas.join("qapi-schema.json");
    let top = top.to_string_lossy();
    let schema = Schema::from_file(&top, &Dialect::default()).map_err(|e| e.to_string())?;
    let code = qapi_codegen::demo::generate(&schema, "schemas/qapi-schema.json")
        .map_err(|e| format!("generated code does not parse: {e}"))?;

    let out = PathBuf::from(env_var("OUT_DIR")?).join("qapi.rs");
    write_if_changed(&out, &code)
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

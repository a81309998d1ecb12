//! Generates the bindings this crate checks into `OUT_DIR`: QEMU 10.2's
//! full schema with every condition true (`qemu_10_2`), and QEMU 10.0's
//! storage-daemon schema under the configuration of Debian's
//! qemu-storage-daemon 10.0.2 (`qsd_10_0`), so its types are exactly the
//! installed daemon's.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qapi_codegen::rust::{write_bindings, Options, TYPES_FILE};
use qapi_parser::{Dialect, Schema};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env_var("OUT_DIR")?);
    let qemu = manifest.join("../../shared/qemu");
    println!("cargo:rerun-if-changed={}", qemu.display());
    if !qemu.is_dir() {
        return Err(format!(
            "{} is missing: the conformance bindings are generated from QEMU's schemas \
             in the read-only ground-truth folder ../shared next to the workspace",
            qemu.display()
        ));
    }

    let full = qemu.join("10.2.0/qapi");
    watch(&full);
    generate(
        &full.join("qapi-schema.json"),
        &Dialect::for_release((10, 2)),
        Options {
            cfg: None,
            unformatted: false,
            ..Options::default()
        },
        &out,
        "qemu_10_2",
    )?;

    let qsd = qemu.join("10.0.0");
    for dir in ["storage-daemon/qapi", "qapi"] {
        watch(&qsd.join(dir));
    }
    let cfg_file = qsd.join("qsd-debian-10.0.2.cfg");
    watch(&cfg_file);
    let cfg = read(&cfg_file)?;
    let symbols = cfg
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    generate(
        &qsd.join("storage-daemon/qapi/qapi-schema.json"),
        &Dialect::for_release((10, 0)),
        Options {
            cfg: Some(symbols),
            unformatted: false,
            ..Options::default()
        },
        &out,
        "qsd_10_0",
    )
}

/// Writes `OUT_DIR/NAME/qapi_types.rs` (formatted: clippy's formatting
/// lints misread the unformatted text) and `OUT_DIR/NAME.rs`, the file
/// `src/lib.rs` includes. The bindings begin with inner attributes, which
/// `include!` rejects, so the included file declares them as a module by
/// absolute path instead.
fn generate(
    schema_file: &Path,
    dialect: &Dialect,
    opts: Options,
    out: &Path,
    name: &str,
) -> Result<(), String> {
    let source = schema_file.to_string_lossy();
    let schema = Schema::from_file(&source, dialect).map_err(|e| e.to_string())?;
    let dir = out.join(name);
    write_bindings(&schema, &opts, &source, &dir)?;
    let types = dir.join(TYPES_FILE);
    let types = types
        .to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", types.display()))?;
    let wrapper = quote::quote! {
        #[path = #types]
        mod qapi_types;
        pub use qapi_types::*;
    };
    write_if_changed(&out.join(format!("{name}.rs")), &wrapper.to_string())
}

/// Rebuilds when anything under `path` changes (cargo scans folders).
fn watch(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
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

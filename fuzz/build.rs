//! Generates QEMU 10.0's storage-daemon bindings (under the configuration
//! of Debian's qemu-storage-daemon 10.0.2) into `OUT_DIR`, for the targets
//! that decode `BlockdevOptions`.

use std::fs;
use std::path::PathBuf;
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
    let qsd = manifest.join("../../shared/qemu/10.0.0");
    println!("cargo:rerun-if-changed={}", qsd.display());
    let cfg_file = qsd.join("qsd-debian-10.0.2.cfg");
    let cfg = fs::read_to_string(&cfg_file)
        .map_err(|e| format!("cannot read {}: {e}", cfg_file.display()))?;
    let symbols = cfg
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let schema_file = qsd.join("storage-daemon/qapi/qapi-schema.json");
    let source = schema_file.to_string_lossy();
    let schema =
        Schema::from_file(&source, &Dialect::for_release((10, 0))).map_err(|e| e.to_string())?;
    let dir = out.join("qsd_10_0");
    // Unformatted: nobody reads this copy, and formatting takes time.
    let opts = Options {
        cfg: Some(symbols),
        unformatted: true,
        ..Options::default()
    };
    write_bindings(&schema, &opts, &source, &dir)?;
    let types = dir.join(TYPES_FILE);
    let types = types
        .to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", types.display()))?;
    // The bindings begin with inner attributes, which `include!` rejects:
    // the included file declares them as a module by path instead.
    let wrapper = quote::quote! {
        #[path = #types]
        mod qapi_types;
        pub use qapi_types::*;
    };
    let file = out.join("qsd_10_0.rs");
    let text = wrapper.to_string();
    if fs::read_to_string(&file).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set (run through cargo)"))
}

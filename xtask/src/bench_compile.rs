//! `cargo xtask bench --compile`: the debug compile time of our bindings
//! crate for QEMU 10.0's schema beside a rebuild of the crates.io crate
//! qapi-qmp 0.15 (QEMU 10.0 bindings, client types only), in one run.
//!
//! Each crate is built once so that its dependencies are compiled, then
//! only the bindings crate itself is cleaned and rebuilt, and timed. Both
//! are built without incremental compilation, as cargo builds any
//! dependency: qapi-qmp is one, and our crate, the root of its own
//! workspace here, would otherwise pay for incremental bookkeeping that a
//! crate used as a dependency never does.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cargo::{build_qapi_gen, run_status, shared_dir, workspace_root};
use crate::Failed;

const QAPI_QMP: &str = "=0.15";

pub fn run() -> Result<(), Failed> {
    let root = workspace_root().join("target").join("bench-compile");
    let schema = shared_dir().join("qemu/10.0.0/qapi/qapi-schema.json");

    let ours = root.join("ours");
    let mut gen = Command::new(build_qapi_gen()?);
    gen.args(["--dialect", "10.0", "rust"])
        .arg(&schema)
        .arg("-o")
        .arg(&ours)
        .arg("--crate")
        .arg("--runtime")
        .arg(workspace_root().join("qapi-runtime"));
    run_status(gen)?;

    let theirs = root.join("qapi-qmp");
    std::fs::create_dir_all(theirs.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"qapi-qmp-rebuild\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nqapi-qmp = \"{QAPI_QMP}\"\n\n[workspace]\n"
    );
    std::fs::write(theirs.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(theirs.join("src/lib.rs"), "pub use qapi_qmp;\n").map_err(|e| e.to_string())?;

    let ours_time = rebuild(&ours, "qapi-bindings")?;
    let theirs_time = rebuild(&theirs, "qapi-qmp")?;
    println!(
        "debug build of the QEMU 10.0 bindings: ours {:.1} s, qapi-qmp {QAPI_QMP} {:.1} s ({:.2}x its time)",
        ours_time.as_secs_f64(),
        theirs_time.as_secs_f64(),
        ours_time.as_secs_f64() / theirs_time.as_secs_f64()
    );
    Ok(())
}

/// Builds the crate at `dir` (its dependencies once), then cleans the
/// package `package` and times its rebuild.
fn rebuild(dir: &Path, package: &str) -> Result<Duration, Failed> {
    let cargo = || {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .stdout(Stdio::null());
        cmd
    };
    let mut warm = cargo();
    warm.args(["build", "-q"]);
    run_status(warm)?;
    let mut clean = cargo();
    clean.args(["clean", "-q", "-p", package]);
    run_status(clean)?;
    let mut build = cargo();
    build.args(["build", "-q"]);
    let start = Instant::now();
    run_status(build)?;
    Ok(start.elapsed())
}

//! `cargo xtask bindings SCHEMA --out DIR`: a standalone crate of Rust
//! bindings, written by `qapi-gen rust --crate`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::cargo::{build_qapi_gen, run_status, workspace_root};
use crate::Failed;

pub fn run(
    schema: &Path,
    out: &Path,
    dialect: Option<&str>,
    check: bool,
    cfg_features: bool,
) -> Result<(), Failed> {
    let exe = build_qapi_gen()?;
    let mut gen = Command::new(exe);
    gen.arg("rust")
        .arg(schema)
        .arg("-o")
        .arg(out)
        .arg("--crate");
    gen.arg("--runtime")
        .arg(workspace_root().join("qapi-runtime"));
    if let Some(d) = dialect {
        gen.args(["--dialect", d]);
    }
    if cfg_features {
        gen.arg("--cfg-features");
    }
    let start = Instant::now();
    run_status(gen)?;
    eprintln!("generated {} in {:.2?}", out.display(), start.elapsed());
    if check {
        for args in [&["build"][..], &["clippy", "--", "-D", "warnings"]] {
            let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            cmd.args(args).current_dir(out);
            let start = Instant::now();
            run_status(cmd)?;
            eprintln!("cargo {} took {:.2?}", args[0], start.elapsed());
        }
    }
    Ok(())
}

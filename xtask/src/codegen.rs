//! `cargo xtask codegen`: regenerates the checked-in copy of the bindings
//! for `schemas/` (in `generated/schemas/`), which reviewers read to see
//! what a schema change does to the Rust API. A test in qapi-codegen
//! (`tests/checked_in.rs`) fails when the copy is stale.

use std::process::Command;

use crate::cargo::{build_qapi_gen, run_status, workspace_root};
use crate::Failed;

/// The schema the checked-in bindings are generated from, and where they
/// go, both relative to the workspace root (the generated header names
/// the schema by this path).
const SCHEMA: &str = "schemas/qapi-schema.json";
const OUT_DIR: &str = "generated/schemas";

pub fn run() -> Result<(), Failed> {
    let exe = build_qapi_gen()?;
    let mut gen = Command::new(exe);
    gen.current_dir(workspace_root())
        .args(["rust", SCHEMA, "-o", OUT_DIR]);
    run_status(gen)?;
    eprintln!("{OUT_DIR}/ is current");
    Ok(())
}

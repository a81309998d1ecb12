//! Where the workspace is, and running cargo inside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Failed;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    // xtask sits one level below the root.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The `shared/` folder beside the workspace checkout.
pub fn shared_dir() -> PathBuf {
    workspace_root().join("..").join("shared")
}

/// The cargo that runs this task, so that the toolchain stays the same.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace_root());
    cmd
}

/// Runs `cmd`, failing unless it exits with status 0.
pub fn run_status(mut cmd: Command) -> Result<(), Failed> {
    let what = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})").into())
    }
}

/// Builds the release `qapi-gen` and returns its path.
pub fn build_qapi_gen() -> Result<PathBuf, Failed> {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--release",
        "--package",
        "qapi-codegen",
        "--bin",
        "qapi-gen",
        "--message-format=json-render-diagnostics",
    ])
    .stdout(Stdio::piped());
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !output.status.success() {
        return Err(format!("building qapi-gen failed ({})", output.status).into());
    }
    // The executable's path comes from cargo's own report, so a changed
    // target folder (CARGO_TARGET_DIR, .cargo/config.toml) is followed.
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "qapi-gen")
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| {
            Failed::from("cargo build did not report the qapi-gen executable".to_string())
        })
}

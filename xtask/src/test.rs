//! `cargo xtask test`: the one command that runs every test.

use std::env;
use std::path::Path;
use std::process::Command;

use crate::cargo::{cargo, run_status};
use crate::{conformance, Failed};

/// Programs the tests compare against, and the Debian package that has
/// them.
const QEMU_PROGRAMS: &[&str] = &["qemu-img", "qemu-storage-daemon"];
const QEMU_PACKAGE: &str = "qemu-utils";

pub fn run() -> Result<(), Failed> {
    ensure_qemu_utils()?;

    // Both suites run even when the first fails, so one run reports
    // everything that is broken.
    let unit = run_status({
        let mut cmd = cargo();
        cmd.args(["test", "--workspace", "--no-fail-fast"]);
        cmd
    });
    let golden = conformance::run(None, &[]);
    match (unit, golden) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(_), _) => Err("cargo test --workspace failed".to_string().into()),
        (Ok(()), Err(e)) => Err(e),
    }
}

fn ensure_qemu_utils() -> Result<(), Failed> {
    let missing: Vec<&str> = QEMU_PROGRAMS
        .iter()
        .copied()
        .filter(|p| !on_path(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "{} not found: install the Debian package {QEMU_PACKAGE} \
             (sudo apt-get install {QEMU_PACKAGE})",
            missing.join(" and ")
        )
        .into());
    }
    eprintln!(
        "xtask: installing {QEMU_PACKAGE} for {}",
        missing.join(" and ")
    );
    let apt = |args: &[&str]| {
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_status(apt(&["update"]))?;
    run_status(apt(&["install", "-y", QEMU_PACKAGE]))?;
    match QEMU_PROGRAMS.iter().find(|p| !on_path(p)) {
        None => Ok(()),
        Some(p) => Err(format!("{p} still missing after installing {QEMU_PACKAGE}").into()),
    }
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH")
        .map(|paths| env::split_paths(&paths).any(|dir| is_executable(&dir.join(program))))
        .unwrap_or(false)
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

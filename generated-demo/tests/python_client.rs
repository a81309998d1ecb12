//! A real client: the Python package qemu.qmp (installed from PyPI into
//! a virtual environment under the target folder the first time) drives
//! the daemon through negotiation, blockdev-add, x-blockdev-reopen,
//! blockdev-reopen and query-named-block-nodes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEMO: &str = env!("CARGO_BIN_EXE_generated-demo");

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A Python with qemu.qmp importable.
fn python_with_qemu_qmp() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qmp-venv");
    let python = venv.join("bin/python");
    let ready = Command::new(&python)
        .args(["-c", "import qemu.qmp"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv));
        run(Command::new(&python).args(["-m", "pip", "install", "-q", "qemu.qmp"]));
    }
    python
}

#[test]
fn qemu_qmp_drives_the_daemon() {
    let python = python_with_qemu_qmp();
    let dir = std::env::temp_dir().join(format!("demo-pyqmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for args in [
        &["create", "-q", "-f", "qcow2", "base.qcow2", "1M"][..],
        &[
            "create",
            "-q",
            "-f",
            "qcow2",
            "-b",
            "base.qcow2",
            "-F",
            "qcow2",
            "top.qcow2",
        ],
        &["create", "-q", "-f", "qcow2", "other.qcow2", "1M"],
    ] {
        run(Command::new("qemu-img").args(args).current_dir(&dir));
    }
    let sock = dir.join("qmp.sock");
    let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
    let mut daemon = Command::new(DEMO)
        .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !sock.exists() {
        assert!(start.elapsed() < Duration::from_secs(20), "no socket");
        std::thread::sleep(Duration::from_millis(10));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/qmp_client.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&sock)
        .arg(&dir)
        .args(cfg!(own_schema).then_some("own-schema"))
        .output()
        .unwrap();
    if !out.status.success() {
        // The script did not reach `quit`: stop the daemon, then report.
        let _ = daemon.kill();
    }
    let status = daemon.wait().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    assert!(status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

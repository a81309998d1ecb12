//! `qapi-gen dump` accepts QEMU's own schemas, the largest real inputs:
//! the full QMP schema, the storage daemon's and the guest agent's.

use std::path::{Path, PathBuf};
use std::process::Command;

fn release_dir(release: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qemu")
        .join(release)
}

fn dumps_cleanly(release: &str, schema: &str) {
    let path = release_dir(release).join(schema);
    let out = Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .arg("dump")
        .arg(&path)
        .output()
        .expect("cannot run qapi-gen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "qapi-gen dump {}: {}\n{stderr}",
        path.display(),
        out.status
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("module ./builtin\n"),
        "qapi-gen dump {}: unexpected output",
        path.display()
    );
}

#[test]
fn qemu_10_2_qmp_schema() {
    dumps_cleanly("10.2.0", "qapi/qapi-schema.json");
}

#[test]
fn qemu_10_2_storage_daemon_schema() {
    dumps_cleanly("10.2.0", "storage-daemon/qapi/qapi-schema.json");
}

#[test]
fn qemu_10_2_guest_agent_schema() {
    dumps_cleanly("10.2.0", "qga/qapi-schema.json");
}

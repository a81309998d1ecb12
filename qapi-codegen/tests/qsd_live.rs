//! The real qemu-storage-daemon (Debian's qemu-utils, QEMU 10.0) answers
//! `query-qmp-schema` with exactly what `qapi-gen introspect` computes for
//! QEMU 10.0's storage-daemon schema under that build's configuration:
//! masked numbers, conditional entries and list elements left out.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu/10.0.0")
}

/// Kills the daemon however the test ends.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn read_json(reader: &mut impl BufRead) -> Value {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("cannot read from the QMP socket");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

/// Sends a command and returns its reply, skipping events.
fn execute(stream: &mut UnixStream, reader: &mut impl BufRead, command: &str) -> Value {
    writeln!(stream, "{{\"execute\": \"{command}\"}}").expect("cannot write to the QMP socket");
    loop {
        let reply = read_json(reader);
        if reply.get("event").is_none() {
            return reply;
        }
    }
}

/// The daemon's `query-qmp-schema` reply. qemu-storage-daemon 10.0 can
/// leave a client that connects while it starts unanswered: a daemon
/// that does not greet in time is stopped and started again.
fn live_schema() -> Value {
    for attempt in 0..3 {
        if let Some(schema) = live_schema_once(attempt) {
            return schema;
        }
    }
    panic!("qemu-storage-daemon never greeted");
}

fn live_schema_once(attempt: u32) -> Option<Value> {
    let dir = std::env::temp_dir().join(format!("qapi-qsd-live-{}-{attempt}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cannot create a scratch folder");
    let sock = dir.join("qmp.sock");
    let child = Command::new("qemu-storage-daemon")
        .arg("--chardev")
        .arg(format!(
            "socket,path={},server=on,wait=off,id=m",
            sock.display()
        ))
        .args(["--monitor", "chardev=m"])
        .stdin(Stdio::null())
        .spawn()
        .expect(
            "cannot start qemu-storage-daemon: install the Debian package qemu-utils \
             (`cargo xtask test` does it)",
        );
    let _daemon = Daemon(child);
    let start = Instant::now();
    let mut stream = loop {
        match UnixStream::connect(&sock) {
            Ok(s) => break s,
            Err(e) if start.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("qemu-storage-daemon did not open {}: {e}", sock.display()),
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("cannot set a timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("cannot clone the socket"));
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            let _ = std::fs::remove_dir_all(&dir);
            return None;
        }
        read => {
            read.expect("cannot read from the QMP socket");
        }
    }
    let greeting: Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    assert!(greeting.get("QMP").is_some(), "no QMP greeting: {greeting}");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("cannot set a timeout");
    let caps = execute(&mut stream, &mut reader, "qmp_capabilities");
    assert_eq!(caps, serde_json::json!({"return": {}}));
    let reply = execute(&mut stream, &mut reader, "query-qmp-schema");
    let _ = std::fs::remove_dir_all(&dir);
    let schema = reply
        .get("return")
        .cloned()
        .unwrap_or_else(|| panic!("query-qmp-schema failed: {reply}"));
    Some(schema)
}

fn computed_schema() -> Value {
    let cfg = std::fs::read_to_string(shared().join("qsd-debian-10.0.2.cfg"))
        .expect("../shared/qemu/10.0.0/qsd-debian-10.0.2.cfg is missing");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qapi-gen"));
    cmd.current_dir(shared().join("storage-daemon/qapi")).args([
        "introspect",
        "--dialect",
        "10.0",
        "qapi-schema.json",
    ]);
    for sym in cfg.lines().map(str::trim) {
        if !sym.is_empty() && !sym.starts_with('#') {
            cmd.args(["--cfg", sym]);
        }
    }
    let out = cmd.output().expect("cannot run qapi-gen");
    assert!(
        out.status.success(),
        "qapi-gen introspect failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("qapi-gen introspect printed invalid JSON")
}

#[test]
fn query_qmp_schema_matches_qemu_storage_daemon() {
    if !shared().is_dir() {
        eprintln!("../shared is absent: skipped");
        return;
    }
    let live = live_schema();
    let ours = computed_schema();
    let (Some(live), Some(ours)) = (live.as_array(), ours.as_array()) else {
        panic!("query-qmp-schema is not an array");
    };
    // Objects compare as maps (QEMU sends keys in hash order), lists in order.
    if let Some(i) = (0..live.len().min(ours.len())).find(|&i| live[i] != ours[i]) {
        panic!(
            "entry {i} differs:\n  qemu-storage-daemon: {}\n  qapi-gen:            {}",
            live[i], ours[i]
        );
    }
    assert_eq!(live.len(), ours.len(), "different number of entries");
}

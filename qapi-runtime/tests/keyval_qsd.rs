//! `--blockdev` arguments decoded as qemu-storage-daemon 10.0 decodes
//! them, against its own error texts, recorded from the installed binary
//! (`qemu-storage-daemon --blockdev ARG` prints
//! `qemu-storage-daemon: --blockdev ARG: TEXT` and exits). When the binary
//! is installed, the recordings are checked against it too.
//!
//! The type is `BlockdevOptions` of the project's own schema, generated
//! and checked in under `generated/schemas/`; it mirrors QEMU's
//! for the drivers `file`, `null-co`, `qcow2` and `raw`.

// A library's public API is exempt from clippy's naming lints; included
// as a private module here, the bindings are not. The schema has no
// events, and its empty event set leaves parameters unused.
#[allow(dead_code, unused_variables, clippy::enum_variant_names)]
#[rustfmt::skip]
#[path = "../../generated/schemas/qapi_types.rs"]
mod qapi;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qapi_runtime::decode::from_cli;

/// What decoding gives for an argument QSD refuses.
enum Ours {
    /// QSD's text: the argument fails to parse or decode.
    Same,
    /// QSD decodes the argument and fails later (opening the node), so
    /// decoding succeeds here.
    Decodes,
}

use Ours::{Decodes, Same};

/// (argument, QSD's text, what decoding gives here).
const TABLE: &[(&str, &str, Ours)] = &[
    ("", "Parameter 'driver' is missing", Same),
    ("x", "Parameter 'driver' does not accept value 'x'", Same),
    ("driver=file", "Parameter 'filename' is missing", Same),
    ("driver=null-co,size=abc", "Parameter 'size' expects integer", Same),
    ("driver=null-co,size=1k", "Parameter 'size' expects integer", Same),
    (
        "driver=null-co,node-name=n,read-only=maybe",
        "Parameter 'read-only' expects 'on' or 'off'",
        Same,
    ),
    ("a.b=1,a=2", "Parameters 'a.*' used inconsistently", Same),
    ("driver=null-co,1=x", "Invalid parameter '1'", Same),
    ("help", "Help is not available for this option", Same),
    ("driver=null-co,a.1=x", "Parameter 'a.0' missing", Same),
    ("driver=null-co,b.1=x,a.1=y", "Parameter 'a.0' missing", Same),
    ("driver=null-co,foo", "Expected '=' after parameter 'foo'", Same),
    (
        "driver=qcow2,file.driver=bogus",
        "Parameter 'driver' does not accept value 'bogus'",
        Same,
    ),
    (
        "driver=qcow2,file.driver=file",
        "Parameter 'file.filename' is missing",
        Same,
    ),
    (
        "driver=null-co,cache.direct=on,cache.x=1",
        "Parameter 'cache.x' is unexpected",
        Same,
    ),
    (
        "driver=null-co,size.a=1",
        "Parameters 'size.*' are unexpected",
        Same,
    ),
    (
        "driver=null-co,node-name=n,cache=x",
        "Invalid parameter type for 'cache', expected: object",
        Same,
    ),
    (
        "driver=file,filename=/f,aio=bogus",
        "Parameter 'aio' does not accept value 'bogus'",
        Same,
    ),
    (
        "driver=raw,file.driver=null-co,file.size=abc",
        "Parameter 'file.size' expects integer",
        Same,
    ),
    (
        "driver=null-co,latency-ns=1x",
        "Parameter 'latency-ns' expects integer",
        Same,
    ),
    (
        "driver=null-co,latency-ns=-18446744073709551616",
        "Parameter 'latency-ns' expects integer",
        Same,
    ),
    (
        "driver=qcow2,file=f,backing.driver=raw",
        "Parameter 'backing.file' is missing",
        Same,
    ),
    (
        "driver=null-co,cache.direct.x=1",
        "Parameters 'cache.direct.*' are unexpected",
        Same,
    ),
    ("driver=null-co,=1", "Invalid parameter ''", Same),
    (
        "driver=null-co,a.0=x,a.b=y",
        "Parameters 'a.*' used inconsistently",
        Same,
    ),
    ("driver=null-co,foo=1", "Parameter 'foo' is unexpected", Same),
    (
        "driver=qcow2,file=f,cache-size=1M",
        "Parameter 'cache-size' expects integer",
        Same,
    ),
    (
        "driver=qcow2,file.driver=raw,file.file.driver=file",
        "Parameter 'file.file.filename' is missing",
        Same,
    ),
    (
        "driver=file,filename=f,locking=maybe",
        "Parameter 'locking' does not accept value 'maybe'",
        Same,
    ),
    (
        "driver=null-co,node-name=n,discard=x",
        "Parameter 'discard' does not accept value 'x'",
        Same,
    ),
    (
        "driver=raw,file=f,offset=0x",
        "Parameter 'offset' expects integer",
        Same,
    ),
    (
        "driver=null-co,active=yes,detect-zeroes=bogus",
        "Parameter 'detect-zeroes' does not accept value 'bogus'",
        Same,
    ),
    (
        "driver=qcow2,file=f,data-file.driver=file",
        "Parameter 'data-file.filename' is missing",
        Same,
    ),
    (
        "driver=raw,file=f,size=99999999999999999999",
        "Parameter 'size' expects integer",
        Same,
    ),
    (
        "driver=null-co,,node-name=a",
        "Parameter 'driver' does not accept value 'null-co,node-name=a'",
        Same,
    ),
    (
        "driver=qcow2,file.driver=null-co,backing.driver=null-co,backing.bogus=1",
        "Parameter 'backing.bogus' is unexpected",
        Same,
    ),
    (
        "driver=raw,file.0=x",
        "Invalid parameter type for 'file', expected: BlockdevRef",
        Same,
    ),
    (
        "driver=raw,file.driver=file,file.filename=x,file.aio-max-batch=1.5",
        "Parameter 'file.aio-max-batch' expects integer",
        Same,
    ),
    (
        r#"{"driver": "null-co", "size": "1"}"#,
        "Invalid parameter type for 'size', expected: integer",
        Same,
    ),
    (
        r#"{"driver": "null-co", "size": 1, "size": 2}"#,
        "JSON parse error, duplicate key",
        Same,
    ),
    (
        r#"{"driver": "null-co", "foo": 1}"#,
        "Parameter 'foo' is unexpected",
        Same,
    ),
    (
        r#"{"driver": "qcow2", "file": {"driver": "raw", "file": 5}}"#,
        "Invalid parameter type for 'file', expected: BlockdevRef",
        Same,
    ),
    (
        r#"{"driver": "qcow2", "file": "f", "backing": 1}"#,
        "Invalid parameter type for 'backing', expected: BlockdevRefOrNull",
        Same,
    ),
    (
        "null-co",
        "'node-name' must be specified for the root node",
        Decodes,
    ),
    (
        "null-co,node-name=n,size=0x10,read-only=on,latency-ns=-1",
        "latency-ns is invalid",
        Decodes,
    ),
    (
        "driver=qcow2,file=f,backing=",
        "'node-name' must be specified for the root node",
        Decodes,
    ),
    (
        "driver=qcow2,file.driver=file,file.filename=a,,b.img,node-name=x",
        "Could not open 'a,b.img': No such file or directory",
        Decodes,
    ),
    (
        "driver=raw,file=f,offset= 010",
        "'node-name' must be specified for the root node",
        Decodes,
    ),
    (
        "driver=null-co,node-name=n,cache.direct=on,cache.no-flush=off,force-share=y,auto-read-only=n",
        "force-share=on can only be used with read-only images",
        Decodes,
    ),
    (
        "driver=null-co,node-name=a,,b",
        "Invalid node-name: 'a,b'",
        Decodes,
    ),
];

fn decode(arg: &str) -> Result<qapi::BlockdevOptions, String> {
    from_cli(arg, Some("driver")).map_err(|e| e.to_string())
}

#[test]
fn blockdev_arguments_decode_as_qsd_decodes_them() {
    assert!(TABLE.len() >= 15);
    for (arg, text, ours) in TABLE {
        match (ours, decode(arg)) {
            (Same, Err(e)) => assert_eq!(&e, text, "--blockdev {arg}"),
            (Decodes, Ok(_)) => {}
            (_, got) => panic!("--blockdev {arg}: QSD says {text:?}, we give {got:?}"),
        }
    }
}

#[test]
fn decoded_values_hold_the_arguments() {
    let v = decode("qcow2,node-name=n,file.driver=file,file.filename=a,,b.img,cache.direct=on,backing=,l2-cache-size=0x100")
        .expect("decodes");
    assert_eq!(v.node_name.as_deref(), Some("n"));
    assert_eq!(v.cache.and_then(|c| c.direct), Some(true));
    let qapi::BlockdevOptionsBranch::Qcow2(q) = v.branch else {
        panic!("not qcow2");
    };
    assert_eq!(q.l2_cache_size, Some(256));
    assert!(
        matches!(q.backing.as_deref(), Some(qapi::BlockdevRefOrNull::Reference(s)) if s.is_empty())
    );
    let qapi::BlockdevRef::Definition(file) = *q.file else {
        panic!("file is not a definition");
    };
    let qapi::BlockdevOptionsBranch::File(f) = file.branch else {
        panic!("file is not a file node");
    };
    assert_eq!(f.filename, "a,b.img");
}

/// QSD's first line on stderr for `--blockdev ARG`, without its prefix;
/// `None` if the daemon is not installed.
fn qsd_says(arg: &str) -> Option<String> {
    let mut child = Command::new("qemu-storage-daemon")
        .arg("--blockdev")
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    // Every argument in the table makes the daemon exit at once; one that
    // did not would leave it serving, so it is stopped after a while.
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("qemu-storage-daemon --blockdev {arg} did not exit");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().next().unwrap_or_default();
    let prefix = format!("qemu-storage-daemon: --blockdev {arg}: ");
    Some(line.strip_prefix(&prefix).unwrap_or(line).to_owned())
}

#[test]
fn recordings_are_what_the_installed_qsd_says() {
    if qsd_says("").is_none() {
        eprintln!("skipped: qemu-storage-daemon is not installed");
        return;
    }
    for (arg, text, _) in TABLE {
        assert_eq!(qsd_says(arg).as_deref(), Some(*text), "--blockdev {arg}");
    }
}

//! What the client tests share: a qemu-storage-daemon on a scratch
//! socket, and hand-written commands and events (runtime tests cannot use
//! generated bindings).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use qapi_runtime::decode::DecodeError;
use serde::Serialize;
use serde_json::Value;

/// A running daemon, stopped when dropped.
pub struct Qsd {
    child: Child,
    dir: PathBuf,
    pub socket: PathBuf,
    pub port: Option<u16>,
}

impl Drop for Qsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qmp-client-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn installed() -> bool {
    let ok = Command::new("qemu-storage-daemon")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: qemu-storage-daemon is not installed; test skipped");
    }
    ok
}

fn spawn(dir: PathBuf, chardev: String, socket: PathBuf, port: Option<u16>) -> Qsd {
    let child = Command::new("qemu-storage-daemon")
        .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
        .stdin(Stdio::null())
        .spawn()
        .expect("start qemu-storage-daemon");
    let qsd = Qsd {
        child,
        dir,
        socket,
        port,
    };
    // Wait until the socket accepts connections (bounded; no timing is
    // asserted).
    for _ in 0..200 {
        let ready = match qsd.port {
            None => qsd.socket.exists(),
            Some(p) => std::net::TcpStream::connect(("127.0.0.1", p))
                .map(drop)
                .is_ok(),
        };
        if ready {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    qsd
}

/// A daemon with its monitor on a UNIX socket; `None` (with a note) when
/// QSD is not installed.
pub fn qsd_unix(name: &str) -> Option<Qsd> {
    if !installed() {
        return None;
    }
    let dir = scratch_dir(name);
    let socket = dir.join("qmp.sock");
    let chardev = format!("socket,path={},server=on,wait=off,id=m0", socket.display());
    Some(spawn(dir, chardev, socket, None))
}

/// A daemon with its monitor on a TCP port of 127.0.0.1.
///
/// The TCP probe in `spawn` takes QSD's one monitor connection and
/// closes it again, which QSD accepts.
pub fn qsd_tcp(name: &str) -> Option<Qsd> {
    if !installed() {
        return None;
    }
    let dir = scratch_dir(name);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let chardev = format!("socket,host=127.0.0.1,port={port},server=on,wait=off,id=m0");
    let socket = dir.join("unused");
    Some(spawn(dir, chardev, socket, Some(port)))
}

impl Qsd {
    pub fn scratch(&self, file: &str) -> String {
        self.dir.join(file).display().to_string()
    }
}

#[derive(Serialize)]
pub struct BlockdevAddNull {
    pub driver: &'static str,
    #[serde(rename = "node-name")]
    pub node_name: String,
    pub size: u64,
}

impl qapi_runtime::command::Command for BlockdevAddNull {
    const NAME: &'static str = "blockdev-add";
    type Returns = ();
}

#[derive(Serialize)]
pub struct BlockdevDel {
    #[serde(rename = "node-name")]
    pub node_name: String,
}

impl qapi_runtime::command::Command for BlockdevDel {
    const NAME: &'static str = "blockdev-del";
    type Returns = ();
}

#[derive(Serialize)]
pub struct QueryNamedBlockNodes {}

impl qapi_runtime::command::Command for QueryNamedBlockNodes {
    const NAME: &'static str = "query-named-block-nodes";
    type Returns = Vec<Value>;
}

#[derive(Serialize)]
pub struct BlockdevCreateFile {
    #[serde(rename = "job-id")]
    pub job_id: String,
    pub options: Value,
}

impl qapi_runtime::command::Command for BlockdevCreateFile {
    const NAME: &'static str = "blockdev-create";
    type Returns = ();
}

#[derive(Serialize)]
pub struct JobDismiss {
    pub id: String,
}

impl qapi_runtime::command::Command for JobDismiss {
    const NAME: &'static str = "job-dismiss";
    type Returns = ();
}

/// The one event of this little schema.
#[derive(Debug, PartialEq)]
pub enum TestEvents {
    JobStatusChange { id: String, status: String },
}

impl qapi_runtime::command::EventSet for TestEvents {
    fn decode_event(name: &str, data: &Value) -> Option<Result<Self, DecodeError>> {
        if name != "JOB_STATUS_CHANGE" {
            return None;
        }
        let text = |k: &str| {
            data.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| DecodeError::new(format!("member '{k}' missing")))
        };
        Some((|| {
            Ok(TestEvents::JobStatusChange {
                id: text("id")?,
                status: text("status")?,
            })
        })())
    }
}

pub fn node_names(nodes: &[Value]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| n["node-name"].as_str().map(str::to_owned))
        .collect()
}

pub fn file_options(filename: String) -> Value {
    serde_json::json!({"driver": "file", "filename": filename, "size": 1048576})
}

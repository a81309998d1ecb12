//! The recorded qemu-storage-daemon table (`tests/data/qsd-cases.json`,
//! `tests/data/qsd-replies.json`, written by `record-qsd.py`), and a
//! daemon driver that replays its cases the way the script recorded them.

#![allow(dead_code)] // each test file uses part of it

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

pub const DAEMON: &str = "qemu-storage-daemon";

#[derive(Debug, Deserialize)]
pub struct Cases {
    pub qmp: Vec<QmpCase>,
    pub keyval: Vec<KeyvalCase>,
}

#[derive(Debug, Deserialize)]
pub struct Step {
    pub command: String,
    pub arguments: Option<Value>,
}

#[derive(Debug, Deserialize)]
pub struct QmpCase {
    pub name: String,
    pub command: String,
    pub arguments: Option<Value>,
    #[serde(default)]
    pub setup: Vec<Step>,
    /// The daemon decodes the input but fails opening the node: a decoder
    /// must accept it.
    #[serde(default)]
    pub after_decode: bool,
}

impl QmpCase {
    /// The arguments as the daemon decodes them: absent ones as `{}`.
    pub fn arguments(&self) -> Value {
        self.arguments
            .clone()
            .unwrap_or_else(|| Value::Object(Default::default()))
    }
}

#[derive(Debug, Deserialize)]
pub struct KeyvalCase {
    pub name: String,
    pub blockdev: String,
    #[serde(default)]
    pub after_decode: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Replies {
    #[serde(rename = "qemu-storage-daemon")]
    pub version: String,
    pub qmp: Vec<QmpReply>,
    pub keyval: Vec<KeyvalReply>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct QmpReply {
    pub name: String,
    pub reply: Value,
}

impl QmpReply {
    /// The error's `desc`; `None` for a success.
    pub fn error(&self) -> Option<&str> {
        self.reply
            .get("error")
            .map(|e| e["desc"].as_str().unwrap_or("?"))
    }
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct KeyvalReply {
    pub name: String,
    pub started: bool,
    pub stderr: String,
    pub status: Option<i32>,
}

impl KeyvalReply {
    /// The error message without the daemon's `PROGRAM: --blockdev ARG: `
    /// prefix and the newline.
    pub fn message(&self, blockdev: &str) -> Option<&str> {
        let prefix = format!("{DAEMON}: --blockdev {blockdev}: ");
        self.stderr.strip_prefix(&prefix)?.strip_suffix('\n')
    }
}

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file)
}

fn read_json<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = data(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The cases and their recorded replies, checked to be in step.
pub fn table() -> (Cases, Replies) {
    let cases: Cases = read_json("qsd-cases.json");
    let replies: Replies = read_json("qsd-replies.json");
    let names = |a: Vec<&str>, b: Vec<&str>, what: &str| {
        assert_eq!(
            a, b,
            "the recorded {what} replies are not those of the cases: run conformance/record-qsd.py"
        );
    };
    names(
        cases.qmp.iter().map(|c| c.name.as_str()).collect(),
        replies.qmp.iter().map(|c| c.name.as_str()).collect(),
        "QMP",
    );
    names(
        cases.keyval.iter().map(|c| c.name.as_str()).collect(),
        replies.keyval.iter().map(|c| c.name.as_str()).collect(),
        "keyval",
    );
    (cases, replies)
}

/// Panics with every mismatch at once, so one run shows them all.
pub fn report(failures: &[String], total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether the daemon can be run; prints why not when it cannot.
pub fn daemon_installed() -> bool {
    match Command::new(DAEMON).arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            eprintln!(
                "note: {DAEMON} is not installed (Debian package qemu-utils; \
                 `cargo xtask test` installs it): live replies not checked"
            );
            false
        }
    }
}

pub fn daemon_version() -> String {
    let out = Command::new(DAEMON)
        .arg("--version")
        .output()
        .expect("cannot run qemu-storage-daemon --version");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().unwrap_or_default().to_owned()
}

/// A temporary folder, removed however the test ends.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("qapi-conformance-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A daemon started as `record-qsd.py` starts it: working in a scratch
/// folder that holds an empty qcow2 image `img.qcow2` and its monitor
/// socket.
pub struct Daemon {
    child: Child,
    sock: PathBuf,
    // Dropped after the child is stopped.
    _scratch: Scratch,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Monitor {
    stream: UnixStream,
    reader: BufReader<UnixStream>,
}

impl Daemon {
    pub fn start(name: &str, extra: &[&str]) -> Daemon {
        let scratch = Scratch::new(name);
        let status = Command::new("qemu-img")
            .args(["create", "-q", "-f", "qcow2", "img.qcow2", "1M"])
            .current_dir(&scratch.0)
            .status()
            .expect("cannot run qemu-img");
        assert!(status.success(), "qemu-img create failed");
        let sock = scratch.0.join("qmp.sock");
        let child = Command::new(DAEMON)
            .args(extra)
            .arg("--chardev")
            .arg(format!(
                "socket,path={},server=on,wait=off,id=m0",
                sock.display()
            ))
            .args(["--monitor", "chardev=m0"])
            .current_dir(&scratch.0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start qemu-storage-daemon");
        Daemon {
            child,
            sock,
            _scratch: scratch,
        }
    }

    /// The monitor socket's path.
    pub fn socket(&self) -> &Path {
        &self.sock
    }

    /// The daemon's working folder.
    pub fn dir(&self) -> &Path {
        &self._scratch.0
    }

    /// Connects to the monitor; `None` when the daemon exits first.
    pub fn connect(&mut self) -> Option<Monitor> {
        let start = Instant::now();
        let stream = loop {
            if self
                .child
                .try_wait()
                .expect("cannot poll the daemon")
                .is_some()
            {
                return None;
            }
            match UnixStream::connect(&self.sock) {
                Ok(s) => break s,
                Err(e) if start.elapsed() > Duration::from_secs(20) => {
                    panic!("{DAEMON} did not open {}: {e}", self.sock.display())
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("cannot set a timeout");
        let reader = BufReader::new(stream.try_clone().expect("cannot clone the socket"));
        let mut mon = Monitor { stream, reader };
        let greeting = mon.read();
        assert!(greeting.get("QMP").is_some(), "no QMP greeting: {greeting}");
        Some(mon)
    }

    /// Stops the daemon: its exit status (`None` when it had to be
    /// stopped) and what it printed on stderr.
    pub fn stop(mut self) -> (Option<i32>, String) {
        let status = match self.child.try_wait().expect("cannot poll the daemon") {
            Some(s) => s.code(),
            None => {
                let _ = self.child.kill();
                None
            }
        };
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        (status, stderr)
    }
}

impl Monitor {
    fn read(&mut self) -> Value {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .expect("cannot read from the QMP socket");
        assert!(n > 0, "{DAEMON} closed the monitor (did it crash?)");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// Sends a command and returns its reply, skipping events (and the
    /// second greeting a client connecting during start-up can get).
    pub fn execute(&mut self, command: &str, arguments: Option<&Value>) -> Value {
        let mut msg = serde_json::json!({ "execute": command });
        if let Some(args) = arguments {
            msg["arguments"] = args.clone();
        }
        writeln!(self.stream, "{msg}").expect("cannot write to the QMP socket");
        loop {
            let reply = self.read();
            if reply.get("event").is_none() && reply.get("QMP").is_none() {
                return reply;
            }
        }
    }
}

/// Replays a QMP case in a fresh daemon: its reply.
pub fn run_qmp(case: &QmpCase) -> Value {
    let mut daemon = Daemon::start(&case.name, &[]);
    let Some(mut mon) = negotiate(&mut daemon) else {
        panic!("{DAEMON} exited: {}", daemon.stop().1);
    };
    for step in &case.setup {
        let reply = mon.execute(&step.command, step.arguments.as_ref());
        assert!(
            reply.get("return").is_some(),
            "{}: setup {} failed: {reply}",
            case.name,
            step.command
        );
    }
    let reply = mon.execute(&case.command, case.arguments.as_ref());
    drop(mon);
    daemon.stop();
    reply
}

/// Connects and negotiates capabilities. On a loaded machine a client
/// that connects while the daemon is still starting can go unanswered,
/// so an unanswered negotiation is retried on a new connection.
/// `None` when the daemon exits first.
fn negotiate(daemon: &mut Daemon) -> Option<Monitor> {
    for _ in 0..5 {
        let mut mon = daemon.connect()?;
        mon.stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("cannot set a timeout");
        writeln!(
            mon.stream,
            "{}",
            serde_json::json!({"execute": "qmp_capabilities"})
        )
        .expect("cannot write to the QMP socket");
        // A client connecting during start-up can get the greeting
        // twice; the reply is the first line that is not one.
        let caps = loop {
            let mut line = String::new();
            match mon.reader.read_line(&mut line) {
                Ok(n) if n > 0 => {
                    let msg: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                    if msg.get("QMP").is_none() {
                        break Some(msg);
                    }
                }
                _ => break None,
            }
        };
        let Some(caps) = caps else { continue };
        assert_eq!(caps, serde_json::json!({"return": {}}), "qmp_capabilities");
        mon.stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("cannot set a timeout");
        return Some(mon);
    }
    panic!("{DAEMON} never answered qmp_capabilities");
}

/// Replays a keyval case: whether the daemon started, its stderr and its
/// exit status when it did not start.
pub fn run_keyval(case: &KeyvalCase) -> KeyvalReply {
    let mut daemon = Daemon::start(&case.name, &["--blockdev", &case.blockdev]);
    let started = daemon.connect().is_some();
    let (status, stderr) = daemon.stop();
    KeyvalReply {
        name: case.name.clone(),
        started,
        stderr,
        status: if started { None } else { status },
    }
}

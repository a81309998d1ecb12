//! The daemon under hostile input and faults, started as a process like
//! `tests/daemon.rs` does: deep nesting, a 64 MiB string, invalid UTF-8
//! (each answered with the errors qemu-storage-daemon gives for the same
//! bytes, compared live when it is installed), a partial message then a
//! disconnect, 200 clients at once, a client that sends without reading;
//! after each the daemon keeps serving other clients. And the socket
//! file: created with the caller's umask, a symlink or stale socket at
//! its path replaced (never followed), a folder there refused, all as
//! qemu-storage-daemon 10.0.2 does.
//!
//! `HOSTILE_DEMO=PATH` runs the tests against another daemon binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const QSD: &str = "qemu-storage-daemon";
/// How long a read may block before the test gives up on a hung daemon.
const HANG: Duration = Duration::from_secs(120);

fn demo() -> String {
    std::env::var("HOSTILE_DEMO").unwrap_or_else(|_| env!("CARGO_BIN_EXE_generated-demo").into())
}

fn qsd_installed() -> bool {
    Command::new(QSD)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("demo-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A daemon process, killed when dropped.
struct Daemon {
    child: Child,
    sock: PathBuf,
}

impl Daemon {
    fn start(program: &str, sock: &Path) -> Daemon {
        Daemon::start_with(Command::new(program), sock)
    }

    /// Starts `cmd` with the monitor arguments and waits until the socket
    /// accepts connections.
    fn start_with(mut cmd: Command, sock: &Path) -> Daemon {
        let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
        let child = cmd
            .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut d = Daemon {
            child,
            sock: sock.to_owned(),
        };
        let start = Instant::now();
        while !is_socket(sock) || UnixStream::connect(sock).is_err() {
            assert!(d.child.try_wait().unwrap().is_none(), "the daemon exited");
            assert!(start.elapsed() < Duration::from_secs(20), "no socket");
            std::thread::sleep(Duration::from_millis(10));
        }
        d
    }

    /// A negotiated client. A daemon that is still starting may close
    /// a first connection before its greeting (qemu-storage-daemon does,
    /// on a loaded machine), so that is retried.
    fn client(&self) -> Client {
        for _ in 0..20 {
            if let Some(c) = Client::connect(&self.sock) {
                return c;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("no greeting on {}", self.sock.display());
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_socket(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    /// Connects, reads the greeting and negotiates capabilities; `None`
    /// when the connection closes before the greeting.
    fn connect(sock: &Path) -> Option<Client> {
        let stream = UnixStream::connect(sock).unwrap();
        stream.set_read_timeout(Some(HANG)).unwrap();
        let mut c = Client {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        };
        let greeting = c.read()?;
        assert!(greeting.get("QMP").is_some(), "{greeting}");
        assert_eq!(
            c.cmd(&json!({"execute": "qmp_capabilities"})),
            json!({"return": {}})
        );
        Some(c)
    }

    /// The next message other than an event or a repeated greeting;
    /// `None` at the end of the stream.
    fn read(&mut self) -> Option<Value> {
        loop {
            let mut line = Vec::new();
            let n = self
                .reader
                .read_until(b'\n', &mut line)
                .expect("a reply in time");
            if n == 0 {
                return None;
            }
            let v: Value = serde_json::from_slice(&line).unwrap();
            if v.get("event").is_none() {
                return Some(v);
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
    }

    fn cmd(&mut self, msg: &Value) -> Value {
        self.send(format!("{msg}\n").as_bytes());
        self.read().expect("a reply")
    }

    /// Sends `bytes`, then a resynchronization (`0xFF`, a line end) and a
    /// command with id `sync`; returns every reply before the command's.
    fn exchange(&mut self, bytes: &[u8]) -> Vec<Value> {
        self.send(bytes);
        self.send(b"\xff\n{\"execute\": \"query-version\", \"id\": \"sync\"}\n");
        let mut replies = Vec::new();
        loop {
            let v = self.read().expect("the daemon closed the connection");
            if v.get("id") == Some(&json!("sync")) {
                assert!(v.get("return").is_some(), "{v}");
                return replies;
            }
            replies.push(v);
        }
    }
}

/// Our replies to `bytes`, after which ours must still serve a new client.
fn our_replies(name: &str, bytes: &[u8]) -> Vec<Value> {
    let dir = scratch(name);
    let mut ours = Daemon::start(&demo(), &dir.join("demo.sock"));
    let got = ours.client().exchange(bytes);
    let mut other = ours.client();
    assert!(other.cmd(&json!({"execute": "query-version"}))["return"].is_object());
    assert!(ours.alive());
    let _ = std::fs::remove_dir_all(&dir);
    got
}

/// The replies of ours and, when installed, of qemu-storage-daemon to the
/// same bytes; then checks that ours still serves a new client.
fn same_replies_as_qemu(name: &str, bytes: &[u8]) -> Vec<Value> {
    let got = our_replies(name, bytes);
    let dir = scratch(name);
    if qsd_installed() {
        let qemu = Daemon::start(QSD, &dir.join("qsd.sock"));
        let want = qemu.client().exchange(bytes);
        assert_eq!(
            without_package(&got),
            without_package(&want),
            "{name}: replies differ from qemu-storage-daemon's"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    got
}

/// `replies` without `query-version`'s package string, which names the
/// build.
fn without_package(replies: &[Value]) -> Vec<Value> {
    replies
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if let Some(ret) = r.get_mut("return").and_then(Value::as_object_mut) {
                ret.remove("package");
            }
            r
        })
        .collect()
}

fn generic(desc: &str) -> Value {
    json!({"error": {"class": "GenericError", "desc": desc}})
}

#[test]
fn deep_nesting_is_refused_at_the_limit() {
    let got = same_replies_as_qemu("nesting", &vec![b'['; 100_000]);
    assert!(
        got.contains(&generic("JSON nesting depth limit exceeded")),
        "{got:?}"
    );
    let also_objects = b"{\"a\":".repeat(100_000);
    let got = same_replies_as_qemu("nesting-objects", &also_objects);
    assert!(
        got.contains(&generic("JSON nesting depth limit exceeded")),
        "{got:?}"
    );
}

#[test]
fn a_64_mib_string_is_refused() {
    let mut msg = b"{\"execute\": \"query-version\", \"arguments\": {\"s\": \"".to_vec();
    msg.resize(msg.len() + (64 << 20), b'a');
    msg.extend_from_slice(b"\"}}\n");
    // qemu-storage-daemon takes minutes to read 64 MiB; its reply to this
    // input is recorded in qapi-runtime/tests/data/qmp-reader-replies.json,
    // which the reader we use is tested against.
    let got = our_replies("big-string", &msg);
    assert!(
        got.contains(&generic("JSON token size limit exceeded")),
        "{got:?}"
    );
}

#[test]
fn invalid_utf8_is_answered_as_qemu_does() {
    let cases: &[&[u8]] = &[
        b"{\"execute\": \"query-\xff\"}\n",
        b"{\"execute\": \"q\xc3\"}\n",
        b"{\"execute\": \"\xed\xa0\x80\"}\n",
        b"{\"execute\": \"\xc0\x80\"}\n",
        b"{\"execute\xfe\": 1}\n",
        b"\x80\x81\x82{\"execute\": \"query-version\"}\n",
        b"{'execute': 'blockdev-add', 'arguments': {'driver': 'null-co', 'node-name': '\xf8\x88\x80\x80\x80'}}\n",
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let got = same_replies_as_qemu(&format!("utf8-{i}"), bytes);
        assert!(!got.is_empty(), "case {i}: no reply");
    }
}

#[test]
fn a_partial_message_then_disconnect_changes_nothing() {
    let dir = scratch("partial");
    let mut d = Daemon::start(&demo(), &dir.join("qmp.sock"));
    for cut in [1, 20, 60, 75] {
        let msg = b"{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"null-co\", \"node-name\": \"n0\"}}";
        let mut c = d.client();
        c.send(&msg[..cut]);
        drop(c);
    }
    // Half a message, then the peer closes its writing side only.
    let mut c = d.client();
    c.send(b"{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\":");
    c.writer.shutdown(std::net::Shutdown::Write).unwrap();
    while c.read().is_some() {}
    let mut other = d.client();
    assert_eq!(
        other.cmd(&json!({"execute": "query-named-block-nodes"})),
        json!({"return": []})
    );
    assert!(d.alive());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_hundred_clients_at_once() {
    let dir = scratch("many");
    let mut d = Daemon::start(&demo(), &dir.join("qmp.sock"));
    let mut clients: Vec<Client> = (0..200).map(|_| d.client()).collect();
    for (i, c) in clients.iter_mut().enumerate() {
        c.send(format!("{{\"execute\": \"query-version\", \"id\": {i}}}\n").as_bytes());
    }
    let threads: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            std::thread::spawn(move || {
                let v = c.read().expect("a reply");
                assert_eq!(v["id"], json!(i), "{v}");
                let name = format!("n{i}");
                let add = json!({"execute": "blockdev-add",
                    "arguments": {"driver": "null-co", "node-name": name}});
                assert_eq!(c.cmd(&add), json!({"return": {}}));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let nodes = d
        .client()
        .cmd(&json!({"execute": "query-named-block-nodes"}));
    assert_eq!(nodes["return"].as_array().map(Vec::len), Some(200));
    assert!(d.alive());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_client_that_does_not_read_starves_nobody() {
    let dir = scratch("flood");
    let mut d = Daemon::start(&demo(), &dir.join("qmp.sock"));
    let mut flood = d.client();
    // Replies to this many exceed the socket buffers many times over.
    const N: usize = 5_000;
    let mut writer = flood.writer.try_clone().unwrap();
    // Sends far more than the socket buffers hold, reading nothing.
    let sender = std::thread::spawn(move || {
        let batch = "{\"execute\": \"query-version\"}\n".repeat(100);
        for _ in 0..N / 100 {
            writer.write_all(batch.as_bytes()).unwrap();
        }
    });
    let mut other = d.client();
    for i in 0..20 {
        let add = json!({"execute": "blockdev-add",
            "arguments": {"driver": "null-co", "node-name": format!("n{i}")}});
        assert_eq!(other.cmd(&add), json!({"return": {}}));
    }
    // Every flood command gets its reply once the client reads.
    let mut n = 0;
    let mut buf = vec![0; 1 << 16];
    let mut pending = Vec::new();
    while n < N {
        let k = flood.reader.read(&mut buf).unwrap();
        assert!(
            k > 0,
            "the daemon closed the flooding client after {n} replies"
        );
        pending.extend_from_slice(&buf[..k]);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let v: Value = serde_json::from_slice(&line).unwrap();
            assert!(v["return"].is_object(), "{v}");
            n += 1;
        }
    }
    sender.join().unwrap();
    assert!(d.alive());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts `program` under `umask` through the shell's builtin.
fn start_with_umask(program: &str, sock: &Path, umask: &str) -> Daemon {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &format!("umask {umask}; exec \"$0\" \"$@\""), program]);
    Daemon::start_with(cmd, sock)
}

#[test]
fn the_socket_has_the_callers_umask() {
    let dir = scratch("umask");
    for (umask, mode) in [("077", 0o700), ("022", 0o755), ("000", 0o777)] {
        let mut programs = vec![demo()];
        if qsd_installed() {
            programs.push(QSD.into());
        }
        for program in programs {
            let sock = dir.join(format!("u{umask}.sock"));
            let d = start_with_umask(&program, &sock, umask);
            let got = std::fs::symlink_metadata(&sock)
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(got, mode, "{program} under umask {umask}: mode {got:o}");
            drop(d);
            let _ = std::fs::remove_file(&sock);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_symlink_at_the_socket_path_is_replaced_not_followed() {
    let dir = scratch("symlink");
    let target = dir.join("precious");
    std::fs::write(&target, "keep").unwrap();
    let sock = dir.join("qmp.sock");
    std::os::unix::fs::symlink(&target, &sock).unwrap();
    let d = Daemon::start(&demo(), &sock);
    assert!(is_socket(&sock), "the path is not the daemon's socket");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    drop(d);
    // A dangling symlink: nothing is created at its target.
    let nowhere = dir.join("nowhere");
    let _ = std::fs::remove_file(&sock);
    std::os::unix::fs::symlink(&nowhere, &sock).unwrap();
    let d = Daemon::start(&demo(), &sock);
    assert!(is_socket(&sock));
    assert!(!nowhere.exists(), "the daemon followed the symlink");
    drop(d);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stale_socket_or_file_at_the_path_is_replaced() {
    let dir = scratch("stale");
    let sock = dir.join("qmp.sock");
    // What a crashed run leaves: a socket file nobody listens on.
    drop(UnixListener::bind(&sock).unwrap());
    assert!(UnixStream::connect(&sock).is_err());
    let d = Daemon::start(&demo(), &sock);
    assert!(d.client().cmd(&json!({"execute": "query-version"}))["return"].is_object());
    drop(d);
    let _ = std::fs::remove_file(&sock);
    std::fs::write(&sock, "not a socket").unwrap();
    let d = Daemon::start(&demo(), &sock);
    assert!(is_socket(&sock));
    drop(d);
    let _ = std::fs::remove_dir_all(&dir);
}

/// QEMU unlinks the path before binding; a folder there cannot be
/// unlinked and stops the daemon with that error.
#[test]
fn a_folder_at_the_socket_path_stops_the_daemon() {
    let dir = scratch("folder");
    let sock = dir.join("qmp.sock");
    std::fs::create_dir(&sock).unwrap();
    let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
    let out = Command::new(demo())
        .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "--chardev {chardev}: Failed to unlink socket {}: Is a directory",
        sock.display()
    );
    assert!(stderr.contains(&want), "stderr: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

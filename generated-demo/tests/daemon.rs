//! The daemon as a process: command line, several clients at once, and
//! clean shutdown on `quit` and SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DEMO: &str = env!("CARGO_BIN_EXE_generated-demo");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("demo-daemon-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn spawn(sock: &Path, extra: &[&str]) -> Child {
    let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
    Command::new(DEMO)
        .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
        .args(extra)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    fn connect(sock: &Path) -> Client {
        let start = Instant::now();
        let stream = loop {
            match UnixStream::connect(sock) {
                Ok(s) => break s,
                Err(e) => {
                    assert!(start.elapsed() < Duration::from_secs(20), "{e}");
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        };
        let mut c = Client {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        };
        let greeting = c.read();
        assert_eq!(greeting["QMP"]["version"]["qemu"]["major"], 10);
        assert_eq!(greeting["QMP"]["capabilities"], json!(["oob"]));
        c
    }

    fn read(&mut self) -> Value {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// Sends the message in one write: the daemon may exit on `quit`
    /// before a separate newline arrives.
    fn cmd(&mut self, msg: Value) -> Value {
        self.writer
            .write_all(format!("{msg}\n").as_bytes())
            .unwrap();
        self.read()
    }
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the daemon does not exit"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn negotiation_then_commands_and_quit_removes_the_socket() {
    let dir = scratch("quit");
    let sock = dir.join("qmp.sock");
    let mut child = spawn(&sock, &[]);
    let mut c = Client::connect(&sock);
    let early = c.cmd(json!({"execute": "query-version"}));
    assert_eq!(early["error"]["class"], "CommandNotFound");
    assert_eq!(
        early["error"]["desc"],
        "Expecting capabilities negotiation with 'qmp_capabilities'"
    );
    assert_eq!(
        c.cmd(json!({"execute": "qmp_capabilities", "id": 7})),
        json!({"return": {}, "id": 7})
    );
    let again = c.cmd(json!({"execute": "qmp_capabilities"}));
    assert_eq!(again["error"]["class"], "CommandNotFound");
    let schema = c.cmd(json!({"execute": "query-qmp-schema"}));
    let names: Vec<&str> = schema["return"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["meta-type"] == "command")
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"blockdev-reopen"), "{names:?}");
    let commands = c.cmd(json!({"execute": "query-commands"}));
    assert!(commands["return"]
        .as_array()
        .unwrap()
        .contains(&json!({"name": "blockdev-reopen"})));
    assert_eq!(c.cmd(json!({"execute": "quit"})), json!({"return": {}}));
    assert!(wait_exit(&mut child).success());
    assert!(!sock.exists(), "the socket file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_stops_the_daemon_cleanly() {
    let dir = scratch("term");
    let sock = dir.join("qmp.sock");
    let mut child = spawn(&sock, &[]);
    let _c = Client::connect(&sock);
    // SAFETY: sends a signal to our own child process.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
    assert!(wait_exit(&mut child).success());
    assert!(!sock.exists(), "the socket file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clients_share_one_graph() {
    let dir = scratch("clients");
    let sock = dir.join("qmp.sock");
    let mut child = spawn(&sock, &[]);
    let mut a = Client::connect(&sock);
    let mut b = Client::connect(&sock);
    a.cmd(json!({"execute": "qmp_capabilities"}));
    b.cmd(json!({"execute": "qmp_capabilities"}));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let sock = sock.clone();
            std::thread::spawn(move || {
                let mut c = Client::connect(&sock);
                c.cmd(json!({"execute": "qmp_capabilities"}));
                for i in 0..25 {
                    let name = format!("t{t}n{i}");
                    let r = c.cmd(json!({"execute": "blockdev-add",
                        "arguments": {"driver": "null-co", "node-name": name}}));
                    assert_eq!(r, json!({"return": {}}));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        a.cmd(json!({"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "shared"}})),
        json!({"return": {}})
    );
    let nodes = b.cmd(json!({"execute": "query-named-block-nodes", "arguments": {"flat": true}}));
    assert_eq!(nodes["return"].as_array().unwrap().len(), 101);
    assert_eq!(nodes["return"][0]["node-name"], "shared");
    b.cmd(json!({"execute": "quit"}));
    assert!(wait_exit(&mut child).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn blockdev_options_on_the_command_line() {
    let dir = scratch("cmdline");
    let sock = dir.join("qmp.sock");
    let mut child = spawn(
        &sock,
        &[
            "--blockdev",
            "driver=null-co,node-name=n0,size=4096,read-zeroes=on",
            "--blockdev",
            r#"{"driver": "raw", "node-name": "r0", "file": "n0", "offset": 512}"#,
        ],
    );
    let mut c = Client::connect(&sock);
    c.cmd(json!({"execute": "qmp_capabilities"}));
    let nodes = c.cmd(json!({"execute": "query-named-block-nodes"}));
    let list = nodes["return"].as_array().unwrap();
    assert_eq!(list[0]["node-name"], "r0");
    assert_eq!(list[0]["image"]["virtual-size"], 3584);
    assert_eq!(
        list[1]["file"],
        r#"json:{"read-zeroes": true, "driver": "null-co", "size": 4096}"#
    );
    c.cmd(json!({"execute": "quit"}));
    assert!(wait_exit(&mut child).success());

    let bad = Command::new(DEMO)
        .args(["--blockdev", "driver=null-co", "--chardev"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--blockdev` errors on stderr are qemu-storage-daemon's, as the
/// conformance crate recorded them, under the demo's program name.
#[test]
fn blockdev_errors_match_the_recorded_storage_daemon() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/tests/data/qsd-replies.json");
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stderr_of = |name: &str| -> String {
        let entry = recorded["keyval"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not recorded"));
        assert_eq!(entry["status"], 1, "{name}");
        entry["stderr"].as_str().unwrap().to_owned()
    };
    let cases = [
        ("kv-missing-driver", "node-name=k0"),
        ("kv-bad-driver", "driver=nosuch,node-name=k0"),
        ("kv-int", "driver=null-co,node-name=k0,size=x"),
        ("kv-int-fraction", "driver=null-co,node-name=k0,size=1.5"),
        ("kv-uint64", "driver=null-co,node-name=k0,latency-ns=x"),
        ("kv-bool", "driver=null-co,node-name=k0,read-zeroes=maybe"),
        ("kv-unexpected", "driver=null-co,node-name=k0,bogus=1"),
        (
            "kv-unexpected-nested",
            "driver=raw,node-name=k0,file.driver=null-co,file.xyz=1",
        ),
        ("kv-missing-nested", "driver=raw,node-name=k0"),
        (
            "kv-nested-wrong",
            "driver=null-co,node-name=k0,cache.direct=x",
        ),
        (
            "kv-object-as-scalar",
            "driver=null-co,node-name=k0,cache=on",
        ),
        (
            "kv-scalar-as-object",
            "driver=null-co,node-name=k0,size.x=1",
        ),
        ("kv-syntax-no-value", "driver=null-co,node-name"),
        ("kv-syntax-bad-key", "driver=null-co,a..b=1"),
        ("kv-syntax-empty-key", "driver=null-co,=x"),
        (
            "kv-duplicate-last-wins",
            "driver=null-co,node-name=k0,size=1,size=x",
        ),
        (
            "kv-inconsistent",
            "driver=null-co,node-name=k0,cache.direct=on,cache=x",
        ),
        (
            "kv-open-error-reference",
            "driver=raw,node-name=k0,file=base",
        ),
        // Not here: kv-open-error-uint64-negative (the model does not
        // check null-co's latency-ns, so the daemon would start).
        ("kv-implied-bad-driver", "nosuch,node-name=k0"),
        ("kv-implied-overridden", "null-co,driver=raw,node-name=k0"),
        ("kv-implied-not-first", "node-name=k0,null-co"),
        (
            "kv-json-wrong-type",
            r#"{"driver": "null-co", "node-name": "k0", "size": "x"}"#,
        ),
        (
            "kv-json-unexpected",
            r#"{"driver": "raw", "node-name": "k0", "file": {"driver": "null-co", "xyz": 1}}"#,
        ),
    ];
    let dir = scratch("kv-errors");
    let chardev = format!(
        "socket,path={},server=on,wait=off,id=m0",
        dir.join("qmp.sock").display()
    );
    for (name, arg) in cases {
        let want = stderr_of(name).replace("qemu-storage-daemon:", "generated-demo:");
        let out = Command::new(DEMO)
            .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
            .args(["--blockdev", arg])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), want, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

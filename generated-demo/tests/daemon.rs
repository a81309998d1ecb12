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

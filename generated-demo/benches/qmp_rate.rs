//! Commands per second through the QMP socket, for generated-demo and
//! qemu-storage-daemon in one run, with the same client and the same
//! null-co nodes: `query-named-block-nodes` over 16 nodes, and a cycle of
//! `blockdev-add`, `blockdev-reopen` and `blockdev-del`.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DEMO: &str = env!("CARGO_BIN_EXE_generated-demo");
const NODES: usize = 16;

struct Daemon {
    child: Child,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Daemon {
    fn start(program: &str, sock: &Path) -> Daemon {
        let _ = std::fs::remove_file(sock);
        let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
        let child = Command::new(program)
            .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let start = Instant::now();
        let stream = loop {
            if let Ok(s) = UnixStream::connect(sock) {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{program} does not listen"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut d = Daemon {
            child,
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        };
        while d.read().get("QMP").is_none() {}
        d.ok(&json!({"execute": "qmp_capabilities"}));
        d
    }

    fn read(&mut self) -> Value {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    }

    fn cmd(&mut self, msg: &Value) -> Value {
        self.writer
            .write_all(format!("{msg}\n").as_bytes())
            .unwrap();
        loop {
            let v = self.read();
            if v.get("return").is_some() || v.get("error").is_some() {
                return v;
            }
        }
    }

    fn ok(&mut self, msg: &Value) {
        let r = self.cmd(msg);
        assert!(r.get("return").is_some(), "{msg} gave {r}");
    }

    fn stop(mut self) {
        let _ = self.cmd(&json!({"execute": "quit"}));
        let _ = self.child.wait();
    }
}

/// Commands per second over `seconds` of `step`, which sends `per_step`
/// commands.
fn rate(seconds: f64, per_step: usize, mut step: impl FnMut(usize)) -> f64 {
    let start = Instant::now();
    let mut i = 0;
    while start.elapsed().as_secs_f64() < seconds {
        step(i);
        i += 1;
    }
    (i * per_step) as f64 / start.elapsed().as_secs_f64()
}

fn measure(program: &str, sock: &Path, seconds: f64) -> (f64, f64) {
    let mut d = Daemon::start(program, sock);
    for i in 0..NODES {
        d.ok(&json!({"execute": "blockdev-add",
            "arguments": {"driver": "null-co", "node-name": format!("n{i}"), "size": 1048576}}));
    }
    let query = json!({"execute": "query-named-block-nodes"});
    let q = rate(seconds, 1, |_| d.ok(&query));
    let c = rate(seconds, 3, |_| {
        d.ok(&json!({"execute": "blockdev-add",
            "arguments": {"driver": "null-co", "node-name": "cycle", "size": 1048576}}));
        d.ok(
            &json!({"execute": "blockdev-reopen", "arguments": {"options": [
            {"driver": "null-co", "node-name": "cycle", "size": 1048576, "read-only": true}]}}),
        );
        d.ok(&json!({"execute": "blockdev-del", "arguments": {"node-name": "cycle"}}));
    });
    d.stop();
    (q, c)
}

fn main() {
    // `cargo bench` passes `--bench`; a number sets the seconds per run.
    let seconds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<f64>().ok())
        .unwrap_or(2.0);
    let dir = std::env::temp_dir().join(format!("demo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (dq, dc) = measure(DEMO, &dir.join("demo.sock"), seconds);
    let (qq, qc) = measure("qemu-storage-daemon", &dir.join("qsd.sock"), seconds);
    println!("query-named-block-nodes ({NODES} nodes): generated-demo {dq:.0}/s, qemu-storage-daemon {qq:.0}/s, ratio {:.2}", dq / qq);
    println!("add/reopen/del cycle:                   generated-demo {dc:.0}/s, qemu-storage-daemon {qc:.0}/s, ratio {:.2}", dc / qc);
    let _ = std::fs::remove_dir_all(&dir);
}

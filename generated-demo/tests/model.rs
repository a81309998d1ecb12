//! Model-based test of the block graph: random sequences of blockdev-add
//! (null-co, raw over null-co, file and qcow2 over images made with
//! qemu-img), blockdev-reopen (read-only changes, backing changes, bad
//! options) and blockdev-del against the daemon. After every step:
//! node names are unique, x-debug-query-block-graph has no cycle and its
//! edges join nodes it lists, every named node is in the graph, and a
//! command that failed left query-named-block-nodes and
//! x-debug-query-block-graph byte-identical. A few sequences also run
//! against qemu-storage-daemon, whose replies must be equal once
//! temporary paths and automatic node names are normalized.
//!
//! Sequences come from a fixed-seed generator, so a failure names the
//! seed and step that reproduce it. `HOSTILE_DEMO=PATH` runs the test
//! against another daemon binary.

use std::collections::{BTreeMap, HashMap, HashSet};
mod normalize;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use normalize::normalize;
use serde_json::{json, Map, Value};

const QSD: &str = "qemu-storage-daemon";
/// Sequences against the demo alone, and how many of them also run
/// against qemu-storage-daemon.
const SEQUENCES: u64 = 24;
const DIFFERENTIAL: u64 = 6;
const STEPS: usize = 30;

fn demo() -> String {
    std::env::var("HOSTILE_DEMO").unwrap_or_else(|_| env!("CARGO_BIN_EXE_generated-demo").into())
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// xorshift64*: enough randomness for picking steps, and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

struct Daemon {
    child: Child,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Daemon {
    fn start(program: &str, dir: &Path) -> Daemon {
        let sock = dir.join(format!(
            "{}.sock",
            if program == QSD { "qsd" } else { "demo" }
        ));
        let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
        let child = Command::new(program)
            .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stream = greeted(&sock, program);
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut d = Daemon {
            child,
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        };
        let caps = d.command(&json!({"execute": "qmp_capabilities"}));
        assert_eq!(caps.1, json!({"return": {}}), "{program}");
        d
    }

    /// The reply's line as sent and as a value; events and greetings are
    /// skipped.
    fn command(&mut self, msg: &Value) -> (String, Value) {
        self.writer
            .write_all(format!("{msg}\n").as_bytes())
            .unwrap();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).unwrap();
            assert!(n > 0, "the daemon closed the connection after {msg}");
            let v: Value = serde_json::from_str(&line).unwrap();
            if v.get("event").is_none() && v.get("QMP").is_none() {
                return (line, v);
            }
        }
    }
}

/// A connection to the monitor at `sock` that has had its greeting.
/// qemu-storage-daemon can leave a client that connects while it starts
/// unanswered, so a silent connection is replaced by a new one.
fn greeted(sock: &Path, program: &str) -> UnixStream {
    let start = Instant::now();
    for _ in 0..5 {
        let stream = loop {
            match UnixStream::connect(sock) {
                Ok(s) => break s,
                Err(e) => {
                    assert!(start.elapsed() < Duration::from_secs(20), "{program}: {e}");
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut line = String::new();
        if BufReader::new(&stream)
            .read_line(&mut line)
            .is_ok_and(|n| n > 0)
        {
            assert!(line.contains("\"QMP\""), "{program} greeted with {line}");
            return stream;
        }
    }
    panic!("{program} never greeted");
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The images the sequences open, made once per folder.
fn make_images(dir: &Path) {
    let run = |args: &[&str]| {
        let ok = Command::new("qemu-img")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "qemu-img {args:?}");
    };
    run(&["create", "-f", "raw", "plain.img", "1M"]);
    run(&["create", "-f", "qcow2", "base.qcow2", "1M"]);
    run(&[
        "create",
        "-f",
        "qcow2",
        "-b",
        "base.qcow2",
        "-F",
        "qcow2",
        "top.qcow2",
    ]);
    run(&["create", "-f", "qcow2", "other.qcow2", "2M"]);
}

/// What the generator remembers of a node it added: its options, for
/// reopening with them.
#[derive(Clone)]
struct Node {
    options: Map<String, Value>,
}

struct Model {
    rng: Rng,
    dir: String,
    nodes: BTreeMap<String, Node>,
    counter: usize,
}

impl Model {
    fn new(seed: u64, dir: &Path) -> Model {
        Model {
            rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            dir: dir.display().to_string(),
            nodes: BTreeMap::new(),
            counter: 0,
        }
    }

    fn fresh_name(&mut self) -> String {
        self.counter += 1;
        // Now and then a name in use, or an invalid one.
        if self.rng.chance(8) {
            if let Some(n) = self.existing() {
                return n;
            }
        }
        if self.rng.chance(3) {
            return format!("{}bad", self.counter);
        }
        format!("n{}", self.counter)
    }

    fn existing(&mut self) -> Option<String> {
        let names: Vec<String> = self.nodes.keys().cloned().collect();
        self.rng.pick(&names).cloned()
    }

    fn file(&mut self, image: &str) -> Value {
        json!({"driver": "file", "filename": format!("{}/{image}", self.dir)})
    }

    fn add(&mut self) -> Value {
        let name = self.fresh_name();
        let image = *self
            .rng
            .pick(&["plain.img", "base.qcow2", "top.qcow2", "other.qcow2"])
            .unwrap_or(&"plain.img");
        let mut opts = match self.rng.below(6) {
            0 => json!({"driver": "null-co", "size": 1048576}),
            1 => json!({"driver": "raw", "file": {"driver": "null-co"}}),
            2 => match self.existing() {
                Some(child) => json!({"driver": "raw", "file": child}),
                None => json!({"driver": "null-co"}),
            },
            3 => self.file(image),
            _ => {
                let mut o = json!({"driver": "qcow2", "file": self.file(image)});
                match self.rng.below(3) {
                    0 => o["backing"] = Value::Null,
                    1 => {
                        if let Some(b) = self.existing() {
                            o["backing"] = json!(b);
                        }
                    }
                    _ => {}
                }
                o
            }
        };
        if self.rng.chance(30) {
            opts["read-only"] = json!(true);
        }
        if self.rng.chance(4) {
            opts["bogus"] = json!(1);
        }
        opts["node-name"] = json!(name);
        json!({"execute": "blockdev-add", "arguments": opts})
    }

    fn reopen(&mut self) -> Value {
        let Some(name) = self.existing() else {
            return json!({"execute": "blockdev-reopen",
                "arguments": {"options": [{"driver": "null-co", "node-name": "none"}]}});
        };
        let mut opts = self.nodes[&name].options.clone();
        match self.rng.below(5) {
            0 => {
                let ro = opts.get("read-only") == Some(&json!(true));
                opts.insert("read-only".into(), json!(!ro));
            }
            1 if opts.get("driver") == Some(&json!("qcow2")) => {
                let backing = match self.existing() {
                    Some(b) if self.rng.chance(70) => json!(b),
                    _ => Value::Null,
                };
                opts.insert("backing".into(), backing);
            }
            2 => {
                opts.insert("bogus".into(), json!("x"));
            }
            3 => {
                opts.insert("driver".into(), json!("null-co"));
            }
            _ => {}
        }
        json!({"execute": "blockdev-reopen", "arguments": {"options": [opts]}})
    }

    fn del(&mut self) -> Value {
        let name = match self.existing() {
            Some(n) if self.rng.chance(90) => n,
            _ => "unknown".to_owned(),
        };
        json!({"execute": "blockdev-del", "arguments": {"node-name": name}})
    }

    fn step(&mut self) -> Value {
        match self.rng.below(10) {
            0..=4 => self.add(),
            5..=7 => self.reopen(),
            _ => self.del(),
        }
    }

    /// Records what a successful command did.
    fn apply(&mut self, cmd: &Value) {
        let args = &cmd["arguments"];
        match cmd["execute"].as_str() {
            Some("blockdev-add") => {
                if let (Some(name), Some(opts)) = (args["node-name"].as_str(), args.as_object()) {
                    self.nodes.insert(
                        name.to_owned(),
                        Node {
                            options: opts.clone(),
                        },
                    );
                }
            }
            Some("blockdev-reopen") => {
                for opts in args["options"].as_array().into_iter().flatten() {
                    if let (Some(name), Some(o)) = (opts["node-name"].as_str(), opts.as_object()) {
                        self.nodes
                            .insert(name.to_owned(), Node { options: o.clone() });
                    }
                }
            }
            Some("blockdev-del") => {
                if let Some(name) = args["node-name"].as_str() {
                    self.nodes.remove(name);
                }
            }
            _ => {}
        }
    }
}

/// Both queries as the daemon sent them, for byte comparison.
fn snapshot(d: &mut Daemon) -> (String, String, Value, Value) {
    let (nodes_text, nodes) = d.command(&json!({"execute": "query-named-block-nodes"}));
    let (graph_text, graph) = d.command(&json!({"execute": "x-debug-query-block-graph"}));
    (nodes_text, graph_text, nodes, graph)
}

/// The graph invariants; `Err` says which one broke.
fn check_invariants(nodes: &Value, graph: &Value) -> Result<(), String> {
    let named: Vec<&str> = nodes["return"]
        .as_array()
        .ok_or("query-named-block-nodes gave no list")?
        .iter()
        .map(|n| n["node-name"].as_str().unwrap_or(""))
        .collect();
    let unique: HashSet<&str> = named.iter().copied().collect();
    if unique.len() != named.len() {
        return Err(format!("node names repeat: {named:?}"));
    }
    let gnodes = graph["return"]["nodes"]
        .as_array()
        .ok_or("graph has no nodes")?;
    let mut ids = HashMap::new();
    for n in gnodes {
        let id = n["id"].as_u64().ok_or("a graph node without id")?;
        if ids.insert(id, n["name"].as_str().unwrap_or("")).is_some() {
            return Err(format!("graph id {id} repeats"));
        }
    }
    let graph_names: HashSet<&str> = ids.values().copied().collect();
    for name in &named {
        if !graph_names.contains(name) {
            return Err(format!("{name} is named but not in the graph"));
        }
    }
    let mut children: HashMap<u64, Vec<u64>> = HashMap::new();
    for e in graph["return"]["edges"]
        .as_array()
        .ok_or("graph has no edges")?
    {
        let (p, c) = (e["parent"].as_u64(), e["child"].as_u64());
        let (Some(p), Some(c)) = (p, c) else {
            return Err(format!("bad edge {e}"));
        };
        if !ids.contains_key(&p) || !ids.contains_key(&c) {
            return Err(format!("edge {e} joins a node not in the graph"));
        }
        children.entry(p).or_default().push(c);
    }
    // Depth-first search for a cycle: 1 = on the stack, 2 = done.
    let mut state: HashMap<u64, u8> = HashMap::new();
    fn visit(n: u64, ch: &HashMap<u64, Vec<u64>>, st: &mut HashMap<u64, u8>) -> bool {
        match st.get(&n) {
            Some(1) => return false,
            Some(_) => return true,
            None => {}
        }
        st.insert(n, 1);
        for &c in ch.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
            if !visit(c, ch, st) {
                return false;
            }
        }
        st.insert(n, 2);
        true
    }
    for &id in ids.keys() {
        if !visit(id, &children, &mut state) {
            return Err("the graph has a cycle".into());
        }
    }
    Ok(())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("demo-model-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs one sequence; with `qsd`, also against qemu-storage-daemon.
fn run_sequence(seed: u64, qsd: bool) -> Result<(), String> {
    let dir = scratch(&format!("seed{seed}"));
    make_images(&dir);
    let dir_text = dir.display().to_string();
    let mut model = Model::new(seed, &dir);
    let mut ours = Daemon::start(&demo(), &dir);
    let mut theirs = qsd.then(|| Daemon::start(QSD, &dir));
    let mut before = snapshot(&mut ours);
    for step in 0..STEPS {
        let cmd = model.step();
        let at = format!("seed {seed} step {step}: {cmd}");
        let (_, reply) = ours.command(&cmd);
        let after = snapshot(&mut ours);
        check_invariants(&after.2, &after.3).map_err(|e| format!("{at}: {e}"))?;
        if reply.get("error").is_some() {
            if (&before.0, &before.1) != (&after.0, &after.1) {
                return Err(format!(
                    "{at}: failed ({reply}) but changed the graph:\n{}\n{}\n->\n{}\n{}",
                    before.0, before.1, after.0, after.1
                ));
            }
        } else {
            model.apply(&cmd);
        }
        if let Some(q) = theirs.as_mut() {
            let (_, want) = q.command(&cmd);
            let (got, want) = (normalize(&reply, &dir_text), normalize(&want, &dir_text));
            if got != want {
                return Err(format!("{at}: demo {got}, qemu-storage-daemon {want}"));
            }
            let (_, want) = q.command(&json!({"execute": "query-named-block-nodes"}));
            let (got, want) = (normalize(&after.2, &dir_text), normalize(&want, &dir_text));
            if got != want {
                return Err(format!(
                    "{at}: query-named-block-nodes differ:\ndemo {got}\nqsd  {want}"
                ));
            }
        }
        before = after;
    }
    drop(ours);
    drop(theirs);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn random_graph_operations_keep_the_invariants() {
    assert!(
        installed("qemu-img"),
        "qemu-img is needed to make the images"
    );
    let mut failures = Vec::new();
    for seed in 1..=SEQUENCES {
        if let Err(e) = run_sequence(seed, false) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn random_graph_operations_match_qemu_storage_daemon() {
    if !installed(QSD) || !installed("qemu-img") {
        eprintln!("qemu-storage-daemon or qemu-img is not installed: skipped");
        return;
    }
    let mut failures = Vec::new();
    for seed in 1001..=1000 + DIFFERENTIAL {
        if let Err(e) = run_sequence(seed, true) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

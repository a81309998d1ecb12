//! The generated dispatcher against qemu-storage-daemon: the bindings of
//! QSD 10.0's own schema, served by a handler that implements no command,
//! answer the requests `qapi-runtime/tests/data/record_dispatch.py` sent
//! to a real QSD 10.0 with the very replies QSD gave (member order
//! included). The requests are malformed or misdirected, so QSD never
//! reached a command's implementation either. The bindings are generated
//! under QSD's build configuration, and `query-qmp-schema`, which the
//! generated handler answers itself, gives what QSD gave.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use qapi_parser::{Dialect, Schema};
use serde_json::Value;

/// The configuration symbols of the Debian build of QSD 10.0.2 the
/// recording was made with (the file `qsd_live.rs` also reads): with them
/// the bindings have exactly the commands and members QSD has.
fn qsd_cfg() -> Vec<String> {
    let path = repo().join("../shared/qemu/10.0.0/qsd-debian-10.0.2.cfg");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The program the test builds beside the bindings: reads requests, one
/// a line (`---` starts a new connection), and prints each reply.
const REPLAY: &str = r#"
use std::io::BufRead;

use qapi_runtime::compat::CompatPolicy;
use qapi_runtime::dispatch::Session;
use qapi_runtime::serde_json::{self, Value};

struct Nothing;

impl qapi_bindings::commands::Handler for Nothing {}

fn main() {
    let server = qapi_bindings::commands::Dispatcher(Nothing);
    let mut session = Session::new(CompatPolicy::default(), true);
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        if line == "---" {
            session = Session::new(CompatPolicy::default(), true);
            continue;
        }
        let request: Value = serde_json::from_str(&line).expect("a JSON request");
        match session.handle(&server, &request) {
            Some(reply) => println!("{reply}"),
            None => println!("-"),
        }
    }
}
"#;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the QSD bindings with the replay program; its path.
fn build_replay(schema: &Path) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bindings/qsd-10.0-dispatch");
    let text = schema.to_string_lossy();
    let dialect = Dialect::for_release((10, 0));
    let parsed = Schema::from_file(&text, &dialect).unwrap_or_else(|e| panic!("{e}"));
    let runtime = std::fs::canonicalize(repo().join("qapi-runtime")).expect("runtime");
    let opts = qapi_codegen::rust::Options {
        cfg: Some(qsd_cfg()),
        ..Default::default()
    };
    qapi_codegen::rust::write_crate(&parsed, &opts, &text, &dir, &runtime)
        .unwrap_or_else(|e| panic!("{e}"));
    let bin = dir.join("src/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let main = bin.join("replay.rs");
    if std::fs::read_to_string(&main).ok().as_deref() != Some(REPLAY) {
        std::fs::write(&main, REPLAY).expect("write replay.rs");
    }
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "-q", "--bin", "replay"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cannot run cargo");
    assert!(status.success(), "cargo build in {} failed", dir.display());
    dir.join("target/debug/replay")
}

/// A reply as compact JSON text, members in the order written.
fn compact(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .to_string()
}

#[test]
fn dispatcher_answers_as_qsd_does() {
    let schema = repo().join("../shared/qemu/10.0.0/storage-daemon/qapi/qapi-schema.json");
    if !schema.exists() {
        eprintln!("skipped: {} is absent", schema.display());
        return;
    }
    let recording = repo().join("qapi-runtime/tests/data/dispatch_replies.json");
    let recording: Value =
        serde_json::from_str(&std::fs::read_to_string(&recording).expect("recording"))
            .expect("recording is JSON");
    let mut input = String::new();
    let mut expected = Vec::new();
    for conv in recording["conversations"]
        .as_array()
        .expect("conversations")
    {
        input.push_str("---\n");
        for ex in conv["exchanges"].as_array().expect("exchanges") {
            let request = ex["request"].as_str().expect("request");
            input.push_str(request);
            input.push('\n');
            expected.push((request, compact(ex["reply"].as_str().expect("reply"))));
        }
    }
    assert!(expected.len() > 50, "the recording is too small");
    // Last, on a connection of its own, the schema.
    input.push_str(
        "---\n{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-qmp-schema\"}\n",
    );

    let mut child = Command::new(build_replay(&schema))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run replay");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write requests");
    let out = child.wait_with_output().expect("replay output");
    assert!(out.status.success());
    let got: Vec<String> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(got.len(), expected.len() + 2);
    let schema_reply: Value = serde_json::from_str(&got[got.len() - 1]).expect("JSON");
    let qsd_schema: Value = serde_json::from_str(
        recording["query-qmp-schema"]
            .as_str()
            .expect("query-qmp-schema"),
    )
    .expect("JSON");
    // Members come out in the schema's order rather than QEMU's, which
    // object comparison ignores; entries are in the same order.
    assert!(
        schema_reply == qsd_schema,
        "query-qmp-schema differs from QSD's"
    );

    let mut failures = Vec::new();
    for ((request, want), got) in expected.iter().zip(&got) {
        if want != got {
            failures.push(format!("{request}\n  qsd:  {want}\n  ours: {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

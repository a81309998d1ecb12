//! The generated dispatcher of the Debian qemu-storage-daemon 10.0.2
//! schema, serving nothing, answers every request of a recording made
//! with the real daemon (`qapi-runtime/tests/data/record_dispatch.py`)
//! exactly as the daemon did: malformed requests, unknown commands,
//! argument errors, negotiation, and its `query-qmp-schema`.

use std::path::{Path, PathBuf};

use qapi_conformance::qsd_10_0::commands::{Dispatcher, Handler};
use qapi_runtime::compat::CompatPolicy;
use qapi_runtime::dispatch::Session;
use serde_json::Value;

struct Nothing;

impl Handler for Nothing {}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Replays `input`, requests one a line (`---` starts a new connection):
/// each reply as compact JSON text, `-` for none.
fn replay(input: &str) -> Vec<String> {
    let server = Dispatcher(Nothing);
    let mut session = Session::new(CompatPolicy::default(), true);
    let mut out = Vec::new();
    for line in input.lines() {
        if line == "---" {
            session = Session::new(CompatPolicy::default(), true);
            continue;
        }
        let request: Value = serde_json::from_str(line).expect("a JSON request");
        out.push(match session.handle(&server, &request) {
            Some(reply) => reply.to_string(),
            None => "-".to_owned(),
        });
    }
    out
}

/// A reply as compact JSON text, members in the order written.
fn compact(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .to_string()
}

#[test]
fn dispatcher_answers_as_qsd_does() {
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

    let got = replay(&input);
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

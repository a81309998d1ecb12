//! The server side of the Rust backend: a snapshot of the commands,
//! events and introspection generated for a small schema (compiled into
//! this test, so it must build without warnings), served through
//! `qapi_runtime`'s dispatcher and session.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test rust_server`
//! rewrites the snapshot.

#![deny(warnings)]

// The bindings are a library; these tests use only part of it.
// It is prettyplease's output, pinned as is.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "data/rust/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use qapi_codegen::rust::{generate, Options};
use qapi_parser::{Dialect, Schema};
use qapi_runtime::command::{Command, Event, EventSet};
use qapi_runtime::compat::CompatPolicy;
use qapi_runtime::dispatch::{Dispatch, Session};
use qapi_runtime::events::Timestamp;
use serde_json::{json, Map, Value};
use server::commands::{self, Dispatcher, Handler};
use server::events::{self, AnyEvent};
use server::NodeInfo;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rust")
}

/// No configuration symbol is true: `gone` is left out.
fn options() -> Options {
    Options {
        cfg: Some(Vec::new()),
        ..Default::default()
    }
}

fn schema() -> Schema {
    let path = data_dir().join("server.json");
    Schema::from_file(&path.to_string_lossy(), &Dialect::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn snapshot_is_current() {
    let text = generate(&schema(), &options(), "server.json").expect("generated code parses");
    let snapshot = data_dir().join("server.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &text).expect("cannot write the snapshot");
        return;
    }
    let old = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        old == text,
        "{} is stale; run UPDATE_SNAPSHOTS=1 cargo test -p qapi-codegen --test rust_server",
        snapshot.display()
    );
}

/// A server keeping nodes in a list, shared by every connection.
#[derive(Default)]
struct Nodes {
    nodes: Mutex<Vec<NodeInfo>>,
    pokes: Mutex<u32>,
}

impl Handler for Nodes {
    fn query_nodes(&self) -> qapi_runtime::Result<Vec<NodeInfo>> {
        Ok(self.nodes.lock().unwrap().clone())
    }

    fn node_add(&self, arguments: NodeInfo) -> qapi_runtime::Result<()> {
        let mut nodes = self.nodes.lock().unwrap();
        if nodes.iter().any(|n| n.name == arguments.name) {
            return Err(qapi_runtime::Error::generic(format!(
                "Duplicate nodes with node-name='{}'",
                arguments.name
            )));
        }
        nodes.push(arguments);
        Ok(())
    }

    fn node_check(&self, arguments: NodeInfo) -> qapi_runtime::Result<bool> {
        let nodes = self.nodes.lock().unwrap();
        Ok(nodes.iter().any(|n| n.name == arguments.name))
    }

    fn node_del(&self, arguments: server::NodeDelArg) -> qapi_runtime::Result<()> {
        self.nodes
            .lock()
            .unwrap()
            .retain(|n| n.name != arguments.name);
        Ok(())
    }

    fn x_poke(&self) -> qapi_runtime::Result<()> {
        *self.pokes.lock().unwrap() += 1;
        Ok(())
    }

    fn raw(&self, arguments: &Map<String, Value>) -> qapi_runtime::Result<Value> {
        Ok(Value::Object(arguments.clone()))
    }

    fn slow(&self) -> qapi_runtime::Result<()> {
        Ok(())
    }

    fn old_stop(&self) -> qapi_runtime::Result<()> {
        Ok(())
    }

    fn query_stats(&self) -> qapi_runtime::Result<Vec<server::Stats>> {
        Ok(vec![stats()])
    }
}

fn stats() -> server::Stats {
    server::Stats {
        reads: 2,
        old_reads: Some(2),
    }
}

/// Sends each request in turn through one session; the replies as JSON
/// text (`-` for none).
fn converse<D: Dispatch>(server: &D, session: &mut Session, requests: &[Value]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            session
                .handle(server, r)
                .map_or("-".to_owned(), |v| v.to_string())
        })
        .collect()
}

fn negotiated(policy: CompatPolicy) -> Session {
    let mut session = Session::new(policy, true);
    let server = Dispatcher(Nodes::default());
    let reply = session.handle(
        &server,
        &json!({"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}),
    );
    assert_eq!(reply, Some(json!({"return": {}})));
    session
}

#[test]
fn commands_are_dispatched_to_the_handler() {
    let server = Dispatcher(Nodes::default());
    let mut session = negotiated(CompatPolicy::default());
    let table = [
        (
            json!({"execute": "node-add", "arguments": {"name": "a", "size": 1}, "id": 1}),
            r#"{"return":{},"id":1}"#,
        ),
        (
            json!({"execute": "node-add", "arguments": {"name": "a"}}),
            r#"{"error":{"class":"GenericError","desc":"Duplicate nodes with node-name='a'"}}"#,
        ),
        (
            json!({"execute": "node-check", "arguments": {"name": "a"}}),
            r#"{"return":true}"#,
        ),
        (
            json!({"exec-oob": "query-nodes", "id": "x"}),
            r#"{"return":[{"name":"a","size":1}],"id":"x"}"#,
        ),
        (
            json!({"execute": "node-add", "arguments": {"size": 1}}),
            r#"{"error":{"class":"GenericError","desc":"Parameter 'name' is missing"}}"#,
        ),
        (
            json!({"execute": "node-add", "arguments": {"name": "b", "bogus": 1}}),
            r#"{"error":{"class":"GenericError","desc":"Parameter 'bogus' is unexpected"}}"#,
        ),
        (
            json!({"execute": "query-nodes", "arguments": {"bogus": 1}}),
            r#"{"error":{"class":"GenericError","desc":"Parameter 'bogus' is unexpected"}}"#,
        ),
        (
            json!({"execute": "node-del", "arguments": {"name": "a", "force": true}}),
            r#"{"return":{}}"#,
        ),
        (json!({"execute": "query-nodes"}), r#"{"return":[]}"#),
        (json!({"execute": "x-poke", "id": 5}), "-"),
        (
            json!({"execute": "raw", "arguments": {"any": [1, {}]}}),
            r#"{"return":{"any":[1,{}]}}"#,
        ),
        (json!({"execute": "slow"}), r#"{"return":{}}"#),
        (
            json!({"execute": "unhandled"}),
            r#"{"error":{"class":"CommandNotFound","desc":"The command unhandled has not been found"}}"#,
        ),
        (
            json!({"execute": "gone"}),
            r#"{"error":{"class":"CommandNotFound","desc":"The command gone has not been found"}}"#,
        ),
        (
            json!({"exec-oob": "slow"}),
            r#"{"error":{"class":"GenericError","desc":"The command slow does not support OOB"}}"#,
        ),
        (
            json!({"execute": "qmp_capabilities"}),
            r#"{"error":{"class":"CommandNotFound","desc":"Capabilities negotiation is already complete, command ignored"}}"#,
        ),
    ];
    let requests: Vec<Value> = table.iter().map(|(r, _)| r.clone()).collect();
    let replies = converse(&server, &mut session, &requests);
    for ((request, want), got) in table.iter().zip(replies) {
        assert_eq!(&got, want, "{request}");
    }
    assert_eq!(*server.0.pokes.lock().unwrap(), 1);
}

#[test]
fn policy_rejects_deprecated_and_unstable_input() {
    let server = Dispatcher(Nodes::default());
    let mut policy = CompatPolicy::default();
    policy.set("deprecated-input=reject").unwrap();
    policy.set("unstable-input=reject").unwrap();
    let mut session = negotiated(policy);
    let requests = [
        json!({"execute": "old-stop"}),
        json!({"execute": "x-poke"}),
        json!({"execute": "node-del", "arguments": {"name": "a", "force": true}}),
        json!({"execute": "node-del", "arguments": {"name": "a"}}),
        json!({"execute": "stats-set", "arguments": {"stats": {"reads": 1, "old-reads": 1}}}),
        json!({"execute": "stats-set", "arguments": {"stats": {"reads": 1}}}),
        json!({"execute": "mode-set", "arguments": {"modes": ["new-mode", "old-mode"]}}),
        // The policy is applied where QEMU's visitor reaches the member:
        // a member before it is checked first.
        json!({"execute": "node-del", "arguments": {"name": 1, "force": true}}),
        json!({"execute": "node-del", "arguments": {"force": true}}),
        json!({"execute": "mode-set", "arguments": {"modes": ["old-mode", "no-mode"]}}),
        // A mandatory member is checked whether present or not.
        json!({"execute": "level-set", "arguments": {}}),
    ];
    assert_eq!(
        converse(&server, &mut session, &requests),
        [
            r#"{"error":{"class":"CommandNotFound","desc":"Deprecated command old-stop disabled by policy"}}"#,
            r#"{"error":{"class":"CommandNotFound","desc":"Unstable command x-poke disabled by policy"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Deprecated parameter force disabled by policy"}}"#,
            r#"{"return":{}}"#,
            r#"{"error":{"class":"GenericError","desc":"Deprecated parameter old-reads disabled by policy"}}"#,
            r#"{"error":{"class":"CommandNotFound","desc":"The command stats-set has not been found"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Deprecated value old-mode disabled by policy"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Invalid parameter type for 'name', expected: string"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Parameter 'name' is missing"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Deprecated value old-mode disabled by policy"}}"#,
            r#"{"error":{"class":"GenericError","desc":"Deprecated parameter level disabled by policy"}}"#,
        ]
    );
}

#[test]
fn policy_hides_deprecated_output() {
    let server = Dispatcher(Nodes::default());
    let request = [json!({"execute": "query-stats"})];
    let mut session = negotiated(CompatPolicy::default());
    assert_eq!(
        converse(&server, &mut session, &request),
        [r#"{"return":[{"reads":2,"old-reads":2}]}"#]
    );
    let mut hide = CompatPolicy::default();
    hide.set("deprecated-output=hide").unwrap();
    let mut session = negotiated(hide);
    assert_eq!(
        converse(&server, &mut session, &request),
        [r#"{"return":[{"reads":2}]}"#]
    );
    let ts = Timestamp {
        seconds: 1,
        microseconds: 2,
    };
    let event = AnyEvent::Stats(events::Stats(server::StatsArg { stats: stats() }));
    assert_eq!(
        event.message(ts, &hide).unwrap()["data"],
        json!({"stats": {"reads": 2}})
    );
    assert_eq!(
        event.message(ts, &CompatPolicy::default()).unwrap()["data"],
        json!({"stats": {"reads": 2, "old-reads": 2}})
    );
}

#[test]
fn command_table_holds_the_schema_flags() {
    let names: Vec<&str> = commands::COMMANDS.iter().map(|c| c.name).collect();
    assert!(!names.contains(&"gone"));
    assert_eq!(names.len(), 16);
    let info = |n: &str| Dispatcher(Nodes::default()).command(n).copied();
    assert!(info("query-nodes").unwrap().allow_oob);
    assert!(!info("x-poke").unwrap().success_response);
    assert!(info("x-poke").unwrap().features.unstable);
    assert!(info("old-stop").unwrap().features.deprecated);
    assert!(info("slow").unwrap().coroutine);
    assert!(!info("raw").unwrap().gen);
    assert!(info("qmp_capabilities").unwrap().allow_preconfig);
    assert_eq!(info("gone"), None);
}

#[test]
fn commands_serve_clients_too() {
    let add = commands::NodeAdd(NodeInfo {
        name: "a".into(),
        size: None,
    });
    assert_eq!(<commands::NodeAdd as Command>::NAME, "node-add");
    assert_eq!(serde_json::to_value(&add).unwrap(), json!({"name": "a"}));
    assert_eq!(
        serde_json::to_value(commands::QueryNodes).unwrap(),
        json!({})
    );
    let returns: <commands::NodeCheck as Command>::Returns =
        qapi_runtime::decode::Decode::from_value(&json!(true)).unwrap();
    assert!(returns);
}

#[test]
fn one_handler_serves_many_threads() {
    let server = Arc::new(Dispatcher(Nodes::default()));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut session = negotiated(CompatPolicy::default());
                let add = json!({"execute": "node-add", "arguments": {"name": format!("n{i}")}});
                session.handle(&*server, &add)
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), Some(json!({"return": {}})));
    }
    assert_eq!(server.0.nodes.lock().unwrap().len(), 4);
}

/// QEMU writes an event's members in its hash table's order:
/// `timestamp`, `event`, `data`.
#[test]
fn events_have_qemus_wire_form() {
    let ts = Timestamp {
        seconds: 1700000000,
        microseconds: 42,
    };
    let policy = CompatPolicy::default();
    let added = AnyEvent::NodeAdded(events::NodeAdded(NodeInfo {
        name: "a".into(),
        size: Some(3),
    }));
    assert_eq!(added.name(), "NODE_ADDED");
    assert_eq!(
        added.message(ts, &policy).unwrap().to_string(),
        r#"{"timestamp":{"seconds":1700000000,"microseconds":42},"event":"NODE_ADDED","data":{"name":"a","size":3}}"#
    );
    let stopped = AnyEvent::Stopped(events::Stopped);
    assert_eq!(
        stopped.message(ts, &policy).unwrap().to_string(),
        r#"{"timestamp":{"seconds":1700000000,"microseconds":42},"event":"STOPPED"}"#
    );
    let old = AnyEvent::OldEvent(events::OldEvent(server::OldEventArg { x: 1 }));
    assert!(old.message(ts, &policy).is_some());
    let mut hide = CompatPolicy::default();
    hide.set("deprecated-output=hide").unwrap();
    assert!(old.message(ts, &hide).is_none());
    assert!(added.message(ts, &hide).is_some());
    const { assert!(events::OldEvent::FEATURES.deprecated) };
    const { assert!(!events::Stopped::HAS_DATA) };
}

#[test]
fn events_decode_from_the_wire() {
    assert_eq!(
        AnyEvent::decode_event("NODE_ADDED", &json!({"name": "b"})),
        Some(Ok(AnyEvent::NodeAdded(events::NodeAdded(NodeInfo {
            name: "b".into(),
            size: None
        }))))
    );
    assert_eq!(
        AnyEvent::decode_event("STOPPED", &json!({})),
        Some(Ok(AnyEvent::Stopped(events::Stopped)))
    );
    // Events come from a QEMU that may be newer: members the schema does
    // not know are ignored, but a member of the wrong type is an error.
    assert_eq!(
        AnyEvent::decode_event("STOPPED", &json!({"x": 1})),
        Some(Ok(AnyEvent::Stopped(events::Stopped)))
    );
    assert!(matches!(
        AnyEvent::decode_event("NODE_ADDED", &json!({"name": 5})),
        Some(Err(_))
    ));
    assert_eq!(AnyEvent::decode_event("FUTURE", &json!({})), None);
}

#[test]
fn introspection_is_the_front_ends() {
    let entries = qapi_parser::introspect::introspect(&schema(), &Default::default());
    let want = qapi_parser::introspect::to_json(&entries, Some(&[]));
    assert_eq!(server::introspection::QMP_SCHEMA_JSON, want);
    let value = server::introspection::qmp_schema();
    let names: Vec<&str> = value
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"node-add"));
    assert!(!names.contains(&"gone"));
}

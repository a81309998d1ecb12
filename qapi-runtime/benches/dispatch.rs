//! Requests through a session and the generated dispatcher of the test
//! schema `qapi-codegen/tests/data/rust/server.json` (its committed
//! snapshot), from parsed request to reply value: a command that
//! succeeds, an argument error, an unknown command, and an event message.

use criterion::{criterion_group, criterion_main, Criterion};
use qapi_runtime::compat::CompatPolicy;
use qapi_runtime::dispatch::Session;
use qapi_runtime::events::Timestamp;
use serde_json::{json, Value};

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../qapi-codegen/tests/data/rust/server.rs"]
mod server;

use server::commands::{Dispatcher, Handler};

struct Nodes(Vec<server::NodeInfo>);

impl Handler for Nodes {
    fn query_nodes(&self) -> qapi_runtime::Result<Vec<server::NodeInfo>> {
        Ok(self.0.clone())
    }

    fn node_check(&self, arguments: server::NodeInfo) -> qapi_runtime::Result<bool> {
        Ok(self.0.iter().any(|n| n.name == arguments.name))
    }
}

fn negotiated(server: &Dispatcher<Nodes>) -> Session {
    let mut session = Session::new(CompatPolicy::default(), true);
    session.handle(server, &json!({"execute": "qmp_capabilities"}));
    session
}

fn bench(c: &mut Criterion) {
    let nodes = (0..4)
        .map(|i| server::NodeInfo {
            name: format!("node{i}"),
            size: Some(i),
        })
        .collect();
    let server = Dispatcher(Nodes(nodes));
    let mut session = negotiated(&server);
    let cases: [(&str, Value); 4] = [
        (
            "node-check",
            json!({"execute": "node-check", "arguments": {"name": "node3", "size": 1}, "id": 1}),
        ),
        ("query-nodes", json!({"execute": "query-nodes", "id": 2})),
        (
            "argument error",
            json!({"execute": "node-check", "arguments": {"name": 5}, "id": 3}),
        ),
        ("unknown command", json!({"execute": "nope", "id": 4})),
    ];
    for (name, request) in &cases {
        c.bench_function(&format!("dispatch {name}"), |b| {
            b.iter(|| session.handle(&server, std::hint::black_box(request)))
        });
    }
    let event = server::events::AnyEvent::NodeAdded(server::events::NodeAdded(server::NodeInfo {
        name: "n".into(),
        size: Some(1),
    }));
    let ts = Timestamp {
        seconds: 1,
        microseconds: 2,
    };
    let policy = CompatPolicy::default();
    c.bench_function("event message", |b| {
        b.iter(|| std::hint::black_box(&event).message(ts, &policy))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The async client against a real qemu-storage-daemon (UNIX and TCP),
//! with commands running concurrently from several tasks, and against
//! tiny fake servers that misbehave.

mod support;

use std::sync::Arc;

use qapi_runtime::qmp::{AsyncClient, ClientError};
use qapi_runtime::ErrorClass;
use serde_json::{json, Value};
use support::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;

async fn block_node_round_trip(client: &AsyncClient) {
    assert!(client
        .greeting()
        .is_some_and(|g| g.qemu_version().is_some()));
    client
        .execute(&BlockdevAddNull {
            driver: "null-co",
            node_name: "null0".into(),
            size: 1 << 20,
        })
        .await
        .expect("blockdev-add");
    let nodes = client.execute(&QueryNamedBlockNodes {}).await.unwrap();
    assert_eq!(node_names(&nodes), ["null0"]);
    client
        .execute(&BlockdevDel {
            node_name: "null0".into(),
        })
        .await
        .unwrap();
    let err = client
        .execute(&BlockdevDel {
            node_name: "null0".into(),
        })
        .await
        .unwrap_err();
    let err = err.command_error().expect("a QMP error");
    assert_eq!(err.class_kind(), Some(ErrorClass::GenericError));
    assert_eq!(err.desc, "Failed to find node with node-name='null0'");
}

#[tokio::test]
async fn qsd_over_unix_socket() {
    let Some(qsd) = qsd_unix("async-unix") else {
        return;
    };
    let client = AsyncClient::connect_unix(&qsd.socket).await.unwrap();
    block_node_round_trip(&client).await;
}

#[tokio::test]
async fn qsd_over_tcp() {
    let Some(qsd) = qsd_tcp("async-tcp") else {
        return;
    };
    let client = AsyncClient::connect_tcp(("127.0.0.1", qsd.port.unwrap()))
        .await
        .unwrap();
    block_node_round_trip(&client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qsd_concurrent_commands_and_events() {
    let Some(qsd) = qsd_unix("async-concurrent") else {
        return;
    };
    let client = Arc::new(AsyncClient::connect_unix(&qsd.socket).await.unwrap());

    // Many tasks, each adding, listing and deleting its own node.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let name = format!("node{i}");
                client
                    .execute(&BlockdevAddNull {
                        driver: "null-co",
                        node_name: name.clone(),
                        size: 4096,
                    })
                    .await
                    .unwrap();
                let nodes = client.execute(&QueryNamedBlockNodes {}).await.unwrap();
                assert!(node_names(&nodes).contains(&name));
                let v = client
                    .execute_raw("query-version", Value::Null)
                    .await
                    .unwrap();
                assert!(v["qemu"]["major"].is_u64());
                client
                    .execute(&BlockdevDel { node_name: name })
                    .await
                    .unwrap();
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let nodes = client.execute(&QueryNamedBlockNodes {}).await.unwrap();
    assert!(nodes.is_empty(), "{nodes:?}");

    let mut events = client.events();
    client
        .execute(&BlockdevCreateFile {
            job_id: "job0".into(),
            options: file_options(qsd.scratch("new.img")),
        })
        .await
        .unwrap();
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("concluded") {
        let TestEvents::JobStatusChange { id, status } =
            events.next_typed::<TestEvents>().await.unwrap().unwrap();
        assert_eq!(id, "job0");
        statuses.push(status);
    }
    assert_eq!(statuses.first().map(String::as_str), Some("created"));
    client
        .execute(&JobDismiss { id: "job0".into() })
        .await
        .unwrap();
    let ev = events.next().await.unwrap();
    assert_eq!(ev.data, json!({"status": "null", "id": "job0"}));
}

const GREETING: &[u8] = b"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 10}, \"package\": \"\"}, \"capabilities\": []}}\r\n";

fn socket_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("qmp-afake-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("s")
}

/// A fake server that negotiates, reads `n` requests and then sends
/// `tail` and closes.
async fn fake_server(name: &str, n: usize, tail: &'static [u8]) -> std::path::PathBuf {
    let path = socket_path(name);
    let listener = UnixListener::bind(&path).unwrap();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (r, mut w) = stream.into_split();
        let mut r = BufReader::new(r);
        w.write_all(GREETING).await.unwrap();
        let mut line = String::new();
        r.read_line(&mut line).await.unwrap();
        let req: Value = serde_json::from_str(&line).unwrap();
        let reply = json!({"return": {}, "id": req["id"]});
        w.write_all(format!("{reply}\r\n").as_bytes())
            .await
            .unwrap();
        for _ in 0..n {
            line.clear();
            r.read_line(&mut line).await.unwrap();
        }
        w.write_all(tail).await.unwrap();
    });
    path
}

#[tokio::test]
async fn eof_ends_every_pending_request() {
    let path = fake_server("eof", 3, b"").await;
    let client = Arc::new(AsyncClient::connect_unix(&path).await.unwrap());
    let pending: Vec<_> = (0..3)
        .map(|_| {
            let c = Arc::clone(&client);
            tokio::spawn(async move { c.execute_raw("query-version", Value::Null).await })
        })
        .collect();
    for p in pending {
        let err = p.await.unwrap().unwrap_err();
        assert!(matches!(err, ClientError::Closed), "{err}");
    }
    let err = client.execute_raw("x", Value::Null).await.unwrap_err();
    assert!(matches!(err, ClientError::Closed), "{err}");
    // The event stream ends too.
    assert!(client.events().next().await.is_none());
}

#[tokio::test]
async fn garbage_fails_pending_requests() {
    let path = fake_server("garbage", 1, b"\x01garbage\r\n").await;
    let client = AsyncClient::connect_unix(&path).await.unwrap();
    let err = client
        .execute_raw("query-version", Value::Null)
        .await
        .unwrap_err();
    match err {
        ClientError::Protocol(why) => assert_eq!(
            why,
            "the peer sent invalid JSON: JSON parse error, stray '\u{1}'"
        ),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn guest_agent_without_greeting() {
    let path = socket_path("agent");
    let listener = UnixListener::bind(&path).unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (r, mut w) = stream.into_split();
        let mut r = BufReader::new(r);
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line).await.unwrap();
        assert_eq!(line.first(), Some(&0xFF));
        let req: Value = serde_json::from_slice(&line[1..]).unwrap();
        let reply = json!({"return": req["arguments"]["id"], "id": req["id"]});
        w.write_all(&[0xFF]).await.unwrap();
        w.write_all(format!("{reply}\n").as_bytes()).await.unwrap();
        let mut line = String::new();
        r.read_line(&mut line).await.unwrap();
        let req: Value = serde_json::from_str(&line).unwrap();
        let reply = json!({"return": {"version": "9.9"}, "id": req["id"]});
        w.write_all(format!("{reply}\n").as_bytes()).await.unwrap();
    });
    let client = AsyncClient::guest_agent_unix(&path).await.unwrap();
    client.sync().await.unwrap();
    let info = client.execute_raw("guest-info", Value::Null).await.unwrap();
    assert_eq!(info["version"], "9.9");
    server.await.unwrap();
}

#[tokio::test]
async fn async_reader_yields_messages_errors_and_the_end() {
    use qapi_runtime::qmp::{AsyncMessageReader, ReadError};
    let input: &[u8] = b"{'execute': 'a'}\n@\n[1, 2]\n{\"x\": ";
    let mut reader = AsyncMessageReader::new(input);
    let mut items = Vec::new();
    while let Some(m) = reader.next_message().await {
        items.push(match m {
            Ok(v) => Ok(v),
            Err(ReadError::Json(e)) => Err(e.desc().to_string()),
            Err(ReadError::Io(e)) => panic!("{e}"),
        });
    }
    assert_eq!(
        items,
        [
            Ok(json!({"execute": "a"})),
            Err("JSON parse error, stray '@'".to_string()),
            Ok(json!([1, 2])),
            Err("JSON parse error, premature EOI".to_string()),
        ]
    );
}

//! The blocking client against a real qemu-storage-daemon (UNIX and TCP)
//! and against tiny fake servers that misbehave.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::thread;

use qapi_runtime::qmp::{Client, ClientError};
use qapi_runtime::ErrorClass;
use serde_json::{json, Value};
use support::*;

fn block_node_round_trip(client: &mut Client) {
    let greeting = client.greeting().expect("greeting");
    assert_eq!(greeting.qemu_version().map(|v| v.0 >= 5), Some(true));
    assert!(greeting.capabilities.iter().any(|c| c == "oob"));

    client
        .execute(&BlockdevAddNull {
            driver: "null-co",
            node_name: "null0".into(),
            size: 1 << 20,
        })
        .expect("blockdev-add");
    let nodes = client.execute(&QueryNamedBlockNodes {}).expect("query");
    assert_eq!(node_names(&nodes), ["null0"]);
    assert_eq!(nodes[0]["drv"], "null-co");

    client
        .execute(&BlockdevDel {
            node_name: "null0".into(),
        })
        .expect("blockdev-del");
    let err = client
        .execute(&BlockdevDel {
            node_name: "null0".into(),
        })
        .expect_err("a second blockdev-del fails");
    let err = err.command_error().expect("a QMP error");
    assert_eq!(err.class_kind(), Some(ErrorClass::GenericError));
    assert_eq!(err.desc, "Failed to find node with node-name='null0'");
    let nodes = client
        .execute_raw("query-named-block-nodes", Value::Null)
        .unwrap();
    assert_eq!(nodes, json!([]));
}

#[test]
fn qsd_over_unix_socket() {
    let Some(qsd) = qsd_unix("blocking-unix") else {
        return;
    };
    let mut client = Client::connect_unix(&qsd.socket).expect("connect");
    block_node_round_trip(&mut client);

    let err = client
        .execute_raw("no-such-command", Value::Null)
        .unwrap_err();
    let err = err.command_error().unwrap();
    assert_eq!(err.class_kind(), Some(ErrorClass::CommandNotFound));
    assert_eq!(err.desc, "The command no-such-command has not been found");
}

#[test]
fn qsd_over_tcp() {
    let Some(qsd) = qsd_tcp("blocking-tcp") else {
        return;
    };
    let port = qsd.port.unwrap();
    let mut client = Client::connect_tcp(("127.0.0.1", port)).expect("connect");
    block_node_round_trip(&mut client);
}

#[test]
fn qsd_pipelined_requests_and_job_events() {
    let Some(qsd) = qsd_unix("blocking-events") else {
        return;
    };
    let mut client = Client::connect_unix(&qsd.socket).expect("connect");

    // Three requests out at once, waited for out of order.
    let a = client.send_raw("query-version", Value::Null).unwrap();
    let b = client
        .send(&BlockdevAddNull {
            driver: "null-co",
            node_name: "n1".into(),
            size: 4096,
        })
        .unwrap();
    let c = client.send(&QueryNamedBlockNodes {}).unwrap();
    let nodes = client.wait(c).unwrap();
    assert_eq!(node_names(&nodes), ["n1"]);
    client.wait(b).unwrap();
    let version = client.wait_raw(a).unwrap();
    assert!(version["qemu"]["major"].is_u64());

    // A job: QSD sends its status changes, some before the reply.
    client
        .execute(&BlockdevCreateFile {
            job_id: "job0".into(),
            options: file_options(qsd.scratch("new.img")),
        })
        .unwrap();
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("concluded") {
        let TestEvents::JobStatusChange { id, status } =
            client.next_typed_event::<TestEvents>().unwrap();
        assert_eq!(id, "job0");
        statuses.push(status);
    }
    assert_eq!(statuses.first().map(String::as_str), Some("created"));
    client.execute(&JobDismiss { id: "job0".into() }).unwrap();
    let ev = client.next_event().unwrap();
    assert_eq!(ev.name, "JOB_STATUS_CHANGE");
    assert_eq!(ev.data, json!({"status": "null", "id": "job0"}));
    assert!(ev.timestamp.is_some_and(|t| t.seconds > 0));
}

/// Serves one connection of a fake QMP server with `script`.
fn fake_server(
    script: impl FnOnce(UnixStream) + Send + 'static,
) -> (std::path::PathBuf, thread::JoinHandle<()>) {
    let dir =
        std::env::temp_dir().join(format!("qmp-fake-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s");
    let listener = UnixListener::bind(&path).unwrap();
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        script(stream);
    });
    (path, handle)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

const GREETING: &[u8] = b"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 10}, \"package\": \"\"}, \"capabilities\": []}}\r\n";

/// Greets, answers the negotiation, then reads one request line.
fn negotiate(stream: &UnixStream) -> (BufReader<UnixStream>, UnixStream) {
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream.try_clone().unwrap());
    w.write_all(GREETING).unwrap();
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let req: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(req["execute"], "qmp_capabilities");
    w.write_all(format!("{{\"return\": {{}}, \"id\": {}}}\r\n", req["id"]).as_bytes())
        .unwrap();
    (r, w)
}

#[test]
fn eof_ends_a_pending_request() {
    let (path, server) = fake_server(|s| {
        let (mut r, _w) = negotiate(&s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        // Close without answering.
    });
    let mut client = Client::connect_unix(&path).unwrap();
    let err = client
        .execute_raw("query-version", Value::Null)
        .unwrap_err();
    assert!(matches!(err, ClientError::Closed), "{err}");
    assert!(matches!(
        client.execute_raw("x", Value::Null),
        Err(ClientError::Closed)
    ));
    server.join().unwrap();
}

#[test]
fn garbage_is_a_protocol_error() {
    let (path, server) = fake_server(|s| {
        let (mut r, mut w) = negotiate(&s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        w.write_all(b"{\"return\": @}\r\n").unwrap();
    });
    let mut client = Client::connect_unix(&path).unwrap();
    let err = client
        .execute_raw("query-version", Value::Null)
        .unwrap_err();
    match &err {
        ClientError::Protocol(why) => {
            assert_eq!(
                why,
                "the peer sent invalid JSON: JSON parse error, stray '@'"
            )
        }
        other => panic!("{other}"),
    }
    // The connection is not used further.
    assert!(matches!(
        client.execute_raw("x", Value::Null),
        Err(ClientError::Protocol(_))
    ));
    server.join().unwrap();
}

#[test]
fn a_bad_greeting_is_refused() {
    let (path, server) = fake_server(|mut s| {
        s.write_all(b"{\"hello\": 1}\r\n").unwrap();
    });
    let err = Client::connect_unix(&path).unwrap_err();
    assert!(matches!(err, ClientError::Protocol(_)), "{err}");
    server.join().unwrap();
}

#[test]
fn guest_agent_sync_and_replies() {
    let (path, server) = fake_server(|s| {
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        // The 0xFF the client sends to flush the agent's parser arrives
        // before the request on the same line.
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line.first(), Some(&0xFF));
        let req: Value = serde_json::from_slice(&line[1..]).unwrap();
        assert_eq!(req["execute"], "guest-sync-delimited");
        // Leftovers of an earlier session, then the delimited reply.
        w.write_all(b"{\"return\": 12345, \"id\": 999}\n").unwrap();
        let reply = json!({"return": req["arguments"]["id"], "id": req["id"]});
        w.write_all(&[0xFF]).unwrap();
        w.write_all(format!("{reply}\n").as_bytes()).unwrap();
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let req: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(req["execute"], "guest-ping");
        w.write_all(format!("{{\"return\": {{}}, \"id\": {}}}\n", req["id"]).as_bytes())
            .unwrap();
    });
    let mut client = Client::guest_agent_unix(&path).unwrap();
    assert!(client.greeting().is_none());
    client.sync().unwrap();
    assert_eq!(
        client.execute_raw("guest-ping", Value::Null).unwrap(),
        json!({})
    );
    server.join().unwrap();
}

#[test]
fn qsd_out_of_band_negotiation() {
    let Some(qsd) = qsd_unix("blocking-oob") else {
        return;
    };
    let stream = UnixStream::connect(&qsd.socket).unwrap();
    let mut client =
        Client::qmp_with_capabilities(stream.try_clone().unwrap(), stream, &["oob"]).unwrap();
    // query-version may not run out of band: QSD says so.
    let id = client.send_oob_raw("query-version", Value::Null).unwrap();
    let err = client.wait_raw(id).unwrap_err();
    let err = err.command_error().unwrap();
    assert_eq!(err.class, "GenericError");
    assert_eq!(err.desc, "The command query-version does not support OOB");
    assert!(client.execute_raw("query-version", Value::Null).is_ok());
}

#[test]
fn a_read_timeout_leaves_the_client_usable() {
    let (path, server) = fake_server(|s| {
        let (mut r, mut w) = negotiate(&s);
        let mut first = String::new();
        r.read_line(&mut first).unwrap();
        // No answer until the second request comes: by then the client
        // has timed out on the first.
        let mut second = String::new();
        r.read_line(&mut second).unwrap();
        for line in [first, second] {
            let req: Value = serde_json::from_str(&line).unwrap();
            let reply = json!({"return": req["execute"], "id": req["id"]});
            w.write_all(format!("{reply}\r\n").as_bytes()).unwrap();
        }
    });
    let stream = UnixStream::connect(&path).unwrap();
    let handle = stream.try_clone().unwrap();
    let mut client = Client::qmp(stream.try_clone().unwrap(), stream).unwrap();
    // Clones share the socket: the timeout applies to the client's reads.
    handle
        .set_read_timeout(Some(std::time::Duration::from_millis(50)))
        .unwrap();
    let err = client.execute_raw("first", Value::Null).unwrap_err();
    match err {
        ClientError::Io(e) => assert!(matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )),
        other => panic!("{other}"),
    }
    assert_eq!(
        client.execute_raw("second", Value::Null).unwrap(),
        json!("second")
    );
    server.join().unwrap();
}

//! The blocking QMP client with the generated bindings of the daemon's
//! own schema against the real qemu-storage-daemon: typed commands,
//! typed replies, a typed error and typed events.

mod qsd;

use qapi_conformance::qsd_10_0::commands::{
    BlockdevAdd, BlockdevCreate, BlockdevDel, JobDismiss, QueryNamedBlockNodes,
};
use qapi_conformance::qsd_10_0::events::AnyEvent;
use qapi_conformance::qsd_10_0::{
    BlockdevCreateArg, BlockdevDelArg, BlockdevOptions, JobDismissArg, JobStatus,
    QueryNamedBlockNodesArg,
};
use qapi_runtime::decode::Decode;
use std::io::ErrorKind;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use qapi_runtime::qmp::{Client, ClientError};
use qapi_runtime::ErrorClass;
use serde_json::json;

fn node_names(client: &mut Client) -> Vec<String> {
    let nodes = client
        .execute(&QueryNamedBlockNodes(QueryNamedBlockNodesArg {
            flat: None,
        }))
        .expect("query-named-block-nodes");
    nodes.into_iter().filter_map(|n| n.node_name).collect()
}

/// Connects once the daemon has opened its socket. The daemon can leave
/// a client that connects while it starts unanswered: a connection that
/// gets no greeting in time is replaced by a new one.
fn connect(daemon: &qsd::Daemon) -> Client {
    let start = Instant::now();
    let mut silent = 0;
    loop {
        let stream = match UnixStream::connect(daemon.socket()) {
            Ok(stream) => stream,
            Err(e) if start.elapsed() > Duration::from_secs(30) => {
                panic!("cannot connect to {}: {e:?}", qsd::DAEMON)
            }
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("cannot set a timeout");
        let reader = stream.try_clone().expect("cannot clone the socket");
        match Client::qmp(reader, stream.try_clone().expect("cannot clone the socket")) {
            Ok(client) => {
                // Replies to the test's commands may take longer.
                stream
                    .set_read_timeout(Some(Duration::from_secs(120)))
                    .expect("cannot set a timeout");
                return client;
            }
            Err(ClientError::Io(e))
                if silent < 5
                    && matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                silent += 1;
            }
            Err(e) => panic!("cannot connect to {}: {e:?}", qsd::DAEMON),
        }
    }
}

#[test]
fn typed_commands_events_and_errors() {
    if !qsd::daemon_installed() {
        eprintln!("skipped: {} is not installed", qsd::DAEMON);
        return;
    }
    let daemon = qsd::Daemon::start("client", &[]);
    let mut client = connect(&daemon);

    let options = BlockdevOptions::from_value(&json!({
        "driver": "null-co", "node-name": "null0", "size": 1048576
    }))
    .expect("valid options");
    client.execute(&BlockdevAdd(options)).expect("blockdev-add");
    assert_eq!(node_names(&mut client), ["null0"]);
    let del = BlockdevDel(BlockdevDelArg {
        node_name: "null0".into(),
    });
    client.execute(&del).expect("blockdev-del");
    let err = client.execute(&del).expect_err("the node is gone");
    let err = err.command_error().expect("a QMP error reply");
    assert_eq!(err.class_kind(), Some(ErrorClass::GenericError));
    assert_eq!(err.desc, "Failed to find node with node-name='null0'");
    assert!(node_names(&mut client).is_empty());

    // Creating an image is a job, whose state changes are events.
    let image = daemon.dir().join("created.raw");
    let create = BlockdevCreateArg::from_value(&json!({
        "job-id": "j0",
        "options": {"driver": "file", "filename": image.to_string_lossy(), "size": 65536}
    }))
    .expect("valid job");
    client
        .execute(&BlockdevCreate(create))
        .expect("blockdev-create");
    let mut seen = Vec::new();
    for event in client.typed_events::<AnyEvent>() {
        let event = event.expect("a typed event");
        if let AnyEvent::JobStatusChange(change) = event {
            assert_eq!(change.0.id, "j0");
            seen.push(change.0.status);
            if change.0.status == JobStatus::Concluded {
                break;
            }
        }
    }
    assert_eq!(seen.first(), Some(&JobStatus::Created));
    assert!(seen.contains(&JobStatus::Running), "{seen:?}");
    client
        .execute(&JobDismiss(JobDismissArg { id: "j0".into() }))
        .expect("job-dismiss");
}

//! Event messages in the wire form qemu-storage-daemon writes, member
//! order included (recorded by `data/record_dispatch.py`).

use qapi_runtime::events::{raw_message, Timestamp};
use serde_json::Value;

#[test]
fn event_messages_are_laid_out_as_qsd_writes_them() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dispatch_replies.json"
    );
    let recording: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("recording")).expect("JSON");
    let events = recording["events"].as_array().expect("events");
    assert!(!events.is_empty());
    for line in events {
        let line = line.as_str().expect("a line");
        let event: Value = serde_json::from_str(line).expect("JSON");
        let ts = Timestamp {
            seconds: event["timestamp"]["seconds"].as_i64().expect("seconds"),
            microseconds: event["timestamp"]["microseconds"].as_i64().expect("µs"),
        };
        let name = event["event"].as_str().expect("name");
        let ours = raw_message(name, event.get("data").cloned(), ts);
        assert_eq!(ours.to_string(), event.to_string());
    }
}

#[test]
fn timestamps_split_seconds_and_microseconds() {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_micros(1_500_000_123);
    assert_eq!(
        Timestamp::from(t),
        Timestamp {
            seconds: 1500,
            microseconds: 123
        }
    );
    assert!(Timestamp::now().seconds > 1_600_000_000);
}

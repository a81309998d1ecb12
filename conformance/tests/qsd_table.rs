//! The generated decoders against the real qemu-storage-daemon 10.0.2:
//! for every recorded input (`tests/data/qsd-cases.json`), decoding the
//! command's arguments with the `qsd_10_0` bindings fails with exactly the
//! `desc` the daemon replied (`tests/data/qsd-replies.json`), or succeeds
//! where the daemon got past decoding. When the daemon is installed, its
//! live replies are checked against the recording too, so a recording
//! that no longer holds is noticed.

mod qsd;

use qapi_conformance::qsd_10_0 as bindings;
use qapi_runtime::decode::Decode;
use serde_json::Value;

/// Decodes a command's arguments into the command's argument type (the
/// boxed type for a `boxed` command), as the daemon's marshaller does
/// before running the command.
fn decode(command: &str, args: &Value) -> Result<(), String> {
    let r = match command {
        "blockdev-add" => bindings::BlockdevOptions::from_value(args).map(drop),
        "blockdev-reopen" => bindings::BlockdevReopenArg::from_value(args).map(drop),
        "block-export-add" => bindings::BlockExportOptions::from_value(args).map(drop),
        other => panic!("the table has a case for {other}, which this test cannot decode"),
    };
    r.map_err(|e| e.to_string())
}

#[test]
fn decoders_give_the_recorded_errors() {
    let (cases, replies) = qsd::table();
    let mut failures = Vec::new();
    for (case, recorded) in cases.qmp.iter().zip(&replies.qmp) {
        let ours = decode(&case.command, &case.arguments());
        let want = match recorded.error() {
            Some(desc) if !case.after_decode => Err(desc.to_owned()),
            _ => Ok(()),
        };
        if ours != want {
            failures.push(format!(
                "  {}: ours {ours:?}, {} {want:?}",
                case.name,
                qsd::DAEMON
            ));
        }
    }
    qsd::report(&failures, cases.qmp.len());
}

#[test]
fn the_table_covers_errors_and_successes() {
    let (_, replies) = qsd::table();
    let errors = replies.qmp.iter().filter(|r| r.error().is_some()).count();
    let successes = replies.qmp.len() - errors;
    assert!(errors >= 40, "only {errors} error cases");
    assert!(successes >= 5, "only {successes} accepted inputs");
    let started = replies.keyval.iter().filter(|r| r.started).count();
    assert!(replies.keyval.len() >= 15 && started >= 3);
}

#[test]
fn live_daemon_gives_the_recorded_replies() {
    if !qsd::daemon_installed() {
        return;
    }
    let (cases, replies) = qsd::table();
    assert_eq!(
        qsd::daemon_version(),
        replies.version,
        "the recording is of another qemu-storage-daemon"
    );
    let mut failures = Vec::new();
    for (case, recorded) in cases.qmp.iter().zip(&replies.qmp) {
        let live = qsd::run_qmp(case);
        if live != recorded.reply {
            failures.push(format!(
                "  {}: live {live}, recorded {}",
                case.name, recorded.reply
            ));
        }
    }
    for (case, recorded) in cases.keyval.iter().zip(&replies.keyval) {
        let live = qsd::run_keyval(case);
        if &live != recorded {
            failures.push(format!(
                "  {}: live {live:?}, recorded {recorded:?}",
                case.name
            ));
        }
    }
    qsd::report(&failures, cases.qmp.len() + cases.keyval.len());
}

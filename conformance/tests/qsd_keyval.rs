//! The command-line input path against the real qemu-storage-daemon
//! 10.0.2: for every recorded `--blockdev STRING`
//! (`tests/data/qsd-cases.json`), decoding the string as `BlockdevOptions`
//! the way the daemon does fails with exactly the message it printed, or
//! succeeds where the daemon started or got past decoding. (The live
//! replies are checked in `qsd_table.rs`.)

mod qsd;

use qapi_conformance::qsd_10_0::BlockdevOptions;
use qapi_runtime::{decode, keyval};

/// The daemon reads its option as JSON when it starts with `{`, else as
/// keyval with `driver` as the implied key of a leading bare value.
fn decode_blockdev(s: &str) -> Result<(), String> {
    let r = if s.starts_with('{') {
        decode::from_str::<BlockdevOptions>(s)
    } else {
        let value = keyval::parse(s, Some("driver")).map_err(|e| e.to_string())?;
        decode::from_keyval::<BlockdevOptions>(&value)
    };
    r.map(drop).map_err(|e| e.to_string())
}

#[test]
fn keyval_decoding_gives_the_recorded_errors() {
    let (cases, replies) = qsd::table();
    let mut failures = Vec::new();
    for (case, recorded) in cases.keyval.iter().zip(&replies.keyval) {
        let want = if recorded.started || case.after_decode {
            Ok(())
        } else {
            match recorded.message(&case.blockdev) {
                Some(msg) => Err(msg.to_owned()),
                None => panic!("{}: unexpected stderr {:?}", case.name, recorded.stderr),
            }
        };
        let ours = decode_blockdev(&case.blockdev);
        if ours != want {
            failures.push(format!(
                "  {} ({}): ours {ours:?}, {} {want:?}",
                case.name,
                case.blockdev,
                qsd::DAEMON
            ));
        }
    }
    qsd::report(&failures, cases.keyval.len());
}

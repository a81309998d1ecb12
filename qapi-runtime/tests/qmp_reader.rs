//! The QMP message reader against qemu-storage-daemon's own replies to
//! raw input (tests/data/qmp-reader-replies.json, made by
//! tests/data/record_qmp_reader.py): every parse error text, where the
//! parser recovers, and the size and nesting limits.

use std::io::Read;

use qapi_runtime::qmp::{JsonStreamer, MessageReader, ReadError};
use serde_json::{json, Value};

fn recording() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/qmp-reader-replies.json"
    );
    let text = std::fs::read_to_string(path).expect("recording");
    serde_json::from_str(&text).expect("recording is JSON")
}

fn build(parts: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts.as_array().expect("parts") {
        let chunk = match (p.get("utf8"), p.get("hex")) {
            (Some(Value::String(s)), _) => s.as_bytes().to_vec(),
            (_, Some(Value::String(h))) => (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                .collect(),
            _ => panic!("bad part {p}"),
        };
        let count = p.get("count").and_then(Value::as_u64).unwrap_or(1);
        for _ in 0..count {
            out.extend_from_slice(&chunk);
        }
    }
    out
}

fn same_id(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => ours == theirs,
    }
}

/// Checks one message of ours against QSD's reply to it. Parse errors
/// must match exactly; for well-formed input the monitor's dispatcher
/// answers, which is not under test beyond ids and the object check.
fn check_reply(case: &str, ours: &Result<Value, qapi_runtime::Error>, reply: &Value) {
    match ours {
        Err(e) => {
            let expected = json!({"error": {"class": "GenericError", "desc": e.desc()}});
            assert_eq!(reply, &expected, "{case}: our error {:?}", e.desc());
        }
        Ok(v) if !v.is_object() => {
            let desc = reply["error"]["desc"].as_str();
            assert_eq!(desc, Some("QMP input must be a JSON object"), "{case}: {v}");
        }
        Ok(v) => {
            if let Some(desc) = reply["error"]["desc"].as_str() {
                assert!(
                    !desc.starts_with("JSON"),
                    "{case}: we parsed {v}, QSD: {desc}"
                );
            }
            if v["execute"] == "query-version" && v.as_object().is_some_and(|o| o.len() == 2) {
                assert!(reply.get("return").is_some(), "{case}: {reply}");
                assert!(
                    same_id(&v["id"], &reply["id"]),
                    "{case}: id {} vs {}",
                    v["id"],
                    reply["id"]
                );
            }
        }
    }
}

fn run_case(case: &Value, sentinel: &[u8], chunk: usize) {
    let name = case["name"].as_str().expect("name");
    let mut input = build(&case["input"]);
    input.extend_from_slice(sentinel);
    let mut streamer = JsonStreamer::new();
    let mut ours = Vec::new();
    for piece in input.chunks(chunk) {
        streamer.feed(piece);
        while let Some(m) = streamer.next_message() {
            ours.push(m);
        }
    }
    // The sentinel's own query-version is the last message.
    let last = ours.pop().expect("sentinel");
    assert_eq!(
        last.as_ref().ok().map(|v| &v["id"]),
        Some(&json!("sentinel")),
        "{name}"
    );
    let replies = case["replies"].as_array().expect("replies");
    for (i, (m, r)) in ours.iter().zip(replies).enumerate() {
        check_reply(&format!("{name} (message {i}, chunk {chunk})"), m, r);
    }
    assert_eq!(ours.len(), replies.len(), "{name}: number of messages");
}

#[test]
fn replies_match_qemu_storage_daemon() {
    let rec = recording();
    let sentinel = build(&json!([rec["sentinel"]]));
    let cases = rec["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let size = build(&case["input"]).len();
        // Chunk boundaries must not matter: split everywhere on small
        // input, at odd places on large input (once is enough for the
        // 64 MiB cases).
        run_case(case, &sentinel, 4093);
        if size < 10_000 {
            run_case(case, &sentinel, 1);
        } else if size < 10 << 20 {
            run_case(case, &sentinel, 64 * 1024);
        }
    }
}

#[test]
fn texts_of_common_errors() {
    let mut s = JsonStreamer::new();
    s.feed(b"{\"execute\": bad}\n}\n@\n{'execute': 'x', 'id': \"it's\"}\n");
    let descs: Vec<String> = std::iter::from_fn(|| s.next_message())
        .map(|m| match m {
            Ok(v) => v.to_string(),
            Err(e) => e.desc().to_string(),
        })
        .collect();
    assert_eq!(
        descs,
        [
            "JSON parse error, invalid keyword 'bad'",
            "JSON parse error, expecting value",
            "JSON parse error, stray '@'",
            r#"{"execute":"x","id":"it's"}"#,
        ]
    );
}

#[test]
fn a_deep_nesting_attack_is_cut_off_and_reading_goes_on() {
    let mut s = JsonStreamer::new();
    s.feed(&vec![b'['; 100_000]);
    s.feed(b"\xff\n{\"execute\": \"next\"}");
    let mut errors = 0;
    let mut last = None;
    while let Some(m) = s.next_message() {
        match m {
            Err(e) if e.desc() == "JSON nesting depth limit exceeded" => errors += 1,
            Err(e) => assert!(
                e.desc().starts_with("JSON parse error, stray"),
                "{}",
                e.desc()
            ),
            Ok(v) => last = Some(v),
        }
    }
    assert_eq!(errors, 100_000 / 1025);
    assert_eq!(last, Some(json!({"execute": "next"})));
}

/// A reader that hands out at most `step` bytes per call, as a socket may.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn reader_yields_messages_errors_and_the_end() {
    let data = b"{\"return\": {}}\r\n{\"event\": \"STOP\", \"data\": {}}\r\n01\n[1, 2";
    let reader = MessageReader::new(Trickle { data, step: 3 });
    let items: Vec<_> = reader
        .map(|m| match m {
            Ok(v) => Ok(v),
            Err(ReadError::Json(e)) => Err(e.desc().to_string()),
            Err(ReadError::Io(e)) => panic!("{e}"),
        })
        .collect();
    assert_eq!(
        items,
        [
            Ok(json!({"return": {}})),
            Ok(json!({"event": "STOP", "data": {}})),
            Err("JSON parse error, stray '01'".to_string()),
            // The stream ended inside a message.
            Err("JSON parse error, premature EOI".to_string()),
        ]
    );
}

#[test]
fn a_value_waiting_for_lookahead_ends_at_the_end_of_input() {
    let items: Vec<_> = MessageReader::new(&b"true"[..]).collect();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().ok(), Some(&json!(true)));
}

#[test]
fn reader_reports_io_errors_once() {
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("boom"))
        }
    }
    let mut r = MessageReader::new(Broken);
    assert!(matches!(r.next(), Some(Err(ReadError::Io(_)))));
    assert!(r.next().is_none());
}

#[test]
fn numbers_keep_qemu_types() {
    let mut s = JsonStreamer::new();
    s.feed(b"[1, -1, 18446744073709551615, 18446744073709551616, 1.5, -0, 1e400]");
    let v = s.next_message().unwrap().unwrap();
    assert!(v[0].is_i64() && v[1].is_i64() && v[5].is_i64());
    assert!(v[2].is_u64() && !v[2].is_i64());
    assert!(v[3].is_f64() && v[4].is_f64());
    assert_eq!(v[6].as_f64(), Some(f64::MAX));
}

/// Everything the streamer makes of `input` fed in pieces cut at `cuts`,
/// then ended.
fn messages(input: &[u8], cuts: &[usize]) -> Vec<Result<Value, String>> {
    let mut s = JsonStreamer::new();
    let mut last = 0;
    let mut points: Vec<usize> = cuts.iter().map(|&c| c % (input.len() + 1)).collect();
    points.sort_unstable();
    for p in points.into_iter().chain([input.len()]) {
        s.feed(&input[last..p]);
        last = p;
    }
    s.finish();
    std::iter::from_fn(|| s.next_message())
        .map(|m| m.map_err(|e| e.desc().to_string()))
        .collect()
}

proptest::proptest! {
    /// Any bytes, cut anywhere: no panic, and the same messages as in one
    /// piece.
    #[test]
    fn chunking_never_changes_the_messages(
        input in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(b"{}[],:\"'\\ \n\t-+.eE0123456789aeflnrstux%".to_vec()),
                proptest::num::u8::ANY,
            ],
            0..200,
        ),
        cuts in proptest::collection::vec(0usize..1000, 0..8),
    ) {
        let whole = messages(&input, &[]);
        proptest::prop_assert_eq!(messages(&input, &cuts), whole);
    }
}

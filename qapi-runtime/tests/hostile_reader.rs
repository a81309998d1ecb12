//! The QMP message reader on random byte streams, standing in for the
//! `qmp_reader` fuzz target on every test run: chunking never changes
//! what comes out, garbage never panics, and after a recovery point
//! (`0xFF` then a line end, as clients resynchronize with QEMU) the valid
//! messages that follow come out whole.

use std::io::{self, Read};

use proptest::collection::vec;
use proptest::prelude::*;
use qapi_runtime::qmp::{JsonStreamer, MessageReader, ReadError};
use serde_json::{Map, Number, Value};

type Message = Result<Value, String>;

/// A stream that hands out its bytes in the chunk sizes given, cycling.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        let n = size.min(buf.len()).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        buf[..n].copy_from_slice(head);
        self.data = rest;
        Ok(n)
    }
}

fn at_once(data: &[u8]) -> Vec<Message> {
    let mut s = JsonStreamer::new();
    s.feed(data);
    s.finish();
    std::iter::from_fn(|| s.next_message())
        .map(|m| m.map_err(|e| e.desc().to_owned()))
        .collect()
}

fn chunked(data: &[u8], sizes: Vec<usize>) -> Vec<Message> {
    let stream = Chunked {
        data,
        sizes,
        next: 0,
    };
    MessageReader::new(stream)
        .map(|m| match m {
            Ok(v) => Ok(v),
            Err(ReadError::Json(e)) => Err(e.desc().to_owned()),
            Err(ReadError::Io(e)) => panic!("I/O error from a slice: {e}"),
        })
        .collect()
}

/// JSON values QEMU's parser reads back as the same value: no U+0000 in
/// strings (QEMU refuses `\u0000`) and no noncharacters (U+FDD0 to
/// U+FDEF, U+xFFFE and U+xFFFF, which its UTF-8 decoder refuses),
/// integers within i64 (larger ones become doubles), and doubles that
/// print exactly.
fn json_value() -> impl Strategy<Value = Value> {
    let string = "[^\u{0}\u{FDD0}-\u{FDEF}\u{FFFE}\u{FFFF}\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}-\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]{0,12}";
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        (-1000i32..1000, 0u8..4).prop_map(|(m, e)| {
            let x = f64::from(m) / f64::from(10i32.pow(u32::from(e))) + 0.5;
            Value::Number(Number::from_f64(x).unwrap_or_else(|| 0.into()))
        }),
        string.prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((string, inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// QMP-like messages: objects, as clients send them.
fn message() -> impl Strategy<Value = Value> {
    vec(("[a-z-]{1,10}", json_value()), 0..4)
        .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>()))
}

/// Bytes that often look like JSON: brackets, quotes, escapes, keywords,
/// numbers, invalid UTF-8 and control bytes.
fn garbage() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        prop::sample::select(vec![
            "{", "}", "[", "]", ":", ",", "\"", "'", "\\", "\\u", "\\ud800", "true", "nul", "1e",
            "-", "0x", "1.5", " ", "\n", "\r\n", "\"abc", "{'a': ",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::sample::select(vec![
            vec![0xC0, 0x80],
            vec![0xE0, 0x80],
            vec![0xF4, 0x90, 0x80, 0x80],
            vec![0xFE],
            vec![0xFF],
        ]),
    ];
    vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn encode(message: &Value, pretty: bool) -> Vec<u8> {
    let text = if pretty {
        serde_json::to_string_pretty(message)
    } else {
        serde_json::to_string(message)
    };
    text.expect("a Value serializes").into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any stream (valid messages and garbage mixed) gives the same
    /// messages and errors however it is split into reads.
    #[test]
    fn chunking_changes_nothing(
        parts in vec(prop_oneof![
            (message(), any::<bool>()).prop_map(|(m, p)| encode(&m, p)),
            garbage(),
        ], 0..8),
        sizes in vec(1usize..20, 1..8),
    ) {
        let data = parts.concat();
        let whole = at_once(&data);
        for m in &whole {
            if let Err(desc) = m {
                prop_assert!(desc.starts_with("JSON "), "unexpected error text {:?}", desc);
            }
        }
        prop_assert_eq!(whole, chunked(&data, sizes));
    }

    /// Valid messages come out as themselves, one item each.
    #[test]
    fn valid_messages_come_out_whole(
        messages in vec(message(), 0..6),
        pretty in any::<bool>(),
        sizes in vec(1usize..64, 1..4),
    ) {
        let mut data = Vec::new();
        for m in &messages {
            data.extend(encode(m, pretty));
            data.extend_from_slice(b"\r\n");
        }
        let want: Vec<Message> = messages.into_iter().map(Ok).collect();
        prop_assert_eq!(chunked(&data, sizes), want);
    }

    /// Whatever garbage came before, a client that sends `0xFF` and a
    /// line end gets its next messages read as sent.
    #[test]
    fn messages_after_a_recovery_point_come_out(
        junk in garbage(),
        messages in vec(message(), 1..4),
        sizes in vec(1usize..32, 1..4),
    ) {
        let mut data = junk;
        data.extend_from_slice(b"\xff\n");
        for m in &messages {
            data.extend(encode(m, false));
            data.push(b'\n');
        }
        let out = chunked(&data, sizes);
        prop_assert!(out.len() >= messages.len(), "too few messages: {:?}", out);
        let tail = &out[out.len() - messages.len()..];
        let want: Vec<Message> = messages.into_iter().map(Ok).collect();
        prop_assert_eq!(tail, &want[..]);
    }
}

/// Many unclosed brackets are refused at the nesting limit, and a valid
/// message after the recovery point still comes out; memory stays
/// bounded by the message size limit.
#[test]
fn deep_nesting_then_a_message() {
    let mut data = vec![b'['; 100_000];
    data.extend_from_slice(b"\xff\n{\"execute\": \"query-version\"}\n");
    let out = chunked(&data, vec![4096]);
    assert_eq!(
        out.first(),
        Some(&Err("JSON nesting depth limit exceeded".to_owned()))
    );
    assert_eq!(
        out.last(),
        Some(&Ok(serde_json::json!({"execute": "query-version"})))
    );
}

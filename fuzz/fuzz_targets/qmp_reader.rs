//! The QMP message reader on arbitrary bytes: every message comes out as a
//! value or QEMU's error, never a panic, hang or unbounded allocation, and
//! splitting the input at arbitrary points changes nothing. The first two
//! bytes seed the split points.

#![no_main]

use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use qapi_runtime::qmp::{JsonStreamer, MessageReader, ReadError};
use serde_json::Value;

type Message = Result<Value, String>;

/// A stream that hands out its bytes in the chunk sizes given.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: std::iter::Cycle<std::vec::IntoIter<usize>>,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = self.sizes.next().unwrap_or(1).min(buf.len());
        let n = want.min(self.data.len());
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
        sizes: sizes.into_iter().cycle(),
    };
    MessageReader::new(stream)
        .map(|m| match m {
            Ok(v) => Ok(v),
            Err(ReadError::Json(e)) => Err(e.desc().to_owned()),
            Err(ReadError::Io(e)) => panic!("I/O error from a slice: {e}"),
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, data)) = data.split_first() else {
        return;
    };
    // Chunk sizes 1..=16 drawn from the seed byte, so short splits (one
    // byte at a time, a token cut anywhere) are common.
    let mut x = u32::from(seed) | 0x100;
    let sizes: Vec<usize> = (0..7)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) % 16 + 1) as usize
        })
        .collect();
    let whole = at_once(data);
    for m in &whole {
        if let Err(desc) = m {
            assert!(desc.starts_with("JSON "), "unexpected error text {desc:?}");
        }
    }
    assert_eq!(whole, chunked(data, sizes), "chunking changed the messages");
});

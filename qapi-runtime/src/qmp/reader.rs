//! Reading QMP messages from a blocking byte stream.

use std::fmt;
use std::io::{self, Read};

use serde_json::Value;

use super::json_streamer::JsonStreamer;
use crate::Error;

/// Bytes read from the stream at once.
pub(crate) const CHUNK: usize = 64 * 1024;

/// Why a message could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The bytes were not a well-formed message; `Error` is what QEMU
    /// answers such input with. Reading can go on with the next message.
    Json(Error),
    /// The stream failed; nothing more can be read.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Json(e) => e.fmt(f),
            ReadError::Io(e) => write!(f, "read error: {e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Json(e) => Some(e),
            ReadError::Io(e) => Some(e),
        }
    }
}

/// Reads QMP messages (commands on the server side, replies and events on
/// the client side) from `R`, parsing them as QEMU does.
///
/// The iterator yields one item per message, `Err(ReadError::Json)` for
/// input QEMU would reject (and goes on after it), and ends at the end of
/// the stream or after an I/O error other than a read timeout.
///
/// ```
/// use qapi_runtime::qmp::MessageReader;
///
/// let input: &[u8] = b"{\"return\": {}}\r\n{\"event\": \"STOP\"}\r\n";
/// let msgs: Vec<_> = MessageReader::new(input).map(|m| m.unwrap()).collect();
/// assert_eq!(msgs.len(), 2);
/// ```
#[derive(Debug)]
pub struct MessageReader<R> {
    inner: R,
    streamer: JsonStreamer,
    buf: Box<[u8]>,
    done: bool,
}

impl<R: Read> MessageReader<R> {
    pub fn new(inner: R) -> Self {
        MessageReader {
            inner,
            streamer: JsonStreamer::new(),
            buf: vec![0; CHUNK].into_boxed_slice(),
            done: false,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The next message, reading only as much as it takes: a message is
    /// returned as soon as its last byte has arrived.
    pub fn read_message(&mut self) -> Option<Result<Value, ReadError>> {
        loop {
            if let Some(m) = self.streamer.next_message() {
                return Some(m.map_err(ReadError::Json));
            }
            if self.done {
                return None;
            }
            match self.inner.read(&mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    self.streamer.finish();
                }
                Ok(n) => self.streamer.feed(self.buf.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A read timeout (or a non-blocking stream with nothing to
                // read) leaves the stream usable: the next call goes on.
                Err(e) if is_retryable(&e) => return Some(Err(ReadError::Io(e))),
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadError::Io(e)));
                }
            }
        }
    }
}

/// Whether an I/O error leaves the stream usable.
pub(crate) fn is_retryable(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl<R: Read> Iterator for MessageReader<R> {
    type Item = Result<Value, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_message()
    }
}

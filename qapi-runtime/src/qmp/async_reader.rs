//! Reading QMP messages from a tokio byte stream.

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::json_streamer::JsonStreamer;
use super::reader::{ReadError, CHUNK};

/// The async twin of [`super::MessageReader`].
#[derive(Debug)]
pub struct AsyncMessageReader<R> {
    inner: R,
    streamer: JsonStreamer,
    buf: Box<[u8]>,
    done: bool,
}

impl<R: AsyncRead + Unpin> AsyncMessageReader<R> {
    pub fn new(inner: R) -> Self {
        AsyncMessageReader {
            inner,
            streamer: JsonStreamer::new(),
            buf: vec![0; CHUNK].into_boxed_slice(),
            done: false,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The next message; `None` at the end of the stream and after an
    /// I/O error.
    ///
    /// Cancel-safe: if the future is dropped before it completes, no
    /// input is lost and the next call goes on where this one stopped.
    pub async fn next_message(&mut self) -> Option<Result<Value, ReadError>> {
        loop {
            if let Some(m) = self.streamer.next_message() {
                return Some(m.map_err(ReadError::Json));
            }
            if self.done {
                return None;
            }
            match self.inner.read(&mut self.buf).await {
                Ok(0) => {
                    self.done = true;
                    self.streamer.finish();
                }
                Ok(n) => self.streamer.feed(self.buf.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadError::Io(e)));
                }
            }
        }
    }
}

//! Reads QMP messages from a byte stream: one JSON value after another.
//!
//! TODO(lead): replace with the QMP JSON reader with QEMU's limits
//! (branch `client`) once it lands; this module is the only reader.

use std::io::Read;

use serde_json::Value;

/// What the reader found next.
pub enum Message {
    Value(Value),
    /// Input that is not JSON; the text is QEMU's error description.
    Invalid(String),
}

pub struct Reader<R> {
    input: R,
    pending: String,
}

impl<R: Read> Reader<R> {
    pub fn new(input: R) -> Self {
        Reader {
            input,
            pending: String::new(),
        }
    }

    /// The next message, or `None` at the end of the stream.
    pub fn next_message(&mut self) -> Option<Message> {
        loop {
            let trimmed = self.pending.trim_start();
            if !trimmed.is_empty() {
                let mut stream = serde_json::Deserializer::from_str(trimmed).into_iter::<Value>();
                match stream.next() {
                    Some(Ok(v)) => {
                        let used = stream.byte_offset();
                        self.pending = trimmed[used..].to_owned();
                        return Some(Message::Value(v));
                    }
                    Some(Err(e)) if e.is_eof() => {}
                    Some(Err(_)) => {
                        self.pending.clear();
                        return Some(Message::Invalid("JSON parse error".to_owned()));
                    }
                    None => {}
                }
            }
            // Clients need not end a message with a newline (qemu.qmp
            // does not), so parse whatever has arrived.
            let mut chunk = [0u8; 4096];
            match self.input.read(&mut chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    continue;
                }
                Err(_) | Ok(0) => return None,
                Ok(n) => self.pending.push_str(&String::from_utf8_lossy(&chunk[..n])),
            }
        }
    }
}

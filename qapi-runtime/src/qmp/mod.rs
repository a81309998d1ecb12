//! QMP over a byte stream: QEMU's JSON message parser (limits, error
//! texts and error recovery included), usable by servers and clients, and
//! clients for QMP monitors and the guest agent.

#[cfg(feature = "tokio")]
mod async_reader;
mod json_lexer;
mod json_parser;
mod json_streamer;
mod mod_utf8;
mod reader;

#[cfg(feature = "tokio")]
pub use async_reader::AsyncMessageReader;
pub use json_streamer::{JsonStreamer, MAX_MESSAGE_SIZE, MAX_NESTING, MAX_TOKEN_COUNT};
pub use reader::{MessageReader, ReadError};

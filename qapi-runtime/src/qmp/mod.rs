//! QMP over a byte stream: QEMU's JSON message parser (limits, error
//! texts and error recovery included), usable by servers and clients, and
//! clients for QMP monitors and the guest agent.

#[cfg(feature = "tokio")]
mod async_client;
#[cfg(feature = "tokio")]
mod async_reader;
mod client;
mod json_lexer;
mod json_parser;
mod json_streamer;
mod mod_utf8;
mod protocol;
mod reader;

#[cfg(feature = "tokio")]
pub use async_client::{AsyncClient, EventStream};
#[cfg(feature = "tokio")]
pub use async_reader::AsyncMessageReader;
pub use client::{Client, Pending, RequestId};
pub use json_streamer::{JsonStreamer, MAX_MESSAGE_SIZE, MAX_NESTING, MAX_TOKEN_COUNT};
pub use protocol::{ClientError, CommandError, Greeting, RawEvent};
pub use reader::{MessageReader, ReadError};

//! QMP over a byte stream.
//!
//! - [`JsonStreamer`], [`MessageReader`] and (feature `tokio`)
//!   [`AsyncMessageReader`]: QEMU's JSON message parser, for servers and
//!   clients alike. It splits input into messages where QEMU does, accepts
//!   what QEMU accepts (single-quoted strings, `\'`, modified UTF-8's
//!   `C0 80` for U+0000), rejects what QEMU rejects with QEMU's error
//!   texts, enforces QEMU's limits (64 MiB per token and per message,
//!   2 Mi tokens, nesting 1024) and recovers from an error where QEMU
//!   does, so that a server answers every input as QEMU would: each
//!   error becomes `{"error": {"class": "GenericError", "desc": TEXT}}`
//!   without `id` (see `crate::dispatch::Session::parse_error_reply`).
//!   No `%` interpolation: QMP input has none. One deviation: a number
//!   beyond a double's range, which QEMU reads as infinity, is read as
//!   the largest finite double of its sign.
//! - [`Client`] (blocking) and (feature `tokio`) [`AsyncClient`]: clients
//!   for QMP monitors (greeting, capability negotiation) and guest agents
//!   (no greeting; `guest-sync-delimited` resynchronization), over UNIX
//!   and TCP sockets or any stream. Requests carry ids, so several can be
//!   in flight; replies are decoded into a command's `Returns` type
//!   leniently (a newer QEMU's additions are tolerated); events come as
//!   [`RawEvent`]s or decoded through a schema's
//!   [`EventSet`](crate::command::EventSet).
//!
//! ```no_run
//! use qapi_runtime::qmp::Client;
//! use serde_json::json;
//!
//! let mut qmp = Client::connect_unix("/run/qsd.sock")?;
//! qmp.execute_raw("blockdev-add", json!({"driver": "null-co", "node-name": "n0"}))?;
//! let nodes = qmp.execute_raw("query-named-block-nodes", json!(null))?;
//! # Ok::<(), qapi_runtime::qmp::ClientError>(())
//! ```

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

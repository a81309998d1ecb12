//! What generated QAPI bindings share: the error a command handler
//! returns, which the monitor sends as
//! `{"error": {"class": CLASS, "desc": DESC}}`, and QMP input decoding
//! with QEMU's error texts ([`decode`]).

pub mod command;
pub mod decode;
pub mod encode;
mod error;
pub mod qmp;

pub use error::{Error, ErrorClass, Result};
/// Re-exported so that generated code names the versions it was built
/// against.
pub use serde;
pub use serde_json;

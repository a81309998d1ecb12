//! What generated QAPI bindings share: the error a command handler
//! returns, which the monitor sends as
//! `{"error": {"class": CLASS, "desc": DESC}}`, QMP input decoding with
//! QEMU's error texts ([`decode`]), serving requests as QEMU's dispatcher
//! does ([`dispatch`]), QEMU's command-line syntax ([`keyval`]), event messages ([`events`]) and the compatibility
//! policy for deprecated and unstable interfaces ([`compat`]).

#[doc(hidden)]
#[path = "gen.rs"]
pub mod __gen;
pub mod command;
pub mod compat;
pub mod decode;
pub mod dispatch;
pub mod encode;
mod error;
pub mod events;
pub mod keyval;
pub mod qdict;
pub mod qmp;

pub use error::{Error, ErrorClass, Result};
/// Re-exported so that generated code names the versions it was built
/// against.
pub use serde;
pub use serde_json;

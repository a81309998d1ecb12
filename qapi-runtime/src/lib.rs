//! What generated QAPI bindings share: for now, the error a command
//! handler returns, which the monitor sends as
//! `{"error": {"class": CLASS, "desc": DESC}}`.

mod error;

pub use error::{Error, ErrorClass, Result};

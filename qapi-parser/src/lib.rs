//! QAPI schema front end.
//!
//! Three layers, each leaving the rest to the next, as in QEMU:
//! - [`parser`]: syntax (a pest grammar) into [`ast`] expressions and
//!   [`doc`] blocks, with includes and pragmas processed;
//! - [`expr`]: context-free checks of each expression's shape;
//! - [`schema`]: the checked, resolved schema model every emitter consumes.

pub mod ast;
pub mod dialect;
pub mod doc;
pub mod dump;
pub mod error;
pub mod expr;
pub mod expr_legacy;
pub mod introspect;
mod lexer;
pub mod parser;
pub mod paths;
pub mod schema;
pub mod source;
#[cfg(test)]
mod test_support;

pub use dialect::Dialect;
pub use error::{QapiError, Result};
pub use schema::Schema;
pub use source::{Info, SourceInfo};

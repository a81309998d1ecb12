//! Code generators over the checked schema model of [`qapi_parser`], and
//! what the `qapi-gen` command line needs to drive them.
//!
//! Every generator takes a [`qapi_parser::Schema`], which exists only once
//! the front end has checked it, so no generator sees an unchecked schema.

pub mod config;
pub mod demo;
pub mod names;
mod output;
pub mod release;
pub mod render;
pub mod rust;

pub use config::Config;

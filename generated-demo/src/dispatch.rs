//! Runs one command by name, decoding its arguments with the generated
//! types.
//!
//! TODO(lead): replace with the generated handler trait and dispatcher
//! (branch `commands`) once it lands; this module is the only place that
//! knows command names.

use std::sync::Mutex;

use qapi_runtime::decode::Decode;
use qapi_runtime::{Error, ErrorClass};
use serde_json::{Map, Value};

use crate::graph::Graph;
use crate::qapi::{
    BlockdevDelArg, BlockdevOptions, BlockdevReopenArg, CommandInfo, QueryNamedBlockNodesArg,
    VersionInfo, VersionTriple,
};
use crate::reopen::Rules;
use crate::{open, query, reopen};

/// The QEMU release whose interface the daemon follows.
pub const VERSION: (i64, i64, i64) = (10, 0, 2);
pub const PACKAGE: &str = concat!("generated-demo ", env!("CARGO_PKG_VERSION"));

/// The value of `query-qmp-schema`, generated from the schema at build
/// time.
const SCHEMA_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/qapi_schema.json"));

/// What a command asks of the session besides its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Continue,
    Quit,
}

pub fn version_info() -> VersionInfo {
    VersionInfo {
        qemu: VersionTriple {
            major: VERSION.0,
            minor: VERSION.1,
            micro: VERSION.2,
        },
        package: PACKAGE.to_owned(),
    }
}

fn to_value<T: qapi_runtime::serde::Serialize>(v: &T) -> Result<Value, Error> {
    serde_json::to_value(v).map_err(|e| Error::generic(e.to_string()))
}

fn decode<T: Decode>(args: &Value) -> Result<T, Error> {
    T::from_value(args).map_err(Error::from)
}

/// A command without arguments takes none.
fn no_arguments(args: &Value) -> Result<(), Error> {
    match args.as_object().and_then(|m| m.keys().next()) {
        Some(k) => Err(Error::generic(format!("Parameter '{k}' is unexpected"))),
        None => Ok(()),
    }
}

fn lock(graph: &Mutex<Graph>) -> std::sync::MutexGuard<'_, Graph> {
    // A panic while holding the lock would be a bug; the graph is still
    // whole because every change is made on a copy.
    graph.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `name` with `args` (an object).
pub fn run(graph: &Mutex<Graph>, name: &str, args: &Value) -> Result<(Value, After), Error> {
    let empty = Value::Object(Map::new());
    let ok = |v: Value| Ok((v, After::Continue));
    match name {
        "blockdev-add" => {
            let o: BlockdevOptions = decode(args)?;
            open::blockdev_add(&mut lock(graph), &o)?;
            ok(empty)
        }
        "blockdev-del" => {
            let a: BlockdevDelArg = decode(args)?;
            lock(graph).delete(&a.node_name)?;
            ok(empty)
        }
        "x-blockdev-reopen" => {
            let o: BlockdevOptions = decode(args)?;
            reopen::reopen(&mut lock(graph), &[o], Rules::Qemu40)?;
            ok(empty)
        }
        "blockdev-reopen" => {
            let a: BlockdevReopenArg = decode(args)?;
            reopen::reopen(&mut lock(graph), &a.options, Rules::Qemu10)?;
            ok(empty)
        }
        "query-named-block-nodes" => {
            let a: QueryNamedBlockNodesArg = decode(args)?;
            let g = lock(graph);
            ok(query::named_block_nodes(&g, a.flat.unwrap_or(false)))
        }
        "x-debug-query-block-graph" => {
            no_arguments(args)?;
            ok(query::block_graph(&lock(graph)))
        }
        "query-version" => {
            no_arguments(args)?;
            ok(to_value(&version_info())?)
        }
        "query-commands" => {
            no_arguments(args)?;
            let list: Vec<CommandInfo> = crate::qapi::COMMANDS
                .iter()
                .map(|c| CommandInfo {
                    name: (*c).to_owned(),
                })
                .collect();
            ok(to_value(&list)?)
        }
        "query-qmp-schema" => {
            no_arguments(args)?;
            let v: Value =
                serde_json::from_str(SCHEMA_JSON).map_err(|e| Error::generic(e.to_string()))?;
            ok(v)
        }
        "quit" => {
            no_arguments(args)?;
            Ok((empty, After::Quit))
        }
        _ => Err(Error::new(
            ErrorClass::CommandNotFound,
            format!("The command {name} has not been found"),
        )),
    }
}

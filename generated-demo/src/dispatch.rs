//! The daemon's commands: the graph model implements the generated
//! `Handler` trait, and the generated `Dispatcher` decodes arguments,
//! calls it and encodes what it returns. Commands the model does not
//! serve keep the trait's default, QEMU's `CommandNotFound`;
//! `query-qmp-schema` keeps the default too, which answers from the
//! generated introspection.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use qapi_runtime::decode::Decode;
use qapi_runtime::Error;
use serde_json::Value;

use crate::graph::Graph;
use crate::qapi::commands::{Dispatcher, Handler};
use crate::qapi::{
    BlockDeviceInfo, BlockdevDelArg, BlockdevOptions, BlockdevReopenArg, CommandInfo,
    QueryNamedBlockNodesArg, VersionInfo, VersionTriple, XDbgBlockGraph,
};
use crate::reopen::Rules;
use crate::{open, query, reopen};

/// The QEMU release whose interface the daemon follows.
pub const VERSION: (i64, i64, i64) = (10, 0, 2);
pub const PACKAGE: &str = concat!("generated-demo ", env!("CARGO_PKG_VERSION"));

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

/// The block graph all clients share, and whether one of them asked the
/// daemon to quit.
pub struct Model {
    graph: Mutex<Graph>,
    quit: AtomicBool,
}

/// What the server runs requests through.
pub type Commands = Dispatcher<Model>;

impl Model {
    pub fn new(graph: Graph) -> Self {
        Model {
            graph: Mutex::new(graph),
            quit: AtomicBool::new(false),
        }
    }

    /// Has a client run `quit`?
    pub fn quit_requested(&self) -> bool {
        self.quit.load(Ordering::SeqCst)
    }

    fn lock(&self) -> MutexGuard<'_, Graph> {
        // A panic while holding the lock would be a bug; the graph is
        // still whole because every change is made on a copy.
        self.graph.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The query module builds QEMU's replies as JSON (the same code serves
/// the project's schema and QEMU's larger one); the typed reply is that
/// JSON read back through the generated decoder, so a reply the schema
/// does not allow is an error rather than a silent difference.
fn typed<T: Decode>(value: &Value) -> Result<T, Error> {
    T::from_value(value).map_err(|e| Error::generic(format!("internal error: reply {e}")))
}

impl Handler for Model {
    fn blockdev_add(&self, arguments: BlockdevOptions) -> qapi_runtime::Result<()> {
        open::blockdev_add(&mut self.lock(), &arguments)
    }

    #[cfg(own_schema)]
    fn x_blockdev_reopen(&self, arguments: BlockdevOptions) -> qapi_runtime::Result<()> {
        reopen::reopen(&mut self.lock(), &[arguments], Rules::Qemu40)
    }

    fn blockdev_reopen(&self, arguments: BlockdevReopenArg) -> qapi_runtime::Result<()> {
        reopen::reopen(&mut self.lock(), &arguments.options, Rules::Qemu10)
    }

    fn blockdev_del(&self, arguments: BlockdevDelArg) -> qapi_runtime::Result<()> {
        self.lock().delete(&arguments.node_name)
    }

    fn query_named_block_nodes(
        &self,
        arguments: QueryNamedBlockNodesArg,
    ) -> qapi_runtime::Result<Vec<BlockDeviceInfo>> {
        let value = query::named_block_nodes(&self.lock(), arguments.flat.unwrap_or(false));
        typed(&value)
    }

    fn x_debug_query_block_graph(&self) -> qapi_runtime::Result<XDbgBlockGraph> {
        typed(&query::block_graph(&self.lock()))
    }

    fn query_version(&self) -> qapi_runtime::Result<VersionInfo> {
        Ok(version_info())
    }

    fn query_commands(&self) -> qapi_runtime::Result<Vec<CommandInfo>> {
        Ok(crate::qapi::commands::COMMANDS
            .iter()
            .map(|c| CommandInfo {
                name: c.name.to_owned(),
            })
            .collect())
    }

    fn quit(&self) -> qapi_runtime::Result<()> {
        self.quit.store(true, Ordering::SeqCst);
        Ok(())
    }
}

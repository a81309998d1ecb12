//! generated-demo: a reference model of QEMU's block-node graph, served
//! over QMP with qemu-storage-daemon's command line. Its QMP types are
//! generated from the project's schema by `build.rs`.

mod cli;
mod dispatch;
mod drivers;
mod filename;
mod graph;
mod open;
mod perms;
mod qdict;
mod query;
mod reopen;
mod server;

use std::process::ExitCode;
use std::sync::Arc;

/// The bindings generated from the schema by `build.rs`.
#[allow(dead_code, clippy::all, rustdoc::all)]
mod qapi {
    include!(concat!(env!("OUT_DIR"), "/qapi_types_items.rs"));
    include!(concat!(env!("OUT_DIR"), "/qapi_meta.rs"));
}

const USAGE: &str = "\
usage: generated-demo --chardev socket,path=PATH,server=on,wait=off,id=ID \\
                      --monitor chardev=ID [--blockdev KEYVAL|JSON]...
       generated-demo --list-commands | --list-enums | --help

  --chardev socket,...  listen on the UNIX socket PATH
  --monitor chardev=ID  serve QMP on the socket with that id
  --blockdev OPTIONS    add a block node at start-up
  --list-commands       print the QMP commands of the schema
  --list-enums          print the enumeration types of the schema
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["--help"] | ["-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["--list-commands"] => {
            for command in qapi::COMMANDS {
                println!("{command}");
            }
            return ExitCode::SUCCESS;
        }
        ["--list-enums"] => {
            for e in qapi::ENUMS {
                println!("{}: {}", e.name, e.values.join(" "));
            }
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("generated-demo: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let cfg = cli::parse(args)?;
    let mut graph = graph::Graph::new();
    for arg in &cfg.blockdevs {
        let opts = cli::blockdev_options(arg)?;
        open::blockdev_add(&mut graph, &opts).map_err(|e| format!("--blockdev {arg}: {e}"))?;
    }
    let Some(path) = cfg.socket else {
        return Err(format!("no monitor given\n\n{USAGE}"));
    };
    server::Server {
        path: path.into(),
        chardev: cfg.chardev,
        commands: Arc::new(qapi::commands::Dispatcher(dispatch::Model::new(graph))),
    }
    .run()
}

#[cfg(test)]
mod tests {
    use super::qapi;

    /// The commands CONTRACTS.md says the daemon serves are in the schema.
    #[test]
    fn schema_has_the_served_commands() {
        for command in [
            "qmp_capabilities",
            "query-version",
            "query-commands",
            "query-qmp-schema",
            "blockdev-add",
            "blockdev-del",
            "blockdev-reopen",
            "query-named-block-nodes",
            "x-debug-query-block-graph",
            "quit",
        ] {
            assert!(qapi::COMMANDS.contains(&command), "{command} is missing");
        }
        // QEMU 10's own schema no longer has it; the daemon serves it anyway.
        #[cfg(own_schema)]
        assert!(qapi::COMMANDS.contains(&"x-blockdev-reopen"));
    }

    #[test]
    fn block_drivers_are_listed() {
        // QEMU's own schema (QAPI_SCHEMA) lists many more.
        let drivers = qapi::ENUMS
            .iter()
            .find(|e| e.name == "BlockdevDriver")
            .map(|e| e.values)
            .unwrap_or_default();
        for driver in ["file", "null-co", "qcow2", "raw"] {
            assert!(drivers.contains(&driver), "{driver} is missing");
        }
    }
}

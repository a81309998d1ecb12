//! generated-demo: the reference block-graph daemon, whose QMP interface
//! is generated from the project's schema. For now it only shows what the
//! schema defines; serving QMP comes with the generated bindings.

use std::process::ExitCode;

/// The bindings generated from `schemas/qapi-schema.json` by `build.rs`.
mod qapi {
    include!(concat!(env!("OUT_DIR"), "/qapi.rs"));
}

const USAGE: &str = "\
usage: generated-demo --chardev socket,path=PATH,server=on,wait=off,id=ID \\
                      --monitor chardev=ID [--blockdev KEYVAL]...
       generated-demo --list-commands | --list-enums | --help

  --chardev socket,...  listen on the UNIX socket PATH
  --monitor chardev=ID  serve QMP on the socket with that id
  --blockdev KEYVAL     add a block node at start-up (keyval syntax)
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
            ExitCode::SUCCESS
        }
        ["--list-commands"] => {
            for command in qapi::COMMANDS {
                println!("{command}");
            }
            ExitCode::SUCCESS
        }
        ["--list-enums"] => {
            for e in qapi::ENUMS {
                println!("{}: {}", e.name, e.values.join(" "));
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("generated-demo: serving QMP is not implemented yet\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
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
            "x-blockdev-reopen",
            "blockdev-reopen",
            "query-named-block-nodes",
            "x-debug-query-block-graph",
            "quit",
        ] {
            assert!(qapi::COMMANDS.contains(&command), "{command} is missing");
        }
    }

    #[test]
    fn block_drivers_are_listed() {
        let drivers = qapi::ENUMS.iter().find(|e| e.name == "BlockdevDriver");
        assert_eq!(
            drivers.map(|e| e.values),
            Some(&["file", "null-co", "qcow2", "raw"][..])
        );
    }
}

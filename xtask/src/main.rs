//! The project's development tasks, one subcommand each, run as
//! `cargo xtask TASK` (the alias lives in `.cargo/config.toml`).

mod bench;
mod bindings;
mod cargo;
mod codegen;
mod conformance;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Development tasks of the QAPI toolchain"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run QEMU's golden front-end tests through `qapi-gen dump`.
    Conformance {
        /// The folder of QEMU's tests/qapi-schema (default:
        /// ../shared/qemu-tests/qapi-schema beside the workspace).
        #[arg(long, value_name = "DIR")]
        qemu_tests: Option<PathBuf>,
        /// Run only the tests whose names contain one of these.
        #[arg(value_name = "NAME")]
        only: Vec<String>,
    },
    /// Write a standalone crate holding the Rust bindings for a schema.
    Bindings {
        /// The schema's top file.
        schema: PathBuf,
        /// The crate's folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The QEMU release whose schema language to accept.
        #[arg(long, value_name = "RELEASE")]
        dialect: Option<String>,
        /// Then run `cargo build` and `cargo clippy -- -D warnings` in it.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate every checked-in generated file from `schemas/`.
    Codegen,
    /// Run every test: install what they need, then `cargo test` and the
    /// conformance tests.
    Test,
    /// Benchmark parsing and generating from QEMU's schema (criterion),
    /// and time `qapi-gen dump` and `qapi-gen rust` against QEMU's own
    /// Python generator.
    Bench {
        /// Skip criterion; only time the command-line runs.
        #[arg(long)]
        quick: bool,
    },
}

/// A task's failure: the message to print, if the task has not printed
/// it already.
#[derive(Debug)]
pub struct Failed(pub Option<String>);

impl From<String> for Failed {
    fn from(msg: String) -> Self {
        Failed(Some(msg))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Conformance { qemu_tests, only } => conformance::run(qemu_tests, &only),
        Task::Bindings {
            schema,
            out,
            dialect,
            check,
        } => bindings::run(&schema, &out, dialect.as_deref(), check),
        Task::Codegen => codegen::run(),
        Task::Test => test::run(),
        Task::Bench { quick } => bench::run(quick),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed(msg)) => {
            if let Some(msg) = msg {
                eprintln!("xtask: {msg}");
            }
            ExitCode::FAILURE
        }
    }
}

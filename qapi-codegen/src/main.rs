//! `qapi-gen`: the QAPI toolchain's command line. See CONTRACTS.md for the
//! interface other tools rely on.
//!
//! Exit status: 0 on success, 1 on a schema error (printed on stderr in
//! QEMU's wording), 2 on a usage error (clap's own status).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qapi_codegen::release::parse_dialect;
use qapi_parser::{Dialect, Schema};

mod allocator;

#[derive(Debug, Parser)]
#[command(
    name = "qapi-gen",
    version,
    about = "Check QAPI schemas and generate code from them"
)]
struct Cli {
    /// The QEMU release whose schema language to accept (2.12 to 10.2;
    /// default: the newest).
    #[arg(long, global = true, value_name = "RELEASE", value_parser = parse_dialect)]
    dialect: Option<Dialect>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the checked schema as QEMU's front-end tests do.
    Dump {
        /// The schema's top file.
        schema: String,
    },
    /// Print what query-qmp-schema returns for the schema.
    Introspect {
        /// The schema's top file.
        schema: String,
        /// Show type names instead of numbers (QEMU's qapi-gen spells it
        /// `-u`/`--unmask-non-abi-names`).
        #[arg(short = 'u', long, visible_alias = "unmask-non-abi-names")]
        unmask: bool,
        /// A configuration symbol that is true (may be repeated); without
        /// any, every condition is true.
        #[arg(long = "cfg", value_name = "NAME")]
        cfg: Vec<String>,
    },
    /// Write Rust bindings for the schema.
    Rust {
        /// The schema's top file.
        schema: String,
        /// The folder to write into.
        #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
        output_dir: PathBuf,
        /// A configuration symbol that is true (may be repeated); without
        /// any, every condition is true. Items whose condition is false
        /// are left out.
        #[arg(long = "cfg", value_name = "NAME")]
        cfg: Vec<String>,
        /// Generate every item and turn each condition into a
        /// `#[cfg(feature = ...)]` (CONFIG_X: `feature = "CONFIG_X"`);
        /// with --crate, the crate declares each symbol as a feature.
        #[arg(long, conflicts_with = "cfg")]
        cfg_features: bool,
        /// Skip formatting the generated code (faster, for build scripts
        /// that only compile it).
        #[arg(long)]
        unformatted: bool,
        /// Write a standalone crate at DIR (Cargo.toml, src/lib.rs) instead
        /// of the bare module file.
        #[arg(long = "crate")]
        as_crate: bool,
        /// With --crate: the qapi-runtime folder the crate depends on
        /// (default: the one this qapi-gen was built from).
        #[arg(long, value_name = "DIR", requires = "as_crate")]
        runtime: Option<PathBuf>,
    },
}

/// Why a run failed; every kind exits with status 1.
enum Failure {
    /// The schema has an error; its text is exactly QEMU's.
    Schema(qapi_parser::QapiError),
    /// Anything else, worded by us.
    Other(String),
}

#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

fn main() -> ExitCode {
    allocator::configure();
    let cli = Cli::parse();
    let dialect = cli.dialect.unwrap_or_default();
    match run(cli.command, &dialect) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let text = match failure {
                Failure::Schema(err) => format!("{err}\n"),
                Failure::Other(msg) => format!("qapi-gen: {msg}\n"),
            };
            // Nothing useful is left to do if stderr is gone.
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, dialect: &Dialect) -> Result<(), Failure> {
    match command {
        Command::Dump { schema } => {
            let schema = Schema::from_file(&schema, dialect).map_err(Failure::Schema)?;
            let written = write_stdout(&qapi_parser::dump::dump(&schema));
            exiting(schema);
            written
        }
        Command::Introspect {
            schema,
            unmask,
            cfg,
        } => {
            let schema = Schema::from_file(&schema, dialect).map_err(Failure::Schema)?;
            let opts = qapi_parser::introspect::Options { unmask };
            let entries = qapi_parser::introspect::introspect(&schema, &opts);
            let cfg = (!cfg.is_empty()).then_some(cfg.as_slice());
            let written = write_stdout(&qapi_parser::introspect::to_json(&entries, cfg));
            exiting((schema, entries));
            written
        }
        Command::Rust {
            schema: path,
            output_dir,
            cfg,
            cfg_features,
            unformatted,
            as_crate,
            runtime,
        } => {
            let schema = Schema::from_file(&path, dialect).map_err(Failure::Schema)?;
            let opts = qapi_codegen::rust::Options {
                cfg: (!cfg.is_empty()).then_some(cfg),
                cfg_features,
                unformatted,
            };
            let written = if as_crate {
                let runtime = runtime.unwrap_or_else(|| {
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../qapi-runtime")
                });
                // Cargo resolves a relative path dependency from the
                // crate's folder, not from here.
                let runtime = std::fs::canonicalize(&runtime).map_err(|e| {
                    Failure::Other(format!("cannot find {}: {e}", runtime.display()))
                })?;
                qapi_codegen::rust::write_crate(&schema, &opts, &path, &output_dir, &runtime)
            } else {
                qapi_codegen::rust::write_bindings(&schema, &opts, &path, &output_dir)
            };
            exiting(schema);
            written.map_err(Failure::Other)
        }
    }
}

/// Leaves `value` to the end of the process: freeing a schema's many
/// small allocations one by one is time the exit would save anyway.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Other(format!("cannot write to stdout: {e}")))
}

//! Generating bindings from a build script, in the style of `prost-build`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     qapi_codegen::Config::new()
//!         .dialect("10.2")
//!         .cfg(["CONFIG_LINUX", "CONFIG_POSIX"])
//!         .generate("qapi/qapi-schema.json")?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate, with `qapi-runtime` among its dependencies:
//!
//! ```ignore
//! mod qapi {
//!     include!(concat!(env!("OUT_DIR"), "/qapi.rs"));
//! }
//! ```
//!
//! The bindings go to [`TYPES_FILE`], a module
//! file with inner attributes, which `include!` cannot take; [`MOD_FILE`]
//! declares it as a module by its absolute path and re-exports it.
//! Cargo is told to rerun the build script when any file of the schema
//! (the top file and every file it includes) changes.

use std::fmt;
use std::path::{Path, PathBuf};

use qapi_parser::schema::Module;
use qapi_parser::{Dialect, Schema};
use quote::quote;

use crate::release::parse_dialect;
use crate::rust::{write_bindings, Options, TYPES_FILE};

/// The file to `include!`.
pub const MOD_FILE: &str = "qapi.rs";

/// Why generation failed; the text is a schema error in QEMU's wording
/// (`FILE:LINE: MESSAGE`), or says what else went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// What [`Config::generate`] wrote and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The file to `include!` ([`MOD_FILE`]).
    pub module: PathBuf,
    /// The bindings ([`TYPES_FILE`]).
    pub bindings: PathBuf,
    /// Every schema file read: the top file, then the included ones in
    /// the order they were first included.
    pub inputs: Vec<PathBuf>,
}

/// How to generate bindings; see the [module](self) documentation.
#[derive(Debug, Clone)]
pub struct Config {
    /// The release asked for, kept as text until [`Config::generate`]
    /// can report a bad one.
    dialect: Option<String>,
    cfg: Option<Vec<String>>,
    out_dir: Option<PathBuf>,
    quiet: bool,
    format: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// The newest release's rules, every condition true, output into
    /// `OUT_DIR`.
    pub fn new() -> Self {
        Config {
            dialect: None,
            cfg: None,
            out_dir: None,
            quiet: false,
            format: true,
        }
    }

    /// The QEMU release whose schema language to accept (`"10.2"`).
    pub fn dialect(&mut self, release: &str) -> &mut Self {
        self.dialect = Some(release.to_owned());
        self
    }

    /// The configuration symbols that are true; definitions, members,
    /// values and branches whose `if` is false are left out. Without this
    /// call every condition holds.
    pub fn cfg<I, S>(&mut self, symbols: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cfg = Some(symbols.into_iter().map(Into::into).collect());
        self
    }

    /// The configuration symbols that are true, read from `file`: one a
    /// line, `#` starting a comment line (the build is rerun when the
    /// file changes). Replaces [`Config::cfg`].
    pub fn cfg_file(&mut self, file: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let file = file.as_ref();
        if !self.quiet {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error(format!("cannot read {}: {e}", file.display())))?;
        Ok(self.cfg(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        ))
    }

    /// Where to write (default: the `OUT_DIR` cargo gives build scripts).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to format the bindings (default: yes); unformatted, they
    /// are written in long lines, which saves a build that only compiles
    /// them the formatting time.
    pub fn format(&mut self, on: bool) -> &mut Self {
        self.format = on;
        self
    }

    /// Leaves out the `cargo:rerun-if-changed` lines (for use outside a
    /// build script).
    pub fn quiet(&mut self) -> &mut Self {
        self.quiet = true;
        self
    }

    /// Checks the schema whose top file is `schema` and writes its
    /// bindings; files are rewritten only when their text changes.
    pub fn generate(&self, schema: impl AsRef<Path>) -> Result<Generated, Error> {
        let dialect = match &self.dialect {
            Some(text) => parse_dialect(text).map_err(Error)?,
            None => Dialect::default(),
        };
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error("OUT_DIR is not set: run from a build script, or call out_dir()".into())
                })?,
        };
        let path = schema.as_ref();
        let text = path.to_string_lossy();
        // A schema that fails to parse still names the files read so far
        // only in its error, so the top file at least is watched.
        if !self.quiet {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let parsed = Schema::from_file(&text, &dialect).map_err(|e| Error(e.to_string()))?;
        let inputs = schema_files(&parsed, path);
        if !self.quiet {
            for input in inputs.iter().skip(1) {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let opts = Options {
            cfg: self.cfg.clone(),
            unformatted: !self.format,
            ..Options::default()
        };
        write_bindings(&parsed, &opts, &text, &out_dir).map_err(Error)?;
        let bindings = absolute(&out_dir.join(TYPES_FILE))?;
        let module = out_dir.join(MOD_FILE);
        write_if_changed(&module, &mod_file(&bindings, &text)?)?;
        Ok(Generated {
            module,
            bindings,
            inputs,
        })
    }
}

/// The schema's files: the user modules, relative to the top file's
/// folder as the front end names them.
fn schema_files(schema: &Schema, top: &Path) -> Vec<PathBuf> {
    let dir = top.parent().unwrap_or(Path::new(""));
    let mut files: Vec<PathBuf> = vec![top.to_path_buf()];
    for m in schema.modules() {
        if !Module::is_user(&m.name) {
            continue;
        }
        let file = dir.join(&m.name);
        if !files.iter().any(|f| same_file(f, &file)) {
            files.push(file);
        }
    }
    files
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    std::path::absolute(path).map_err(|e| Error(format!("cannot resolve {}: {e}", path.display())))
}

/// The file to `include!`: the bindings as a module, by absolute path.
fn mod_file(bindings: &Path, source: &str) -> Result<String, Error> {
    let path = bindings.to_str().ok_or_else(|| {
        Error(format!(
            "{} is not valid UTF-8, which a #[path] attribute needs",
            bindings.display()
        ))
    })?;
    let tokens = quote! {
        #[path = #path]
        mod qapi_types;
        pub use qapi_types::*;
    };
    crate::render::rust_file(tokens, source).map_err(|e| {
        Error(format!(
            "internal error: generated code does not parse: {e}"
        ))
    })
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), Error> {
    crate::output::write_if_changed(path, &[text])
        .map_err(|e| Error(format!("cannot write {}: {e}", path.display())))
}

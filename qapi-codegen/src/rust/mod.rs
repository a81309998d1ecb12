//! The Rust backend: types with QMP input and output for every type of a
//! checked schema, as one source file.
//!
//! Generated code depends only on `qapi-runtime` (which re-exports the
//! serde and serde_json it uses).
//!
//! Conditions (`if`) are decided at generation time by default: with
//! [`Options::cfg`] unset every condition holds, as for `qapi-gen
//! introspect` without `--cfg`; with it set, exactly the listed
//! configuration symbols are true, and a definition, member, enum value
//! or branch whose condition is false is left out of the output. With
//! [`Options::cfg_features`] they become cargo features instead (see
//! [`Options`]).

mod commands;
mod docs;
mod emit;
mod events;
mod introspect;
mod literal;
mod markdown;
mod moved;
mod plan;
mod shapes;

use qapi_parser::Schema;

/// How to generate.
///
/// # Conditions
///
/// By default conditions (`if`) are decided at generation time, from
/// [`Options::cfg`]. With [`Options::cfg_features`] every item is
/// generated and each condition becomes a `#[cfg]` on what it guards,
/// so that the crate's user picks the configuration with cargo features:
///
/// | schema                              | Rust                         |
/// |-------------------------------------|------------------------------|
/// | `'CONFIG_X'`                        | `feature = "CONFIG_X"`       |
/// | `{'all': [A, B]}`                   | `all(A, B)`                  |
/// | `{'any': [A, B]}`                   | `any(A, B)`                  |
/// | `{'not': A}`                        | `not(A)`                     |
/// | `'defined(X) && !defined(Y)'` (<6.2) | `all(feature = "X", not(feature = "Y"))` |
///
/// The `#[cfg]` goes on definitions (the type and all its impls), enum
/// values (and their arms in `as_str`, `from_str`, `ALL`), struct
/// fields (and their decoding, encoding and initialization), union
/// branches (under their discriminator value's condition too),
/// alternate branches, commands (their type, `COMMANDS` entry, handler
/// method and dispatch arm) and events (their type and `AnyEvent`
/// variant). [`write_crate`] declares every symbol any condition names
/// as a feature of the crate, all off by default. The introspection
/// data (`query-qmp-schema`) is not conditional: it lists everything.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The configuration symbols that are true; `None`: every condition
    /// holds. Ignored with [`Options::cfg_features`].
    pub cfg: Option<Vec<String>>,
    /// Conditions become `#[cfg(feature = ...)]` instead of being
    /// decided at generation time.
    pub cfg_features: bool,
    /// Write the code in long lines, as `TokenStream`'s `Display`
    /// gives it, instead of formatting it: a build script that only
    /// compiles the bindings saves the formatting time.
    pub unformatted: bool,
}

/// The bindings for `schema` as one formatted Rust file; `source` names
/// the schema in the `@generated` header.
pub fn generate(schema: &Schema, opts: &Options, source: &str) -> syn::Result<String> {
    let pieces = std::sync::Mutex::new(std::collections::BTreeMap::new());
    generate_pieces(schema, opts, source, &|n, text| {
        pieces
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(n, text);
    })?;
    let pieces = pieces.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(pieces.into_values().collect())
}

/// [`generate`]'s text in the pieces its threads make, each given to
/// `piece` with its place in the file as soon as it is made; returns
/// how many there are.
fn generate_pieces(
    schema: &Schema,
    opts: &Options,
    source: &str,
    piece: &(dyn Fn(usize, String) + Sync),
) -> syn::Result<usize> {
    let format = !opts.unformatted;
    std::thread::scope(|scope| {
        // The introspection data, the file's last module, needs only the
        // schema: it is built while this thread makes the plan.
        let introspection = scope.spawn(|| {
            let tokens = introspect::module(schema, opts.cfg.as_deref());
            crate::render::items_text(tokens, format)
        });
        let plan = plan::Plan::new(schema, opts);
        let types = plan.types.len();
        let shapes = shapes::Shapes::new(&plan);
        // After the types: the commands, events and output shapes
        // modules.
        let unit = |i: usize| match i.checked_sub(types) {
            None => plan
                .types
                .get(i)
                .map(|&id| emit::type_item(&plan, id))
                .unwrap_or_default(),
            Some(0) => commands::module(&plan, &shapes),
            Some(1) => events::module(&plan, &shapes),
            Some(_) => shapes.module(&plan),
        };
        let count = crate::render::rust_file_parallel(
            &emit::header,
            types + 3,
            3,
            &unit,
            source,
            format,
            piece,
        )?;
        let introspection = introspection
            .join()
            .unwrap_or_else(|_| Err("the introspection module's generator panicked".to_owned()))
            .map_err(crate::render::internal_error)?;
        piece(count, introspection);
        Ok(count + 1)
    })
}

pub use docs::tag as section_tag;
pub use plan::DocTarget;

/// Where the bindings [`generate`] makes for `schema` hold the text of
/// each documented definition, member, enum value and branch of its
/// types (for tools that check the generated documentation).
pub fn doc_targets(schema: &Schema, opts: &Options) -> Vec<DocTarget> {
    plan::Plan::new(schema, opts).doc_targets()
}

/// The file [`write_bindings`] writes.
pub const TYPES_FILE: &str = "qapi_types.rs";

/// Writes the bindings for `schema` (read from `source`) into `dir` as
/// [`TYPES_FILE`], a module file; rewrites it only when its text changed.
pub fn write_bindings(
    schema: &Schema,
    opts: &Options,
    source: &str,
    dir: &std::path::Path,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file = dir.join(TYPES_FILE);
    // Each piece is compared with the file (or written) as soon as those
    // before it are, while the threads make the next ones.
    let out = crate::output::InOrder::new(&file);
    let count = generate_pieces(schema, opts, source, &|n, text| out.push(n, text))
        .map_err(|e| format!("internal error: generated code does not parse: {e}"))?;
    out.finish(count)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Writes a standalone crate at `dir` holding the bindings for `schema`:
/// `Cargo.toml` (depending on `qapi-runtime` at `runtime_dir` by path),
/// `src/lib.rs`, `src/`[`TYPES_FILE`], and the workspace's `Cargo.lock`
/// beside `runtime_dir` if the crate has none yet.
pub fn write_crate(
    schema: &Schema,
    opts: &Options,
    source: &str,
    dir: &std::path::Path,
    runtime_dir: &std::path::Path,
) -> Result<(), String> {
    let src = dir.join("src");
    write_bindings(schema, opts, source, &src)?;
    let runtime = runtime_dir.display().to_string().replace('\\', "/");
    // Every symbol is declared, so that `#[cfg]` on any of them is
    // expected; all are off by default, as no configuration is implied.
    let features: String = if opts.cfg_features {
        plan::Plan::new(schema, opts)
            .feature_names()
            .iter()
            .map(|f| format!("{f:?} = []\n"))
            .collect()
    } else {
        String::new()
    };
    let features = if features.is_empty() {
        features
    } else {
        format!("\n[features]\n{features}")
    };
    // An empty [workspace] keeps the crate out of any workspace around it.
    let manifest = format!(
        "# @generated by qapi-codegen from {source}; do not edit.\n\
         [package]\nname = \"qapi-bindings\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nqapi-runtime = {{ path = {runtime:?} }}\n{features}\n[workspace]\n"
    );
    let lib = format!(
        "{}//! QAPI bindings for `{source}`.\n\nmod qapi_types;\n\npub use qapi_types::*;\n",
        crate::render::generated_line(source)
    );
    for (path, text) in [
        (dir.join("Cargo.toml"), manifest),
        (src.join("lib.rs"), lib),
    ] {
        crate::output::write_if_changed(&path, &[text])
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // The workspace's lock file pins the versions the runtime is tested
    // with (cargo drops the entries the crate does not use); a lock file
    // already there is the user's.
    let lock = dir.join("Cargo.lock");
    let workspace_lock = runtime_dir.join("../Cargo.lock");
    if !lock.exists() && workspace_lock.exists() {
        std::fs::copy(&workspace_lock, &lock)
            .map_err(|e| format!("cannot write {}: {e}", lock.display()))?;
    }
    Ok(())
}

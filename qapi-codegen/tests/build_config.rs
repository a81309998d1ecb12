//! `qapi_codegen::Config`, the build-script API: what it writes, which
//! files it reports, its errors, and a crate that `include!`s its output.

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_codegen::config::{Config, MOD_FILE};
use qapi_codegen::rust::TYPES_FILE;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("build-config")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn server_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rust/server.json")
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

#[test]
fn writes_the_bindings_and_a_module_to_include() {
    let out = scratch("writes");
    let generated = Config::new()
        .dialect("10.2")
        .cfg(Vec::<String>::new())
        .out_dir(&out)
        .quiet()
        .generate(server_schema())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.inputs, vec![server_schema()]);
    assert_eq!(generated.module, out.join(MOD_FILE));
    let bindings = std::fs::read_to_string(&generated.bindings).expect("bindings");
    assert!(bindings.contains("pub mod commands"));
    // CONFIG_GONE is not among the symbols.
    assert!(!bindings.contains("\"gone\""));
    let module = std::fs::read_to_string(&generated.module).expect("module");
    let abs = std::path::absolute(out.join(TYPES_FILE)).expect("absolute");
    assert!(
        module.contains(&format!("#[path = {:?}]", abs.to_str().unwrap())),
        "{module}"
    );

    // Every condition holds without cfg().
    Config::new()
        .out_dir(&out)
        .quiet()
        .generate(server_schema())
        .unwrap_or_else(|e| panic!("{e}"));
    let bindings = std::fs::read_to_string(&generated.bindings).expect("bindings");
    assert!(bindings.contains("\"gone\""));
}

#[test]
fn reports_every_included_file() {
    let dir = scratch("includes");
    write(
        &dir.join("top.json"),
        "{ 'include': 'sub/a.json' }\n{ 'include': 'b.json' }\n{ 'command': 'top' }\n",
    );
    write(
        &dir.join("sub/a.json"),
        "{ 'include': '../b.json' }\n{ 'command': 'a' }\n",
    );
    write(&dir.join("b.json"), "{ 'command': 'b' }\n");
    let generated = Config::new()
        .out_dir(dir.join("out"))
        .quiet()
        .generate(dir.join("top.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        generated.inputs,
        vec![
            dir.join("top.json"),
            dir.join("sub/a.json"),
            dir.join("b.json")
        ]
    );
}

#[test]
fn errors_are_located_and_worded_as_qemu_words_them() {
    let dir = scratch("errors");
    write(
        &dir.join("bad.json"),
        "{ 'command': 'foo' }\n{ 'command': 'foo' }\n",
    );
    let err = |config: &mut Config, schema: &Path| match config.quiet().generate(schema) {
        Ok(_) => panic!("{} generated", schema.display()),
        Err(e) => e.to_string(),
    };
    let bad = dir.join("bad.json");
    assert_eq!(
        err(Config::new().out_dir(&dir), &bad),
        format!(
            "{0}: In command 'foo':\n{0}:2: 'foo' is already defined\n\
             {0}: In command 'foo':\n{0}:1: previous definition",
            bad.display()
        )
    );
    assert_eq!(
        err(Config::new().out_dir(&dir).dialect("1.0"), &bad),
        "unsupported QEMU release '1.0' (supported: 2.12 to 10.2)"
    );
    assert_eq!(
        err(Config::new().out_dir(&dir), &dir.join("absent.json")),
        format!(
            "can't read schema file '{}': No such file or directory",
            dir.join("absent.json").display()
        )
    );
    // Cargo sets OUT_DIR for the tests of a package with a build script,
    // as qapi-codegen has; outside a build script it is not set.
    std::env::remove_var("OUT_DIR");
    assert!(err(&mut Config::new(), &bad).starts_with("OUT_DIR is not set"));
}

/// A crate whose code `include!`s the output, as a build script's crate
/// would, builds without warnings and answers a request.
#[test]
fn output_can_be_included() {
    let dir = scratch("include-crate");
    let out = dir.join("gen");
    Config::new()
        .cfg(Vec::<String>::new())
        .out_dir(&out)
        .quiet()
        .generate(server_schema())
        .unwrap_or_else(|e| panic!("{e}"));
    let runtime =
        std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../qapi-runtime"))
            .expect("runtime");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"include-test\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nqapi-runtime = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.to_string_lossy()
        ),
    );
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).expect("lock");
    write(
        &dir.join("src/main.rs"),
        r#"#![deny(warnings)]
#[allow(dead_code)]
mod qapi {
    include!(concat!(env!("CARGO_MANIFEST_DIR"), "/gen/qapi.rs"));
}

struct Nothing;
impl qapi::commands::Handler for Nothing {}

fn main() {
    let server = qapi::commands::Dispatcher(Nothing);
    let mut session = qapi_runtime::dispatch::Session::new(Default::default(), false);
    let request = qapi_runtime::serde_json::json!({"execute": "query-nodes"});
    let reply = session.handle(&server, &request).expect("a reply");
    print!("{reply}");
}
"#,
    );
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "-q"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("../include-target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        r#"{"error":{"class":"CommandNotFound","desc":"Expecting capabilities negotiation with 'qmp_capabilities'"}}"#
    );
}

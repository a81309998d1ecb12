//! QEMU's golden front-end tests: every schema listed in
//! `../shared/qemu-tests/qapi-schema/TESTS` must dump to its `.out`, or
//! fail with its `.err`, byte for byte.
//!
//! The schemas are read with bare file names from inside that folder, as
//! QEMU's harness does, so this binary changes its working folder and
//! holds a single test.

use std::path::PathBuf;

use qapi_parser::{dump::dump, Dialect, Schema};

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu-tests/qapi-schema")
}

#[test]
fn qemu_golden_tests() {
    let dir = tests_dir();
    let list = std::fs::read_to_string(dir.join("TESTS")).expect("TESTS list");
    std::env::set_current_dir(&dir).expect("enter test folder");
    let mut failures = Vec::new();
    let mut total = 0;
    for name in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        total += 1;
        let stem = name.strip_suffix(".json").unwrap_or(name);
        let want_out = std::fs::read_to_string(format!("{stem}.out")).unwrap_or_default();
        let want_err = std::fs::read_to_string(format!("{stem}.err")).unwrap_or_default();
        let (out, err) = match Schema::from_file(name, &Dialect::newest()) {
            Ok(schema) => (dump(&schema), String::new()),
            Err(e) => (String::new(), format!("{e}\n")),
        };
        if out != want_out || err != want_err {
            failures.push(format!(
                "{name}:\n--- want out\n{want_out}--- got out\n{out}--- want err\n{want_err}--- got err\n{err}"
            ));
        }
    }
    eprintln!(
        "{} of {total} QEMU golden tests pass",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

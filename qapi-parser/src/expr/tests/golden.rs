//! The checker against QEMU's golden tests: parsing and checking each test
//! schema must give QEMU's error text exactly, unless QEMU's error comes
//! from the later, schema-wide checks.

use crate::expr::check_exprs;
use crate::parser::parse_schema;
use crate::Dialect;

/// Tests whose error QEMU reports after the expression checks (unknown
/// types, clashes, ...): the expression checks must pass them.
const LATER_ERRORS: &[&str] = &[
    "alternate-any",
    "alternate-conflict-enum-bool",
    "alternate-conflict-enum-int",
    "alternate-conflict-lists",
    "alternate-conflict-bool-string",
    "alternate-conflict-num-string",
    "alternate-nested",
    "alternate-unknown",
    "args-any",
    "args-boxed-string",
    "args-if-implicit",
    "args-int",
    "args-member-unknown",
    "args-union",
    "args-unknown",
    "bad-base",
    "base-cycle-indirect",
    "doc-bad-enum-member",
    "doc-bad-event-arg",
    "doc-bad-feature",
    "doc-bad-union-member",
    "enum-clash-member",
    "redefined-event",
    "redefined-type",
    "returns-alternate",
    "returns-bad-type",
    "returns-unknown",
    "struct-base-clash-deep",
    "struct-base-clash",
    "struct-member-name-clash",
    "union-bad-base",
    "union-base-any",
    "union-base-empty",
    "union-base-union",
    "union-discriminator-bad-name",
    "union-empty",
    "union-int-branch",
    "union-invalid-base",
    "union-invalid-branch-key",
    "union-invalid-discriminator",
    "union-invalid-if-discriminator",
    "union-invalid-union-subtype",
    "union-optional-discriminator",
    "union-string-discriminator",
    "union-unknown",
];

#[test]
fn golden_tests_match_qemu() {
    let Some(dir) = crate::test_support::qemu_tests() else {
        eprintln!("../shared/qemu-tests not found; skipped");
        return;
    };
    let _cwd = crate::test_support::CwdGuard::enter(&dir);
    let list = std::fs::read_to_string(dir.join("TESTS")).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for name in list.lines().filter(|l| !l.is_empty()) {
        count += 1;
        let stem = name.trim_end_matches(".json");
        let expected = std::fs::read_to_string(format!("{stem}.err")).unwrap_or_default();
        let dialect = Dialect::newest();
        let result =
            parse_schema(name, &dialect).and_then(|mut parsed| check_exprs(&mut parsed, &dialect));
        match result {
            Err(e) => {
                let got = format!("{e}\n");
                if got != expected {
                    failures.push(format!("{name}:\n  want {expected:?}\n  got  {got:?}"));
                }
            }
            Ok(()) if expected.is_empty() || LATER_ERRORS.contains(&stem) => {}
            Ok(()) => failures.push(format!("{name}:\n  want {expected:?}\n  got  no error")),
        }
    }
    eprintln!("checked {count} tests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

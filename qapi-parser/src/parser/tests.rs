//! The parser against QEMU's golden tests: where QEMU's error comes from
//! the syntax layer, ours must be the same text; where QEMU accepts a
//! schema, so must the parser.

use crate::parser::parse_schema;
use crate::Dialect;

#[test]
fn syntax_errors_match_qemu() {
    let Some(dir) = crate::test_support::qemu_tests() else {
        eprintln!("../shared/qemu-tests not found; skipped");
        return;
    };
    let _cwd = crate::test_support::CwdGuard::enter(&dir);
    let list = std::fs::read_to_string(dir.join("TESTS")).unwrap();
    let mut failures = Vec::new();
    for name in list.lines().filter(|l| !l.is_empty()) {
        let stem = name.trim_end_matches(".json");
        let expected = std::fs::read_to_string(format!("{stem}.err")).unwrap_or_default();
        match parse_schema(name, &Dialect::newest()) {
            Ok(_) => {}
            Err(e) => {
                let got = format!("{e}\n");
                if got != expected {
                    failures.push(format!("{name}:\n  want {expected:?}\n  got  {got:?}"));
                }
            }
        }
    }
    eprintln!("checked {} tests", list.lines().count());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The legacy front end against expectations recorded from QEMU 2.12 to
//! 4.1 (`tests/cases.txt`).

use std::path::PathBuf;

use crate::test_support::CwdGuard;
use crate::Dialect;

const CASES: &str = include_str!("tests/cases.txt");

struct Case {
    file: String,
    input: String,
    /// (releases, expected result)
    expect: Vec<(Vec<(u32, u32)>, String)>,
}

fn release(s: &str) -> (u32, u32) {
    let (major, minor) = s.split_once('.').expect("release as MAJOR.MINOR");
    (major.parse().unwrap(), minor.parse().unwrap())
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for line in CASES.lines() {
        if let Some(file) = line.strip_prefix("### ") {
            out.push(Case {
                file: file.to_owned(),
                input: String::new(),
                expect: Vec::new(),
            });
            continue;
        }
        let Some(case) = out.last_mut() else {
            continue; // the header comment
        };
        if let Some(rels) = line.strip_prefix(">>> ") {
            case.expect
                .push((rels.split(' ').map(release).collect(), String::new()));
        } else if let Some((_, msg)) = case.expect.last_mut() {
            if !msg.is_empty() {
                msg.push('\n');
            }
            msg.push_str(line);
        } else {
            case.input.push_str(line);
            case.input.push('\n');
        }
    }
    out
}

fn check(file: &str, dialect: &Dialect) -> String {
    let result = crate::parser::parse_schema(file, dialect)
        .and_then(|mut parsed| crate::expr::check_exprs(&mut parsed, dialect));
    match result {
        Ok(()) => "OK".to_owned(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn legacy_cases_match_qemu() {
    let cases = cases();
    assert!(cases.len() > 100);
    let dir: PathBuf = std::env::temp_dir().join(format!("qapi-legacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for case in &cases {
        std::fs::write(dir.join(&case.file), &case.input).unwrap();
    }
    let _cwd = CwdGuard::enter(&dir);
    let mut failures = Vec::new();
    for case in &cases {
        for (rels, want) in &case.expect {
            for rel in rels {
                let got = check(&case.file, &Dialect::for_release(*rel));
                let ok = if want == "CRASH" {
                    got != "OK"
                } else {
                    &got == want
                };
                if !ok {
                    failures.push(format!(
                        "{} under {}.{}:\n  want: {want}\n  got:  {got}",
                        case.file, rel.0, rel.1
                    ));
                }
            }
        }
    }
    drop(_cwd);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Every shared release's schemas get through the doc-comment layer under
//! that release's rules: whatever error remains is not about docs.

use std::path::Path;

use qapi_parser::parser::parse_schema;
use qapi_parser::Dialect;

/// Fragments of every doc-comment message of every release.
const DOC_MESSAGES: &[&str] = &[
    "documentation",
    "section",
    "doc section",
    "parameter name",
    "space after #",
    "should end with",
    "Invalid name",
    "invalid name",
    "name required after",
    "free-form",
    "de-indent",
    "'=' ",
    "feature descriptions",
    "Features:",
    "text required after",
    "longer than 70",
    "two spaces",
    "lacks documentation",
    "documented member",
    "documented feature",
];

const RELEASES: &[(&str, (u32, u32))] = &[
    ("3.0.0", (3, 0)),
    ("seed-1479c730", (4, 0)),
    ("4.0.0", (4, 0)),
    ("5.0.0", (5, 0)),
    ("6.0.0", (6, 0)),
    ("6.1.0", (6, 1)),
    ("7.0.0", (7, 0)),
    ("8.0.0", (8, 0)),
    ("9.1.0", (9, 1)),
    ("10.0.0", (10, 0)),
    ("10.2.0", (10, 2)),
];

#[test]
fn shared_release_schemas_pass_the_doc_layer() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu");
    if !shared.is_dir() {
        eprintln!("skipped: {} not found", shared.display());
        return;
    }
    let mut failures = Vec::new();
    for &(dir, release) in RELEASES {
        let dialect = Dialect::for_release(release);
        for sub in ["qapi", "storage-daemon/qapi", "qga"] {
            let path = shared.join(dir).join(sub).join("qapi-schema.json");
            if !path.is_file() {
                continue;
            }
            let Err(e) = parse_schema(&path.to_string_lossy(), &dialect) else {
                continue;
            };
            let text = e.to_string();
            if DOC_MESSAGES.iter().any(|m| text.contains(m)) {
                failures.push(format!("{dir} {sub}: {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

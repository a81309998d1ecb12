//! Every shared QEMU release's own schemas, read under that release's
//! dialect: `qapi-gen dump` accepts them and `qapi-gen introspect
//! --unmask` gives the `query-qmp-schema` value QEMU's generator gives
//! (/work/shared/qemu/<R>/introspect/*.json, compared as JSON values).
//!
//! Skipped, with a message, when the shared data is absent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu")
}

fn run(args: &[&str], schema: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .args(args)
        .arg(schema)
        .output()
        .expect("cannot run qapi-gen")
}

fn check_release(dir: &str, dialect: &str, schema: &str, expected: &str) {
    let root = shared().join(dir);
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return;
    }
    let path = root.join(schema);

    let out = run(&["dump", "--dialect", dialect], &path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "qapi-gen dump --dialect {dialect} {}: {}\n{stderr}",
        path.display(),
        out.status
    );

    let out = run(&["introspect", "--unmask", "--dialect", dialect], &path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "qapi-gen introspect --dialect {dialect} {}: {}\n{stderr}",
        path.display(),
        out.status
    );
    let ours: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("introspect output is not JSON");
    let want_path = root.join("introspect").join(expected);
    let want: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&want_path).expect("cannot read the expected introspection"),
    )
    .expect("expected introspection is not JSON");
    if ours != want {
        let (ours, want) = (ours.as_array(), want.as_array());
        let first = ours
            .zip(want)
            .and_then(|(o, w)| o.iter().zip(w).find(|(a, b)| a != b));
        panic!(
            "introspect --dialect {dialect} {} differs from {}: {} vs {} entries; first difference:\n{first:#?}",
            path.display(),
            want_path.display(),
            ours.map_or(0, Vec::len),
            want.map_or(0, Vec::len),
        );
    }
}

const QMP: &str = "qapi/qapi-schema.json";
const QSD: &str = "storage-daemon/qapi/qapi-schema.json";
const QGA: &str = "qga/qapi-schema.json";

macro_rules! release_tests {
    ($($(#[$attr:meta])* $test:ident: $dir:literal, $dialect:literal, $schema:ident, $expected:literal;)*) => {
        $(
            #[test]
            $(#[$attr])*
            fn $test() {
                check_release($dir, $dialect, $schema, $expected);
            }
        )*
    };
}

release_tests! {
    // 3.0 and 4.0 (and the seed commit, whose front end is 4.0's) have no
    // storage daemon; their schemas go through the legacy (2.12 to 4.1)
    // expression checker.
    qmp_3_0: "3.0.0", "3.0", QMP, "qmp.json";
    qga_3_0: "3.0.0", "3.0", QGA, "qga.json";
    qmp_seed: "seed-1479c730", "4.0", QMP, "qmp.json";
    qga_seed: "seed-1479c730", "4.0", QGA, "qga.json";
    qmp_4_0: "4.0.0", "4.0", QMP, "qmp.json";
    qga_4_0: "4.0.0", "4.0", QGA, "qga.json";

    qmp_5_0: "5.0.0", "5.0", QMP, "qmp.json";
    qsd_5_0: "5.0.0", "5.0", QSD, "qsd.json";
    qga_5_0: "5.0.0", "5.0", QGA, "qga.json";
    qmp_6_0: "6.0.0", "6.0", QMP, "qmp.json";
    qsd_6_0: "6.0.0", "6.0", QSD, "qsd.json";
    qga_6_0: "6.0.0", "6.0", QGA, "qga.json";
    qmp_6_1: "6.1.0", "6.1", QMP, "qmp.json";
    qsd_6_1: "6.1.0", "6.1", QSD, "qsd.json";
    qga_6_1: "6.1.0", "6.1", QGA, "qga.json";
    qmp_7_0: "7.0.0", "7.0", QMP, "qmp.json";
    qsd_7_0: "7.0.0", "7.0", QSD, "qsd.json";
    qga_7_0: "7.0.0", "7.0", QGA, "qga.json";
    qmp_8_0: "8.0.0", "8.0", QMP, "qmp.json";
    qsd_8_0: "8.0.0", "8.0", QSD, "qsd.json";
    qga_8_0: "8.0.0", "8.0", QGA, "qga.json";
    qmp_9_1: "9.1.0", "9.1", QMP, "qmp.json";
    qsd_9_1: "9.1.0", "9.1", QSD, "qsd.json";
    qga_9_1: "9.1.0", "9.1", QGA, "qga.json";
    qmp_10_0: "10.0.0", "10.0", QMP, "qmp.json";
    qsd_10_0: "10.0.0", "10.0", QSD, "qsd.json";
    qga_10_0: "10.0.0", "10.0", QGA, "qga.json";
    qmp_10_2: "10.2.0", "10.2", QMP, "qmp.json";
    qsd_10_2: "10.2.0", "10.2", QSD, "qsd.json";
    qga_10_2: "10.2.0", "10.2", QGA, "qga.json";
}

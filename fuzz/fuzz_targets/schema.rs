//! The schema front end on arbitrary bytes: a model or a located error,
//! never a panic. The first byte picks the release whose rules apply, so
//! the legacy checker is fuzzed too.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qapi_parser::{Dialect, Schema};

const RELEASES: &[(u32, u32)] = &[(10, 2), (2, 12), (4, 0), (4, 2), (5, 2), (6, 1), (7, 1), (8, 1)];

/// The front end reads files (includes are relative to the including
/// file), so each input is written to a file in a folder of this process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("qapi-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cannot create the scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let release = RELEASES[usize::from(pick) % RELEASES.len()];
    let path = scratch().join("fuzz.json");
    std::fs::write(&path, text).expect("cannot write the input");
    let dialect = Dialect::for_release(release);
    if let Err(err) = Schema::from_file(&path.to_string_lossy(), &dialect) {
        // Every error names where it is.
        let text = err.to_string();
        assert!(text.contains("fuzz.json"), "unlocated error: {text}");
    }
});

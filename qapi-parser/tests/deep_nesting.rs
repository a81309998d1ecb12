//! Deeply nested values end in an error, never in a crash: a stack
//! overflow would abort the process, so this test has a binary of its own.

use std::fs;

use qapi_parser::{Dialect, Schema};

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("qapi-deep-nesting-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("cannot create the scratch folder");
    // Well-formed values, so that every layer after the parser sees them
    // too; a 200 KB file is not an unusual input.
    let cases = [
        ("lists", "[", "'int'", "]", 100_000),
        ("dicts", "{'a':", "'int'", "}", 100_000),
        ("lists-5k", "[", "", "]", 5_000),
    ];
    for (name, open, inner, close, depth) in cases {
        let text = format!(
            "{{ 'struct': 'S', 'data': {}{inner}{} }}\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        fs::write(dir.join(format!("{name}.json")), text).expect("cannot write the schema");
        // Also included, as included files are parsed ahead on a thread of
        // the front end's own.
        let main = dir.join(format!("{name}-main.json"));
        let include = format!("{{ 'include': '{name}.json' }}\n");
        fs::write(&main, include).expect("cannot write the schema");
        for path in [dir.join(format!("{name}.json")), main] {
            check(name, depth, path.to_string_lossy().into_owned());
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Reads the schema at `path`, expecting an error.
fn check(name: &str, depth: usize, path: String) {
    // The default 2 MiB test thread stack is what a real caller may have
    // too; nesting must not exhaust it.
    let result = std::thread::spawn(move || {
        Schema::from_file(&path, &Dialect::default())
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .join();
    match result {
        Ok(Ok(())) => panic!("{name}: a {depth}-deep value was accepted"),
        Ok(Err(_)) => {}
        Err(_) => panic!("{name}: the front end panicked"),
    }
}

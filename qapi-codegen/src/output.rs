//! Writing generated files only when their text changes, so that a build
//! that regenerates the same bindings does not rebuild what uses them.
//! The text comes in pieces (one per generator thread); it is compared
//! with the file and written piece by piece, never joined in memory.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// Writes `pieces` one after the other as the file at `path`, unless the
/// file already holds exactly that text.
pub fn write_if_changed<S: AsRef<str>>(path: &Path, pieces: &[S]) -> io::Result<()> {
    if holds(path, pieces).unwrap_or(false) {
        return Ok(());
    }
    let mut file = File::create(path)?;
    for piece in pieces {
        file.write_all(piece.as_ref().as_bytes())?;
    }
    file.flush()
}

/// Does the file at `path` hold the text of `pieces`?
fn holds<S: AsRef<str>>(path: &Path, pieces: &[S]) -> io::Result<bool> {
    let mut file = File::open(path)?;
    let len: usize = pieces.iter().map(|p| p.as_ref().len()).sum();
    if u64::try_from(len).ok() != Some(file.metadata()?.len()) {
        return Ok(false);
    }
    let mut buf = vec![0; 64 * 1024];
    for piece in pieces {
        for want in piece.as_ref().as_bytes().chunks(buf.len()) {
            let got = &mut buf[..want.len()];
            file.read_exact(got)?;
            if got != want {
                return Ok(false);
            }
        }
    }
    // Nothing may follow (the file could have grown since).
    Ok(file.read(&mut buf[..1])? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_a_changed_text() {
        let dir = std::env::temp_dir().join(format!("qapi-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("f.rs");
        let big = "x".repeat(100_000);
        write_if_changed(&path, &["a", big.as_str(), "b"]).expect("written");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            format!("a{big}b")
        );
        // The same text split otherwise is the same file.
        let same = [format!("a{}", &big[..5]), format!("{}b", &big[5..])];
        assert!(holds(&path, &same).expect("compared"));
        assert!(!holds(&path, &["a", big.as_str(), "c"]).expect("compared"));
        assert!(!holds(&path, &["a", big.as_str()]).expect("compared"));
        write_if_changed(&path, &["new"]).expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        std::fs::remove_dir_all(&dir).ok();
    }
}

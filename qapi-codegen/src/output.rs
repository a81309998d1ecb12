//! Writing generated files only when their text changes, so that a build
//! that regenerates the same bindings does not rebuild what uses them.
//! The text comes in pieces (one per run of the generator's threads); it
//! is compared with the file and written piece by piece, never joined in
//! memory, and with [`InOrder`] as the pieces are made.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    for piece in pieces {
        if !holds_next(&mut file, piece.as_ref().as_bytes())? {
            return Ok(false);
        }
    }
    // Nothing may follow (the file could have grown since).
    Ok(file.read(&mut [0])? == 0)
}

/// A file made of numbered pieces that arrive in any order, from any
/// thread: each piece is compared with the file already there (or
/// written) as soon as the pieces before it have been, and then dropped,
/// so the text is never all in memory and the comparison is done by the
/// time the last piece comes. As with [`write_if_changed`], the file is
/// rewritten only when its text changes.
pub struct InOrder {
    state: Mutex<State>,
}

struct State {
    path: PathBuf,
    /// The number of the piece to take next.
    next: usize,
    /// Pieces that came before their turn.
    early: BTreeMap<usize, String>,
    /// The bytes taken so far.
    taken: u64,
    target: Target,
}

enum Target {
    /// The file as it was, read as far as the text taken; `None` when
    /// there was none to read.
    Same(Option<File>),
    /// The file being written.
    New(File),
    /// What went wrong, reported by [`InOrder::finish`].
    Failed(io::Error),
}

impl InOrder {
    /// The file at `path`, to be made of pieces numbered from 0.
    pub fn new(path: &Path) -> Self {
        InOrder {
            state: Mutex::new(State {
                path: path.to_path_buf(),
                next: 0,
                early: BTreeMap::new(),
                taken: 0,
                target: Target::Same(File::open(path).ok()),
            }),
        }
    }

    /// Piece number `n`.
    pub fn push(&self, n: usize, text: String) {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *guard;
        if n != state.next {
            state.early.insert(n, text);
            return;
        }
        state.take(&text);
        while let Some(text) = state.early.remove(&state.next) {
            state.take(&text);
        }
    }

    /// Ends the file after `count` pieces, all of which must have come.
    pub fn finish(self, count: usize) -> io::Result<()> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if state.next != count || !state.early.is_empty() {
            return Err(io::Error::other(format!(
                "internal error: {} of {count} pieces of text came",
                state.next
            )));
        }
        // Nothing may follow what was compared (the file could be longer).
        if let Target::Same(Some(old)) = &mut state.target {
            let mut byte = [0];
            match old.read(&mut byte) {
                Ok(0) => return Ok(()),
                Ok(_) => state.rewrite(),
                Err(e) => state.target = Target::Failed(e),
            }
        }
        match state.target {
            Target::Same(Some(_)) => Ok(()),
            Target::Same(None) => {
                state.rewrite();
                state.finish()
            }
            _ => state.finish(),
        }
    }
}

impl State {
    /// Takes the next piece.
    fn take(&mut self, text: &str) {
        self.next += 1;
        if let Target::Same(Some(old)) = &mut self.target {
            match holds_next(old, text.as_bytes()) {
                Ok(true) => {
                    self.taken += text.len() as u64;
                    return;
                }
                Ok(false) => self.rewrite(),
                Err(e) => {
                    self.target = Target::Failed(e);
                    return;
                }
            }
        } else if let Target::Same(None) = self.target {
            self.rewrite();
        }
        if let Target::New(file) = &mut self.target {
            if let Err(e) = file.write_all(text.as_bytes()) {
                self.target = Target::Failed(e);
                return;
            }
        }
        self.taken += text.len() as u64;
    }

    /// Starts writing the file anew with the text taken so far, which is
    /// what the old file holds up to there.
    fn rewrite(&mut self) {
        let result = (|| {
            let mut prefix = Vec::new();
            if let Target::Same(Some(old)) = &mut self.target {
                old.rewind()?;
                old.take(self.taken).read_to_end(&mut prefix)?;
            }
            let mut file = File::create(&self.path)?;
            file.write_all(&prefix)?;
            Ok(file)
        })();
        self.target = match result {
            Ok(file) => Target::New(file),
            Err(e) => Target::Failed(e),
        };
    }

    fn finish(self) -> io::Result<()> {
        match self.target {
            Target::New(mut file) => file.flush(),
            Target::Failed(e) => Err(e),
            Target::Same(_) => Ok(()),
        }
    }
}

/// Do the next bytes of `file` hold `want`?
fn holds_next(file: &mut File, want: &[u8]) -> io::Result<bool> {
    let mut buf = [0; 16 * 1024];
    for want in want.chunks(buf.len()) {
        let got = &mut buf[..want.len()];
        if let Err(e) = file.read_exact(got) {
            return match e.kind() {
                io::ErrorKind::UnexpectedEof => Ok(false),
                _ => Err(e),
            };
        }
        if got != want {
            return Ok(false);
        }
    }
    Ok(true)
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

    /// Pieces in any order give the file they make in order, rewritten
    /// only when that text differs: anywhere, shorter or longer.
    #[test]
    fn pieces_in_any_order_make_the_file() {
        let dir = std::env::temp_dir().join(format!("qapi-in-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("f.rs");
        let big = "y".repeat(40_000);
        let pieces = ["head ", big.as_str(), " middle ", "tail"];
        let write = |order: &[usize], pieces: &[&str]| {
            let out = InOrder::new(&path);
            for &n in order {
                out.push(n, pieces[n].to_owned());
            }
            out.finish(pieces.len()).expect("written");
            std::fs::read_to_string(&path).expect("read")
        };
        let whole = pieces.concat();
        // No file yet.
        assert_eq!(write(&[2, 0, 3, 1], &pieces), whole);
        // The same text is left alone: the file is not touched.
        let stamp = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(write(&[3, 2, 1, 0], &pieces), whole);
        assert_eq!(
            std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
            stamp
        );
        // A change in a later piece keeps what came before it.
        let changed = ["head ", big.as_str(), " MIDDLE ", "tail"];
        assert_eq!(write(&[0, 1, 2, 3], &changed), changed.concat());
        // Shorter, then longer, than the file.
        assert_eq!(write(&[1, 0], &pieces[..2]), pieces[..2].concat());
        assert_eq!(write(&[0, 2, 1, 3], &pieces), whole);
        // A missing piece is an error, not a short file.
        let out = InOrder::new(&path);
        out.push(1, "x".to_owned());
        assert!(out.finish(2).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}

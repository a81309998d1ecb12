//! Reading, tokenizing and parsing included files ahead: each file parses
//! on its own into pieces (its locations learn where it was included from
//! later), so a second thread works through the included files in order
//! while the main one joins their pieces; the main thread, when the file
//! it needs is still being parsed, takes on the next file in the queue
//! rather than wait. The pieces are joined in order, so every problem is
//! reported where a reading of the files one after the other meets it: a
//! file that could not be read or decoded ahead is simply done again the
//! ordinary way.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::{FileParse, FileParser};
use crate::paths;
use crate::source::Origin;
use crate::Dialect;

enum Slot {
    Queued,
    Working,
    /// `None` when the file could not be read or decoded.
    Done(Option<FileParse>),
    /// Handed to the parser; kept so that later includes of the same
    /// file do not queue it again.
    Taken,
}

#[derive(Default)]
struct State {
    slots: HashMap<String, Slot>,
    queue: VecDeque<String>,
    stopped: bool,
}

pub(crate) struct Prefetcher<'d> {
    state: Mutex<State>,
    changed: Condvar,
    dialect: &'d Dialect,
}

/// The include directives' file names in `text`, joined onto `file`'s
/// folder as the parser will join them: `'include'`, white space, `:`,
/// white space and a quoted name. A guess: a directive this misses is
/// read when the parser gets there. (A regular expression would do, but
/// compiling one costs more than the scan, before any work can start.)
fn includes_of<'t>(file: &'t str, text: &'t str) -> impl Iterator<Item = String> + 't {
    const KEY: &str = "'include'";
    let dir = paths::dirname(file);
    memchr::memmem::find_iter(text.as_bytes(), KEY.as_bytes()).filter_map(move |at| {
        let rest = text[at + KEY.len()..].trim_start_matches(char::is_whitespace);
        let rest = rest
            .strip_prefix(':')?
            .trim_start_matches(char::is_whitespace);
        let name = rest.strip_prefix('\'')?;
        let end = name.find(['\'', '\\', '\n'])?;
        name[end..]
            .starts_with('\'')
            .then(|| paths::join(dir, &name[..end]))
    })
}

/// Reads, decodes, tokenizes and parses one file, and queues the files
/// it includes; `None` if reading or decoding fails in any way.
fn parse(prefetch: &Prefetcher<'_>, path: &str) -> Option<FileParse> {
    // Should anything go wrong here, nobody must wait forever: the parser
    // then reads the file itself.
    std::panic::catch_unwind(|| {
        let text = paths::read_source(path).ok()?.decode().ok()?;
        prefetch.enqueue_includes(path, &text);
        let file = Arc::from(path);
        Some(FileParser::parse_text(
            &text,
            file,
            Origin::pending(),
            prefetch.dialect,
        ))
    })
    .ok()
    .flatten()
}

impl<'d> Prefetcher<'d> {
    pub(crate) fn new(dialect: &'d Dialect) -> Self {
        Prefetcher {
            state: Mutex::default(),
            changed: Condvar::new(),
            dialect,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues the files `text` includes; whether there were any.
    pub(crate) fn enqueue_includes(&self, file: &str, text: &str) -> bool {
        let mut st = self.lock();
        let mut any = false;
        for path in includes_of(file, text) {
            any = true;
            if !st.slots.contains_key(&path) {
                st.slots.insert(path.clone(), Slot::Queued);
                st.queue.push_back(path);
            }
        }
        self.changed.notify_all();
        any
    }

    /// Takes the next queued file, marking it as being worked on.
    fn claim_next(st: &mut State) -> Option<String> {
        while let Some(path) = st.queue.pop_front() {
            if let Some(slot @ Slot::Queued) = st.slots.get_mut(&path) {
                *slot = Slot::Working;
                return Some(path);
            }
        }
        None
    }

    /// Parses a claimed file and files the result.
    fn work(&self, path: String) {
        let parsed = parse(self, &path);
        self.lock().slots.insert(path, Slot::Done(parsed));
        self.changed.notify_all();
    }

    /// The second thread: works through the queue until told to stop.
    pub(crate) fn run(&self) {
        loop {
            let mut st = self.lock();
            let path = loop {
                if st.stopped {
                    return;
                }
                if let Some(p) = Self::claim_next(&mut st) {
                    break p;
                }
                st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
            };
            drop(st);
            self.work(path);
        }
    }

    /// The file at `path` read and parsed, or `None` when the caller
    /// must read it itself (not queued, or could not be read ahead).
    pub(crate) fn take(&self, path: &str) -> Option<FileParse> {
        let mut st = self.lock();
        loop {
            match st.slots.get_mut(path) {
                None | Some(Slot::Taken) => return None,
                Some(slot @ Slot::Queued) => {
                    *slot = Slot::Working;
                    drop(st);
                    let parsed = parse(self, path);
                    self.lock().slots.insert(path.to_owned(), Slot::Taken);
                    return parsed;
                }
                Some(slot @ Slot::Done(_)) => {
                    return match std::mem::replace(slot, Slot::Taken) {
                        Slot::Done(parsed) => parsed,
                        _ => None,
                    };
                }
                Some(Slot::Working) => {
                    // Rather than wait, get ahead on a later file.
                    if let Some(other) = Self::claim_next(&mut st) {
                        drop(st);
                        self.work(other);
                        st = self.lock();
                    } else {
                        st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
                    }
                }
            }
        }
    }

    /// Ends the second thread once the parser is done.
    pub(crate) fn finish(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_handed_over_is_not_queued_again() {
        let dir = std::env::temp_dir().join(format!("qapi-prefetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let common = dir.join("common.json");
        std::fs::write(&common, "{ 'enum': 'E', 'data': [ 'a' ] }\n").expect("write");
        let main = dir.join("main.json");
        let main = main.to_str().expect("UTF-8 path");
        let text = "{ 'include': 'common.json' }\n";
        let dialect = Dialect::newest();
        let prefetch = Prefetcher::new(&dialect);
        prefetch.enqueue_includes(main, text);
        let path = paths::join(paths::dirname(main), "common.json");
        let parsed = prefetch.take(&path).expect("parsed");
        assert!(parsed.error.is_none() && !parsed.pieces.is_empty());
        // A second file including it again must not cost another pass.
        prefetch.enqueue_includes(main, text);
        assert_eq!(Prefetcher::claim_next(&mut prefetch.lock()), None);
        assert!(prefetch.take(&path).is_none());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn include_directives_are_found_as_the_pattern_finds_them() {
        let re = regex::Regex::new(r"'include'\s*:\s*'([^'\\\n]*)'").expect("a valid pattern");
        let mut texts: Vec<String> = [
            "{ 'include': 'a.json' }\n{'include':'b/c.json'}",
            "{ 'include' :\n  'd.json' }",
            "{ 'include': 'no\\escape.json' } { 'include': 'open",
            "{ 'include': 'x.json' } 'include' 'y' 'include':'' ",
            "'include'\u{a0}:\u{2003}'wide.json'",
        ]
        .map(str::to_owned)
        .to_vec();
        let dir = crate::test_support::qemu_tests();
        for entry in dir
            .iter()
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten())
        {
            let path = entry.expect("a folder entry").path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
        for text in &texts {
            let want: Vec<String> = re
                .captures_iter(text)
                .filter_map(|c| c.get(1).map(|m| paths::join("", m.as_str())))
                .collect();
            let got: Vec<String> = includes_of("f.json", text).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}

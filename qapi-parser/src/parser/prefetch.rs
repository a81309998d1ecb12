//! Reading and tokenizing included files ahead of the parser, on a second
//! thread: tokenizing is most of the parsing time, and every file's tokens
//! are independent of the others. The parser still takes the files in
//! order and reports every problem itself; a file the prefetcher could not
//! read or decode is simply done again the ordinary way.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Condvar, Mutex, OnceLock};

use regex::Regex;

use crate::lexer::{tokenize, Tok};
use crate::paths;

/// A file read and tokenized ahead of time.
pub(crate) struct Lexed {
    pub text: String,
    pub toks: Vec<Tok>,
}

enum Slot {
    Pending,
    /// `None` when the file could not be read or decoded.
    Done(Option<Lexed>),
}

pub(crate) struct Prefetcher {
    slots: Mutex<HashMap<String, Slot>>,
    ready: Condvar,
    queue: Mutex<Option<Sender<String>>>,
    stop: AtomicBool,
    /// Tokenize with the syntax of releases up to 4.1.
    legacy: bool,
}

/// The include directives' file names in `text`, joined onto `file`'s
/// folder as the parser will join them. A guess: a directive the pattern
/// misses is read when the parser gets there.
fn includes_of<'t>(file: &'t str, text: &'t str) -> impl Iterator<Item = String> + 't {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        // A fixed pattern, known to compile.
        Regex::new(r"'include'\s*:\s*'([^'\\\n]*)'").expect("valid built-in regex")
    });
    let dir = paths::dirname(file);
    re.captures_iter(text)
        .filter_map(move |c| c.get(1).map(|m| paths::join(dir, m.as_str())))
}

impl Prefetcher {
    pub(crate) fn new(legacy: bool) -> (Self, Receiver<String>) {
        let (tx, rx) = channel();
        let p = Prefetcher {
            slots: Mutex::new(HashMap::new()),
            ready: Condvar::new(),
            queue: Mutex::new(Some(tx)),
            stop: AtomicBool::new(false),
            legacy,
        };
        (p, rx)
    }

    /// Whether `text` includes anything worth a second thread.
    pub(crate) fn has_includes(file: &str, text: &str) -> bool {
        includes_of(file, text).next().is_some()
    }

    /// Queues the files `text` includes.
    pub(crate) fn enqueue_includes(&self, file: &str, text: &str) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tx) = queue.as_ref() else { return };
        let mut seen = HashSet::new();
        for path in includes_of(file, text) {
            if seen.insert(path.clone()) && !slots.contains_key(&path) {
                slots.insert(path.clone(), Slot::Pending);
                let _ = tx.send(path);
            }
        }
    }

    /// The worker: reads and tokenizes queued files until told to stop.
    pub(crate) fn run(&self, rx: Receiver<String>) {
        while let Ok(path) = rx.recv() {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            // Should anything go wrong here, the parser must not wait
            // forever: it then reads the file itself.
            let lexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                paths::read_source(&path)
                    .ok()
                    .and_then(|s| s.decode().ok())
                    .map(|text| {
                        self.enqueue_includes(&path, &text);
                        let toks = tokenize(&text, self.legacy);
                        Lexed { text, toks }
                    })
            }))
            .ok()
            .flatten();
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.insert(path, Slot::Done(lexed));
            self.ready.notify_all();
        }
        // Wake a parser waiting for a file that will not come.
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        for slot in slots.values_mut() {
            if matches!(slot, Slot::Pending) {
                *slot = Slot::Done(None);
            }
        }
        self.ready.notify_all();
    }

    /// Takes a prefetched file, waiting for it when it is on its way.
    pub(crate) fn take(&self, path: &str) -> Option<Lexed> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match slots.get(path) {
                None => return None,
                Some(Slot::Pending) => {
                    slots = self.ready.wait(slots).unwrap_or_else(|e| e.into_inner());
                }
                Some(Slot::Done(_)) => {
                    return match slots.remove(path) {
                        Some(Slot::Done(lexed)) => lexed,
                        _ => None,
                    };
                }
            }
        }
    }

    /// Ends the worker once the parser is done.
    pub(crate) fn finish(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        *queue = None;
    }
}

//! Checking the expressions and defining their entities at once.
//!
//! Defining the entities is serial, and used to wait for every check,
//! leaving the second core idle. Here both threads check the expressions
//! chunk by chunk, and the main thread defines each chunk's entities, in
//! schema order, as soon as that chunk and all before it are checked.
//!
//! Errors come out as if the phases ran one after the other: the first
//! check error in schema order beats any error defining the entities; a
//! definition error is held back, and only reported once every chunk is
//! checked without error. Definitions stop at the first error, and never
//! see an expression whose check failed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use super::build::Builder;
use crate::ast::Expression;
use crate::doc::Doc;
use crate::expr::{check_run, MIN_RUN};
use crate::source::Pragma;
use crate::{Dialect, QapiError, Result};

/// Expressions per chunk: few enough that the main thread rarely waits
/// for the chunk it needs next, enough that handing chunks over costs
/// little next to checking them.
const CHUNK: usize = 16;

/// A chunk's index and the chunk checked, or its first check error.
type Checked<'e> = (usize, Result<&'e mut [Expression]>);

/// Checks every expression (current front end only) and defines the
/// built-in types and every expression's entities in `builder`.
pub(super) fn check_and_define(
    exprs: &mut [Expression],
    docs: &[Doc],
    pragma: &Pragma,
    dialect: &Dialect,
    builder: &mut Builder,
) -> Result<()> {
    let check = |run: &mut [Expression]| check_run(run, docs, pragma, dialect);
    builder.reserve_for(exprs.len());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || exprs.len() < 2 * MIN_RUN {
        check(exprs)?;
        builder.def_predefineds()?;
        return exprs.iter_mut().try_for_each(|e| builder.def_expr(e));
    }

    let chunk_count = exprs.len().div_ceil(CHUNK);
    let chunks = Mutex::new(exprs.chunks_mut(CHUNK).enumerate());
    // The first chunk known to fail its check: later ones need none.
    let failed = AtomicUsize::new(usize::MAX);
    // Chunks are claimed in order, so once one past a failure is
    // claimed, every chunk that could fail earlier is being checked.
    let claim = || {
        let next = chunks.lock().unwrap_or_else(|e| e.into_inner()).next();
        next.filter(|(i, _)| *i <= failed.load(Ordering::Relaxed))
    };
    let check_chunk = |chunk| check_chunk(chunk, check, &failed);

    std::thread::scope(|scope| {
        let (to_main, from_other) = mpsc::channel();
        // Should no thread start, the main thread checks every chunk.
        let other = std::thread::Builder::new().spawn_scoped(scope, move || {
            while let Some(chunk) = claim() {
                if to_main.send(check_chunk(chunk)).is_err() {
                    break;
                }
            }
        });
        let mut definer = Definer::new(builder, chunk_count);
        while !definer.done() {
            // Define what the other thread checked before checking more,
            // so that little is left to define once the checks are done.
            while let Ok(checked) = from_other.try_recv() {
                definer.put(checked);
            }
            if definer.done() {
                break;
            }
            if let Some(chunk) = claim() {
                definer.put(check_chunk(chunk));
                continue;
            }
            match from_other.recv() {
                Ok(checked) => definer.put(checked),
                Err(_) => break,
            }
        }
        if let Ok(other) = other {
            if let Err(panic) = other.join() {
                std::panic::resume_unwind(panic);
            }
        }
        definer.finish()
    })
}

/// Checks a chunk, noting in `failed` when it fails.
fn check_chunk<'e>(
    (index, chunk): (usize, &'e mut [Expression]),
    check: impl Fn(&mut [Expression]) -> Result<()>,
    failed: &AtomicUsize,
) -> Checked<'e> {
    let checked = check(chunk);
    if checked.is_err() {
        failed.fetch_min(index, Ordering::Relaxed);
    }
    (index, checked.map(|()| chunk))
}

/// Defines checked chunks in schema order, holding back definition errors
/// behind check errors.
struct Definer<'b, 'e> {
    builder: &'b mut Builder,
    /// Chunks checked but not yet taken in order, by index.
    ready: Vec<Option<Result<&'e mut [Expression]>>>,
    /// The next chunk to take.
    next: usize,
    /// The first check error in schema order, once taken.
    check_error: Option<QapiError>,
    /// The definitions so far, or their first error.
    defined: Result<()>,
}

impl<'b, 'e> Definer<'b, 'e> {
    fn new(builder: &'b mut Builder, chunk_count: usize) -> Self {
        // The built-in types come first, as when defining after checking.
        let defined = builder.def_predefineds();
        Definer {
            builder,
            ready: (0..chunk_count).map(|_| None).collect(),
            next: 0,
            check_error: None,
            defined,
        }
    }

    /// Files a checked chunk and defines every chunk now ready in order.
    fn put(&mut self, (index, checked): Checked<'e>) {
        if let Some(slot) = self.ready.get_mut(index) {
            *slot = Some(checked);
        }
        while self.check_error.is_none() {
            let Some(checked) = self.ready.get_mut(self.next).and_then(Option::take) else {
                break;
            };
            self.next += 1;
            match checked {
                Err(e) => self.check_error = Some(e),
                Ok(chunk) if self.defined.is_ok() => {
                    let builder = &mut *self.builder;
                    self.defined = chunk.iter_mut().try_for_each(|e| builder.def_expr(e));
                }
                // After a definition error only check errors matter.
                Ok(_) => {}
            }
        }
    }

    /// Whether the outcome is known: a check error taken, or every chunk.
    fn done(&self) -> bool {
        self.check_error.is_some() || self.next == self.ready.len()
    }

    fn finish(self) -> Result<()> {
        if let Some(e) = self.check_error {
            return Err(e);
        }
        if self.next != self.ready.len() {
            // Every chunk is taken unless the other thread died, which
            // `check_and_define` reports first.
            return Err(QapiError::bare(
                "internal error: expressions left unchecked",
            ));
        }
        self.defined
    }
}

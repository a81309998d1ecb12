//! Context-free checks of each top-level expression, and normalization of
//! the shorthand forms the language allows.
//!
//! The checks run in the order QEMU runs them and stop at the first error,
//! because the first error is what a user sees. After a successful check every
//! definition has QEMU's normalized shape:
//! - members of `data`/`base` objects are `{'type': T, 'if'?, 'features'?}`;
//! - features are `{'name': N, 'if'?}`;
//! - enum values are `{'name': N, 'if'?, 'features'?}`.
//!
//! Shorthand turned into a dict keeps the span of the value it replaces.

mod cond;
mod context;
mod defs;
mod keys;
mod members;
mod names;
#[cfg(test)]
mod tests;

use crate::ast::{Dict, Expression, ParsedSchema};
use crate::dialect::MetaRule;
use crate::doc::Doc;
use crate::source::Pragma;
use crate::{Dialect, Result};

use context::{Ctx, Quoted};

/// The keys that name a definition's meta-type, in the order QEMU lists them.
const METAS: [&str; 6] = ["enum", "struct", "union", "alternate", "command", "event"];

/// The order in which releases before 6.2 look for the meta-type key.
const FIRST_OF_ORDER: [&str; 6] = ["enum", "union", "alternate", "struct", "command", "event"];

/// Checks every expression's shape and normalizes shorthand in place.
pub fn check_exprs(parsed: &mut ParsedSchema, dialect: &Dialect) -> Result<()> {
    if dialect.front_end == crate::dialect::FrontEnd::Legacy {
        return crate::expr_legacy::check_exprs(parsed, dialect);
    }
    let ParsedSchema {
        exprs,
        docs,
        pragma,
    } = parsed;
    // Each expression is checked on its own, so the expressions are shared
    // out among the cores in runs; the first error in schema order wins.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let run = exprs.len().div_ceil(threads).max(MIN_RUN);
    let check_run = |run: &mut [Expression]| check_run(run, docs, pragma, dialect);
    if threads == 1 || exprs.len() < 2 * MIN_RUN {
        return check_run(exprs);
    }
    std::thread::scope(|scope| {
        let mut runs = exprs.chunks_mut(run);
        let first = runs.next();
        let others: Vec<_> = runs.map(|r| scope.spawn(|| check_run(r))).collect();
        first.map_or(Ok(()), check_run)?;
        others.into_iter().try_for_each(|t| {
            t.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// Fewer expressions than this are not worth a thread.
pub(crate) const MIN_RUN: usize = 64;

/// Checks a run of expressions in order, stopping at the first error.
/// Only for the current front end (see [`check_exprs`]).
pub(crate) fn check_run(
    run: &mut [Expression],
    docs: &[Doc],
    pragma: &Pragma,
    dialect: &Dialect,
) -> Result<()> {
    run.iter_mut()
        .try_for_each(|expr| check_expr(expr, docs, pragma, dialect))
}

fn check_expr(
    expr: &mut Expression,
    docs: &[Doc],
    pragma: &Pragma,
    dialect: &Dialect,
) -> Result<()> {
    if expr.expr.contains_key("include") {
        return Ok(());
    }
    let ctx = Ctx {
        info: &expr.info,
        pragma,
        dialect,
    };
    let dict = &mut expr.expr;

    let meta = match dialect.meta_rule {
        MetaRule::ExactlyOne => {
            let mut metas = METAS.iter().filter(|m| dict.contains_key(m));
            match (metas.next(), metas.next()) {
                (Some(meta), None) => *meta,
                _ => {
                    return Err(ctx.err(
                        "expression must have exactly one key \
                         'enum', 'struct', 'union', 'alternate', 'command', 'event'",
                    ))
                }
            }
        }
        // A second meta-type key is left to the key check.
        MetaRule::FirstOf => match FIRST_OF_ORDER.iter().find(|m| dict.contains_key(m)) {
            Some(meta) => *meta,
            None => return Err(ctx.err("expression is missing metatype")),
        },
    };

    let name = names::check_name_is_str(dict.get(meta), &ctx, &Quoted(meta))?.to_owned();
    ctx.info.set_defn(meta, &name);
    names::check_defn_name_str(&name, &ctx, meta)?;

    check_doc(expr.doc.and_then(|i| docs.get(i)), dict, &name, &ctx)?;

    defs::check_definition(meta, &name, dict, &ctx)?;

    cond::check_if(dict, &ctx, &meta)?;
    if !dialect.features_in_meta_check {
        members::check_features(dict.get_mut("features"), &ctx)?;
    }
    keys::check_flags(dict, &ctx)
}

/// The documentation block must be for this definition, and fit it.
fn check_doc(doc: Option<&Doc>, expr: &Dict, name: &str, ctx: &Ctx) -> Result<()> {
    match doc {
        Some(doc) => {
            if doc.symbol.as_deref() != Some(name) {
                // QEMU prints Python's None for a block without symbol; the
                // parser never attaches such a block, but say the same.
                let symbol = doc.symbol.as_deref().unwrap_or("None");
                return Err(ctx.err(format!("documentation comment is for '{symbol}'")));
            }
            doc.check_expr(expr)
        }
        None if ctx.pragma.doc_required => Err(ctx.err("documentation comment required")),
        None => Ok(()),
    }
}

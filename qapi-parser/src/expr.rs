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
use crate::doc::Doc;
use crate::source::Pragma;
use crate::{Dialect, Result};

use context::Ctx;

/// The keys that name a definition's meta-type, in the order QEMU lists them.
const METAS: [&str; 6] = ["enum", "struct", "union", "alternate", "command", "event"];

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
    for expr in exprs.iter_mut() {
        check_expr(expr, docs, pragma, dialect)?;
    }
    Ok(())
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

    let mut metas = METAS.iter().filter(|m| dict.contains_key(m));
    let meta = match (metas.next(), metas.next()) {
        (Some(meta), None) => *meta,
        _ => {
            return Err(ctx.err(
                "expression must have exactly one key \
                 'enum', 'struct', 'union', 'alternate', 'command', 'event'",
            ))
        }
    };

    let name = names::check_name_is_str(dict.get(meta), &ctx, &format!("'{meta}'"))?.to_owned();
    ctx.info.set_defn(meta, &name);
    names::check_defn_name_str(&name, &ctx, meta)?;

    check_doc(expr.doc.and_then(|i| docs.get(i)), dict, &name, &ctx)?;

    defs::check_definition(meta, &name, dict, &ctx)?;

    cond::check_if(dict, &ctx, meta)?;
    members::check_features(dict.get_mut("features"), &ctx)?;
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

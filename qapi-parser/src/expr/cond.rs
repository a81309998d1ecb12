//! Conditions (`'if'`): a configuration symbol, or `all`/`any` of a
//! non-empty list of conditions, or `not` of a condition.

use super::context::{Ctx, Source};
use super::keys::check_keys;
use crate::ast::{Dict, Value, ValueKind};
use crate::dialect::IfSyntax;
use crate::Result;

/// Checks the `if` key of `owner`, if it has one. `source` describes the
/// owner in messages.
pub(super) fn check_if(owner: &Dict, ctx: &Ctx, source: Source) -> Result<()> {
    let Some(cond) = owner.get("if") else {
        return Ok(());
    };
    match ctx.dialect.ifcond {
        IfSyntax::Tree => check_cond(cond, ctx, source),
        // Releases without conditions (or with their own checker) refuse
        // the key before this is reached; check the forms they share.
        IfSyntax::StrList { .. } | IfSyntax::None => check_str_list(cond, ctx, source),
    }
}

/// Before 6.2: a C preprocessor expression, or a non-empty list of them
/// that must all hold.
fn check_str_list(cond: &Value, ctx: &Ctx, source: Source) -> Result<()> {
    let check_str = |c: &Value| match c.as_str() {
        None => Err(ctx.err(format!(
            "'if' condition of {source} must be a string or a list of strings"
        ))),
        Some(s) if s.trim().is_empty() => {
            Err(ctx.err(format!("'if' condition '{s}' of {source} makes no sense")))
        }
        Some(_) => Ok(()),
    };
    match cond.as_list() {
        Some([]) => Err(ctx.err(format!("'if' condition [] of {source} is useless"))),
        Some(list) => list.iter().try_for_each(check_str),
        None => check_str(cond),
    }
}

fn check_cond(cond: &Value, ctx: &Ctx, source: Source) -> Result<()> {
    let dict = match &cond.kind {
        ValueKind::Str(symbol) => {
            if !is_identifier(symbol) {
                return Err(ctx.err(format!(
                    "'if' condition '{symbol}' of {source} is not a valid identifier"
                )));
            }
            return Ok(());
        }
        ValueKind::Dict(dict) => dict,
        _ => {
            return Err(ctx.err(format!(
                "'if' condition of {source} must be a string or an object"
            )))
        }
    };
    let what = format!("'if' condition of {source}");
    check_keys(dict, ctx, &what, &[], &["all", "any", "not"])?;
    if dict.len() != 1 {
        return Err(ctx.err(format!("{what} has conflicting keys")));
    }
    if let Some(operand) = dict.get("not") {
        return check_cond(operand, ctx, source);
    }
    for op in ["all", "any"] {
        if let Some(operands) = dict.get(op) {
            return check_operands(op, operands, ctx, source);
        }
    }
    Ok(())
}

fn check_operands(op: &str, operands: &Value, ctx: &Ctx, source: Source) -> Result<()> {
    let Some(list) = operands.as_list() else {
        return Err(ctx.err(format!("'{op}' condition of {source} must be an array")));
    };
    if list.is_empty() {
        return Err(ctx.err(format!("'if' condition [] of {source} is useless")));
    }
    list.iter().try_for_each(|c| check_cond(c, ctx, source))
}

/// A configuration symbol: an upper-case letter, then upper-case letters,
/// digits and `_`.
fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

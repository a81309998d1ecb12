//! Name rules: what a valid name looks like, and the case conventions of
//! each kind of name.
//!
//! A valid name is an optional downstream prefix `__RFQDN_`, an optional
//! experimental prefix `x-`, and a stem of ASCII letters, digits, `-` and
//! `_` starting with a letter. Names whose C form starts with `q_` are
//! reserved for the generator.

use super::context::{Ctx, Source};
use crate::ast::Value;
use crate::dialect::{CaseRules, SuffixRule};
use crate::Result;

/// The value must be a string; returns it.
pub(super) fn check_name_is_str<'v>(
    value: Option<&'v Value>,
    ctx: &Ctx,
    source: Source,
) -> Result<&'v str> {
    value
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.err(format!("{source} requires a string name")))
}

/// Checks a name is valid; returns its stem (the name without prefixes).
pub(super) fn check_name_str<'n>(name: &'n str, ctx: &Ctx, source: Source) -> Result<&'n str> {
    match name_stem(name) {
        Some(stem) if !c_name_starts_with(name, "q_") => Ok(stem),
        _ => Err(ctx.err(format!("{source} has an invalid name"))),
    }
}

/// Event names: upper case, words separated by `_`.
pub(super) fn check_name_upper(name: &str, ctx: &Ctx, source: Source) -> Result<()> {
    let stem = check_name_str(name, ctx, source)?;
    if stem.bytes().any(|b| b.is_ascii_lowercase() || b == b'-') {
        return Err(ctx.err(format!("name of {source} must not use lowercase or '-'")));
    }
    Ok(())
}

/// Command, member, value and feature names: lower case, words separated
/// by `-`, unless a pragma exempts the definition.
pub(super) fn check_name_lower(
    name: &str,
    ctx: &Ctx,
    source: Source,
    permit_upper: bool,
    permit_underscore: bool,
) -> Result<()> {
    let stem = check_name_str(name, ctx, source)?;
    if (!permit_upper && stem.bytes().any(|b| b.is_ascii_uppercase()))
        || (!permit_underscore && stem.contains('_'))
    {
        return Err(ctx.err(format!("name of {source} must not use uppercase or '_'")));
    }
    Ok(())
}

/// Type names: CamelCase, i.e. an upper-case letter, then letters and
/// digits among which at least one lower-case letter.
pub(super) fn check_name_camel(name: &str, ctx: &Ctx, source: Source) -> Result<()> {
    let stem = check_name_str(name, ctx, source)?;
    let bytes = stem.as_bytes();
    let camel = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes.iter().skip(1).any(u8::is_ascii_lowercase);
    if !camel {
        return Err(ctx.err(format!("name of {source} must use CamelCase")));
    }
    Ok(())
}

/// A name that follows no convention beyond the era's basic one: any
/// valid name from 6.0, a valid name without upper case before.
pub(super) fn check_plain_name(name: &str, ctx: &Ctx, source: Source) -> Result<()> {
    check_name_str(name, ctx, source)?;
    if ctx.dialect.case_rules != CaseRules::Stem {
        check_no_uppercase(name, ctx, source, false)?;
    }
    Ok(())
}

/// A member or enum value name; `permissive` when a pragma exempts the
/// definition from the case rules.
pub(super) fn check_member_name(
    name: &str,
    ctx: &Ctx,
    source: Source,
    permissive: bool,
) -> Result<()> {
    if ctx.dialect.case_rules == CaseRules::Stem {
        return check_name_lower(name, ctx, source, permissive, permissive);
    }
    check_name_str(name, ctx, source)?;
    check_no_uppercase(name, ctx, source, permissive)
}

/// The case rule before 6.0: no upper-case letter anywhere in the name.
fn check_no_uppercase(name: &str, ctx: &Ctx, source: Source, permit_upper: bool) -> Result<()> {
    if !permit_upper && name.chars().any(char::is_uppercase) {
        return Err(ctx.err(format!("{source} uses uppercase in name")));
    }
    Ok(())
}

/// A definition's name, by meta-type.
pub(super) fn check_defn_name_str(name: &str, ctx: &Ctx, meta: &str) -> Result<()> {
    let is_type = !matches!(meta, "event" | "command");
    if ctx.dialect.case_rules != CaseRules::Stem {
        check_name_str(name, ctx, &meta)?;
    } else if meta == "event" {
        check_name_upper(name, ctx, &meta)?;
    } else if meta == "command" {
        let exempt = ctx.pragma.command_name_exceptions.iter().any(|n| n == name);
        check_name_lower(name, ctx, &meta, false, exempt)?;
    } else {
        check_name_camel(name, ctx, &meta)?;
    }
    // `FooList` is the name of the implicit array type of `Foo`, and
    // `FooKind` was the one of a simple union's implicit enum.
    let reserved: &[&str] = match ctx.dialect.suffix_rule {
        SuffixRule::KindListAllMetas => &["Kind", "List"],
        SuffixRule::KindListTypes if is_type => &["Kind", "List"],
        SuffixRule::ListTypes if is_type => &["List"],
        _ => &[],
    };
    if let Some(suffix) = reserved.iter().find(|s| name.ends_with(*s)) {
        return Err(ctx.err(format!("{meta} name should not end in '{suffix}'")));
    }
    Ok(())
}

/// The characters of a name's C form without keyword protection: every
/// character other than an ASCII letter, digit or `_` becomes `_`.
fn c_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
}

/// Whether `name`'s C form (unprotected) starts with `prefix`; asked of
/// every name, so without building the C form.
pub(super) fn c_name_starts_with(name: &str, prefix: &str) -> bool {
    let mut c = c_chars(name);
    prefix.chars().all(|p| c.next() == Some(p))
}

/// Whether `name`'s C form (unprotected) is `word`.
pub(super) fn c_name_is(name: &str, word: &str) -> bool {
    c_chars(name).eq(word.chars())
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The stem of a valid name, `None` if the name is not valid.
///
/// QEMU matches the name against a regular expression anchored at the start
/// and at the end or before a final newline, case-insensitively; this
/// follows that expression's backtracking exactly.
fn name_stem(name: &str) -> Option<&str> {
    let body = name.strip_suffix('\n').unwrap_or(name);
    let mut rest = body;
    if let Some(after) = body.strip_prefix("__") {
        // The downstream prefix's RFQDN runs over letters, digits, `.` and
        // `-`; it must end with `_`, which that run cannot contain, so only
        // the longest run can be followed by it.
        let len = after
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            .count();
        // `len` counts ASCII bytes, so it is a character boundary.
        let (rfqdn, tail) = after.split_at(len);
        rest = tail.strip_prefix('_').filter(|_| !rfqdn.is_empty())?;
    }
    // With the experimental prefix taken off, the rest must be a stem; if it
    // is not, the whole of it (`x-` included) may still be one.
    if let Some(stem) = rest
        .strip_prefix("x-")
        .or_else(|| rest.strip_prefix("X-"))
        .filter(|s| is_stem(s))
    {
        return Some(stem);
    }
    is_stem(rest).then_some(rest)
}

fn is_stem(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic) && b.iter().all(|&c| is_name_char(c))
}

//! Which keys an object may have, and the values of flag keys.

use std::collections::BTreeSet;

use super::context::{Ctx, Source};
use crate::ast::Dict;
use crate::Result;

/// The object must have every `required` key and no key outside `required`
/// and `optional`.
pub(super) fn check_keys(
    value: &Dict,
    ctx: &Ctx,
    source: Source,
    required: &[&str],
    optional: &[&str],
) -> Result<()> {
    // Most objects are right: tell so without building the messages' sets.
    if required.iter().all(|k| value.contains_key(k))
        && value
            .keys()
            .all(|k| required.contains(&k) || optional.contains(&k))
    {
        return Ok(());
    }
    let missing: BTreeSet<&str> = required
        .iter()
        .copied()
        .filter(|k| !value.contains_key(k))
        .collect();
    if !missing.is_empty() {
        return Err(ctx.err(format!(
            "{source} misses key{} {}",
            plural(missing.len()),
            quoted_list(&missing)
        )));
    }
    let allowed: BTreeSet<&str> = required.iter().chain(optional).copied().collect();
    let unknown: BTreeSet<&str> = value.keys().filter(|k| !allowed.contains(k)).collect();
    if !unknown.is_empty() {
        return Err(ctx.err(format!(
            "{source} has unknown key{} {}\nValid keys are {}.",
            plural(unknown.len()),
            quoted_list(&unknown),
            quoted_list(&allowed)
        )));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// `'a', 'b', 'c'`, sorted (a `BTreeSet` iterates in the order QEMU sorts).
fn quoted_list(keys: &BTreeSet<&str>) -> String {
    keys.iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Flags that only make sense with one value must have it.
pub(super) fn check_flags(expr: &Dict, ctx: &Ctx) -> Result<()> {
    for key in ["gen", "success-response"] {
        if expr.get(key).is_some_and(|v| v.as_bool() != Some(false)) {
            return Err(ctx.err(format!("flag '{key}' may only use false value")));
        }
    }
    for key in ["boxed", "allow-oob", "allow-preconfig", "coroutine"] {
        if expr.get(key).is_some_and(|v| v.as_bool() != Some(true)) {
            return Err(ctx.err(format!("flag '{key}' may only use true value")));
        }
    }
    // Not contradictory as such, but nothing needs both and what it would
    // mean is unclear, so QEMU refuses it.
    if expr.contains_key("allow-oob") && expr.contains_key("coroutine") {
        return Err(ctx.err("flags 'allow-oob' and 'coroutine' are incompatible"));
    }
    Ok(())
}

//! Legacy key checks of definitions and of the objects inside them, and
//! legacy `if` conditions.

use std::collections::BTreeSet;

use crate::ast::{Dict, Value, ValueKind};
use crate::error::{QapiError, Result};
use crate::source::Info;

use super::{get, Era};

/// `'a', 'b'`: sorted, each quoted.
fn pprint<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let sorted: BTreeSet<&str> = names.into_iter().collect();
    sorted
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// QEMU's `check_known_keys` (4.0 onwards): missing keys first, then
/// unknown ones, each reported all at once.
pub(super) fn check_known_keys(
    info: &Info,
    source: &str,
    keys: &Dict,
    required: &[&str],
    optional: &[&str],
) -> Result<()> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !keys.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let (s, verb) = if missing.len() > 1 {
            ("s", "are")
        } else {
            ("", "is")
        };
        return Err(QapiError::sem(
            info,
            format!("Key{s} {} {verb} missing from {source}", pprint(missing)),
        ));
    }
    let unknown: BTreeSet<&str> = keys
        .keys()
        .filter(|k| !required.contains(k) && !optional.contains(k))
        .collect();
    if !unknown.is_empty() {
        let s = if unknown.len() > 1 { "s" } else { "" };
        let allowed = required.iter().chain(optional).copied();
        return Err(QapiError::sem(
            info,
            format!(
                "Unknown key{s} {} in {source}\nValid keys are {}.",
                pprint(unknown),
                pprint(allowed)
            ),
        ));
    }
    Ok(())
}

/// The keys a definition may have, beyond its meta key.
fn allowed_keys(meta: &str, era: &Era) -> (&'static [&'static str], Vec<&'static str>) {
    let (required, mut optional): (&[&str], Vec<&str>) = match meta {
        "enum" => (&["data"], vec!["prefix"]),
        "union" => (&["data"], vec!["base", "discriminator"]),
        "alternate" => (&["data"], vec![]),
        "struct" => (&["data"], vec!["base"]),
        "command" => (
            &[],
            vec![
                "data",
                "returns",
                "gen",
                "success-response",
                "boxed",
                "allow-oob",
            ],
        ),
        _ => (&[], vec!["data", "boxed"]),
    };
    if meta == "command" && era.allow_preconfig {
        optional.push("allow-preconfig");
    }
    if era.ifcond {
        optional.push("if");
    }
    if meta == "struct" && era.struct_features {
        optional.push("features");
    }
    (required, optional)
}

/// QEMU's legacy `check_keys` of a definition `META 'NAME'`: the keys it
/// may have, and the values of flags and `if`.
pub(super) fn check_keys(info: &Info, expr: &Dict, meta: &str, era: &Era) -> Result<()> {
    let Some(name) = expr.get(meta).and_then(Value::as_str) else {
        return Err(QapiError::sem(
            info,
            format!("'{meta}' key must have a string value"),
        ));
    };
    let (required, optional) = allowed_keys(meta, era);
    let mut required = required.to_vec();
    required.push(meta);
    let source = format!("{meta} '{name}'");
    if era.known_keys {
        check_known_keys(info, &source, expr, &required, &optional)?;
    }
    for (key, value) in expr.iter() {
        if !era.known_keys && !required.contains(&key) && !optional.contains(&key) {
            return Err(QapiError::sem(
                info,
                format!("Unknown key '{key}' in {source}"),
            ));
        }
        let only = match key {
            "gen" | "success-response" => Some(false),
            "boxed" | "allow-oob" | "allow-preconfig" => Some(true),
            _ => None,
        };
        if let Some(only) = only {
            if value.as_bool() != Some(only) {
                return Err(QapiError::sem(
                    info,
                    format!("'{key}' of {source} should only use {only} value"),
                ));
            }
        }
        if key == "if" {
            check_if(info, expr)?;
        }
    }
    if !era.known_keys {
        if let Some(key) = required.iter().find(|k| !expr.contains_key(k)) {
            return Err(QapiError::sem(
                info,
                format!("Key '{key}' is missing from {source}"),
            ));
        }
    }
    Ok(())
}

/// QEMU's legacy `check_if`: the object's `if`, a string or a list of
/// strings.
pub(super) fn check_if(info: &Info, obj: &Dict) -> Result<()> {
    let Some(cond) = get(obj, "if") else {
        return Ok(());
    };
    let check_str = |v: &Value| match &v.kind {
        ValueKind::Str(s) if s.is_empty() => {
            Err(QapiError::sem(info, "'if' condition '' makes no sense"))
        }
        ValueKind::Str(_) => Ok(()),
        _ => Err(QapiError::sem(
            info,
            "'if' condition must be a string or a list of strings",
        )),
    };
    match &cond.kind {
        ValueKind::List(items) if items.is_empty() => {
            Err(QapiError::sem(info, "'if' condition [] is useless"))
        }
        ValueKind::List(items) => items.iter().try_for_each(check_str),
        _ => check_str(cond),
    }
}

//! The checks of each kind of definition.

use super::cond::check_if;
use super::context::Ctx;
use super::keys::check_keys;
use super::members::{
    check_features, check_type_implicit, check_type_name, check_type_name_or_array,
    check_type_name_or_implicit, normalize_members, wrap_in_dict,
};
use super::names::{check_name_is_str, check_name_lower};
use crate::ast::{Dict, Value, ValueKind};
use crate::Result;

/// Checks the keys of a definition of meta-type `meta` named `name`, then
/// its meta-type's rules, normalizing shorthand.
pub(super) fn check_definition(meta: &str, name: &str, expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    match meta {
        "enum" => {
            check_keys(
                expr,
                ctx,
                meta,
                &["enum", "data"],
                &["if", "features", "prefix"],
            )?;
            check_enum(expr, name, ctx)
        }
        "union" => {
            check_keys(
                expr,
                ctx,
                meta,
                &["union", "base", "discriminator", "data"],
                &["if", "features"],
            )?;
            normalize_members(expr.get_mut("base"));
            normalize_members(expr.get_mut("data"));
            check_union(expr, name, ctx)
        }
        "alternate" => {
            check_keys(expr, ctx, meta, &["alternate", "data"], &["if", "features"])?;
            normalize_members(expr.get_mut("data"));
            check_alternate(expr, ctx)
        }
        "struct" => {
            check_keys(
                expr,
                ctx,
                meta,
                &["struct", "data"],
                &["base", "if", "features"],
            )?;
            normalize_members(expr.get_mut("data"));
            check_struct(expr, name, ctx)
        }
        "command" => {
            check_keys(
                expr,
                ctx,
                meta,
                &["command"],
                &[
                    "data",
                    "returns",
                    "boxed",
                    "if",
                    "features",
                    "gen",
                    "success-response",
                    "allow-oob",
                    "allow-preconfig",
                    "coroutine",
                ],
            )?;
            normalize_members(expr.get_mut("data"));
            check_command(expr, ctx)
        }
        "event" => {
            check_keys(
                expr,
                ctx,
                meta,
                &["event"],
                &["data", "boxed", "if", "features"],
            )?;
            normalize_members(expr.get_mut("data"));
            check_event(expr, ctx)
        }
        // The caller passes one of the meta-type keys only.
        _ => Ok(()),
    }
}

/// Enum values are strings or `{'name': ...}` objects; values may start
/// with a digit.
fn check_enum(expr: &mut Dict, name: &str, ctx: &Ctx) -> Result<()> {
    if !expr.get("data").is_some_and(Value::is_list) {
        return Err(ctx.err("'data' must be an array"));
    }
    if expr.get("prefix").is_some_and(|p| !p.is_str()) {
        return Err(ctx.err("'prefix' must be a string"));
    }
    let Some(ValueKind::List(values)) = expr.get_mut("data").map(|d| &mut d.kind) else {
        return Ok(()); // checked to be an array just above
    };
    let permissive = ctx.pragma.member_name_exceptions.iter().any(|e| e == name);
    for value in values.iter_mut() {
        wrap_in_dict(value, "name");
    }
    for value in values.iter_mut() {
        let Some(value) = value.as_dict_mut() else {
            continue; // made an object just above
        };
        let source = "'data' member";
        check_keys(value, ctx, source, &["name"], &["if", "features"])?;
        let value_name = check_name_is_str(value.get("name"), ctx, source)?;
        let source = format!("{source} '{value_name}'");
        // A leading digit would fail the name rules; only its position in
        // the name matters to them, so check as if it were a letter.
        let checked = if value_name.starts_with(|c: char| c.is_ascii_digit()) {
            format!("d{value_name}")
        } else {
            value_name.to_owned()
        };
        check_name_lower(&checked, ctx, &source, permissive, permissive)?;
        check_if(value, ctx, &source)?;
        check_features(value.get_mut("features"), ctx)?;
    }
    Ok(())
}

fn check_struct(expr: &mut Dict, name: &str, ctx: &Ctx) -> Result<()> {
    check_type_implicit(expr.get_mut("data"), ctx, "'data'", Some(name))?;
    check_type_name(expr.get("base"), ctx, "'base'")
}

fn check_union(expr: &mut Dict, name: &str, ctx: &Ctx) -> Result<()> {
    check_type_name_or_implicit(expr.get_mut("base"), ctx, "'base'", Some(name))?;
    check_name_is_str(expr.get("discriminator"), ctx, "'discriminator'")?;
    let Some(ValueKind::Dict(branches)) = expr.get_mut("data").map(|d| &mut d.kind) else {
        return Err(ctx.err("'data' must be an object"));
    };
    for (key, branch) in &mut branches.entries {
        let source = format!("'data' member '{key}'");
        wrap_in_dict(branch, "type");
        let Some(branch) = branch.as_dict() else {
            continue; // made an object just above
        };
        check_keys(branch, ctx, &source, &["type"], &["if"])?;
        check_if(branch, ctx, &source)?;
        check_type_name(branch.get("type"), ctx, &source)?;
    }
    Ok(())
}

fn check_alternate(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    let data = expr.get_mut("data");
    if !data.as_deref().is_some_and(truthy) {
        return Err(ctx.err("'data' must not be empty"));
    }
    let Some(ValueKind::Dict(branches)) = data.map(|d| &mut d.kind) else {
        return Err(ctx.err("'data' must be an object"));
    };
    for (key, branch) in &mut branches.entries {
        let source = format!("'data' member '{key}'");
        check_name_lower(key, ctx, &source, false, false)?;
        wrap_in_dict(branch, "type");
        let Some(branch) = branch.as_dict() else {
            continue; // made an object just above
        };
        check_keys(branch, ctx, &source, &["type"], &["if"])?;
        check_if(branch, ctx, &source)?;
        check_type_name_or_array(branch.get("type"), ctx, &source)?;
    }
    Ok(())
}

fn check_command(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    check_arguments(expr, ctx)?;
    check_type_name_or_array(expr.get("returns"), ctx, "'returns'")
}

fn check_event(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    check_arguments(expr, ctx)
}

/// A command's or event's `data`: a type name when boxed, else a type name
/// or an implicit struct.
fn check_arguments(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    // Any true-ish value selects the boxed rules here; that the value must
    // be `true` itself is checked later, with the other flags.
    let boxed = expr.get("boxed").is_some_and(truthy);
    let args = expr.get_mut("data");
    if boxed {
        let Some(args) = args else {
            return Err(ctx.err("'boxed': true requires 'data'"));
        };
        check_type_name(Some(args), ctx, "'data'")
    } else {
        check_type_name_or_implicit(args, ctx, "'data'", None)
    }
}

/// Whether QEMU's Python front end treats the value as true: `true`, or a
/// non-empty string, array or object.
fn truthy(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Bool(b) => *b,
        ValueKind::Str(s) => !s.is_empty(),
        ValueKind::List(l) => !l.is_empty(),
        ValueKind::Dict(d) => !d.is_empty(),
        ValueKind::Null => false,
    }
}

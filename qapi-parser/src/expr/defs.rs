//! The checks of each kind of definition.

use std::borrow::Cow;

use super::cond::check_if;
use super::context::{Ctx, MemberOf};
use super::keys::check_keys;
use super::members::{
    check_features, check_type, check_type_implicit, check_type_name, check_type_name_or_array,
    check_type_name_or_implicit, normalize_members, wrap_in_dict, Allow,
};
use super::names::{check_member_name, check_name_is_str, check_name_lower, check_plain_name};
use crate::ast::{Dict, Value, ValueKind};
use crate::dialect::{CaseRules, FeatureSites, IfSyntax, TypeChecks};
use crate::Result;

/// The optional keys of a definition of meta-type `meta` in this
/// dialect, in QEMU's order (which only matters for sorting messages).
fn optional_keys(meta: &str, simple_unions: bool, ctx: &Ctx) -> Vec<&'static str> {
    let d = ctx.dialect;
    let features_here = d.features_on.has(match meta {
        "struct" => FeatureSites::STRUCT,
        "command" => FeatureSites::COMMAND,
        _ => FeatureSites::ALL_DEFS_AND_MEMBERS,
    });
    let mut keys: Vec<&'static str> = match meta {
        "union" if simple_unions => vec!["base", "discriminator"],
        "struct" => vec!["base"],
        "command" => vec!["data", "returns", "boxed"],
        "event" => vec!["data", "boxed"],
        _ => vec![],
    };
    if d.ifcond != IfSyntax::None {
        keys.push("if");
    }
    if features_here {
        keys.push("features");
    }
    match meta {
        "enum" => keys.push("prefix"),
        "command" => {
            keys.extend(["gen", "success-response", "allow-oob"]);
            if d.allow_preconfig {
                keys.push("allow-preconfig");
            }
            if d.coroutine {
                keys.push("coroutine");
            }
        }
        _ => {}
    }
    keys
}

/// Checks the keys of a definition of meta-type `meta` named `name`, then
/// its meta-type's rules, normalizing shorthand.
pub(super) fn check_definition(meta: &str, name: &str, expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    let simple_unions = ctx.dialect.simple_unions;
    let optional = optional_keys(meta, simple_unions, ctx);
    match meta {
        "enum" => {
            check_keys(expr, ctx, &meta, &["enum", "data"], &optional)?;
            check_enum(expr, name, ctx)
        }
        "union" => {
            let required: &[&str] = if simple_unions {
                &["union", "data"]
            } else {
                &["union", "base", "discriminator", "data"]
            };
            check_keys(expr, ctx, &meta, required, &optional)?;
            normalize_members(expr.get_mut("base"));
            normalize_members(expr.get_mut("data"));
            check_union(expr, name, ctx)
        }
        "alternate" => {
            check_keys(expr, ctx, &meta, &["alternate", "data"], &optional)?;
            normalize_members(expr.get_mut("data"));
            check_alternate(expr, ctx)
        }
        "struct" => {
            check_keys(expr, ctx, &meta, &["struct", "data"], &optional)?;
            normalize_members(expr.get_mut("data"));
            check_struct(expr, name, ctx)?;
            check_features_here(expr, ctx)
        }
        "command" => {
            check_keys(expr, ctx, &meta, &["command"], &optional)?;
            normalize_members(expr.get_mut("data"));
            check_command(expr, ctx)?;
            check_features_here(expr, ctx)
        }
        "event" => {
            check_keys(expr, ctx, &meta, &["event"], &optional)?;
            normalize_members(expr.get_mut("data"));
            check_event(expr, ctx)
        }
        // The caller passes one of the meta-type keys only.
        _ => Ok(()),
    }
}

/// In 4.2 the struct and command checks end with their features (the
/// only definitions that had them), before the definition's `if`.
fn check_features_here(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    if ctx.dialect.features_in_meta_check {
        check_features(expr.get_mut("features"), ctx)?;
    }
    Ok(())
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
    let value_features = ctx.dialect.features_on.has(FeatureSites::ENUM_VALUES);
    let optional: &[&str] = if value_features {
        &["if", "features"]
    } else {
        &["if"]
    };
    for value in values.iter_mut() {
        wrap_in_dict(value, "name");
    }
    for value in values.iter_mut() {
        let Some(value) = value.as_dict_mut() else {
            continue; // made an object just above
        };
        let source = "'data' member";
        check_keys(value, ctx, &source, &["name"], optional)?;
        let value_name = check_name_is_str(value.get("name"), ctx, &source)?;
        let source = MemberOf(&"'data'", value_name);
        // A leading digit would fail the name rules; only its position in
        // the name matters to them, so check as if it were a letter.
        let checked = if value_name.starts_with(|c: char| c.is_ascii_digit()) {
            Cow::Owned(format!("d{value_name}"))
        } else {
            Cow::Borrowed(value_name)
        };
        check_member_name(&checked, ctx, &source, permissive)?;
        check_if(value, ctx, &source)?;
        if value_features {
            check_features(value.get_mut("features"), ctx)?;
        }
    }
    Ok(())
}

fn check_struct(expr: &mut Dict, name: &str, ctx: &Ctx) -> Result<()> {
    match ctx.dialect.type_checks {
        TypeChecks::Split => {
            check_type_implicit(expr.get_mut("data"), ctx, &"'data'", Some(name))?;
            check_type_name(expr.get("base"), ctx, &"'base'")
        }
        TypeChecks::CheckType => {
            // A type name passes here but breaks QEMU's model; refuse it
            // as later releases do.
            if expr.get("data").is_some_and(Value::is_str) {
                return Err(ctx.err("'data' should be an object or type name"));
            }
            let allow = Allow {
                array: false,
                dict: Some(Some(name)),
            };
            check_type(expr.get_mut("data"), ctx, &"'data'", allow)?;
            check_type(expr.get_mut("base"), ctx, &"'base'", Allow::NAME)
        }
    }
}

fn check_union(expr: &mut Dict, name: &str, ctx: &Ctx) -> Result<()> {
    let d = ctx.dialect;
    let simple = d.simple_unions && !expr.contains_key("discriminator");
    let base_truthy = expr.get("base").is_some_and(Value::is_truthy);
    match d.type_checks {
        TypeChecks::Split => {
            check_type_name_or_implicit(expr.get_mut("base"), ctx, &"'base'", Some(name))?;
            check_name_is_str(expr.get("discriminator"), ctx, &"'discriminator'")?;
        }
        TypeChecks::CheckType if simple => {
            if expr.contains_key("base") {
                return Err(ctx.err("'base' requires 'discriminator'"));
            }
        }
        TypeChecks::CheckType => {
            let allow = Allow {
                array: false,
                dict: Some(Some(name)),
            };
            check_type(expr.get_mut("base"), ctx, &"'base'", allow)?;
            if d.simple_unions && !base_truthy {
                return Err(ctx.err("'discriminator' requires 'base'"));
            }
            check_name_is_str(expr.get("discriminator"), ctx, &"'discriminator'")?;
        }
    }
    let Some(ValueKind::Dict(branches)) = expr.get_mut("data").map(|d| &mut d.kind) else {
        return Err(ctx.err("'data' must be an object"));
    };
    for (key, branch) in &mut branches.entries {
        let source = MemberOf(&"'data'", key);
        // Flat union branches are values of the tag's enum, whose names
        // are checked there, from 6.0.
        if d.case_rules != CaseRules::Stem {
            check_plain_name(key, ctx, &source)?;
        } else if simple {
            check_name_lower(key, ctx, &source, false, false)?;
        }
        wrap_in_dict(branch, "type");
        let Some(branch) = branch.as_dict_mut() else {
            continue; // made an object just above
        };
        check_keys(branch, ctx, &source, &["type"], &["if"])?;
        check_if(branch, ctx, &source)?;
        match d.type_checks {
            TypeChecks::Split => check_type_name(branch.get("type"), ctx, &source)?,
            TypeChecks::CheckType => {
                let allow = Allow {
                    array: !base_truthy,
                    dict: None,
                };
                check_type(branch.get_mut("type"), ctx, &source, allow)?
            }
        }
    }
    Ok(())
}

fn check_alternate(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    let d = ctx.dialect;
    let data = expr.get_mut("data");
    if !data.as_deref().is_some_and(Value::is_truthy) {
        return Err(ctx.err("'data' must not be empty"));
    }
    let Some(ValueKind::Dict(branches)) = data.map(|d| &mut d.kind) else {
        return Err(ctx.err("'data' must be an object"));
    };
    for (key, branch) in &mut branches.entries {
        let source = MemberOf(&"'data'", key);
        if d.case_rules == CaseRules::Stem {
            check_name_lower(key, ctx, &source, false, false)?;
        } else {
            check_plain_name(key, ctx, &source)?;
        }
        wrap_in_dict(branch, "type");
        let Some(branch) = branch.as_dict_mut() else {
            continue; // made an object just above
        };
        check_keys(branch, ctx, &source, &["type"], &["if"])?;
        check_if(branch, ctx, &source)?;
        match d.type_checks {
            TypeChecks::Split => check_type_name_or_array(branch.get("type"), ctx, &source)?,
            TypeChecks::CheckType => {
                let allow = Allow {
                    array: d.alternate_arrays,
                    dict: None,
                };
                check_type(branch.get_mut("type"), ctx, &source, allow)?
            }
        }
    }
    Ok(())
}

fn check_command(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    check_arguments(expr, ctx)?;
    match ctx.dialect.type_checks {
        TypeChecks::Split => check_type_name_or_array(expr.get("returns"), ctx, &"'returns'"),
        TypeChecks::CheckType => {
            check_type(expr.get_mut("returns"), ctx, &"'returns'", Allow::ARRAY)
        }
    }
}

fn check_event(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    check_arguments(expr, ctx)
}

/// A command's or event's `data`: a type name when boxed, else a type name
/// or an implicit struct.
fn check_arguments(expr: &mut Dict, ctx: &Ctx) -> Result<()> {
    // Any true-ish value selects the boxed rules here; that the value must
    // be `true` itself is checked later, with the other flags.
    let boxed = expr.get("boxed").is_some_and(Value::is_truthy);
    let args = expr.get_mut("data");
    if boxed && args.is_none() {
        return Err(ctx.err("'boxed': true requires 'data'"));
    }
    if ctx.dialect.type_checks == TypeChecks::CheckType {
        let allow = Allow {
            array: false,
            dict: (!boxed).then_some(None),
        };
        return check_type(args, ctx, &"'data'", allow);
    }
    if boxed {
        check_type_name(args.as_deref(), ctx, &"'data'")
    } else {
        check_type_name_or_implicit(args, ctx, &"'data'", None)
    }
}

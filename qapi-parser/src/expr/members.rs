//! Members, type references and features, with their shorthand forms.

use super::cond::check_if;
use super::context::{Ctx, MemberOf, Source};
use super::keys::check_keys;
use super::names::{
    c_name_is, c_name_starts_with, check_member_name, check_name_is_str, check_name_lower,
    check_plain_name,
};
use crate::ast::{Dict, Value, ValueKind};
use crate::dialect::{FeatureNameRule, FeatureSites, TypeChecks};
use crate::Result;

/// Turns a non-object value into the object `{key: value}`, which takes the
/// value's span.
pub(super) fn wrap_in_dict(value: &mut Value, key: &str) {
    if !value.is_dict() {
        let span = value.span;
        let inner = std::mem::replace(value, Value::new(ValueKind::Dict(Dict::default()), span));
        value.kind = ValueKind::Dict(Dict {
            entries: vec![(key.to_owned(), inner)],
        });
    }
}

/// Expands member shorthand `'name': 'Type'` to `'name': {'type': 'Type'}`
/// when `members` is an object; anything else is left for the checks.
pub(super) fn normalize_members(members: Option<&mut Value>) {
    if let Some(ValueKind::Dict(dict)) = members.map(|m| &mut m.kind) {
        for (_, member) in &mut dict.entries {
            wrap_in_dict(member, "type");
        }
    }
}

/// A type reference by name, if present.
pub(super) fn check_type_name(value: Option<&Value>, ctx: &Ctx, source: Source) -> Result<()> {
    match value {
        Some(v) if !v.is_str() => Err(ctx.err(format!("{source} should be a type name"))),
        _ => Ok(()),
    }
}

/// A type reference by name or a one-element array of a name, if present.
pub(super) fn check_type_name_or_array(
    value: Option<&Value>,
    ctx: &Ctx,
    source: Source,
) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    match &value.kind {
        ValueKind::Str(_) => Ok(()),
        ValueKind::List(list) => match list.as_slice() {
            [elem] if elem.is_str() => Ok(()),
            _ => Err(ctx.err(format!(
                "{source}: array type must contain single type name"
            ))),
        },
        _ => Err(ctx.err(format!("{source} should be a type name or array"))),
    }
}

/// An implicit struct type (an object of members), if present.
/// `parent_name` is the definition whose members may break the naming rules
/// by pragma; commands and events cannot be exempted.
pub(super) fn check_type_implicit(
    value: Option<&mut Value>,
    ctx: &Ctx,
    source: Source,
    parent_name: Option<&str>,
) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    let ValueKind::Dict(members) = &mut value.kind else {
        return Err(ctx.err(format!("{source} should be an object or type name")));
    };
    check_members(members, ctx, source, parent_name)
}

/// What a type reference may be besides a type name, in the checks of
/// releases before 8.1.
#[derive(Clone, Copy)]
pub(super) struct Allow<'a> {
    pub array: bool,
    /// An implicit struct type, and the definition whose members a pragma
    /// may exempt from the naming rules.
    pub dict: Option<Option<&'a str>>,
}

impl Allow<'_> {
    pub const NAME: Allow<'static> = Allow {
        array: false,
        dict: None,
    };
    pub const ARRAY: Allow<'static> = Allow {
        array: true,
        dict: None,
    };
}

/// A type reference as releases before 8.1 check it: one function whose
/// messages say what was not allowed.
pub(super) fn check_type(
    value: Option<&mut Value>,
    ctx: &Ctx,
    source: Source,
    allow: Allow,
) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    match &mut value.kind {
        ValueKind::Str(_) => Ok(()),
        ValueKind::List(list) => {
            if !allow.array {
                return Err(ctx.err(format!("{source} cannot be an array")));
            }
            match list.as_slice() {
                [elem] if elem.is_str() => Ok(()),
                _ => Err(ctx.err(format!(
                    "{source}: array type must contain single type name"
                ))),
            }
        }
        kind => {
            let Some(parent_name) = allow.dict else {
                return Err(ctx.err(format!("{source} should be a type name")));
            };
            let ValueKind::Dict(members) = kind else {
                return Err(ctx.err(format!("{source} should be an object or type name")));
            };
            check_members(members, ctx, source, parent_name)
        }
    }
}

/// The members of an implicit struct type.
fn check_members(
    members: &mut Dict,
    ctx: &Ctx,
    source: Source,
    parent_name: Option<&str>,
) -> Result<()> {
    let d = ctx.dialect;
    let permissive =
        parent_name.is_some_and(|p| ctx.pragma.member_name_exceptions.iter().any(|e| e == p));
    let optional: &[&str] = if d.features_on.has(FeatureSites::ALL_DEFS_AND_MEMBERS) {
        &["if", "features"]
    } else {
        &["if"]
    };
    for (key, member) in &mut members.entries {
        let key = key.as_str();
        let key_source = MemberOf(source, key);
        let name = key.strip_prefix('*').unwrap_or(key);
        check_member_name(name, ctx, &key_source, permissive)?;
        // `u` holds a union's branches and `has_X` says whether optional
        // member `X` is present, in the generated C.
        let checked = if d.reserved_check_keeps_star {
            key
        } else {
            name
        };
        if c_name_is(checked, "u") || c_name_starts_with(checked, "has_") {
            return Err(ctx.err(format!("{key_source} uses reserved name")));
        }
        wrap_in_dict(member, "type");
        let Some(member) = member.as_dict_mut() else {
            continue; // made an object just above
        };
        check_keys(member, ctx, &key_source, &["type"], optional)?;
        check_if(member, ctx, &key_source)?;
        check_features(member.get_mut("features"), ctx)?;
        match d.type_checks {
            TypeChecks::Split => check_type_name_or_array(member.get("type"), ctx, &key_source)?,
            TypeChecks::CheckType => {
                check_type(member.get_mut("type"), ctx, &key_source, Allow::ARRAY)?
            }
        }
    }
    Ok(())
}

/// A type reference by name, or an implicit struct type, if present.
pub(super) fn check_type_name_or_implicit(
    value: Option<&mut Value>,
    ctx: &Ctx,
    source: Source,
    parent_name: Option<&str>,
) -> Result<()> {
    match value {
        Some(v) if v.is_str() => Ok(()),
        v => check_type_implicit(v, ctx, source, parent_name),
    }
}

/// A `features` list, if present. Expands shorthand `'name'` to
/// `{'name': 'name'}`.
pub(super) fn check_features(features: Option<&mut Value>, ctx: &Ctx) -> Result<()> {
    let Some(features) = features else {
        return Ok(());
    };
    let ValueKind::List(list) = &mut features.kind else {
        return Err(ctx.err("'features' must be an array"));
    };
    for feature in list.iter_mut() {
        wrap_in_dict(feature, "name");
    }
    for feature in list.iter() {
        let Some(feature) = feature.as_dict() else {
            continue; // every element was made an object above
        };
        let source = "'features' member";
        check_keys(feature, ctx, &source, &["name"], &["if"])?;
        let name = check_name_is_str(feature.get("name"), ctx, &source)?;
        let source = MemberOf(&"'features'", name);
        match ctx.dialect.feature_name_rule {
            FeatureNameRule::Lower => check_name_lower(name, ctx, &source, false, false)?,
            FeatureNameRule::Valid => check_plain_name(name, ctx, &source)?,
        }
        check_if(feature, ctx, &source)?;
    }
    Ok(())
}

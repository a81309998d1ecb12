//! Legacy `check_type`: type references, resolved against the names
//! defined so far, and inline member objects.

use crate::ast::{Value, ValueKind};
use crate::error::{QapiError, Result};
use crate::source::Info;

use super::keys::check_known_keys;
use super::names::{c_name, check_name_str};
use super::Checker;

/// What a type reference may be.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Allow {
    pub array: bool,
    pub dict: bool,
    pub optional: bool,
    /// The metas of the named types it may refer to.
    pub metas: &'static [&'static str],
}

/// The metas a member's type may have.
pub(super) const MEMBER_METAS: &[&str] = &["built-in", "union", "alternate", "struct", "enum"];

impl Checker<'_> {
    /// QEMU's legacy `check_type`. `value` is `None` when absent or null.
    pub(super) fn check_type(
        &self,
        info: &Info,
        source: &str,
        value: Option<&Value>,
        allow: Allow,
    ) -> Result<()> {
        let Some(mut value) = value.filter(|v| !v.is_null()) else {
            return Ok(());
        };
        if let ValueKind::List(items) = &value.kind {
            if !allow.array {
                return Err(QapiError::sem(info, format!("{source} cannot be an array")));
            }
            match items.as_slice() {
                [only] if only.is_str() => value = only,
                _ => {
                    return Err(QapiError::sem(
                        info,
                        format!("{source}: array type must contain single type name"),
                    ))
                }
            }
        }
        if let ValueKind::Str(name) = &value.kind {
            let Some(meta) = self.all_names.get(name.as_str()) else {
                return Err(QapiError::sem(
                    info,
                    format!("{source} uses unknown type '{name}'"),
                ));
            };
            if !allow.metas.contains(meta) {
                return Err(QapiError::sem(
                    info,
                    format!("{source} cannot use {meta} type '{name}'"),
                ));
            }
            return Ok(());
        }
        if !allow.dict {
            return Err(QapiError::sem(
                info,
                format!("{source} should be a type name"),
            ));
        }
        let ValueKind::Dict(members) = &value.kind else {
            return Err(QapiError::sem(
                info,
                format!("{source} should be a dictionary or type name"),
            ));
        };
        for (key, arg) in members.iter() {
            let member_source = format!("Member of {source}");
            check_name_str(info, &member_source, key, allow.optional, false)?;
            let c = c_name(key);
            if c == "u" || c.starts_with("has_") {
                return Err(QapiError::sem(
                    info,
                    format!("{member_source} uses reserved name '{key}'"),
                ));
            }
            let typ = if self.era.member_dicts {
                let Some(arg) = arg.as_dict() else {
                    // Normalization made every member an object.
                    continue;
                };
                check_known_keys(
                    info,
                    &format!("member '{key}' of {source}"),
                    arg,
                    &["type"],
                    &["if"],
                )?;
                arg.get("type")
            } else {
                Some(arg)
            };
            self.check_type(
                info,
                &format!("Member '{key}' of {source}"),
                typ,
                Allow {
                    array: true,
                    metas: MEMBER_METAS,
                    ..Allow::default()
                },
            )?;
        }
        Ok(())
    }
}

//! Legacy per-definition checks (QEMU's third pass), run once every name
//! is known.

use crate::ast::{Dict, Expression, Value, ValueKind};
use crate::error::{QapiError, Result};
use crate::source::Info;

use super::keys::{check_if, check_known_keys};
use super::names::{check_name, check_name_str};
use super::pyrepr::base_repr;
use super::types::{Allow, MEMBER_METAS};
use super::{get, Checker};

/// The JSON types a value of an alternate branch can arrive as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QType {
    Null,
    Str,
    Num,
    Bool,
    Dict,
}

fn builtin_qtype(name: &str) -> Option<Option<QType>> {
    Some(match name {
        "null" => Some(QType::Null),
        "str" | "QType" => Some(QType::Str),
        "int" | "number" | "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32"
        | "uint64" | "size" => Some(QType::Num),
        "bool" => Some(QType::Bool),
        "any" => None,
        _ => return None,
    })
}

impl Checker<'_> {
    pub(super) fn check_definition(
        &self,
        exprs: &[Expression],
        idx: usize,
        meta: &str,
        expr: &Dict,
        info: &Info,
    ) -> Result<()> {
        let name = expr.get(meta).and_then(Value::as_str).unwrap_or_default();
        match meta {
            "enum" => self.check_enum(expr, name, info),
            "union" => self.check_union(exprs, idx, expr, name, info),
            "alternate" => self.check_alternate(exprs, expr, name, info),
            "struct" => self.check_struct(expr, name, info),
            "command" => self.check_command(expr, name, info),
            _ => self.check_event(expr, name, info),
        }
    }

    /// The values of an enum definition, as far as they are names.
    pub(super) fn enum_values<'e>(&self, enum_expr: &'e Dict) -> Vec<&'e str> {
        let Some(items) = enum_expr.get("data").and_then(Value::as_list) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match &item.kind {
                ValueKind::Str(s) => Some(s.as_str()),
                ValueKind::Dict(d) => d.get("name").and_then(Value::as_str),
                _ => None,
            })
            .collect()
    }

    /// The definition of a user-defined enum type.
    fn user_enum<'e>(&self, exprs: &'e [Expression], name: &str) -> Option<&'e Dict> {
        let idx = (*self.enums.get(name)?)?;
        exprs.get(idx).map(|e| &e.expr)
    }

    fn check_enum(&self, expr: &Dict, name: &str, info: &Info) -> Result<()> {
        let Some(values) = get(expr, "data").and_then(Value::as_list) else {
            return Err(QapiError::sem(
                info,
                format!("Enum '{name}' requires an array for 'data'"),
            ));
        };
        if get(expr, "prefix").is_some_and(|p| !p.is_str()) {
            return Err(QapiError::sem(
                info,
                format!("Enum '{name}' requires a string for 'prefix'"),
            ));
        }
        let source = format!("Member of enum '{name}'");
        for value in values {
            if self.era.member_dicts {
                let Some(value) = value.as_dict() else {
                    continue; // normalization made every value an object
                };
                check_known_keys(
                    info,
                    &format!("dictionary member of enum '{name}'"),
                    value,
                    &["name"],
                    &["if"],
                )?;
                check_if(info, value)?;
                check_name(info, &source, value.get("name"), false, true)?;
            } else {
                check_name(info, &source, Some(value), false, true)?;
            }
        }
        Ok(())
    }

    fn check_struct(&self, expr: &Dict, name: &str, info: &Info) -> Result<()> {
        self.check_type(
            info,
            &format!("'data' for struct '{name}'"),
            get(expr, "data"),
            Allow {
                dict: true,
                optional: true,
                ..Allow::default()
            },
        )?;
        self.check_type(
            info,
            &format!("'base' for struct '{name}'"),
            get(expr, "base"),
            Allow {
                metas: &["struct"],
                ..Allow::default()
            },
        )?;
        let Some(features) = get(expr, "features").filter(|f| f.is_truthy()) else {
            return Ok(());
        };
        let Some(features) = features.as_list() else {
            return Err(QapiError::sem(
                info,
                format!("Struct '{name}' requires an array for 'features'"),
            ));
        };
        for feature in features {
            let Some(feature) = feature.as_dict() else {
                continue; // normalization made every feature an object
            };
            check_known_keys(
                info,
                &format!("feature of struct {name}"),
                feature,
                &["name"],
                &["if"],
            )?;
            check_if(info, feature)?;
            check_name(
                info,
                &format!("Feature of struct {name}"),
                feature.get("name"),
                false,
                false,
            )?;
        }
        Ok(())
    }

    fn check_union(
        &self,
        exprs: &[Expression],
        idx: usize,
        expr: &Dict,
        name: &str,
        info: &Info,
    ) -> Result<()> {
        let base = get(expr, "base");
        let mut enum_define = None;
        let metas: &'static [&'static str] = match get(expr, "discriminator") {
            None => {
                if base.is_some() {
                    return Err(QapiError::sem(
                        info,
                        format!("Simple union '{name}' must not have a base"),
                    ));
                }
                MEMBER_METAS
            }
            Some(discriminator) => {
                enum_define =
                    Some(self.check_discriminator(exprs, idx, base, discriminator, name, info)?);
                &["struct"]
            }
        };
        let Some(branches) = expr.get("data").and_then(Value::as_dict) else {
            // QEMU crashes on a `data` that is not an object, unless it is
            // empty.
            if expr.get("data").is_some_and(|d| python_len(d) == Some(0)) {
                return Err(QapiError::sem(
                    info,
                    format!("Union '{name}' cannot have empty 'data'"),
                ));
            }
            return Err(QapiError::sem(
                info,
                format!("'data' for union '{name}' should be a dictionary or type name"),
            ));
        };
        if branches.is_empty() {
            return Err(QapiError::sem(
                info,
                format!("Union '{name}' cannot have empty 'data'"),
            ));
        }
        for (key, value) in branches.iter() {
            check_name_str(
                info,
                &format!("Member of union '{name}'"),
                key,
                false,
                false,
            )?;
            let typ =
                self.branch_type(info, &format!("member '{key}' of union '{name}'"), value)?;
            self.check_type(
                info,
                &format!("Member '{key}' of union '{name}'"),
                typ,
                Allow {
                    array: !base.is_some_and(Value::is_truthy),
                    metas,
                    ..Allow::default()
                },
            )?;
            if let Some((enum_name, enum_expr)) = &enum_define {
                if !self.enum_values(enum_expr).contains(&key) {
                    return Err(QapiError::sem(
                        info,
                        format!("Discriminator value '{key}' is not found in enum '{enum_name}'"),
                    ));
                }
            }
        }
        if let Some((_, enum_expr)) = enum_define.filter(|_| self.era.cover_enum) {
            for value in self.enum_values(enum_expr) {
                if !branches.contains_key(value) {
                    return Err(QapiError::sem(
                        info,
                        format!("Union '{name}' data missing '{value}' branch"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The checks of a flat union's base and discriminator; returns the
    /// discriminator's enum.
    fn check_discriminator<'e>(
        &self,
        exprs: &'e [Expression],
        idx: usize,
        base: Option<&Value>,
        discriminator: &Value,
        name: &str,
        info: &Info,
    ) -> Result<(String, &'e Dict)> {
        self.check_type(
            info,
            &format!("'base' for union '{name}'"),
            base,
            Allow {
                dict: true,
                optional: true,
                metas: &["struct"],
                ..Allow::default()
            },
        )?;
        let Some(base) = base.filter(|b| b.is_truthy()) else {
            return Err(QapiError::sem(
                info,
                format!("Flat union '{name}' must have a base"),
            ));
        };
        let base_members = self.base_members(base, exprs);
        let disc = check_name(
            info,
            &format!("Discriminator of flat union '{name}'"),
            Some(discriminator),
            false,
            false,
        )?;
        let shown_base = || match self.orig_bases.get(&idx) {
            Some(orig) => base_repr(orig, self.era.member_dicts),
            None => base_repr(base, false),
        };
        let value = base_members
            .and_then(|m| m.get(disc))
            .filter(|v| v.is_truthy());
        let Some(value) = value else {
            return Err(QapiError::sem(
                info,
                format!(
                    "Discriminator '{disc}' is not a member of base struct '{}'",
                    shown_base()
                ),
            ));
        };
        let typ = if self.era.member_dicts {
            let member = value.as_dict();
            if member
                .and_then(|m| get(m, "if"))
                .is_some_and(Value::is_truthy)
            {
                return Err(QapiError::sem(
                    info,
                    format!(
                        "The discriminator {}.{disc} for union {name} must not be conditional",
                        shown_base()
                    ),
                ));
            }
            member.and_then(|m| m.get("type"))
        } else {
            Some(value)
        };
        let enum_name = typ.and_then(Value::as_str);
        let enum_expr = enum_name.and_then(|n| self.user_enum(exprs, n));
        match (enum_name, enum_expr) {
            (Some(n), Some(e)) => Ok((n.to_owned(), e)),
            _ => Err(QapiError::sem(
                info,
                format!("Discriminator '{disc}' must be of enumeration type"),
            )),
        }
    }

    /// A branch's type: the value itself before 4.0, its `type` after.
    fn branch_type<'v>(
        &self,
        info: &Info,
        source: &str,
        value: &'v Value,
    ) -> Result<Option<&'v Value>> {
        if !self.era.member_dicts {
            return Ok(Some(value));
        }
        let Some(value) = value.as_dict() else {
            return Ok(None); // normalization made every branch an object
        };
        check_known_keys(info, source, value, &["type"], &["if"])?;
        Ok(value.get("type"))
    }

    fn check_alternate(
        &self,
        exprs: &[Expression],
        expr: &Dict,
        name: &str,
        info: &Info,
    ) -> Result<()> {
        let data = expr.get("data");
        let too_few = || {
            QapiError::sem(
                info,
                format!("Alternate '{name}' should have at least two branches in 'data'"),
            )
        };
        let Some(branches) = data.and_then(Value::as_dict) else {
            if data
                .and_then(python_len)
                .is_some_and(|n| n < self.era.alternate_min)
            {
                return Err(too_few());
            }
            return Err(QapiError::sem(
                info,
                format!("'data' for alternate '{name}' should be a dictionary or type name"),
            ));
        };
        if branches.len() < self.era.alternate_min {
            return Err(too_few());
        }
        let mut seen: Vec<(QType, &str)> = Vec::new();
        for (key, value) in branches.iter() {
            check_name_str(
                info,
                &format!("Member of alternate '{name}'"),
                key,
                false,
                false,
            )?;
            let typ = self.branch_type(
                info,
                &format!("member '{key}' of alternate '{name}'"),
                value,
            )?;
            self.check_type(
                info,
                &format!("Member '{key}' of alternate '{name}'"),
                typ,
                Allow {
                    metas: &["built-in", "union", "struct", "enum"],
                    ..Allow::default()
                },
            )?;
            let typ = typ.and_then(Value::as_str);
            let qtype = typ.and_then(|t| self.alternate_qtype(t));
            let (Some(qtype), Some(typ)) = (qtype, typ) else {
                return Err(QapiError::sem(
                    info,
                    format!(
                        "Alternate '{name}' member '{key}' cannot use type '{}'",
                        typ.unwrap_or("None")
                    ),
                ));
            };
            let mut conflicting = vec![qtype];
            if qtype == QType::Str {
                match self.enums.get(typ) {
                    Some(def) => {
                        let values = def
                            .and_then(|i| exprs.get(i))
                            .map(|e| self.enum_values(&e.expr))
                            .unwrap_or_default();
                        if values.iter().any(|v| *v == "on" || *v == "off") {
                            conflicting.push(QType::Bool);
                        }
                        if values.iter().any(|v| {
                            v.starts_with([
                                '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                            ])
                        }) {
                            conflicting.push(QType::Num);
                        }
                    }
                    None => {
                        conflicting.push(QType::Num);
                        conflicting.push(QType::Bool);
                    }
                }
            }
            for qt in conflicting {
                if let Some((_, prev)) = seen.iter().find(|(t, _)| *t == qt) {
                    return Err(QapiError::sem(
                        info,
                        format!(
                            "Alternate '{name}' member '{key}' can't be distinguished \
                             from member '{prev}'"
                        ),
                    ));
                }
                seen.push((qt, key));
            }
        }
        Ok(())
    }

    fn alternate_qtype(&self, typ: &str) -> Option<QType> {
        if let Some(q) = builtin_qtype(typ) {
            return q;
        }
        if self.structs.contains_key(typ) || self.unions.contains(typ) {
            Some(QType::Dict)
        } else if self.enums.contains_key(typ) {
            Some(QType::Str)
        } else {
            None
        }
    }

    fn check_command(&self, expr: &Dict, name: &str, info: &Info) -> Result<()> {
        let boxed = get(expr, "boxed").is_some_and(Value::is_truthy);
        self.check_type(
            info,
            &format!("'data' for command '{name}'"),
            get(expr, "data"),
            Allow {
                dict: !boxed,
                optional: true,
                metas: if boxed {
                    &["struct", "union", "alternate"]
                } else {
                    &["struct"]
                },
                ..Allow::default()
            },
        )?;
        let whitelisted = self.returns_whitelist.iter().any(|c| c == name);
        self.check_type(
            info,
            &format!("'returns' for command '{name}'"),
            get(expr, "returns"),
            Allow {
                array: true,
                optional: true,
                metas: if whitelisted {
                    &["union", "struct", "built-in", "alternate", "enum"]
                } else {
                    &["union", "struct"]
                },
                ..Allow::default()
            },
        )
    }

    fn check_event(&self, expr: &Dict, name: &str, info: &Info) -> Result<()> {
        let boxed = get(expr, "boxed").is_some_and(Value::is_truthy);
        self.check_type(
            info,
            &format!("'data' for event '{name}'"),
            get(expr, "data"),
            Allow {
                dict: !boxed,
                optional: true,
                metas: if boxed {
                    &["struct", "union", "alternate"]
                } else {
                    &["struct"]
                },
                ..Allow::default()
            },
        )
    }
}

/// Python's `len()` of a value, where it has one.
fn python_len(value: &Value) -> Option<usize> {
    match &value.kind {
        ValueKind::Str(s) => Some(s.chars().count()),
        ValueKind::List(l) => Some(l.len()),
        ValueKind::Dict(d) => Some(d.len()),
        _ => None,
    }
}

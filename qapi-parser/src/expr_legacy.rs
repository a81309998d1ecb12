//! The expression checker of QEMU 2.12 to 4.1.
//!
//! Those releases checked expressions in three passes over the whole
//! schema before building any model: first each definition's keys and
//! name (filling a global table of names), then the implicit enums of
//! unions and alternates, then each definition's contents, resolving type
//! references against that table. Messages are capitalised and carry no
//! "In struct 'X':" context.
//!
//! On success the expressions have the shape the model builder expects
//! (see [`crate::expr`]): members `{'type': T, 'if'?}`, enum values and
//! features `{'name': N, 'if'?}`; values given as `null` are dropped where
//! QEMU reads them as absent.

mod defs;
mod keys;
mod names;
mod pyrepr;
#[cfg(test)]
mod tests;
mod types;

use std::collections::{HashMap, HashSet};

use crate::ast::{Dict, Expression, ParsedSchema, Value, ValueKind};
use crate::dialect::{FeatureSites, IfSyntax, MemberIf};
use crate::doc::Doc;
use crate::error::{QapiError, Result};
use crate::source::Info;
use crate::Dialect;

/// The metas, in the order the legacy checker looks for them.
const METAS: [&str; 6] = ["enum", "union", "alternate", "struct", "command", "event"];

/// The built-in type names (`QType` counts as one here).
const BUILTINS: [&str; 16] = [
    "null", "str", "int", "number", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
    "uint32", "uint64", "size", "any", "QType",
];

/// The legacy rules a dialect selects.
#[derive(Debug, Clone, Copy)]
struct Era {
    /// 4.0 onwards: members, branches and enum values may be objects
    /// (with `if`); they are normalized to objects before the checks, and
    /// keys are checked all at once (`check_known_keys`).
    member_dicts: bool,
    known_keys: bool,
    ifcond: bool,
    allow_preconfig: bool,
    struct_features: bool,
    /// A flat union needs a branch for every enum value (2.12).
    cover_enum: bool,
    alternate_min: usize,
}

impl Era {
    fn new(dialect: &Dialect) -> Self {
        // 4.0 brought member objects and the key checks together.
        let member_dicts = dialect.member_if != MemberIf::None;
        Era {
            member_dicts,
            known_keys: member_dicts,
            ifcond: dialect.ifcond != IfSyntax::None,
            allow_preconfig: dialect.allow_preconfig,
            struct_features: dialect.features_on.has(FeatureSites::STRUCT),
            cover_enum: dialect.flat_union_must_cover_enum,
            alternate_min: dialect.alternate_min_branches,
        }
    }
}

/// The state QEMU kept in module globals while checking.
struct Checker<'a> {
    era: Era,
    returns_whitelist: &'a [String],
    /// Every defined name and its meta (`built-in` for built-ins).
    all_names: HashMap<String, &'static str>,
    /// Enum names: the defining expression, `None` for implicit ones.
    enums: HashMap<String, Option<usize>>,
    structs: HashMap<String, usize>,
    unions: HashSet<String>,
    /// Inline union bases as written, for messages that show them.
    orig_bases: HashMap<usize, Value>,
}

/// A key's value as QEMU's `dict.get` sees it: `null` is absent.
fn get<'d>(dict: &'d Dict, key: &str) -> Option<&'d Value> {
    dict.get(key).filter(|v| !v.is_null())
}

fn meta_of(expr: &Dict) -> Option<&'static str> {
    METAS.iter().copied().find(|m| expr.contains_key(m))
}

/// Checks every expression under the rules of releases up to 4.1 and
/// normalizes them.
pub fn check_exprs(parsed: &mut ParsedSchema, dialect: &Dialect) -> Result<()> {
    let ParsedSchema {
        exprs,
        docs,
        pragma,
    } = parsed;
    let mut checker = Checker {
        era: Era::new(dialect),
        returns_whitelist: &pragma.command_returns_exceptions,
        all_names: BUILTINS
            .iter()
            .map(|b| ((*b).to_owned(), "built-in"))
            .collect(),
        enums: HashMap::new(),
        structs: HashMap::new(),
        unions: HashSet::new(),
        orig_bases: HashMap::new(),
    };

    for idx in 0..exprs.len() {
        let Some(expr) = exprs.get_mut(idx) else {
            break;
        };
        if expr.expr.contains_key("include") {
            continue;
        }
        let doc = expr.doc.and_then(|i| docs.get(i));
        if doc.is_none() && pragma.doc_required {
            return Err(QapiError::sem(
                &expr.info,
                "Expression missing documentation comment",
            ));
        }
        checker.learn(idx, expr, doc)?;
    }

    checker.add_implicit_enums(exprs)?;

    for (idx, expr) in exprs.iter().enumerate() {
        let Some(meta) = meta_of(&expr.expr) else {
            continue; // includes
        };
        checker.check_definition(exprs, idx, meta, &expr.expr, &expr.info)?;
        if let Some(doc) = expr.doc.and_then(|i| docs.get(i)) {
            check_doc(doc, &expr.expr)?;
        }
    }

    for expr in exprs.iter_mut() {
        normalize(&mut expr.expr);
    }
    Ok(())
}

/// A documented `Returns:` belongs to commands.
fn check_doc(doc: &Doc, expr: &Dict) -> Result<()> {
    if doc.returns().is_some() && !expr.contains_key("command") {
        return Err(QapiError::sem(
            &doc.info,
            "'Returns:' is only valid for commands",
        ));
    }
    Ok(())
}

impl Checker<'_> {
    /// The first pass over one definition: its keys, its shorthand, its name.
    fn learn(&mut self, idx: usize, expr: &mut Expression, doc: Option<&Doc>) -> Result<()> {
        let info = &expr.info;
        let dict = &mut expr.expr;
        let Some(meta) = meta_of(dict) else {
            return Err(QapiError::sem(info, "Expression is missing metatype"));
        };
        keys::check_keys(info, dict, meta, &self.era)?;
        let name = dict
            .get(meta)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let dicts = self.era.member_dicts;
        match meta {
            "enum" => {
                if dicts {
                    wrap_list_items(dict.get_mut("data"), "name");
                }
                self.enums.insert(name.clone(), Some(idx));
            }
            "union" => {
                if let Some(base) = dict.get("base").filter(|b| b.is_dict()) {
                    self.orig_bases.insert(idx, base.clone());
                }
                if dicts {
                    wrap_members(dict.get_mut("base"));
                    wrap_members(dict.get_mut("data"));
                }
                self.unions.insert(name.clone());
            }
            "struct" => {
                if dicts {
                    wrap_members(dict.get_mut("data"));
                    if self.era.struct_features {
                        wrap_list_items(dict.get_mut("features"), "name");
                    }
                }
                self.structs.insert(name.clone(), idx);
            }
            _ => {
                if dicts {
                    wrap_members(dict.get_mut("data"));
                }
            }
        }
        self.add_name(&name, info, meta, false)?;
        if let Some(doc) = doc {
            let symbol = doc.symbol.as_deref().unwrap_or("None");
            if symbol != name {
                return Err(QapiError::sem(
                    info,
                    format!("Definition of '{name}' follows documentation for '{symbol}'"),
                ));
            }
        }
        Ok(())
    }

    /// QEMU's `add_name`.
    fn add_name(
        &mut self,
        name: &str,
        info: &Info,
        meta: &'static str,
        implicit: bool,
    ) -> Result<()> {
        names::check_name_str(info, &format!("'{meta}'"), name, false, false)?;
        if let Some(old) = self.all_names.get(name) {
            return Err(QapiError::sem(
                info,
                format!("{old} '{name}' is already defined"),
            ));
        }
        if !implicit {
            for suffix in ["Kind", "List"] {
                if name.ends_with(suffix) {
                    return Err(QapiError::sem(
                        info,
                        format!("{meta} '{name}' should not end in '{suffix}'"),
                    ));
                }
            }
        }
        self.all_names.insert(name.to_owned(), meta);
        Ok(())
    }

    /// The second pass: the implicit `XKind` enum of every simple union
    /// (and of flat unions whose discriminator is no enum) and alternate.
    fn add_implicit_enums(&mut self, exprs: &[Expression]) -> Result<()> {
        // QEMU reports a clash here at the last expression's location;
        // no clash is possible, since user names cannot end in `Kind`.
        let Some(last_info) = exprs.last().map(|e| e.info.clone()) else {
            return Ok(());
        };
        for (idx, expr) in exprs.iter().enumerate() {
            let dict = &expr.expr;
            let owner = if let Some(name) = dict.get("union").and_then(Value::as_str) {
                if self.discriminator_enum(exprs, idx, dict) {
                    continue;
                }
                name
            } else if let Some(name) = dict.get("alternate").and_then(Value::as_str) {
                name
            } else {
                continue;
            };
            let kind = format!("{owner}Kind");
            self.enums.insert(kind.clone(), None);
            self.add_name(&kind, &last_info, "enum", true)?;
        }
        Ok(())
    }

    /// QEMU's `discriminator_find_enum_define`: does the union's
    /// discriminator member (in the base's own members) have a user enum
    /// type?
    /// A union base's members: written inline, or those of the struct it
    /// names.
    fn base_members<'e>(&self, base: &'e Value, exprs: &'e [Expression]) -> Option<&'e Dict> {
        match &base.kind {
            ValueKind::Dict(d) => Some(d),
            ValueKind::Str(s) => self
                .structs
                .get(s.as_str())
                .and_then(|i| exprs.get(*i))
                .and_then(|e| e.expr.get("data"))
                .and_then(Value::as_dict),
            _ => None,
        }
    }

    fn discriminator_enum(&self, exprs: &[Expression], _idx: usize, union: &Dict) -> bool {
        let (Some(base), Some(disc)) = (get(union, "base"), get(union, "discriminator")) else {
            return false;
        };
        if !base.is_truthy() || !disc.is_truthy() {
            return false;
        }
        let members = self.base_members(base, exprs);
        let value = disc
            .as_str()
            .and_then(|d| members?.get(d))
            .filter(|v| v.is_truthy());
        let typ = match value {
            Some(v) if self.era.member_dicts => v.as_dict().and_then(|m| m.get("type")),
            v => v,
        };
        typ.and_then(Value::as_str)
            .is_some_and(|t| self.enums.contains_key(t))
    }
}

/// Wraps every non-object item of a list into `{key: item}`.
fn wrap_list_items(list: Option<&mut Value>, key: &str) {
    if let Some(ValueKind::List(items)) = list.map(|l| &mut l.kind) {
        for item in items {
            wrap(item, key);
        }
    }
}

/// Wraps every non-object member of an object into `{'type': member}`.
fn wrap_members(members: Option<&mut Value>) {
    if let Some(ValueKind::Dict(d)) = members.map(|m| &mut m.kind) {
        for (_, member) in &mut d.entries {
            wrap(member, "type");
        }
    }
}

fn wrap(value: &mut Value, key: &str) {
    if !value.is_dict() {
        let span = value.span;
        let inner = std::mem::replace(value, Value::new(ValueKind::Null, span));
        let mut d = Dict::default();
        d.insert(key, inner);
        *value = Value::new(ValueKind::Dict(d), span);
    }
}

/// Brings a checked definition into the shape the model builder reads.
fn normalize(expr: &mut Dict) {
    let Some(meta) = meta_of(expr) else {
        return;
    };
    // QEMU reads a `null` definition key as absent.
    expr.entries.retain(|(_, v)| !v.is_null());
    match meta {
        "enum" => wrap_list_items(expr.get_mut("data"), "name"),
        "struct" => {
            wrap_members(expr.get_mut("data"));
            wrap_list_items(expr.get_mut("features"), "name");
        }
        "union" => {
            wrap_members(expr.get_mut("base"));
            wrap_members(expr.get_mut("data"));
        }
        _ => wrap_members(expr.get_mut("data")),
    }
    drop_null_conditions(expr);
}

/// `'if': null` on members, branches, values and features means none.
fn drop_null_conditions(expr: &mut Dict) {
    let strip = |d: &mut Dict| d.entries.retain(|(k, v)| k != "if" || !v.is_null());
    for key in ["data", "base", "features"] {
        match expr.get_mut(key).map(|v| &mut v.kind) {
            Some(ValueKind::Dict(members)) => {
                for (_, m) in &mut members.entries {
                    if let Some(m) = m.as_dict_mut() {
                        strip(m);
                    }
                }
            }
            Some(ValueKind::List(items)) => {
                for item in items {
                    if let Some(m) = item.as_dict_mut() {
                        strip(m);
                    }
                }
            }
            _ => {}
        }
    }
}

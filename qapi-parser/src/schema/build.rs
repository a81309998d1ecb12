//! Defining the entities: one per checked expression, plus the built-in
//! types and the implicit types definitions need (array types, argument
//! and base types), in the order QEMU makes them. Names are resolved
//! later, by the check.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::ast::{Dict, Expression, Value, ValueKind};
use crate::doc::Doc;
use crate::source::{Info, Pragma};
use crate::{Dialect, QapiError, Result};

use super::entity::{
    AlternateType, ArrayType, BuiltinType, Command, DefKind, Definition, Entity, EnumType, Event,
    Include, JsonType, ObjectType,
};
use super::fasthash::FastMap as HashMap;
use super::ifcond::IfCond;
use super::members::{Alternatives, Branches, EnumMember, Feature, Member, Variant};
use super::module::{relpath, Module};
use super::names::POINTER_SUFFIX;
use super::{DocId, EntityId, ModuleId, Schema};
use crate::paths::dirname;

/// The built-in types: name, JSON type, C type (`*` marks a pointer).
const BUILTINS: [(&str, JsonType, &str, bool); 15] = [
    ("str", JsonType::String, "char", true),
    ("number", JsonType::Number, "double", false),
    ("int", JsonType::Int, "int64_t", false),
    ("int8", JsonType::Int, "int8_t", false),
    ("int16", JsonType::Int, "int16_t", false),
    ("int32", JsonType::Int, "int32_t", false),
    ("int64", JsonType::Int, "int64_t", false),
    ("uint8", JsonType::Int, "uint8_t", false),
    ("uint16", JsonType::Int, "uint16_t", false),
    ("uint32", JsonType::Int, "uint32_t", false),
    ("uint64", JsonType::Int, "uint64_t", false),
    ("size", JsonType::Int, "uint64_t", false),
    ("bool", JsonType::Boolean, "bool", false),
    ("any", JsonType::Value, "QObject", true),
    ("null", JsonType::Null, "QNull", true),
];

/// The values of the built-in enum `QType`.
const QTYPES: [&str; 7] = [
    "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool",
];

pub(super) struct Builder {
    pub(super) schema: Schema,
    /// Feature name to index in `schema.features`.
    feature_index: HashMap<String, usize>,
    /// Module name to id.
    module_index: HashMap<String, ModuleId>,
    /// File name (as in source locations) to its module.
    module_by_fname: HashMap<String, ModuleId>,
    /// The main file's folder, which module names are relative to.
    schema_dir: String,
    cwd: PathBuf,
}

/// The expression checker guarantees every shape read here; a failure
/// means the two disagree, reported rather than panicking.
fn malformed(info: &Info, what: &str) -> QapiError {
    QapiError::sem(info, format!("internal error: malformed {what}"))
}

// The builder owns the checked expressions, so it moves their strings
// into the model rather than copying them.

fn take_str(value: &mut Value) -> Option<String> {
    match &mut value.kind {
        ValueKind::Str(s) => Some(std::mem::take(s)),
        _ => None,
    }
}

fn take_str_of(expr: &mut Dict, key: &str, info: &Info) -> Result<String> {
    expr.get_mut(key)
        .and_then(take_str)
        .ok_or_else(|| malformed(info, key))
}

fn list_mut<'a>(value: &'a mut Value, info: &Info, what: &str) -> Result<&'a mut [Value]> {
    match &mut value.kind {
        ValueKind::List(l) => Ok(l),
        _ => Err(malformed(info, what)),
    }
}

fn dict_mut<'a>(value: &'a mut Value, info: &Info, what: &str) -> Result<&'a mut Dict> {
    value.as_dict_mut().ok_or_else(|| malformed(info, what))
}

fn flag(expr: &Dict, key: &str, default: bool) -> bool {
    expr.get(key).and_then(Value::as_bool).unwrap_or(default)
}

impl Builder {
    fn ifcond_of(&self, dict: &Dict) -> Option<IfCond> {
        let syntax = self.schema.dialect.ifcond;
        dict.get("if").and_then(|v| IfCond::from_value(v, syntax))
    }
}

impl Builder {
    /// A builder with no documentation and default pragmas yet: defining
    /// the entities needs neither, so it may start while the expression
    /// checks, which read both, still run ([`Builder::attach`]).
    pub(super) fn new(fname: &str, dialect: &Dialect) -> Self {
        let schema = Schema {
            entities: Vec::new(),
            by_name: HashMap::default(),
            modules: Vec::new(),
            docs: Vec::new(),
            features: Vec::new(),
            pragma: Pragma::default(),
            the_empty_object: EntityId::PENDING,
            dialect: dialect.clone(),
        };
        let mut b = Builder {
            schema,
            feature_index: HashMap::default(),
            module_index: HashMap::default(),
            module_by_fname: HashMap::default(),
            schema_dir: dirname(fname).to_owned(),
            // Without a working folder, relative names still relate
            // correctly to each other against an arbitrary root.
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        };
        for name in dialect.special_features {
            b.register_feature(name, None);
        }
        b.make_module(Module::BUILTIN);
        b.make_module(fname);
        b
    }

    /// Hands the model the documentation and pragmas, which the check
    /// reads.
    pub(super) fn attach(&mut self, docs: Vec<Doc>, pragma: Pragma) {
        self.schema.docs = docs;
        self.schema.pragma = pragma;
    }

    pub(super) fn finish(self) -> Schema {
        self.schema
    }

    // ---- modules ----

    fn module_name(&self, fname: &str) -> String {
        if Module::is_system(fname) {
            return fname.to_owned();
        }
        relpath(fname, &self.schema_dir, &self.cwd)
    }

    fn make_module(&mut self, fname: &str) -> ModuleId {
        // Big schemas include the same files over and over.
        if let Some(&id) = self.module_by_fname.get(fname) {
            return id;
        }
        let name = self.module_name(fname);
        if let Some(&id) = self.module_index.get(&name) {
            self.module_by_fname.insert(fname.to_owned(), id);
            return id;
        }
        let id = ModuleId::from_index(self.schema.modules.len());
        self.schema.modules.push(Module {
            name: name.clone(),
            entities: Vec::new(),
        });
        self.module_index.insert(name, id);
        self.module_by_fname.insert(fname.to_owned(), id);
        id
    }

    /// Places every entity in its module: the module of the file defining
    /// it, for array types the element type's, for built-ins `./builtin`.
    pub(super) fn set_modules(&mut self) {
        for i in 0..self.schema.entities.len() {
            let fname: Option<std::sync::Arc<str>> = match &self.schema.entities[i] {
                Entity::Include(inc) => Some(inc.info.file.clone()),
                Entity::Definition(d) => match &d.kind {
                    DefKind::Array(a) => self
                        .schema
                        .entities
                        .get(a.element_type.index())
                        .and_then(Entity::info)
                        .map(|info| info.file.clone()),
                    _ => d.info.as_ref().map(|info| info.file.clone()),
                },
            };
            // Every file's module exists by now (made by its `include`).
            let module = match fname {
                Some(f) => self.make_module(&f),
                None => self.make_module(Module::BUILTIN),
            };
            match &mut self.schema.entities[i] {
                Entity::Include(inc) => inc.module = module,
                Entity::Definition(d) => d.module = module,
            }
            let id = EntityId::from_index(i);
            self.schema.modules[module.index()].entities.push(id);
        }
    }

    // ---- entities ----

    fn def_entity(&mut self, ent: Entity) -> EntityId {
        let id = EntityId::from_index(self.schema.entities.len());
        self.schema.entities.push(ent);
        id
    }

    fn def_definition(&mut self, mut def: Definition) -> Result<EntityId> {
        if let Some(&other) = self.schema.by_name.get(&def.name) {
            let other = self.schema.def(other);
            let msg = match &other.info {
                Some(other_info) => format!(
                    "'{}' is already defined\n{}",
                    def.name,
                    QapiError::sem(other_info, "previous definition")
                ),
                None => format!("{} is already defined", other.describe()),
            };
            return Err(match &def.info {
                Some(info) => QapiError::sem(info, msg),
                None => QapiError::bare(msg),
            });
        }
        let id = EntityId::from_index(self.schema.entities.len());
        match &mut def.kind {
            DefKind::Object(o) => {
                for m in &mut o.local_members {
                    m.defined_in = id;
                }
                if let Some(b) = &mut o.branches {
                    for v in &mut b.variants {
                        v.defined_in = id;
                    }
                }
            }
            DefKind::Alternate(a) => {
                a.alternatives.tag_member.defined_in = id;
                for v in &mut a.alternatives.variants {
                    v.defined_in = id;
                }
            }
            _ => {}
        }
        self.schema.by_name.insert(def.name.clone(), id);
        Ok(self.def_entity(Entity::Definition(def)))
    }

    fn new_definition(
        name: impl Into<String>,
        info: Option<&Info>,
        doc: Option<usize>,
        ifcond: Option<IfCond>,
        features: Vec<Feature>,
        kind: DefKind,
    ) -> Definition {
        Definition {
            name: name.into(),
            info: info.cloned(),
            doc: doc.map(DocId::from_index),
            ifcond,
            features,
            module: ModuleId(0),
            kind,
        }
    }

    pub(super) fn def_predefineds(&mut self) -> Result<()> {
        for (name, json_type, c_type, pointer) in BUILTINS {
            let c_type = if pointer {
                Cow::Owned(format!("{c_type}{POINTER_SUFFIX}"))
            } else {
                Cow::Borrowed(c_type)
            };
            let kind = DefKind::Builtin(BuiltinType { json_type, c_type });
            self.def_definition(Self::new_definition(name, None, None, None, vec![], kind))?;
            // Every built-in gets its array type, used or not: QEMU shares
            // their generated code between schemas.
            self.make_array_type(name, None)?;
        }
        let empty = DefKind::Object(ObjectType {
            base_name: None,
            base: None,
            local_members: vec![],
            branches: None,
        });
        self.schema.the_empty_object = self.def_definition(Self::new_definition(
            "q_empty",
            None,
            None,
            None,
            vec![],
            empty,
        ))?;
        let members = QTYPES
            .iter()
            .map(|n| EnumMember {
                name: (*n).to_owned(),
                info: None,
                ifcond: None,
                features: vec![],
            })
            .collect();
        let qtype = DefKind::Enum(EnumType {
            members,
            prefix: self.schema.dialect.qtype_prefix.map(str::to_owned),
            implicit: true,
        });
        self.def_definition(Self::new_definition(
            "QType",
            None,
            None,
            None,
            vec![],
            qtype,
        ))?;
        Ok(())
    }

    pub(super) fn def_exprs(&mut self, exprs: &mut [Expression]) -> Result<()> {
        self.reserve_for(exprs.len());
        exprs.iter_mut().try_for_each(|e| self.def_expr(e))
    }

    /// Makes room for the entities of `exprs` expressions.
    pub(super) fn reserve_for(&mut self, exprs: usize) {
        // Most definitions make one entity, some an array or argument type
        // too.
        let estimate = exprs + exprs / 2;
        self.schema.entities.reserve(estimate);
        self.schema.by_name.reserve(estimate);
    }

    /// Defines the entities of one checked expression.
    pub(super) fn def_expr(&mut self, e: &mut Expression) -> Result<()> {
        let d = &e.expr;
        if d.contains_key("enum") {
            self.def_enum_type(e)
        } else if d.contains_key("struct") {
            self.def_struct_type(e)
        } else if d.contains_key("union") {
            self.def_union_type(e)
        } else if d.contains_key("alternate") {
            self.def_alternate_type(e)
        } else if d.contains_key("command") {
            self.def_command(e)
        } else if d.contains_key("event") {
            self.def_event(e)
        } else if d.contains_key("include") {
            self.def_include(e)
        } else {
            Err(malformed(&e.info, "expression"))
        }
    }

    fn def_include(&mut self, e: &mut Expression) -> Result<()> {
        let path = take_str_of(&mut e.expr, "include", &e.info)?;
        let target = self.make_module(&path);
        self.def_entity(Entity::Include(Include {
            info: e.info.clone(),
            module: ModuleId(0),
            target,
        }));
        Ok(())
    }

    // ---- parts ----

    fn register_feature(&mut self, name: &str, info: Option<&Info>) {
        if !self.feature_index.contains_key(name) {
            self.feature_index
                .insert(name.to_owned(), self.schema.features.len());
            self.schema.features.push(Feature {
                name: name.to_owned(),
                info: info.cloned(),
                ifcond: None,
            });
        }
    }

    fn make_features(&mut self, features: Option<&mut Value>, info: &Info) -> Result<Vec<Feature>> {
        let Some(features) = features else {
            return Ok(vec![]);
        };
        let list = list_mut(features, info, "'features'")?;
        let mut out = Vec::with_capacity(list.len());
        for f in list {
            let f = dict_mut(f, info, "feature")?;
            let name = take_str_of(f, "name", info)?;
            self.register_feature(&name, Some(info));
            out.push(Feature {
                name,
                info: Some(info.clone()),
                ifcond: self.ifcond_of(f),
            });
        }
        Ok(out)
    }

    fn make_enum_members(&mut self, data: &mut Value, info: &Info) -> Result<Vec<EnumMember>> {
        let list = list_mut(data, info, "'data'")?;
        let mut out = Vec::with_capacity(list.len());
        for v in list {
            let v = dict_mut(v, info, "enum value")?;
            let name = take_str_of(v, "name", info)?;
            let features = self.make_features(v.get_mut("features"), info)?;
            out.push(EnumMember {
                name,
                info: Some(info.clone()),
                ifcond: self.ifcond_of(v),
                features,
            });
        }
        Ok(out)
    }

    /// Makes the array type of `element_type` unless it exists; returns
    /// its name.
    fn make_array_type(&mut self, element_type: &str, info: Option<&Info>) -> Result<String> {
        let name = format!("{element_type}List");
        if self.schema.lookup_type(&name).is_none() {
            let kind = DefKind::Array(ArrayType {
                element_type_name: element_type.to_owned(),
                element_type: EntityId::PENDING,
            });
            let def = Self::new_definition(name.clone(), info, None, None, vec![], kind);
            self.def_definition(def)?;
        }
        Ok(name)
    }

    /// A type reference: a name, or `[name]` for its array type.
    fn type_ref(&mut self, typ: &mut Value, info: &Info) -> Result<String> {
        if let Some(name) = take_str(typ) {
            return Ok(name);
        }
        match typ.as_list() {
            Some([elt]) => {
                let elt = elt.as_str().ok_or_else(|| malformed(info, "array type"))?;
                self.make_array_type(elt, Some(info))
            }
            _ => Err(malformed(info, "type")),
        }
    }

    fn make_member(&mut self, mut name: String, value: &mut Value, info: &Info) -> Result<Member> {
        let optional = name.starts_with('*');
        if optional {
            name.remove(0);
        }
        let spec = dict_mut(value, info, "member")?;
        let typ = spec
            .get_mut("type")
            .ok_or_else(|| malformed(info, "member"))?;
        let type_name = self.type_ref(typ, info)?;
        let features = self.make_features(spec.get_mut("features"), info)?;
        Ok(Member {
            name,
            info: info.clone(),
            type_name,
            ty: EntityId::PENDING,
            optional,
            ifcond: self.ifcond_of(spec),
            features,
            defined_in: EntityId::PENDING,
        })
    }

    fn make_members(&mut self, data: &mut Value, info: &Info) -> Result<Vec<Member>> {
        let dict = dict_mut(data, info, "'data'")?;
        let mut out = Vec::with_capacity(dict.len());
        for (key, value) in &mut dict.entries {
            out.push(self.make_member(std::mem::take(key), value, info)?);
        }
        Ok(out)
    }

    fn make_variants(&mut self, data: &mut Value, info: &Info) -> Result<Vec<Variant>> {
        let dict = dict_mut(data, info, "'data'")?;
        let mut out = Vec::with_capacity(dict.len());
        for (key, value) in &mut dict.entries {
            let spec = dict_mut(value, info, "branch")?;
            let typ = spec
                .get_mut("type")
                .ok_or_else(|| malformed(info, "branch"))?;
            let type_name = self.type_ref(typ, info)?;
            out.push(Variant {
                name: std::mem::take(key),
                info: info.clone(),
                type_name,
                ty: EntityId::PENDING,
                ifcond: self.ifcond_of(spec),
                defined_in: EntityId::PENDING,
            });
        }
        Ok(out)
    }

    /// Makes the argument or base type `q_obj_NAME-ROLE` holding
    /// `members`; none when there are no members.
    fn make_implicit_object_type(
        &mut self,
        name: &str,
        info: &Info,
        ifcond: &Option<IfCond>,
        role: &str,
        members: Vec<Member>,
    ) -> Result<Option<String>> {
        if members.is_empty() {
            return Ok(None);
        }
        let name = format!("q_obj_{name}-{role}");
        // An existing one means a duplicate definition, which is reported
        // when the definition itself is made.
        if self.schema.lookup(&name).is_none() {
            let kind = DefKind::Object(ObjectType {
                base_name: None,
                base: None,
                local_members: members,
                branches: None,
            });
            let def =
                Self::new_definition(name.clone(), Some(info), None, ifcond.clone(), vec![], kind);
            self.def_definition(def)?;
        }
        Ok(Some(name))
    }

    // ---- definitions ----

    fn def_enum_type(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "enum", info)?;
        let prefix = d.get_mut("prefix").and_then(take_str);
        let features = self.make_features(d.get_mut("features"), info)?;
        let data = d.get_mut("data").ok_or_else(|| malformed(info, "'data'"))?;
        let members = self.make_enum_members(data, info)?;
        let kind = DefKind::Enum(EnumType {
            members,
            prefix,
            implicit: false,
        });
        let def = Self::new_definition(name, Some(info), e.doc, self.ifcond_of(d), features, kind);
        self.def_definition(def)?;
        Ok(())
    }

    fn def_struct_type(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "struct", info)?;
        let base_name = d.get_mut("base").and_then(take_str);
        let ifcond = self.ifcond_of(d);
        let features = self.make_features(d.get_mut("features"), info)?;
        let data = d.get_mut("data").ok_or_else(|| malformed(info, "'data'"))?;
        let local_members = self.make_members(data, info)?;
        let kind = DefKind::Object(ObjectType {
            base_name,
            base: None,
            local_members,
            branches: None,
        });
        let def = Self::new_definition(name, Some(info), e.doc, ifcond, features, kind);
        self.def_definition(def)?;
        Ok(())
    }

    fn def_union_type(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "union", info)?;
        let ifcond = self.ifcond_of(d);
        let features = self.make_features(d.get_mut("features"), info)?;
        let base_name = match d.get_mut("base") {
            Some(base) if base.is_dict() => {
                let members = self.make_members(base, info)?;
                self.make_implicit_object_type(&name, info, &ifcond, "base", members)?
            }
            Some(base) => take_str(base),
            None => None,
        };
        let simple = self.schema.dialect.simple_unions && !d.contains_key("discriminator");
        let tag_name = if simple {
            String::new()
        } else {
            take_str_of(d, "discriminator", info)?
        };
        let data = d.get_mut("data").ok_or_else(|| malformed(info, "'data'"))?;
        let (tag_name, local_members, variants) = if simple {
            self.make_simple_union_parts(&name, data, info, &ifcond)?
        } else {
            (tag_name, vec![], self.make_variants(data, info)?)
        };
        let kind = DefKind::Object(ObjectType {
            base_name,
            base: None,
            local_members,
            branches: Some(Branches {
                info: info.clone(),
                tag_name,
                tag: None,
                variants,
            }),
        });
        let def = Self::new_definition(name, Some(info), e.doc, ifcond, features, kind);
        self.def_definition(def)?;
        Ok(())
    }

    /// A simple union's tag member, branches and implicit types: each
    /// branch wraps its type in an object `q_obj_T-wrapper` with the one
    /// member `data`, and the tag `type` is of the enum `<Union>Kind` of the
    /// branch names.
    fn make_simple_union_parts(
        &mut self,
        name: &str,
        data: &mut Value,
        info: &Info,
        ifcond: &Option<IfCond>,
    ) -> Result<(String, Vec<Member>, Vec<Variant>)> {
        let dict = dict_mut(data, info, "'data'")?;
        let mut variants = Vec::with_capacity(dict.len());
        for (key, value) in &mut dict.entries {
            let spec = dict_mut(value, info, "branch")?;
            let typ = spec
                .get_mut("type")
                .ok_or_else(|| malformed(info, "branch"))?;
            let wrapped = self.type_ref(typ, info)?;
            let member = Member {
                name: "data".to_owned(),
                info: info.clone(),
                type_name: wrapped.clone(),
                ty: EntityId::PENDING,
                optional: false,
                ifcond: None,
                features: vec![],
                defined_in: EntityId::PENDING,
            };
            // The wrapper takes the wrapped type's condition once that is
            // resolved, in the check; it is shared by every user.
            let type_name = self
                .make_implicit_object_type(&wrapped, info, &None, "wrapper", vec![member])?
                .unwrap_or_default();
            variants.push(Variant {
                name: std::mem::take(key),
                info: info.clone(),
                type_name,
                ty: EntityId::PENDING,
                ifcond: self.ifcond_of(spec),
                defined_in: EntityId::PENDING,
            });
        }
        let values = variants
            .iter()
            .map(|v| EnumMember {
                name: v.name.clone(),
                info: Some(info.clone()),
                ifcond: v.ifcond.clone(),
                features: vec![],
            })
            .collect();
        let kind_name = format!("{name}Kind");
        let kind = DefKind::Enum(EnumType {
            members: values,
            prefix: None,
            implicit: true,
        });
        let def = Self::new_definition(&kind_name, Some(info), None, ifcond.clone(), vec![], kind);
        self.def_definition(def)?;
        let tag = Member {
            name: "type".to_owned(),
            info: info.clone(),
            type_name: kind_name,
            ty: EntityId::PENDING,
            optional: false,
            ifcond: None,
            features: vec![],
            defined_in: EntityId::PENDING,
        };
        Ok(("type".to_owned(), vec![tag], variants))
    }

    fn def_alternate_type(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "alternate", info)?;
        let ifcond = self.ifcond_of(d);
        let features = self.make_features(d.get_mut("features"), info)?;
        let data = d.get_mut("data").ok_or_else(|| malformed(info, "'data'"))?;
        let variants = self.make_variants(data, info)?;
        let tag_member = Member {
            name: "type".to_owned(),
            info: info.clone(),
            type_name: "QType".to_owned(),
            ty: EntityId::PENDING,
            optional: false,
            ifcond: None,
            features: vec![],
            defined_in: EntityId::PENDING,
        };
        let kind = DefKind::Alternate(AlternateType {
            alternatives: Alternatives {
                info: info.clone(),
                tag_member,
                variants,
            },
        });
        let def = Self::new_definition(name, Some(info), e.doc, ifcond, features, kind);
        self.def_definition(def)?;
        Ok(())
    }

    /// The `data` of a command or event: a type name, or members making
    /// an implicit argument type.
    fn arg_type(
        &mut self,
        name: &str,
        data: Option<&mut Value>,
        info: &Info,
        ifcond: &Option<IfCond>,
    ) -> Result<Option<String>> {
        match data {
            None => Ok(None),
            Some(v) if v.is_dict() => {
                let members = self.make_members(v, info)?;
                self.make_implicit_object_type(name, info, ifcond, "arg", members)
            }
            Some(v) => Ok(take_str(v)),
        }
    }

    fn def_command(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "command", info)?;
        let ifcond = self.ifcond_of(d);
        let features = self.make_features(d.get_mut("features"), info)?;
        let arg_type_name = self.arg_type(&name, d.get_mut("data"), info, &ifcond)?;
        let ret_type_name = match d.get_mut("returns") {
            Some(r) => Some(self.type_ref(r, info)?),
            None => None,
        };
        let kind = DefKind::Command(Command {
            arg_type_name,
            arg_type: None,
            ret_type_name,
            ret_type: None,
            gen: flag(d, "gen", true),
            success_response: flag(d, "success-response", true),
            boxed: flag(d, "boxed", false),
            allow_oob: flag(d, "allow-oob", false),
            allow_preconfig: flag(d, "allow-preconfig", false),
            coroutine: flag(d, "coroutine", false),
        });
        let def = Self::new_definition(name, Some(info), e.doc, ifcond, features, kind);
        self.def_definition(def)?;
        Ok(())
    }

    fn def_event(&mut self, e: &mut Expression) -> Result<()> {
        let (d, info) = (&mut e.expr, &e.info);
        let name = take_str_of(d, "event", info)?;
        let ifcond = self.ifcond_of(d);
        let features = self.make_features(d.get_mut("features"), info)?;
        let arg_type_name = self.arg_type(&name, d.get_mut("data"), info, &ifcond)?;
        let kind = DefKind::Event(Event {
            arg_type_name,
            arg_type: None,
            boxed: flag(d, "boxed", false),
        });
        let def = Self::new_definition(name, Some(info), e.doc, ifcond, features, kind);
        self.def_definition(def)?;
        Ok(())
    }
}

//! The value `query-qmp-schema` returns for a schema, built as QEMU's
//! introspection generator builds it: commands and events in visit order,
//! then every type they use, reached breadth-first; all integer types
//! shown as `int`; type names masked to numbers unless asked otherwise.
//!
//! Entries carry their conditions, so one computation serves every
//! configuration: QEMU numbers masked names at generation time, over all
//! entries, and leaves out conditional ones only when it compiles.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::dialect::FeatureSites;
use crate::schema::{DefKind, EntityId, Feature, IfCond, Schema};
use crate::Dialect;

/// A JSON value of the introspection data. Objects keep their keys in
/// QEMU's order (sorted).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Str(String),
    /// Elements, each with the condition it exists under.
    List(Vec<(Json, Option<IfCond>)>),
    Object(Vec<(&'static str, Json)>),
}

/// One `SchemaInfo` entry and the condition it exists under.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub value: Json,
    pub ifcond: Option<IfCond>,
}

/// How to introspect.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Real type names instead of numbers.
    pub unmask: bool,
}

/// The introspection entries of `schema`, in QEMU's order.
pub fn introspect(schema: &Schema, opts: &Options) -> Vec<Entry> {
    let mut gen = Gen {
        schema,
        dialect: schema.dialect(),
        unmask: opts.unmask,
        names: HashMap::new(),
        used: Vec::new(),
        used_set: HashMap::new(),
        entries: Vec::new(),
    };
    for (id, def) in schema.visit().filter_map(|v| match v {
        crate::schema::Visit::Entity(id, e) => e.as_definition().map(|d| (id, d)),
        _ => None,
    }) {
        match &def.kind {
            DefKind::Command(c) => {
                let empty = schema.the_empty_object();
                let arg = gen.use_type(c.arg_type.unwrap_or(empty));
                let ret = gen.use_type(c.ret_type.unwrap_or(empty));
                let mut obj = vec![("arg-type", Json::Str(arg)), ("ret-type", Json::Str(ret))];
                // 2.12 said `false` too.
                if c.allow_oob || gen.dialect.intro_allow_oob_always {
                    obj.push(("allow-oob", Json::Bool(c.allow_oob)));
                }
                gen.tree(id, "command", obj);
            }
            DefKind::Event(e) => {
                let arg = gen.use_type(e.arg_type.unwrap_or(schema.the_empty_object()));
                gen.tree(id, "event", vec![("arg-type", Json::Str(arg))]);
            }
            _ => {}
        }
    }
    // The work queue grows while it is walked.
    let mut i = 0;
    while let Some(&id) = gen.used.get(i) {
        gen.visit_type(id);
        i += 1;
    }
    gen.entries
}

struct Gen<'a> {
    schema: &'a Schema,
    dialect: &'a Dialect,
    unmask: bool,
    names: HashMap<String, String>,
    used: Vec<EntityId>,
    used_set: HashMap<EntityId, ()>,
    entries: Vec<Entry>,
}

impl Gen<'_> {
    fn name(&mut self, name: &str) -> String {
        if self.unmask {
            return name.to_owned();
        }
        let next = self.names.len();
        self.names
            .entry(name.to_owned())
            .or_insert_with(|| next.to_string())
            .clone()
    }

    fn json_int(&self, id: EntityId) -> bool {
        self.schema.def(id).json_type() == Some(crate::schema::JsonType::Int)
    }

    /// Records that a type is used and returns how entries refer to it.
    fn use_type(&mut self, id: EntityId) -> String {
        let schema = self.schema;
        let mut id = id;
        if self.json_int(id) {
            id = schema.lookup_type("int").unwrap_or(id);
        } else if let DefKind::Array(a) = &schema.def(id).kind {
            if self.json_int(a.element_type) {
                id = schema.lookup_type("intList").unwrap_or(id);
            }
        }
        if self.used_set.insert(id, ()).is_none() {
            self.used.push(id);
        }
        let def = schema.def(id);
        match &def.kind {
            DefKind::Builtin(_) => def.name.clone(),
            DefKind::Array(a) => format!("[{}]", self.use_type(a.element_type)),
            _ => self.name(&def.name),
        }
    }

    fn features(features: &[Feature]) -> Json {
        Json::List(
            features
                .iter()
                .map(|f| (Json::Str(f.name.clone()), f.ifcond.clone()))
                .collect(),
        )
    }

    fn tree(&mut self, id: EntityId, meta: &'static str, mut obj: Vec<(&'static str, Json)>) {
        let def = self.schema.def(id);
        let name = match meta {
            "command" | "event" | "builtin" | "array" => def.name.clone(),
            _ => self.name(&def.name),
        };
        // Which entries show features grew with the releases.
        let site = match meta {
            "object" => FeatureSites::STRUCT,
            "command" => FeatureSites::COMMAND,
            _ => FeatureSites::ALL_DEFS_AND_MEMBERS,
        };
        let features: &[Feature] = if self.dialect.intro_features.has(site) {
            &def.features
        } else {
            &[]
        };
        self.push(name, meta, &mut obj, features, def.ifcond.clone());
    }

    fn push(
        &mut self,
        name: String,
        meta: &'static str,
        obj: &mut Vec<(&'static str, Json)>,
        features: &[Feature],
        ifcond: Option<IfCond>,
    ) {
        obj.push(("name", Json::Str(name)));
        obj.push(("meta-type", Json::Str(meta.to_owned())));
        if !features.is_empty() {
            obj.push(("features", Self::features(features)));
        }
        obj.sort_by(|a, b| a.0.cmp(b.0));
        self.entries.push(Entry {
            value: Json::Object(std::mem::take(obj)),
            ifcond,
        });
    }

    fn visit_type(&mut self, id: EntityId) {
        let schema = self.schema;
        let def = schema.def(id);
        match &def.kind {
            DefKind::Builtin(b) => {
                let obj = vec![("json-type", Json::Str(b.json_type.as_str().to_owned()))];
                self.tree(id, "builtin", obj);
            }
            DefKind::Enum(e) => {
                let members = e
                    .members
                    .iter()
                    .map(|m| {
                        let mut o = vec![("name", Json::Str(m.name.clone()))];
                        if !m.features.is_empty()
                            && self.dialect.intro_features.has(FeatureSites::ENUM_VALUES)
                        {
                            o.push(("features", Self::features(&m.features)));
                        }
                        o.sort_by(|a, b| a.0.cmp(b.0));
                        (Json::Object(o), m.ifcond.clone())
                    })
                    .collect();
                let values = e
                    .members
                    .iter()
                    .map(|m| (Json::Str(m.name.clone()), m.ifcond.clone()))
                    .collect();
                let mut obj = vec![("values", Json::List(values))];
                if self.dialect.intro_enum_members {
                    obj.insert(0, ("members", Json::List(members)));
                }
                self.tree(id, "enum", obj);
            }
            DefKind::Array(a) => {
                let element = self.use_type(a.element_type);
                let mut obj = vec![("element-type", Json::Str(element.clone()))];
                self.push(
                    format!("[{element}]"),
                    "array",
                    &mut obj,
                    &[],
                    def.ifcond.clone(),
                );
            }
            DefKind::Object(o) => {
                let members: Vec<_> = schema
                    .members(id)
                    .map(|m| {
                        let mut obj = vec![
                            ("name", Json::Str(m.name.clone())),
                            ("type", Json::Str(self.use_type(m.ty))),
                        ];
                        if m.optional {
                            obj.push(("default", Json::Null));
                        }
                        if !m.features.is_empty()
                            && self
                                .dialect
                                .intro_features
                                .has(FeatureSites::ALL_DEFS_AND_MEMBERS)
                        {
                            obj.push(("features", Self::features(&m.features)));
                        }
                        obj.sort_by(|a, b| a.0.cmp(b.0));
                        (Json::Object(obj), m.ifcond.clone())
                    })
                    .collect();
                let mut obj = vec![("members", Json::List(members))];
                if let Some(br) = &o.branches {
                    if let Some(tag) = schema.tag_member(br) {
                        obj.push(("tag", Json::Str(tag.name.clone())));
                    }
                    let variants = br
                        .variants
                        .iter()
                        .map(|v| {
                            let o = vec![
                                ("case", Json::Str(v.name.clone())),
                                ("type", Json::Str(self.use_type(v.ty))),
                            ];
                            (Json::Object(o), v.ifcond.clone())
                        })
                        .collect();
                    obj.push(("variants", Json::List(variants)));
                }
                self.tree(id, "object", obj);
            }
            DefKind::Alternate(a) => {
                let members = a
                    .alternatives
                    .variants
                    .iter()
                    .map(|v| {
                        let o = vec![("type", Json::Str(self.use_type(v.ty)))];
                        (Json::Object(o), v.ifcond.clone())
                    })
                    .collect();
                self.tree(id, "alternate", vec![("members", Json::List(members))]);
            }
            DefKind::Command(_) | DefKind::Event(_) => {}
        }
    }
}

impl Json {
    /// Drops the list elements whose condition is false.
    fn write(&self, out: &mut String, is_set: &dyn Fn(&IfCond) -> bool) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Str(s) => write_str(out, s),
            Json::List(items) => {
                out.push('[');
                let mut first = true;
                for (v, c) in items {
                    if c.as_ref().is_some_and(|c| !is_set(c)) {
                        continue;
                    }
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    v.write(out, is_set);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_str(out, k);
                    out.push_str(": ");
                    v.write(out, is_set);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Names and values rarely hold anything to escape: copy the runs
    // between the bytes that need it.
    let mut copied = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[copied..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// The entries as one JSON array, one entry a line, keeping those whose
/// condition holds under `cfg` (`None`: every condition holds).
pub fn to_json(entries: &[Entry], cfg: Option<&[String]>) -> String {
    let is_set = |c: &IfCond| match cfg {
        None => true,
        Some(syms) => c.eval(&|s: &str| syms.iter().any(|x| x == s)),
    };
    // Room enough that the text is never copied to grow (memory not
    // written to costs nothing): QEMU's schemas take up to about 300
    // bytes an entry.
    let mut out = String::with_capacity(entries.len() * 512 + 8);
    out.push_str("[\n");
    let mut first = true;
    for e in entries {
        if e.ifcond.as_ref().is_some_and(|c| !is_set(c)) {
            continue;
        }
        if !first {
            out.push_str(",\n");
        }
        first = false;
        e.value.write(&mut out, &is_set);
    }
    out.push_str("\n]\n");
    out
}

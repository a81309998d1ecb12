//! What the Rust backend decides before emitting: which types exist
//! under the configuration (or under which `#[cfg]`), their Rust names
//! and their members', which references must be boxed to break
//! recursion, and where each implicit type's documentation lives.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use proc_macro2::{Ident, Span, TokenStream};
use qapi_parser::schema::{DefKind, IfCond, TypeId};
use qapi_parser::Schema;
use quote::quote;

use super::Options;
use crate::names::{self, Scope};

/// Names the generated module defines besides the schema's types.
const RESERVED: &[&str] = &[
    "Decode",
    "DecodeMembers",
    "SerializeMembers",
    "Serialize",
    "Serializer",
];

pub struct Plan<'s> {
    pub schema: &'s Schema,
    cfg: Option<HashSet<String>>,
    /// Conditions become `#[cfg(feature = ...)]` instead of being decided.
    cfg_features: bool,
    /// The output is not formatted.
    unformatted: bool,
    /// The types emitted, in definition order.
    pub types: Vec<TypeId>,
    type_names: HashMap<TypeId, String>,
    /// Rust variant names of each enum's values and each alternate's
    /// branches, by wire name.
    variants: HashMap<TypeId, HashMap<String, String>>,
    /// Rust field names of each object type's members, by wire name.
    fields: HashMap<TypeId, HashMap<String, String>>,
    /// The definition documenting each implicit object type's members
    /// (a command's or event's arguments, a union's inline base).
    doc_owner: HashMap<TypeId, TypeId>,
    /// Edges (from, to) that lie on a cycle of types held by value.
    boxed: HashSet<(TypeId, TypeId)>,
}

impl<'s> Plan<'s> {
    pub fn new(schema: &'s Schema, opts: &Options) -> Self {
        let cfg = opts
            .cfg
            .as_ref()
            .map(|c| c.iter().cloned().collect::<HashSet<_>>());
        let mut plan = Plan {
            schema,
            cfg,
            cfg_features: opts.cfg_features,
            unformatted: opts.unformatted,
            types: Vec::new(),
            type_names: HashMap::new(),
            variants: HashMap::new(),
            fields: HashMap::new(),
            doc_owner: HashMap::new(),
            boxed: HashSet::new(),
        };
        plan.types = schema
            .definitions()
            .filter(|(_, d)| {
                matches!(
                    d.kind,
                    DefKind::Enum(_) | DefKind::Object(_) | DefKind::Alternate(_)
                )
            })
            .filter(|(_, d)| plan.holds(d.ifcond.as_ref()))
            .map(|(id, _)| id)
            .collect();
        plan.name_types();
        plan.name_variants();
        plan.name_fields();
        plan.find_doc_owners();
        plan.find_cycles();
        plan
    }

    /// Does the condition hold under the configuration? Always, when
    /// conditions become `#[cfg]`.
    pub fn holds(&self, cond: Option<&IfCond>) -> bool {
        match (cond, &self.cfg) {
            _ if self.cfg_features => true,
            (None, _) | (Some(_), None) => true,
            (Some(c), Some(set)) => c.eval(&|s| set.contains(s)),
        }
    }

    /// Are conditions emitted as `#[cfg]`?
    pub fn cfg_features(&self) -> bool {
        self.cfg_features
    }

    /// Is the output left unformatted? Then it is read by the compiler
    /// alone: each text is documented with one `#[doc]` attribute rather
    /// than one per line, and string literals stay on one line.
    pub fn unformatted(&self) -> bool {
        self.unformatted
    }

    /// The `#[cfg(...)]` of an item under every condition of `conds`
    /// (a union branch has its value's and its own); nothing unless
    /// conditions become features, or when there is no condition.
    pub fn cfg(&self, conds: &[Option<&IfCond>]) -> TokenStream {
        if !self.cfg_features {
            return TokenStream::new();
        }
        let mut distinct: Vec<&IfCond> = Vec::new();
        for c in conds.iter().flatten() {
            if !distinct.contains(c) {
                distinct.push(c);
            }
        }
        let pred = match distinct.as_slice() {
            [] => return TokenStream::new(),
            [one] => cfg_predicate(&one.tree()),
            many => cfg_predicate(&IfCond::All(many.iter().map(|c| c.tree()).collect())),
        };
        quote!(#[cfg(#pred)])
    }

    /// Every configuration symbol a condition of the schema names: the
    /// features of the generated crate.
    pub fn feature_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut add = |c: Option<&IfCond>| {
            if let Some(c) = c {
                symbols(&c.tree(), &mut names);
            }
        };
        for (_, def) in self.schema.definitions() {
            add(def.ifcond.as_ref());
            def.features.iter().for_each(|f| add(f.ifcond.as_ref()));
            match &def.kind {
                DefKind::Enum(e) => e.members.iter().for_each(|m| add(m.ifcond.as_ref())),
                DefKind::Object(o) => {
                    o.local_members.iter().for_each(|m| add(m.ifcond.as_ref()));
                    if let Some(b) = &o.branches {
                        b.variants.iter().for_each(|v| add(v.ifcond.as_ref()));
                    }
                }
                DefKind::Alternate(a) => a
                    .alternatives
                    .variants
                    .iter()
                    .for_each(|v| add(v.ifcond.as_ref())),
                _ => {}
            }
        }
        names
    }

    /// Types the schema wrote get their names first, so an implicit type
    /// whose name clashes after conversion is the one renamed.
    fn name_types(&mut self) {
        let mut scope = Scope::new();
        for r in RESERVED {
            scope.reserve(r);
        }
        let (written, implicit): (Vec<TypeId>, Vec<TypeId>) = self
            .types
            .iter()
            .partition(|&&id| !self.schema.def(id).is_implicit());
        for id in written.into_iter().chain(implicit) {
            let name = scope.claim(names::type_name(self.schema.name(id)), "");
            self.type_names.insert(id, name);
        }
    }

    fn name_variants(&mut self) {
        for &id in &self.types {
            let def = self.schema.def(id);
            let wires: Vec<(&str, Option<&IfCond>)> = match &def.kind {
                DefKind::Enum(e) => e
                    .members
                    .iter()
                    .map(|m| (m.name.as_str(), m.ifcond.as_ref()))
                    .collect(),
                DefKind::Alternate(a) => a
                    .alternatives
                    .variants
                    .iter()
                    .map(|v| (v.name.as_str(), v.ifcond.as_ref()))
                    .collect(),
                _ => continue,
            };
            let mut scope = Scope::new();
            let map = wires
                .into_iter()
                .filter(|(_, cond)| self.holds(*cond))
                .map(|(wire, _)| {
                    let rust = scope.claim(names::variant_name(wire), "");
                    (wire.to_owned(), rust)
                })
                .collect();
            self.variants.insert(id, map);
        }
    }

    /// Fields are named in member order, base members first; a union's
    /// own field `branch` is taken first.
    fn name_fields(&mut self) {
        // The same member names come back in type after type.
        let mut converted: HashMap<&str, String> = HashMap::new();
        for &id in &self.types {
            if self.schema.def(id).as_object().is_none() {
                continue;
            }
            let mut scope = Scope::new();
            scope.reserve("branch");
            let map = self
                .schema
                .members(id)
                .filter(|m| self.holds(m.ifcond.as_ref()))
                .map(|m| {
                    let name = converted
                        .entry(&m.name)
                        .or_insert_with(|| names::field_name(&m.name));
                    let rust = scope.claim(name.clone(), "_");
                    (m.name.clone(), rust)
                })
                .collect();
            self.fields.insert(id, map);
        }
    }

    /// Implicit object types are documented by the definition that made
    /// them; a type used by several keeps the first.
    fn find_doc_owners(&mut self) {
        let schema = self.schema;
        for (id, def) in schema.definitions() {
            let made = match &def.kind {
                DefKind::Command(c) => c.arg_type,
                DefKind::Event(e) => e.arg_type,
                DefKind::Object(o) => o.base,
                _ => None,
            };
            if let Some(t) = made.filter(|&t| schema.def(t).is_implicit()) {
                self.doc_owner.entry(t).or_insert(id);
            }
        }
    }

    /// The types `id` holds by value (not through an array).
    fn held(&self, id: TypeId) -> Vec<TypeId> {
        let def = self.schema.def(id);
        let mut out: Vec<TypeId> = Vec::new();
        match &def.kind {
            DefKind::Object(o) => {
                out.extend(self.schema.members(id).map(|m| m.ty));
                if let Some(b) = &o.branches {
                    out.extend(b.variants.iter().map(|v| v.ty));
                }
            }
            DefKind::Alternate(a) => out.extend(a.alternatives.variants.iter().map(|v| v.ty)),
            _ => {}
        }
        out.retain(|&t| {
            matches!(
                self.schema.def(t).kind,
                DefKind::Object(_) | DefKind::Alternate(_)
            )
        });
        out
    }

    fn find_cycles(&mut self) {
        let held: HashMap<TypeId, Vec<TypeId>> =
            self.types.iter().map(|&t| (t, self.held(t))).collect();
        let reaches = |from: TypeId, to: TypeId| {
            let mut seen = HashSet::new();
            let mut stack = vec![from];
            while let Some(t) = stack.pop() {
                if t == to {
                    return true;
                }
                if seen.insert(t) {
                    stack.extend(held.get(&t).into_iter().flatten().copied());
                }
            }
            false
        };
        let mut boxed = HashSet::new();
        for (&from, tos) in &held {
            for &to in tos {
                if reaches(to, from) {
                    boxed.insert((from, to));
                }
            }
        }
        self.boxed = boxed;
    }

    /// The Rust name of an emitted type.
    pub fn type_ident(&self, id: TypeId) -> Ident {
        ident(self.type_names.get(&id).map_or("Unnamed", String::as_str))
    }

    /// The Rust variant name of enum `id`'s value `wire` (or alternate
    /// `id`'s branch), if emitted.
    pub fn variant_ident(&self, id: TypeId, wire: &str) -> Option<Ident> {
        self.variant_name(id, wire).map(ident)
    }

    pub fn variant_name(&self, id: TypeId, wire: &str) -> Option<&str> {
        self.variants.get(&id)?.get(wire).map(String::as_str)
    }

    /// The Rust field name of object type `id`'s member `wire`, if
    /// emitted.
    pub fn field_name(&self, id: TypeId, wire: &str) -> Option<&str> {
        self.fields.get(&id)?.get(wire).map(String::as_str)
    }

    /// The Rust name of an emitted type, as text.
    pub fn type_name(&self, id: TypeId) -> Option<&str> {
        self.type_names.get(&id).map(String::as_str)
    }

    /// The Rust name of union `id`'s enum of branches.
    pub fn branch_type_name(&self, id: TypeId) -> String {
        format!("{}Branch", self.type_name(id).unwrap_or("Unnamed"))
    }

    /// The definition whose documentation describes type `id`'s members:
    /// `id` itself, or for an implicit type the command, event or union
    /// that made it.
    pub fn doc_owner(&self, id: TypeId) -> TypeId {
        self.doc_owner.get(&id).copied().unwrap_or(id)
    }

    /// Can the type derive `Default`: a struct whose members are all
    /// optional (which includes having none).
    pub fn all_optional(&self, id: TypeId) -> bool {
        let def = self.schema.def(id);
        def.as_object().is_some_and(|o| o.branches.is_none())
            && self
                .schema
                .members(id)
                .filter(|m| self.holds(m.ifcond.as_ref()))
                .all(|m| m.optional)
    }

    /// The Rust type of a value of type `id` held inside `owner`.
    pub fn rust_type_in(&self, owner: TypeId, id: TypeId) -> TokenStream {
        let ty = self.rust_type(id);
        if self.boxed.contains(&(owner, id)) {
            quote!(_q::Box<#ty>)
        } else {
            ty
        }
    }

    /// The Rust type of a value of type `id`.
    pub fn rust_type(&self, id: TypeId) -> TokenStream {
        let def = self.schema.def(id);
        match &def.kind {
            DefKind::Builtin(_) => builtin_type(&def.name),
            DefKind::Array(a) => {
                let elem = self.rust_type(a.element_type);
                quote!(_q::Vec<#elem>)
            }
            _ => {
                let name = self.type_ident(id);
                quote!(#name)
            }
        }
    }
}

/// The Rust type of a built-in QAPI type.
fn builtin_type(name: &str) -> TokenStream {
    match name {
        "str" => quote!(_q::String),
        "number" => quote!(f64),
        "int" | "int64" => quote!(i64),
        "int8" => quote!(i8),
        "int16" => quote!(i16),
        "int32" => quote!(i32),
        "uint8" => quote!(u8),
        "uint16" => quote!(u16),
        "uint32" => quote!(u32),
        "uint64" | "size" => quote!(u64),
        "bool" => quote!(bool),
        "null" => quote!(()),
        // `any`; the model has no other built-ins.
        _ => quote!(_q::Value),
    }
}

/// Where the bindings document one piece of a schema definition: the
/// definition itself (`member` is `None`) or one of its members, enum
/// values or branches, as Rust paths (`Type`, `Type::field`,
/// `Enum::Variant`). A member inherited by several types has a path in
/// each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTarget {
    /// The documented definition's schema name.
    pub definition: String,
    /// The member's, value's or branch's schema name.
    pub member: Option<String>,
    pub paths: Vec<String>,
}

impl Plan<'_> {
    /// Every documented piece of every emitted type, with where its text
    /// is in the bindings.
    pub fn doc_targets(&self) -> Vec<DocTarget> {
        let schema = self.schema;
        let mut out: Vec<DocTarget> = Vec::new();
        let mut index: HashMap<(String, Option<String>), usize> = HashMap::new();
        let mut add = |definition: &str, member: Option<&str>, path: String| {
            let key = (definition.to_owned(), member.map(str::to_owned));
            match index.get(&key).and_then(|&i| out.get_mut(i)) {
                Some(t) => t.paths.push(path),
                None => {
                    index.insert(key, out.len());
                    out.push(DocTarget {
                        definition: definition.to_owned(),
                        member: member.map(str::to_owned),
                        paths: vec![path],
                    });
                }
            }
        };
        for &id in &self.types {
            let Some(ty) = self.type_name(id) else {
                continue;
            };
            let def = schema.def(id);
            let owner = schema.name(self.doc_owner(id));
            if !def.is_implicit() {
                add(&def.name, None, ty.to_owned());
            }
            match &def.kind {
                DefKind::Enum(e) => {
                    for m in &e.members {
                        if let Some(v) = self.variant_name(id, &m.name) {
                            add(owner, Some(&m.name), format!("{ty}::{v}"));
                        }
                    }
                }
                DefKind::Alternate(a) => {
                    for b in &a.alternatives.variants {
                        if let Some(v) = self.variant_name(id, &b.name) {
                            add(owner, Some(&b.name), format!("{ty}::{v}"));
                        }
                    }
                }
                DefKind::Object(o) => {
                    for m in schema.members(id) {
                        // Inherited members are documented where written.
                        let written = schema.name(self.doc_owner(m.defined_in));
                        if let Some(f) = self.field_name(id, &m.name) {
                            let f = f.strip_prefix("r#").unwrap_or(f);
                            add(written, Some(&m.name), format!("{ty}::{f}"));
                        }
                    }
                    let tag = o.branches.as_ref().and_then(|b| schema.tag_member(b));
                    if let Some(t) = tag {
                        // The discriminator is the `branch` field.
                        let written = schema.name(self.doc_owner(t.defined_in));
                        add(written, Some(&t.name), format!("{ty}::branch"));
                    }
                    for b in o.branches.iter().flat_map(|b| &b.variants) {
                        if let Some(v) = tag.and_then(|t| self.variant_name(t.ty, &b.name)) {
                            add(
                                owner,
                                Some(&b.name),
                                format!("{}::{v}", self.branch_type_name(id)),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// A condition (in tree form) as the predicate of `#[cfg]`: symbol `X`
/// is `feature = "X"`; `all`, `any` and `not` are Rust's own.
fn cfg_predicate(c: &IfCond) -> TokenStream {
    match c {
        IfCond::Name(n) => quote!(feature = #n),
        IfCond::All(ops) => {
            let ops = ops.iter().map(cfg_predicate);
            quote!(all(#(#ops),*))
        }
        IfCond::Any(ops) => {
            let ops = ops.iter().map(cfg_predicate);
            quote!(any(#(#ops),*))
        }
        IfCond::Not(op) => {
            let op = cfg_predicate(op);
            quote!(not(#op))
        }
        // `tree()` leaves none; an unreadable one is false, as `eval`.
        IfCond::Cpp(_) => quote!(any()),
    }
}

fn symbols(c: &IfCond, out: &mut BTreeSet<String>) {
    match c {
        IfCond::Name(n) => {
            out.insert(n.clone());
        }
        IfCond::All(ops) | IfCond::Any(ops) => ops.iter().for_each(|o| symbols(o, out)),
        IfCond::Not(op) => symbols(op, out),
        IfCond::Cpp(_) => {}
    }
}

/// An identifier from a name of [`crate::names`], raw when it says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

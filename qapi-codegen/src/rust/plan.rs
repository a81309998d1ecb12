//! What the Rust backend decides before emitting: which types exist
//! under the configuration, their Rust names, and which references must
//! be boxed to break recursion.

use std::collections::{HashMap, HashSet};

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
    /// The types emitted, in definition order.
    pub types: Vec<TypeId>,
    type_names: HashMap<TypeId, String>,
    /// Rust variant names of each enum's values, by wire name.
    variants: HashMap<TypeId, HashMap<String, String>>,
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
            types: Vec::new(),
            type_names: HashMap::new(),
            variants: HashMap::new(),
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
        plan.find_cycles();
        plan
    }

    /// Does the condition hold under the configuration?
    pub fn holds(&self, cond: Option<&IfCond>) -> bool {
        match (cond, &self.cfg) {
            (None, _) | (Some(_), None) => true,
            (Some(c), Some(set)) => c.eval(&|s| set.contains(s)),
        }
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
            let Some(e) = self.schema.def(id).as_enum() else {
                continue;
            };
            let mut scope = Scope::new();
            let map = e
                .members
                .iter()
                .filter(|m| self.holds(m.ifcond.as_ref()))
                .map(|m| {
                    let rust = scope.claim(names::variant_name(&m.name), "");
                    (m.name.clone(), rust)
                })
                .collect();
            self.variants.insert(id, map);
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

    /// The Rust variant name of enum `id`'s value `wire`, if emitted.
    pub fn variant_ident(&self, id: TypeId, wire: &str) -> Option<Ident> {
        self.variants.get(&id)?.get(wire).map(|s| ident(s))
    }

    /// The Rust type of a value of type `id` held inside `owner`.
    pub fn rust_type_in(&self, owner: TypeId, id: TypeId) -> TokenStream {
        let ty = self.rust_type(id);
        if self.boxed.contains(&(owner, id)) {
            quote!(::std::boxed::Box<#ty>)
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
                quote!(::std::vec::Vec<#elem>)
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
        "str" => quote!(::std::string::String),
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
        _ => quote!(::qapi_runtime::serde_json::Value),
    }
}

/// An identifier from a name of [`crate::names`], raw when it says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

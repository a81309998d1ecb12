//! Where values hold what the compatibility policy acts on: a
//! `qapi_runtime::dispatch::Shape` for each type whose values can hold a
//! member (or enum value) with the `deprecated` or `unstable` feature, so
//! that arguments with such members are refused under
//! `deprecated-input=reject`, and replies and events leave them out under
//! `deprecated-output=hide`, as QEMU does.
//!
//! The shapes land in an `output_shapes` module; types whose values hold
//! no such member get none, and values of those types are never walked.

use foldhash::{HashMap, HashSet, HashSetExt};

use proc_macro2::TokenStream;
use qapi_parser::schema::{DefKind, TypeId};
use quote::quote;

use super::commands::{special, special_flags};
use super::plan::{ident, Plan};
use crate::names::{self, Scope};

/// The types whose values can hold a member output may hide, with the
/// names of their shapes.
pub struct Shapes {
    // Strings, not idents: token types cannot cross the generator's
    // threads, and one `Shapes` serves all of them.
    names: HashMap<TypeId, String>,
}

impl Shapes {
    pub fn new(plan: &Plan<'_>) -> Self {
        let hideable = hideable(plan);
        let mut scope = Scope::new();
        let names = plan
            .types
            .iter()
            .filter(|id| hideable.contains(id))
            .map(|&id| {
                let name = names::field_name(plan.schema.name(id))
                    .trim_start_matches("r#")
                    .to_uppercase();
                (id, scope.claim(name, "_"))
            })
            .collect();
        Shapes { names }
    }

    /// A `&Shape` expression for a value of type `id`, seen from a
    /// sibling module; `None` when nothing in it can be hidden.
    pub fn shape_of(&self, plan: &Plan<'_>, id: TypeId) -> Option<TokenStream> {
        self.shape_ref(plan, id, &quote!(super::output_shapes::))
    }

    /// A `&'static Shape` expression for a value of type `id`, naming the
    /// module's statics through `path`.
    fn shape_ref(&self, plan: &Plan<'_>, id: TypeId, path: &TokenStream) -> Option<TokenStream> {
        match &plan.schema.def(id).kind {
            DefKind::Array(a) => {
                let elem = self.shape_ref(plan, a.element_type, path)?;
                Some(quote!(&_q::Shape::List(#elem)))
            }
            _ => self.names.get(&id).map(|n| {
                let n = ident(n);
                quote!(&#path #n)
            }),
        }
    }

    fn local_ref(&self, plan: &Plan<'_>, id: TypeId) -> Option<TokenStream> {
        self.shape_ref(plan, id, &TokenStream::new())
    }

    fn shape_or_opaque(&self, plan: &Plan<'_>, id: TypeId) -> TokenStream {
        self.local_ref(plan, id)
            .unwrap_or_else(|| quote!(&_q::Shape::Opaque))
    }

    /// The `output_shapes` module.
    pub fn module(&self, plan: &Plan<'_>) -> TokenStream {
        let statics = plan
            .types
            .iter()
            .filter_map(|&id| Some((id, self.names.get(&id)?)))
            .map(|(id, name)| {
                let name = ident(name);
                let body = self.static_body(plan, id);
                let doc = format!(" `{}`.", plan.schema.name(id));
                quote! {
                    #[doc = #doc]
                    pub static #name: _q::Shape = #body;
                }
            });
        quote! {
            /// Where replies and events hold members that the
            /// compatibility policy may hide.
            pub mod output_shapes {
                #[allow(unused_imports)]
                use super::_q;

                #(#statics)*
            }
        }
    }

    fn static_body(&self, plan: &Plan<'_>, id: TypeId) -> TokenStream {
        let schema = plan.schema;
        match &schema.def(id).kind {
            DefKind::Object(o) => {
                let members = schema
                    .members(id)
                    .filter(|m| plan.holds(m.ifcond.as_ref()))
                    .filter_map(|m| {
                        let (any, features) = special(plan, &m.features);
                        let inner = self.local_ref(plan, m.ty);
                        if !any && inner.is_none() {
                            return None;
                        }
                        let shape = self.shape_or_opaque(plan, m.ty);
                        let name = &m.name;
                        Some(quote! {
                            _q::MemberShape {
                                name: #name,
                                features: #features,
                                shape: #shape,
                            }
                        })
                    });
                let branches = o.branches.as_ref().and_then(|b| {
                    let tag = schema.tag_member(b)?;
                    let cases: Vec<TokenStream> = b
                        .variants
                        .iter()
                        .filter(|v| plan.holds(v.ifcond.as_ref()))
                        .filter_map(|v| {
                            let shape = self.local_ref(plan, v.ty)?;
                            let case = &v.name;
                            Some(quote!((#case, #shape)))
                        })
                        .collect();
                    if cases.is_empty() {
                        return None;
                    }
                    let tag = &tag.name;
                    Some(quote! {
                        _q::Some(&_q::Branches {
                            tag: #tag,
                            cases: &[#(#cases),*],
                        })
                    })
                });
                let branches = branches.unwrap_or_else(|| quote!(_q::None));
                quote! {
                    _q::Shape::Object {
                        members: &[#(#members),*],
                        branches: #branches,
                    }
                }
            }
            DefKind::Alternate(a) => {
                let shapes = a
                    .alternatives
                    .variants
                    .iter()
                    .filter(|v| plan.holds(v.ifcond.as_ref()))
                    .filter_map(|v| self.local_ref(plan, v.ty));
                quote!(_q::Shape::Alternate(&[#(#shapes),*]))
            }
            DefKind::Enum(e) => {
                let values = e
                    .members
                    .iter()
                    .filter(|m| plan.holds(m.ifcond.as_ref()))
                    .filter_map(|m| {
                        let (any, features) = special(plan, &m.features);
                        let name = &m.name;
                        any.then(|| quote!((#name, #features)))
                    });
                quote!(_q::Shape::Enum(&[#(#values),*]))
            }
            _ => quote!(_q::Shape::Opaque),
        }
    }
}

/// The emitted types whose values can hold a member or enum value with a
/// special feature, found by iterating to a fixed point (types can be recursive).
fn hideable(plan: &Plan<'_>) -> HashSet<TypeId> {
    let schema = plan.schema;
    let mut set: HashSet<TypeId> = HashSet::new();
    let holds_hideable = |set: &HashSet<TypeId>, ty: TypeId| {
        let mut t = ty;
        while let DefKind::Array(a) = &schema.def(t).kind {
            t = a.element_type;
        }
        set.contains(&t)
    };
    loop {
        let before = set.len();
        for &id in &plan.types {
            if set.contains(&id) {
                continue;
            }
            let hit = match &schema.def(id).kind {
                DefKind::Object(o) => {
                    schema
                        .members(id)
                        .filter(|m| plan.holds(m.ifcond.as_ref()))
                        .any(|m| {
                            special_flags(plan, &m.features) != (false, false)
                                || holds_hideable(&set, m.ty)
                        })
                        || o.branches.as_ref().is_some_and(|b| {
                            b.variants
                                .iter()
                                .filter(|v| plan.holds(v.ifcond.as_ref()))
                                .any(|v| holds_hideable(&set, v.ty))
                        })
                }
                DefKind::Alternate(a) => a
                    .alternatives
                    .variants
                    .iter()
                    .filter(|v| plan.holds(v.ifcond.as_ref()))
                    .any(|v| holds_hideable(&set, v.ty)),
                DefKind::Enum(e) => e
                    .members
                    .iter()
                    .filter(|m| plan.holds(m.ifcond.as_ref()))
                    .any(|m| special_flags(plan, &m.features) != (false, false)),
                _ => false,
            };
            if hit {
                set.insert(id);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

//! Events: a type per event (its data) implementing
//! `qapi_runtime::command::Event`, and `AnyEvent`, every event as one
//! type implementing `EventSet`, with the messages a server sends.
//!
//! They land in an `events` module, beside the schema types they wrap.

use proc_macro2::{Ident, Literal, TokenStream};
use qapi_parser::schema::TypeId;
use quote::quote;

use super::commands::{outer_type, special};
use super::docs;
use super::literal::lit_str;
use super::plan::{ident, Plan};
use super::shapes::Shapes;
use crate::names::{self, Scope};

struct Ev<'a> {
    wire: &'a str,
    /// `wire` as a string literal.
    wire_lit: Literal,
    id: TypeId,
    /// The data's type, if the event has data.
    data: Option<TypeId>,
    ty: Ident,
    /// The event's condition as `#[cfg]`, with conditions as features.
    cfg: TokenStream,
}

fn events<'a>(plan: &'a Plan<'_>) -> Vec<Ev<'a>> {
    let mut scope = Scope::new();
    scope.reserve("AnyEvent");
    plan.schema
        .definitions()
        .filter(|(_, d)| plan.holds(d.ifcond.as_ref()))
        .filter_map(|(id, d)| {
            let e = d.as_event()?;
            let data = e
                .arg_type
                .filter(|&t| e.boxed || !plan.schema.is_empty_object(t));
            Some(Ev {
                wire: &d.name,
                wire_lit: lit_str(&d.name, true),
                id,
                data,
                ty: ident(&scope.claim(names::type_name(&d.name), "")),
                cfg: plan.cfg(&[d.ifcond.as_ref()]),
            })
        })
        .collect()
}

/// The `events` module.
pub fn module(plan: &Plan<'_>, shapes: &Shapes) -> TokenStream {
    let evs = events(plan);
    let types = evs
        .iter()
        .map(|e| super::emit::under_cfg(e.cfg.clone(), event_type(plan, e)));
    let tys: Vec<&Ident> = evs.iter().map(|e| &e.ty).collect();
    let cfgs: Vec<&TokenStream> = evs.iter().map(|e| &e.cfg).collect();
    let wires: Vec<&Literal> = evs.iter().map(|e| &e.wire_lit).collect();
    let variant_docs = evs
        .iter()
        .map(|e| lit_str(&format!(" `{}`.", e.wire), true));
    let (name_body, message_body) = if evs.is_empty() {
        (quote!(match *self {}), quote!(match *self {}))
    } else {
        (
            quote! {
                match self {
                    #(#cfgs AnyEvent::#tys(_) => #wires,)*
                }
            },
            {
                let arms = evs.iter().map(|e| {
                    let (ty, cfg) = (&e.ty, &e.cfg);
                    let shape = e.data.and_then(|d| shapes.shape_of(plan, d));
                    match shape {
                        Some(shape) => quote! {
                            #cfg AnyEvent::#ty(e) => {
                                let mut message = _q::message_under(e, timestamp, policy)?;
                                if let _q::Some(data) = message.get_mut("data") {
                                    _q::hide_output(data, #shape, policy);
                                }
                                _q::Some(message)
                            }
                        },
                        None => quote! {
                            #cfg AnyEvent::#ty(e) => _q::message_under(e, timestamp, policy),
                        },
                    }
                });
                quote!(match self { #(#arms)* })
            },
        )
    };
    // Without events the match has no arms to use the arguments.
    let (timestamp, policy) = if evs.is_empty() {
        (quote!(_timestamp), quote!(_policy))
    } else {
        (quote!(timestamp), quote!(policy))
    };
    let decode_body = if evs.is_empty() {
        quote! {
            let _ = (name, data);
            _q::None
        }
    } else {
        quote! {
            match name {
                #(#cfgs #wires => _q::Some(
                    _q::from_value_lenient(data).map(AnyEvent::#tys)
                ),)*
                _ => _q::None,
            }
        }
    };
    quote! {
        pub mod events {
            // Inner docs: their links resolve inside the module.
            //! The schema's events: a type for each (its data), and
            //! [`AnyEvent`], any of them.

            #[allow(unused_imports)]
            use super::_q;

            #(#types)*

            /// Any of the schema's events.
            #[derive(Debug, Clone, PartialEq)]
            pub enum AnyEvent {
                #(#[doc = #variant_docs] #cfgs #tys(#tys),)*
            }

            impl AnyEvent {
                /// The event's name on the wire.
                pub fn name(&self) -> &'static str {
                    #name_body
                }

                /// The message announcing the event, as QEMU sends it;
                /// `None` when `policy` hides the event.
                pub fn message(
                    &self,
                    #timestamp: _q::Timestamp,
                    #policy: &_q::CompatPolicy,
                ) -> _q::Option<_q::Value> {
                    #message_body
                }
            }

            impl _q::EventSet for AnyEvent {
                fn decode_event(
                    name: &str,
                    data: &_q::Value,
                ) -> _q::Option<_q::DecodeResult<Self>> {
                    #decode_body
                }
            }
        }
    }
}

fn event_type(plan: &Plan<'_>, e: &Ev<'_>) -> TokenStream {
    let doc = docs::definition(plan, plan.schema.doc_of(e.id));
    let ty = &e.ty;
    let wire = &e.wire_lit;
    let (any_special, features) = special(plan, &plan.schema.def(e.id).features);
    let features = any_special.then(|| quote!(, #features));
    let data = e.data.map(|data| outer_type(plan, data));
    let decl = match &data {
        Some(data) => quote!(pub struct #ty(pub #data);),
        None => quote!(pub struct #ty;),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #decl

        _q::event!(#ty(#data), #wire #features);
    }
}

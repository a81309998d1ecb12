//! Events: a type per event (its data) implementing
//! `qapi_runtime::command::Event`, and `AnyEvent`, every event as one
//! type implementing `EventSet`, with the messages a server sends.
//!
//! They land in an `events` module, beside the schema types they wrap.

use proc_macro2::{Ident, TokenStream};
use qapi_parser::schema::TypeId;
use quote::quote;

use super::commands::{outer_type, special};
use super::docs;
use super::plan::{ident, Plan};
use super::shapes::Shapes;
use crate::names::{self, Scope};

struct Ev<'a> {
    wire: &'a str,
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
    let wires: Vec<&str> = evs.iter().map(|e| e.wire).collect();
    let variant_docs = evs.iter().map(|e| format!(" `{}`.", e.wire));
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
                                let mut message = ::qapi_runtime::events::message_under(e, timestamp, policy)?;
                                if let ::std::option::Option::Some(data) = message.get_mut("data") {
                                    ::qapi_runtime::dispatch::hide_output(data, #shape, policy);
                                }
                                ::std::option::Option::Some(message)
                            }
                        },
                        None => quote! {
                            #cfg AnyEvent::#ty(e) => ::qapi_runtime::events::message_under(e, timestamp, policy),
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
            ::std::option::Option::None
        }
    } else {
        quote! {
            match name {
                #(#cfgs #wires => ::std::option::Option::Some(
                    ::qapi_runtime::decode::from_value_lenient(data).map(AnyEvent::#tys)
                ),)*
                _ => ::std::option::Option::None,
            }
        }
    };
    quote! {
        pub mod events {
            // Inner docs: their links resolve inside the module.
            //! The schema's events: a type for each (its data), and
            //! [`AnyEvent`], any of them.

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
                    #timestamp: ::qapi_runtime::events::Timestamp,
                    #policy: &::qapi_runtime::compat::CompatPolicy,
                ) -> ::std::option::Option<::qapi_runtime::serde_json::Value> {
                    #message_body
                }
            }

            impl ::qapi_runtime::command::EventSet for AnyEvent {
                fn decode_event(
                    name: &str,
                    data: &::qapi_runtime::serde_json::Value,
                ) -> ::std::option::Option<::qapi_runtime::decode::DecodeResult<Self>> {
                    #decode_body
                }
            }
        }
    }
}

fn event_type(plan: &Plan<'_>, e: &Ev<'_>) -> TokenStream {
    let doc = docs::definition(plan.schema.doc_of(e.id));
    let ty = &e.ty;
    let wire = e.wire;
    let (any_special, features) = special(plan, &plan.schema.def(e.id).features);
    let features_const = if any_special {
        quote!(const FEATURES: ::qapi_runtime::compat::SpecialFeatures = #features;)
    } else {
        TokenStream::new()
    };
    let (decl, serialize, decode, has_data) = match e.data {
        Some(data) => {
            let data = outer_type(plan, data);
            (
                quote!(pub struct #ty(pub #data);),
                quote!(::qapi_runtime::serde::Serialize::serialize(&self.0, s)),
                quote!(::qapi_runtime::decode::Decode::decode(input, d).map(#ty)),
                TokenStream::new(),
            )
        }
        None => (
            quote!(pub struct #ty;),
            quote!(::qapi_runtime::serde::Serializer::serialize_map(
                s,
                ::std::option::Option::Some(0)
            )
            .and_then(::qapi_runtime::serde::ser::SerializeMap::end)),
            // An event without data arrives with none, or an empty
            // object.
            quote! {
                ::qapi_runtime::decode::ObjectInput::new(input, d)?.finish(d)?;
                ::std::result::Result::Ok(#ty)
            },
            quote!(
                const HAS_DATA: bool = false;
            ),
        ),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #decl

        impl ::qapi_runtime::serde::Serialize for #ty {
            fn serialize<S: ::qapi_runtime::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl ::qapi_runtime::decode::Decode for #ty {
            fn decode(
                input: ::qapi_runtime::decode::Input<'_>,
                d: &mut ::qapi_runtime::decode::Decoder,
            ) -> ::qapi_runtime::decode::DecodeResult<Self> {
                #decode
            }
        }

        impl ::qapi_runtime::command::Event for #ty {
            const NAME: &'static str = #wire;
            #has_data
            #features_const
        }
    }
}

//! The server and client side of each command: a type per command that
//! implements `qapi_runtime::command::Command`, the `Handler` trait a
//! server implements, the table of what the schema says about each
//! command, and the `Dispatcher` that runs requests through a handler.
//!
//! Everything lands in a `commands` module, so that a command's type may
//! share its name with a schema type (`blockdev-backup` takes the type
//! `BlockdevBackup`); schema types are named through `super::`.

use proc_macro2::{Ident, Literal, TokenStream};
use qapi_parser::schema::{DefKind, Feature, TypeId};
use quote::quote;

use super::docs;
use super::literal::lit_str;
use super::moved::moved;
use super::plan::{ident, Plan};
use super::shapes::Shapes;
use crate::names::{self, Scope};

/// Names the module defines besides the commands' types.
const RESERVED: &[&str] = &["Handler", "Dispatcher", "COMMANDS"];

/// The Rust type of a value of type `id`, seen from a submodule.
pub fn outer_type(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    match &plan.schema.def(id).kind {
        DefKind::Builtin(_) => plan.rust_type(id),
        DefKind::Array(a) => {
            let elem = outer_type(plan, a.element_type);
            quote!(_q::Vec<#elem>)
        }
        _ => {
            let name = plan.type_ident(id);
            quote!(super::#name)
        }
    }
}

/// Whether `features` hold `deprecated` and `unstable` (under the
/// configuration).
pub fn special_flags(plan: &Plan<'_>, features: &[Feature]) -> (bool, bool) {
    let has = |name: &str| {
        features
            .iter()
            .any(|f| f.name == name && plan.holds(f.ifcond.as_ref()))
    };
    (has("deprecated"), has("unstable"))
}

/// The name of the `SpecialFeatures` constant for `features`, if any is
/// special.
pub fn special_name(plan: &Plan<'_>, features: &[Feature]) -> Option<Ident> {
    let name = match special_flags(plan, features) {
        (false, false) => return None,
        (true, false) => "DEPRECATED",
        (false, true) => "UNSTABLE",
        (true, true) => "DEPRECATED_UNSTABLE",
    };
    Some(ident(name))
}

/// The `deprecated` and `unstable` features among `features`, as a
/// `SpecialFeatures` value, and whether there is any.
pub fn special(plan: &Plan<'_>, features: &[Feature]) -> (bool, TokenStream) {
    match special_name(plan, features) {
        Some(name) => (true, quote!(_q::SpecialFeatures::#name)),
        None => (false, quote!(_q::SpecialFeatures::NONE)),
    }
}

/// One command as emitted.
struct Cmd<'a> {
    wire: &'a str,
    /// `wire` as a string literal.
    wire_lit: Literal,
    id: TypeId,
    command: &'a qapi_parser::schema::Command,
    /// The command's type.
    ty: Ident,
    method: Ident,
    info: Ident,
    /// The command's condition as `#[cfg]`, with conditions as features.
    cfg: TokenStream,
}

fn commands<'a>(plan: &'a Plan<'_>) -> Vec<Cmd<'a>> {
    // A command's unit or tuple struct is a value too, so types and
    // statics share one scope (command `x` gets type `X`, static `X_2`).
    let mut items = Scope::new();
    for r in RESERVED {
        items.reserve(r);
    }
    let mut methods = Scope::new();
    plan.schema
        .definitions()
        .filter(|(_, d)| plan.holds(d.ifcond.as_ref()))
        .filter_map(|(id, d)| {
            let command = d.as_command()?;
            let ty = items.claim(names::type_name(&d.name), "");
            let snake = names::field_name(&d.name);
            let info = items.claim(snake.trim_start_matches("r#").to_uppercase(), "_");
            let method = methods.claim(snake, "_");
            Some(Cmd {
                wire: &d.name,
                wire_lit: lit_str(&d.name, true),
                id,
                command,
                ty: ident(&ty),
                method: ident(&method),
                info: ident(&info),
                cfg: plan.cfg(&[d.ifcond.as_ref()]),
            })
        })
        .collect()
}

/// The `commands` module.
pub fn module(plan: &Plan<'_>, shapes: &Shapes) -> TokenStream {
    let cmds = commands(plan);
    let types = cmds
        .iter()
        .map(|c| moved(super::emit::under_cfg(c.cfg.clone(), command_type(plan, c))));
    let infos = cmds.iter().map(|c| {
        let cfg = &c.cfg;
        let info = moved(info_static(plan, c));
        moved(quote!(#cfg #info))
    });
    let info_names: Vec<&Ident> = cmds.iter().map(|c| &c.info).collect();
    let wires: Vec<&Literal> = cmds.iter().map(|c| &c.wire_lit).collect();
    let cfgs: Vec<&TokenStream> = cmds.iter().map(|c| &c.cfg).collect();
    let methods = cmds.iter().map(|c| moved(handler_method(plan, c)));
    let arms = cmds.iter().map(|c| moved(dispatch_arm(plan, shapes, c)));
    let command_fn = moved(if cmds.is_empty() {
        quote! {
            fn command(&self, _name: &str) -> _q::Option<&'static _q::CommandInfo> {
                _q::None
            }
        }
    } else {
        quote! {
            fn command(&self, name: &str) -> _q::Option<&'static _q::CommandInfo> {
                match name {
                    #(#cfgs #wires => _q::Some(&#info_names),)*
                    _ => _q::None,
                }
            }
        }
    });
    let (handler_var, args_var) = if cmds.is_empty() {
        (quote!(_handler), quote!(_arguments))
    } else {
        (quote!(handler), quote!(arguments))
    };
    let not_found = quote!(_q::Err(_q::not_found(command.name)));
    // A `match` of the one catch-all arm is clippy's match_single_binding.
    let call_body = moved(if cmds.is_empty() {
        not_found
    } else {
        quote! {
            match command.name {
                #(#arms)*
                _ => #not_found,
            }
        }
    });
    let uses_policy = cmds.iter().any(|c| {
        c.command.gen && (args_type(plan, c).is_some() || returns_shape(plan, shapes, c).is_some())
    });
    let policy_var = if uses_policy {
        quote!(policy)
    } else {
        quote!(_policy)
    };
    quote! {
        pub mod commands {
            // Inner docs: their links resolve inside the module.
            //! The schema's commands: a type for each (its arguments, as a
            //! client sends them), the [`Handler`] a server implements, and
            //! the [`Dispatcher`] that answers requests through it.

            #[allow(unused_imports)]
            use super::_q;

            #(#types)*

            #(#infos)*

            /// What the schema says about every command, in its order.
            pub static COMMANDS: &[&_q::CommandInfo] = &[#(#cfgs &#info_names),*];

            /// A server's commands. Every method answers, unless
            /// overridden, as QEMU does for a command it lacks; methods
            /// take `&self` so that one handler can serve many
            /// connections and threads.
            pub trait Handler {
                #(#methods)*
            }

            /// Answers requests through a [`Handler`]; use it with a
            /// `qapi_runtime::dispatch::Session` per connection.
            #[derive(Debug, Clone, Default)]
            pub struct Dispatcher<H>(pub H);

            impl<H: Handler> _q::Dispatch for Dispatcher<H> {
                #command_fn

                fn call(
                    &self,
                    command: &'static _q::CommandInfo,
                    #args_var: &_q::Map<_q::String, _q::Value>,
                    #policy_var: &_q::CompatPolicy,
                ) -> _q::QmpResult<_q::Value> {
                    let #handler_var = &self.0;
                    #call_body
                }
            }
        }
    }
}

/// The Rust type of the command's arguments, if it takes any.
fn args_type(plan: &Plan<'_>, c: &Cmd<'_>) -> Option<TokenStream> {
    let arg = c.command.arg_type?;
    (!plan.schema.is_empty_object(arg) || c.command.boxed).then(|| outer_type(plan, arg))
}

fn returns_type(plan: &Plan<'_>, c: &Cmd<'_>) -> TokenStream {
    match c.command.ret_type {
        Some(r) => outer_type(plan, r),
        None => quote!(()),
    }
}

fn command_type(plan: &Plan<'_>, c: &Cmd<'_>) -> TokenStream {
    let doc = moved(docs::definition(plan, plan.schema.doc_of(c.id)));
    let ty = &c.ty;
    let wire = &c.wire_lit;
    let returns = moved(returns_type(plan, c));
    let args = args_type(plan, c);
    let decl = moved(match &args {
        Some(args) => quote!(pub struct #ty(pub #args);),
        None => quote!(pub struct #ty;),
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #decl

        _q::command!(#ty(#args), #wire, #returns);
    }
}

fn info_static(plan: &Plan<'_>, c: &Cmd<'_>) -> TokenStream {
    let def = plan.schema.def(c.id);
    let info = &c.info;
    let wire = &c.wire_lit;
    let k = c.command;
    // Only what differs from a command's defaults (`CommandInfo::new`)
    // is spelled out: most commands have none of these flags.
    let mut flags = Vec::new();
    if let Some(special) = special_name(plan, &def.features) {
        flags.push(quote!(features: _q::SpecialFeatures::#special));
    }
    for (set, field, value) in [
        (!k.success_response, "success_response", false),
        (k.allow_oob, "allow_oob", true),
        (k.allow_preconfig, "allow_preconfig", true),
        (k.coroutine, "coroutine", true),
        (!k.gen, "gen", false),
    ] {
        if set {
            let field = ident(field);
            flags.push(quote!(#field: #value));
        }
    }
    let value = if flags.is_empty() {
        quote!(_q::CommandInfo::new(#wire))
    } else {
        quote!(_q::CommandInfo { #(#flags,)* .._q::CommandInfo::new(#wire) })
    };
    let doc = lit_str(&format!(" `{}`.", c.wire), true);
    quote! {
        #[doc = #doc]
        pub static #info: _q::CommandInfo = #value;
    }
}

/// The raw arguments a `gen: false` command's handler gets.
fn raw_args() -> TokenStream {
    quote!(&_q::Map<_q::String, _q::Value>)
}

fn handler_method(plan: &Plan<'_>, c: &Cmd<'_>) -> TokenStream {
    let cfg = &c.cfg;
    // The command's documentation is on its type: the method links there.
    let doc = lit_str(&format!(" Runs [`{}`](`{}`).", c.wire, c.ty), true);
    let doc = moved(quote!(#cfg #[doc = #doc]));
    let method = &c.method;
    let wire = &c.wire_lit;
    let not_found = quote! {
        _q::Err(_q::not_found(#wire))
    };
    if !c.command.gen {
        let raw = raw_args();
        return quote! {
            #doc
            ///
            /// The schema leaves this command's arguments and reply to
            /// the handler (`gen: false`).
            fn #method(&self, arguments: #raw) -> _q::QmpResult<_q::Value> {
                let _ = arguments;
                #not_found
            }
        };
    }
    let returns = moved(returns_type(plan, c));
    // query-qmp-schema is answered from the generated introspection data.
    let body = moved(
        if c.wire == "query-qmp-schema" && c.command.ret_type.is_some() {
            quote! {
                _q::Decode::from_value(super::introspection::qmp_schema())
                    .map_err(_q::Error::from)
            }
        } else {
            not_found
        },
    );
    match args_type(plan, c).map(moved) {
        Some(args) => quote! {
            #doc
            fn #method(&self, arguments: #args) -> _q::QmpResult<#returns> {
                let _ = arguments;
                #body
            }
        },
        None => quote! {
            #doc
            fn #method(&self) -> _q::QmpResult<#returns> {
                #body
            }
        },
    }
}

/// Where the command's return value holds members output may hide.
fn returns_shape(plan: &Plan<'_>, shapes: &Shapes, c: &Cmd<'_>) -> Option<TokenStream> {
    shapes.shape_of(plan, c.command.ret_type?)
}

fn dispatch_arm(plan: &Plan<'_>, shapes: &Shapes, c: &Cmd<'_>) -> TokenStream {
    let cfg = &c.cfg;
    let wire = &c.wire_lit;
    let method = &c.method;
    if !c.command.gen {
        return quote! {
            #cfg #wire => handler.#method(arguments),
        };
    }
    // The decoder applies the input policy member by member, in QEMU's
    // order.
    let (decode, call) = match args_type(plan, c).map(moved) {
        Some(args) => (
            quote!(let arguments: #args = _q::decode_arguments(arguments, policy)?;),
            quote!(handler.#method(arguments)?),
        ),
        None => (
            quote!(_q::no_arguments(arguments)?;),
            quote!(handler.#method()?),
        ),
    };
    let (decode, call) = (moved(decode), moved(call));
    let reply = moved(
        if let Some(shape) = returns_shape(plan, shapes, c).map(moved) {
            quote! {
                let value = #call;
                let mut value = _q::encode_reply(&value)?;
                _q::hide_output(&mut value, #shape, policy);
                _q::Ok(value)
            }
        } else if c.command.ret_type.is_some() {
            quote! {
                let value = #call;
                _q::encode_reply(&value)
            }
        } else {
            // QMP answers `{}` for a command without `returns`.
            quote! {
                #call;
                _q::Ok(_q::Value::Object(_q::Map::new()))
            }
        },
    );
    quote! {
        #cfg #wire => {
            #decode
            #reply
        }
    }
}

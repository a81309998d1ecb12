//! Emitting each kind of type, with its QMP input (`Decode`) and output
//! (`Serialize`).

use proc_macro2::TokenStream;
use qapi_parser::schema::{DefKind, JsonType, Member, TypeId};
use quote::quote;

use super::commands::special_name;
use super::docs;
use super::literal::lit_str;
use super::moved::{moved, Moved};
use super::plan::{ident, Plan};

/// The file's inner attributes, and the short name generated code
/// gives the runtime.
pub fn header() -> TokenStream {
    quote! {
        // Doc text is QEMU's prose, whose line breaks and lists Markdown
        // lints misread; unions hold branches of very different sizes,
        // as the schema defines them; unformatted output puts `} if` on
        // one line.
        #![allow(
            clippy::possible_missing_else,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            clippy::large_enum_variant
        )]

        // Generated code names the runtime (and std) through `_q`.
        #[allow(unused_imports)]
        use ::qapi_runtime::__gen as _q;
    }
}

/// The items of one type, under its condition.
pub fn type_item(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let def = plan.schema.def(id);
    let items = match &def.kind {
        DefKind::Enum(_) => enum_type(plan, id),
        DefKind::Object(o) if o.branches.is_some() => union_type(plan, id),
        DefKind::Object(_) => struct_type(plan, id),
        DefKind::Alternate(_) => alternate_type(plan, id),
        _ => TokenStream::new(),
    };
    under_cfg(plan.cfg(&[def.ifcond.as_ref()]), items)
}

/// Puts `cfg` (a `#[cfg]` attribute, or nothing) on every item of
/// `items`, so that a definition's impls come and go with it.
pub fn under_cfg(cfg: TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter().map(|item| quote!(#cfg #item));
            quote!(#(#items)*)
        }
        // Left as is, the tokens fail where the whole file is parsed,
        // with the error located.
        Err(_) => items,
    }
}

fn enum_type(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let def = plan.schema.def(id);
    let Some(e) = def.as_enum() else {
        return TokenStream::new();
    };
    let name = plan.type_ident(id);
    // (value, variant, #[cfg] of its condition)
    let members: Vec<_> = e
        .members
        .iter()
        .filter_map(|m| {
            let v = plan.variant_ident(id, &m.name)?;
            Some((m, v, plan.cfg(&[m.ifcond.as_ref()])))
        })
        .collect();
    let variants = members.iter().map(|(m, v, cfg)| {
        let d = moved(docs::value_doc(plan, id, m));
        moved(quote!(#d #cfg #v,))
    });
    let values = members.iter().map(|(m, v, cfg)| {
        let wire = lit_str(&m.name, true);
        moved(quote!(#cfg #v = #wire,))
    });
    let special: Vec<TokenStream> = members
        .iter()
        .filter_map(|(m, v, cfg)| {
            let special = special_name(plan, &m.features)?;
            Some(quote!(#cfg #v: #special,))
        })
        .collect();
    let special = (!special.is_empty()).then(|| moved(quote!(special { #(#special)* })));
    let def_doc = moved(docs::type_doc(plan, id));
    quote! {
        #def_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name { #(#variants)* }

        _q::enum_impls!(#name { #(#values)* } #special);
    }
}

/// A member as a struct field, with the `#[cfg]` of its condition, its
/// wire name as a literal, and how it is read and written.
struct Field<'a> {
    member: &'a Member,
    ident: proc_macro2::Ident,
    cfg: TokenStream,
    wire: proc_macro2::Literal,
    how: proc_macro2::Ident,
}

/// The fields of object type `owner`, in member order.
fn fields<'s>(plan: &Plan<'s>, owner: TypeId) -> Vec<Field<'s>> {
    plan.schema
        .members(owner)
        .filter_map(|member| {
            Some(Field {
                member,
                ident: ident(plan.field_name(owner, &member.name)?),
                cfg: plan.cfg(&[member.ifcond.as_ref()]),
                wire: lit_str(&member.name, true),
                how: how(plan, member),
            })
        })
        .collect()
}

/// The field declarations, each to be moved once into the struct's body.
fn field_decls<'f, 's: 'f>(
    plan: &Plan<'_>,
    owner: TypeId,
    fields: impl IntoIterator<Item = &'f Field<'s>>,
) -> Vec<Moved> {
    let decls = fields.into_iter().map(|f| {
        let m = f.member;
        let d = moved(docs::field_doc(plan, owner, m));
        let ty = moved(plan.rust_type_in(owner, m.ty));
        let (name, cfg) = (&f.ident, &f.cfg);
        moved(if m.optional {
            quote!(#d #cfg pub #name: _q::Option<#ty>,)
        } else {
            quote!(#d #cfg pub #name: #ty,)
        })
    });
    decls.collect()
}

/// The local variable a union's member `i` is read into (locals cannot
/// take the fields' names, which may be `input` or `decoder`).
fn local(i: usize) -> proc_macro2::Ident {
    ident(&format!("m{i}"))
}

/// How `member` is read and written: the name of the `ObjectInput`
/// method (and `_q` function) for it. A `size` is read apart from other
/// unsigned integers, for keyval input's suffixes.
fn how(plan: &Plan<'_>, member: &Member) -> proc_macro2::Ident {
    let def = plan.schema.def(member.ty);
    let size = matches!(def.kind, DefKind::Builtin(_)) && def.name == "size";
    let how = match (member.optional, size) {
        (true, false) => "optional",
        (false, false) => "required",
        (true, true) => "optional_size",
        (false, true) => "required_size",
    };
    ident(how)
}

fn struct_type(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let name = plan.type_ident(id);
    let def_doc = moved(docs::type_doc(plan, id));
    let fields = fields(plan, id);
    let decls = field_decls(plan, id, &fields);
    let members = fields.iter().map(|f| {
        let (field, cfg, wire, how) = (&f.ident, &f.cfg, &f.wire, &f.how);
        moved(match special_name(plan, &f.member.features) {
            Some(special) => quote!(, #cfg #how(#field, #wire, #special)),
            None => quote!(, #cfg #how(#field, #wire)),
        })
    });
    // Arguments made of optional members only are built from
    // `..Default::default()`.
    let derives = moved(if plan.all_optional(id) {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    });
    quote! {
        #def_doc
        #derives
        pub struct #name { #(#decls)* }

        _q::members!(object #name #(#members)*);
    }
}

/// A union: a struct of the common members, whose `branch` field is an
/// enum of the branches; the discriminator is the branch itself.
fn union_type(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let schema = plan.schema;
    let def = schema.def(id);
    let Some(branches) = def.as_object().and_then(|o| o.branches.as_ref()) else {
        return TokenStream::new();
    };
    let Some(tag) = schema.tag_member(branches) else {
        return TokenStream::new();
    };
    let tag_enum = tag.ty;
    let tag_ty = plan.type_ident(tag_enum);
    let name = plan.type_ident(id);
    let branch_type = plan.branch_type_name(id);
    let branch_name = ident(&branch_type);
    let def_doc = moved(docs::type_doc(plan, id));
    // Members are read and written in the schema's order, the
    // discriminator among them; it is not a field of its own.
    let all_fields = fields(plan, id);
    let tag_wire = lit_str(&tag.name, true);
    let decls = field_decls(
        plan,
        id,
        all_fields.iter().filter(|f| f.member.name != tag.name),
    );

    let tag_values = schema.def(tag_enum).as_enum().map(|e| &e.members);
    // (variant, payload type if the branch adds members, #[cfg]): a
    // branch exists under its own and its discriminator value's
    // conditions.
    let variants: Vec<_> = branches
        .variants
        .iter()
        .filter(|v| plan.holds(v.ifcond.as_ref()))
        .filter_map(|v| {
            let vi = plan.variant_ident(tag_enum, &v.name)?;
            let payload = (!schema.is_empty_object(v.ty)).then(|| plan.rust_type_in(id, v.ty));
            let value_cond = tag_values
                .and_then(|ms| ms.iter().find(|m| m.name == v.name))
                .and_then(|m| m.ifcond.as_ref());
            let conds = [value_cond, v.ifcond.as_ref()];
            Some((v, vi, payload, conds))
        })
        .collect();
    let variant_decls = variants.iter().map(|(v, vi, p, conds)| {
        let d = moved(docs::branch_doc(
            plan,
            id,
            v,
            Some(branch_type.clone()),
            conds,
        ));
        let cfg = plan.cfg(conds);
        moved(match p {
            Some(p) => quote!(#d #cfg #vi(#p),),
            None => quote!(#d #cfg #vi,),
        })
    });
    let tag_arms = variants.iter().map(|(_, vi, p, conds)| {
        let cfg = plan.cfg(conds);
        moved(match p {
            Some(_) => quote!(#cfg #branch_name::#vi(_) => #tag_ty::#vi,),
            None => quote!(#cfg #branch_name::#vi => #tag_ty::#vi,),
        })
    });
    // A discriminator value whose branch is configured out (the value
    // being configured in) is refused as QEMU refuses unknown values
    // (QEMU's own visitor would abort).
    let value_without_branch = branches.variants.iter().any(|v| {
        let value_cond = tag_values
            .and_then(|ms| ms.iter().find(|m| m.name == v.name))
            .and_then(|m| m.ifcond.as_ref());
        if plan.cfg_features() {
            v.ifcond.is_some() && v.ifcond.as_ref() != value_cond
        } else {
            plan.holds(value_cond) && !plan.holds(v.ifcond.as_ref())
        }
    });
    let missing_branch = value_without_branch.then(|| {
        moved(quote! {
            #[allow(unreachable_patterns)]
            _ => {
                return _q::Err(decoder.at_key(#tag_wire, |d| d.bad_enum_value(tag.as_str())));
            }
        })
    });
    let decode_arms = variants.iter().map(|(_, vi, p, conds)| {
        let cfg = plan.cfg(conds);
        moved(match p {
            Some(_) => quote! {
                #cfg #tag_ty::#vi => #branch_name::#vi(
                    _q::DecodeMembers::decode_members(input, decoder)?
                ),
            },
            None => quote!(#cfg #tag_ty::#vi => #branch_name::#vi,),
        })
    });
    let serialize_arms = variants.iter().map(|(_, vi, p, conds)| {
        let cfg = plan.cfg(conds);
        moved(match p {
            Some(_) => quote! {
                #cfg #branch_name::#vi(v) => _q::SerializeMembers::serialize_members(v, map)?,
            },
            None => quote!(#cfg #branch_name::#vi => {}),
        })
    });
    let decodes = all_fields.iter().enumerate().map(|(i, f)| {
        let (cfg, how, wire) = (&f.cfg, &f.how, &f.wire);
        // The policy is checked where QEMU's visitor checks it: on
        // reaching the member, before its value.
        let check = special_name(plan, &f.member.features).map(|special| {
            moved(quote!(#cfg _q::policy::#how(input, #wire, _q::SpecialFeatures::#special, decoder)?;))
        });
        moved(if f.member.name == tag.name {
            quote!(#check let tag: #tag_ty = input.required(#tag_wire, decoder)?;)
        } else {
            let local = local(i);
            quote!(#check #cfg let #local = input.#how(#wire, decoder)?;)
        })
    });
    let serializes = all_fields.iter().map(|f| {
        moved(if f.member.name == tag.name {
            quote!(map.serialize_entry(#tag_wire, &self.branch.tag())?;)
        } else {
            let (cfg, field, how, wire) = (&f.cfg, &f.ident, &f.how, &f.wire);
            quote!(#cfg _q::#how(map, #wire, &self.#field)?;)
        })
    });
    let inits = all_fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.member.name != tag.name)
        .map(|(i, f)| {
            let (field, local) = (&f.ident, local(i));
            let cfg = &f.cfg;
            moved(quote!(#cfg #field: #local,))
        });
    let branch_doc = lit_str(
        &format!(" The branches of [`{name}`], by `{}`.", tag.name),
        true,
    );
    // The discriminator is this field: its description goes here.
    let tag_doc = docs::field_doc(plan, id, tag);
    let tag_doc = moved(if tag_doc.is_empty() {
        tag_doc
    } else {
        let tag_doc = moved(tag_doc);
        quote!(#[doc = ""] #tag_doc)
    });
    quote! {
        #def_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#decls)*
            /// The branch the discriminator selects, with its members.
            #tag_doc
            pub branch: #branch_name,
        }

        #[doc = #branch_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #branch_name { #(#variant_decls)* }

        impl #branch_name {
            /// The discriminator's value.
            pub fn tag(&self) -> #tag_ty {
                match self { #(#tag_arms)* }
            }
        }

        impl _q::DecodeMembers for #name {
            fn decode_members(
                input: &mut _q::ObjectInput<'_>,
                decoder: &mut _q::Decoder,
            ) -> _q::DecodeResult<Self> {
                #(#decodes)*
                let branch = match tag { #(#decode_arms)* #missing_branch };
                _q::Ok(#name { #(#inits)* branch })
            }
        }

        impl _q::SerializeMembers for #name {
            fn serialize_members<M: _q::SerializeMap>(
                &self,
                map: &mut M,
            ) -> _q::Result<(), M::Error> {
                #(#serializes)*
                match &self.branch { #(#serialize_arms)* }
                _q::Ok(())
            }
        }

        _q::object!(#name);
    }
}

/// The JSON kind an alternate's branch of this type is chosen by.
fn json_kind(plan: &Plan<'_>, ty: TypeId) -> TokenStream {
    let kind = match plan.schema.def(ty).json_type() {
        Some(JsonType::String) => quote!(String),
        Some(JsonType::Number | JsonType::Int) => quote!(Number),
        Some(JsonType::Boolean) => quote!(Boolean),
        Some(JsonType::Null) => quote!(Null),
        Some(JsonType::Array) => quote!(Array),
        // The check allows no `any` branch, so the rest are objects.
        _ => quote!(Object),
    };
    quote!(_q::JsonKind::#kind)
}

/// An alternate: an enum whose branch is chosen by the value's JSON type,
/// as QEMU's input visitor chooses by QType.
fn alternate_type(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let schema = plan.schema;
    let def = schema.def(id);
    let Some(alt) = def.as_alternate() else {
        return TokenStream::new();
    };
    let name = plan.type_ident(id);
    let wire_name = lit_str(&def.name, true);
    let def_doc = moved(docs::type_doc(plan, id));
    let variants: Vec<_> = alt
        .alternatives
        .variants
        .iter()
        .filter_map(|v| {
            let vi = plan.variant_ident(id, &v.name)?;
            let cfg = plan.cfg(&[v.ifcond.as_ref()]);
            Some((
                v,
                vi,
                plan.rust_type_in(id, v.ty),
                json_kind(plan, v.ty),
                cfg,
            ))
        })
        .collect();
    let decls = variants.iter().map(|(v, vi, ty, _, cfg)| {
        let d = moved(docs::branch_doc(plan, id, v, None, &[v.ifcond.as_ref()]));
        moved(quote!(#d #cfg #vi(#ty),))
    });
    let ser = variants.iter().map(|(_, vi, _, _, cfg)| {
        moved(quote!(#cfg #name::#vi(v) => _q::Serialize::serialize(v, s),))
    });
    let dec = variants.iter().map(|(_, vi, _, kind, cfg)| {
        moved(quote! {
            #cfg #kind => _q::Ok(#name::#vi(_q::Decode::decode(input, decoder)?)),
        })
    });
    quote! {
        #def_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#decls)* }

        impl _q::Serialize for #name {
            fn serialize<S: _q::Serializer>(&self, s: S) -> _q::Result<S::Ok, S::Error> {
                match self { #(#ser)* }
            }
        }

        impl _q::Decode for #name {
            fn decode(
                input: _q::Input<'_>,
                decoder: &mut _q::Decoder,
            ) -> _q::DecodeResult<Self> {
                match input.kind() {
                    #(#dec)*
                    _ => _q::Err(decoder.invalid_alternate(#wire_name)),
                }
            }
        }
    }
}

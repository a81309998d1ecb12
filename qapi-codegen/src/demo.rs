//! The thin first generator: a module that lists a schema's commands and
//! enumeration types, enough to run the pipeline from schema to compiled
//! Rust end to end. Later generators replace it with real bindings.

use proc_macro2::TokenStream;
use qapi_parser::schema::DefKind;
use qapi_parser::Schema;
use quote::quote;

/// What the listing shows of a schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Command names, in definition order.
    pub commands: Vec<String>,
    /// Enumeration types, in definition order.
    pub enums: Vec<EnumListing>,
}

/// One enumeration type: its name and its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumListing {
    pub name: String,
    pub values: Vec<String>,
}

impl Listing {
    /// Collects the listing of a checked schema.
    pub fn from_schema(schema: &Schema) -> Listing {
        let mut listing = Listing::default();
        // Built-in and implicit definitions are QEMU's, not the schema's.
        let written = schema
            .definitions()
            .map(|(_, def)| def)
            .filter(|def| def.info.is_some() && !def.is_implicit());
        for def in written {
            match &def.kind {
                DefKind::Command(_) => listing.commands.push(def.name.clone()),
                DefKind::Enum(e) => listing.enums.push(EnumListing {
                    name: def.name.clone(),
                    values: e.member_names().map(str::to_owned).collect(),
                }),
                _ => {}
            }
        }
        listing
    }

    /// The listing as Rust tokens.
    pub fn to_tokens(&self) -> TokenStream {
        let commands = &self.commands;
        let enums = self.enums.iter().map(|e| {
            let name = &e.name;
            let values = &e.values;
            quote! { EnumType { name: #name, values: &[#(#values),*] } }
        });
        quote! {
            /// An enumeration type of the schema.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct EnumType {
                /// The type's name in the schema.
                pub name: &'static str,
                /// Its values, as they appear on the wire.
                pub values: &'static [&'static str],
            }

            /// The schema's commands, in definition order.
            pub const COMMANDS: &[&str] = &[#(#commands),*];

            /// The schema's enumeration types, in definition order.
            pub const ENUMS: &[EnumType] = &[#(#enums),*];
        }
    }
}

/// Generates the listing module for `schema` as formatted Rust source;
/// `source` names the schema file in the header.
pub fn generate(schema: &Schema, source: &str) -> syn::Result<String> {
    crate::render::rust_file(Listing::from_schema(schema).to_tokens(), source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_renders_commands_and_enums() {
        let listing = Listing {
            commands: vec!["quit".into(), "query-version".into()],
            enums: vec![EnumListing {
                name: "OnOffAuto".into(),
                values: vec!["auto".into(), "on".into(), "off".into()],
            }],
        };
        let text = crate::render::rust_file(listing.to_tokens(), "s.json").unwrap_or_default();
        assert!(text.contains(r#"pub const COMMANDS: &[&str] = &["quit", "query-version"];"#));
        assert!(text.contains(r#"name: "OnOffAuto""#));
        assert!(text.contains(r#"values: &["auto", "on", "off"]"#));
    }

    #[test]
    fn empty_listing_is_valid_rust() {
        let text = crate::render::rust_file(Listing::default().to_tokens(), "s.json");
        assert!(text.is_ok());
    }
}

//! `query-qmp-schema`'s reply as generated data, computed by the front
//! end's introspection under the same configuration as the bindings.

use proc_macro2::TokenStream;
use qapi_parser::introspect::{introspect, to_json, Options};
use quote::quote;

use qapi_parser::Schema;

use super::literal::lit_str;
use super::moved::moved;

/// The `introspection` module. The JSON is a raw string, line breaks
/// and all, in unformatted output too: escaping its every quote took as
/// long as making it.
pub fn module(schema: &Schema, cfg: Option<&[String]>) -> TokenStream {
    let entries = introspect(schema, &Options::default());
    let json = moved(lit_str(&to_json(&entries, cfg), false));
    quote! {
        /// What `query-qmp-schema` returns for the schema.
        pub mod introspection {
            /// The reply's value as JSON text, QEMU's `SchemaInfo` list
            /// with type names masked as QEMU masks them.
            pub const QMP_SCHEMA_JSON: &str = #json;

            /// [`QMP_SCHEMA_JSON`] as a value, parsed on first use.
            pub fn qmp_schema() -> &'static ::qapi_runtime::serde_json::Value {
                static VALUE: ::std::sync::OnceLock<::qapi_runtime::serde_json::Value> =
                    ::std::sync::OnceLock::new();
                // The text is the generator's own JSON (tests parse it),
                // so the fallback is never taken.
                VALUE.get_or_init(|| {
                    ::qapi_runtime::serde_json::from_str(QMP_SCHEMA_JSON)
                        .unwrap_or(::qapi_runtime::serde_json::Value::Null)
                })
            }
        }
    }
}

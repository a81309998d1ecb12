//! Token streams that `quote!` moves into place. Interpolating a
//! `TokenStream` with `#x` copies it token by token (each identifier and
//! literal a fresh allocation) and the original is then dropped: for the
//! large items of a schema that copying is much of the generator's time.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// A token stream to be interpolated once, by moving it.
pub struct Moved(Cell<Option<TokenStream>>);

/// Wraps `tokens` to be moved by the one `quote!` that interpolates it.
pub fn moved(tokens: TokenStream) -> Moved {
    Moved(Cell::new(Some(tokens)))
}

impl ToTokens for Moved {
    fn to_tokens(&self, out: &mut TokenStream) {
        let tokens = self.0.take();
        debug_assert!(tokens.is_some(), "moved tokens interpolated twice");
        out.extend(tokens);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn moved_tokens_land_where_interpolated() {
        let inner = super::moved(quote!(a: u8, b: u16,));
        let parts = [quote!(x), quote!(y)].map(super::moved);
        let tokens = quote!(struct S { #inner } fn f() { #(#parts;)* });
        assert_eq!(
            tokens.to_string(),
            quote!(
                struct S {
                    a: u8,
                    b: u16,
                }
                fn f() {
                    x;
                    y;
                }
            )
            .to_string()
        );
    }
}

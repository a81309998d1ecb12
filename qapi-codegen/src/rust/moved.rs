//! Token streams that `quote!` moves into place. Interpolating a
//! `TokenStream` with `#x` copies it token by token (each identifier and
//! literal a fresh allocation) and the original is then dropped: for the
//! large items of a schema that copying is much of the generator's time.

use std::cell::Cell;

use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::ToTokens;

/// Tokens to be interpolated once, by moving them.
pub struct Moved<T: Movable = TokenStream>(Cell<Option<T>>);

/// Wraps `tokens` (a stream, or a literal: doc texts are large) to be
/// moved by the one `quote!` that interpolates it.
pub fn moved<T: Movable>(tokens: T) -> Moved<T> {
    Moved(Cell::new(Some(tokens)))
}

/// What can be moved into a stream.
pub trait Movable {
    fn move_into(self, out: &mut TokenStream);
}

impl Movable for TokenStream {
    fn move_into(self, out: &mut TokenStream) {
        out.extend(std::iter::once(self));
    }
}

impl Movable for Literal {
    fn move_into(self, out: &mut TokenStream) {
        out.extend(std::iter::once(TokenTree::Literal(self)));
    }
}

impl<T: Movable> ToTokens for Moved<T> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let tokens = self.0.take();
        debug_assert!(tokens.is_some(), "moved tokens interpolated twice");
        if let Some(tokens) = tokens {
            tokens.move_into(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn moved_tokens_land_where_interpolated() {
        let inner = super::moved(quote!(a: u8, b: u16,));
        let parts = [quote!(x), quote!(y)].map(super::moved);
        let text = super::moved(proc_macro2::Literal::string("t"));
        let tokens = quote!(struct S { #inner } fn f() { #(#parts;)* } const T: &str = #text;);
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
                const T: &str = "t";
            )
            .to_string()
        );
    }
}

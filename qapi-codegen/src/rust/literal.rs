//! String literal tokens written straight from their value. Most of the
//! generated text is documentation, and `Literal::string` escapes it one
//! character at a time.

use proc_macro2::Literal;

/// A string literal token of value `text`: plain when nothing in it
/// needs escaping; otherwise raw, unless `one_line` asks for line breaks
/// escaped (for unformatted code, which stays on one line); then only
/// quotes, backslashes and line breaks are escaped.
pub fn lit_str(text: &str, one_line: bool) -> Literal {
    let bytes = text.as_bytes();
    let plain = !bytes
        .iter()
        .any(|&b| matches!(b, b'"' | b'\\' | 0..=0x1f | 0x7f | 0xc2));
    // A raw string cannot hold a carriage return.
    let raw = !(plain || bytes.contains(&b'\r') || one_line && bytes.contains(&b'\n'));
    let repr = if raw {
        Some(raw_repr(text))
    } else {
        escaped_repr(text)
    };
    match repr {
        Some(repr) => from_repr(&repr),
        None => Literal::string(text),
    }
}

/// The literal `repr` spells.
fn from_repr(repr: &str) -> Literal {
    debug_assert!(repr.parse::<Literal>().is_ok(), "not a literal: {repr}");
    // SAFETY: `repr` is a string literal, spelled by `raw_repr` or
    // `escaped_repr` (and checked above in debug builds). This is the
    // constructor `quote!` uses for literals it knows to be valid; `parse`
    // would read every character of the documentation once more.
    unsafe { Literal::from_str_unchecked(repr) }
}

/// `text` as a raw string: one `#` more than the longest run of them
/// after a quote.
fn raw_repr(text: &str) -> String {
    let bytes = text.as_bytes();
    let hashes = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'"')
        .map(|(i, _)| bytes[i + 1..].iter().take_while(|&&b| b == b'#').count() + 1)
        .max()
        .unwrap_or(0);
    let fence = "#".repeat(hashes);
    let mut repr = String::with_capacity(text.len() + 2 * hashes + 3);
    repr.push('r');
    repr.push_str(&fence);
    repr.push('"');
    repr.push_str(text);
    repr.push('"');
    repr.push_str(&fence);
    repr
}

/// `text` quoted, its quotes, backslashes and line breaks escaped;
/// `None` if it holds another control character, which
/// `Literal::string` knows how to spell.
fn escaped_repr(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut repr = String::with_capacity(text.len() + text.len() / 16 + 2);
    repr.push('"');
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            0..=0x1f | 0x7f => return None,
            // U+0080 to U+009F, the other control characters.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return None,
            _ => continue,
        };
        repr.push_str(&text[copied..i]);
        repr.push_str(escape);
        copied = i + 1;
    }
    repr.push_str(&text[copied..]);
    repr.push('"');
    Some(repr)
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literals_keep_their_value() {
        for text in [
            "",
            "plain words",
            "a \"quote\" and \"# hash\"## runs",
            "back\\slash \\n not a break",
            "two\nlines with \"quotes\" and \\",
            "carriage\r\nreturn",
            "tab\tand nul\0",
            "non-ASCII: é — ✓",
        ] {
            for one_line in [false, true] {
                let lit = super::lit_str(text, one_line);
                let parsed: syn::LitStr =
                    syn::parse2(quote::quote!(#lit)).expect("a string literal");
                assert_eq!(parsed.value(), text, "{lit}");
                if one_line {
                    assert!(!lit.to_string().contains('\n'), "{lit} spans lines");
                }
            }
        }
    }

    #[test]
    fn text_without_escapes_is_written_plain() {
        for one_line in [false, true] {
            let lit = super::lit_str("a plain-name", one_line);
            assert_eq!(lit.to_string(), r#""a plain-name""#);
        }
        assert_eq!(
            super::lit_str("a \"b\"", false).to_string(),
            r##"r#"a "b""#"##
        );
    }
}

//! String literal tokens written straight from their value. Most of the
//! generated text is documentation, and `Literal::string` escapes it one
//! character at a time.

use proc_macro2::Literal;

/// The bytes a literal may have to spell differently: quotes,
/// backslashes, control characters, and 0xC2, which leads the UTF-8 of
/// the C1 controls (and of other characters).
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7f] = true;
    table[0xc2] = true;
    table
};

/// Whether the 0xC2 at `i` starts a C1 control character (U+0080 to
/// U+009F).
fn c1_control(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i + 1), Some(0x80..=0x9f))
}

/// What a text holds that a literal must spell differently.
#[derive(Default)]
struct Holds {
    /// `"` or `\\`.
    quote_or_backslash: bool,
    newline: bool,
    carriage_return: bool,
    /// Another control character (C0, DEL or C1).
    other_control: bool,
}

impl Holds {
    fn of(text: &str) -> Holds {
        let bytes = text.as_bytes();
        let mut holds = Holds::default();
        for (i, &b) in bytes.iter().enumerate() {
            if !SPECIAL[usize::from(b)] {
                continue;
            }
            match b {
                b'"' | b'\\' => holds.quote_or_backslash = true,
                b'\n' => holds.newline = true,
                b'\r' => holds.carriage_return = true,
                0xc2 => holds.other_control |= c1_control(bytes, i),
                _ => holds.other_control = true,
            }
        }
        holds
    }
}

/// A string literal token of value `text`: plain when nothing in it
/// needs escaping; otherwise raw, unless `one_line` asks for line breaks
/// escaped (for unformatted code, which stays on one line); then only
/// quotes, backslashes and line breaks are escaped.
pub fn lit_str(text: &str, one_line: bool) -> Literal {
    let holds = Holds::of(text);
    let escapes = holds.quote_or_backslash || holds.newline;
    let controls = holds.carriage_return || holds.other_control;
    let mut repr = String::with_capacity(text.len() + text.len() / 16 + 8);
    if !escapes && !controls {
        repr.push('"');
        repr.push_str(text);
        repr.push('"');
    } else if !(holds.carriage_return || one_line && holds.newline) {
        // A raw string can hold anything but a carriage return.
        push_raw(&mut repr, text);
    } else if controls {
        return Literal::string(text);
    } else {
        repr.push('"');
        push_escaped(&mut repr, text);
        repr.push('"');
    }
    from_repr(&repr)
}

/// The literal for a documentation text written with one attribute: each
/// line after a space, as `///` would give it, on one line of code.
pub fn doc_lit(text: &str) -> Literal {
    // The lines as `str::lines` gives them.
    let text = text.strip_suffix('\n').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut repr = String::with_capacity(text.len() + text.len() / 8 + 8);
    repr.push('"');
    if !matches!(bytes.first(), None | Some(b'\n')) {
        repr.push(' ');
    }
    let mut copied = 0;
    let mut escape_at = |i: usize, repr: &mut String| {
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            // The next line, after its space unless it is empty.
            b'\n' if matches!(bytes.get(i + 1), None | Some(b'\n')) => "\\n",
            b'\n' => "\\n ",
            0xc2 if !c1_control(bytes, i) => return true,
            // Rare enough to take the long way.
            _ => return false,
        };
        repr.push_str(&text[copied..i]);
        repr.push_str(escape);
        copied = i + 1;
        true
    };
    if holds_rare_bytes(bytes) {
        for (i, &b) in bytes.iter().enumerate() {
            if SPECIAL[usize::from(b)] && !escape_at(i, &mut repr) {
                return lit_str(&spaced_lines(text), true);
            }
        }
    } else {
        // Nearly every text: only quotes, backslashes and line breaks,
        // found a vector at a time.
        for i in memchr::memchr3_iter(b'"', b'\\', b'\n', bytes) {
            escape_at(i, &mut repr);
        }
    }
    repr.push_str(&text[copied..]);
    repr.push('"');
    from_repr(&repr)
}

/// Whether `bytes` hold a special byte other than a quote, backslash or
/// line break: one pass without early exit, which the compiler turns
/// into vector code.
fn holds_rare_bytes(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |rare, &b| {
        rare | (b < 0x20 && b != b'\n') | (b == 0x7f) | (b == 0xc2)
    })
}

/// `text`'s lines, each after a space unless empty.
fn spaced_lines(text: &str) -> String {
    let mut joined = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            joined.push('\n');
        }
        if !line.is_empty() {
            joined.push(' ');
            joined.push_str(line);
        }
    }
    joined
}

/// The literal `repr` spells.
fn from_repr(repr: &str) -> Literal {
    debug_assert!(repr.parse::<Literal>().is_ok(), "not a literal: {repr}");
    // SAFETY: `repr` is a string literal, spelled by this module (and
    // checked above in debug builds). This is the
    // constructor `quote!` uses for literals it knows to be valid; `parse`
    // would read every character of the documentation once more.
    unsafe { Literal::from_str_unchecked(repr) }
}

/// `text` as a raw string: one `#` more than the longest run of them
/// after a quote.
fn push_raw(repr: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // A quote needs one `#`; runs of them after a quote are rare, and
    // found with one search for the pair.
    let mut hashes = usize::from(memchr::memchr(b'"', bytes).is_some());
    for at in memchr::memmem::find_iter(bytes, b"\"#") {
        let run = bytes[at + 1..].iter().take_while(|&&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    repr.push('r');
    repr.push_str(&fence);
    repr.push('"');
    repr.push_str(text);
    repr.push('"');
    repr.push_str(&fence);
}

/// `text` between quotes, its quotes, backslashes and line breaks
/// escaped (it holds no other control character).
fn push_escaped(repr: &mut String, text: &str) {
    let bytes = text.as_bytes();
    repr.reserve(bytes.len() + bytes.len() / 8);
    // A plain loop: in the introspection JSON, the one long text escaped,
    // quotes come every few bytes, too often for a vectorised search.
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            _ => continue,
        };
        repr.push_str(&text[copied..i]);
        repr.push_str(escape);
        copied = i + 1;
    }
    repr.push_str(&text[copied..]);
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
            "\u{b0} and \u{a0} lead with 0xC2; \u{85} is a C1 control",
            "\"#\"## \"### quotes and hashes",
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

    #[test]
    fn a_doc_literal_has_each_line_after_a_space() {
        for text in [
            "one line",
            "two\nlines",
            "a gap\n\nbetween \"quoted\" \\ words\n",
            "a tab\there\r\nand a carriage return",
            "",
            "20 \u{b0}C, \u{a0}no break, \"quoted\"\nand \\",
            "a C1 control \u{85} here",
        ] {
            let lit = super::doc_lit(text);
            let parsed: syn::LitStr = syn::parse2(quote::quote!(#lit)).expect("a string literal");
            let want: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!(" {l}")
                    }
                })
                .collect();
            assert_eq!(parsed.value(), want.join("\n"), "{lit}");
            assert!(!lit.to_string().contains('\n'), "{lit} spans lines");
        }
    }
}

//! Generated-name rules: how schema names map to C identifiers.
//!
//! Clash checks compare these mapped names, not the schema names, because
//! two schema names that map to the same identifier would collide in
//! generated code (`a-b` and `a_b` both become `a_b`).

use std::borrow::Cow;

/// Marks a C pointer type in QEMU's C type names; its generator removes the
/// marker together with the space after it. Kept so that [`c_type`]
/// answers exactly what QEMU's model answers.
///
/// [`c_type`]: crate::schema::Definition::c_type
pub const POINTER_SUFFIX: &str = " *\u{1b}EATSPACE.";

/// Identifiers a C or C++ compiler or the usual system headers would
/// choke on, which therefore get a `q_` prefix.
fn is_ticklish(name: &str) -> bool {
    matches!(
        name,
        // C89 keywords
        "auto" | "break" | "case" | "char" | "const" | "continue" | "default" | "do"
            | "double" | "else" | "enum" | "extern" | "float" | "for" | "goto" | "if"
            | "int" | "long" | "register" | "return" | "short" | "signed" | "sizeof"
            | "static" | "struct" | "switch" | "typedef" | "union" | "unsigned"
            | "void" | "volatile" | "while"
            // C99
            | "inline" | "restrict" | "_Bool" | "_Complex" | "_Imaginary"
            // C11
            | "_Alignas" | "_Alignof" | "_Atomic" | "_Generic" | "_Noreturn"
            | "_Static_assert" | "_Thread_local"
            // GCC extensions
            | "asm" | "typeof"
            // C++
            | "bool" | "catch" | "class" | "const_cast" | "delete" | "dynamic_cast"
            | "explicit" | "false" | "friend" | "mutable" | "namespace" | "new"
            | "operator" | "private" | "protected" | "public" | "reinterpret_cast"
            | "static_cast" | "template" | "this" | "throw" | "true" | "try"
            | "typeid" | "typename" | "using" | "virtual" | "wchar_t" | "and"
            | "and_eq" | "bitand" | "bitor" | "compl" | "not" | "not_eq" | "or"
            | "or_eq" | "xor" | "xor_eq"
            // predefined macros on some hosts
            | "unix" | "errno" | "mips" | "sparc" | "i386" | "linux"
    )
}

/// Maps `name` to a C identifier: every character other than an ASCII
/// letter, digit or `_` becomes `_`; with `protect`, keywords and names
/// starting with a digit get a `q_` prefix.
///
/// Borrows when nothing changes, which is the common case.
pub fn c_name(name: &str, protect: bool) -> Cow<'_, str> {
    // A non-ASCII character never is kept, so its bytes need no decoding.
    if name.bytes().all(keep) && !(protect && needs_protection(name)) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 2);
    push_c_name(name, protect, &mut out);
    Cow::Owned(out)
}

/// Appends [`c_name`]`(name, protect)` to `out`, for callers that keep
/// many C names in one buffer.
pub(crate) fn push_c_name(name: &str, protect: bool, out: &mut String) {
    let start = out.len();
    out.reserve(name.len() + 2);
    // Copied in runs between the characters replaced, which are few.
    let mut rest = name;
    // Bytes before the first one not kept are ASCII, so that one starts a
    // character.
    while let Some(i) = rest.bytes().position(|b| !keep(b)) {
        out.push_str(&rest[..i]);
        out.push('_');
        let width = rest[i..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[i + width..];
    }
    out.push_str(rest);
    if protect && needs_protection(&out[start..]) {
        out.insert_str(start, "q_");
    }
}

fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether a mapped name needs the `q_` prefix.
fn needs_protection(mapped: &str) -> bool {
    mapped.starts_with(|c: char| c.is_ascii_digit()) || is_ticklish(mapped)
}

#[cfg(test)]
mod tests {
    use super::c_name;

    #[test]
    fn c_names() {
        let cases = [
            ("foo", true, "foo"),
            ("x-foo", true, "x_foo"),
            ("__a.b_c", true, "__a_b_c"),
            ("int", true, "q_int"),
            ("int", false, "int"),
            ("unix", true, "q_unix"),
            ("1x", true, "q_1x"),
            ("1x", false, "1x"),
            ("a-b", true, "a_b"),
            ("", true, ""),
            ("é", true, "_"),
            ("-Bool", true, "q__Bool"),
            ("a-é1", true, "a__1"),
        ];
        for (name, protect, want) in cases {
            assert_eq!(c_name(name, protect), want, "{name} {protect}");
            let mut pushed = "x".to_owned();
            super::push_c_name(name, protect, &mut pushed);
            assert_eq!(pushed, format!("x{want}"), "{name} {protect}");
        }
    }
}

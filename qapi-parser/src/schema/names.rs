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
    let keep = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mapped: Cow<'_, str> = if name.chars().all(keep) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(
            name.chars()
                .map(|c| if keep(c) { c } else { '_' })
                .collect(),
        )
    };
    if protect
        && (is_ticklish(&mapped) || mapped.chars().next().is_some_and(|c| c.is_ascii_digit()))
    {
        return Cow::Owned(format!("q_{mapped}"));
    }
    mapped
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
        ];
        for (name, protect, want) in cases {
            assert_eq!(c_name(name, protect), want, "{name} {protect}");
        }
    }
}

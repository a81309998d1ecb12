//! The one place where QAPI names become Rust names.
//!
//! Types and enum variants are UpperCamelCase, fields snake_case, through
//! heck. Rust keywords become raw identifiers (`r#type`), or take a `_`
//! suffix where a raw identifier is not allowed (`self`, `Self`, `crate`,
//! `super`). A name that would start with a digit, or be empty, gets a
//! prefix. The wire name is never derived back from the Rust name: the
//! generated code keeps it beside the Rust one.

use foldhash::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords usable as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "crate", "super"];

/// Strips what marks a QAPI name as implicit (`q_obj_blockdev-add-arg` is
/// the arguments of `blockdev-add`). Downstream prefixes such as
/// `__org.qemu_` need nothing: `.` and `_` only separate words.
fn words(name: &str) -> &str {
    name.strip_prefix("q_obj_").unwrap_or(name)
}

/// Makes `ident` a valid identifier: `prefix` before a leading digit or
/// in place of nothing, then the keyword rules.
fn finish(ident: String, prefix: &str) -> String {
    let ident = match ident.chars().next() {
        // `_` alone is not an identifier.
        None if prefix == "_" => "_empty".to_owned(),
        None => prefix.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{ident}"),
        Some(_) => ident,
    };
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The Rust name of a type (`block-dirty-bitmap` → `BlockDirtyBitmap`,
/// `q_obj_blockdev-add-arg` → `BlockdevAddArg`).
pub fn type_name(qapi: &str) -> String {
    finish(upper_camel(words(qapi)), "Q")
}

/// The Rust name of an enum value or union/alternate branch.
pub fn variant_name(qapi: &str) -> String {
    finish(upper_camel(words(qapi)), "V")
}

/// The Rust name of a struct field (`node-name` → `node_name`,
/// `type` → `r#type`).
pub fn field_name(qapi: &str) -> String {
    finish(snake(words(qapi)), "_")
}

/// heck's `UpperCamelCase`.
fn upper_camel(name: &str) -> String {
    match plain_words(name) {
        Some(words) => {
            let mut out = String::with_capacity(name.len());
            for word in words {
                let (first, rest) = word.split_at(1);
                out.push_str(&first.to_ascii_uppercase());
                out.push_str(&rest.to_ascii_lowercase());
            }
            out
        }
        None => name.to_upper_camel_case(),
    }
}

/// heck's `snake_case`.
fn snake(name: &str) -> String {
    match plain_words(name) {
        Some(words) => {
            let mut out = String::with_capacity(name.len());
            for word in words {
                if !out.is_empty() {
                    out.push('_');
                }
                out.push_str(&word.to_ascii_lowercase());
            }
            out
        }
        None => name.to_snake_case(),
    }
}

/// The words of `name` when heck would find them at its separators
/// alone: an ASCII name whose words (runs of letters and digits) are
/// each in one case, as nearly every QAPI name is (`block-node`,
/// `BLOCK_JOB_READY`, `x86_64`). heck converts a character at a time
/// through `fmt`, at some thousands of instructions a name, and the
/// generator names some thousands of things; mixed-case words
/// (`BlockdevOptions`, where heck finds word breaks inside) go to heck.
fn plain_words(name: &str) -> Option<impl Iterator<Item = &str>> {
    let mut lower = false;
    let mut upper = false;
    for b in name.bytes() {
        match b {
            b'a'..=b'z' => lower = true,
            b'A'..=b'Z' => upper = true,
            b'0'..=b'9' => {}
            _ if b.is_ascii() => {
                lower = false;
                upper = false;
            }
            _ => return None,
        }
        if lower && upper {
            return None;
        }
    }
    Some(
        name.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty()),
    )
}

/// Hands out names unique within one scope: a name already taken gets
/// the smallest free numeric suffix (`foo_2`, `Foo2`), so the result
/// depends only on the order names are asked for.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// Reserves `name` as is (names the generated code itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// `name`, or the first free `name{sep}N` from 2 on.
    pub fn claim(&mut self, name: String, sep: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.strip_prefix("r#").unwrap_or(&name);
        let mut n = 2u32;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let table = [
            ("BlockdevOptions", "BlockdevOptions"),
            ("block-dirty-bitmap", "BlockDirtyBitmap"),
            ("q_obj_blockdev-add-arg", "BlockdevAddArg"),
            ("q_obj_Foo-base", "FooBase"),
            ("q_empty", "QEmpty"),
            ("QType", "QType"),
            ("__org.qemu_x-Enum", "OrgQemuXEnum"),
            ("1Thing", "Q1thing"),
            ("Self", "Self_"),
            ("", "Q"),
        ];
        for (qapi, rust) in table {
            assert_eq!(type_name(qapi), rust, "{qapi}");
        }
    }

    #[test]
    fn variant_names() {
        let table = [
            ("qcow2", "Qcow2"),
            ("host_device", "HostDevice"),
            ("9p", "V9p"),
            ("1.0", "V10"),
            ("__org.qemu_x-value", "OrgQemuXValue"),
            ("self", "Self_"),
        ];
        for (qapi, rust) in table {
            assert_eq!(variant_name(qapi), rust, "{qapi}");
        }
    }

    #[test]
    fn field_names() {
        let table = [
            ("node-name", "node_name"),
            ("read-only", "read_only"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("0x", "_0x"),
            ("__org.qemu_x-member", "org_qemu_x_member"),
            ("cache-size", "cache_size"),
            ("_", "_empty"),
        ];
        for (qapi, rust) in table {
            assert_eq!(field_name(qapi), rust, "{qapi}");
        }
    }

    /// The short way gives heck's names: over every name of every shared
    /// QEMU schema when `../shared` is there, and over names built from
    /// the characters that matter.
    #[test]
    fn plain_words_agree_with_heck() {
        let mut names: Vec<String> = Vec::new();
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu");
        for release in std::fs::read_dir(&shared).into_iter().flatten().flatten() {
            let dir = release.path().join("qapi");
            for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(file.path()).unwrap_or_default();
                names.extend(text.split('\'').skip(1).step_by(2).map(str::to_owned));
            }
        }
        let alphabet = [
            "a", "b", "Z", "Q", "7", "0", "-", "_", ".", "__", "é", " ", "+",
        ];
        let mut seed = 12345u64;
        for _ in 0..20_000 {
            let mut name = String::new();
            for _ in 0..(seed % 9) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                name.push_str(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            names.push(name);
        }
        for name in &names {
            assert_eq!(upper_camel(name), name.to_upper_camel_case(), "{name:?}");
            assert_eq!(snake(name), name.to_snake_case(), "{name:?}");
        }
    }

    #[test]
    fn clashes_get_numbered_in_order() {
        let mut scope = Scope::new();
        scope.reserve("Value");
        let got: Vec<String> = ["a-b", "a_b", "a.b", "type"]
            .iter()
            .map(|n| scope.claim(field_name(n), "_"))
            .collect();
        assert_eq!(got, ["a_b", "a_b_2", "a_b_3", "r#type"]);
        assert_eq!(scope.claim(type_name("value"), ""), "Value2");
    }
}

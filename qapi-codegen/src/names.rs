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

/// Strips what marks a QAPI name as implicit or downstream, keeping the
/// words that say what it is: `q_obj_blockdev-add-arg` is the arguments
/// of `blockdev-add`, `__org.qemu_x-Foo` is a vendor's `x-Foo`.
fn words(name: &str) -> String {
    let name = name.strip_prefix("q_obj_").unwrap_or(name);
    // heck splits on every non-alphanumeric character, so `.` and `__`
    // in downstream prefixes only separate words.
    name.replace('.', "_")
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
    finish(words(qapi).to_upper_camel_case(), "Q")
}

/// The Rust name of an enum value or union/alternate branch.
pub fn variant_name(qapi: &str) -> String {
    finish(words(qapi).to_upper_camel_case(), "V")
}

/// The Rust name of a struct field (`node-name` → `node_name`,
/// `type` → `r#type`).
pub fn field_name(qapi: &str) -> String {
    finish(words(qapi).to_snake_case(), "_")
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

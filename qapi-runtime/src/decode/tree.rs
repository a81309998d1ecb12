//! A parsed JSON text that borrows its strings from the text: what
//! [`super::from_str`] decodes, without the allocations of a
//! [`serde_json::Value`] (a string per key and value, a hash table per
//! object).
//!
//! Parsing the whole text before decoding, as QEMU does, keeps QEMU's
//! error order: the first error in the schema's order, not in the text's.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::DecodeError;

/// A JSON value whose strings point into the parsed text where they have
/// no escapes.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Tree<'a>>),
    /// Members in the text's order; keys are distinct.
    Object(Vec<(Cow<'a, str>, Tree<'a>)>),
}

/// serde_json puts the position after a custom error's text; this prefix
/// tells a duplicate key from the other errors.
const DUPLICATE_KEY: &str = "duplicate key";

impl<'a> Tree<'a> {
    /// Parses one JSON value (and nothing after it but white space).
    ///
    /// Errors read `JSON parse error, ...` as QEMU's do; a key that occurs
    /// twice in an object is QEMU's `JSON parse error, duplicate key`.
    pub fn parse(text: &'a str) -> Result<Tree<'a>, DecodeError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let tree = Tree::deserialize(&mut de).and_then(|t| de.end().map(|()| t));
        tree.map_err(|e| {
            let msg = e.to_string();
            if e.classify() == serde_json::error::Category::Data && msg.starts_with(DUPLICATE_KEY) {
                DecodeError::new(format!("JSON parse error, {DUPLICATE_KEY}"))
            } else {
                DecodeError::new(format!("JSON parse error, {msg}"))
            }
        })
    }

    /// The same value as a [`serde_json::Value`] (for members of type
    /// `any`).
    pub fn to_value(&self) -> Value {
        match self {
            Tree::Null => Value::Null,
            Tree::Bool(b) => Value::Bool(*b),
            Tree::Number(n) => Value::Number(n.clone()),
            Tree::String(s) => Value::String(s.clone().into_owned()),
            Tree::Array(items) => Value::Array(items.iter().map(Tree::to_value).collect()),
            Tree::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone().into_owned(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Tree::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Tree::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Tree::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // JSON text has no NaN or infinity; serde_json's Value maps them
        // to null the same way.
        Ok(Number::from_f64(v).map_or(Tree::Null, Tree::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Tree::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Tree::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Tree::String(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Tree::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Tree::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Tree::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        /// Objects up to this size are searched for a duplicate key
        /// directly; larger ones through a set, so that a huge object
        /// does not cost quadratic time.
        const SCAN_LIMIT: usize = 16;
        let mut members: Vec<(Cow<'de, str>, Tree<'de>)> = Vec::new();
        let mut seen: Option<HashSet<Cow<'de, str>>> = None;
        while let Some(Key(key)) = map.next_key()? {
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None => members.iter().any(|(k, _)| *k == key),
            };
            if duplicate {
                return Err(de::Error::custom(DUPLICATE_KEY));
            }
            let value = map.next_value()?;
            members.push((key, value));
            if seen.is_none() && members.len() >= SCAN_LIMIT {
                seen = Some(members.iter().map(|(k, _)| k.clone()).collect());
            }
        }
        Ok(Tree::Object(members))
    }
}

/// An object key, borrowed from the text when it has no escapes (serde's
/// own `Cow<str>` always copies).
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let text = r#"{"a": "plain", "b\n": "esc\"aped", "c": [1, -2, 2.5, true, null]}"#;
        let tree = Tree::parse(text).expect("parses");
        let Tree::Object(members) = &tree else {
            panic!("not an object: {tree:?}");
        };
        assert!(matches!(members[0].0, Cow::Borrowed("a")));
        assert!(matches!(members[0].1, Tree::String(Cow::Borrowed("plain"))));
        assert!(matches!(members[1].0, Cow::Owned(_)));
        assert_eq!(
            tree.to_value(),
            json!({"a": "plain", "b\n": "esc\"aped", "c": [1, -2, 2.5, true, null]})
        );
    }

    #[test]
    fn duplicate_keys_are_qemus_error() {
        let err = |t: &str| Tree::parse(t).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"a": 1, "a": 2}"#),
            "JSON parse error, duplicate key"
        );
        // Escapes do not hide a duplicate, nor does a large object.
        assert_eq!(
            err(r#"{"a": 1, "\u0061": 2}"#),
            "JSON parse error, duplicate key"
        );
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let big = format!("{{{}, \"k3\": 0}}", many.join(", "));
        assert_eq!(err(&big), "JSON parse error, duplicate key");
        assert!(Tree::parse(&format!("{{{}}}", many.join(", "))).is_ok());
        // The same key in different objects is no duplicate.
        assert!(Tree::parse(r#"{"a": {"a": 1}, "b": {"a": 2}}"#).is_ok());
    }

    #[test]
    fn syntax_errors_say_where() {
        let msg = Tree::parse(r#"{"a": }"#).unwrap_err().to_string();
        assert!(msg.starts_with("JSON parse error, "), "{msg}");
        assert!(msg.contains("line 1 column 7"), "{msg}");
        let msg = Tree::parse("{} x").unwrap_err().to_string();
        assert!(msg.contains("trailing characters"), "{msg}");
    }
}

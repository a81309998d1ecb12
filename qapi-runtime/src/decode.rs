//! QMP input: decoding a JSON value into a generated type the way QEMU's
//! QObject input visitor does, with its error texts and member paths.
//!
//! The decoder works over a parsed [`serde_json::Value`]; generated code
//! only calls [`Decode::decode`] and the [`ObjectInput`] methods, so a
//! streaming decoder can later take its place behind the same calls.

use std::fmt;

use serde_json::{Map, Value};

/// An input error; its text is QEMU's `desc` for the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(String);

impl DecodeError {
    pub fn new(msg: impl Into<String>) -> Self {
        DecodeError(msg.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

impl From<DecodeError> for crate::Error {
    fn from(e: DecodeError) -> Self {
        crate::Error::generic(e.0)
    }
}

pub type DecodeResult<T> = Result<T, DecodeError>;

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Where the decoder is in the input: QEMU names a nested member by its
/// full path (`file.filename`, `options[0].driver`).
#[derive(Debug, Clone, Default)]
pub struct Path {
    segments: Vec<Segment>,
}

impl Path {
    pub fn new() -> Self {
        Path::default()
    }

    pub fn push_key(&mut self, key: &str) {
        self.segments.push(Segment::Key(key.to_owned()));
    }

    pub fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    pub fn pop(&mut self) {
        self.segments.pop();
    }

    /// The path as QEMU prints it; the top-level value is `null`, as QEMU
    /// names a value without a name.
    pub fn name(&self) -> String {
        if self.segments.is_empty() {
            return "null".to_owned();
        }
        let mut out = String::new();
        for seg in &self.segments {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The member's own name, which QEMU's checks after the input visitor
    /// (integer ranges, alternates) print instead of the path; `null` for
    /// an array element or the top level.
    pub fn local_name(&self) -> &str {
        match self.segments.last() {
            Some(Segment::Key(k)) => k,
            Some(Segment::Index(_)) | None => "null",
        }
    }

    /// `Invalid parameter type for 'NAME', expected: ALTERNATE`, with the
    /// member's own name as QEMU's generated alternate visitor prints it.
    pub fn invalid_alternate(&self, alternate: &str) -> DecodeError {
        DecodeError(format!(
            "Invalid parameter type for '{}', expected: {alternate}",
            self.local_name()
        ))
    }

    /// `Invalid parameter type for 'PATH', expected: WHAT`.
    pub fn invalid_type(&self, expected: &str) -> DecodeError {
        DecodeError(format!(
            "Invalid parameter type for '{}', expected: {expected}",
            self.name()
        ))
    }

    /// `Parameter 'PATH' expects WHAT` (an unsigned integer that is not
    /// one).
    pub fn invalid_value(&self, expected: &str) -> DecodeError {
        DecodeError(format!("Parameter '{}' expects {expected}", self.name()))
    }

    /// `Parameter 'NAME' expects WHAT` (an integer out of its type's
    /// range), with the member's own name.
    pub fn out_of_range(&self, expected: &str) -> DecodeError {
        DecodeError(format!(
            "Parameter '{}' expects {expected}",
            self.local_name()
        ))
    }

    /// `Parameter 'PATH' does not accept value 'VALUE'` (enums).
    pub fn bad_enum_value(&self, value: &str) -> DecodeError {
        DecodeError(format!(
            "Parameter '{}' does not accept value '{value}'",
            self.name()
        ))
    }

    fn child_name(&self, key: &str) -> String {
        let mut p = self.clone();
        p.push_key(key);
        p.name()
    }
}

/// A type QMP input can be decoded into.
pub trait Decode: Sized {
    /// Decodes `value`, found at `path`.
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self>;

    /// Decodes a whole input, naming the top level as QEMU does.
    fn from_value(value: &Value) -> DecodeResult<Self> {
        Self::decode(value, &mut Path::new())
    }
}

/// An object type whose members can be read from an object shared with
/// other types (a union's base and branch, a command's boxed arguments).
pub trait DecodeMembers: Sized {
    fn decode_members(input: &mut ObjectInput<'_>, path: &mut Path) -> DecodeResult<Self>;
}

impl<T: DecodeMembers> DecodeMembers for Box<T> {
    fn decode_members(input: &mut ObjectInput<'_>, path: &mut Path) -> DecodeResult<Self> {
        T::decode_members(input, path).map(Box::new)
    }
}

/// Decodes an object type: its members, then no member left over.
pub fn decode_object<T: DecodeMembers>(value: &Value, path: &mut Path) -> DecodeResult<T> {
    let mut input = ObjectInput::new(value, path)?;
    let out = T::decode_members(&mut input, path)?;
    input.finish(path)?;
    Ok(out)
}

/// The members of one JSON object being decoded, with those read so far.
#[derive(Debug)]
pub struct ObjectInput<'a> {
    map: &'a Map<String, Value>,
    visited: Vec<&'a str>,
}

impl<'a> ObjectInput<'a> {
    pub fn new(value: &'a Value, path: &Path) -> DecodeResult<Self> {
        match value {
            Value::Object(map) => Ok(ObjectInput {
                map,
                visited: Vec::new(),
            }),
            _ => Err(path.invalid_type("object")),
        }
    }

    fn take(&mut self, key: &str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.visited.push(k.as_str());
        Some(v)
    }

    /// A mandatory member: `Parameter 'PATH' is missing` without it.
    pub fn required<T: Decode>(&mut self, key: &str, path: &mut Path) -> DecodeResult<T> {
        match self.take(key) {
            Some(v) => decode_at(v, key, path),
            None => Err(DecodeError(format!(
                "Parameter '{}' is missing",
                path.child_name(key)
            ))),
        }
    }

    /// An optional member.
    pub fn optional<T: Decode>(&mut self, key: &str, path: &mut Path) -> DecodeResult<Option<T>> {
        match self.take(key) {
            Some(v) => decode_at(v, key, path).map(Some),
            None => Ok(None),
        }
    }

    /// Fails on the first member no type read: `Parameter 'PATH' is
    /// unexpected`.
    pub fn finish(self, path: &Path) -> DecodeResult<()> {
        match self
            .map
            .keys()
            .find(|k| !self.visited.contains(&k.as_str()))
        {
            Some(k) => Err(DecodeError(format!(
                "Parameter '{}' is unexpected",
                path.child_name(k)
            ))),
            None => Ok(()),
        }
    }
}

fn decode_at<T: Decode>(value: &Value, key: &str, path: &mut Path) -> DecodeResult<T> {
    path.push_key(key);
    let out = T::decode(value, path);
    path.pop();
    out
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        let Value::Array(items) = value else {
            return Err(path.invalid_type("array"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            path.push_index(i);
            let r = T::decode(item, path);
            path.pop();
            out.push(r?);
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        T::decode(value, path).map(Box::new)
    }
}

impl Decode for String {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(path.invalid_type("string")),
        }
    }
}

impl Decode for bool {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            Value::Bool(b) => Ok(*b),
            _ => Err(path.invalid_type("boolean")),
        }
    }
}

impl Decode for f64 {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            Value::Number(n) => n.as_f64().ok_or_else(|| path.invalid_type("number")),
            _ => Err(path.invalid_type("number")),
        }
    }
}

impl Decode for () {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            Value::Null => Ok(()),
            _ => Err(path.invalid_type("null")),
        }
    }
}

impl Decode for Value {
    fn decode(value: &Value, _path: &mut Path) -> DecodeResult<Self> {
        Ok(value.clone())
    }
}

impl Decode for i64 {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            Value::Number(n) => n.as_i64().ok_or_else(|| path.invalid_type("integer")),
            _ => Err(path.invalid_type("integer")),
        }
    }
}

impl Decode for u64 {
    fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
        match value {
            // QEMU takes a negative number for an unsigned one, for
            // compatibility, as its two's complement.
            Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_i64().map(|i| i as u64))
                .ok_or_else(|| path.invalid_value("uint64")),
            _ => Err(path.invalid_value("uint64")),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty, $wide:ty, $c:literal;)*) => {$(
        impl Decode for $t {
            fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
                let wide = <$wide>::decode(value, path)?;
                <$t>::try_from(wide).map_err(|_| path.out_of_range($c))
            }
        }
    )*};
}

narrow_int! {
    i8, i64, "int8_t";
    i16, i64, "int16_t";
    i32, i64, "int32_t";
    u8, u64, "uint8_t";
    u16, u64, "uint16_t";
    u32, u64, "uint32_t";
}

/// A string that names no value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue(pub String);

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value '{}'", self.0)
    }
}

impl std::error::Error for UnknownValue {}

/// Decodes an enum from its wire name: `Parameter 'PATH' does not accept
/// value 'VALUE'` for a string that names none of its values.
pub fn decode_enum<T: std::str::FromStr>(value: &Value, path: &mut Path) -> DecodeResult<T> {
    match value {
        Value::String(s) => s.parse().map_err(|_| path.bad_enum_value(s)),
        _ => Err(path.invalid_type("string")),
    }
}

/// The JSON type of a value as QEMU's `QType` tells alternates' branches
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Number,
    String,
    Object,
    Array,
    Boolean,
}

impl JsonKind {
    pub fn of(value: &Value) -> JsonKind {
        match value {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Boolean,
            Value::Number(_) => JsonKind::Number,
            Value::String(_) => JsonKind::String,
            Value::Array(_) => JsonKind::Array,
            Value::Object(_) => JsonKind::Object,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq)]
    struct Inner {
        filename: String,
    }

    impl DecodeMembers for Inner {
        fn decode_members(input: &mut ObjectInput<'_>, path: &mut Path) -> DecodeResult<Self> {
            Ok(Inner {
                filename: input.required("filename", path)?,
            })
        }
    }

    impl Decode for Inner {
        fn decode(value: &Value, path: &mut Path) -> DecodeResult<Self> {
            decode_object(value, path)
        }
    }

    #[derive(Debug, PartialEq)]
    struct Outer {
        read_only: Option<bool>,
        file: Inner,
        sizes: Option<Vec<u8>>,
    }

    impl DecodeMembers for Outer {
        fn decode_members(input: &mut ObjectInput<'_>, path: &mut Path) -> DecodeResult<Self> {
            Ok(Outer {
                read_only: input.optional("read-only", path)?,
                file: input.required("file", path)?,
                sizes: input.optional("sizes", path)?,
            })
        }
    }

    fn err(v: Value) -> String {
        match decode_object::<Outer>(&v, &mut Path::new()) {
            Ok(o) => format!("ok {o:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_name_the_member_as_qemu_does() {
        let table = [
            (json!({}), "Parameter 'file' is missing"),
            (json!({"file": {}}), "Parameter 'file.filename' is missing"),
            (
                json!({"read-only": 1, "file": {"filename": "a"}}),
                "Invalid parameter type for 'read-only', expected: boolean",
            ),
            (
                json!({"file": {"filename": "a", "foo": 1}}),
                "Parameter 'file.foo' is unexpected",
            ),
            (
                json!({"foo": 1, "file": {"filename": "a"}}),
                "Parameter 'foo' is unexpected",
            ),
            (
                json!({"file": {"filename": "a"}, "sizes": [1, 300]}),
                "Parameter 'null' expects uint8_t",
            ),
            (
                json!({"file": {"filename": "a"}, "sizes": [1, "x"]}),
                "Parameter 'sizes[1]' expects uint64",
            ),
            (
                json!(1),
                "Invalid parameter type for 'null', expected: object",
            ),
        ];
        for (input, want) in table {
            assert_eq!(err(input.clone()), want, "{input}");
        }
    }

    #[test]
    fn missing_wins_over_unexpected() {
        assert_eq!(err(json!({"foo": 1})), "Parameter 'file' is missing");
    }
}

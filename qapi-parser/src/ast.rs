//! The syntax tree the parser produces: QAPI's JSON-like values, each with the
//! line and column it starts at, grouped into top-level expressions.

use crate::source::Info;

/// Line and column (1-based, tabs expanded to 8 as QEMU counts them) where a
/// value starts, in the file of the expression that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

/// A value of the schema language.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    Dict(Dict),
    /// `null`, which only releases up to 4.1 read: present as a key, but
    /// read as absent wherever QEMU looks a value up.
    Null,
}

/// An object: keys in source order, each key once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict {
    pub entries: Vec<(String, Value)>,
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Self {
        Value { kind, span }
    }

    /// A value made by the checker rather than read from source (it takes
    /// the span of the value it stands for).
    pub fn str(s: impl Into<String>, span: Span) -> Self {
        Value::new(ValueKind::Str(s.into()), span)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ValueKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_dict(&self) -> Option<&Dict> {
        match &self.kind {
            ValueKind::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub fn as_dict_mut(&mut self) -> Option<&mut Dict> {
        match &mut self.kind {
            ValueKind::Dict(d) => Some(d),
            _ => None,
        }
    }

    /// Whether QEMU's Python front end treats the value as true: `true`,
    /// or a non-empty string, array or object.
    pub fn is_truthy(&self) -> bool {
        match &self.kind {
            ValueKind::Bool(b) => *b,
            ValueKind::Str(s) => !s.is_empty(),
            ValueKind::List(l) => !l.is_empty(),
            ValueKind::Dict(d) => !d.is_empty(),
            ValueKind::Null => false,
        }
    }

    pub fn is_str(&self) -> bool {
        matches!(self.kind, ValueKind::Str(_))
    }

    pub fn is_dict(&self) -> bool {
        matches!(self.kind, ValueKind::Dict(_))
    }

    pub fn is_list(&self) -> bool {
        matches!(self.kind, ValueKind::List(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValueKind::Null)
    }

    pub fn is_bool(&self) -> bool {
        matches!(self.kind, ValueKind::Bool(_))
    }
}

impl Dict {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets `key`, keeping its position when it exists, appending otherwise.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.get_mut(&key) {
            Some(v) => *v = value,
            None => self.entries.push((key, value)),
        }
    }
}

/// A top-level expression (definition or `include`; pragmas are applied by
/// the parser and not kept), with its location and its documentation block.
#[derive(Debug, Clone)]
pub struct Expression {
    pub expr: Dict,
    pub info: Info,
    /// Index into [`ParsedSchema::docs`].
    pub doc: Option<usize>,
}

/// What the parser hands on: expressions and doc blocks in source order
/// (includes expanded in place), and the pragma state.
#[derive(Debug, Clone, Default)]
pub struct ParsedSchema {
    pub exprs: Vec<Expression>,
    pub docs: Vec<crate::doc::Doc>,
    pub pragma: crate::source::Pragma,
}

//! The input the decoder reads: a JSON value, either a
//! [`serde_json::Value`] or a [`Tree`] parsed straight from text, behind
//! one small interface so that generated code is written once for both.

use serde_json::{Map, Number, Value};

use super::{DecodeResult, Decoder, Tree};

/// One JSON value of the input.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Value(&'a Value),
    Tree(&'a Tree<'a>),
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
        Input::Value(value).kind()
    }
}

impl<'a> From<&'a Value> for Input<'a> {
    fn from(v: &'a Value) -> Self {
        Input::Value(v)
    }
}

impl<'a> From<&'a Tree<'a>> for Input<'a> {
    fn from(t: &'a Tree<'a>) -> Self {
        Input::Tree(t)
    }
}

impl<'a> Input<'a> {
    pub fn kind(self) -> JsonKind {
        match self {
            Input::Value(v) => match v {
                Value::Null => JsonKind::Null,
                Value::Bool(_) => JsonKind::Boolean,
                Value::Number(_) => JsonKind::Number,
                Value::String(_) => JsonKind::String,
                Value::Array(_) => JsonKind::Array,
                Value::Object(_) => JsonKind::Object,
            },
            Input::Tree(t) => match t {
                Tree::Null => JsonKind::Null,
                Tree::Bool(_) => JsonKind::Boolean,
                Tree::Number(_) => JsonKind::Number,
                Tree::String(_) => JsonKind::String,
                Tree::Array(_) => JsonKind::Array,
                Tree::Object(_) => JsonKind::Object,
            },
        }
    }

    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Input::Value(Value::String(s)) => Some(s),
            Input::Tree(Tree::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            Input::Value(Value::Bool(b)) | Input::Tree(Tree::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(self) -> Option<&'a Number> {
        match self {
            Input::Value(Value::Number(n)) | Input::Tree(Tree::Number(n)) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(self) -> bool {
        self.kind() == JsonKind::Null
    }

    /// The elements of an array.
    pub fn elements(self) -> Option<Elements<'a>> {
        match self {
            Input::Value(Value::Array(items)) => Some(Elements::Value(items.iter())),
            Input::Tree(Tree::Array(items)) => Some(Elements::Tree(items.iter())),
            _ => None,
        }
    }

    /// The value as a [`serde_json::Value`] (for members of type `any`).
    pub fn to_value(self) -> Value {
        match self {
            Input::Value(v) => v.clone(),
            Input::Tree(t) => t.to_value(),
        }
    }
}

/// The elements of an array in the input.
#[derive(Debug, Clone)]
pub enum Elements<'a> {
    Value(std::slice::Iter<'a, Value>),
    Tree(std::slice::Iter<'a, Tree<'a>>),
}

impl<'a> Iterator for Elements<'a> {
    type Item = Input<'a>;

    fn next(&mut self) -> Option<Input<'a>> {
        match self {
            Elements::Value(it) => it.next().map(Input::Value),
            Elements::Tree(it) => it.next().map(Input::Tree),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Elements::Value(it) => it.size_hint(),
            Elements::Tree(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Elements<'_> {}

#[derive(Debug, Clone, Copy)]
enum Members<'a> {
    Value(&'a Map<String, Value>),
    Tree(&'a [(std::borrow::Cow<'a, str>, Tree<'a>)]),
}

impl<'a> Members<'a> {
    fn len(self) -> usize {
        match self {
            Members::Value(m) => m.len(),
            Members::Tree(m) => m.len(),
        }
    }

    /// The member named `key` and its position, searched from position
    /// `start` on and then from the beginning: clients mostly send members
    /// in the schema's order, in which generated code asks for them.
    /// Objects are searched rather than hashed: QMP objects have few
    /// members, and the position is what marks a member as read.
    fn find(self, key: &str, start: usize) -> Option<(usize, Input<'a>)> {
        fn search<T>(
            items: &[T],
            start: usize,
            key_of: impl Fn(&T) -> &str,
            key: &str,
        ) -> Option<usize> {
            let start = start.min(items.len());
            let (before, after) = items.split_at(start);
            // Most candidates differ in length or first byte, which are
            // cheaper to compare than the whole key.
            // A byte loop beats a call to `memcmp` on keys this short.
            let hit =
                |k: &str| k.len() == key.len() && k.bytes().zip(key.bytes()).all(|(a, b)| a == b);
            after
                .iter()
                .position(|m| hit(key_of(m)))
                .map(|i| i + start)
                .or_else(|| before.iter().position(|m| hit(key_of(m))))
        }
        match self {
            Members::Value(m) => {
                // A map's hashed lookup is cheaper than walking its
                // entries; only a hit is walked for its position.
                let (k, v) = m.get_key_value(key)?;
                let i = m.keys().position(|x| std::ptr::eq(x, k))?;
                Some((i, Input::Value(v)))
            }
            Members::Tree(m) => {
                let i = search(m, start, |(k, _)| k, key)?;
                // `search` returns a position within `m`.
                Some((i, Input::Tree(&m[i].1)))
            }
        }
    }

    fn key(self, index: usize) -> Option<&'a str> {
        match self {
            Members::Value(m) => m.keys().nth(index).map(String::as_str),
            Members::Tree(m) => m.get(index).map(|(k, _)| &**k),
        }
    }
}

/// Which members of an object have been read: a bit per position, on
/// the stack for the first 64.
#[derive(Debug, Default)]
struct ReadSet {
    low: u64,
    high: Vec<u64>,
    count: usize,
}

impl ReadSet {
    fn insert(&mut self, index: usize) {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        let slot = if word == 0 {
            &mut self.low
        } else {
            if self.high.len() < word {
                self.high.resize(word, 0);
            }
            // `word - 1 < high.len()` after the resize.
            &mut self.high[word - 1]
        };
        if *slot & bit == 0 {
            *slot |= bit;
            self.count += 1;
        }
    }

    fn contains(&self, index: usize) -> bool {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        let slot = if word == 0 {
            Some(self.low)
        } else {
            self.high.get(word - 1).copied()
        };
        slot.is_some_and(|s| s & bit != 0)
    }
}

/// A filter of the keys an object has: one bit per key, chosen by its
/// length and end bytes, so that most members an object lacks (most of a
/// QAPI type's optional members) are known absent without a search.
#[inline]
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let first = b.first().copied().map_or(0, usize::from);
    let last = b.last().copied().map_or(0, usize::from);
    1u64 << ((b.len() * 5 + first * 3 + last) % 64)
}

/// The members of one JSON object being decoded, with those read so far.
#[derive(Debug)]
pub struct ObjectInput<'a> {
    members: Members<'a>,
    read: ReadSet,
    keys: u64,
    /// Where the next search starts: after the member read last.
    cursor: usize,
}

impl<'a> ObjectInput<'a> {
    /// The object `input`, or QEMU's error for a value of another type.
    pub fn new(input: Input<'a>, d: &Decoder) -> DecodeResult<Self> {
        let members = match input {
            Input::Value(Value::Object(m)) => Members::Value(m),
            Input::Tree(Tree::Object(m)) => Members::Tree(m),
            _ => return Err(d.invalid_type("object")),
        };
        let keys = match members {
            Members::Value(m) => m.keys().fold(0, |f, k| f | key_bit(k)),
            Members::Tree(m) => m.iter().fold(0, |f, (k, _)| f | key_bit(k)),
        };
        Ok(ObjectInput {
            members,
            read: ReadSet::default(),
            keys,
            cursor: 0,
        })
    }

    #[inline]
    fn take(&mut self, key: &str) -> Option<Input<'a>> {
        if self.keys & key_bit(key) == 0 {
            return None;
        }
        let (index, value) = self.members.find(key, self.cursor)?;
        self.read.insert(index);
        self.cursor = index + 1;
        Some(value)
    }

    /// Checks member `key` against the decoder's policy for its special
    /// `features`, as QEMU's visitor does when it reaches the member,
    /// before reading its value: a mandatory member always, an optional
    /// one only when present.
    pub fn check_policy(
        &self,
        key: &'static str,
        optional: bool,
        features: crate::compat::SpecialFeatures,
        d: &Decoder,
    ) -> DecodeResult<()> {
        let present =
            || self.keys & key_bit(key) != 0 && self.members.find(key, self.cursor).is_some();
        if !optional || present() {
            d.check_policy(features, "parameter", key)
        } else {
            Ok(())
        }
    }

    /// A mandatory member: `Parameter 'PATH' is missing` without it.
    pub fn required<T: super::Decode>(
        &mut self,
        key: &'static str,
        d: &mut Decoder,
    ) -> DecodeResult<T> {
        self.required_with(key, d, T::decode)
    }

    /// An optional member.
    pub fn optional<T: super::Decode>(
        &mut self,
        key: &'static str,
        d: &mut Decoder,
    ) -> DecodeResult<Option<T>> {
        self.optional_with(key, d, T::decode)
    }

    /// A mandatory member of the built-in type `size`, which keyval input
    /// spells with suffixes (`64k`).
    pub fn required_size(&mut self, key: &'static str, d: &mut Decoder) -> DecodeResult<u64> {
        self.required_with(key, d, super::decode_size)
    }

    /// An optional member of the built-in type `size`.
    pub fn optional_size(
        &mut self,
        key: &'static str,
        d: &mut Decoder,
    ) -> DecodeResult<Option<u64>> {
        self.optional_with(key, d, super::decode_size)
    }

    fn required_with<T>(
        &mut self,
        key: &'static str,
        d: &mut Decoder,
        decode: impl FnOnce(Input<'a>, &mut Decoder) -> DecodeResult<T>,
    ) -> DecodeResult<T> {
        match self.take(key) {
            Some(v) => d.at_key(key, |d| decode(v, d)),
            None => Err(d.missing(key)),
        }
    }

    fn optional_with<T>(
        &mut self,
        key: &'static str,
        d: &mut Decoder,
        decode: impl FnOnce(Input<'a>, &mut Decoder) -> DecodeResult<T>,
    ) -> DecodeResult<Option<T>> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        match d.at_key(key, |d| decode(v, d)) {
            Ok(v) => Ok(Some(v)),
            // A client reading a newer QEMU's output: a value this schema
            // does not know drops the innermost optional member around it.
            Err(e) if d.lenient() && e.is_unknown_value() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Fails on the first member (in the input's order) no type read:
    /// `Parameter 'PATH' is unexpected`; lenient decoding ignores them.
    pub fn finish(self, d: &Decoder) -> DecodeResult<()> {
        if d.lenient() || self.read.count == self.members.len() {
            return Ok(());
        }
        // QEMU reports the leftover member its hash table walks to first.
        let unread = (0..self.members.len())
            .filter(|&i| !self.read.contains(i))
            .filter_map(|i| Some((i, self.members.key(i)?)))
            .min_by_key(|&(i, k)| crate::qdict::walk_key(k, i));
        match unread.map(|(_, k)| k) {
            Some(k) => Err(d.unexpected(k)),
            None => Ok(()),
        }
    }
}

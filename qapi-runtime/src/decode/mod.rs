//! QMP input: decoding JSON into a generated type the way QEMU's QObject
//! input visitor does, with its error texts and member paths.
//!
//! The input is parsed whole before it is decoded, as QEMU does, so the
//! first error in the schema's order wins and unexpected members are
//! reported last. Entry points:
//!
//! - [`from_value`]: a [`serde_json::Value`], as a server that has
//!   already parsed a message holds its arguments.
//! - [`from_str`]: JSON text, parsed into a [`Tree`] that borrows its
//!   strings from the text (faster than parsing into a `Value`).
//! - [`from_keyval`]: the dictionary of strings that
//!   [`crate::keyval::parse`] makes of a command line such as
//!   `--blockdev driver=file,filename=a.img`; scalars are parsed from
//!   their strings per type, as QEMU's keyval input visitor does.
//! - [`from_cli`]: a command-line option's argument, JSON or keyval, as
//!   `qemu-storage-daemon --blockdev` takes it.
//! - [`from_value_lenient`], [`from_str_lenient`]: for a client reading
//!   replies and events of a QEMU that may be newer than its schema.
//!   Members the schema does not know are ignored, and an enum value it
//!   does not know makes the innermost *optional* member around it
//!   absent (`None`), so that the rest of the reply stays usable. Where
//!   no optional member encloses it (a required member, the
//!   discriminator of a union outside any optional member, the top
//!   level) decoding fails with the strict error,
//!   `Parameter 'NAME' does not accept value 'VALUE'`, for which
//!   [`DecodeError::is_unknown_value`] is true.
//!
//! Generated code implements [`Decode`] (and [`DecodeMembers`] for object
//! types) over an [`Input`], and reads objects through [`ObjectInput`].

mod input;
mod path;
mod scalars;
mod strtox;
mod tree;

use std::fmt;

use serde_json::Value;

pub use input::{Elements, Input, JsonKind, ObjectInput};
pub use path::Path;
pub use scalars::{decode_enum, decode_size, UnknownValue};
pub use tree::Tree;

/// An input error; its text is QEMU's `desc` for the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    msg: String,
    unknown_value: bool,
}

impl DecodeError {
    pub fn new(msg: impl Into<String>) -> Self {
        DecodeError {
            msg: msg.into(),
            unknown_value: false,
        }
    }

    pub fn message(&self) -> &str {
        &self.msg
    }

    /// Whether the error is an enum value the schema does not know
    /// (which lenient decoding tolerates in optional members).
    pub fn is_unknown_value(&self) -> bool {
        self.unknown_value
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for DecodeError {}

impl From<DecodeError> for crate::Error {
    fn from(e: DecodeError) -> Self {
        crate::Error::generic(e.msg)
    }
}

pub type DecodeResult<T> = Result<T, DecodeError>;

/// How the input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// QMP input, as a QEMU server reads it.
    Strict,
    /// QMP output of a possibly newer QEMU, as a client reads it.
    Lenient,
    /// Keyval input: every scalar is a string, parsed per type.
    Keyval,
}

/// The decoder's state: how it reads and where it is in the input, which
/// its error messages name.
#[derive(Debug, Clone)]
pub struct Decoder {
    mode: Mode,
    path: Path,
    /// The compatibility policy QMP input is decoded under, if any.
    policy: Option<crate::compat::CompatPolicy>,
}

impl Decoder {
    pub fn new(mode: Mode) -> Self {
        Decoder {
            mode,
            path: Path::with_capacity(8),
            policy: None,
        }
    }

    /// A strict decoder that applies `policy` to deprecated and unstable
    /// members and enum values where QEMU's input visitor does: when it
    /// reaches them, in the schema's order, so that an earlier malformed
    /// member is reported first.
    pub fn under_policy(policy: crate::compat::CompatPolicy) -> Self {
        Decoder {
            policy: Some(policy),
            ..Decoder::new(Mode::Strict)
        }
    }

    /// Checks input with special `features` against the policy, if any:
    /// QEMU's `Deprecated KIND NAME disabled by policy` (`kind` being
    /// `parameter` or `value`).
    pub fn check_policy(
        &self,
        features: crate::compat::SpecialFeatures,
        kind: &str,
        name: &str,
    ) -> DecodeResult<()> {
        match &self.policy {
            Some(policy) => policy
                .check_input(features, crate::ErrorClass::GenericError, kind, name)
                .map_err(|e| DecodeError::new(e.desc())),
            None => Ok(()),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn keyval(&self) -> bool {
        self.mode == Mode::Keyval
    }

    pub fn lenient(&self) -> bool {
        self.mode == Mode::Lenient
    }

    /// Runs `f` with the member `key` entered.
    pub fn at_key<T>(&mut self, key: &'static str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push_key(key);
        let out = f(self);
        self.path.pop();
        out
    }

    /// Runs `f` with list element `index` entered.
    pub fn at_index<T>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push_index(index);
        let out = f(self);
        self.path.pop();
        out
    }

    /// The path as QEMU's `full_name()` prints it in this mode.
    pub fn full_name(&self) -> String {
        if self.keyval() {
            self.path.keyval_name()
        } else {
            self.path.name()
        }
    }

    fn child_name(&self, key: &str) -> String {
        let mut d = self.clone();
        d.path.push_key(key.to_owned());
        d.full_name()
    }

    /// `Invalid parameter type for 'PATH', expected: WHAT`.
    pub fn invalid_type(&self, expected: &str) -> DecodeError {
        DecodeError::new(format!(
            "Invalid parameter type for '{}', expected: {expected}",
            self.full_name()
        ))
    }

    /// `Parameter 'PATH' expects WHAT` (a value of the right JSON type
    /// that is not one of the type's).
    pub fn invalid_value(&self, expected: &str) -> DecodeError {
        DecodeError::new(format!(
            "Parameter '{}' expects {expected}",
            self.full_name()
        ))
    }

    /// `Parameter 'NAME' expects WHAT` (an integer out of its type's
    /// range), with the member's own name.
    pub fn out_of_range(&self, expected: &str) -> DecodeError {
        DecodeError::new(format!(
            "Parameter '{}' expects {expected}",
            self.path.local_name()
        ))
    }

    /// `Parameter 'NAME' does not accept value 'VALUE'` (enums), with the
    /// member's own name.
    pub fn bad_enum_value(&self, value: &str) -> DecodeError {
        DecodeError {
            msg: format!(
                "Parameter '{}' does not accept value '{value}'",
                self.path.local_name()
            ),
            unknown_value: true,
        }
    }

    /// `Invalid parameter type for 'NAME', expected: ALTERNATE`, with the
    /// member's own name as QEMU's generated alternate visitor prints it.
    pub fn invalid_alternate(&self, alternate: &str) -> DecodeError {
        DecodeError::new(format!(
            "Invalid parameter type for '{}', expected: {alternate}",
            self.path.local_name()
        ))
    }

    fn missing(&self, key: &str) -> DecodeError {
        DecodeError::new(format!("Parameter '{}' is missing", self.child_name(key)))
    }

    fn unexpected(&self, key: &str) -> DecodeError {
        DecodeError::new(format!(
            "Parameter '{}' is unexpected",
            self.child_name(key)
        ))
    }

    /// A scalar of keyval input, which must be a string.
    fn keyval_str<'a>(&self, input: Input<'a>) -> DecodeResult<&'a str> {
        match input.kind() {
            JsonKind::String => Ok(input.as_str().unwrap_or_default()),
            JsonKind::Object | JsonKind::Array => Err(DecodeError::new(format!(
                "Parameters '{}.*' are unexpected",
                self.full_name()
            ))),
            _ => Err(DecodeError::new(format!(
                "Internal error: parameter {} invalid",
                self.full_name()
            ))),
        }
    }
}

/// A type QMP input can be decoded into.
pub trait Decode: Sized {
    /// Decodes `input`, found where `d` says.
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self>;

    /// Decodes a whole QMP input ([`from_value`]).
    fn from_value(value: &Value) -> DecodeResult<Self> {
        from_value(value)
    }
}

/// An object type whose members can be read from an object shared with
/// other types (a union's base and branch, a command's boxed arguments).
pub trait DecodeMembers: Sized {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self>;
}

impl<T: DecodeMembers> DecodeMembers for Box<T> {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        T::decode_members(input, d).map(Box::new)
    }
}

/// Decodes an object type: its members, then no member left over.
pub fn decode_object<T: DecodeMembers>(input: Input<'_>, d: &mut Decoder) -> DecodeResult<T> {
    let mut members = ObjectInput::new(input, d)?;
    let out = T::decode_members(&mut members, d)?;
    members.finish(d)?;
    Ok(out)
}

fn decode_with<T: Decode>(input: Input<'_>, mode: Mode) -> DecodeResult<T> {
    T::decode(input, &mut Decoder::new(mode))
}

/// Decodes QMP input held as a [`serde_json::Value`].
pub fn from_value<T: Decode>(value: &Value) -> DecodeResult<T> {
    decode_with(Input::Value(value), Mode::Strict)
}

/// Decodes QMP input from JSON text; a syntax error reads
/// `JSON parse error, ...`.
pub fn from_str<T: Decode>(text: &str) -> DecodeResult<T> {
    let tree = Tree::parse(text)?;
    decode_with(Input::Tree(&tree), Mode::Strict)
}

/// Decodes a reply or event of a possibly newer QEMU (see the module's
/// documentation).
pub fn from_value_lenient<T: Decode>(value: &Value) -> DecodeResult<T> {
    decode_with(Input::Value(value), Mode::Lenient)
}

/// [`from_value_lenient`] for JSON text.
pub fn from_str_lenient<T: Decode>(text: &str) -> DecodeResult<T> {
    let tree = Tree::parse(text)?;
    decode_with(Input::Tree(&tree), Mode::Lenient)
}

/// Decodes the dictionary [`crate::keyval::parse`] returns.
pub fn from_keyval<T: Decode>(value: &Value) -> DecodeResult<T> {
    decode_with(Input::Value(value), Mode::Keyval)
}

/// Decodes a command-line option's argument as QEMU reads a QAPI-typed
/// option (`qemu-storage-daemon --blockdev ARG` with `implied_key`
/// `driver`): JSON text when it starts with `{`, else keyval syntax.
pub fn from_cli<T: Decode>(arg: &str, implied_key: Option<&str>) -> DecodeResult<T> {
    if arg.starts_with('{') {
        return from_str(arg);
    }
    let dict = crate::keyval::parse(arg, implied_key).map_err(|e| DecodeError::new(e.message()))?;
    from_keyval(&dict)
}

#[cfg(test)]
mod tests;

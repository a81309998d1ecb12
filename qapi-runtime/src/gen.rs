//! What generated bindings name, under one short path, and the macros
//! that write the impls every enum, object type, command and event
//! shares.
//!
//! Generated files start with `use ::qapi_runtime::__gen as _q;` and
//! name everything through `_q::`: a schema may define types called
//! `String`, `Option` or `Result`, so nothing is imported by its bare
//! name, and the short prefix keeps the generated token count (and with
//! it generation and compile time) down. Not a public API: it changes
//! with the generator.

pub use std::boxed::Box;
pub use std::option::Option::{self, None, Some};
pub use std::result::Result::{self, Err, Ok};
pub use std::string::String;
pub use std::vec::Vec;

pub use serde::ser::SerializeMap;
pub use serde::{Serialize, Serializer};
pub use serde_json::{Map, Value};

pub use crate::command::{Command, Event, EventSet};
pub use crate::compat::{CompatPolicy, SpecialFeatures};
pub use crate::decode::{
    from_value, from_value_lenient, Decode, DecodeMembers, DecodeResult, Decoder, Input, JsonKind,
    ObjectInput,
};
pub use crate::dispatch::{
    decode as decode_arguments, encode as encode_reply, hide_output, no_arguments, not_found,
    Branches, CommandInfo, Dispatch, MemberShape, Shape,
};
pub use crate::encode::SerializeMembers;
pub use crate::events::{message_under, Timestamp};
pub use crate::{Error, Result as QmpResult};

pub use crate::{
    __qapi_command as command, __qapi_enum as enum_impls, __qapi_event as event,
    __qapi_members as members, __qapi_object as object,
};

/// Writes a mandatory member.
#[inline]
pub fn required<M: SerializeMap, T: Serialize + ?Sized>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(key, value)
}

/// Writes an optional member, if present.
#[inline]
pub fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => map.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// A `size` member is written as any integer; the name pairs with
/// [`ObjectInput::required_size`] in [`members!`](crate::__qapi_members).
pub use self::required as required_size;

/// An optional `size` member; see [`required_size`].
pub use self::optional as optional_size;

/// The policy check before each kind of member is read (see
/// [`ObjectInput::check_policy`]), named as the member's reading method.
pub mod policy {
    use crate::compat::SpecialFeatures;
    use crate::decode::{DecodeResult, Decoder, ObjectInput};

    pub fn required(
        input: &ObjectInput<'_>,
        key: &'static str,
        features: SpecialFeatures,
        d: &Decoder,
    ) -> DecodeResult<()> {
        input.check_policy(key, false, features, d)
    }

    pub fn optional(
        input: &ObjectInput<'_>,
        key: &'static str,
        features: SpecialFeatures,
        d: &Decoder,
    ) -> DecodeResult<()> {
        input.check_policy(key, true, features, d)
    }

    pub use self::optional as optional_size;
    pub use self::required as required_size;
}

/// Writes an empty object: a command or event without data.
pub fn serialize_empty<S: Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_map(Some(0))?.end()
}

/// `Serialize` for `$ty`, whose body `$body` serializes `$this` (the
/// value) with serializer `$s`: the scaffold the macros below share.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_serialize {
    ($ty:ident, |$this:ident, $s:ident| $body:expr) => {
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                $s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let $this = self;
                $body
            }
        }
    };
}

/// `Decode` for `$ty`, whose body `$body` decodes `$input` with decoder
/// `$d`.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_decode {
    ($ty:ident, |$input:ident, $d:ident| $body:expr) => {
        impl $crate::decode::Decode for $ty {
            fn decode(
                $input: $crate::decode::Input<'_>,
                $d: &mut $crate::decode::Decoder,
            ) -> $crate::decode::DecodeResult<Self> {
                $body
            }
        }
    };
}

/// `Serialize` and `Decode` for object types, through their
/// `SerializeMembers` and `DecodeMembers`.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_object {
    ($ty:ident) => {
        $crate::__qapi_serialize!($ty, |this, s| $crate::encode::serialize_object(this, s));
        $crate::__qapi_decode!($ty, |input, d| $crate::decode::decode_object(input, d));
    };
}

/// An enum's values on the wire: `ALL`, `as_str`, `FromStr`, `Display`,
/// `Serialize` and `Decode`. Each value is `Variant = "wire"`, after the
/// `#[cfg]` of its condition if any; values with special features follow
/// in `special { Variant: DEPRECATED, ... }`, for the decoder's policy.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_enum {
    ($ty:ident $values:tt) => {
        $crate::__qapi_enum!(@values $ty $values);
        $crate::__qapi_decode!($ty, |input, d| $crate::decode::decode_enum(input, d));
    };
    ($ty:ident $values:tt special { $($(#[$scfg:meta])* $sv:ident: $sf:ident),* $(,)? }) => {
        $crate::__qapi_enum!(@values $ty $values);
        $crate::__qapi_decode!($ty, |input, d| {
            let value: $ty = $crate::decode::decode_enum(input, d)?;
            let features = match value {
                $($(#[$scfg])* $ty::$sv => $crate::compat::SpecialFeatures::$sf,)*
                #[allow(unreachable_patterns)]
                _ => $crate::compat::SpecialFeatures::NONE,
            };
            d.check_policy(features, "value", value.as_str())?;
            ::core::result::Result::Ok(value)
        });
    };
    (@values $ty:ident { $($(#[$cfg:meta])* $v:ident = $wire:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in the schema's order.
            pub const ALL: &'static [$ty] = &[$($(#[$cfg])* $ty::$v),*];

            /// The value as QMP writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($(#[$cfg])* $ty::$v => $wire,)*
                }
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = $crate::decode::UnknownValue;
            #[allow(clippy::match_single_binding)]
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                match s {
                    $($(#[$cfg])* $wire => ::core::result::Result::Ok($ty::$v),)*
                    _ => ::core::result::Result::Err($crate::decode::UnknownValue(s.into())),
                }
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::__qapi_serialize!($ty, |this, s| s.serialize_str(this.as_str()));
    };
}

/// A struct's members, read and written in the schema's order, each
/// `how(field, "wire")`, where `how` is `required`, `optional`,
/// `required_size` or `optional_size`, after the `#[cfg]` of the
/// member's condition if any; a member with special features names them
/// (`how(field, "wire", DEPRECATED)`) for the decoder's policy. With
/// `object` it adds [`__qapi_object`]'s impls.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_members {
    (object $ty:ident $($members:tt)*) => {
        $crate::__qapi_members!($ty $($members)*);
        $crate::__qapi_object!($ty);
    };
    ($ty:ident $(, $(#[$cfg:meta])* $how:ident($field:ident, $wire:literal $(, $special:ident)?))* $(,)?) => {
        impl $crate::decode::DecodeMembers for $ty {
            #[allow(unused_variables)]
            fn decode_members(
                input: &mut $crate::decode::ObjectInput<'_>,
                decoder: &mut $crate::decode::Decoder,
            ) -> $crate::decode::DecodeResult<Self> {
                ::core::result::Result::Ok($ty {
                    $($(#[$cfg])* $field: {
                        $($crate::__gen::policy::$how(
                            input,
                            $wire,
                            $crate::compat::SpecialFeatures::$special,
                            decoder,
                        )?;)?
                        input.$how($wire, decoder)?
                    },)*
                })
            }
        }

        impl $crate::encode::SerializeMembers for $ty {
            #[allow(unused_variables)]
            fn serialize_members<M: $crate::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::core::result::Result<(), M::Error> {
                $($(#[$cfg])* $crate::__gen::$how(map, $wire, &self.$field)?;)*
                ::core::result::Result::Ok(())
            }
        }
    };
}

/// A command's type: `Serialize` (as its arguments) and `Command`.
/// `Name()` is a command without arguments, `Name(Args)` one whose
/// tuple struct holds them.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_command {
    ($ty:ident(), $wire:literal, $ret:ty) => {
        $crate::__qapi_serialize!($ty, |_this, s| $crate::__gen::serialize_empty(s));
        $crate::__qapi_command!(@command $ty, $wire, $ret);
    };
    ($ty:ident($args:ty), $wire:literal, $ret:ty) => {
        $crate::__qapi_serialize!($ty, |this, s| {
            $crate::serde::Serialize::serialize(&this.0, s)
        });
        $crate::__qapi_command!(@command $ty, $wire, $ret);
    };
    (@command $ty:ident, $wire:literal, $ret:ty) => {
        impl $crate::command::Command for $ty {
            const NAME: &'static str = $wire;
            type Returns = $ret;
        }
    };
}

/// An event's type: `Serialize`, `Decode` and `Event`. `Name()` is an
/// event without data, `Name(Data)` one whose tuple struct holds it;
/// `features` are its special features, if any.
#[doc(hidden)]
#[macro_export]
macro_rules! __qapi_event {
    ($ty:ident(), $wire:literal $(, $features:expr)?) => {
        $crate::__qapi_serialize!($ty, |_this, s| $crate::__gen::serialize_empty(s));

        // An event without data arrives with none, or an empty
        // object.
        $crate::__qapi_decode!($ty, |input, d| {
            $crate::decode::ObjectInput::new(input, d)?.finish(d)?;
            ::core::result::Result::Ok($ty)
        });

        impl $crate::command::Event for $ty {
            const NAME: &'static str = $wire;
            const HAS_DATA: bool = false;
            $(const FEATURES: $crate::compat::SpecialFeatures = $features;)?
        }
    };
    ($ty:ident($data:ty), $wire:literal $(, $features:expr)?) => {
        $crate::__qapi_serialize!($ty, |this, s| {
            $crate::serde::Serialize::serialize(&this.0, s)
        });

        $crate::__qapi_decode!($ty, |input, d| {
            $crate::decode::Decode::decode(input, d).map($ty)
        });

        impl $crate::command::Event for $ty {
            const NAME: &'static str = $wire;
            $(const FEATURES: $crate::compat::SpecialFeatures = $features;)?
        }
    };
}

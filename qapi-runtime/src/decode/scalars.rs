//! The built-in types, lists and enums, in both QMP and keyval input.

use std::fmt;

use serde_json::Value;

use super::{strtox, Decode, DecodeResult, Decoder, Input};

impl<T: Decode> Decode for Vec<T> {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        let Some(items) = input.elements() else {
            return Err(d.invalid_type("array"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.enumerate() {
            out.push(d.at_index(i, |d| T::decode(item, d))?);
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        T::decode(input, d).map(Box::new)
    }
}

/// A string: in keyval input any scalar is one.
fn string<'a>(input: Input<'a>, d: &Decoder) -> DecodeResult<&'a str> {
    if d.keyval() {
        return d.keyval_str(input);
    }
    input.as_str().ok_or_else(|| d.invalid_type("string"))
}

impl Decode for String {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        string(input, d).map(str::to_owned)
    }
}

impl Decode for bool {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        if d.keyval() {
            let s = d.keyval_str(input)?;
            return strtox::parse_bool(s).ok_or_else(|| d.invalid_value("'on' or 'off'"));
        }
        input.as_bool().ok_or_else(|| d.invalid_type("boolean"))
    }
}

impl Decode for f64 {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        if d.keyval() {
            let s = d.keyval_str(input)?;
            return strtox::parse_f64(s).ok_or_else(|| d.invalid_type("number"));
        }
        input
            .as_number()
            .and_then(serde_json::Number::as_f64)
            .ok_or_else(|| d.invalid_type("number"))
    }
}

impl Decode for () {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        if input.is_null() {
            Ok(())
        } else {
            Err(d.invalid_type("null"))
        }
    }
}

/// `any`: the value as it is (in keyval input, strings and objects).
impl Decode for Value {
    fn decode(input: Input<'_>, _d: &mut Decoder) -> DecodeResult<Self> {
        Ok(input.to_value())
    }
}

impl Decode for i64 {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        if d.keyval() {
            let s = d.keyval_str(input)?;
            return strtox::parse_i64(s).ok_or_else(|| d.invalid_value("integer"));
        }
        input
            .as_number()
            .and_then(serde_json::Number::as_i64)
            .ok_or_else(|| d.invalid_type("integer"))
    }
}

impl Decode for u64 {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        if d.keyval() {
            let s = d.keyval_str(input)?;
            return strtox::parse_u64(s).ok_or_else(|| d.invalid_value("integer"));
        }
        // QEMU takes a negative number for an unsigned one, for
        // compatibility, as its two's complement.
        input
            .as_number()
            .and_then(|n| n.as_u64().or_else(|| n.as_i64().map(|i| i as u64)))
            .ok_or_else(|| d.invalid_value("uint64"))
    }
}

/// The built-in type `size`: a `uint64` in QMP input; in keyval input,
/// QEMU's size syntax (`64k`, `1.5G`).
pub fn decode_size(input: Input<'_>, d: &mut Decoder) -> DecodeResult<u64> {
    if d.keyval() {
        let s = d.keyval_str(input)?;
        return strtox::parse_size(s).ok_or_else(|| d.invalid_value("size"));
    }
    u64::decode(input, d)
}

macro_rules! narrow_int {
    ($($t:ty, $wide:ty, $c:literal;)*) => {$(
        impl Decode for $t {
            fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
                let wide = <$wide>::decode(input, d)?;
                <$t>::try_from(wide).map_err(|_| d.out_of_range($c))
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

/// Decodes an enum from its wire name: `Parameter 'NAME' does not accept
/// value 'VALUE'` for a string that names none of its values.
pub fn decode_enum<T: std::str::FromStr>(input: Input<'_>, d: &mut Decoder) -> DecodeResult<T> {
    let s = string(input, d)?;
    s.parse().map_err(|_| d.bad_enum_value(s))
}

//! Numbers and flags spelled as keyval strings, read by the rules of the
//! C library functions QEMU's keyval input visitor calls (`strtoll`,
//! `strtoull` and `strtod` in the C locale, and QEMU's size parser): what
//! each accepts and rejects, so that a command line QEMU takes is taken
//! here and one it refuses is refused.

// Positions below are counts of bytes scanned in the same slice, so the
// slices `from` and `upto` take never fall outside it; they return an
// empty slice if one did rather than panic.

/// `s` from byte `n` on.
fn from(s: &[u8], n: usize) -> &[u8] {
    s.get(n..).unwrap_or_default()
}

/// The first `n` bytes of `s`.
fn upto(s: &[u8], n: usize) -> &[u8] {
    s.get(..n).unwrap_or_default()
}

/// The C locale's white space, which `strto*` skip before a number.
fn skip_space(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    from(s, n)
}

/// Splits off a leading sign: (negative, rest).
fn sign(s: &[u8]) -> (bool, &[u8]) {
    match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    }
}

/// The magnitude of an unsigned number in `strtoull`'s syntax with base
/// 0 (`0x` hexadecimal, leading `0` octal, else decimal) spanning all of
/// `s`; `None` if it does not, or overflows 64 bits.
fn magnitude(s: &[u8]) -> Option<u64> {
    let (radix, digits) = match s {
        [b'0', b'x' | b'X', rest @ ..] if rest.first().is_some_and(u8::is_ascii_hexdigit) => {
            (16, rest)
        }
        [b'0', rest @ ..] => (8, rest),
        _ => (10, s),
    };
    // A lone `0` is octal zero with no more digits.
    if digits.is_empty() && radix != 8 {
        return None;
    }
    let mut value: u64 = 0;
    for &c in digits {
        let d = char::from(c).to_digit(radix)?;
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(d))?;
    }
    Some(value)
}

/// `qemu_strtoi64(s, NULL, 0, ...)` succeeding.
pub fn parse_i64(s: &str) -> Option<i64> {
    let (neg, rest) = sign(skip_space(s.as_bytes()));
    let m = magnitude(rest)?;
    if neg {
        // -2^63 is the one magnitude beyond i64::MAX that fits.
        0i64.checked_sub_unsigned(m)
    } else {
        i64::try_from(m).ok()
    }
}

/// `qemu_strtou64(s, NULL, 0, ...)` succeeding: like `strtoull`, a
/// negative number is its magnitude negated modulo 2^64.
pub fn parse_u64(s: &str) -> Option<u64> {
    let (neg, rest) = sign(skip_space(s.as_bytes()));
    let m = magnitude(rest)?;
    Some(if neg { m.wrapping_neg() } else { m })
}

/// `qapi_bool_parse`'s spellings.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "on" | "yes" | "true" | "y" => Some(true),
        "off" | "no" | "false" | "n" => Some(false),
        _ => None,
    }
}

/// `qemu_strtod_finite(s, NULL, ...)` succeeding: a finite number that
/// neither overflows nor underflows, spanning all of `s`.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (len, value) = strtod(s.as_bytes())?;
    if len != s.len() || !value.is_finite() {
        return None;
    }
    Some(value)
}

/// `strtod`'s longest prefix of `s` that is a number: its length and
/// value; `None` without one, or when the value underflows (which
/// `strtod` reports as a range error).
fn strtod(s: &[u8]) -> Option<(usize, f64)> {
    let lead = s.len() - skip_space(s).len();
    let (neg, body) = sign(from(s, lead));
    let start = s.len() - body.len();
    let (len, magnitude) = if let [b'0', b'x' | b'X', rest @ ..] = body {
        let (len, v) = hex_float(rest)?;
        (len + 2, v)
    } else if let Some(len) = special(body) {
        // The caller rejects infinities and NaN; their value is moot.
        (len, f64::INFINITY)
    } else {
        let len = decimal_float_len(body)?;
        let text = std::str::from_utf8(upto(body, len)).ok()?;
        let v: f64 = text.parse().ok()?;
        let nonzero = upto(body, len)
            .iter()
            .take_while(|c| !matches!(c, b'e' | b'E'))
            .any(|c| matches!(c, b'1'..=b'9'));
        if nonzero && (v == 0.0 || v.is_subnormal()) {
            return None;
        }
        (len, v)
    };
    Some((start + len, if neg { -magnitude } else { magnitude }))
}

/// The length of `inf`, `infinity` or `nan` (any case) at the start.
fn special(s: &[u8]) -> Option<usize> {
    let lower: Vec<u8> = s.iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"infinity") {
        Some(8)
    } else if lower.starts_with(b"inf") || lower.starts_with(b"nan") {
        Some(3)
    } else {
        None
    }
}

/// The length of the longest decimal floating-point prefix: digits with
/// an optional point (at least one digit), then an optional exponent.
fn decimal_float_len(s: &[u8]) -> Option<usize> {
    let digits = |at: usize| {
        from(s, at)
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let int = digits(0);
    let mut len = int;
    let mut frac = 0;
    if s.get(len) == Some(&b'.') {
        frac = digits(len + 1);
        len += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    if matches!(s.get(len), Some(b'e' | b'E')) {
        let (_, after) = sign(from(s, len + 1));
        let exp_start = s.len() - after.len();
        let exp = digits(exp_start);
        if exp > 0 {
            len = exp_start + exp;
        }
    }
    Some(len)
}

/// A hexadecimal float after its `0x`: hex digits with an optional
/// point, then an optional binary exponent `p[+-]digits`. The value is
/// exact for up to 13 significant hex digits (a float's 52 bits); longer
/// mantissas may round differently from the C library.
fn hex_float(s: &[u8]) -> Option<(usize, f64)> {
    let hex = |at: usize| {
        from(s, at)
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count()
    };
    let int = hex(0);
    let mut len = int;
    let mut frac = 0;
    if s.get(len) == Some(&b'.') {
        frac = hex(len + 1);
        len += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    let mut mantissa = 0f64;
    let mut scale: i64 = 0;
    for (i, &c) in upto(s, len).iter().filter(|&&c| c != b'.').enumerate() {
        let d = char::from(c).to_digit(16).map_or(0.0, f64::from);
        mantissa = mantissa * 16.0 + d;
        if i >= int {
            scale -= 4;
        }
    }
    if matches!(s.get(len), Some(b'p' | b'P')) {
        let (neg, after) = sign(from(s, len + 1));
        let start = s.len() - after.len();
        let n = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            let exp: i64 = std::str::from_utf8(upto(after, n))
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(i64::from(i32::MAX));
            scale = scale.saturating_add(if neg { -exp } else { exp });
            len = start + n;
        }
    }
    let scale = i32::try_from(scale.clamp(-2000, 2000)).unwrap_or(0);
    Some((len, mantissa * 2f64.powi(scale)))
}

/// `qemu_strtosz(s, NULL, ...)` succeeding: a byte count, decimal or
/// hexadecimal, with an optional binary suffix (`B`, `K`, `M`, `G`, `T`,
/// `P`, `E`, any case); a decimal fraction needs a suffix above `B`.
pub fn parse_size(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (mut val, mut end, int_ok) = match parse_uint10(b) {
        UintPrefix::Negative | UintPrefix::Overflow => return None,
        UintPrefix::Value(v, end) => (v, end, true),
        UintPrefix::Nothing => (0, 0, false),
    };
    let mut valf: u64 = 0;
    if int_ok && val == 0 && matches!(b.get(end), Some(b'x' | b'X')) {
        let (len, v) = strtou64_hex_prefix(b)?;
        val = v;
        end = len;
        if matches!(b.get(end), Some(b'.')) || b.get(end).is_some_and(|&c| suffix(c).is_some()) {
            return None;
        }
    } else if b.get(end) == Some(&b'.') || (!int_ok && b.contains(&b'.')) {
        if int_ok && !b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 1;
        } else {
            // The fraction with any exponent cut off, so that `e` reads
            // as the exabyte suffix.
            let rest = from(b, end);
            let cut = rest
                .iter()
                .position(|c| matches!(c, b'e' | b'E'))
                .unwrap_or(rest.len());
            let copy = upto(rest, cut);
            let (len, fraction, underflow) = match strtod(copy) {
                Some((len, f)) if f.is_finite() => (len, f, false),
                // An underflow still reads, as a tiny non-zero fraction.
                None if underflows(copy) => (decimal_len(copy), 0.0, true),
                _ => return None,
            };
            if fraction.is_sign_negative() || (underflow && copy_is_negative(copy)) {
                return None;
            }
            if !int_ok && len == 0 {
                return None;
            }
            end += len;
            if fraction == 1.0 {
                val = val.checked_add(1)?;
            } else if underflow {
                valf = 1;
            } else {
                // 0 <= fraction < 1, so the product fits.
                valf = (fraction * 18_446_744_073_709_551_616.0) as u64;
                if valf == 0 && fraction > 0.0 {
                    valf = 1;
                }
            }
        }
    } else if !int_ok {
        return None;
    }
    let mul = match b.get(end).and_then(|&c| suffix(c)) {
        Some(m) => {
            end += 1;
            m
        }
        None => 1,
    };
    if end != b.len() {
        return None;
    }
    if mul == 1 {
        return (valf == 0).then_some(val);
    }
    let whole = u128::from(val) * u128::from(mul);
    let part = u128::from(valf) * u128::from(mul);
    // The fraction's share, rounded half up.
    let total = whole + (part >> 64) + ((part >> 63) & 1);
    u64::try_from(total).ok()
}

fn suffix(c: u8) -> Option<u64> {
    let exp = match c.to_ascii_uppercase() {
        b'B' => 0,
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        _ => return None,
    };
    Some(1u64 << (10 * exp))
}

enum UintPrefix {
    Value(u64, usize),
    Nothing,
    Negative,
    Overflow,
}

/// QEMU's `parse_uint(s, &end, 10, ...)`: a decimal prefix after white
/// space and a sign, where any minus sign is a range error.
fn parse_uint10(b: &[u8]) -> UintPrefix {
    let lead = b.len() - skip_space(b).len();
    let (neg, rest) = sign(from(b, lead));
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return UintPrefix::Nothing;
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for &c in upto(rest, n) {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(c - b'0')))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    if overflow {
        UintPrefix::Overflow
    } else if neg {
        UintPrefix::Negative
    } else {
        UintPrefix::Value(v, b.len() - rest.len() + n)
    }
}

/// `strtoull(s, &end, 16)` for a string known to start (after white
/// space) with `0x`: its end and value; `None` on overflow.
fn strtou64_hex_prefix(b: &[u8]) -> Option<(usize, u64)> {
    let lead = b.len() - skip_space(b).len();
    let (_, rest) = sign(from(b, lead));
    let start = b.len() - rest.len();
    let digits = match rest {
        [b'0', b'x' | b'X', tail @ ..] if tail.first().is_some_and(u8::is_ascii_hexdigit) => tail,
        // `0x` without hex digits reads as `0`, ending before the `x`.
        _ => return Some((start + 1, 0)),
    };
    let n = digits.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    let mut v: u64 = 0;
    for &c in upto(digits, n) {
        let d = char::from(c).to_digit(16).map_or(0, u64::from);
        v = v.checked_mul(16)?.checked_add(d)?;
    }
    Some((b.len() - digits.len() + n, v))
}

/// Whether `s` starts with a non-zero decimal fraction too small for a
/// float.
fn underflows(s: &[u8]) -> bool {
    let len = decimal_len(s);
    len > 0 && {
        let body = upto(s, len);
        let text = std::str::from_utf8(body).unwrap_or("0");
        let nonzero = body.iter().any(|c| matches!(c, b'1'..=b'9'));
        nonzero
            && text
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| v == 0.0 || v.is_subnormal())
    }
}

fn decimal_len(s: &[u8]) -> usize {
    let lead = s.len() - skip_space(s).len();
    let (_, body) = sign(from(s, lead));
    let start = s.len() - body.len();
    decimal_float_len(body).map_or(0, |n| start + n)
}

fn copy_is_negative(s: &[u8]) -> bool {
    skip_space(s).first() == Some(&b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_strtoll() {
        assert_eq!(parse_i64("42"), Some(42));
        assert_eq!(parse_i64(" \t-42"), Some(-42));
        assert_eq!(parse_i64("+7"), Some(7));
        assert_eq!(parse_i64("0x1F"), Some(31));
        assert_eq!(parse_i64("010"), Some(8));
        assert_eq!(parse_i64("0"), Some(0));
        assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
        for bad in [
            "",
            " ",
            "-",
            "08",
            "0x",
            "0xg",
            "1k",
            "12 ",
            "9223372036854775808",
            "1.0",
        ] {
            assert_eq!(parse_i64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unsigned_integers_wrap_negatives_as_strtoull() {
        assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64("-1"), Some(u64::MAX));
        assert_eq!(parse_u64("-18446744073709551615"), Some(1));
        assert_eq!(parse_u64("-18446744073709551616"), None);
        assert_eq!(parse_u64("18446744073709551616"), None);
        assert_eq!(parse_u64("0X10"), Some(16));
    }

    #[test]
    fn flags_take_qemus_spellings() {
        for t in ["on", "yes", "true", "y"] {
            assert_eq!(parse_bool(t), Some(true));
        }
        for f in ["off", "no", "false", "n"] {
            assert_eq!(parse_bool(f), Some(false));
        }
        for bad in ["On", "1", "0", "", "yes "] {
            assert_eq!(parse_bool(bad), None);
        }
    }

    #[test]
    fn numbers_follow_strtod() {
        assert_eq!(parse_f64("1.5"), Some(1.5));
        assert_eq!(parse_f64(" -2e3"), Some(-2000.0));
        assert_eq!(parse_f64(".5"), Some(0.5));
        assert_eq!(parse_f64("5."), Some(5.0));
        assert_eq!(parse_f64("0x1.8p1"), Some(3.0));
        assert_eq!(parse_f64("0"), Some(0.0));
        assert_eq!(parse_f64("0e-999"), Some(0.0));
        for bad in ["", "inf", "nan", "1e400", "1e-400", "1e", "1.5x", "e3", "."] {
            assert_eq!(parse_f64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn sizes_follow_qemu_strtosz() {
        let table: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("512", Some(512)),
            ("1k", Some(1024)),
            ("1K", Some(1024)),
            ("2M", Some(2 << 20)),
            ("1G", Some(1 << 30)),
            ("1T", Some(1 << 40)),
            ("1P", Some(1 << 50)),
            ("1E", Some(1 << 60)),
            ("16E", None),
            ("8b", Some(8)),
            ("1.5k", Some(1536)),
            ("1.k", Some(1024)),
            (".5k", Some(512)),
            ("0.5", None),
            ("1.5", None),
            ("0x10", Some(16)),
            ("0x10k", None),
            ("0x1.8", None),
            ("-1", None),
            ("-0", None),
            ("-.5k", None),
            (" 12", Some(12)),
            ("12 ", None),
            ("1kb", None),
            ("", None),
            ("k", None),
            ("010", Some(10)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("1.5e", Some(1536 << 50)),
            ("0x", None),
        ];
        for &(text, want) in table {
            assert_eq!(parse_size(text), want, "{text:?}");
        }
    }
}

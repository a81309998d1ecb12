//! QEMU's "modified UTF-8": UTF-8 in which U+0000 may also be written as
//! the overlong `C0 80`, and which rejects surrogates and Unicode's
//! noncharacters. QMP strings are validated with these rules, and bytes
//! that break them are shown as U+FFFD in error texts.

/// Whether QEMU accepts `cp` as a character.
pub(crate) fn is_valid_codepoint(cp: u32) -> bool {
    cp <= 0x10FFFF
        && !(0xFDD0..=0xFDEF).contains(&cp)
        && (cp & 0xFFFE) != 0xFFFE
        && !(0xD800..=0xDFFF).contains(&cp)
}

/// Decodes the sequence at the start of `s` (which must not be empty):
/// the code point, or `None` when invalid, and the sequence's length as
/// QEMU measures it (a bad lead byte is one byte; a sequence cut short
/// ends before the first byte that does not continue it).
pub(crate) fn decode_one(s: &[u8]) -> (Option<u32>, usize) {
    let Some(&lead) = s.first() else {
        return (None, 0);
    };
    if lead < 0x80 {
        return (Some(u32::from(lead)), 1);
    }
    if lead >= 0xFE || lead & 0x40 == 0 {
        return (None, 1);
    }
    let len = lead.leading_ones() as usize;
    let mut cp = u32::from(lead) & (0x7F >> len);
    for i in 1..len {
        match s.get(i) {
            Some(&b) if b & 0xC0 == 0x80 => cp = (cp << 6) | u32::from(b & 0x3F),
            _ => return (None, i),
        }
    }
    const MIN: [u32; 5] = [0x80, 0x800, 0x10000, 0x20_0000, 0x400_0000];
    let overlong = MIN.get(len - 2).is_some_and(|&min| cp < min) && !(cp == 0 && len == 2);
    if !is_valid_codepoint(cp) || overlong {
        return (None, len);
    }
    (Some(cp), len)
}

/// The text QEMU's JSON writer makes of a C string holding arbitrary
/// bytes: it ends at the first NUL, and every invalid sequence becomes
/// U+FFFD.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let mut rest = bytes.get(..end).unwrap_or_default();
    let mut out = String::with_capacity(rest.len());
    while !rest.is_empty() {
        let (cp, len) = decode_one(rest);
        out.push(cp.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
        // A sequence is at least one byte long when input is left.
        rest = rest.get(len.max(1)..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_qemu() {
        assert_eq!(decode_one(b"a"), (Some(0x61), 1));
        assert_eq!(decode_one(b"\xC0\x80"), (Some(0), 2));
        assert_eq!(decode_one(b"\xC1\x81"), (None, 2));
        assert_eq!(decode_one(b"\xE2\x82\xAC"), (Some(0x20AC), 3));
        assert_eq!(decode_one(b"\xE2\x82x"), (None, 2));
        assert_eq!(decode_one(b"\xED\xA0\x80"), (None, 3));
        assert_eq!(decode_one(b"\xEF\xBF\xBE"), (None, 3));
        assert_eq!(decode_one(b"\xF4\x90\x80\x80"), (None, 4));
        assert_eq!(decode_one(b"\x80"), (None, 1));
        assert_eq!(decode_one(b"\xFF"), (None, 1));
        assert_eq!(decode_one(b"\xFD\xBF\xBF\xBF\xBF\xBF"), (None, 6));
    }

    #[test]
    fn lossy_stops_at_nul_and_replaces() {
        assert_eq!(lossy(b"a\xFFb\0c"), "a\u{FFFD}b");
        assert_eq!(lossy(b"\xE2\x82"), "\u{FFFD}");
        assert_eq!(lossy(b"\xC0\x80"), "\0");
    }
}

//! Python's `repr()` of parsed values, as legacy messages interpolate
//! them (QEMU's parser made objects `OrderedDict`s).

use crate::ast::{Value, ValueKind};

/// `repr(s)` of a Python 3 string.
pub(super) fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c == '\u{ad}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr()` of a parsed value; objects are `OrderedDict`s.
pub(super) fn repr(value: &Value) -> String {
    match &value.kind {
        ValueKind::Str(s) => str_repr(s),
        ValueKind::Bool(true) => "True".to_owned(),
        ValueKind::Bool(false) => "False".to_owned(),
        ValueKind::Null => "None".to_owned(),
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(repr).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Dict(d) if d.is_empty() => "OrderedDict()".to_owned(),
        ValueKind::Dict(d) => {
            let items: Vec<String> = d
                .iter()
                .map(|(k, v)| format!("({}, {})", str_repr(k), repr(v)))
                .collect();
            format!("OrderedDict([{}])", items.join(", "))
        }
    }
}

/// `repr()` of an inline union base as the checker sees it: from 4.0 a
/// member given as a bare type was replaced by a plain dict
/// `{'type': T}` (`wrapped`).
pub(super) fn base_repr(base: &Value, wrapped: bool) -> String {
    let ValueKind::Dict(d) = &base.kind else {
        return match &base.kind {
            // A type name is interpolated as itself.
            ValueKind::Str(s) => s.clone(),
            _ => repr(base),
        };
    };
    if d.is_empty() || !wrapped {
        return repr(base);
    }
    let items: Vec<String> = d
        .iter()
        .map(|(k, v)| {
            let v = if v.is_dict() {
                repr(v)
            } else {
                format!("{{'type': {}}}", repr(v))
            };
            format!("({}, {v})", str_repr(k))
        })
        .collect();
    format!("OrderedDict([{}])", items.join(", "))
}

//! QEMU's QDict as far as clients can see it: the order in which its keys
//! come out (the runtime's walk order, which decides the text of
//! `json:{...}` file names and which option a reopen error names first),
//! and QEMU's JSON text.

use serde_json::{Map, Value};

/// Keys in the order QDict iterates them; `keys` is in insertion order.
pub use qapi_runtime::qdict::walk_order_of as iteration_order;

/// The text QEMU's JSON writer makes of a value: `", "` and `": "` as
/// separators, object keys in QDict order.
pub fn to_qemu_json(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_map(out, map),
    }
}

fn write_map(out: &mut String, map: &Map<String, Value>) {
    out.push('{');
    for (i, key) in iteration_order(map.keys().map(String::as_str))
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push_str(", ");
        }
        write_str(out, key);
        out.push_str(": ");
        if let Some(v) = map.get(key) {
            write(out, v);
        }
    }
    out.push('}');
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) >= 0x7f => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Flattens nested objects into dotted keys (`cache.direct`), as QEMU
/// does to block options before comparing them.
pub fn flatten(map: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    flatten_into(&mut out, "", map);
    out
}

fn flatten_into(out: &mut Vec<(String, Value)>, prefix: &str, map: &Map<String, Value>) {
    for (k, v) in map {
        let key = format!("{prefix}{k}");
        match v {
            Value::Object(inner) => flatten_into(out, &format!("{key}."), inner),
            _ => out.push((key, v.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Orders seen in qemu-storage-daemon 10.0's `json:` file names.
    #[test]
    fn keys_come_out_in_qemu_order() {
        assert_eq!(
            to_qemu_json(&json!({"driver": "null-co", "size": 4096, "read-zeroes": true})),
            r#"{"read-zeroes": true, "driver": "null-co", "size": 4096}"#
        );
        assert_eq!(
            iteration_order(["driver", "file", "offset", "size"]),
            ["offset", "driver", "size", "file"]
        );
        assert_eq!(
            iteration_order(["driver", "file", "backing"]),
            ["backing", "driver", "file"]
        );
    }

    #[test]
    fn strings_are_escaped_as_qemu_does() {
        assert_eq!(
            to_qemu_json(&json!("a/\"b\"\n\u{e9}")),
            r#""a/\"b\"\n\u00E9""#
        );
    }
}

//! QEMU's command-line syntax `KEY=VALUE,...` (its `util/keyval.c`), as
//! `qemu-storage-daemon --blockdev` and other QAPI-typed options take it:
//! the string becomes a JSON object of strings, nested by dotted keys,
//! with lists where a level's keys are all numbers, and QEMU's error
//! texts. [`crate::decode::from_keyval`] then decodes it into a type.
//!
//! ```text
//! driver=qcow2,file.driver=file,file.filename=a,,b.img,opts.0=x,opts.1=y
//! {"driver": "qcow2", "file": {"driver": "file", "filename": "a,b.img"},
//!  "opts": ["x", "y"]}
//! ```
//!
//! - A key is fragments joined by `.`; the first is a QAPI name
//!   (`node-name`, `__com.example_x`), the others QAPI names or decimal
//!   indexes; each at most 127 bytes.
//! - In a value, `,,` stands for a comma.
//! - With an implied key, the first parameter may be a bare value
//!   (`qcow2,file=...` for `driver=qcow2,file=...`).
//! - The last of several values for one key wins; a key cannot be both a
//!   value and an object; a list's indexes must be 0, 1, ... without gaps,
//!   in any order.
//! - `help` or `?` asks for help, which this parser, like
//!   qemu-storage-daemon's `--blockdev`, does not give.
//!
//! Where QEMU walks a dictionary's members in its hash table's order (to
//! turn objects into lists, and so to pick which of several errors to
//! report), the walk here takes the same order. The result keeps the
//! order in which keys first appear. A C string ends at a NUL byte, so
//! the input is read up to the first one. Nesting is limited to
//! [`MAX_DEPTH`] levels, which QEMU does not limit.

use std::fmt;

use serde_json::{Map, Value};

/// The most key fragments one key may have, which keeps the recursion
/// over the result shallow.
pub const MAX_DEPTH: usize = 128;

/// A keyval syntax error; its text is QEMU's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyvalError(String);

impl KeyvalError {
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyvalError {}

impl From<KeyvalError> for crate::Error {
    fn from(e: KeyvalError) -> Self {
        crate::Error::generic(e.0)
    }
}

fn err<T>(msg: String) -> Result<T, KeyvalError> {
    Err(KeyvalError(msg))
}

/// Parses `input` into an object of strings, objects and lists;
/// `implied_key` names the key of a leading bare value (QSD's
/// `--blockdev` implies `driver`).
pub fn parse(input: &str, implied_key: Option<&str>) -> Result<Value, KeyvalError> {
    let input = input.split('\0').next().unwrap_or_default();
    let mut root = Map::new();
    let mut help = false;
    let mut rest = input;
    let mut implied_key = implied_key;
    while !rest.is_empty() {
        rest = parse_one(&mut root, rest, implied_key, &mut help)?;
        implied_key = None;
    }
    if help {
        return err("Help is not available for this option".to_owned());
    }
    // The first fragment of a key is a name, never an index, so the top
    // level stays an object.
    listify(&mut root, &mut Vec::new())?;
    Ok(Value::Object(root))
}

/// Parses the parameter at the start of `params` into `root`; returns
/// the rest of the input after it.
fn parse_one<'a>(
    root: &mut Map<String, Value>,
    params: &'a str,
    implied_key: Option<&'a str>,
    help: &mut bool,
) -> Result<&'a str, KeyvalError> {
    // `find` stops at an ASCII delimiter, a char boundary.
    let len = params.find(['=', ',']).unwrap_or(params.len());
    let (mut key, tail) = params.split_at(len);
    let mut implied_value = None;
    if len > 0 && !tail.starts_with('=') {
        if key == "?" || key == "help" {
            *help = true;
            return Ok(tail.strip_prefix(',').unwrap_or(tail));
        }
        if let Some(k) = implied_key {
            implied_value = Some(key);
            key = k;
        }
    }

    // Fragment by fragment, as QEMU checks them: an object is made for
    // each fragment before the next is checked.
    let bytes = key.as_bytes();
    let mut cur = root;
    let mut start = 0;
    let mut depth = 0;
    let mut prev: Option<&str> = None;
    let last = loop {
        // `start` is 0 or just after a '.', so slicing there is safe.
        let s = &bytes[start..];
        let len = if start > 0 && s.first().is_some_and(u8::is_ascii_digit) {
            s.iter().take_while(|c| c.is_ascii_digit()).count()
        } else {
            qapi_name_len(s)
        };
        if len == 0 || s.get(len).is_some_and(|&c| c != b'.') {
            return err(format!("Invalid parameter '{key}'"));
        }
        // Fragments are ASCII, so their ends are char boundaries.
        let frag = &key[start..start + len];
        if len > 127 {
            let whole = start == 0 && len == s.len();
            return err(format!(
                "Parameter{} '{frag}' is too long",
                if whole { "" } else { " fragment" },
            ));
        }
        if let Some(parent) = prev {
            depth += 1;
            if depth >= MAX_DEPTH {
                return err(format!("Parameter '{key}' is nested too deeply"));
            }
            let entry = cur
                .entry(parent.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            cur = match entry {
                Value::Object(m) => m,
                // The key up to the dot before this fragment.
                _ => return err(inconsistent(key.get(..start - 1).unwrap_or(key))),
            };
        }
        start += len;
        if start == bytes.len() {
            break frag;
        }
        prev = Some(frag);
        start += 1;
    };

    let (value, rest) = match implied_value {
        Some(v) => (v.to_owned(), tail.strip_prefix(',').unwrap_or("")),
        None => {
            let Some(after) = tail.strip_prefix('=') else {
                return err(format!("Expected '=' after parameter '{key}'"));
            };
            unescape_value(after)
        }
    };
    match cur.get_mut(last) {
        Some(Value::String(old)) => *old = value,
        Some(_) => return err(inconsistent(key)),
        None => {
            cur.insert(last.to_owned(), Value::String(value));
        }
    }
    Ok(rest)
}

fn inconsistent(key: &str) -> String {
    format!("Parameters '{key}.*' used inconsistently")
}

/// A value up to the first lone comma, with `,,` read as `,`; and the
/// input after that comma.
fn unescape_value(s: &str) -> (String, &str) {
    let mut value = String::new();
    let mut rest = s;
    loop {
        match rest.split_once(',') {
            None => {
                value.push_str(rest);
                return (value, "");
            }
            Some((head, after)) => {
                value.push_str(head);
                match after.strip_prefix(',') {
                    Some(more) => {
                        value.push(',');
                        rest = more;
                    }
                    None => return (value, after),
                }
            }
        }
    }
}

/// The length of the QAPI name at the start of `s` (0 if there is none):
/// a letter, then letters, digits, `-` and `_`, after an optional
/// downstream prefix `__RFQDN_`.
fn qapi_name_len(s: &[u8]) -> usize {
    let mut p = 0;
    if s.first() == Some(&b'_') {
        if s.get(1) != Some(&b'_') {
            return 0;
        }
        p = 2;
        while s
            .get(p)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
        {
            p += 1;
        }
        if s.get(p) != Some(&b'_') {
            return 0;
        }
        p += 1;
    }
    if !s.get(p).is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    p += 1;
    while s
        .get(p)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        p += 1;
    }
    p
}

/// A key as a list index: its decimal digits' value, capped at `i32::MAX`
/// as QEMU caps it; `None` for a key that is not all digits.
fn key_to_index(key: &str) -> Option<usize> {
    if key.is_empty() || !key.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let cap = i32::MAX as usize;
    Some(
        key.bytes()
            .try_fold(0usize, |acc, c| {
                let v = acc * 10 + usize::from(c - b'0');
                (v <= cap).then_some(v)
            })
            .unwrap_or(cap),
    )
}

/// The keys of `map` in QDict's iteration order.
fn qdict_order(map: &Map<String, Value>) -> Vec<String> {
    crate::qdict::walk_order(map)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// `prefix` as QEMU's error messages print a list's key: each fragment
/// followed by a dot.
fn reassemble(prefix: &[String]) -> String {
    prefix.iter().map(|f| format!("{f}.")).collect()
}

/// Turns every object under `map` whose keys are all indexes into a
/// list, innermost first, as QEMU does; returns `map`'s own list if it
/// is one.
fn listify(
    map: &mut Map<String, Value>,
    prefix: &mut Vec<String>,
) -> Result<Option<Vec<Value>>, KeyvalError> {
    let keys = qdict_order(map);
    let mut has_index = false;
    let mut has_member = false;
    for key in &keys {
        if key_to_index(key).is_some() {
            has_index = true;
        } else {
            has_member = true;
        }
        let Some(child) = map.get_mut(key.as_str()) else {
            continue;
        };
        if let Value::Object(members) = child {
            prefix.push(key.clone());
            let list = listify(members, prefix);
            prefix.pop();
            if let Some(list) = list? {
                *child = Value::Array(list);
            }
        }
    }
    if has_index && has_member {
        return err(format!(
            "Parameters '{}*' used inconsistently",
            reassemble(prefix)
        ));
    }
    if !has_index {
        return Ok(None);
    }
    // QEMU sizes the list by the member count, plus one empty slot: an
    // index beyond that leaves a gap, which is reported as missing.
    let slots = map.len() + 1;
    let mut elements: Vec<Option<Value>> = vec![None; slots];
    let mut end = 0;
    for key in &keys {
        let Some(index) = key_to_index(key) else {
            continue;
        };
        end = end.max(index + 1);
        // The last slot stays empty, as in QEMU.
        if let Some(slot) = elements.get_mut(index).filter(|_| index < slots - 1) {
            *slot = map.get_mut(key.as_str()).map(Value::take);
        }
    }
    let mut list = Vec::with_capacity(end.min(slots));
    for (i, slot) in elements.into_iter().enumerate().take(end) {
        match slot {
            Some(v) => list.push(v),
            None => return err(format!("Parameter '{}{i}' missing", reassemble(prefix))),
        }
    }
    Ok(Some(list))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(input: &str, implied: Option<&str>) -> Value {
        parse(input, implied).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    fn fails(input: &str, implied: Option<&str>) -> String {
        match parse(input, implied) {
            Ok(v) => panic!("{input} parsed as {v}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn dotted_keys_nest_objects() {
        assert_eq!(
            ok("driver=qcow2,file.driver=file,file.filename=a.img", None),
            json!({"driver": "qcow2", "file": {"driver": "file", "filename": "a.img"}})
        );
        assert_eq!(ok("", None), json!({}));
        assert_eq!(ok("a=1,", None), json!({"a": "1"}));
        assert_eq!(ok("a=", None), json!({"a": ""}));
    }

    #[test]
    fn doubled_commas_are_commas() {
        assert_eq!(ok("a=x,,y,b=z", None), json!({"a": "x,y", "b": "z"}));
        assert_eq!(ok("a=,,,,", None), json!({"a": ",,"}));
        assert_eq!(ok("a=x,,,b=1", None), json!({"a": "x,", "b": "1"}));
        // The value may hold '=' and '.'.
        assert_eq!(ok("a=b=c.d", None), json!({"a": "b=c.d"}));
    }

    #[test]
    fn the_last_value_wins() {
        assert_eq!(ok("a=1,b=2,a=3", None), json!({"a": "3", "b": "2"}));
        assert_eq!(ok("a.b=1,a.b=2", None), json!({"a": {"b": "2"}}));
    }

    #[test]
    fn an_implied_key_names_a_bare_first_value() {
        assert_eq!(
            ok("qcow2,node-name=n", Some("driver")),
            json!({"driver": "qcow2", "node-name": "n"})
        );
        assert_eq!(ok("qcow2", Some("driver")), json!({"driver": "qcow2"}));
        assert_eq!(ok("driver=raw", Some("driver")), json!({"driver": "raw"}));
        // Only the first parameter may omit its key; a bare value ends at
        // the first comma, doubled or not.
        assert_eq!(
            fails("qcow2,raw", Some("driver")),
            "Expected '=' after parameter 'raw'"
        );
        assert_eq!(fails("a,,b", Some("driver")), "Invalid parameter ''");
        assert_eq!(fails(",a=1", Some("driver")), "Invalid parameter ''");
        // A bare value may be anything up to the comma.
        assert_eq!(ok("x.y!", Some("driver")), json!({"driver": "x.y!"}));
    }

    #[test]
    fn keys_must_be_names_or_indexes() {
        assert_eq!(fails("1=x", None), "Invalid parameter '1'");
        assert_eq!(fails("_x=1", None), "Invalid parameter '_x'");
        assert_eq!(fails("a..b=1", None), "Invalid parameter 'a..b'");
        assert_eq!(fails("a.b.=1", None), "Invalid parameter 'a.b.'");
        assert_eq!(fails("=1", None), "Invalid parameter ''");
        assert_eq!(fails("a.0x=1", None), "Invalid parameter 'a.0x'");
        assert_eq!(fails("a!=1", None), "Invalid parameter 'a!'");
        assert_eq!(fails("é=1", None), "Invalid parameter 'é'");
        assert_eq!(
            ok("__com.example_x-y=1,A_b=2,___z=3", None),
            json!({"__com.example_x-y": "1", "A_b": "2", "___z": "3"})
        );
        assert_eq!(fails("__com=1", None), "Invalid parameter '__com'");
        assert_eq!(fails("foo", None), "Expected '=' after parameter 'foo'");
        assert_eq!(
            fails("a=1,b.c,d=2", None),
            "Expected '=' after parameter 'b.c'"
        );
    }

    #[test]
    fn fragments_are_at_most_127_bytes() {
        let long = "a".repeat(128);
        let max = "a".repeat(127);
        assert_eq!(ok(&format!("{max}=1"), None), json!({ max.clone(): "1" }));
        assert_eq!(
            fails(&format!("{long}=1"), None),
            format!("Parameter '{long}' is too long")
        );
        assert_eq!(
            fails(&format!("x.{long}=1"), None),
            format!("Parameter fragment '{long}' is too long")
        );
        assert_eq!(
            fails(&format!("{long}.x=1"), None),
            format!("Parameter fragment '{long}' is too long")
        );
    }

    #[test]
    fn a_key_is_a_value_or_an_object() {
        assert_eq!(
            fails("a.b=1,a=2", None),
            "Parameters 'a.*' used inconsistently"
        );
        assert_eq!(
            fails("a=1,a.b=2", None),
            "Parameters 'a.*' used inconsistently"
        );
        assert_eq!(
            fails("a.b.c=1,a.b.c.d=2", None),
            "Parameters 'a.b.c.*' used inconsistently"
        );
        // A fragment is checked before the object for the one before it
        // is made, which is before the next fragment is checked.
        assert_eq!(fails("a=1,a.b!=2", None), "Invalid parameter 'a.b!'");
        assert_eq!(
            fails("a=1,a.b.c!=2", None),
            "Parameters 'a.*' used inconsistently"
        );
    }

    #[test]
    fn numeric_keys_make_lists() {
        assert_eq!(
            ok("a.1=y,a.0=x,b.0.c=z", None),
            json!({"a": ["x", "y"], "b": [{"c": "z"}]})
        );
        assert_eq!(ok("a.0.0=x", None), json!({"a": [["x"]]}));
        // Leading zeros name the same index; QEMU keeps the value it
        // walks to last in its hash table's order, whatever the input's
        // order (qemu-storage-daemon 10.0 picks `00` in both).
        assert_eq!(ok("a.0=x,a.00=y", None), json!({"a": ["y"]}));
        assert_eq!(ok("a.00=y,a.0=x", None), json!({"a": ["y"]}));
    }

    #[test]
    fn lists_have_no_gaps() {
        assert_eq!(fails("a.1=x", None), "Parameter 'a.0' missing");
        assert_eq!(fails("a.0=x,a.2=y", None), "Parameter 'a.1' missing");
        assert_eq!(
            fails("a.0=x,a.99999999999=y", None),
            "Parameter 'a.1' missing"
        );
        assert_eq!(
            fails("a.1=x,a.99999999999=y", None),
            "Parameter 'a.0' missing"
        );
        assert_eq!(fails("b.c.1=x", None), "Parameter 'b.c.0' missing");
        assert_eq!(
            fails("a.0=x,a.b=y", None),
            "Parameters 'a.*' used inconsistently"
        );
        assert_eq!(
            fails("x.a.0=x,x.a.b=y", None),
            "Parameters 'x.a.*' used inconsistently"
        );
    }

    #[test]
    fn help_is_not_available() {
        for input in ["help", "?", "driver=x,help", "help,driver=x", "?,a=1"] {
            assert_eq!(
                fails(input, Some("driver")),
                "Help is not available for this option",
                "{input}"
            );
        }
        // Other errors come first; `help=` is an ordinary key.
        assert_eq!(fails("help,1=x", None), "Invalid parameter '1'");
        assert_eq!(ok("help=1", None), json!({"help": "1"}));
        assert_eq!(ok("helpx", Some("d")), json!({"d": "helpx"}));
    }

    #[test]
    fn errors_among_lists_come_in_qdict_order() {
        // QEMU walks a dictionary in its hash table's order, which puts
        // `a` before `b` and `0` before `00` (as qemu-storage-daemon
        // 10.0 reports these).
        assert_eq!(crate::qdict::walk_key("a", 0).0, 233);
        assert_eq!(crate::qdict::walk_key("b", 0).0, 340);
        assert_eq!(crate::qdict::walk_key("00", 0).0, 147);
        assert_eq!(fails("a.1=x,b.1=y", None), "Parameter 'a.0' missing");
        assert_eq!(fails("b.1=x,a.1=y", None), "Parameter 'a.0' missing");
    }

    #[test]
    fn a_nul_byte_ends_the_input() {
        assert_eq!(ok("a=1\0,b", None), json!({"a": "1"}));
    }

    #[test]
    fn nesting_is_limited() {
        let deep = vec!["a"; MAX_DEPTH + 1].join(".");
        assert!(fails(&format!("{deep}=1"), None).ends_with("is nested too deeply"));
        let fine = vec!["a"; MAX_DEPTH - 1].join(".");
        assert!(parse(&format!("{fine}=1"), None).is_ok());
    }
}

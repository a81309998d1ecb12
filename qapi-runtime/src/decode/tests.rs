//! The decoder over hand-written types shaped like generated ones.

use serde_json::{json, Value};

use super::*;

#[derive(Debug, PartialEq)]
struct Inner {
    filename: String,
}

impl DecodeMembers for Inner {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        Ok(Inner {
            filename: input.required("filename", d)?,
        })
    }
}

impl Decode for Inner {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_object(input, d)
    }
}

#[derive(Debug, PartialEq)]
struct Outer {
    read_only: Option<bool>,
    file: Inner,
    sizes: Option<Vec<u8>>,
}

impl DecodeMembers for Outer {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        Ok(Outer {
            read_only: input.optional("read-only", d)?,
            file: input.required("file", d)?,
            sizes: input.optional("sizes", d)?,
        })
    }
}

impl Decode for Outer {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_object(input, d)
    }
}

fn show<T: std::fmt::Debug>(r: DecodeResult<T>) -> String {
    match r {
        Ok(o) => format!("ok {o:?}"),
        Err(e) => e.to_string(),
    }
}

/// Decodes `v` from the value and from its text, which must agree.
fn err(v: Value) -> String {
    let from_value = show(from_value::<Outer>(&v));
    let from_text = show(from_str::<Outer>(&v.to_string()));
    assert_eq!(from_value, from_text, "{v}");
    from_value
}

#[test]
fn errors_name_the_member_as_qemu_does() {
    let table = [
        (json!({}), "Parameter 'file' is missing"),
        (json!({"file": {}}), "Parameter 'file.filename' is missing"),
        (
            json!({"read-only": 1, "file": {"filename": "a"}}),
            "Invalid parameter type for 'read-only', expected: boolean",
        ),
        (
            json!({"file": {"filename": "a", "foo": 1}}),
            "Parameter 'file.foo' is unexpected",
        ),
        (
            json!({"foo": 1, "file": {"filename": "a"}}),
            "Parameter 'foo' is unexpected",
        ),
        (
            json!({"file": {"filename": "a"}, "sizes": [1, 300]}),
            "Parameter 'null' expects uint8_t",
        ),
        (
            json!({"file": {"filename": "a"}, "sizes": [1, "x"]}),
            "Parameter 'sizes[1]' expects uint64",
        ),
        (
            json!(1),
            "Invalid parameter type for 'null', expected: object",
        ),
    ];
    for (input, want) in table {
        assert_eq!(err(input.clone()), want, "{input}");
    }
}

#[test]
fn missing_wins_over_unexpected() {
    assert_eq!(err(json!({"foo": 1})), "Parameter 'file' is missing");
}

#[test]
fn unexpected_member_is_the_first_qemu_walks_to() {
    // QEMU's hash table puts `a` (bucket 233) before `b` (bucket 340),
    // whatever the input's order.
    for input in [
        json!({"b": 1, "file": {"filename": "a"}, "a": 2}),
        json!({"a": 2, "file": {"filename": "a"}, "b": 1}),
    ] {
        assert_eq!(err(input), "Parameter 'a' is unexpected");
    }
}

#[test]
fn objects_wider_than_a_word_are_tracked() {
    let mut o = serde_json::Map::new();
    for i in 0..100 {
        o.insert(format!("k{i}"), json!(i));
    }
    o.insert("file".into(), json!({"filename": "a"}));
    // `k5` is in the lowest hash bucket of the hundred.
    assert_eq!(err(Value::Object(o)), "Parameter 'k5' is unexpected");
}

#[test]
fn text_errors_are_parse_errors() {
    assert_eq!(
        show(from_str::<Outer>(
            r#"{"file": {"filename": "a", "filename": "b"}}"#
        )),
        "JSON parse error, duplicate key"
    );
    assert!(show(from_str::<Outer>("{")).starts_with("JSON parse error, "));
}

/// An enum as generated code writes one.
#[derive(Debug, PartialEq, Clone, Copy)]
enum Aio {
    Threads,
    Native,
}

impl std::str::FromStr for Aio {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "threads" => Ok(Aio::Threads),
            "native" => Ok(Aio::Native),
            _ => Err(UnknownValue(s.into())),
        }
    }
}

impl Decode for Aio {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_enum(input, d)
    }
}

#[derive(Debug, PartialEq)]
struct Info {
    name: String,
    aio: Option<Aio>,
    modes: Option<Vec<Aio>>,
    required_aio: Aio,
    nested: Option<Nested>,
}

#[derive(Debug, PartialEq)]
struct Nested {
    aio: Aio,
    count: Option<u32>,
}

impl DecodeMembers for Info {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        Ok(Info {
            name: input.required("name", d)?,
            aio: input.optional("aio", d)?,
            modes: input.optional("modes", d)?,
            required_aio: input.required("required-aio", d)?,
            nested: input.optional("nested", d)?,
        })
    }
}

impl Decode for Info {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_object(input, d)
    }
}

impl DecodeMembers for Nested {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        Ok(Nested {
            aio: input.required("aio", d)?,
            count: input.optional("count", d)?,
        })
    }
}

impl Decode for Nested {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_object(input, d)
    }
}

fn lenient(v: Value) -> DecodeResult<Info> {
    let a = from_value_lenient::<Info>(&v);
    let b = from_str_lenient::<Info>(&v.to_string());
    assert_eq!(a, b, "{v}");
    a
}

#[test]
fn lenient_mode_ignores_unknown_members() {
    let v = json!({"name": "n", "new-member": {"x": 1}, "required-aio": "native",
                   "nested": {"aio": "threads", "newer": true}});
    let info = lenient(v.clone()).expect("decodes");
    assert_eq!(info.required_aio, Aio::Native);
    assert_eq!(
        info.nested,
        Some(Nested {
            aio: Aio::Threads,
            count: None
        })
    );
    assert_eq!(
        show(from_value::<Info>(&v)),
        "Parameter 'nested.newer' is unexpected"
    );
}

#[test]
fn lenient_mode_drops_the_innermost_optional_member_with_an_unknown_value() {
    let info = lenient(
        json!({"name": "n", "aio": "io_uring", "required-aio": "threads",
                              "modes": ["threads", "io_uring"],
                              "nested": {"aio": "io_uring", "count": 1}}),
    )
    .expect("decodes");
    assert_eq!(info.aio, None);
    assert_eq!(info.modes, None);
    assert_eq!(info.nested, None);
    assert_eq!(info.required_aio, Aio::Threads);
}

#[test]
fn lenient_mode_fails_on_an_unknown_value_no_optional_member_encloses() {
    let e = lenient(json!({"name": "n", "required-aio": "io_uring"})).unwrap_err();
    assert!(e.is_unknown_value());
    assert_eq!(
        e.to_string(),
        "Parameter 'required-aio' does not accept value 'io_uring'"
    );
}

#[test]
fn lenient_mode_keeps_other_errors() {
    // Only unknown enum values are tolerated: a wrong type or an
    // out-of-range number is still an error, even in an optional member.
    let e = lenient(json!({"name": "n", "required-aio": "threads",
                           "nested": {"aio": "threads", "count": -1}}))
    .unwrap_err();
    assert!(!e.is_unknown_value());
    assert_eq!(e.to_string(), "Parameter 'count' expects uint32_t");
    let e = lenient(json!({"name": 1, "required-aio": "threads"})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid parameter type for 'name', expected: string"
    );
    let e = lenient(json!({"required-aio": "threads"})).unwrap_err();
    assert_eq!(e.to_string(), "Parameter 'name' is missing");
}

#[test]
fn enum_errors_name_the_member_not_the_path() {
    let v = json!({"name": "n", "required-aio": "threads", "nested": {"aio": "x"}});
    assert_eq!(
        show(from_value::<Info>(&v)),
        "Parameter 'aio' does not accept value 'x'"
    );
    let v = json!({"name": "n", "required-aio": "threads", "nested": {"aio": 1}});
    assert_eq!(
        show(from_value::<Info>(&v)),
        "Invalid parameter type for 'nested.aio', expected: string"
    );
}

#[derive(Debug, PartialEq)]
struct Scalars {
    i: Option<i64>,
    u: Option<u64>,
    i8: Option<i8>,
    size: Option<u64>,
    num: Option<f64>,
    flag: Option<bool>,
    nothing: Option<()>,
    any: Option<Value>,
    list: Option<Vec<Inner>>,
}

impl DecodeMembers for Scalars {
    fn decode_members(input: &mut ObjectInput<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        Ok(Scalars {
            i: input.optional("i", d)?,
            u: input.optional("u", d)?,
            i8: input.optional("i8", d)?,
            size: input.optional_size("size", d)?,
            num: input.optional("num", d)?,
            flag: input.optional("flag", d)?,
            nothing: input.optional("nothing", d)?,
            any: input.optional("any", d)?,
            list: input.optional("list", d)?,
        })
    }
}

impl Decode for Scalars {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_object(input, d)
    }
}

fn keyval(v: Value) -> String {
    show(from_keyval::<Scalars>(&v))
}

#[test]
fn keyval_scalars_are_parsed_from_strings() {
    let s = from_keyval::<Scalars>(&json!({
        "i": "-0x10", "u": "-1", "i8": "127", "size": "1.5k", "num": "2.5e1",
        "flag": "on", "any": {"a": "b"}, "list": [{"filename": "x"}]
    }))
    .expect("decodes");
    assert_eq!(s.i, Some(-16));
    assert_eq!(s.u, Some(u64::MAX));
    assert_eq!(s.i8, Some(127));
    assert_eq!(s.size, Some(1536));
    assert_eq!(s.num, Some(25.0));
    assert_eq!(s.flag, Some(true));
    assert_eq!(s.any, Some(json!({"a": "b"})));
}

#[test]
fn keyval_errors_are_qemus() {
    let table = [
        (json!({"i": "1k"}), "Parameter 'i' expects integer"),
        (json!({"u": "x"}), "Parameter 'u' expects integer"),
        (json!({"i8": "128"}), "Parameter 'i8' expects int8_t"),
        (json!({"size": "1.5"}), "Parameter 'size' expects size"),
        (
            json!({"num": "inf"}),
            "Invalid parameter type for 'num', expected: number",
        ),
        (
            json!({"flag": "1"}),
            "Parameter 'flag' expects 'on' or 'off'",
        ),
        (
            json!({"nothing": "null"}),
            "Invalid parameter type for 'nothing', expected: null",
        ),
        (json!({"i": {"a": "1"}}), "Parameters 'i.*' are unexpected"),
        (
            json!({"flag": ["on"]}),
            "Parameters 'flag.*' are unexpected",
        ),
        (
            json!({"flag": true}),
            "Internal error: parameter flag invalid",
        ),
        (
            json!({"list": [{"filename": "x"}, {}]}),
            "Parameter 'list.1.filename' is missing",
        ),
        (
            json!({"list": [{"filename": {"a": "b"}}]}),
            "Parameters 'list.0.filename.*' are unexpected",
        ),
        (
            json!({"list": {"filename": "x"}}),
            "Invalid parameter type for 'list', expected: array",
        ),
        (json!({"x": "1"}), "Parameter 'x' is unexpected"),
    ];
    for (input, want) in table {
        assert_eq!(keyval(input.clone()), want, "{input}");
    }
    // Keyval's empty dictionary is a struct whose members are all absent.
    assert!(keyval(json!({})).starts_with("ok"));
}

#[test]
fn qmp_sizes_are_uint64() {
    let v = json!({"size": "1k"});
    assert_eq!(
        show(from_value::<Scalars>(&v)),
        "Parameter 'size' expects uint64"
    );
    let s = from_value::<Scalars>(&json!({"size": 1024})).expect("decodes");
    assert_eq!(s.size, Some(1024));
}

//! Unit tests: small schemas written in QAPI syntax, read by a minimal
//! reader below (the real parser lives elsewhere), checked against what
//! QEMU 10.2 reports for the same input.

mod cases;
mod golden;

use super::check_exprs;
use crate::ast::{Dict, Expression, ParsedSchema, Span, Value, ValueKind};
use crate::doc::Doc;
use crate::source::SourceInfo;
use crate::Dialect;

/// Reads QAPI values from text: objects, arrays, strings, booleans.
/// Test inputs are well-formed, so it panics on anything else.
struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Reader {
            src: src.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn skip_space(&mut self) {
        while let Some(&c) = self.src.get(self.pos) {
            match c {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                b' ' | b'\t' => self.pos += 1,
                _ => break,
            }
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.pos >= self.src.len()
    }

    fn expect(&mut self, c: u8) {
        self.skip_space();
        assert_eq!(self.src[self.pos] as char, c as char, "at {}", self.pos);
        self.pos += 1;
    }

    fn peek(&mut self) -> u8 {
        self.skip_space();
        self.src[self.pos]
    }

    fn span(&self) -> Span {
        Span {
            line: self.line,
            col: (self.pos - self.line_start + 1) as u32,
        }
    }

    fn string(&mut self) -> String {
        self.expect(b'\'');
        let start = self.pos;
        while self.src[self.pos] != b'\'' {
            self.pos += 1;
        }
        let s = String::from_utf8(self.src[start..self.pos].to_vec()).unwrap();
        self.pos += 1;
        s
    }

    fn value(&mut self) -> Value {
        let c = self.peek();
        let span = self.span();
        let kind = match c {
            b'{' => ValueKind::Dict(self.dict()),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                while self.peek() != b']' {
                    items.push(self.value());
                    if self.peek() == b',' {
                        self.pos += 1;
                    }
                }
                self.pos += 1;
                ValueKind::List(items)
            }
            b'\'' => ValueKind::Str(self.string()),
            _ if self.src[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                ValueKind::Bool(true)
            }
            _ if self.src[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                ValueKind::Bool(false)
            }
            _ => panic!("unexpected {:?}", c as char),
        };
        Value::new(kind, span)
    }

    fn dict(&mut self) -> Dict {
        self.expect(b'{');
        let mut dict = Dict::default();
        while self.peek() != b'}' {
            let key = self.string();
            self.expect(b':');
            let value = self.value();
            dict.entries.push((key, value));
            if self.peek() == b',' {
                self.pos += 1;
            }
        }
        self.pos += 1;
        dict
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_list()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Reads a schema file's text as the parser would hand it on: pragmas
/// applied, other expressions kept with their first line.
fn read_schema(file: &str, src: &str) -> ParsedSchema {
    let mut parsed = ParsedSchema::default();
    let mut reader = Reader::new(src);
    while !reader.at_end() {
        let line = reader.line;
        let expr = reader.dict();
        if let Some(pragma) = expr.get("pragma").and_then(Value::as_dict) {
            for (name, value) in pragma.iter() {
                match name {
                    "doc-required" => parsed.pragma.doc_required = value.as_bool().unwrap(),
                    "command-name-exceptions" => {
                        parsed.pragma.command_name_exceptions = strings(value)
                    }
                    "member-name-exceptions" => {
                        parsed.pragma.member_name_exceptions = strings(value)
                    }
                    _ => panic!("pragma {name}"),
                }
            }
            continue;
        }
        parsed.exprs.push(Expression {
            expr,
            info: SourceInfo::new(file.into(), line, None),
            doc: None,
        });
    }
    parsed
}

/// The error text QEMU prints, or "" when the checks pass.
fn check(parsed: &mut ParsedSchema) -> String {
    match check_exprs(parsed, &Dialect::newest()) {
        Ok(()) => String::new(),
        Err(e) => e.to_string(),
    }
}

fn checked(src: &str) -> ParsedSchema {
    let mut parsed = read_schema("t.json", src);
    assert_eq!(check(&mut parsed), "");
    parsed
}

#[test]
fn matches_qemu_on_each_case() {
    let mut failures = Vec::new();
    for (file, src, expected) in cases::CASES {
        let mut parsed = read_schema(file, src);
        let got = check(&mut parsed);
        if got != *expected {
            failures.push(format!(
                "{file}:\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A value written without spans, for comparing shapes.
fn shape(v: &Value) -> String {
    match &v.kind {
        ValueKind::Str(s) => format!("'{s}'"),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Null => "null".to_owned(),
        ValueKind::List(l) => format!("[{}]", l.iter().map(shape).collect::<Vec<_>>().join(", ")),
        ValueKind::Dict(d) => format!(
            "{{{}}}",
            d.iter()
                .map(|(k, v)| format!("'{k}': {}", shape(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn expr_shape(parsed: &ParsedSchema, i: usize) -> String {
    shape(&Value::new(
        ValueKind::Dict(parsed.exprs[i].expr.clone()),
        Span::default(),
    ))
}

#[test]
fn normalizes_struct_members_and_features() {
    let parsed = checked(
        "{ 'struct': 'Foo', 'data': { 'a': 'int', '*b': ['str'], \
         'c': { 'type': 'X', 'features': ['f', { 'name': 'g' }] } }, \
         'base': 'Base', 'features': ['x'] }",
    );
    assert_eq!(
        expr_shape(&parsed, 0),
        "{'struct': 'Foo', 'data': {'a': {'type': 'int'}, '*b': {'type': ['str']}, \
         'c': {'type': 'X', 'features': [{'name': 'f'}, {'name': 'g'}]}}, \
         'base': 'Base', 'features': [{'name': 'x'}]}"
    );
}

#[test]
fn normalizes_enum_values() {
    let parsed =
        checked("{ 'enum': 'Foo', 'data': ['a', { 'name': 'b', 'if': 'B', 'features': ['f'] }] }");
    assert_eq!(
        expr_shape(&parsed, 0),
        "{'enum': 'Foo', 'data': [{'name': 'a'}, \
         {'name': 'b', 'if': 'B', 'features': [{'name': 'f'}]}]}"
    );
}

#[test]
fn normalizes_union_alternate_command_event() {
    let parsed = checked(
        "{ 'union': 'Uu', 'base': { 'kind': 'K' }, 'discriminator': 'kind', \
           'data': { 'a': 'A', 'b': { 'type': 'B' } } }\n\
         { 'alternate': 'Alt', 'data': { 'a': 'A', 'b': ['B'] } }\n\
         { 'command': 'cmd', 'data': { 'x': 'int' }, 'returns': 'R' }\n\
         { 'command': 'boxed', 'data': 'Args', 'boxed': true }\n\
         { 'event': 'EV', 'data': { 'y': 'str' } }",
    );
    let shapes: Vec<String> = (0..5).map(|i| expr_shape(&parsed, i)).collect();
    assert_eq!(
        shapes,
        [
            "{'union': 'Uu', 'base': {'kind': {'type': 'K'}}, 'discriminator': 'kind', \
             'data': {'a': {'type': 'A'}, 'b': {'type': 'B'}}}",
            "{'alternate': 'Alt', 'data': {'a': {'type': 'A'}, 'b': {'type': ['B']}}}",
            "{'command': 'cmd', 'data': {'x': {'type': 'int'}}, 'returns': 'R'}",
            "{'command': 'boxed', 'data': 'Args', 'boxed': true}",
            "{'event': 'EV', 'data': {'y': {'type': 'str'}}}",
        ]
    );
}

#[test]
fn shorthand_keeps_the_span_of_what_it_replaces() {
    let parsed = checked("{ 'struct': 'Foo',\n  'data': { 'a': 'int' },\n  'features': ['x'] }");
    let expr = &parsed.exprs[0].expr;
    let member = expr
        .get("data")
        .unwrap()
        .as_dict()
        .unwrap()
        .get("a")
        .unwrap();
    assert_eq!(member.span, Span { line: 2, col: 18 });
    assert_eq!(
        member.as_dict().unwrap().get("type").unwrap().span,
        member.span
    );
    let feature = &expr.get("features").unwrap().as_list().unwrap()[0];
    assert_eq!(feature.span, Span { line: 3, col: 16 });
    assert_eq!(
        feature.as_dict().unwrap().get("name").unwrap().span,
        feature.span
    );
}

#[test]
fn skips_includes() {
    let mut parsed = read_schema(
        "t.json",
        "{ 'include': 'sub.json' }\n{ 'enum': 'Foo', 'data': [] }",
    );
    assert_eq!(check(&mut parsed), "");
}

#[test]
fn records_the_definition_on_the_location() {
    let parsed = checked("{ 'command': 'do-it' }");
    let defn = parsed.exprs[0].info.defn().unwrap();
    assert_eq!(
        (defn.meta.as_str(), defn.name.as_str()),
        ("command", "do-it")
    );
}

#[test]
fn empty_enum_value_is_an_invalid_name() {
    // QEMU 10.2 crashes on this input (it looks at the first character of
    // the name); an invalid name is what it means to say.
    let mut parsed = read_schema("t.json", "{ 'enum': 'Foo', 'data': [''] }");
    assert_eq!(
        check(&mut parsed),
        "t.json: In enum 'Foo':\nt.json:1: 'data' member '' has an invalid name"
    );
}

fn with_doc(src: &str, symbol: Option<&str>) -> ParsedSchema {
    let mut parsed = read_schema("t.json", src);
    let info = SourceInfo::new("t.json".into(), 1, None);
    parsed.docs.push(Doc::new(info, symbol.map(str::to_owned)));
    parsed.exprs[0].doc = Some(0);
    parsed
}

#[test]
fn doc_must_be_for_the_definition() {
    let mut parsed = with_doc("\n\n{ 'command': 'foo' }", Some("food"));
    assert_eq!(
        check(&mut parsed),
        "t.json: In command 'foo':\nt.json:3: documentation comment is for 'food'"
    );
    let mut parsed = with_doc("{ 'command': 'foo' }", Some("foo"));
    assert_eq!(check(&mut parsed), "");
}

#[test]
fn doc_symbol_is_checked_after_the_name() {
    let mut parsed = with_doc("{ 'command': 'Foo' }", Some("food"));
    assert_eq!(
        check(&mut parsed),
        "t.json: In command 'Foo':\nt.json:1: name of command must not use uppercase or '_'"
    );
}

#[test]
fn doc_required_by_pragma() {
    let src = "{ 'pragma': { 'doc-required': true } }\n{ 'enum': 'Foo', 'data': [] }";
    let mut parsed = read_schema("t.json", src);
    assert_eq!(
        check(&mut parsed),
        "t.json: In enum 'Foo':\nt.json:2: documentation comment required"
    );
    let mut parsed = read_schema("t.json", src);
    parsed.exprs[0].doc = Some(0);
    parsed.docs.push(Doc::new(
        SourceInfo::new("t.json".into(), 1, None),
        Some("Foo".into()),
    ));
    assert_eq!(check(&mut parsed), "");
}

#[test]
fn doc_required_comes_before_the_keys() {
    let src = "{ 'pragma': { 'doc-required': true } }\n{ 'enum': 'Foo' }";
    let mut parsed = read_schema("t.json", src);
    assert_eq!(
        check(&mut parsed),
        "t.json: In enum 'Foo':\nt.json:2: documentation comment required"
    );
}

#[test]
fn first_error_wins_across_expressions() {
    let mut parsed = read_schema(
        "t.json",
        "{ 'enum': 'Foo', 'data': [] }\n{ 'struct': 'bar', 'data': {} }\n{ 'event': 'x' }",
    );
    assert_eq!(
        check(&mut parsed),
        "t.json: In struct 'bar':\nt.json:2: name of struct must use CamelCase"
    );
}

/// Schemas long enough to be checked on several threads report the
/// first error in schema order, whichever thread finds it.
#[test]
fn the_first_error_wins_across_threads() {
    let mut src = String::new();
    for i in 0..400 {
        let bad = i == 150 || i == 390;
        let name = if bad {
            format!("thing{i}")
        } else {
            format!("Thing{i}")
        };
        src.push_str(&format!("{{ 'enum': '{name}', 'data': [ 'a' ] }}\n"));
    }
    let mut parsed = read_schema("t.json", &src);
    let got = check(&mut parsed);
    assert!(got.contains("t.json:151:"), "{got}");
    src = src.replace("thing150", "Thing150");
    let mut parsed = read_schema("t.json", &src);
    let got = check(&mut parsed);
    assert!(got.contains("t.json:391:"), "{got}");
}

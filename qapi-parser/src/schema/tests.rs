//! The model's read-only API on small schemas (the error texts and the
//! dump are covered by QEMU's golden tests).

use std::path::PathBuf;

use super::*;

/// Writes `files` (name, text) into a fresh folder and loads the first.
fn load(test: &str, files: &[(&str, &str)]) -> Result<Schema> {
    load_as(test, files, &Dialect::newest())
}

/// As [`load`], under `dialect`'s rules.
fn load_as(test: &str, files: &[(&str, &str)], dialect: &Dialect) -> Result<Schema> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("qapi-schema-test-{}-{test}", std::process::id()));
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let main = dir.join(files[0].0);
    Schema::from_file(main.to_str().unwrap(), dialect)
}

const UNION: &str = "
{ 'enum': 'Kind', 'data': ['a', { 'name': 'b', 'if': 'HAVE_B' }, 'c'] }
{ 'struct': 'Base', 'data': { 'kind': 'Kind', '*opt': 'int' } }
{ 'struct': 'Sub', 'base': 'Base', 'data': { 'extra': ['str'] } }
{ 'struct': 'Arm', 'data': { 'x': 'int' } }
{ 'union': 'Uni', 'base': 'Base', 'discriminator': 'kind', 'data': { 'a': 'Arm' } }
{ 'alternate': 'Alt', 'data': { 'n': 'int', 's': 'Sub' } }
{ 'command': 'do-it', 'data': { 'value': 'Uni' }, 'returns': ['Arm'],
  'features': ['deprecated'] }
{ 'event': 'HAPPENED', 'data': 'Arm' }
";

#[test]
fn lookup_and_kinds() {
    let s = load("kinds", &[("u.json", UNION)]).unwrap();
    let kind = s.lookup_def("Kind").unwrap();
    assert_eq!(kind.meta(), "enum");
    assert_eq!(kind.json_type(), Some(JsonType::String));
    let names: Vec<&str> = kind.as_enum().unwrap().member_names().collect();
    assert_eq!(names, ["a", "b", "c"]);

    let u = s.lookup_def("Uni").unwrap();
    assert_eq!(u.meta(), "union");
    assert_eq!(u.describe(), "union type 'Uni'");
    assert!(!u.is_implicit());
    assert_eq!(s.lookup_def("Alt").unwrap().alternate_qtype(), None);
    assert_eq!(
        s.lookup_def("Sub").unwrap().alternate_qtype(),
        Some("QTYPE_QDICT")
    );

    assert!(s.lookup_type("do-it").is_none());
    let cmd = s.lookup_def("do-it").unwrap().as_command().unwrap();
    let arg = cmd.arg_type.unwrap();
    assert_eq!(s.name(arg), "q_obj_do-it-arg");
    assert!(s.def(arg).is_implicit());
    let ret = s.def(cmd.ret_type.unwrap());
    assert_eq!(ret.name, "ArmList");
    assert_eq!(
        ret.as_array().unwrap().element_type,
        s.lookup("Arm").unwrap()
    );
    assert_eq!(
        s.doc_type(cmd.ret_type.unwrap()).as_deref(),
        Some("array of Arm")
    );
    assert!(s.def(s.lookup("str").unwrap()).is_implicit());
    assert_eq!(
        s.doc_type(s.lookup("str").unwrap()).as_deref(),
        Some("string")
    );
    let ev = s.lookup_def("HAPPENED").unwrap().as_event().unwrap();
    assert_eq!(ev.arg_type, s.lookup("Arm"));
}

#[test]
fn members_flatten_bases() {
    let s = load("members", &[("u.json", UNION)]).unwrap();
    let sub = s.lookup("Sub").unwrap();
    let names: Vec<&str> = s.members(sub).map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["kind", "opt", "extra"]);
    let base = s.lookup("Base").unwrap();
    let slots: Vec<(EntityId, usize)> = s.member_slots(sub).map(|(o, i, _)| (o, i)).collect();
    assert_eq!(slots, [(base, 0), (base, 1), (sub, 0)]);
    let extra = s.members(sub).last().unwrap();
    assert_eq!(s.name(extra.ty), "strList");
    assert_eq!(extra.defined_in, sub);
    assert!(s.need_has(s.members(sub).nth(1).unwrap()));
    assert!(!s.has_conditional_members(sub));
    assert!(s.is_empty_object(s.the_empty_object()));
}

#[test]
fn union_branches_are_completed() {
    let s = load("branches", &[("u.json", UNION)]).unwrap();
    let u = s.lookup_def("Uni").unwrap().as_object().unwrap();
    let branches = u.branches.as_ref().unwrap();
    assert_eq!(s.tag_member(branches).unwrap().name, "kind");
    let cases: Vec<(&str, &str)> = branches
        .variants
        .iter()
        .map(|v| (v.name.as_str(), s.name(v.ty)))
        .collect();
    assert_eq!(cases, [("a", "Arm"), ("b", "q_empty"), ("c", "q_empty")]);
    // The added branch keeps its value's condition.
    assert_eq!(
        branches.variants[1].ifcond,
        Some(IfCond::Name("HAVE_B".to_owned()))
    );
    let alt = s.lookup_def("Alt").unwrap().as_alternate().unwrap();
    assert_eq!(s.name(alt.alternatives.tag_member.ty), "QType");
}

#[test]
fn modules_and_visit_order() {
    let s = load(
        "modules",
        &[
            (
                "main.json",
                "{ 'include': 'sub/inc.json' }\n{ 'struct': 'Main', 'data': { 'l': ['Inc'] } }\n",
            ),
            ("sub/inc.json", "{ 'struct': 'Inc', 'data': {} }\n"),
        ],
    )
    .unwrap();
    let names: Vec<&str> = s.modules().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, [Module::BUILTIN, "main.json", "sub/inc.json"]);
    // An array type lives with its element type.
    assert_eq!(
        s.module_of(s.lookup("IncList").unwrap()).name,
        "sub/inc.json"
    );
    assert_eq!(s.module_of(s.lookup("int").unwrap()).name, Module::BUILTIN);
    let order: Vec<String> = s
        .visit()
        .filter_map(|v| match v {
            Visit::Module(_, m) => Some(format!("module {}", m.name)),
            Visit::Entity(_, Entity::Include(i)) => {
                Some(format!("include {}", s.module(i.target).name))
            }
            Visit::Entity(_, Entity::Definition(d)) if d.info.is_some() => Some(d.name.clone()),
            Visit::Entity(..) => None,
        })
        .collect();
    assert_eq!(
        order,
        [
            "module ./builtin",
            "module main.json",
            "include sub/inc.json",
            "Main",
            "module sub/inc.json",
            "Inc",
            "IncList",
        ]
    );
    assert_eq!(
        s.lookup_module("sub/inc.json")
            .map(|m| s.module(m).entities.len()),
        Some(2)
    );
}

#[test]
fn docs_and_features() {
    let text = "
##
# @Thing:
#
# @a: the a
#
# Features:
#
# @feat: a feature
##
{ 'struct': 'Thing', 'data': { 'a': 'int' }, 'features': ['feat'] }
";
    let s = load("docs", &[("d.json", text)]).unwrap();
    let thing = s.lookup("Thing").unwrap();
    let doc = s.doc_of(thing).unwrap();
    assert_eq!(doc.symbol.as_deref(), Some("Thing"));
    assert_eq!(doc.arg("a").unwrap().text, "the a");
    let features: Vec<&str> = s.features().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(features, ["deprecated", "unstable", "feat"]);
    assert!(s.features()[0].is_special());
    assert_eq!(s.docs().len(), 1);
}

#[test]
fn errors_are_reported() {
    let err = load(
        "err",
        &[("e.json", "{ 'struct': 'Stru', 'data': { 'a': 'Nope' } }\n")],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("member 'a' uses unknown type 'Nope'"),
        "{err}"
    );
}

const SIMPLE_UNION: &str = "
{ 'pragma': { 'returns-whitelist': ['get-int'] } }
{ 'struct': 'Stru', 'data': { 'a': 'int' }, 'if': 'defined(CONFIG_A)' }
{ 'union': 'Uni', 'data': { 'aa': 'Stru', 'bb': ['int'],
                             'cc': { 'type': 'int', 'if': ['defined(B)', 'C'] } } }
{ 'command': 'get-int', 'returns': 'int' }
{ 'command': 'use-uni', 'data': { 'un': 'Uni' } }
";

#[test]
fn simple_unions_up_to_6_1() {
    let d = Dialect::for_release((5, 0));
    let s = load_as("simple", &[("s.json", SIMPLE_UNION)], &d).unwrap();
    let kind = s.lookup_def("UniKind").unwrap();
    assert!(kind.is_implicit());
    let values: Vec<&str> = kind.as_enum().unwrap().member_names().collect();
    assert_eq!(values, ["aa", "bb", "cc"]);
    let uni = s.lookup_def("Uni").unwrap().as_object().unwrap();
    assert_eq!(uni.local_members[0].name, "type");
    let cases: Vec<&str> = uni
        .branches
        .as_ref()
        .unwrap()
        .variants
        .iter()
        .map(|v| v.type_name.as_str())
        .collect();
    assert_eq!(
        cases,
        [
            "q_obj_Stru-wrapper",
            "q_obj_intList-wrapper",
            "q_obj_int-wrapper"
        ]
    );
    // The wrapper exists when the wrapped type does.
    let wrapper = s.lookup_def("q_obj_Stru-wrapper").unwrap();
    assert_eq!(
        wrapper.ifcond,
        Some(IfCond::Cpp(vec!["defined(CONFIG_A)".to_owned()]))
    );

    let entries = crate::introspect::introspect(&s, &crate::introspect::Options { unmask: true });
    let json = crate::introspect::to_json(&entries, Some(&[]));
    assert!(json.contains("\"q_obj_intList-wrapper\""), "{json}");
    assert!(!json.contains("\"name\": \"Stru\""), "{json}");

    // 6.2 has no simple unions, nor whitelists.
    let err = load_as(
        "simple62",
        &[("s.json", SIMPLE_UNION)],
        &Dialect::for_release((6, 2)),
    )
    .unwrap_err()
    .to_string();
    assert!(err.ends_with("unknown pragma 'returns-whitelist'"), "{err}");
}

#[test]
fn old_release_names_and_conditions() {
    let d = Dialect::for_release((5, 2));
    let e = load_as(
        "upper",
        &[("u.json", "{ 'struct': 'S', 'data': { 'Abc': 'int' } }")],
        &d,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with("'data' member 'Abc' uses uppercase in name"),
        "{e}"
    );
    let e = load_as(
        "ifstr",
        &[("u.json", "{ 'struct': 'S', 'data': {}, 'if': ' ' }")],
        &d,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with("'if' condition ' ' of struct makes no sense"),
        "{e}"
    );
    let e = load_as(
        "kind",
        &[("u.json", "{ 'struct': 'FooKind', 'data': {} }")],
        &Dialect::for_release((6, 0)),
    )
    .unwrap_err()
    .to_string();
    assert!(e.ends_with("struct name should not end in 'Kind'"), "{e}");
}

/// A schema of `n` enums `Enum0`, `Enum1`, ..., with `replace` (index, text)
/// standing in for some: big enough for the checks to be shared out.
fn many_enums(n: usize, replace: &[(usize, &str)]) -> String {
    (0..n)
        .map(|i| match replace.iter().find(|(at, _)| *at == i) {
            Some((_, text)) => format!("{text}\n"),
            None => format!("{{ 'enum': 'Enum{i}', 'data': [ 'a', 'b' ] }}\n"),
        })
        .collect()
}

/// The error of checking and defining one phase after the other, as
/// QEMU does, and the one `from_file` reports.
fn both_errors(test: &str, text: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("qapi-order-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.json");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let dialect = Dialect::newest();
    let serial = crate::parser::parse_schema(path, &dialect).and_then(|mut parsed| {
        crate::expr::check_exprs(&mut parsed, &dialect)?;
        Schema::from_parsed(parsed, path, &dialect)
    });
    let piped = Schema::from_file(path, &dialect);
    std::fs::remove_dir_all(&dir).ok();
    (
        serial.expect_err("an error").to_string(),
        piped.expect_err("an error").to_string(),
    )
}

#[test]
fn a_later_check_error_beats_an_earlier_definition_error() {
    let text = many_enums(
        400,
        &[
            (3, "{ 'enum': 'Enum1', 'data': [ 'a' ] }"),
            (390, "{ 'enum': 'Late', 'data': 'no-list' }"),
        ],
    );
    let (serial, piped) = both_errors("late-check", &text);
    assert!(serial.contains("'data' must be an array"), "{serial}");
    assert_eq!(piped, serial);
}

#[test]
fn the_first_check_error_in_schema_order_wins() {
    for (early, late) in [(20, 390), (200, 210), (0, 399)] {
        let text = many_enums(
            400,
            &[
                (early, "{ 'enum': 'Early', 'data': 'x' }"),
                (late, "{ 'struct': 'Late', 'data': 'y' }"),
            ],
        );
        let (serial, piped) = both_errors(&format!("first-{early}"), &text);
        assert!(serial.contains("enum 'Early'"), "{serial}");
        assert_eq!(piped, serial);
    }
}

#[test]
fn definition_errors_come_before_model_checks() {
    // A duplicate definition late, an unknown type early.
    let text = many_enums(
        400,
        &[
            (10, "{ 'struct': 'Struct', 'data': { 'm': 'Unknown' } }"),
            (380, "{ 'enum': 'Enum7', 'data': [ 'a' ] }"),
        ],
    );
    let (serial, piped) = both_errors("def-before-check", &text);
    assert!(serial.contains("'Enum7' is already defined"), "{serial}");
    assert_eq!(piped, serial);
    // Without the duplicate, the model check reports the unknown type.
    let text = many_enums(
        400,
        &[(10, "{ 'struct': 'Struct', 'data': { 'm': 'Unknown' } }")],
    );
    let (serial, piped) = both_errors("check-after-def", &text);
    assert!(serial.contains("unknown type 'Unknown'"), "{serial}");
    assert_eq!(piped, serial);
}

//! Checks that releases up to 4.1 make on the model rather than on
//! expressions, with their wording. The expected texts were taken once
//! from those releases' own front ends; every one of 2.12, 3.0, 3.1, 4.0
//! and 4.1 gives the same result for these inputs.

mod common;

use common::Scratch;

const CASES: &[(&str, &str, &str)] = &[
    (
        "boxed-event.json",
        "{ 'event': 'FOO', 'boxed': true }\n",
        "boxed-event.json:1: Use of 'boxed' requires 'data'",
    ),
    (
        "boxed-cmd.json",
        "{ 'command': 'foo', 'boxed': true }\n",
        "boxed-cmd.json:1: Use of 'boxed' requires 'data'",
    ),
    (
        "cycle.json",
        "{ 'struct': 'Base1', 'base': 'Base2', 'data': {} }\n\
         { 'struct': 'Base2', 'base': 'Base1', 'data': {} }\n",
        "cycle.json:1: Object Base1 contains itself",
    ),
    (
        "upper.json",
        "{ 'struct': 'S', 'data': { 'Arg': 'int' } }\n",
        "upper.json:1: 'Arg' (member of S) should not use uppercase",
    ),
    (
        "upper-ok.json",
        "{ 'pragma': { 'name-case-whitelist': [ 'S' ] } }\n\
         { 'struct': 'S', 'data': { 'Arg': 'int' } }\n",
        "OK",
    ),
    (
        "clash.json",
        "{ 'struct': 'Base', 'data': { 'name': 'str' } }\n\
         { 'struct': 'Sub', 'base': 'Base', 'data': { 'name': 'str' } }\n",
        "clash.json:2: 'name' (member of Sub) collides with 'name' (member of Base)",
    ),
    (
        "clash-arg.json",
        "{ 'command': 'foo-bar', 'data': { 'a-b': 'int', 'a_b': 'str' } }\n",
        "clash-arg.json:1: 'a_b' (parameter of foo-bar) collides with 'a-b' (parameter of foo-bar)",
    ),
];

#[test]
fn legacy_model_checks_match_qemu() {
    let scratch = Scratch::new("legacy-model");
    let mut failures = Vec::new();
    for release in [(2, 12), (3, 0), (3, 1), (4, 0), (4, 1)] {
        for (file, text, want) in CASES {
            let got = scratch.check(file, text, release);
            if got != *want {
                failures.push(format!(
                    "{file} under {release:?}:\n  want {want}\n  got  {got}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

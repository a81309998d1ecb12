// Generated from QEMU 10.2's own expression checker run on each input.

pub(super) const CASES: &[(&str, &str, &str)] = &[
    (
        "meta-two.json",
        r#"{ 'struct': 'Foo', 'enum': 'Bar', 'data': {} }"#,
        r#"meta-two.json:1: expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'"#,
    ),
    (
        "meta-none.json",
        r#"{ 'data': {} }"#,
        r#"meta-none.json:1: expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'"#,
    ),
    (
        "meta-nonstr.json",
        r#"{ 'struct': true, 'data': {} }"#,
        r#"meta-nonstr.json:1: 'struct' requires a string name"#,
    ),
    (
        "meta-list.json",
        r#"{ 'event': ['Foo'] }"#,
        r#"meta-list.json:1: 'event' requires a string name"#,
    ),
    (
        "meta-ok-after.json",
        r#"{ 'enum': 'Foo', 'data': [] }
{ 'command': 'Bad' }"#,
        r#"meta-ok-after.json: In command 'Bad':
meta-ok-after.json:2: name of command must not use uppercase or '_'"#,
    ),
    (
        "name-list-suffix.json",
        r#"{ 'struct': 'FooList', 'data': {} }"#,
        r#"name-list-suffix.json: In struct 'FooList':
name-list-suffix.json:1: struct name should not end in 'List'"#,
    ),
    (
        "name-lower-struct.json",
        r#"{ 'struct': 'foo', 'data': {} }"#,
        r#"name-lower-struct.json: In struct 'foo':
name-lower-struct.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-allcaps.json",
        r#"{ 'struct': 'FOO', 'data': {} }"#,
        r#"name-allcaps.json: In struct 'FOO':
name-allcaps.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-single.json",
        r#"{ 'alternate': 'F', 'data': {'a': 'int'} }"#,
        r#"name-single.json: In alternate 'F':
name-single.json:1: name of alternate must use CamelCase"#,
    ),
    (
        "name-dash.json",
        r#"{ 'struct': 'Fo-o', 'data': {} }"#,
        r#"name-dash.json: In struct 'Fo-o':
name-dash.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-under.json",
        r#"{ 'struct': 'Fo_o', 'data': {} }"#,
        r#"name-under.json: In struct 'Fo_o':
name-under.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-downstream.json",
        r#"{ 'struct': '__org.qemu_Foo', 'data': {} }"#,
        r#""#,
    ),
    (
        "name-downstream-x.json",
        r#"{ 'struct': '__org.qemu_x-Foo', 'data': {} }"#,
        r#""#,
    ),
    ("name-x.json", r#"{ 'struct': 'x-Foo', 'data': {} }"#, r#""#),
    ("name-X.json", r#"{ 'struct': 'X-Foo', 'data': {} }"#, r#""#),
    (
        "name-x-digit.json",
        r#"{ 'struct': 'x-1Foo', 'data': {} }"#,
        r#"name-x-digit.json: In struct 'x-1Foo':
name-x-digit.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-q.json",
        r#"{ 'struct': 'Q_foo', 'data': {} }"#,
        r#"name-q.json: In struct 'Q_foo':
name-q.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-q2.json",
        r#"{ 'command': 'q-foo' }"#,
        r#"name-q2.json: In command 'q-foo':
name-q2.json:1: command has an invalid name"#,
    ),
    (
        "name-q3.json",
        r#"{ 'command': 'q.foo' }"#,
        r#"name-q3.json: In command 'q.foo':
name-q3.json:1: command has an invalid name"#,
    ),
    ("name-qx.json", r#"{ 'command': 'qx' }"#, r#""#),
    (
        "name-underscore.json",
        r#"{ 'struct': '_Foo', 'data': {} }"#,
        r#"name-underscore.json: In struct '_Foo':
name-underscore.json:1: struct has an invalid name"#,
    ),
    (
        "name-dunder.json",
        r#"{ 'struct': '__Foo', 'data': {} }"#,
        r#"name-dunder.json: In struct '__Foo':
name-dunder.json:1: struct has an invalid name"#,
    ),
    (
        "name-dunder-empty.json",
        r#"{ 'struct': '__a_', 'data': {} }"#,
        r#"name-dunder-empty.json: In struct '__a_':
name-dunder-empty.json:1: struct has an invalid name"#,
    ),
    (
        "name-dunder-upper.json",
        r#"{ 'struct': '__ORG.qemu_Foo', 'data': {} }"#,
        r#""#,
    ),
    (
        "name-dunder-under.json",
        r#"{ 'struct': '__org_qemu_Foo', 'data': {} }"#,
        r#"name-dunder-under.json: In struct '__org_qemu_Foo':
name-dunder-under.json:1: name of struct must use CamelCase"#,
    ),
    (
        "name-dunder2.json",
        r#"{ 'struct': '___Foo', 'data': {} }"#,
        r#"name-dunder2.json: In struct '___Foo':
name-dunder2.json:1: struct has an invalid name"#,
    ),
    (
        "name-empty.json",
        r#"{ 'struct': '', 'data': {} }"#,
        r#"name-empty.json:1: struct has an invalid name"#,
    ),
    (
        "name-space.json",
        r#"{ 'struct': 'Foo Bar', 'data': {} }"#,
        r#"name-space.json: In struct 'Foo Bar':
name-space.json:1: struct has an invalid name"#,
    ),
    (
        "name-digit.json",
        r#"{ 'struct': 'Foo1', 'data': {} }"#,
        r#""#,
    ),
    (
        "name-List-mid.json",
        r#"{ 'struct': 'FooListX', 'data': {} }"#,
        r#""#,
    ),
    ("name-x-only.json", r#"{ 'command': 'x-' }"#, r#""#),
    ("name-x-dash.json", r#"{ 'command': 'x--' }"#, r#""#),
    ("name-x-x.json", r#"{ 'command': 'x-x-' }"#, r#""#),
    (
        "name-dunder-x-digit.json",
        r#"{ 'command': '__a.b_x-1' }"#,
        r#""#,
    ),
    (
        "name-enum-List.json",
        r#"{ 'enum': 'FooList', 'data': [] }"#,
        r#"name-enum-List.json: In enum 'FooList':
name-enum-List.json:1: enum name should not end in 'List'"#,
    ),
    (
        "cmd-under.json",
        r#"{ 'command': 'foo_bar' }"#,
        r#"cmd-under.json: In command 'foo_bar':
cmd-under.json:1: name of command must not use uppercase or '_'"#,
    ),
    (
        "cmd-under-exc.json",
        r#"{ 'pragma': { 'command-name-exceptions': ['foo_bar'] } }
{ 'command': 'foo_bar' }"#,
        r#""#,
    ),
    (
        "cmd-upper-exc.json",
        r#"{ 'pragma': { 'command-name-exceptions': ['Foo'] } }
{ 'command': 'Foo' }"#,
        r#"cmd-upper-exc.json: In command 'Foo':
cmd-upper-exc.json:2: name of command must not use uppercase or '_'"#,
    ),
    (
        "cmd-upper.json",
        r#"{ 'command': 'Foo' }"#,
        r#"cmd-upper.json: In command 'Foo':
cmd-upper.json:1: name of command must not use uppercase or '_'"#,
    ),
    ("cmd-x.json", r#"{ 'command': 'x-foo' }"#, r#""#),
    ("cmd-ds.json", r#"{ 'command': '__com.redhat_foo' }"#, r#""#),
    (
        "cmd-dot.json",
        r#"{ 'command': 'foo.bar' }"#,
        r#"cmd-dot.json: In command 'foo.bar':
cmd-dot.json:1: command has an invalid name"#,
    ),
    ("ev-ok.json", r#"{ 'event': 'FOO_BAR' }"#, r#""#),
    (
        "ev-lower.json",
        r#"{ 'event': 'Foo' }"#,
        r#"ev-lower.json: In event 'Foo':
ev-lower.json:1: name of event must not use lowercase or '-'"#,
    ),
    (
        "ev-dash.json",
        r#"{ 'event': 'FOO-BAR' }"#,
        r#"ev-dash.json: In event 'FOO-BAR':
ev-dash.json:1: name of event must not use lowercase or '-'"#,
    ),
    ("ev-x.json", r#"{ 'event': 'x-FOO' }"#, r#""#),
    ("ev-X.json", r#"{ 'event': 'X-FOO' }"#, r#""#),
    ("ev-ds.json", r#"{ 'event': '__org.qemu_FOO' }"#, r#""#),
    ("ev-digit.json", r#"{ 'event': 'FOO1' }"#, r#""#),
    (
        "keys-union-missing.json",
        r#"{ 'union': 'Uu' }"#,
        r#"keys-union-missing.json: In union 'Uu':
keys-union-missing.json:1: union misses keys 'base', 'data', 'discriminator'"#,
    ),
    (
        "keys-union-missing1.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'data': {} }"#,
        r#"keys-union-missing1.json: In union 'Uu':
keys-union-missing1.json:1: union misses key 'discriminator'"#,
    ),
    (
        "keys-unknown2.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'zz': 'x', 'aa': true }"#,
        r#"keys-unknown2.json: In struct 'Foo':
keys-unknown2.json:1: struct has unknown keys 'aa', 'zz'
Valid keys are 'base', 'data', 'features', 'if', 'struct'."#,
    ),
    (
        "keys-unknown-missing.json",
        r#"{ 'struct': 'Foo', 'zz': true }"#,
        r#"keys-unknown-missing.json: In struct 'Foo':
keys-unknown-missing.json:1: struct misses key 'data'"#,
    ),
    (
        "keys-cmd-unknown.json",
        r#"{ 'command': 'foo', 'base': 'x' }"#,
        r#"keys-cmd-unknown.json: In command 'foo':
keys-cmd-unknown.json:1: command has unknown key 'base'
Valid keys are 'allow-oob', 'allow-preconfig', 'boxed', 'command', 'coroutine', 'data', 'features', 'gen', 'if', 'returns', 'success-response'."#,
    ),
    (
        "keys-event-unknown.json",
        r#"{ 'event': 'FOO', 'returns': 'x' }"#,
        r#"keys-event-unknown.json: In event 'FOO':
keys-event-unknown.json:1: event has unknown key 'returns'
Valid keys are 'boxed', 'data', 'event', 'features', 'if'."#,
    ),
    (
        "keys-enum-unknown.json",
        r#"{ 'enum': 'Foo', 'data': [], 'base': 'x' }"#,
        r#"keys-enum-unknown.json: In enum 'Foo':
keys-enum-unknown.json:1: enum has unknown key 'base'
Valid keys are 'data', 'enum', 'features', 'if', 'prefix'."#,
    ),
    (
        "keys-alt-unknown.json",
        r#"{ 'alternate': 'Foo', 'data': {}, 'prefix': 'x' }"#,
        r#"keys-alt-unknown.json: In alternate 'Foo':
keys-alt-unknown.json:1: alternate has unknown key 'prefix'
Valid keys are 'alternate', 'data', 'features', 'if'."#,
    ),
    (
        "enum-data-dict.json",
        r#"{ 'enum': 'Foo', 'data': {} }"#,
        r#"enum-data-dict.json: In enum 'Foo':
enum-data-dict.json:1: 'data' must be an array"#,
    ),
    (
        "enum-data-str.json",
        r#"{ 'enum': 'Foo', 'data': 'a' }"#,
        r#"enum-data-str.json: In enum 'Foo':
enum-data-str.json:1: 'data' must be an array"#,
    ),
    (
        "enum-data-str-prefix.json",
        r#"{ 'enum': 'Foo', 'data': 'a', 'prefix': true }"#,
        r#"enum-data-str-prefix.json: In enum 'Foo':
enum-data-str-prefix.json:1: 'data' must be an array"#,
    ),
    (
        "enum-prefix-list.json",
        r#"{ 'enum': 'Foo', 'data': [], 'prefix': ['a'] }"#,
        r#"enum-prefix-list.json: In enum 'Foo':
enum-prefix-list.json:1: 'prefix' must be a string"#,
    ),
    (
        "enum-prefix-ok.json",
        r#"{ 'enum': 'Foo', 'data': [], 'prefix': 'FOO' }"#,
        r#""#,
    ),
    (
        "enum-member-bool.json",
        r#"{ 'enum': 'Foo', 'data': [ true ] }"#,
        r#"enum-member-bool.json: In enum 'Foo':
enum-member-bool.json:1: 'data' member requires a string name"#,
    ),
    (
        "enum-member-list.json",
        r#"{ 'enum': 'Foo', 'data': [ ['a'] ] }"#,
        r#"enum-member-list.json: In enum 'Foo':
enum-member-list.json:1: 'data' member requires a string name"#,
    ),
    (
        "enum-member-noname.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'if': 'A' } ] }"#,
        r#"enum-member-noname.json: In enum 'Foo':
enum-member-noname.json:1: 'data' member misses key 'name'"#,
    ),
    (
        "enum-member-unknown.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'name': 'a', 'type': 'x', 'base': 'y' } ] }"#,
        r#"enum-member-unknown.json: In enum 'Foo':
enum-member-unknown.json:1: 'data' member has unknown keys 'base', 'type'
Valid keys are 'features', 'if', 'name'."#,
    ),
    (
        "enum-member-upper.json",
        r#"{ 'enum': 'Foo', 'data': [ 'Value' ] }"#,
        r#"enum-member-upper.json: In enum 'Foo':
enum-member-upper.json:1: name of 'data' member 'Value' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-under.json",
        r#"{ 'enum': 'Foo', 'data': [ 'a_b' ] }"#,
        r#"enum-member-under.json: In enum 'Foo':
enum-member-under.json:1: name of 'data' member 'a_b' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-digit.json",
        r#"{ 'enum': 'Foo', 'data': [ '1a', '2', '3-x' ] }"#,
        r#""#,
    ),
    (
        "enum-member-digit-upper.json",
        r#"{ 'enum': 'Foo', 'data': [ '1A' ] }"#,
        r#"enum-member-digit-upper.json: In enum 'Foo':
enum-member-digit-upper.json:1: name of 'data' member '1A' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-digit-under.json",
        r#"{ 'enum': 'Foo', 'data': [ '1_' ] }"#,
        r#"enum-member-digit-under.json: In enum 'Foo':
enum-member-digit-under.json:1: name of 'data' member '1_' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-digit-dash.json",
        r#"{ 'enum': 'Foo', 'data': [ '1-' ] }"#,
        r#""#,
    ),
    (
        "enum-member-x-digit.json",
        r#"{ 'enum': 'Foo', 'data': [ 'x-1' ] }"#,
        r#""#,
    ),
    (
        "enum-member-underscore.json",
        r#"{ 'enum': 'Foo', 'data': [ '_a' ] }"#,
        r#"enum-member-underscore.json: In enum 'Foo':
enum-member-underscore.json:1: 'data' member '_a' has an invalid name"#,
    ),
    (
        "enum-member-q.json",
        r#"{ 'enum': 'Foo', 'data': [ 'q-a' ] }"#,
        r#"enum-member-q.json: In enum 'Foo':
enum-member-q.json:1: 'data' member 'q-a' has an invalid name"#,
    ),
    (
        "enum-member-u.json",
        r#"{ 'enum': 'Foo', 'data': [ 'u', 'has-a' ] }"#,
        r#""#,
    ),
    (
        "enum-member-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Foo'] } }
{ 'enum': 'Foo', 'data': [ 'Value', 'a_b' ] }"#,
        r#""#,
    ),
    (
        "enum-member-exc-other.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Bar'] } }
{ 'enum': 'Foo', 'data': [ 'Value' ] }"#,
        r#"enum-member-exc-other.json: In enum 'Foo':
enum-member-exc-other.json:2: name of 'data' member 'Value' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-if.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'name': 'a', 'if': 'a' } ] }"#,
        r#"enum-member-if.json: In enum 'Foo':
enum-member-if.json:1: 'if' condition 'a' of 'data' member 'a' is not a valid identifier"#,
    ),
    (
        "enum-member-features.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'name': 'a', 'features': 'f' } ] }"#,
        r#"enum-member-features.json: In enum 'Foo':
enum-member-features.json:1: 'features' must be an array"#,
    ),
    (
        "enum-member-features-bad.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'name': 'a', 'features': [ 'F' ] } ] }"#,
        r#"enum-member-features-bad.json: In enum 'Foo':
enum-member-features-bad.json:1: name of 'features' member 'F' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-order.json",
        r#"{ 'enum': 'Foo', 'data': [ 'ok', { 'name': 'B', 'if': 'x' } ] }"#,
        r#"enum-member-order.json: In enum 'Foo':
enum-member-order.json:1: name of 'data' member 'B' must not use uppercase or '_'"#,
    ),
    (
        "enum-member-if-before-feat.json",
        r#"{ 'enum': 'Foo', 'data': [ { 'name': 'a', 'if': 'x', 'features': 'y' } ] }"#,
        r#"enum-member-if-before-feat.json: In enum 'Foo':
enum-member-if-before-feat.json:1: 'if' condition 'x' of 'data' member 'a' is not a valid identifier"#,
    ),
    (
        "enum-expr-if.json",
        r#"{ 'enum': 'Foo', 'data': [], 'if': 'a' }"#,
        r#"enum-expr-if.json: In enum 'Foo':
enum-expr-if.json:1: 'if' condition 'a' of enum is not a valid identifier"#,
    ),
    (
        "enum-expr-feat.json",
        r#"{ 'enum': 'Foo', 'data': [], 'features': ['a_b'] }"#,
        r#"enum-expr-feat.json: In enum 'Foo':
enum-expr-feat.json:1: name of 'features' member 'a_b' must not use uppercase or '_'"#,
    ),
    (
        "struct-data-str.json",
        r#"{ 'struct': 'Foo', 'data': 'Bar' }"#,
        r#"struct-data-str.json: In struct 'Foo':
struct-data-str.json:1: 'data' should be an object or type name"#,
    ),
    (
        "struct-data-list.json",
        r#"{ 'struct': 'Foo', 'data': [] }"#,
        r#"struct-data-list.json: In struct 'Foo':
struct-data-list.json:1: 'data' should be an object or type name"#,
    ),
    (
        "struct-data-bool.json",
        r#"{ 'struct': 'Foo', 'data': false }"#,
        r#"struct-data-bool.json: In struct 'Foo':
struct-data-bool.json:1: 'data' should be an object or type name"#,
    ),
    (
        "struct-member-star.json",
        r#"{ 'struct': 'Foo', 'data': { '*': 'int' } }"#,
        r#"struct-member-star.json: In struct 'Foo':
struct-member-star.json:1: 'data' member '*' has an invalid name"#,
    ),
    (
        "struct-member-starstar.json",
        r#"{ 'struct': 'Foo', 'data': { '**a': 'int' } }"#,
        r#"struct-member-starstar.json: In struct 'Foo':
struct-member-starstar.json:1: 'data' member '**a' has an invalid name"#,
    ),
    (
        "struct-member-u.json",
        r#"{ 'struct': 'Foo', 'data': { 'u': 'int' } }"#,
        r#"struct-member-u.json: In struct 'Foo':
struct-member-u.json:1: 'data' member 'u' uses reserved name"#,
    ),
    (
        "struct-member-optu.json",
        r#"{ 'struct': 'Foo', 'data': { '*u': 'int' } }"#,
        r#"struct-member-optu.json: In struct 'Foo':
struct-member-optu.json:1: 'data' member '*u' uses reserved name"#,
    ),
    (
        "struct-member-U.json",
        r#"{ 'struct': 'Foo', 'data': { 'U': 'int' } }"#,
        r#"struct-member-U.json: In struct 'Foo':
struct-member-U.json:1: name of 'data' member 'U' must not use uppercase or '_'"#,
    ),
    (
        "struct-member-has.json",
        r#"{ 'struct': 'Foo', 'data': { '*has-x': 'int' } }"#,
        r#"struct-member-has.json: In struct 'Foo':
struct-member-has.json:1: 'data' member '*has-x' uses reserved name"#,
    ),
    (
        "struct-member-has2.json",
        r#"{ 'struct': 'Foo', 'data': { 'has_x': 'int' } }"#,
        r#"struct-member-has2.json: In struct 'Foo':
struct-member-has2.json:1: name of 'data' member 'has_x' must not use uppercase or '_'"#,
    ),
    (
        "struct-member-has3.json",
        r#"{ 'struct': 'Foo', 'data': { 'has': 'int', 'hasx': 'int', 'has-': 'str' } }"#,
        r#"struct-member-has3.json: In struct 'Foo':
struct-member-has3.json:1: 'data' member 'has-' uses reserved name"#,
    ),
    (
        "struct-member-has-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Foo'] } }
{ 'struct': 'Foo', 'data': { 'has_x': 'int' } }"#,
        r#"struct-member-has-exc.json: In struct 'Foo':
struct-member-has-exc.json:2: 'data' member 'has_x' uses reserved name"#,
    ),
    (
        "struct-member-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Foo'] } }
{ 'struct': 'Foo', 'data': { 'A_b': 'int', 'c': { 'type': 'int', 'features': ['D'] } } }"#,
        r#"struct-member-exc.json: In struct 'Foo':
struct-member-exc.json:2: name of 'features' member 'D' must not use uppercase or '_'"#,
    ),
    (
        "struct-member-x-has.json",
        r#"{ 'struct': 'Foo', 'data': { 'x-has-a': 'int' } }"#,
        r#""#,
    ),
    (
        "struct-member-ds-has.json",
        r#"{ 'struct': 'Foo', 'data': { '__a.b_has-a': 'int' } }"#,
        r#""#,
    ),
    (
        "struct-member-notype.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'if': 'A' } } }"#,
        r#"struct-member-notype.json: In struct 'Foo':
struct-member-notype.json:1: 'data' member 'a' misses key 'type'"#,
    ),
    (
        "struct-member-unknown.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': 'int', 'base': 'x' } } }"#,
        r#"struct-member-unknown.json: In struct 'Foo':
struct-member-unknown.json:1: 'data' member 'a' has unknown key 'base'
Valid keys are 'features', 'if', 'type'."#,
    ),
    (
        "struct-member-type2.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': [ 'int', 'str' ] } }"#,
        r#"struct-member-type2.json: In struct 'Foo':
struct-member-type2.json:1: 'data' member 'a': array type must contain single type name"#,
    ),
    (
        "struct-member-type0.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': [] } }"#,
        r#"struct-member-type0.json: In struct 'Foo':
struct-member-type0.json:1: 'data' member 'a': array type must contain single type name"#,
    ),
    (
        "struct-member-typelist.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': [ ['int'] ] } }"#,
        r#"struct-member-typelist.json: In struct 'Foo':
struct-member-typelist.json:1: 'data' member 'a': array type must contain single type name"#,
    ),
    (
        "struct-member-typebool.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': true } }"#,
        r#"struct-member-typebool.json: In struct 'Foo':
struct-member-typebool.json:1: 'data' member 'a' should be a type name or array"#,
    ),
    (
        "struct-member-typedict.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': { 'b': 'int' } } } }"#,
        r#"struct-member-typedict.json: In struct 'Foo':
struct-member-typedict.json:1: 'data' member 'a' should be a type name or array"#,
    ),
    (
        "struct-member-feat.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': 'int', 'features': 'x' } } }"#,
        r#"struct-member-feat.json: In struct 'Foo':
struct-member-feat.json:1: 'features' must be an array"#,
    ),
    (
        "struct-member-if.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': 'int', 'if': ['A'] } } }"#,
        r#"struct-member-if.json: In struct 'Foo':
struct-member-if.json:1: 'if' condition of 'data' member 'a' must be a string or an object"#,
    ),
    (
        "struct-member-order.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': true, 'if': 'x', 'features': [ 'B' ] } } }"#,
        r#"struct-member-order.json: In struct 'Foo':
struct-member-order.json:1: 'if' condition 'x' of 'data' member 'a' is not a valid identifier"#,
    ),
    (
        "struct-member-order2.json",
        r#"{ 'struct': 'Foo', 'data': { 'a': { 'type': true, 'features': [ 'B' ] } } }"#,
        r#"struct-member-order2.json: In struct 'Foo':
struct-member-order2.json:1: name of 'features' member 'B' must not use uppercase or '_'"#,
    ),
    (
        "struct-base.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'base': { 'a': 'int' } }"#,
        r#"struct-base.json: In struct 'Foo':
struct-base.json:1: 'base' should be a type name"#,
    ),
    (
        "struct-base-order.json",
        r#"{ 'struct': 'Foo', 'data': { 'A': 'int' }, 'base': { 'a': 'int' } }"#,
        r#"struct-base-order.json: In struct 'Foo':
struct-base-order.json:1: name of 'data' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "struct-order-if.json",
        r#"{ 'struct': 'Foo', 'data': { 'A': 'int' }, 'if': 'x' }"#,
        r#"struct-order-if.json: In struct 'Foo':
struct-order-if.json:1: name of 'data' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "struct-order-feat.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': 'x', 'features': 'y' }"#,
        r#"struct-order-feat.json: In struct 'Foo':
struct-order-feat.json:1: 'if' condition 'x' of struct is not a valid identifier"#,
    ),
    (
        "struct-feat.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'a', 'b-c', 'x-d', { 'name': 'e', 'if': 'F' } ] }"#,
        r#""#,
    ),
    (
        "union-base-dict.json",
        r#"{ 'union': 'Uu', 'base': { 'A': 'int' }, 'discriminator': 'a', 'data': {} }"#,
        r#"union-base-dict.json: In union 'Uu':
union-base-dict.json:1: name of 'base' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "union-base-dict-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Uu'] } }
{ 'union': 'Uu', 'base': { 'A': 'int' }, 'discriminator': 'a', 'data': {} }"#,
        r#""#,
    ),
    (
        "union-base-list.json",
        r#"{ 'union': 'Uu', 'base': [ 'B' ], 'discriminator': 'a', 'data': {} }"#,
        r#"union-base-list.json: In union 'Uu':
union-base-list.json:1: 'base' should be an object or type name"#,
    ),
    (
        "union-base-bool.json",
        r#"{ 'union': 'Uu', 'base': true, 'discriminator': 'a', 'data': {} }"#,
        r#"union-base-bool.json: In union 'Uu':
union-base-bool.json:1: 'base' should be an object or type name"#,
    ),
    (
        "union-disc-bool.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': true, 'data': {} }"#,
        r#"union-disc-bool.json: In union 'Uu':
union-disc-bool.json:1: 'discriminator' requires a string name"#,
    ),
    (
        "union-disc-dict.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': {}, 'data': [] }"#,
        r#"union-disc-dict.json: In union 'Uu':
union-disc-dict.json:1: 'discriminator' requires a string name"#,
    ),
    (
        "union-data-list.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': [] }"#,
        r#"union-data-list.json: In union 'Uu':
union-data-list.json:1: 'data' must be an object"#,
    ),
    (
        "union-data-str.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': 'x' }"#,
        r#"union-data-str.json: In union 'Uu':
union-data-str.json:1: 'data' must be an object"#,
    ),
    (
        "union-branch-notype.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'x': {} } }"#,
        r#"union-branch-notype.json: In union 'Uu':
union-branch-notype.json:1: 'data' member 'x' misses key 'type'"#,
    ),
    (
        "union-branch-feat.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'x': { 'type': 'T', 'features': [] } } }"#,
        r#"union-branch-feat.json: In union 'Uu':
union-branch-feat.json:1: 'data' member 'x' has unknown key 'features'
Valid keys are 'if', 'type'."#,
    ),
    (
        "union-branch-list.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'x': ['T'] } }"#,
        r#"union-branch-list.json: In union 'Uu':
union-branch-list.json:1: 'data' member 'x' should be a type name"#,
    ),
    (
        "union-branch-bool.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'x': false } }"#,
        r#"union-branch-bool.json: In union 'Uu':
union-branch-bool.json:1: 'data' member 'x' should be a type name"#,
    ),
    (
        "union-branch-names.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'X_y': 'T', '*z': 'T' } }"#,
        r#""#,
    ),
    (
        "union-branch-if.json",
        r#"{ 'union': 'Uu', 'base': 'B', 'discriminator': 'a', 'data': { 'x': { 'type': 'T', 'if': {'not': 'x'} } } }"#,
        r#"union-branch-if.json: In union 'Uu':
union-branch-if.json:1: 'if' condition 'x' of 'data' member 'x' is not a valid identifier"#,
    ),
    (
        "alt-empty-dict.json",
        r#"{ 'alternate': 'Alt', 'data': {} }"#,
        r#"alt-empty-dict.json: In alternate 'Alt':
alt-empty-dict.json:1: 'data' must not be empty"#,
    ),
    (
        "alt-empty-list.json",
        r#"{ 'alternate': 'Alt', 'data': [] }"#,
        r#"alt-empty-list.json: In alternate 'Alt':
alt-empty-list.json:1: 'data' must not be empty"#,
    ),
    (
        "alt-empty-str.json",
        r#"{ 'alternate': 'Alt', 'data': '' }"#,
        r#"alt-empty-str.json: In alternate 'Alt':
alt-empty-str.json:1: 'data' must not be empty"#,
    ),
    (
        "alt-false.json",
        r#"{ 'alternate': 'Alt', 'data': false }"#,
        r#"alt-false.json: In alternate 'Alt':
alt-false.json:1: 'data' must not be empty"#,
    ),
    (
        "alt-true.json",
        r#"{ 'alternate': 'Alt', 'data': true }"#,
        r#"alt-true.json: In alternate 'Alt':
alt-true.json:1: 'data' must be an object"#,
    ),
    (
        "alt-str.json",
        r#"{ 'alternate': 'Alt', 'data': 'x' }"#,
        r#"alt-str.json: In alternate 'Alt':
alt-str.json:1: 'data' must be an object"#,
    ),
    (
        "alt-list.json",
        r#"{ 'alternate': 'Alt', 'data': ['x'] }"#,
        r#"alt-list.json: In alternate 'Alt':
alt-list.json:1: 'data' must be an object"#,
    ),
    (
        "alt-upper.json",
        r#"{ 'alternate': 'Alt', 'data': { 'A': 'int' } }"#,
        r#"alt-upper.json: In alternate 'Alt':
alt-upper.json:1: name of 'data' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "alt-star.json",
        r#"{ 'alternate': 'Alt', 'data': { '*a': 'int' } }"#,
        r#"alt-star.json: In alternate 'Alt':
alt-star.json:1: 'data' member '*a' has an invalid name"#,
    ),
    (
        "alt-u.json",
        r#"{ 'alternate': 'Alt', 'data': { 'u': 'int', 'has-x': 'str' } }"#,
        r#""#,
    ),
    (
        "alt-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Alt'] } }
{ 'alternate': 'Alt', 'data': { 'A': 'int' } }"#,
        r#"alt-exc.json: In alternate 'Alt':
alt-exc.json:2: name of 'data' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "alt-type-empty.json",
        r#"{ 'alternate': 'Alt', 'data': { 'a': [] } }"#,
        r#"alt-type-empty.json: In alternate 'Alt':
alt-type-empty.json:1: 'data' member 'a': array type must contain single type name"#,
    ),
    (
        "alt-type-dict.json",
        r#"{ 'alternate': 'Alt', 'data': { 'a': { 'type': { 'x': 'int' } } } }"#,
        r#"alt-type-dict.json: In alternate 'Alt':
alt-type-dict.json:1: 'data' member 'a' should be a type name or array"#,
    ),
    (
        "alt-feat.json",
        r#"{ 'alternate': 'Alt', 'data': { 'a': { 'type': 'int', 'features': [] } } }"#,
        r#"alt-feat.json: In alternate 'Alt':
alt-feat.json:1: 'data' member 'a' has unknown key 'features'
Valid keys are 'if', 'type'."#,
    ),
    (
        "alt-if.json",
        r#"{ 'alternate': 'Alt', 'data': { 'a': { 'type': 'int', 'if': 'a' } } }"#,
        r#"alt-if.json: In alternate 'Alt':
alt-if.json:1: 'if' condition 'a' of 'data' member 'a' is not a valid identifier"#,
    ),
    (
        "cmd-boxed-str-nodata.json",
        r#"{ 'command': 'foo', 'boxed': 'yes' }"#,
        r#"cmd-boxed-str-nodata.json: In command 'foo':
cmd-boxed-str-nodata.json:1: 'boxed': true requires 'data'"#,
    ),
    (
        "cmd-boxed-false-dict.json",
        r#"{ 'command': 'foo', 'boxed': false, 'data': { 'a': 'int' } }"#,
        r#"cmd-boxed-false-dict.json: In command 'foo':
cmd-boxed-false-dict.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "cmd-boxed-emptystr-dict.json",
        r#"{ 'command': 'foo', 'boxed': '', 'data': { 'A': 'int' } }"#,
        r#"cmd-boxed-emptystr-dict.json: In command 'foo':
cmd-boxed-emptystr-dict.json:1: name of 'data' member 'A' must not use uppercase or '_'"#,
    ),
    (
        "cmd-boxed-emptylist.json",
        r#"{ 'command': 'foo', 'boxed': [], 'data': 'X' }"#,
        r#"cmd-boxed-emptylist.json: In command 'foo':
cmd-boxed-emptylist.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "cmd-boxed-emptydict.json",
        r#"{ 'command': 'foo', 'boxed': {}, 'data': {} }"#,
        r#"cmd-boxed-emptydict.json: In command 'foo':
cmd-boxed-emptydict.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "cmd-boxed-dict.json",
        r#"{ 'command': 'foo', 'boxed': { 'a': 'b' }, 'data': 'X' }"#,
        r#"cmd-boxed-dict.json: In command 'foo':
cmd-boxed-dict.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "cmd-boxed-list-data.json",
        r#"{ 'command': 'foo', 'boxed': true, 'data': ['X'] }"#,
        r#"cmd-boxed-list-data.json: In command 'foo':
cmd-boxed-list-data.json:1: 'data' should be a type name"#,
    ),
    (
        "cmd-boxed-false-nodata.json",
        r#"{ 'command': 'foo', 'boxed': false }"#,
        r#"cmd-boxed-false-nodata.json: In command 'foo':
cmd-boxed-false-nodata.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "cmd-returns-dict.json",
        r#"{ 'command': 'foo', 'returns': {} }"#,
        r#"cmd-returns-dict.json: In command 'foo':
cmd-returns-dict.json:1: 'returns' should be a type name or array"#,
    ),
    (
        "cmd-returns-2.json",
        r#"{ 'command': 'foo', 'returns': ['a', 'b'] }"#,
        r#"cmd-returns-2.json: In command 'foo':
cmd-returns-2.json:1: 'returns': array type must contain single type name"#,
    ),
    (
        "cmd-returns-0.json",
        r#"{ 'command': 'foo', 'returns': [] }"#,
        r#"cmd-returns-0.json: In command 'foo':
cmd-returns-0.json:1: 'returns': array type must contain single type name"#,
    ),
    (
        "cmd-returns-bool.json",
        r#"{ 'command': 'foo', 'returns': false }"#,
        r#"cmd-returns-bool.json: In command 'foo':
cmd-returns-bool.json:1: 'returns' should be a type name or array"#,
    ),
    (
        "cmd-returns-listbool.json",
        r#"{ 'command': 'foo', 'returns': [true] }"#,
        r#"cmd-returns-listbool.json: In command 'foo':
cmd-returns-listbool.json:1: 'returns': array type must contain single type name"#,
    ),
    (
        "cmd-data-bool.json",
        r#"{ 'command': 'foo', 'data': true }"#,
        r#"cmd-data-bool.json: In command 'foo':
cmd-data-bool.json:1: 'data' should be an object or type name"#,
    ),
    (
        "cmd-data-list.json",
        r#"{ 'command': 'foo', 'data': ['X'] }"#,
        r#"cmd-data-list.json: In command 'foo':
cmd-data-list.json:1: 'data' should be an object or type name"#,
    ),
    (
        "cmd-data-upper.json",
        r#"{ 'command': 'foo', 'data': { 'Abc': 'int' } }"#,
        r#"cmd-data-upper.json: In command 'foo':
cmd-data-upper.json:1: name of 'data' member 'Abc' must not use uppercase or '_'"#,
    ),
    (
        "cmd-data-upper-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['foo'] } }
{ 'command': 'foo', 'data': { 'Abc': 'int' } }"#,
        r#"cmd-data-upper-exc.json: In command 'foo':
cmd-data-upper-exc.json:2: name of 'data' member 'Abc' must not use uppercase or '_'"#,
    ),
    (
        "cmd-data-before-returns.json",
        r#"{ 'command': 'foo', 'data': true, 'returns': {} }"#,
        r#"cmd-data-before-returns.json: In command 'foo':
cmd-data-before-returns.json:1: 'data' should be an object or type name"#,
    ),
    (
        "cmd-gen-true.json",
        r#"{ 'command': 'foo', 'gen': true }"#,
        r#"cmd-gen-true.json: In command 'foo':
cmd-gen-true.json:1: flag 'gen' may only use false value"#,
    ),
    (
        "cmd-gen-str.json",
        r#"{ 'command': 'foo', 'gen': 'false' }"#,
        r#"cmd-gen-str.json: In command 'foo':
cmd-gen-str.json:1: flag 'gen' may only use false value"#,
    ),
    (
        "cmd-sr.json",
        r#"{ 'command': 'foo', 'success-response': 'no' }"#,
        r#"cmd-sr.json: In command 'foo':
cmd-sr.json:1: flag 'success-response' may only use false value"#,
    ),
    (
        "cmd-oob-false.json",
        r#"{ 'command': 'foo', 'allow-oob': false }"#,
        r#"cmd-oob-false.json: In command 'foo':
cmd-oob-false.json:1: flag 'allow-oob' may only use true value"#,
    ),
    (
        "cmd-oob-co.json",
        r#"{ 'command': 'foo', 'allow-oob': true, 'coroutine': true }"#,
        r#"cmd-oob-co.json: In command 'foo':
cmd-oob-co.json:1: flags 'allow-oob' and 'coroutine' are incompatible"#,
    ),
    (
        "cmd-co-false.json",
        r#"{ 'command': 'foo', 'coroutine': false, 'allow-oob': true }"#,
        r#"cmd-co-false.json: In command 'foo':
cmd-co-false.json:1: flag 'coroutine' may only use true value"#,
    ),
    (
        "cmd-flags-order.json",
        r#"{ 'command': 'foo', 'boxed': 'x', 'data': 'X', 'gen': true }"#,
        r#"cmd-flags-order.json: In command 'foo':
cmd-flags-order.json:1: flag 'gen' may only use false value"#,
    ),
    (
        "cmd-flags-ok.json",
        r#"{ 'command': 'foo', 'boxed': true, 'data': 'X', 'gen': false, 'success-response': false, 'allow-preconfig': true, 'coroutine': true, 'returns': ['int'] }"#,
        r#""#,
    ),
    (
        "cmd-flags-after-feat.json",
        r#"{ 'command': 'foo', 'gen': true, 'features': 'x' }"#,
        r#"cmd-flags-after-feat.json: In command 'foo':
cmd-flags-after-feat.json:1: 'features' must be an array"#,
    ),
    (
        "ev-boxed-dict.json",
        r#"{ 'event': 'FOO', 'boxed': true, 'data': { 'a': 'int' } }"#,
        r#"ev-boxed-dict.json: In event 'FOO':
ev-boxed-dict.json:1: 'data' should be a type name"#,
    ),
    (
        "ev-boxed-nodata.json",
        r#"{ 'event': 'FOO', 'boxed': true }"#,
        r#"ev-boxed-nodata.json: In event 'FOO':
ev-boxed-nodata.json:1: 'boxed': true requires 'data'"#,
    ),
    (
        "ev-boxed-false.json",
        r#"{ 'event': 'FOO', 'boxed': false }"#,
        r#"ev-boxed-false.json: In event 'FOO':
ev-boxed-false.json:1: flag 'boxed' may only use true value"#,
    ),
    (
        "ev-data-bool.json",
        r#"{ 'event': 'FOO', 'data': false }"#,
        r#"ev-data-bool.json: In event 'FOO':
ev-data-bool.json:1: 'data' should be an object or type name"#,
    ),
    (
        "ev-data-member.json",
        r#"{ 'event': 'FOO', 'data': { 'a': { 'type': 'int', 'if': 'X', 'features': [ 'x-y' ] } } }"#,
        r#""#,
    ),
    (
        "if-space.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': ' ' }"#,
        r#"if-space.json: In struct 'Foo':
if-space.json:1: 'if' condition ' ' of struct is not a valid identifier"#,
    ),
    (
        "if-lower.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': 'foo' }"#,
        r#"if-lower.json: In struct 'Foo':
if-lower.json:1: 'if' condition 'foo' of struct is not a valid identifier"#,
    ),
    (
        "if-dash.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': 'A-B' }"#,
        r#"if-dash.json: In struct 'Foo':
if-dash.json:1: 'if' condition 'A-B' of struct is not a valid identifier"#,
    ),
    (
        "if-digit.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': '1A' }"#,
        r#"if-digit.json: In struct 'Foo':
if-digit.json:1: 'if' condition '1A' of struct is not a valid identifier"#,
    ),
    (
        "if-under.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': '_A' }"#,
        r#"if-under.json: In struct 'Foo':
if-under.json:1: 'if' condition '_A' of struct is not a valid identifier"#,
    ),
    (
        "if-ok.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': 'A_1' }"#,
        r#""#,
    ),
    (
        "if-empty-dict.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': {} }"#,
        r#"if-empty-dict.json: In struct 'Foo':
if-empty-dict.json:1: 'if' condition of struct has conflicting keys"#,
    ),
    (
        "if-two.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'all': [], 'any': [] } }"#,
        r#"if-two.json: In struct 'Foo':
if-two.json:1: 'if' condition of struct has conflicting keys"#,
    ),
    (
        "if-all-str.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'all': 'A' } }"#,
        r#"if-all-str.json: In struct 'Foo':
if-all-str.json:1: 'all' condition of struct must be an array"#,
    ),
    (
        "if-any-dict.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'any': { 'not': 'A' } } }"#,
        r#"if-any-dict.json: In struct 'Foo':
if-any-dict.json:1: 'any' condition of struct must be an array"#,
    ),
    (
        "if-not-useless.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'not': { 'all': [] } } }"#,
        r#"if-not-useless.json: In struct 'Foo':
if-not-useless.json:1: 'if' condition [] of struct is useless"#,
    ),
    (
        "if-nested.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'any': [ 'A', { 'not': 'b' } ] } }"#,
        r#"if-nested.json: In struct 'Foo':
if-nested.json:1: 'if' condition 'b' of struct is not a valid identifier"#,
    ),
    (
        "if-nested-list.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'any': [ 'A', [ 'B' ] ] } }"#,
        r#"if-nested-list.json: In struct 'Foo':
if-nested-list.json:1: 'if' condition of struct must be a string or an object"#,
    ),
    (
        "if-bool.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': true }"#,
        r#"if-bool.json: In struct 'Foo':
if-bool.json:1: 'if' condition of struct must be a string or an object"#,
    ),
    (
        "if-list.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': [] }"#,
        r#"if-list.json: In struct 'Foo':
if-list.json:1: 'if' condition of struct must be a string or an object"#,
    ),
    (
        "if-unknown2.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'zed': 'A', 'bar': 'B', 'all': [] } }"#,
        r#"if-unknown2.json: In struct 'Foo':
if-unknown2.json:1: 'if' condition of struct has unknown keys 'bar', 'zed'
Valid keys are 'all', 'any', 'not'."#,
    ),
    (
        "if-unknown1.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'not': 'A', 'x': 'B' } }"#,
        r#"if-unknown1.json: In struct 'Foo':
if-unknown1.json:1: 'if' condition of struct has unknown key 'x'
Valid keys are 'all', 'any', 'not'."#,
    ),
    (
        "if-not-list.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'not': [ 'A' ] } }"#,
        r#"if-not-list.json: In struct 'Foo':
if-not-list.json:1: 'if' condition of struct must be a string or an object"#,
    ),
    (
        "if-not-bool.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'not': false } }"#,
        r#"if-not-bool.json: In struct 'Foo':
if-not-bool.json:1: 'if' condition of struct must be a string or an object"#,
    ),
    (
        "if-deep.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'all': [ { 'any': [ 'A', { 'not': { 'all': [ 'B', 'c' ] } } ] } ] } }"#,
        r#"if-deep.json: In struct 'Foo':
if-deep.json:1: 'if' condition 'c' of struct is not a valid identifier"#,
    ),
    (
        "if-ok-complex.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'if': { 'all': [ { 'any': [ 'A', { 'not': { 'all': [ 'B', 'C' ] } } ] } ] } }"#,
        r#""#,
    ),
    (
        "feat-str.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': 'x' }"#,
        r#"feat-str.json: In struct 'Foo':
feat-str.json:1: 'features' must be an array"#,
    ),
    (
        "feat-dict.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': { 'name': 'x' } }"#,
        r#"feat-dict.json: In struct 'Foo':
feat-dict.json:1: 'features' must be an array"#,
    ),
    (
        "feat-upper.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'X' ] }"#,
        r#"feat-upper.json: In struct 'Foo':
feat-upper.json:1: name of 'features' member 'X' must not use uppercase or '_'"#,
    ),
    (
        "feat-under.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'a_b' ] }"#,
        r#"feat-under.json: In struct 'Foo':
feat-under.json:1: name of 'features' member 'a_b' must not use uppercase or '_'"#,
    ),
    (
        "feat-namebool.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ { 'name': true } ] }"#,
        r#"feat-namebool.json: In struct 'Foo':
feat-namebool.json:1: 'features' member requires a string name"#,
    ),
    (
        "feat-noname.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ { 'if': 'A' } ] }"#,
        r#"feat-noname.json: In struct 'Foo':
feat-noname.json:1: 'features' member misses key 'name'"#,
    ),
    (
        "feat-unknown.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ { 'name': 'a', 'type': 'x', 'data': 'y' } ] }"#,
        r#"feat-unknown.json: In struct 'Foo':
feat-unknown.json:1: 'features' member has unknown keys 'data', 'type'
Valid keys are 'if', 'name'."#,
    ),
    (
        "feat-if.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ { 'name': 'a', 'if': 'b' } ] }"#,
        r#"feat-if.json: In struct 'Foo':
feat-if.json:1: 'if' condition 'b' of 'features' member 'a' is not a valid identifier"#,
    ),
    (
        "feat-list.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ [ 'a' ] ] }"#,
        r#"feat-list.json: In struct 'Foo':
feat-list.json:1: 'features' member requires a string name"#,
    ),
    (
        "feat-bool.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ false ] }"#,
        r#"feat-bool.json: In struct 'Foo':
feat-bool.json:1: 'features' member requires a string name"#,
    ),
    (
        "feat-invalid.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'a b' ] }"#,
        r#"feat-invalid.json: In struct 'Foo':
feat-invalid.json:1: 'features' member 'a b' has an invalid name"#,
    ),
    (
        "feat-q.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'q-a' ] }"#,
        r#"feat-q.json: In struct 'Foo':
feat-q.json:1: 'features' member 'q-a' has an invalid name"#,
    ),
    (
        "feat-u.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'u', 'has-a', 'deprecated', 'unstable' ] }"#,
        r#""#,
    ),
    (
        "feat-order.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ 'ok', 'Bad', { 'name': true } ] }"#,
        r#"feat-order.json: In struct 'Foo':
feat-order.json:1: name of 'features' member 'Bad' must not use uppercase or '_'"#,
    ),
    (
        "feat-exc.json",
        r#"{ 'pragma': { 'member-name-exceptions': ['Foo'] } }
{ 'struct': 'Foo', 'data': {}, 'features': [ 'Bad' ] }"#,
        r#"feat-exc.json: In struct 'Foo':
feat-exc.json:2: name of 'features' member 'Bad' must not use uppercase or '_'"#,
    ),
    (
        "feat-if-order.json",
        r#"{ 'struct': 'Foo', 'data': {}, 'features': [ { 'name': 'Bad', 'if': 'x' } ] }"#,
        r#"feat-if-order.json: In struct 'Foo':
feat-if-order.json:1: name of 'features' member 'Bad' must not use uppercase or '_'"#,
    ),
];

use serde_json::{json, Map, Value};

use super::*;
use crate::compat::{CompatPolicy, SpecialFeatures};

/// A server with a few commands shaped like QEMU's.
struct Server;

static QUERY: CommandInfo = CommandInfo::new("query-thing");
static QUIET: CommandInfo = CommandInfo {
    success_response: false,
    ..CommandInfo::new("quiet")
};
static OLD: CommandInfo = CommandInfo {
    features: SpecialFeatures {
        deprecated: true,
        unstable: false,
    },
    ..CommandInfo::new("old")
};
static FAST: CommandInfo = CommandInfo {
    allow_oob: true,
    ..CommandInfo::new("fast")
};

impl Dispatch for Server {
    fn command(&self, name: &str) -> Option<&'static CommandInfo> {
        [&QUERY, &QUIET, &OLD, &FAST]
            .into_iter()
            .find(|c| c.name == name)
    }

    fn call(
        &self,
        command: &'static CommandInfo,
        arguments: &Map<String, Value>,
        policy: &CompatPolicy,
    ) -> Result<Value, Error> {
        static ARGS: Shape = Shape::Object {
            members: &[MemberShape {
                name: "count",
                features: SpecialFeatures {
                    deprecated: true,
                    unstable: false,
                },
                shape: &Shape::Opaque,
            }],
            branches: None,
        };
        check_input(arguments, &ARGS, policy)?;
        let n: i64 = match arguments.get("count") {
            Some(v) => crate::decode::Decode::from_value(v)?,
            None => 0,
        };
        match command.name {
            "query-thing" => encode(&vec![n]),
            _ => Ok(json!({})),
        }
    }
}

fn reply(request: Value, oob: bool, policy: &CompatPolicy) -> String {
    match dispatch(&Server, &request, oob, policy) {
        Some(v) => v.to_string(),
        None => "none".into(),
    }
}

#[test]
fn replies_are_qemus() {
    let p = CompatPolicy::default();
    let table = [
        (
            json!({"execute": "query-thing", "id": "a"}),
            r#"{"return":[0],"id":"a"}"#,
        ),
        (
            json!({"execute": "query-thing", "arguments": {"count": 2}}),
            r#"{"return":[2]}"#,
        ),
        (json!({"execute": "quiet", "id": 1}), "none"),
        (
            json!({"execute": "nope", "id": [1]}),
            r#"{"id":[1],"error":{"class":"CommandNotFound","desc":"The command nope has not been found"}}"#,
        ),
        (
            json!({"exec-oob": "fast"}),
            r#"{"error":{"class":"GenericError","desc":"QMP input member 'exec-oob' is unexpected"}}"#,
        ),
        (
            json!(["execute"]),
            r#"{"error":{"class":"GenericError","desc":"QMP input must be a JSON object"}}"#,
        ),
    ];
    for (input, want) in table {
        assert_eq!(reply(input.clone(), false, &p), want, "{input}");
    }
}

#[test]
fn oob_needs_a_command_that_allows_it() {
    let p = CompatPolicy::default();
    assert_eq!(
        reply(json!({"exec-oob": "fast"}), true, &p),
        r#"{"return":{}}"#
    );
    assert_eq!(
        reply(json!({"exec-oob": "old"}), true, &p),
        r#"{"error":{"class":"GenericError","desc":"The command old does not support OOB"}}"#
    );
}

#[test]
fn policy_rejects_deprecated_commands_and_arguments() {
    let mut p = CompatPolicy::default();
    p.set("deprecated-input=reject").unwrap();
    assert_eq!(
        reply(json!({"execute": "old"}), false, &p),
        r#"{"error":{"class":"CommandNotFound","desc":"Deprecated command old disabled by policy"}}"#
    );
    assert_eq!(
        reply(
            json!({"execute": "query-thing", "arguments": {"count": 1}}),
            false,
            &p
        ),
        r#"{"error":{"class":"GenericError","desc":"Deprecated parameter count disabled by policy"}}"#
    );
}

#[test]
fn sessions_negotiate_first() {
    let mut s = Session::new(CompatPolicy::default(), true);
    let mut send = |v: Value| s.handle(&Server, &v).map(|r| r.to_string());
    assert_eq!(
        send(json!({"execute": "query-thing"})).as_deref(),
        Some(
            r#"{"error":{"class":"CommandNotFound","desc":"Expecting capabilities negotiation with 'qmp_capabilities'"}}"#
        )
    );
    assert_eq!(
        send(json!({"execute": "qmp_capabilities", "arguments": {"enable": ["x"]}})).as_deref(),
        Some(
            r#"{"error":{"class":"GenericError","desc":"Parameter 'null' does not accept value 'x'"}}"#
        )
    );
    assert_eq!(
        send(json!({"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}, "id": 1}))
            .as_deref(),
        Some(r#"{"return":{},"id":1}"#)
    );
    assert_eq!(
        send(json!({"execute": "qmp_capabilities"})).as_deref(),
        Some(
            r#"{"error":{"class":"CommandNotFound","desc":"Capabilities negotiation is already complete, command ignored"}}"#
        )
    );
    assert_eq!(
        send(json!({"exec-oob": "fast"})).as_deref(),
        Some(r#"{"return":{}}"#)
    );
}

#[test]
fn oob_cannot_be_enabled_unless_offered() {
    let mut s = Session::new(CompatPolicy::default(), false);
    let r = s.handle(
        &Server,
        &json!({"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}),
    );
    assert_eq!(
        r.map(|r| r.to_string()).as_deref(),
        Some(r#"{"error":{"class":"GenericError","desc":"Capability oob not available"}}"#)
    );
    assert!(!s.negotiated());
}

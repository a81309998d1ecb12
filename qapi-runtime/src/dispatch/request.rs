//! The shape checks QEMU makes on a request before it looks at the
//! command, with its texts.

use serde_json::{Map, Value};

use crate::qdict;
use crate::Error;

/// A request that passed the shape checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    /// The command's name.
    pub command: &'a str,
    /// Sent as `exec-oob` rather than `execute`.
    pub oob: bool,
    /// The `arguments` member, if present.
    pub arguments: Option<&'a Map<String, Value>>,
}

/// The request's `id` member, which QEMU echoes in the reply whatever its
/// value; none for a request that is not an object.
pub fn id(request: &Value) -> Option<&Value> {
    request.as_object()?.get("id")
}

/// Checks the request's members as QEMU does, in its walk order (so that
/// of several faults the one QEMU reports is reported). `allow_oob`: the
/// client enabled out-of-band execution, so `exec-oob` is a member.
pub fn check(request: &Value, allow_oob: bool) -> Result<Request<'_>, Error> {
    let Value::Object(map) = request else {
        return Err(Error::generic("QMP input must be a JSON object"));
    };
    let mut exec: Option<(&str, &str)> = None;
    let mut arguments = None;
    for key in qdict::walk_order(map) {
        let Some(value) = map.get(key) else {
            continue;
        };
        match key {
            "execute" | "exec-oob" if key == "execute" || allow_oob => {
                let Value::String(name) = value else {
                    return Err(Error::generic(format!(
                        "QMP input member '{key}' must be a string"
                    )));
                };
                if let Some((first, _)) = exec {
                    return Err(Error::generic(format!(
                        "QMP input member '{key}' clashes with '{first}'"
                    )));
                }
                exec = Some((key, name));
            }
            "arguments" => match value {
                Value::Object(args) => arguments = Some(args),
                _ => {
                    return Err(Error::generic(
                        "QMP input member 'arguments' must be an object",
                    ))
                }
            },
            "id" => {}
            _ => {
                return Err(Error::generic(format!(
                    "QMP input member '{key}' is unexpected"
                )))
            }
        }
    }
    match exec {
        Some((key, command)) => Ok(Request {
            command,
            oob: key == "exec-oob",
            arguments,
        }),
        None => Err(Error::generic("QMP input lacks member 'execute'")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn err(v: Value, oob: bool) -> String {
        match check(&v, oob) {
            Ok(r) => format!("ok {r:?}"),
            Err(e) => e.desc().to_owned(),
        }
    }

    #[test]
    fn shape_errors_are_qemus() {
        let table = [
            (json!([]), false, "QMP input must be a JSON object"),
            (json!({}), false, "QMP input lacks member 'execute'"),
            (json!({"id": 1}), false, "QMP input lacks member 'execute'"),
            (
                json!({"execute": 1}),
                false,
                "QMP input member 'execute' must be a string",
            ),
            (
                json!({"execute": "x", "arguments": []}),
                false,
                "QMP input member 'arguments' must be an object",
            ),
            (
                json!({"execute": "x", "foo": 1}),
                false,
                "QMP input member 'foo' is unexpected",
            ),
            (
                json!({"exec-oob": "x"}),
                false,
                "QMP input member 'exec-oob' is unexpected",
            ),
            (
                json!({"exec-oob": 1}),
                true,
                "QMP input member 'exec-oob' must be a string",
            ),
        ];
        for (input, oob, want) in table {
            assert_eq!(err(input.clone(), oob), want, "{input}");
        }
    }

    #[test]
    fn execute_and_exec_oob_clash() {
        // QEMU meets `exec-oob` first, whatever the order in the text.
        for v in [
            json!({"execute": "a", "exec-oob": "b"}),
            json!({"exec-oob": "b", "execute": "a"}),
        ] {
            assert_eq!(
                err(v, true),
                "QMP input member 'execute' clashes with 'exec-oob'"
            );
        }
    }

    #[test]
    fn faults_are_met_in_qemus_order() {
        // As qemu-storage-daemon 10.0 answered.
        assert_eq!(
            err(
                json!({"foo": 1, "bar": 2, "execute": 3, "arguments": 4}),
                false
            ),
            "QMP input member 'bar' is unexpected"
        );
        assert_eq!(
            err(json!({"arguments": 4, "execute": 3}), false),
            "QMP input member 'execute' must be a string"
        );
    }

    #[test]
    fn requests_that_pass() {
        let v = json!({"exec-oob": "x", "id": {"a": [1]}, "arguments": {"k": 1}});
        let r = check(&v, true).unwrap();
        assert_eq!(r.command, "x");
        assert!(r.oob);
        assert_eq!(r.arguments.map(|a| a.len()), Some(1));
        assert_eq!(id(&v), Some(&json!({"a": [1]})));
        assert_eq!(id(&json!([1])), None);
    }
}

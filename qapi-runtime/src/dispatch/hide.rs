//! Where deprecated or unstable members are in a value: output leaves
//! them out as QEMU's output visitor does under `deprecated-output=hide`
//! (or `unstable-output`), and input that has them is refused under
//! `deprecated-input=reject` as QEMU's input visitor refuses it.
//!
//! Generated code describes, for each type whose values can hold such a
//! member, where the members are ([`Shape`]); a reply is trimmed after it
//! is encoded, arguments are checked before they are decoded.

use serde_json::{Map, Value};

use crate::compat::{CompatPolicy, SpecialFeatures};
use crate::{Error, ErrorClass};

/// Where the members output may hide are in a value of some type.
#[derive(Debug)]
pub enum Shape {
    /// Nothing inside can be hidden.
    Opaque,
    /// An object: its members, and for a union the members each branch
    /// adds.
    Object {
        members: &'static [MemberShape],
        branches: Option<&'static Branches>,
    },
    /// An array of values of one shape.
    List(&'static Shape),
    /// An alternate: the shapes of its branches, one per JSON kind.
    Alternate(&'static [&'static Shape]),
    /// An enum: its values that have special features (input only: QEMU
    /// refuses them, but does not hide them in output).
    Enum(&'static [(&'static str, SpecialFeatures)]),
}

impl Shape {
    /// Does a value of this shape have `value`'s JSON type?
    fn fits(&self, value: &Value) -> bool {
        matches!(
            (self, value),
            (Shape::Object { .. }, Value::Object(_))
                | (Shape::List(_), Value::Array(_))
                | (Shape::Enum(_), Value::String(_))
        )
    }
}

/// A member that is hidden or holds hidden members.
#[derive(Debug)]
pub struct MemberShape {
    pub name: &'static str,
    pub features: SpecialFeatures,
    pub shape: &'static Shape,
}

/// A union's branches, chosen by the discriminator's value.
#[derive(Debug)]
pub struct Branches {
    pub tag: &'static str,
    pub cases: &'static [(&'static str, &'static Shape)],
}

/// Removes from `value` the members `policy` hides.
pub fn hide_output(value: &mut Value, shape: &Shape, policy: &CompatPolicy) {
    match (shape, value) {
        (Shape::Opaque, _) => {}
        (Shape::List(elem), Value::Array(items)) => {
            for item in items {
                hide_output(item, elem, policy);
            }
        }
        (Shape::Alternate(branches), value) => {
            if let Some(b) = branches.iter().find(|b| b.fits(value)) {
                hide_output(value, b, policy);
            }
        }
        (Shape::Object { members, branches }, Value::Object(map)) => {
            let case = branches.and_then(|b| {
                let tag = map.get(b.tag)?.as_str()?;
                b.cases.iter().find(|(c, _)| *c == tag).map(|(_, s)| *s)
            });
            for m in *members {
                if policy.hides(m.features) {
                    map.shift_remove(m.name);
                } else if let Some(v) = map.get_mut(m.name) {
                    hide_output(v, m.shape, policy);
                }
            }
            if let Some(case) = case {
                let mut rest = Value::Object(std::mem::take(map));
                hide_output(&mut rest, case, policy);
                if let Value::Object(rest) = rest {
                    *map = rest;
                }
            }
        }
        // A value that does not have the type's shape is left as it is.
        _ => {}
    }
}

/// Checks the arguments of a command against the policy, apart from
/// decoding them (generated dispatchers leave this to the decoder, which
/// applies the policy where QEMU's visitor does, in order with other
/// errors): QEMU's
/// `Deprecated parameter NAME disabled by policy` (NAME being the
/// member's own name) for the first member present that it rejects, or
/// `Deprecated value VALUE disabled by policy` for an enum value, looking
/// depth-first in the schema's order.
pub fn check_input(
    arguments: &Map<String, Value>,
    shape: &Shape,
    policy: &CompatPolicy,
) -> Result<(), Error> {
    check_object(arguments, shape, policy)
}

fn check_value(value: &Value, shape: &Shape, policy: &CompatPolicy) -> Result<(), Error> {
    match (shape, value) {
        (Shape::List(elem), Value::Array(items)) => items
            .iter()
            .try_for_each(|item| check_value(item, elem, policy)),
        (Shape::Alternate(branches), value) => match branches.iter().find(|b| b.fits(value)) {
            Some(b) => check_value(value, b, policy),
            None => Ok(()),
        },
        (Shape::Enum(values), Value::String(s)) => match values.iter().find(|(v, _)| v == s) {
            Some(&(_, features)) => {
                policy.check_input(features, ErrorClass::GenericError, "value", s)
            }
            None => Ok(()),
        },
        (Shape::Object { .. }, Value::Object(map)) => check_object(map, shape, policy),
        // What does not fit the shape is the decoder's to refuse.
        _ => Ok(()),
    }
}

fn check_object(
    map: &Map<String, Value>,
    shape: &Shape,
    policy: &CompatPolicy,
) -> Result<(), Error> {
    let Shape::Object { members, branches } = shape else {
        return Ok(());
    };
    for m in *members {
        let Some(v) = map.get(m.name) else {
            continue;
        };
        policy.check_input(m.features, ErrorClass::GenericError, "parameter", m.name)?;
        check_value(v, m.shape, policy)?;
    }
    let case = branches.and_then(|b| {
        let tag = map.get(b.tag)?.as_str()?;
        b.cases.iter().find(|(c, _)| *c == tag).map(|(_, s)| *s)
    });
    match case {
        Some(case) => check_object(map, case, policy),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const DEPRECATED: SpecialFeatures = SpecialFeatures {
        deprecated: true,
        unstable: false,
    };

    static INNER: Shape = Shape::Object {
        members: &[MemberShape {
            name: "old",
            features: DEPRECATED,
            shape: &Shape::Opaque,
        }],
        branches: None,
    };
    static FILE: Shape = Shape::Object {
        members: &[MemberShape {
            name: "legacy",
            features: DEPRECATED,
            shape: &Shape::Opaque,
        }],
        branches: None,
    };
    static OUTER: Shape = Shape::Object {
        members: &[MemberShape {
            name: "inner",
            features: SpecialFeatures::NONE,
            shape: &Shape::List(&INNER),
        }],
        branches: Some(&Branches {
            tag: "driver",
            cases: &[("file", &FILE)],
        }),
    };

    #[test]
    fn rejects_nested_members_and_branch_members() {
        let mut reject = CompatPolicy::default();
        reject.set("deprecated-input=reject").unwrap();
        let check = |v: Value, p: &CompatPolicy| match v {
            Value::Object(m) => check_input(&m, &OUTER, p).map_err(|e| e.desc().to_owned()),
            _ => unreachable!(),
        };
        let nested = json!({"driver": "x", "inner": [{"new": 1}, {"old": 1}]});
        assert_eq!(check(nested.clone(), &CompatPolicy::default()), Ok(()));
        assert_eq!(
            check(nested, &reject),
            Err("Deprecated parameter old disabled by policy".into())
        );
        assert_eq!(
            check(json!({"driver": "file", "legacy": 1}), &reject),
            Err("Deprecated parameter legacy disabled by policy".into())
        );
        assert_eq!(
            check(json!({"driver": "null", "legacy": 1}), &reject),
            Ok(())
        );
        static MODES: Shape = Shape::Enum(&[("old-mode", DEPRECATED)]);
        static WITH_ENUM: Shape = Shape::Object {
            members: &[MemberShape {
                name: "modes",
                features: SpecialFeatures::NONE,
                shape: &Shape::List(&MODES),
            }],
            branches: None,
        };
        let Value::Object(modes) = json!({"modes": ["new-mode", "old-mode"]}) else {
            unreachable!()
        };
        assert_eq!(
            check_input(&modes, &WITH_ENUM, &reject).map_err(|e| e.desc().to_owned()),
            Err("Deprecated value old-mode disabled by policy".into())
        );
        assert!(check_input(&modes, &WITH_ENUM, &CompatPolicy::default()).is_ok());
    }

    #[test]
    fn hides_nested_members_and_branch_members() {
        let mut hide = CompatPolicy::default();
        hide.set("deprecated-output=hide").unwrap();
        let input = json!({"driver": "file", "legacy": 1, "keep": 2,
                           "inner": [{"old": 1, "new": 2}, 3]});
        let mut v = input.clone();
        hide_output(&mut v, &OUTER, &CompatPolicy::default());
        assert_eq!(v, input);
        hide_output(&mut v, &OUTER, &hide);
        assert_eq!(
            v.to_string(),
            r#"{"driver":"file","keep":2,"inner":[{"new":2},3]}"#
        );
        let mut other = json!({"driver": "null", "legacy": 1});
        hide_output(&mut other, &OUTER, &hide);
        assert_eq!(other, json!({"driver": "null", "legacy": 1}));
        let mut alt = json!({"old": 1});
        static ALT: Shape = Shape::Alternate(&[&Shape::Opaque, &INNER]);
        hide_output(&mut alt, &ALT, &hide);
        assert_eq!(alt, json!({}));
    }
}

//! Leaving deprecated or unstable members out of output, as QEMU's output
//! visitor does under `deprecated-output=hide` (or `unstable-output`).
//!
//! Generated code describes, for each type whose values can hold such a
//! member, where the members are ([`Shape`]); the reply is trimmed after
//! it is encoded.

use serde_json::Value;

use crate::compat::{CompatPolicy, SpecialFeatures};

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
            for b in *branches {
                let fits = matches!(
                    (b, &*value),
                    (Shape::Object { .. }, Value::Object(_)) | (Shape::List(_), Value::Array(_))
                );
                if fits {
                    hide_output(value, b, policy);
                    return;
                }
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

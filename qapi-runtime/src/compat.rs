//! QEMU's compatibility policy (`-compat`): what a server does with the
//! parts of its interface marked `deprecated` or `unstable`.

use crate::{Error, ErrorClass, Result};

/// What to do with deprecated or unstable input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputPolicy {
    /// Take it like any other input.
    #[default]
    Accept,
    /// Fail the command with `... disabled by policy`.
    Reject,
    /// Abort the process, as QEMU does, so a test suite cannot miss it.
    Crash,
}

/// What to do with deprecated or unstable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputPolicy {
    /// Send it like any other output.
    #[default]
    Accept,
    /// Leave it out.
    Hide,
}

/// The special features of a command, member, enum value or event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SpecialFeatures {
    pub deprecated: bool,
    pub unstable: bool,
}

impl SpecialFeatures {
    pub const NONE: SpecialFeatures = SpecialFeatures {
        deprecated: false,
        unstable: false,
    };
    pub const DEPRECATED: SpecialFeatures = SpecialFeatures {
        deprecated: true,
        unstable: false,
    };
    pub const UNSTABLE: SpecialFeatures = SpecialFeatures {
        deprecated: false,
        unstable: true,
    };
    pub const DEPRECATED_UNSTABLE: SpecialFeatures = SpecialFeatures {
        deprecated: true,
        unstable: true,
    };

    pub fn is_none(self) -> bool {
        self == SpecialFeatures::NONE
    }
}

/// The policy settings, one pair per special feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompatPolicy {
    pub deprecated_input: InputPolicy,
    pub deprecated_output: OutputPolicy,
    pub unstable_input: InputPolicy,
    pub unstable_output: OutputPolicy,
}

impl CompatPolicy {
    /// Checks input with `features` against the policy: QEMU's `Deprecated
    /// KIND NAME disabled by policy` (then the same for `Unstable`), of
    /// class `class`, when it rejects it. `kind` is `command`,
    /// `parameter` or `value`.
    pub fn check_input(
        &self,
        features: SpecialFeatures,
        class: ErrorClass,
        kind: &str,
        name: &str,
    ) -> Result<()> {
        let checks = [
            (features.deprecated, self.deprecated_input, "Deprecated"),
            (features.unstable, self.unstable_input, "Unstable"),
        ];
        for (has, policy, adjective) in checks {
            if !has {
                continue;
            }
            match policy {
                InputPolicy::Accept => {}
                InputPolicy::Reject => {
                    return Err(Error::new(
                        class,
                        format!("{adjective} {kind} {name} disabled by policy"),
                    ))
                }
                InputPolicy::Crash => std::process::abort(),
            }
        }
        Ok(())
    }

    /// Is output with `features` left out?
    pub fn hides(&self, features: SpecialFeatures) -> bool {
        (features.deprecated && self.deprecated_output == OutputPolicy::Hide)
            || (features.unstable && self.unstable_output == OutputPolicy::Hide)
    }

    /// Parses one `-compat` setting (`deprecated-input=reject`); QEMU's
    /// option names and values.
    pub fn set(&mut self, setting: &str) -> std::result::Result<(), String> {
        let (key, value) = setting
            .split_once('=')
            .ok_or_else(|| format!("Invalid parameter '{setting}'"))?;
        let input = |v: &str| match v {
            "accept" => Ok(InputPolicy::Accept),
            "reject" => Ok(InputPolicy::Reject),
            "crash" => Ok(InputPolicy::Crash),
            _ => Err(format!("Parameter '{key}' does not accept value '{v}'")),
        };
        let output = |v: &str| match v {
            "accept" => Ok(OutputPolicy::Accept),
            "hide" => Ok(OutputPolicy::Hide),
            _ => Err(format!("Parameter '{key}' does not accept value '{v}'")),
        };
        match key {
            "deprecated-input" => self.deprecated_input = input(value)?,
            "deprecated-output" => self.deprecated_output = output(value)?,
            "unstable-input" => self.unstable_input = input(value)?,
            "unstable-output" => self.unstable_output = output(value)?,
            _ => return Err(format!("Invalid parameter '{key}'")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPRECATED: SpecialFeatures = SpecialFeatures {
        deprecated: true,
        unstable: false,
    };
    const BOTH: SpecialFeatures = SpecialFeatures {
        deprecated: true,
        unstable: true,
    };

    #[test]
    fn rejection_texts_are_qemus() {
        let mut policy = CompatPolicy::default();
        let class = ErrorClass::CommandNotFound;
        assert!(policy.check_input(BOTH, class, "command", "x").is_ok());
        policy.set("unstable-input=reject").unwrap();
        let err = policy
            .check_input(BOTH, class, "command", "x-foo")
            .unwrap_err();
        assert_eq!(err.desc(), "Unstable command x-foo disabled by policy");
        assert_eq!(err.class(), class);
        policy.set("deprecated-input=reject").unwrap();
        let err = policy
            .check_input(DEPRECATED, ErrorClass::GenericError, "parameter", "count")
            .unwrap_err();
        assert_eq!(err.desc(), "Deprecated parameter count disabled by policy");
        assert!(policy
            .check_input(SpecialFeatures::NONE, class, "command", "x")
            .is_ok());
    }

    #[test]
    fn output_policy_hides() {
        let mut policy = CompatPolicy::default();
        assert!(!policy.hides(DEPRECATED));
        policy.set("deprecated-output=hide").unwrap();
        assert!(policy.hides(DEPRECATED));
        assert!(!policy.hides(SpecialFeatures::NONE));
        assert_eq!(
            policy.set("deprecated-output=crash"),
            Err("Parameter 'deprecated-output' does not accept value 'crash'".into())
        );
        assert!(policy.set("bogus").is_err());
    }
}

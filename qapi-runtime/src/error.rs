//! QMP errors: a class that clients can match on, and a description for
//! people.

use std::fmt;

/// The error classes QMP puts in the `class` member of an error reply.
///
/// QEMU keeps these few for compatibility and uses
/// [`ErrorClass::GenericError`] for everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Any error without a class of its own.
    GenericError,
    /// The command does not exist.
    CommandNotFound,
    /// The device exists but is not active.
    DeviceNotActive,
    /// The named device or node does not exist.
    DeviceNotFound,
    /// KVM lacks a capability the request needs.
    KvmMissingCap,
}

impl ErrorClass {
    /// The class as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KvmMissingCap => "KVMMissingCap",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error a command handler reports to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    class: ErrorClass,
    desc: String,
}

/// The result of a command handler.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(class: ErrorClass, desc: impl Into<String>) -> Self {
        Error {
            class,
            desc: desc.into(),
        }
    }

    /// An error of class `GenericError`, the class of nearly every error.
    pub fn generic(desc: impl Into<String>) -> Self {
        Error::new(ErrorClass::GenericError, desc)
    }

    pub fn class(&self) -> ErrorClass {
        self.class
    }

    /// The human-readable text of the `desc` member.
    pub fn desc(&self) -> &str {
        &self.desc
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.desc)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_use_qemu_wire_names() {
        let cases = [
            (ErrorClass::GenericError, "GenericError"),
            (ErrorClass::CommandNotFound, "CommandNotFound"),
            (ErrorClass::DeviceNotActive, "DeviceNotActive"),
            (ErrorClass::DeviceNotFound, "DeviceNotFound"),
            (ErrorClass::KvmMissingCap, "KVMMissingCap"),
        ];
        for (class, wire) in cases {
            assert_eq!(class.as_str(), wire);
            assert_eq!(class.to_string(), wire);
        }
    }

    #[test]
    fn errors_keep_class_and_description() {
        let err = Error::generic("Cannot find device='x' nor node-name='x'");
        assert_eq!(err.class(), ErrorClass::GenericError);
        assert_eq!(err.desc(), "Cannot find device='x' nor node-name='x'");
        assert_eq!(err.to_string(), err.desc());
        let err = Error::new(
            ErrorClass::CommandNotFound,
            "The command foo has not been found",
        );
        assert_eq!(err.class(), ErrorClass::CommandNotFound);
    }
}

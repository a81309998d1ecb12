//! What every check needs besides the value it checks.

use std::fmt;

use crate::source::{Info, Pragma};
use crate::{Dialect, QapiError};

/// What a check's messages say they are about (`'data'`, `'data' member
/// 'foo'`, ...). Most checks pass, so it is written out only when a
/// message is.
pub(super) type Source<'a> = &'a dyn fmt::Display;

/// `SOURCE member 'NAME'`
pub(super) struct MemberOf<'a>(pub Source<'a>, pub &'a str);

impl fmt::Display for MemberOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} member '{}'", self.0, self.1)
    }
}

/// `'NAME'`
pub(super) struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.0)
    }
}

/// The expression being checked: its location (errors are reported there,
/// not at the offending value, as QEMU does) and the schema-wide settings.
pub(super) struct Ctx<'a> {
    pub info: &'a Info,
    pub pragma: &'a Pragma,
    /// The release whose rules apply.
    pub dialect: &'a Dialect,
}

impl Ctx<'_> {
    /// An error at the expression.
    pub fn err(&self, msg: impl Into<String>) -> QapiError {
        QapiError::sem(self.info, msg)
    }
}

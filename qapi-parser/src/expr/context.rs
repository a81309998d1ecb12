//! What every check needs besides the value it checks.

use crate::source::{Info, Pragma};
use crate::{Dialect, QapiError};

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

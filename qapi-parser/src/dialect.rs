//! The language rules of one QEMU release.
//!
//! The schema language changed between QEMU releases. Every rule that
//! differs is a field here, so the checks ask the dialect instead of
//! comparing release numbers.

/// A QEMU release's QAPI language rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// The release, as (major, minor).
    pub release: (u32, u32),
}

impl Dialect {
    /// The newest release this crate knows; its rules are the strictest.
    pub fn newest() -> Self {
        Dialect { release: (10, 2) }
    }
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::newest()
    }
}

//! The checked, resolved schema model (being written).

use crate::{Dialect, Result};

/// A checked schema.
#[derive(Debug)]
pub struct Schema {}

impl Schema {
    /// Parses, checks and resolves the schema at `path` under `dialect`'s rules.
    pub fn from_file(path: &str, dialect: &Dialect) -> Result<Schema> {
        let _ = (path, dialect);
        Err(crate::QapiError::bare("schema model not written yet"))
    }
}

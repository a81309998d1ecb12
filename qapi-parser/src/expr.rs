//! Context-free checks of each top-level expression (being written).

use crate::ast::ParsedSchema;
use crate::{Dialect, Result};

/// Checks every expression's shape and normalizes member shorthand in place.
pub fn check_exprs(parsed: &mut ParsedSchema, dialect: &Dialect) -> Result<()> {
    let _ = (parsed, dialect);
    Ok(())
}

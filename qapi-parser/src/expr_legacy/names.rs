//! Legacy name rules: the valid-name pattern and the global table of
//! defined names that type references are resolved against.

use crate::error::{QapiError, Result};
use crate::source::Info;

use super::Value;

/// Python's `str.translate` that QEMU's legacy `c_name` does, without
/// keyword protection: `.` and `-` become `_`.
pub(super) fn c_name(name: &str) -> String {
    name.replace(['.', '-'], "_")
}

/// `^(__[a-zA-Z0-9.-]+_)?[a-zA-Z][a-zA-Z0-9_-]*$` as Python's `re.match`
/// applies it: `$` also matches before a final newline.
pub(super) fn is_valid_name(name: &str) -> bool {
    let name = name.strip_suffix('\n').unwrap_or(name);
    let rest = match name.strip_prefix("__") {
        Some(after) => {
            let run = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(after.len());
            match after[run..].strip_prefix('_') {
                Some(rest) if run > 0 => rest,
                _ => return false,
            }
        }
        None => name,
    };
    let mut chars = rest.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// QEMU's legacy `check_name`. Returns the name.
pub(super) fn check_name<'v>(
    info: &Info,
    source: &str,
    name: Option<&'v Value>,
    allow_optional: bool,
    enum_member: bool,
) -> Result<&'v str> {
    let Some(name) = name.and_then(Value::as_str) else {
        return Err(QapiError::sem(
            info,
            format!("{source} requires a string name"),
        ));
    };
    check_name_str(info, source, name, allow_optional, enum_member)?;
    Ok(name)
}

pub(super) fn check_name_str(
    info: &Info,
    source: &str,
    name: &str,
    allow_optional: bool,
    enum_member: bool,
) -> Result<()> {
    let mut member = name;
    if let Some(stripped) = name.strip_prefix('*') {
        member = stripped;
        if !allow_optional {
            return Err(QapiError::sem(
                info,
                format!("{source} does not allow optional name '{name}'"),
            ));
        }
    }
    // QEMU lets enum values start with a digit by checking them with a
    // letter in front. (It crashes on an empty value; refusing it as an
    // invalid name is the newer releases' answer.)
    let prefixed;
    if enum_member && member.starts_with(|c: char| c.is_ascii_digit()) {
        prefixed = format!("D{member}");
        member = &prefixed;
    }
    if !is_valid_name(member) || c_name(member).starts_with("q_") {
        return Err(QapiError::sem(
            info,
            format!("{source} uses invalid name '{name}'"),
        ));
    }
    Ok(())
}

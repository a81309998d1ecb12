//! The `raw` format driver: its child's data, or a slice of it.

use qapi_runtime::Error;

#[derive(Debug, Clone)]
pub struct RawState {
    pub offset: u64,
    /// The size given by the user; without one the node runs to the end
    /// of its child.
    pub size: Option<u64>,
    /// Opened with an offset or a size, the node is a format of its own
    /// rather than a filter; the role of its child stays as it was opened.
    pub slices: bool,
}

/// A size option as QEMU's option parser takes it: no negative values.
pub fn size_option(name: &str, value: Option<i64>) -> Result<Option<u64>, Error> {
    match value {
        None => Ok(None),
        Some(v) => u64::try_from(v).map(Some).map_err(|_| {
            Error::generic(format!(
                "Value '{v}' is out of range for parameter '{name}'"
            ))
        }),
    }
}

/// Checks offset and size against the child's length, with QEMU's texts.
pub fn check(offset: u64, size: Option<u64>, child_len: u64) -> Result<(), Error> {
    let real = child_len;
    if offset > real {
        return Err(Error::generic(format!(
            "Offset ({offset}) cannot be greater than size of the containing file ({real})"
        )));
    }
    if let Some(size) = size {
        if real - offset < size {
            return Err(Error::generic(format!(
                "The sum of offset ({offset}) and size ({size}) has to be smaller or equal to the  actual size of the containing file ({real})"
            )));
        }
        if size % 512 != 0 {
            return Err(Error::generic("Specified size is not multiple of 512"));
        }
    }
    Ok(())
}

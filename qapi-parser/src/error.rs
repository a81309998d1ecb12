//! Schema errors in QEMU's form: `[include chain][FILE: In META 'NAME':\n]FILE:LINE[:COL]: MESSAGE`.

use std::fmt;

use crate::source::Info;

/// A schema error. Rendering reads the location's definition context at
/// display time, as QEMU does.
#[derive(Debug, Clone)]
pub struct QapiError {
    /// Where; `None` for errors that have no location (the root schema file
    /// cannot be read).
    pub info: Option<Info>,
    /// QEMU's message text.
    pub msg: String,
    /// 1-based column, for syntax errors.
    pub col: Option<u32>,
}

pub type Result<T, E = QapiError> = std::result::Result<T, E>;

impl QapiError {
    /// A semantic error at a location (`FILE:LINE: MSG`).
    pub fn sem(info: &Info, msg: impl Into<String>) -> Self {
        QapiError {
            info: Some(info.clone()),
            msg: msg.into(),
            col: None,
        }
    }

    /// A syntax error at a location and column (`FILE:LINE:COL: MSG`).
    pub fn parse(info: &Info, col: u32, msg: impl Into<String>) -> Self {
        QapiError {
            info: Some(info.clone()),
            msg: msg.into(),
            col: Some(col),
        }
    }

    /// An error without a location.
    pub fn bare(msg: impl Into<String>) -> Self {
        QapiError {
            info: None,
            msg: msg.into(),
            col: None,
        }
    }

    /// The location line as QEMU prints it, without the message (used for
    /// "previous definition" continuation lines).
    pub fn location(&self) -> String {
        match &self.info {
            Some(info) => match self.col {
                Some(col) => format!("{info}:{col}"),
                None => info.to_string(),
            },
            None => String::new(),
        }
    }
}

impl fmt::Display for QapiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.info.is_none() {
            return f.write_str(&self.msg);
        }
        write!(f, "{}: {}", self.location(), self.msg)
    }
}

impl std::error::Error for QapiError {}

//! File names and file reading as QEMU's Python front end does them: paths
//! are joined and normalized lexically, text is decoded as UTF-8 with
//! universal newlines.

use std::io;

use crate::error::{QapiError, Result};
use crate::source::{Info, SourceInfo};

/// `os.path.dirname`: everything before the last `/`, with trailing slashes
/// removed unless that leaves nothing.
pub fn dirname(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => {
            let head = &path[..=i];
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() {
                head
            } else {
                trimmed
            }
        }
        None => "",
    }
}

/// `os.path.join(dir, name)` for two components.
pub fn join(dir: &str, name: &str) -> String {
    if name.starts_with('/') || dir.is_empty() {
        name.to_owned()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `os.path.abspath`: joined onto the working directory and normalized
/// lexically (`.` and `..` resolved without following symbolic links).
pub fn abspath(path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        let cwd = std::env::current_dir()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".to_owned());
        join(&cwd, path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A file's raw contents.
pub struct Source(Vec<u8>);

/// Why a file could not be read, as the C library words it.
pub struct ReadError(io::Error);

impl ReadError {
    /// The `strerror` text (no "(os error N)" suffix).
    pub fn text(&self) -> String {
        let s = self.0.to_string();
        match s.rfind(" (os error ") {
            Some(i) => s[..i].to_owned(),
            None => s,
        }
    }
}

pub fn read_source(path: &str) -> std::result::Result<Source, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError)?;
    if meta.is_dir() {
        // Reading a directory fails in Python's open() with EISDIR.
        return Err(ReadError(io::Error::from_raw_os_error(21)));
    }
    std::fs::read(path).map(Source).map_err(ReadError)
}

impl Source {
    /// Decodes the contents: UTF-8, `\r\n` and `\r` read as `\n`, and a
    /// final newline added when missing. Gives the bytes back when they
    /// are not UTF-8.
    pub fn decode(self) -> std::result::Result<String, Vec<u8>> {
        let mut text = String::from_utf8(self.0).map_err(|e| e.into_bytes())?;
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }

    /// [`Source::decode`], with invalid UTF-8 reported where it starts.
    pub fn into_text(self, file: &std::sync::Arc<str>, parent: Option<Info>) -> Result<String> {
        self.decode().map_err(|bytes| {
            let good = std::str::from_utf8(&bytes)
                .err()
                .map_or(bytes.len(), |e| e.valid_up_to());
            let before = String::from_utf8_lossy(&bytes[..good]);
            let line = 1 + before.matches('\n').count() as u32;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = crate::parser::column(&before[line_start..]);
            let info = SourceInfo::new(file.clone(), line, parent);
            QapiError::parse(&info, col, "invalid UTF-8 in schema file")
        })
    }
}

//! Where the decoder is in the input, named as QEMU's input visitor names
//! it in error messages.

use std::borrow::Cow;
use std::fmt::Write as _;

#[derive(Debug, Clone)]
enum Segment {
    Key(Cow<'static, str>),
    Index(usize),
}

/// The members and list elements leading to the value being decoded:
/// QEMU names a nested member by its full path (`file.filename`,
/// `options[0].driver`, or `options.0.driver` for keyval input).
#[derive(Debug, Clone, Default)]
pub struct Path {
    segments: Vec<Segment>,
}

impl Path {
    pub fn new() -> Self {
        Path::default()
    }

    /// A path with room for `depth` levels before it allocates again.
    pub fn with_capacity(depth: usize) -> Self {
        Path {
            segments: Vec::with_capacity(depth),
        }
    }

    /// Enters a member; generated code passes its wire names, which are
    /// static, so that entering one does not allocate.
    pub fn push_key(&mut self, key: impl Into<Cow<'static, str>>) {
        self.segments.push(Segment::Key(key.into()));
    }

    pub fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    pub fn pop(&mut self) {
        self.segments.pop();
    }

    /// The path as QEMU prints it, list indexes in brackets; the top-level
    /// value is `null`, as QEMU names a value without a name.
    pub fn name(&self) -> String {
        self.render(false)
    }

    /// The path with list indexes as keyval's dotted numeric keys
    /// (`a.0.b`), as QEMU's keyval input visitor prints it.
    pub fn keyval_name(&self) -> String {
        self.render(true)
    }

    fn render(&self, keyval: bool) -> String {
        if self.segments.is_empty() {
            return "null".to_owned();
        }
        let mut out = String::new();
        for seg in &self.segments {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                // Writing into a String cannot fail.
                Segment::Index(i) if keyval => {
                    let _ = write!(out, ".{i}");
                }
                Segment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }

    /// The member's own name, which QEMU's checks after the input visitor
    /// (integer ranges, enum values, alternates) print instead of the
    /// path; `null` for a list element or the top level.
    pub fn local_name(&self) -> &str {
        match self.segments.last() {
            Some(Segment::Key(k)) => k,
            Some(Segment::Index(_)) | None => "null",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_qemus_full_name() {
        let mut p = Path::new();
        assert_eq!(p.name(), "null");
        assert_eq!(p.local_name(), "null");
        p.push_key("options");
        p.push_index(2);
        assert_eq!(p.name(), "options[2]");
        assert_eq!(p.keyval_name(), "options.2");
        assert_eq!(p.local_name(), "null");
        p.push_key(String::from("driver"));
        assert_eq!(p.name(), "options[2].driver");
        assert_eq!(p.keyval_name(), "options.2.driver");
        assert_eq!(p.local_name(), "driver");
        p.pop();
        p.pop();
        assert_eq!(p.name(), "options");
    }
}

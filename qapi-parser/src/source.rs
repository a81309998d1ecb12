//! Source locations: which file, which line, which include chain, and which
//! definition a location belongs to.
//!
//! Locations are shared: every expression that starts on the same line of the
//! same file holds the same [`SourceInfo`], and the definition it belongs to is
//! recorded on it once the expression checker knows it. Error messages render
//! that state when they are printed, which is what gives QEMU's
//! `FILE: In struct 'Foo':` context lines.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// Where something was written.
#[derive(Debug)]
pub struct SourceInfo {
    /// The file name as it was reached: the root schema's path as given,
    /// included files joined onto the including file's folder.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u32,
    /// Where the file was included from.
    origin: Arc<Origin>,
    defn: Mutex<Option<Defn>>,
}

/// The `include` directive that brought a file in (or none, for the
/// schema's main file), shared by all of the file's locations. It is set
/// once, when the parser reaches that directive, which may be after the
/// file was read and parsed ahead on another thread.
#[derive(Debug, Default)]
pub(crate) struct Origin(OnceLock<Option<Info>>);

impl Origin {
    /// A file's origin, known now.
    pub(crate) fn known(parent: Option<Info>) -> Arc<Origin> {
        Arc::new(Origin(OnceLock::from(parent)))
    }

    /// A file's origin, to be told when the parser reaches it.
    pub(crate) fn pending() -> Arc<Origin> {
        Arc::new(Origin::default())
    }

    /// Records where the file was included from; the first word stands.
    pub(crate) fn set(&self, parent: Option<Info>) {
        let _ = self.0.set(parent);
    }
}

/// The definition a location belongs to: meta-type (`struct`, `command`, ...)
/// and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defn {
    pub meta: String,
    pub name: String,
}

/// Shared handle to a location.
pub type Info = Arc<SourceInfo>;

impl SourceInfo {
    pub fn new(file: Arc<str>, line: u32, parent: Option<Info>) -> Info {
        SourceInfo::at(file, line, Origin::known(parent))
    }

    /// A location in a file whose origin the parser knows or will learn.
    pub(crate) fn at(file: Arc<str>, line: u32, origin: Arc<Origin>) -> Info {
        Arc::new(SourceInfo {
            file,
            line,
            origin,
            defn: Mutex::new(None),
        })
    }

    /// The `include` directive that brought this file in, if any.
    pub fn parent(&self) -> Option<&SourceInfo> {
        self.origin.0.get().and_then(Option::as_deref)
    }

    /// Records the definition this location belongs to.
    pub fn set_defn(&self, meta: &str, name: &str) {
        let mut d = self.defn.lock().unwrap_or_else(|e| e.into_inner());
        *d = Some(Defn {
            meta: meta.to_owned(),
            name: name.to_owned(),
        });
    }

    pub fn defn(&self) -> Option<Defn> {
        self.defn.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// `FILE:LINE`
    pub fn loc(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// `In file included from FILE:LINE:` lines, outermost first.
    pub fn include_path(&self) -> String {
        let mut chain = Vec::new();
        let mut parent = self.parent();
        while let Some(p) = parent {
            chain.push(p);
            parent = p.parent();
        }
        let mut ret = String::new();
        for p in chain.iter().rev() {
            ret.push_str("In file included from ");
            ret.push_str(&p.loc());
            ret.push_str(":\n");
        }
        ret
    }

    /// `FILE: In META 'NAME':` line, when the definition is known.
    pub fn in_defn(&self) -> String {
        match self.defn() {
            Some(d) if !d.name.is_empty() => {
                format!("{}: In {} '{}':\n", self.file, d.meta, d.name)
            }
            _ => String::new(),
        }
    }

    /// Iterates this file's include chain: this location, then the include
    /// directive of each including file.
    pub fn chain(&self) -> impl Iterator<Item = &SourceInfo> {
        std::iter::successors(Some(self), |i| i.parent())
    }
}

impl fmt::Display for SourceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.include_path(), self.in_defn(), self.loc())
    }
}

/// The schema-wide settings made with `pragma` directives. QEMU shares one
/// pragma state between a schema and all its includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pragma {
    /// Are documentation comments required?
    pub doc_required: bool,
    /// Commands whose names may use `_`.
    pub command_name_exceptions: Vec<String>,
    /// Commands allowed to return a non-object.
    pub command_returns_exceptions: Vec<String>,
    /// Definitions with undocumented members.
    pub documentation_exceptions: Vec<String>,
    /// Types whose member names may violate the case rules.
    pub member_name_exceptions: Vec<String>,
}

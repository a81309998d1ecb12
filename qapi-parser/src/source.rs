//! Source locations: which file, which line, which include chain, and which
//! definition a location belongs to.
//!
//! Locations are shared: every expression that starts on the same line of the
//! same file holds the same [`SourceInfo`], and the definition it belongs to is
//! recorded on it once the expression checker knows it. Error messages render
//! that state when they are printed, which is what gives QEMU's
//! `FILE: In struct 'Foo':` context lines.

use std::fmt;
use std::sync::{Arc, Mutex};

/// Where something was written.
#[derive(Debug)]
pub struct SourceInfo {
    /// The file name as it was reached: the root schema's path as given,
    /// included files joined onto the including file's folder.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u32,
    /// The `include` directive that brought this file in, if any.
    pub parent: Option<Arc<SourceInfo>>,
    defn: Mutex<Option<Defn>>,
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
        Arc::new(SourceInfo {
            file,
            line,
            parent,
            defn: Mutex::new(None),
        })
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
        let mut parent = self.parent.as_deref();
        while let Some(p) = parent {
            chain.push(p);
            parent = p.parent.as_deref();
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
        std::iter::successors(Some(self), |i| i.parent.as_deref())
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

//! Conditions (`'if'`): when a definition, member or feature exists.

use std::fmt::{self, Write};

use crate::ast::{Value, ValueKind};
use crate::dialect::IfSyntax;

mod cpp;

/// A condition on configuration symbols.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IfCond {
    /// True when the symbol is configured.
    Name(String),
    /// True when every operand is (`{'all': [...]}`).
    All(Vec<IfCond>),
    /// True when some operand is (`{'any': [...]}`).
    Any(Vec<IfCond>),
    /// `{'not': ...}`
    Not(Box<IfCond>),
    /// Before 6.2: C preprocessor expressions that must all hold (a
    /// single string is normalized to a list of one).
    Cpp(Vec<String>),
}

impl IfCond {
    /// Reads a checked `'if'` value written in `syntax`. `None` when the
    /// value does not have a condition's shape (the expression checker
    /// rejects those first).
    pub fn from_value(value: &Value, syntax: IfSyntax) -> Option<IfCond> {
        if syntax != IfSyntax::Tree {
            return match &value.kind {
                ValueKind::Str(s) => Some(IfCond::Cpp(vec![s.clone()])),
                ValueKind::List(l) => l
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(IfCond::Cpp),
                _ => None,
            };
        }
        Self::from_tree(value)
    }

    fn from_tree(value: &Value) -> Option<IfCond> {
        match &value.kind {
            ValueKind::Str(s) => Some(IfCond::Name(s.clone())),
            ValueKind::Dict(d) => {
                let (key, operand) = d.entries.first()?;
                match key.as_str() {
                    "not" => Some(IfCond::Not(Box::new(IfCond::from_tree(operand)?))),
                    "all" => Some(IfCond::All(Self::operands(operand)?)),
                    "any" => Some(IfCond::Any(Self::operands(operand)?)),
                    _ => None,
                }
            }
            // Before QEMU 6.2 a list of symbols meant "all of them".
            ValueKind::List(_) => Some(IfCond::All(Self::operands(value)?)),
            ValueKind::Bool(_) | ValueKind::Null => None,
        }
    }

    fn operands(value: &Value) -> Option<Vec<IfCond>> {
        value.as_list()?.iter().map(IfCond::from_tree).collect()
    }

    /// Evaluates the condition, `is_set` telling which symbols are
    /// configured.
    pub fn eval(&self, is_set: &impl Fn(&str) -> bool) -> bool {
        match self {
            IfCond::Name(n) => is_set(n),
            IfCond::All(ops) => ops.iter().all(|c| c.eval(is_set)),
            IfCond::Any(ops) => ops.iter().any(|c| c.eval(is_set)),
            IfCond::Not(c) => !c.eval(is_set),
            IfCond::Cpp(exprs) => exprs.iter().all(|e| cpp::eval(e, is_set)),
        }
    }

    /// The condition in the tree form of QEMU 6.2 and later (`Name`,
    /// `All`, `Any`, `Not`): the older preprocessor expressions read as
    /// [`IfCond::eval`] reads them (`1` is `All([])`, `0` and anything not
    /// understood `Any([])`).
    pub fn tree(&self) -> IfCond {
        match self {
            IfCond::Name(_) => self.clone(),
            IfCond::All(ops) => IfCond::All(ops.iter().map(IfCond::tree).collect()),
            IfCond::Any(ops) => IfCond::Any(ops.iter().map(IfCond::tree).collect()),
            IfCond::Not(c) => IfCond::Not(Box::new(c.tree())),
            IfCond::Cpp(exprs) => match exprs.as_slice() {
                [one] => cpp::to_tree(one),
                _ => IfCond::All(exprs.iter().map(|e| cpp::to_tree(e)).collect()),
            },
        }
    }

    /// The condition written as the Python value QEMU keeps:
    /// `{'all': ['A', 'B']}`; a bare symbol is quoted too (`'A'`).
    pub fn python_repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        let (key, ops) = match self {
            IfCond::Name(n) => return write_py_str(out, n),
            IfCond::Cpp(exprs) => {
                out.push('[');
                for (i, e) in exprs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_py_str(out, e);
                }
                out.push(']');
                return;
            }
            IfCond::Not(c) => {
                out.push_str("{'not': ");
                c.write_repr(out);
                out.push('}');
                return;
            }
            IfCond::All(ops) => ("all", ops),
            IfCond::Any(ops) => ("any", ops),
        };
        out.push_str("{'");
        out.push_str(key);
        out.push_str("': [");
        for (i, c) in ops.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            c.write_repr(out);
        }
        out.push_str("]}");
    }
}

/// As QEMU's test harness prints a condition: a bare symbol as is,
/// anything else as its Python value.
impl fmt::Display for IfCond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IfCond::Name(n) => f.write_str(n),
            _ => f.write_str(&self.python_repr()),
        }
    }
}

/// Writes `s` as Python's `repr()` of a string.
fn write_py_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::IfCond::{self, *};

    fn name(s: &str) -> IfCond {
        Name(s.to_owned())
    }

    #[test]
    fn display_like_python() {
        assert_eq!(name("A").to_string(), "A");
        assert_eq!(
            All(vec![name("A"), name("B")]).to_string(),
            "{'all': ['A', 'B']}"
        );
        assert_eq!(
            Not(Box::new(Any(vec![name("A"), name("B")]))).to_string(),
            "{'not': {'any': ['A', 'B']}}"
        );
        assert_eq!(Not(Box::new(name("A"))).to_string(), "{'not': 'A'}");
        assert_eq!(name("it's").python_repr(), "\"it's\"");
        assert_eq!(name("a\\b").python_repr(), "'a\\\\b'");
    }

    #[test]
    fn cpp_conditions() {
        let c = Cpp(vec!["defined(A) && !defined(B)".into(), "C".into()]);
        assert_eq!(c.to_string(), "['defined(A) && !defined(B)', 'C']");
        assert!(c.eval(&|s| s == "A" || s == "C"));
        assert!(!c.eval(&|s| s == "A"));
        assert!(!c.eval(&|_| true));
    }

    #[test]
    fn eval() {
        let c = All(vec![name("A"), Not(Box::new(name("B")))]);
        assert!(c.eval(&|s| s == "A"));
        assert!(!c.eval(&|_| true));
    }
}

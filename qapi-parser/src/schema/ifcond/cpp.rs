//! The C preprocessor expressions that conditions were before QEMU 6.2
//! (`defined(CONFIG_X) && !defined(CONFIG_Y)`), read into the tree form
//! of later releases, so that evaluating them (`--cfg`) and mapping them
//! to other languages share one reading.
//!
//! Only what conditions use is understood: `defined(NAME)`, `defined NAME`,
//! a bare name (true when configured, as `-DNAME` makes it 1), integer
//! literals, `!`, `&&`, `||` and parentheses. Anything else makes the
//! expression false, as an unknown macro would be 0.

use super::IfCond;

/// The expression as a tree: `1` is `all()` (true), `0` and anything
/// not understood `any()` (false).
pub(super) fn to_tree(expr: &str) -> IfCond {
    let tokens = tokenize(expr);
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
    };
    match p.or() {
        Some(tree) if p.pos == tokens.len() => tree,
        _ => IfCond::Any(vec![]),
    }
}

/// Whether the expression holds when `is_set` tells the configured names.
pub(super) fn eval(expr: &str, is_set: &impl Fn(&str) -> bool) -> bool {
    to_tree(expr).eval(is_set)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Number(u64),
    Not,
    And,
    Or,
    Open,
    Close,
    /// Anything this evaluator does not understand.
    Other,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            '!' if chars.peek() != Some(&'=') => out.push(Tok::Not),
            '&' if chars.next_if_eq(&'&').is_some() => out.push(Tok::And),
            '|' if chars.next_if_eq(&'|').is_some() => out.push(Tok::Or),
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut id = String::from(c);
                while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    id.push(c);
                }
                out.push(Tok::Ident(id));
            }
            c if c.is_ascii_digit() => {
                let mut n = u64::from(c.to_digit(10).unwrap_or(0));
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    n = n
                        .saturating_mul(10)
                        .saturating_add(u64::from(d.to_digit(10).unwrap_or(0)));
                }
                // Integer suffixes (`1U`, `0L`) change nothing here.
                while chars
                    .next_if(|c| matches!(c, 'u' | 'U' | 'l' | 'L'))
                    .is_some()
                {}
                out.push(Tok::Number(n));
            }
            _ => out.push(Tok::Other),
        }
    }
    out
}

struct Parser<'t> {
    tokens: &'t [Tok],
    pos: usize,
}

/// `lhs OP rhs` as one n-ary node: `a && b && c` is `all(a, b, c)`
/// (both operators are associative, so parentheses need no node).
fn join(lhs: IfCond, rhs: IfCond, all: bool) -> IfCond {
    match (lhs, all) {
        (IfCond::All(mut ops), true) | (IfCond::Any(mut ops), false) if !ops.is_empty() => {
            ops.push(rhs);
            if all {
                IfCond::All(ops)
            } else {
                IfCond::Any(ops)
            }
        }
        (lhs, true) => IfCond::All(vec![lhs, rhs]),
        (lhs, false) => IfCond::Any(vec![lhs, rhs]),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Option<IfCond> {
        let mut v = self.and()?;
        while self.eat(&Tok::Or) {
            v = join(v, self.and()?, false);
        }
        Some(v)
    }

    fn and(&mut self) -> Option<IfCond> {
        let mut v = self.unary()?;
        while self.eat(&Tok::And) {
            v = join(v, self.unary()?, true);
        }
        Some(v)
    }

    fn unary(&mut self) -> Option<IfCond> {
        if self.eat(&Tok::Not) {
            return Some(IfCond::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<IfCond> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::Open => {
                let v = self.or()?;
                self.eat(&Tok::Close).then_some(v)
            }
            Tok::Number(0) => Some(IfCond::Any(vec![])),
            Tok::Number(_) => Some(IfCond::All(vec![])),
            Tok::Ident(id) if id == "defined" => {
                let paren = self.eat(&Tok::Open);
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    return None;
                };
                self.pos += 1;
                if paren && !self.eat(&Tok::Close) {
                    return None;
                }
                Some(IfCond::Name(name))
            }
            Tok::Ident(id) => Some(IfCond::Name(id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{eval, to_tree};

    fn with(set: &[&str], expr: &str) -> bool {
        eval(expr, &|n| set.contains(&n))
    }

    #[test]
    fn forms() {
        assert!(with(&["A"], "defined(A)"));
        assert!(with(&["A"], "defined A"));
        assert!(with(&["A"], "A"));
        assert!(!with(&[], "defined(A)"));
        assert!(with(&["A"], "defined(A) && !defined(B)"));
        assert!(!with(&["A", "B"], "defined(A) && !defined(B)"));
        assert!(with(&["B"], "defined(A) || defined(B)"));
        assert!(with(&["C"], "(defined(A) || defined(B)) || defined(C)"));
        assert!(!with(&["A"], "defined(A) && (defined(B) || defined(C))"));
        assert!(with(&[], "1"));
        assert!(!with(&[], "0"));
        assert!(with(&[], "!defined(A)"));
    }

    #[test]
    fn trees() {
        let tree = |e: &str| to_tree(e).to_string();
        assert_eq!(tree("defined(A)"), "A");
        assert_eq!(
            tree("defined(A) || defined(B) || C"),
            "{'any': ['A', 'B', 'C']}"
        );
        assert_eq!(
            tree("defined(A) && !(defined(B) || defined(C))"),
            "{'all': ['A', {'not': {'any': ['B', 'C']}}]}"
        );
        assert_eq!(tree("1"), "{'all': []}");
        assert_eq!(tree("0"), "{'any': []}");
        assert_eq!(tree("defined(A"), "{'any': []}");
    }

    #[test]
    fn malformed_is_false() {
        assert!(!with(&["A"], "defined(A"));
        assert!(!with(&["A"], "A ==="));
        assert!(!with(&["A"], ""));
        assert!(!with(&["A"], "A B"));
    }
}

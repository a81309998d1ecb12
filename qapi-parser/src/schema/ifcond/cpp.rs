//! Evaluating the C preprocessor expressions that conditions were before
//! QEMU 6.2 (`defined(CONFIG_X) && !defined(CONFIG_Y)`), for `--cfg`.
//!
//! Only what conditions use is understood: `defined(NAME)`, `defined NAME`,
//! a bare name (true when configured, as `-DNAME` makes it 1), integer
//! literals, `!`, `&&`, `||` and parentheses. Anything else makes the
//! expression false, as an unknown macro would be 0.

/// Whether the expression holds when `is_set` tells the configured names.
pub(super) fn eval(expr: &str, is_set: &impl Fn(&str) -> bool) -> bool {
    let tokens = tokenize(expr);
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        is_set,
    };
    match p.or() {
        Some(v) if p.pos == tokens.len() => v,
        _ => false,
    }
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

struct Parser<'t, F> {
    tokens: &'t [Tok],
    pos: usize,
    is_set: &'t F,
}

impl<F: Fn(&str) -> bool> Parser<'_, F> {
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

    fn or(&mut self) -> Option<bool> {
        let mut v = self.and()?;
        while self.eat(&Tok::Or) {
            // Both sides are parsed: the whole expression must be valid.
            let rhs = self.and()?;
            v = v || rhs;
        }
        Some(v)
    }

    fn and(&mut self) -> Option<bool> {
        let mut v = self.unary()?;
        while self.eat(&Tok::And) {
            let rhs = self.unary()?;
            v = v && rhs;
        }
        Some(v)
    }

    fn unary(&mut self) -> Option<bool> {
        if self.eat(&Tok::Not) {
            return Some(!self.unary()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<bool> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::Open => {
                let v = self.or()?;
                self.eat(&Tok::Close).then_some(v)
            }
            Tok::Number(n) => Some(n != 0),
            Tok::Ident(id) if id == "defined" => {
                let paren = self.eat(&Tok::Open);
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    return None;
                };
                self.pos += 1;
                if paren && !self.eat(&Tok::Close) {
                    return None;
                }
                Some((self.is_set)(&name))
            }
            Tok::Ident(id) => Some((self.is_set)(&id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::eval;

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
    fn malformed_is_false() {
        assert!(!with(&["A"], "defined(A"));
        assert!(!with(&["A"], "A ==="));
        assert!(!with(&["A"], ""));
        assert!(!with(&["A"], "A B"));
    }
}

//! Tokens: the pest grammar (`qapi.pest`) run over a whole file, flattened
//! into a vector the parser walks.

use pest::Parser as _;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "qapi.pest"]
struct QapiGrammar;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Newline,
    /// `#...` to the end of the line.
    Comment,
    /// One of `{}:,[]`.
    Punct(u8),
    /// A string; its value is the text between the quotes, unescaped.
    Str,
    True,
    False,
    /// A string missing its closing quote.
    Unterminated,
    /// A string with a backslash before something other than a backslash.
    BadEscape,
    /// A string holding a character outside printable ASCII.
    FunnyChar,
    /// Characters that start no token.
    Stray,
}

/// A token: its kind and the byte range it covers. For `BadEscape` the
/// range of the offending escape follows in `detail`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// For `Str`: the range of the body. For `BadEscape`: the range of the
    /// character after the backslash.
    pub detail: (usize, usize),
}

/// Splits `src` (which ends with a newline) into tokens.
pub(crate) fn tokenize(src: &str) -> Vec<Tok> {
    let pairs = match QapiGrammar::parse(Rule::file, src) {
        Ok(mut p) => match p.next() {
            Some(file) => file.into_inner(),
            None => return Vec::new(),
        },
        // The grammar accepts every input ending in a newline; the reader
        // guarantees one. Should pest still refuse, the parser sees an
        // immediate end of file and reports it as a syntax error.
        Err(_) => return Vec::new(),
    };
    let mut toks = Vec::with_capacity(src.len() / 8);
    for pair in pairs {
        let span = pair.as_span();
        let (start, end) = (span.start(), span.end());
        let mut detail = (start, end);
        let kind = match pair.as_rule() {
            Rule::newline => TokKind::Newline,
            Rule::comment => TokKind::Comment,
            Rule::punct => TokKind::Punct(src.as_bytes()[start]),
            Rule::string => {
                if let Some(body) = pair.into_inner().next() {
                    let b = body.as_span();
                    detail = (b.start(), b.end());
                }
                TokKind::Str
            }
            Rule::bad_string => {
                let what = pair.into_inner().next();
                match what.as_ref().map(|p| p.as_rule()) {
                    Some(Rule::bad_escape) => {
                        if let Some(p) = what {
                            let s = p.as_span();
                            // Skip the backslash.
                            detail = (s.start() + 1, s.end());
                        }
                        TokKind::BadEscape
                    }
                    Some(Rule::funny_char) => TokKind::FunnyChar,
                    _ => TokKind::Unterminated,
                }
            }
            Rule::keyword => {
                if src.as_bytes()[start] == b't' {
                    TokKind::True
                } else {
                    TokKind::False
                }
            }
            Rule::EOI => continue,
            _ => TokKind::Stray,
        };
        toks.push(Tok {
            kind,
            start,
            end,
            detail,
        });
    }
    toks
}

/// The value of a string token body: `\\` stands for one backslash.
pub(crate) fn unescape(body: &str) -> String {
    if body.contains('\\') {
        body.replace("\\\\", "\\")
    } else {
        body.to_owned()
    }
}

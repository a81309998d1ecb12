//! Tokens: the pest grammar (`qapi.pest`) run over a whole file, flattened
//! into the tokens the parser walks, each with its line.

use pest::iterators::{Pair, Pairs};
use pest::Parser as _;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "qapi.pest"]
struct QapiGrammar;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// `#...` to the end of the line.
    Comment,
    /// One of `{}:,[]`.
    Punct(u8),
    /// A string; its body (between the quotes) is `detail`.
    Str,
    True,
    False,
    /// `null` (releases up to 4.1).
    Null,
    /// A string missing its closing quote.
    Unterminated,
    /// A string with a backslash before something other than a backslash;
    /// the character after the backslash is `detail`.
    BadEscape,
    /// A string holding a character outside printable ASCII.
    FunnyChar,
    /// A `\u` escape without four hex digits (releases up to 4.1).
    UEscapeDigits,
    /// A `\u` escape of zero or above 0x7f (releases up to 4.1).
    UEscapeRange,
    /// Characters that start no token.
    Stray,
    /// The end of the file: its final newline.
    Eof,
}

/// A token, the byte range it covers, and the line it is on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    pub detail: (usize, usize),
    /// 1-based line number.
    pub line: u32,
    /// Byte offset where that line starts.
    pub line_start: usize,
}

/// Tracks line numbers across the gaps between tokens.
struct Lines<'s> {
    src: &'s str,
    pos: usize,
    line: u32,
    line_start: usize,
}

impl Lines<'_> {
    /// Counts the newlines before byte offset `to`. The gaps between
    /// tokens are short, too short for memchr to pay for its setup.
    fn advance(&mut self, to: usize) {
        let bytes = self.src.as_bytes();
        let to = to.min(bytes.len());
        if to > self.pos {
            for (i, &b) in bytes[self.pos..to].iter().enumerate() {
                if b == b'\n' {
                    self.line += 1;
                    self.line_start = self.pos + i + 1;
                }
            }
            self.pos = to;
        }
    }

    fn tok(&self, kind: TokKind, start: usize, end: usize, detail: (usize, usize)) -> Tok {
        Tok {
            kind,
            start,
            end,
            detail,
            line: self.line,
            line_start: self.line_start,
        }
    }
}

/// The tokens of `src` (which ends with a newline), the last one `Eof`,
/// made as the parser asks for them: QEMU's schema files run to tens of
/// thousands of tokens, and a vector of them all would be fresh memory
/// (page faults) the parser only ever reads once, front to back.
pub(crate) struct Lexer<'s> {
    lines: Lines<'s>,
    legacy: bool,
    /// The grammar's pairs (`None` for an input it refused).
    pairs: Option<Pairs<'s, Rule>>,
    /// Whether the end of file was handed out.
    done: bool,
    /// The end of the run of comment lines being handed out line by line.
    comments_end: Option<usize>,
}

impl<'s> Lexer<'s> {
    /// `legacy` selects the syntax of releases up to 4.1 (`null`,
    /// JSON-like escapes).
    pub(crate) fn new(src: &'s str, legacy: bool) -> Self {
        // The grammar accepts every input; were pest to refuse one, the
        // parser would see only the end of file and report a syntax error
        // there.
        let top = if legacy {
            Rule::legacy_file
        } else {
            Rule::file
        };
        let pairs = QapiGrammar::parse(top, src)
            .ok()
            .and_then(|mut p| p.next())
            .map(|file| file.into_inner());
        Lexer {
            lines: Lines {
                src,
                pos: 0,
                line: 1,
                line_start: 0,
            },
            legacy,
            pairs,
            done: false,
            comments_end: None,
        }
    }

    /// The next line of a run of comment lines, which starts at the
    /// current position.
    fn comment_line(&mut self, end: usize) -> Tok {
        let lines = &mut self.lines;
        let pos = lines.pos;
        match memchr::memchr(b'\n', &lines.src.as_bytes()[pos..end]) {
            Some(i) => {
                let tok = lines.tok(TokKind::Comment, pos, pos + i, (pos, pos + i));
                lines.line += 1;
                lines.line_start = pos + i + 1;
                lines.pos = pos + i + 1;
                tok
            }
            None => {
                self.comments_end = None;
                lines.pos = end;
                lines.tok(TokKind::Comment, pos, end, (pos, end))
            }
        }
    }

    /// The token of one of the grammar's pairs.
    fn token(&mut self, pair: Pair<'s, Rule>) -> Tok {
        let lines = &mut self.lines;
        let src = lines.src;
        let bytes = src.as_bytes();
        let span = pair.as_span();
        let (start, end) = (span.start(), span.end());
        lines.advance(start);
        let kind = match pair.as_rule() {
            // What a token is shows in its first byte.
            Rule::token | Rule::legacy_token => match bytes[start] {
                b'#' => {
                    // One `Comment` token per line: doc-comment blocks are
                    // read line by line. The grammar joins lines only
                    // where a `#` directly follows the newline.
                    self.comments_end = Some(end);
                    return self.comment_line(end);
                }
                b'\'' if self.legacy => return legacy_string(lines, start, end, true),
                b'\'' => {
                    let body = (start + 1, end - 1);
                    let funny = bytes[body.0..body.1]
                        .iter()
                        .any(|b| !(b' '..=b'~').contains(b));
                    let kind = if funny {
                        TokKind::FunnyChar
                    } else {
                        TokKind::Str
                    };
                    return lines.tok(kind, start, end, body);
                }
                b't' => TokKind::True,
                b'f' => TokKind::False,
                b'n' => TokKind::Null,
                // A punctuation token is one ASCII byte.
                b => TokKind::Punct(b),
            },
            Rule::bad_string => {
                let what = pair.into_inner().next();
                let mut detail = (start, end);
                let kind = match what.as_ref().map(|p| p.as_rule()) {
                    Some(Rule::bad_escape) => {
                        if let Some(p) = &what {
                            let s = p.as_span();
                            // After the backslash.
                            detail = (s.start() + 1, s.end());
                        }
                        TokKind::BadEscape
                    }
                    Some(Rule::funny_char) => TokKind::FunnyChar,
                    _ => TokKind::Unterminated,
                };
                return lines.tok(kind, start, end, detail);
            }
            Rule::legacy_bad_string => return legacy_string(lines, start, end, false),
            _ => TokKind::Stray,
        };
        lines.tok(kind, start, end, (start, end))
    }
}

impl Iterator for Lexer<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        if let Some(end) = self.comments_end {
            return Some(self.comment_line(end));
        }
        if self.done {
            return None;
        }
        let pair = self
            .pairs
            .as_mut()
            .and_then(|p| p.find(|p| p.as_rule() != Rule::EOI));
        match pair {
            Some(pair) => Some(self.token(pair)),
            None => {
                self.done = true;
                let lines = &mut self.lines;
                let eof = lines.src.len().saturating_sub(1);
                lines.advance(eof);
                Some(lines.tok(TokKind::Eof, eof, lines.src.len(), (eof, eof)))
            }
        }
    }
}

/// A string under the escapes of releases up to 4.1; `closed` when it has
/// its closing quote.
fn legacy_string(lines: &Lines<'_>, start: usize, end: usize, closed: bool) -> Tok {
    let src = lines.src;
    let body = (start + 1, if closed { end - 1 } else { end });
    let (kind, detail) = match legacy_decode(&src[body.0..body.1]) {
        Ok(_) if closed => (TokKind::Str, body),
        Ok(_) => (TokKind::Unterminated, body),
        Err(LegacyEscapeError::Unterminated) => (TokKind::Unterminated, body),
        Err(LegacyEscapeError::Unknown(at)) => {
            let ch_len = src[body.0 + at..].chars().next().map_or(0, char::len_utf8);
            (TokKind::BadEscape, (body.0 + at, body.0 + at + ch_len))
        }
        Err(LegacyEscapeError::UDigits) => (TokKind::UEscapeDigits, body),
        Err(LegacyEscapeError::URange) => (TokKind::UEscapeRange, body),
    };
    lines.tok(kind, start, end, detail)
}

/// The value of a string token body: `\\` stands for one backslash.
pub(crate) fn unescape(body: &str) -> String {
    if body.contains('\\') {
        body.replace("\\\\", "\\")
    } else {
        body.to_owned()
    }
}

/// What is wrong with a string under the escapes of releases up to 4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LegacyEscapeError {
    /// A backslash ends the body: the newline came first.
    Unterminated,
    /// The unknown escape character starts at this byte offset of the body.
    Unknown(usize),
    UDigits,
    URange,
}

/// The value of a string body under the escapes of releases up to 4.1:
/// `\b \f \n \r \t \/ \\ \' \"` and `\uXXXX` (1 to 0x7f only).
pub(crate) fn legacy_decode(body: &str) -> Result<String, LegacyEscapeError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((_, ch)) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let Some((at, esc)) = chars.next() else {
            return Err(LegacyEscapeError::Unterminated);
        };
        let decoded = match esc {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\\' | '/' | '\'' | '"' => esc,
            'u' => {
                let mut value = 0u32;
                for _ in 0..4 {
                    let digit = chars.next().and_then(|(_, c)| c.to_digit(16));
                    let Some(digit) = digit else {
                        return Err(LegacyEscapeError::UDigits);
                    };
                    value = (value << 4) + digit;
                }
                match char::from_u32(value) {
                    Some(c) if value != 0 && value <= 0x7f => c,
                    _ => return Err(LegacyEscapeError::URange),
                }
            }
            _ => return Err(LegacyEscapeError::Unknown(at)),
        };
        out.push(decoded);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kind, text and line of each token but the end of file.
    fn lex(src: &str, legacy: bool) -> Vec<(TokKind, &str, u32)> {
        let toks: Vec<Tok> = Lexer::new(src, legacy).collect();
        assert_eq!(toks.last().map(|t| t.kind), Some(TokKind::Eof));
        toks[..toks.len() - 1]
            .iter()
            .map(|t| (t.kind, &src[t.start..t.end], t.line))
            .collect()
    }

    #[test]
    fn kinds_from_first_byte() {
        use TokKind::*;
        let src = "##\n# @a:\n#\n  # b\n{ 'x\\\\y': [true,false] }\u{2003}null\n";
        assert_eq!(
            lex(src, false),
            [
                (Comment, "##", 1),
                (Comment, "# @a:", 2),
                (Comment, "#", 3),
                (Comment, "# b", 4),
                (Punct(b'{'), "{", 5),
                (Str, "'x\\\\y'", 5),
                (Punct(b':'), ":", 5),
                (Punct(b'['), "[", 5),
                (True, "true", 5),
                (Punct(b','), ",", 5),
                (False, "false", 5),
                (Punct(b']'), "]", 5),
                (Punct(b'}'), "}", 5),
                (Stray, "null", 5),
            ]
        );
        assert_eq!(
            lex("null 'a\\'b' 'c\\'\n", true)[..2],
            [(Null, "null", 1), (Str, "'a\\'b'", 1)]
        );
        assert_eq!(lex("'c\\'\n", true), [(Unterminated, "'c\\'", 1)]);
    }

    #[test]
    fn nothing_after_the_end_of_file() {
        // The parser asks again after the end: a comment run last in the
        // file is split all the same, and `Eof` comes once.
        let mut lexer = Lexer::new("{}\n# a\n# b\n", false);
        let kinds: Vec<TokKind> = lexer.by_ref().map(|t| t.kind).collect();
        use TokKind::*;
        assert_eq!(kinds, [Punct(b'{'), Punct(b'}'), Comment, Comment, Eof]);
        assert!(lexer.next().is_none());
    }

    #[test]
    fn bad_strings() {
        use TokKind::*;
        let src = "'a\\x' 'b\u{e9}' 'c\n'd\\\\' x\n";
        assert_eq!(
            lex(src, false),
            [
                (BadEscape, "'a\\x' 'b\u{e9}' 'c", 1),
                (Str, "'d\\\\'", 2),
                (Stray, "x", 2),
            ]
        );
        assert_eq!(lex("'e\\\n", false), [(Unterminated, "'e\\", 1)]);
        assert_eq!(lex("'b\u{e9}'\n", false), [(FunnyChar, "'b\u{e9}'", 1)]);
    }
}

//! Tokens: the pest grammar (`qapi.pest`) run over a whole file, flattened
//! into a vector the parser walks, each token with its line.

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

/// Splits `src` (which ends with a newline) into tokens, the last one
/// `Eof`. `legacy` selects the syntax of releases up to 4.1 (`null`,
/// JSON-like escapes).
pub(crate) fn tokenize(src: &str, legacy: bool) -> Vec<Tok> {
    // QEMU's schema files run 8 to 20 bytes a token, comment lines
    // included: room for the densest saves growing the vector.
    let mut toks = Vec::with_capacity(src.len() / 8 + 1);
    let mut lines = Lines {
        src,
        pos: 0,
        line: 1,
        line_start: 0,
    };
    // The grammar accepts every input; were pest to refuse one, the parser
    // would see only the end of file and report a syntax error there.
    let top = if legacy {
        Rule::legacy_file
    } else {
        Rule::file
    };
    let pairs = QapiGrammar::parse(top, src)
        .ok()
        .and_then(|mut p| p.next())
        .map(|file| file.into_inner());
    let bytes = src.as_bytes();
    for pair in pairs.into_iter().flatten() {
        let rule = pair.as_rule();
        let span = pair.as_span();
        let (start, end) = (span.start(), span.end());
        if rule == Rule::EOI {
            continue;
        }
        lines.advance(start);
        let kind = match rule {
            // What a token is shows in its first byte.
            Rule::token | Rule::legacy_token => match bytes[start] {
                b'#' => {
                    split_comments(&mut lines, start, end, &mut toks);
                    continue;
                }
                b'\'' if legacy => {
                    legacy_string(&lines, start, end, true, &mut toks);
                    continue;
                }
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
                    toks.push(lines.tok(kind, start, end, body));
                    continue;
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
                toks.push(lines.tok(kind, start, end, detail));
                continue;
            }
            Rule::legacy_bad_string => {
                legacy_string(&lines, start, end, false, &mut toks);
                continue;
            }
            _ => TokKind::Stray,
        };
        toks.push(lines.tok(kind, start, end, (start, end)));
    }
    let eof = src.len().saturating_sub(1);
    lines.advance(eof);
    toks.push(lines.tok(TokKind::Eof, eof, src.len(), (eof, eof)));
    toks
}

/// A string under the escapes of releases up to 4.1; `closed` when it has
/// its closing quote.
fn legacy_string(lines: &Lines<'_>, start: usize, end: usize, closed: bool, toks: &mut Vec<Tok>) {
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
    toks.push(lines.tok(kind, start, end, detail));
}

/// One `Comment` token per line of a run of comment lines. The grammar
/// joins lines only where a `#` directly follows the newline.
fn split_comments(lines: &mut Lines<'_>, start: usize, end: usize, toks: &mut Vec<Tok>) {
    let bytes = lines.src.as_bytes();
    let mut pos = start;
    loop {
        match memchr::memchr(b'\n', &bytes[pos..end]) {
            Some(i) => {
                toks.push(lines.tok(TokKind::Comment, pos, pos + i, (pos, pos + i)));
                pos += i + 1;
                lines.line += 1;
                lines.line_start = pos;
                lines.pos = pos;
            }
            None => {
                toks.push(lines.tok(TokKind::Comment, pos, end, (pos, end)));
                lines.pos = end;
                return;
            }
        }
    }
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
        let toks = tokenize(src, legacy);
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

//! Tokens: the pest grammar (`qapi.pest`) run over a whole file, flattened
//! into a vector the parser walks, each token with its line.

use memchr::memchr_iter;
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
    /// A string missing its closing quote.
    Unterminated,
    /// A string with a backslash before something other than a backslash;
    /// the character after the backslash is `detail`.
    BadEscape,
    /// A string holding a character outside printable ASCII.
    FunnyChar,
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
    /// Counts the newlines before byte offset `to`.
    fn advance(&mut self, to: usize) {
        let bytes = self.src.as_bytes();
        let to = to.min(bytes.len());
        if to > self.pos {
            for nl in memchr_iter(b'\n', &bytes[self.pos..to]) {
                self.line += 1;
                self.line_start = self.pos + nl + 1;
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
/// `Eof`.
pub(crate) fn tokenize(src: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(src.len() / 16);
    let mut lines = Lines {
        src,
        pos: 0,
        line: 1,
        line_start: 0,
    };
    // The grammar accepts every input; were pest to refuse one, the parser
    // would see only the end of file and report a syntax error there.
    let pairs = QapiGrammar::parse(Rule::file, src)
        .ok()
        .and_then(|mut p| p.next())
        .map(|file| file.into_inner());
    for pair in pairs.into_iter().flatten() {
        let span = pair.as_span();
        let (start, end) = (span.start(), span.end());
        if pair.as_rule() == Rule::EOI {
            continue;
        }
        lines.advance(start);
        let kind = match pair.as_rule() {
            Rule::comments => {
                split_comments(&mut lines, start, end, &mut toks);
                continue;
            }
            // A punctuation token is one ASCII byte.
            Rule::punct => TokKind::Punct(src.as_bytes()[start]),
            Rule::string => {
                let body = (start + 1, end - 1);
                let funny = src[body.0..body.1]
                    .bytes()
                    .any(|b| !(b' '..=b'~').contains(&b));
                let kind = if funny {
                    TokKind::FunnyChar
                } else {
                    TokKind::Str
                };
                toks.push(lines.tok(kind, start, end, body));
                continue;
            }
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
            Rule::keyword if src.as_bytes()[start] == b't' => TokKind::True,
            Rule::keyword => TokKind::False,
            _ => TokKind::Stray,
        };
        toks.push(lines.tok(kind, start, end, (start, end)));
    }
    let eof = src.len().saturating_sub(1);
    lines.advance(eof);
    toks.push(lines.tok(TokKind::Eof, eof, src.len(), (eof, eof)));
    toks
}

/// One `Comment` token per line of a run of comment lines.
fn split_comments(lines: &mut Lines<'_>, start: usize, end: usize, toks: &mut Vec<Tok>) {
    let bytes = lines.src.as_bytes();
    let mut pos = start;
    while pos < end {
        lines.advance(pos);
        let line_end = memchr::memchr(b'\n', &bytes[pos..end]).map_or(end, |i| pos + i);
        toks.push(lines.tok(TokKind::Comment, pos, line_end, (pos, line_end)));
        // The next comment starts after white space and newlines.
        pos = match memchr::memchr(b'#', &bytes[line_end..end]) {
            Some(i) => line_end + i,
            None => end,
        };
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

//! The byte-level tokenizer of QMP input, with QEMU's token rules: its
//! string extensions (single quotes, `\'`), its error recovery (after a
//! bad byte, skip to the next structural character or control byte) and
//! its per-token size limit.

/// A token larger than this (64 MiB) is cut off and reported as too large.
pub(crate) const MAX_TOKEN_SIZE: usize = 64 << 20;

/// Buffers up to this size are kept for the next token or message.
pub(crate) const KEEP_CAPACITY: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    LCurly,
    RCurly,
    LSquare,
    RSquare,
    Colon,
    Comma,
    Integer,
    Float,
    Keyword,
    String,
}

/// What the lexer hands on, with the token's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexEvent {
    Token(TokenKind),
    /// A byte that cannot continue the token; the bytes are the token so
    /// far including that byte.
    Stray,
    /// A token that grew past [`MAX_TOKEN_SIZE`]; lexing restarts right
    /// after it, in the middle of whatever it was.
    TooLarge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Recovery,
    DqString,
    DqEscape,
    SqString,
    SqEscape,
    Zero,
    Sign,
    Digits,
    Mantissa,
    MantissaDigits,
    ExpE,
    ExpSign,
    ExpDigits,
    Keyword,
}

/// What one byte does in one state.
enum Step {
    /// Consume the byte into the token and move on.
    Goto(State),
    /// Consume the byte, which ends a token.
    Emit(TokenKind),
    /// The token ended before this byte, which is looked at again.
    Lookahead(TokenKind),
    /// Consume the byte and drop the token (whitespace, recovery).
    Skip(State),
    /// Back to the start state without consuming (recovery is over).
    Resync,
    /// Consume the byte into the token and report both as stray.
    Error,
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Bytes that may appear in a string: no ASCII control characters and
/// neither of the bytes UTF-8 never uses.
fn in_string(b: u8) -> bool {
    (0x20..=0xFD).contains(&b)
}

fn step(state: State, b: u8) -> Step {
    use State::*;
    match state {
        Start => match b {
            b'"' => Step::Goto(DqString),
            b'\'' => Step::Goto(SqString),
            b'0' => Step::Goto(Zero),
            b'1'..=b'9' => Step::Goto(Digits),
            b'-' => Step::Goto(Sign),
            b'{' => Step::Emit(TokenKind::LCurly),
            b'}' => Step::Emit(TokenKind::RCurly),
            b'[' => Step::Emit(TokenKind::LSquare),
            b']' => Step::Emit(TokenKind::RSquare),
            b',' => Step::Emit(TokenKind::Comma),
            b':' => Step::Emit(TokenKind::Colon),
            b'a'..=b'z' => Step::Goto(Keyword),
            b' ' | b'\t' | b'\r' | b'\n' => Step::Skip(Start),
            _ => Step::Error,
        },
        // Structural characters and line ends are likely message
        // boundaries; clients send other control bytes or 0xFF to force
        // the parser back into a known state.
        Recovery => match b {
            b'\t' => Step::Skip(Recovery),
            0..=0x1F | 0xFE | 0xFF => Step::Resync,
            b'[' | b']' | b'{' | b'}' | b':' | b',' => Step::Resync,
            _ => Step::Skip(Recovery),
        },
        DqString => match b {
            b'\\' => Step::Goto(DqEscape),
            b'"' => Step::Emit(TokenKind::String),
            _ if in_string(b) => Step::Goto(DqString),
            _ => Step::Error,
        },
        SqString => match b {
            b'\\' => Step::Goto(SqEscape),
            b'\'' => Step::Emit(TokenKind::String),
            _ if in_string(b) => Step::Goto(SqString),
            _ => Step::Error,
        },
        DqEscape if in_string(b) => Step::Goto(DqString),
        SqEscape if in_string(b) => Step::Goto(SqString),
        DqEscape | SqEscape => Step::Error,
        Zero => match b {
            b'0'..=b'9' => Step::Error,
            b'.' => Step::Goto(Mantissa),
            _ => Step::Lookahead(TokenKind::Integer),
        },
        Sign => match b {
            b'0' => Step::Goto(Zero),
            b'1'..=b'9' => Step::Goto(Digits),
            _ => Step::Error,
        },
        Digits => match b {
            _ if is_digit(b) => Step::Goto(Digits),
            b'e' | b'E' => Step::Goto(ExpE),
            b'.' => Step::Goto(Mantissa),
            _ => Step::Lookahead(TokenKind::Integer),
        },
        Mantissa if is_digit(b) => Step::Goto(MantissaDigits),
        Mantissa => Step::Error,
        MantissaDigits => match b {
            _ if is_digit(b) => Step::Goto(MantissaDigits),
            b'e' | b'E' => Step::Goto(ExpE),
            _ => Step::Lookahead(TokenKind::Float),
        },
        ExpE => match b {
            b'-' | b'+' => Step::Goto(ExpSign),
            _ if is_digit(b) => Step::Goto(ExpDigits),
            _ => Step::Error,
        },
        ExpSign if is_digit(b) => Step::Goto(ExpDigits),
        ExpSign => Step::Error,
        ExpDigits if is_digit(b) => Step::Goto(ExpDigits),
        ExpDigits => Step::Lookahead(TokenKind::Float),
        Keyword if b.is_ascii_lowercase() => Step::Goto(Keyword),
        Keyword => Step::Lookahead(TokenKind::Keyword),
    }
}

/// The tokenizer's state between chunks of input.
#[derive(Debug)]
pub(crate) struct Lexer {
    state: State,
    token: Vec<u8>,
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer {
            state: State::Start,
            token: Vec::new(),
        }
    }
}

impl Lexer {
    /// Tokenizes `input`, handing each token or error to `sink`.
    pub(crate) fn feed(&mut self, input: &[u8], sink: &mut impl FnMut(LexEvent, &[u8])) {
        let mut i = 0;
        while i < input.len() {
            if matches!(self.state, State::DqString | State::SqString) {
                // Long strings are the common case worth a fast path: copy
                // the run of plain bytes at once, up to the size limit.
                let quote = if self.state == State::DqString {
                    b'"'
                } else {
                    b'\''
                };
                let room = (MAX_TOKEN_SIZE + 1).saturating_sub(self.token.len());
                let rest = input.get(i..).unwrap_or_default();
                let window = rest.get(..room.min(rest.len())).unwrap_or_default();
                let run = window
                    .iter()
                    .position(|&b| b == quote || b == b'\\' || !in_string(b))
                    .unwrap_or(window.len());
                if run > 0 {
                    self.token
                        .extend_from_slice(window.get(..run).unwrap_or_default());
                    i += run;
                    self.check_size(sink);
                    continue;
                }
            }
            if let Some(&b) = input.get(i) {
                self.feed_byte(b, sink);
            }
            i += 1;
        }
    }

    fn feed_byte(&mut self, b: u8, sink: &mut impl FnMut(LexEvent, &[u8])) {
        loop {
            match step(self.state, b) {
                Step::Goto(next) => {
                    self.token.push(b);
                    self.state = next;
                }
                Step::Emit(kind) => {
                    self.token.push(b);
                    sink(LexEvent::Token(kind), &self.token);
                    self.clear_token();
                    self.state = State::Start;
                }
                Step::Lookahead(kind) => {
                    sink(LexEvent::Token(kind), &self.token);
                    self.clear_token();
                    self.state = State::Start;
                    continue;
                }
                Step::Skip(next) => {
                    self.token.clear();
                    self.state = next;
                }
                Step::Resync => {
                    self.state = State::Start;
                    continue;
                }
                Step::Error => {
                    self.token.push(b);
                    sink(LexEvent::Stray, &self.token);
                    self.clear_token();
                    self.state = State::Recovery;
                }
            }
            break;
        }
        self.check_size(sink);
    }

    /// Empties the token, giving back the memory a huge one took.
    fn clear_token(&mut self) {
        if self.token.capacity() > KEEP_CAPACITY {
            self.token = Vec::new();
        } else {
            self.token.clear();
        }
    }

    fn check_size(&mut self, sink: &mut impl FnMut(LexEvent, &[u8])) {
        if self.token.len() > MAX_TOKEN_SIZE {
            sink(LexEvent::TooLarge, &self.token);
            self.token = Vec::new();
            self.state = State::Start;
        }
    }

    /// Ends the input: a token that was waiting for the byte after it
    /// ends, and an unfinished one is stray.
    pub(crate) fn flush(&mut self, sink: &mut impl FnMut(LexEvent, &[u8])) {
        while self.state != State::Start {
            // A NUL byte that is not consumed: it ends a token waiting for
            // lookahead, is an error anywhere else, and ends recovery.
            match step(self.state, 0) {
                Step::Lookahead(kind) => {
                    sink(LexEvent::Token(kind), &self.token);
                    self.state = State::Start;
                }
                Step::Resync | Step::Skip(_) | Step::Goto(_) | Step::Emit(_) => {
                    self.state = State::Start;
                }
                Step::Error => {
                    sink(LexEvent::Stray, &self.token);
                    self.state = State::Recovery;
                }
            }
            self.token.clear();
        }
    }
}

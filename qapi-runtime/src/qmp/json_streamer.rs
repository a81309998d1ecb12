//! Splits a byte stream into JSON messages the way QEMU's monitor does
//! (qobject/json-streamer.c): a message ends when its brackets balance
//! (or a closing one has no opening one), and limits on a message's size,
//! token count and nesting depth keep a peer from making it allocate
//! without bound. Errors come out as values, and the stream goes on.

use std::collections::VecDeque;

use serde_json::Value;

use super::json_lexer::{LexEvent, Lexer, TokenKind, KEEP_CAPACITY, MAX_TOKEN_SIZE};
use super::json_parser::{self, Token};
use super::mod_utf8;
use crate::Error;

/// At most this many tokens (2 Mi) in one message.
pub const MAX_TOKEN_COUNT: usize = 2 << 20;
/// At most this many brackets and braces open at once.
pub const MAX_NESTING: i64 = 1 << 10;
/// At most this many bytes of tokens in one message (64 MiB).
pub const MAX_MESSAGE_SIZE: usize = MAX_TOKEN_SIZE;

/// A sans-I/O QMP message parser: feed it bytes as they arrive, take out
/// each message as a value, or as the error QEMU would answer it with
/// (`{"error": {"class": "GenericError", "desc": ...}}`, without `id`).
///
/// ```
/// use qapi_runtime::qmp::JsonStreamer;
///
/// let mut s = JsonStreamer::new();
/// s.feed(b"{'execute': 'query-status'} bad\n{\"execute\"");
/// assert_eq!(s.next_message().unwrap().unwrap()["execute"], "query-status");
/// let err = s.next_message().unwrap().unwrap_err();
/// assert_eq!(err.desc(), "JSON parse error, invalid keyword 'bad'");
/// assert!(s.next_message().is_none()); // the rest is not complete yet
/// ```
#[derive(Debug, Default)]
pub struct JsonStreamer {
    lexer: Lexer,
    splitter: Splitter,
    ready: VecDeque<Result<Value, Error>>,
}

#[derive(Debug, Default)]
struct Splitter {
    tokens: Vec<Token>,
    text: Vec<u8>,
    braces: i64,
    brackets: i64,
}

impl JsonStreamer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next chunk of input; complete messages become available
    /// through [`JsonStreamer::next_message`].
    pub fn feed(&mut self, input: &[u8]) {
        let JsonStreamer {
            lexer,
            splitter,
            ready,
        } = self;
        lexer.feed(input, &mut |event, bytes| {
            splitter.token(event, bytes, ready)
        });
    }

    /// Ends the input: a last token waiting for the byte after it is
    /// taken, and an unfinished message is parsed as it is (which gives
    /// QEMU's "premature EOI" error, typically).
    pub fn finish(&mut self) {
        let JsonStreamer {
            lexer,
            splitter,
            ready,
        } = self;
        lexer.flush(&mut |event, bytes| splitter.token(event, bytes, ready));
        if !splitter.tokens.is_empty() {
            let result = splitter.parse();
            splitter.emit(result, ready);
        }
    }

    /// The oldest message not yet taken out.
    pub fn next_message(&mut self) -> Option<Result<Value, Error>> {
        self.ready.pop_front()
    }

    /// Whether part of a message has been read but not yet completed.
    pub fn is_mid_message(&self) -> bool {
        !self.splitter.tokens.is_empty()
    }
}

impl Splitter {
    fn token(&mut self, event: LexEvent, bytes: &[u8], ready: &mut VecDeque<Result<Value, Error>>) {
        let kind = match event {
            LexEvent::Stray => {
                let mut desc = String::from("JSON parse error, stray '");
                desc.push_str(&mod_utf8::lossy(bytes));
                desc.push('\'');
                return self.emit(Err(Error::generic(desc)), ready);
            }
            LexEvent::TooLarge => {
                return self.emit(Err(limit("JSON token size limit exceeded")), ready);
            }
            LexEvent::Token(kind) => kind,
        };
        match kind {
            TokenKind::LCurly => self.braces += 1,
            TokenKind::RCurly => self.braces -= 1,
            TokenKind::LSquare => self.brackets += 1,
            TokenKind::RSquare => self.brackets -= 1,
            _ => {}
        }
        if self.text.len() + bytes.len() + 1 > MAX_MESSAGE_SIZE {
            return self.emit(Err(limit("JSON token size limit exceeded")), ready);
        }
        if self.tokens.len() + 1 > MAX_TOKEN_COUNT {
            return self.emit(Err(limit("JSON token count limit exceeded")), ready);
        }
        if self.braces + self.brackets > MAX_NESTING {
            return self.emit(Err(limit("JSON nesting depth limit exceeded")), ready);
        }
        let start = self.text.len();
        self.text.extend_from_slice(bytes);
        self.tokens.push(Token {
            kind,
            start,
            end: self.text.len(),
        });
        let open = self.braces > 0 || self.brackets > 0;
        if open && self.braces >= 0 && self.brackets >= 0 {
            return;
        }
        let result = self.parse();
        self.emit(result, ready);
    }

    fn parse(&self) -> Result<Value, Error> {
        json_parser::parse(&self.tokens, &self.text).map_err(|e| {
            let mut desc = String::from("JSON parse error, ");
            desc.push_str(&mod_utf8::lossy(&e.0));
            Error::generic(desc)
        })
    }

    /// Hands on a message and starts the next one afresh.
    fn emit(&mut self, result: Result<Value, Error>, ready: &mut VecDeque<Result<Value, Error>>) {
        self.braces = 0;
        self.brackets = 0;
        let token_bytes = self.tokens.capacity() * std::mem::size_of::<Token>();
        if self.text.capacity() > KEEP_CAPACITY || token_bytes > KEEP_CAPACITY {
            self.text = Vec::new();
            self.tokens = Vec::new();
        } else {
            self.text.clear();
            self.tokens.clear();
        }
        ready.push_back(result);
    }
}

fn limit(desc: &str) -> Error {
    Error::generic(desc)
}

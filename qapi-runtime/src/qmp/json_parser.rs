//! Turns the tokens of one message into a JSON value, with QEMU's error
//! texts (the part after `JSON parse error, `). Like QEMU, the first error
//! found is the one reported.

use serde_json::{Map, Number, Value};

use super::json_lexer::TokenKind;
use super::mod_utf8;

/// One token of the message being collected: its kind and where its
/// bytes are in the message's text buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// QEMU formats a parse error's detail into a buffer of this size, NUL
/// included, so longer texts are cut.
const MESSAGE_BUFFER: usize = 1024;

/// The detail of a parse error, as bytes, since it may quote input that
/// is not UTF-8.
pub(crate) struct ParseError(pub(crate) Vec<u8>);

impl ParseError {
    fn new(parts: &[&[u8]]) -> Self {
        let mut msg: Vec<u8> = parts.concat();
        msg.truncate(MESSAGE_BUFFER - 1);
        ParseError(msg)
    }

    fn text(msg: &str) -> Self {
        ParseError::new(&[msg.as_bytes()])
    }
}

type ParseResult<T> = Result<T, ParseError>;

struct Parser<'a> {
    tokens: &'a [Token],
    text: &'a [u8],
    pos: usize,
}

/// Parses one message's tokens.
pub(crate) fn parse(tokens: &[Token], text: &[u8]) -> ParseResult<Value> {
    let mut p = Parser {
        tokens,
        text,
        pos: 0,
    };
    // The splitter only hands over token lists that end where their first
    // value ends or that hold an error, so tokens left over are not looked
    // at, as in QEMU.
    p.value()
}

impl<'a> Parser<'a> {
    fn peek(&self) -> ParseResult<Token> {
        self.tokens
            .get(self.pos)
            .copied()
            .ok_or_else(|| ParseError::text("premature EOI"))
    }

    fn pop(&mut self) -> ParseResult<Token> {
        let t = self.peek()?;
        self.pos += 1;
        Ok(t)
    }

    fn bytes(&self, t: Token) -> &'a [u8] {
        // Token spans are made by the splitter from this very buffer.
        self.text.get(t.start..t.end).unwrap_or_default()
    }

    fn value(&mut self) -> ParseResult<Value> {
        let t = self.peek()?;
        match t.kind {
            TokenKind::LCurly => self.object(),
            TokenKind::LSquare => self.array(),
            TokenKind::Integer | TokenKind::Float | TokenKind::String | TokenKind::Keyword => {
                self.pos += 1;
                self.literal(t)
            }
            _ => Err(ParseError::text("expecting value")),
        }
    }

    fn object(&mut self) -> ParseResult<Value> {
        self.pos += 1; // the '{' that led here
        let mut map = Map::new();
        if self.peek()?.kind == TokenKind::RCurly {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        self.pair(&mut map)?;
        loop {
            match self.pop()?.kind {
                TokenKind::RCurly => return Ok(Value::Object(map)),
                TokenKind::Comma => self.pair(&mut map)?,
                _ => return Err(ParseError::text("expected separator in dict")),
            }
        }
    }

    fn pair(&mut self, map: &mut Map<String, Value>) -> ParseResult<()> {
        self.peek()?;
        let Value::String(key) = self.value()? else {
            return Err(ParseError::text("key is not a string in object"));
        };
        if self.pop()?.kind != TokenKind::Colon {
            return Err(ParseError::text("missing : in object pair"));
        }
        let value = self.value()?;
        if map.contains_key(&key) {
            return Err(ParseError::text("duplicate key"));
        }
        map.insert(key, value);
        Ok(())
    }

    fn array(&mut self) -> ParseResult<Value> {
        self.pos += 1; // the '[' that led here
        let mut items = Vec::new();
        if self.peek()?.kind == TokenKind::RSquare {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        items.push(self.value()?);
        loop {
            match self.pop()?.kind {
                TokenKind::RSquare => return Ok(Value::Array(items)),
                TokenKind::Comma => items.push(self.value()?),
                _ => return Err(ParseError::text("expected separator in list")),
            }
        }
    }

    fn literal(&self, t: Token) -> ParseResult<Value> {
        let bytes = self.bytes(t);
        match t.kind {
            TokenKind::String => parse_string(bytes).map(Value::String),
            TokenKind::Keyword => match bytes {
                b"true" => Ok(Value::Bool(true)),
                b"false" => Ok(Value::Bool(false)),
                b"null" => Ok(Value::Null),
                _ => Err(ParseError::new(&[b"invalid keyword '", bytes, b"'"])),
            },
            TokenKind::Integer => Ok(Value::Number(integer(bytes))),
            _ => Ok(Value::Number(float(bytes))),
        }
    }
}

/// An integer as QEMU keeps it: signed if it fits, else unsigned, else a
/// double.
fn integer(bytes: &[u8]) -> Number {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    if let Ok(i) = text.parse::<i64>() {
        return Number::from(i);
    }
    if let Ok(u) = text.parse::<u64>() {
        return Number::from(u);
    }
    float(bytes)
}

/// A number with a fraction or exponent. QEMU reads one beyond a double's
/// range as infinity, which JSON values cannot hold: it is read as the
/// largest double of its sign instead.
fn float(bytes: &[u8]) -> Number {
    // The lexer only lets through ASCII digits, signs, '.', 'e' and 'E'.
    let v = std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0);
    let v = if v.is_infinite() {
        f64::MAX.copysign(v)
    } else {
        v
    };
    Number::from_f64(v).unwrap_or_else(|| Number::from(0))
}

fn hex4(s: &[u8]) -> Option<u32> {
    let digits = s.get(..4)?;
    digits.iter().try_fold(0u32, |acc, &b| {
        let d = (b as char).to_digit(16)?;
        Some(acc << 4 | d)
    })
}

/// Decodes a string token, quotes included.
fn parse_string(token: &[u8]) -> ParseResult<String> {
    let Some((&quote, body)) = token.split_first() else {
        return Err(ParseError::text("premature EOI"));
    };
    let mut out = String::new();
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        if b == quote {
            break;
        }
        if b == b'\\' {
            let beg = i;
            let esc = body.get(i + 1).copied();
            i += 2;
            let c = match esc {
                Some(b'"') => '"',
                Some(b'\'') => '\'',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let mut cp = hex4(body.get(i..).unwrap_or_default());
                    i += 4;
                    if let Some(lead @ 0xD800..=0xDBFF) = cp {
                        if body.get(i) == Some(&b'\\') && body.get(i + 1) == Some(&b'u') {
                            cp = match hex4(body.get(i + 2..).unwrap_or_default()) {
                                Some(trail @ 0xDC00..=0xDFFF) => {
                                    i += 6;
                                    Some((0x10000 + ((lead & 0x3FF) << 10)) | (trail & 0x3FF))
                                }
                                _ => None,
                            };
                        }
                    }
                    match cp.filter(|&cp| mod_utf8::is_valid_codepoint(cp)) {
                        Some(cp) => char::from_u32(cp).unwrap_or('\u{FFFD}'),
                        None => {
                            // QEMU quotes the six bytes from the backslash,
                            // or fewer at the end of the token.
                            let shown =
                                body.get(beg..(beg + 6).min(body.len())).unwrap_or_default();
                            return Err(ParseError::new(&[
                                shown,
                                b" is not a valid Unicode character",
                            ]));
                        }
                    }
                }
                _ => return Err(ParseError::text("invalid escape sequence in string")),
            };
            out.push(c);
            continue;
        }
        // Plain ASCII needs no decoding: copy the run at once.
        let rest = body.get(i..).unwrap_or_default();
        let ascii = rest
            .iter()
            .position(|&c| c == quote || c == b'\\' || !(0x20..0x80).contains(&c))
            .unwrap_or(rest.len());
        if ascii > 0 {
            // Bytes 0x20..0x7F are ASCII, hence UTF-8.
            out.push_str(
                std::str::from_utf8(rest.get(..ascii).unwrap_or_default()).unwrap_or_default(),
            );
            i += ascii;
            continue;
        }
        let (cp, len) = mod_utf8::decode_one(rest);
        match cp.and_then(char::from_u32) {
            Some(c) => out.push(c),
            None => return Err(ParseError::text("invalid UTF-8 sequence in string")),
        }
        i += len.max(1);
    }
    Ok(out)
}

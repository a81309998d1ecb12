//! Syntax: schema files into expressions and doc blocks.
//!
//! Reads a file, tokenizes it with the pest grammar, and builds values by
//! recursive descent over the tokens, so that every syntax error is reported
//! where and as QEMU reports it. Each file is parsed on its own into
//! [`Piece`]s (included files ahead, on another thread); the pieces are
//! then joined in order: includes are expanded in place (each file once),
//! pragmas are applied, and doc-comment blocks are attached to the
//! definition that follows them.

use std::collections::HashSet;
use std::sync::Arc;

use crate::ast::{Dict, Expression, ParsedSchema, Span, Value, ValueKind};
use crate::dialect::PragmaSet;
use crate::doc::Doc;
use crate::error::{QapiError, Result};
use crate::lexer::{legacy_decode, unescape, Lexer, Tok, TokKind};
use crate::paths;
use crate::source::{Info, Origin, Pragma, SourceInfo};
use crate::Dialect;

mod docs;
mod docs_legacy;
mod messages;
mod prefetch;

use messages::Texts;
use prefetch::Prefetcher;

/// Reads the schema at `path` and every file it includes.
pub fn parse_schema(path: &str, dialect: &Dialect) -> Result<ParsedSchema> {
    let src = paths::read_source(path)
        .map_err(|e| QapiError::bare(format!("can't read schema file '{path}': {}", e.text())))?;
    let mut out = ParsedSchema::default();
    let mut included = HashSet::new();
    included.insert(paths::abspath(path));
    let file: Arc<str> = Arc::from(path);
    let src = src.into_text(&file, None)?;
    let prefetch = Prefetcher::new(dialect);
    let mut joiner = Joiner {
        out: &mut out,
        included: &mut included,
        dialect,
        prefetch: None,
    };
    let root = || FileParser::parse_text(&src, file, Origin::known(None), dialect);
    // A schema of one file is not worth a second thread.
    if !prefetch.enqueue_includes(path, &src) {
        joiner.join(root())?;
        return Ok(out);
    }
    std::thread::scope(|scope| {
        scope.spawn(|| prefetch.run());
        joiner.prefetch = Some(&prefetch);
        let joined = joiner.join(root());
        prefetch.finish();
        joined
    })?;
    Ok(out)
}

/// What a file holds, in order, as its parser reads it on its own.
pub(crate) enum Piece {
    /// A run of doc blocks (releases before 9.1 may split one in several).
    Docs(Vec<Doc>),
    /// A definition; its `doc` counts the file's own doc blocks.
    Expr(Expression),
    /// An `include` directive, with the expression that records it.
    Include {
        name: String,
        /// The included file's name, joined onto this file's folder.
        path: String,
        expr: Expression,
    },
    /// A `pragma` directive's settings.
    Pragma { info: Info, settings: Dict },
}

/// One file parsed on its own: its pieces, then the error that stopped
/// the parse, if one did.
pub(crate) struct FileParse {
    pieces: Vec<Piece>,
    error: Option<QapiError>,
    /// Where the file was included from, for every location in it.
    origin: Arc<Origin>,
}

/// Joins files' pieces into the schema in the order QEMU reads them.
struct Joiner<'a, 'd> {
    out: &'a mut ParsedSchema,
    /// The files read so far, by absolute path.
    included: &'a mut HashSet<String>,
    dialect: &'d Dialect,
    /// Included files read and parsed ahead, when there are any.
    prefetch: Option<&'a Prefetcher<'d>>,
}

impl Joiner<'_, '_> {
    fn texts(&self) -> Texts {
        Texts::new(self.dialect)
    }

    /// Adds a file's pieces, expanding its includes; its error, if any,
    /// comes after them, as when files are read one after the other.
    fn join(&mut self, parse: FileParse) -> Result<()> {
        // Where each of the file's own doc blocks went.
        let mut docs_at: Vec<usize> = Vec::new();
        for piece in parse.pieces {
            match piece {
                Piece::Docs(docs) => {
                    for doc in docs {
                        docs_at.push(self.out.docs.len());
                        self.out.docs.push(doc);
                    }
                }
                Piece::Expr(mut expr) => {
                    expr.doc = expr.doc.and_then(|i| docs_at.get(i).copied());
                    self.out.exprs.push(expr);
                }
                Piece::Include { name, path, expr } => {
                    let info = expr.info.clone();
                    self.out.exprs.push(expr);
                    self.include(&name, &info, &path)?;
                }
                Piece::Pragma { info, settings } => {
                    for (name, value) in settings.iter() {
                        apply_pragma(&mut self.out.pragma, name, value, &info, self.dialect)
                            .map_err(|mut e| {
                                e.msg = self.texts().pragma_error(e.msg);
                                e
                            })?;
                    }
                }
            }
        }
        parse.error.map_or(Ok(()), Err)
    }

    fn include(&mut self, name: &str, info: &Info, incl_fname: &str) -> Result<()> {
        let incl_abs = paths::abspath(incl_fname);
        if info.chain().any(|i| paths::abspath(&i.file) == incl_abs) {
            return Err(QapiError::sem(info, self.texts().inclusion_loop(name)));
        }
        if self.included.contains(&incl_abs) {
            return Ok(());
        }
        self.included.insert(incl_abs);
        let parent = Some(info.clone());
        if let Some(parsed) = self.prefetch.and_then(|p| p.take(incl_fname)) {
            parsed.origin.set(parent);
            return self.join(parsed);
        }
        let file: Arc<str> = Arc::from(incl_fname);
        let src = paths::read_source(incl_fname).map_err(|e| {
            QapiError::sem(info, self.texts().unreadable_include(incl_fname, &e.text()))
        })?;
        let src = src.into_text(&file, parent.clone())?;
        if let Some(p) = self.prefetch {
            p.enqueue_includes(incl_fname, &src);
        }
        let origin = Origin::known(parent);
        self.join(FileParser::parse_text(&src, file, origin, self.dialect))
    }
}

/// Objects and arrays nested deeper than this are refused.
const MAX_DEPTH: usize = 1000;

/// Up to this many keys, an object's keys are looked through for a
/// duplicate rather than hashed.
const SCAN_KEYS: usize = 16;

/// The parser of one file. Lexer state follows QEMU's: the current token,
/// where it starts, the current line and where that line starts.
pub(crate) struct FileParser<'s, 'd> {
    src: &'s str,
    toks: Lexer<'s>,
    /// The current token; `None` at end of file.
    tok: Option<Tok>,
    file: Arc<str>,
    origin: Arc<Origin>,
    line: u32,
    line_pos: usize,
    /// The location of the current line, shared by everything that starts on it.
    line_info: Option<Info>,
    dialect: &'d Dialect,
    /// How many objects and arrays enclose the current token.
    depth: usize,
    /// Doc-comment state: inside a literal block (`::` or `.. qmp-example::`)
    /// the line-format rules do not apply.
    literal_mode: bool,
    literal_indent: usize,
}

impl<'s, 'd> FileParser<'s, 'd> {
    fn new(
        src: &'s str,
        toks: Lexer<'s>,
        file: Arc<str>,
        origin: Arc<Origin>,
        dialect: &'d Dialect,
    ) -> Self {
        FileParser {
            src,
            toks,
            tok: None,
            file,
            origin,
            line: 1,
            line_pos: 0,
            line_info: None,
            dialect,
            depth: 0,
            literal_mode: false,
            literal_indent: 0,
        }
    }

    /// The location of the current line.
    fn info(&mut self) -> Info {
        if let Some(i) = &self.line_info {
            return i.clone();
        }
        let i = SourceInfo::at(self.file.clone(), self.line, self.origin.clone());
        self.line_info = Some(i.clone());
        i
    }

    /// Start of the current token (end of input at end of file).
    fn pos(&self) -> usize {
        self.tok
            .map_or(self.src.len().saturating_sub(1), |t| t.start)
    }

    /// QEMU's column of byte offset `pos` on the current line: 1-based, tabs
    /// to the next multiple of 8.
    fn col_at(&self, pos: usize) -> u32 {
        let line = self.src.get(self.line_pos..pos).unwrap_or("");
        column(line)
    }

    fn texts(&self) -> Texts {
        Texts::new(self.dialect)
    }

    fn error(&mut self, msg: impl Into<String>) -> QapiError {
        let col = self.col_at(self.pos());
        QapiError::parse(&self.info(), col, msg)
    }

    fn text(&self, t: Tok) -> &'s str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn is_punct(&self, c: u8) -> bool {
        matches!(self.tok, Some(Tok { kind: TokKind::Punct(p), .. }) if p == c)
    }

    fn is_kind(&self, kind: TokKind) -> bool {
        matches!(self.tok, Some(t) if t.kind == kind)
    }

    /// Moves to the next token. Comments are skipped when `skip_comment`
    /// is set, except `##` ones, which start doc blocks. A malformed token
    /// is an error when it is reached.
    fn accept(&mut self, skip_comment: bool) -> Result<()> {
        loop {
            let Some(t) = self.toks.next() else {
                self.tok = None;
                return Ok(());
            };
            self.tok = Some(t);
            if t.line != self.line {
                self.line = t.line;
                self.line_pos = t.line_start;
                self.line_info = None;
            }
            match t.kind {
                TokKind::Eof => {
                    self.tok = None;
                    return Ok(());
                }
                TokKind::Comment => {
                    let doc = self.src.as_bytes().get(t.start + 1) == Some(&b'#');
                    if doc || !skip_comment {
                        return Ok(());
                    }
                }
                TokKind::Punct(_)
                | TokKind::Str
                | TokKind::True
                | TokKind::False
                | TokKind::Null => return Ok(()),
                TokKind::Unterminated => return Err(self.error(self.texts().unterminated())),
                TokKind::BadEscape => {
                    let ch = self.src.get(t.detail.0..t.detail.1).unwrap_or("");
                    return Err(self.error(self.texts().unknown_escape(ch)));
                }
                TokKind::UEscapeDigits => return Err(self.error(self.texts().u_escape_digits())),
                TokKind::UEscapeRange => return Err(self.error(self.texts().u_escape_range())),
                TokKind::FunnyChar => return Err(self.error("funny character in string")),
                TokKind::Stray => {
                    let s = self.text(t);
                    return Err(self.error(self.texts().stray(s)));
                }
            }
        }
    }

    fn span(&self) -> Span {
        Span {
            line: self.line,
            col: self.col_at(self.pos()),
        }
    }

    fn string_value(&self, t: Tok) -> String {
        let body = self.src.get(t.detail.0..t.detail.1).unwrap_or("");
        if self.dialect.full_escapes {
            // The lexer made a `Str` token only of a body that decodes.
            return legacy_decode(body).unwrap_or_default();
        }
        unescape(body)
    }

    fn get_members(&mut self, span: Span) -> Result<Value> {
        let mut dict = Dict::default();
        if self.is_punct(b'}') {
            self.accept(true)?;
            return Ok(Value::new(ValueKind::Dict(dict), span));
        }
        if !self.is_kind(TokKind::Str) {
            return Err(self.error(self.texts().expected_key_or_end()));
        }
        // Keys seen so far, once there are too many to look through.
        let mut seen: Option<HashSet<String>> = None;
        loop {
            let key = match self.tok {
                Some(t) => self.string_value(t),
                None => String::new(),
            };
            self.accept(true)?;
            if !self.is_punct(b':') {
                return Err(self.error(self.texts().expected_colon()));
            }
            self.accept(true)?;
            let duplicate = match &seen {
                Some(seen) => seen.contains(&key),
                None => dict.entries.iter().any(|(k, _)| *k == key),
            };
            if duplicate {
                return Err(self.error(self.texts().duplicate_key(&key)));
            }
            let value = self.get_expr()?;
            if let Some(seen) = &mut seen {
                seen.insert(key.clone());
            } else if dict.entries.len() >= SCAN_KEYS {
                let mut set: HashSet<String> =
                    dict.entries.iter().map(|(k, _)| k.clone()).collect();
                set.insert(key.clone());
                seen = Some(set);
            }
            dict.entries.push((key, value));
            if self.is_punct(b'}') {
                self.accept(true)?;
                return Ok(Value::new(ValueKind::Dict(dict), span));
            }
            if !self.is_punct(b',') {
                return Err(self.error(self.texts().expected_comma_or_brace()));
            }
            self.accept(true)?;
            if !self.is_kind(TokKind::Str) {
                return Err(self.error(self.texts().expected_string()));
            }
        }
    }

    fn get_values(&mut self, span: Span) -> Result<Value> {
        let mut list = Vec::new();
        if self.is_punct(b']') {
            self.accept(true)?;
            return Ok(Value::new(ValueKind::List(list), span));
        }
        let starts_value = self.is_punct(b'{')
            || self.is_punct(b'[')
            || self.is_kind(TokKind::Str)
            || self.is_kind(TokKind::True)
            || self.is_kind(TokKind::False)
            || self.is_kind(TokKind::Null);
        if !starts_value {
            return Err(self.error(self.texts().expected_list_item()));
        }
        loop {
            list.push(self.get_expr()?);
            if self.is_punct(b']') {
                self.accept(true)?;
                return Ok(Value::new(ValueKind::List(list), span));
            }
            if !self.is_punct(b',') {
                return Err(self.error(self.texts().expected_comma_or_bracket()));
            }
            self.accept(true)?;
        }
    }

    fn get_expr(&mut self) -> Result<Value> {
        let span = self.span();
        let Some(t) = self.tok else {
            return Err(self.error(self.texts().expected_value()));
        };
        match t.kind {
            TokKind::Punct(b'{') | TokKind::Punct(b'[') => {
                // QEMU's recursive parser dies of Python's recursion limit
                // at about 490 levels; ours stops with an error well before
                // the stack of a small thread runs out.
                if self.depth >= MAX_DEPTH {
                    return Err(
                        self.error(format!("nesting too deep (more than {MAX_DEPTH} levels)"))
                    );
                }
                self.depth += 1;
                self.accept(true)?;
                let value = if t.kind == TokKind::Punct(b'{') {
                    self.get_members(span)
                } else {
                    self.get_values(span)
                };
                self.depth -= 1;
                value
            }
            TokKind::Str => {
                let v = Value::new(ValueKind::Str(self.string_value(t)), span);
                self.accept(true)?;
                Ok(v)
            }
            TokKind::True | TokKind::False => {
                let v = Value::new(ValueKind::Bool(t.kind == TokKind::True), span);
                self.accept(true)?;
                Ok(v)
            }
            TokKind::Null => {
                let v = Value::new(ValueKind::Null, span);
                self.accept(true)?;
                Ok(v)
            }
            _ => Err(self.error(self.texts().expected_value())),
        }
    }

    /// Tokenizes and parses the text of `file` on its own.
    pub(crate) fn parse_text(
        src: &str,
        file: Arc<str>,
        origin: Arc<Origin>,
        dialect: &Dialect,
    ) -> FileParse {
        let toks = Lexer::new(src, dialect.full_escapes);
        FileParser::new(src, toks, file, origin, dialect).parse()
    }

    /// Parses the whole file on its own.
    fn parse(mut self) -> FileParse {
        let mut pieces = Vec::new();
        let error = self.pieces(&mut pieces).err();
        FileParse {
            pieces,
            error,
            origin: self.origin,
        }
    }

    /// The file's pieces, up to the first error.
    fn pieces(&mut self, pieces: &mut Vec<Piece>) -> Result<()> {
        self.accept(true)?;
        // The file's doc blocks so far, and the last one's number.
        let mut docs = 0;
        let mut cur_doc: Option<(usize, DocMark)> = None;
        while self.tok.is_some() {
            let info = self.info();
            if self.is_kind(TokKind::Comment) {
                reject_expr_doc(cur_doc.as_ref(), self.texts())?;
                // Releases before 9.1 may split one block into several.
                let block = self.get_docs()?;
                docs += block.len();
                cur_doc = block.last().map(|d| (docs - 1, DocMark::of(d)));
                pieces.push(Piece::Docs(block));
                continue;
            }
            if !self.dialect.top_level_any_value && !self.is_punct(b'{') {
                return Err(self.error(self.texts().expected_brace()));
            }
            let value = self.get_expr()?;
            let ValueKind::Dict(expr) = value.kind else {
                return Err(QapiError::sem(
                    &info,
                    "top-level expression must be an object",
                ));
            };
            if let Some(include) = expr.get("include") {
                reject_expr_doc(cur_doc.as_ref(), self.texts())?;
                if expr.len() != 1 {
                    return Err(QapiError::sem(&info, self.texts().invalid_include()));
                }
                let Some(name) = include.as_str() else {
                    return Err(QapiError::sem(&info, self.texts().include_not_str()));
                };
                let incl_fname = paths::join(paths::dirname(&self.file), name);
                let mut d = Dict::default();
                d.insert("include", Value::str(incl_fname.clone(), include.span));
                pieces.push(Piece::Include {
                    name: name.to_owned(),
                    path: incl_fname,
                    expr: Expression {
                        expr: d,
                        info,
                        doc: None,
                    },
                });
            } else if let Some(pragma) = expr.get("pragma") {
                reject_expr_doc(cur_doc.as_ref(), self.texts())?;
                if expr.len() != 1 {
                    return Err(QapiError::sem(&info, self.texts().invalid_pragma()));
                }
                let Some(settings) = pragma.as_dict() else {
                    return Err(QapiError::sem(&info, self.texts().pragma_not_dict()));
                };
                pieces.push(Piece::Pragma {
                    info,
                    settings: settings.clone(),
                });
            } else {
                if let Some((_, mark)) = &cur_doc {
                    if mark.symbol.is_none() {
                        return Err(QapiError::sem(
                            &mark.info,
                            self.texts().doc_without_symbol(),
                        ));
                    }
                }
                pieces.push(Piece::Expr(Expression {
                    expr,
                    info,
                    doc: cur_doc.map(|(i, _)| i),
                }));
            }
            cur_doc = None;
        }
        reject_expr_doc(cur_doc.as_ref(), self.texts())
    }
}

/// What the checks between a doc block and the next expression need of
/// the block.
struct DocMark {
    symbol: Option<String>,
    info: Info,
}

impl DocMark {
    fn of(doc: &Doc) -> DocMark {
        DocMark {
            symbol: doc.symbol.clone(),
            info: doc.info.clone(),
        }
    }
}

/// A doc block naming a definition must be followed by that definition.
fn reject_expr_doc(doc: Option<&(usize, DocMark)>, texts: Texts) -> Result<()> {
    if let Some((_, d)) = doc {
        if let Some(sym) = &d.symbol {
            return Err(QapiError::sem(&d.info, texts.doc_not_followed(sym)));
        }
    }
    Ok(())
}

fn apply_pragma(
    pragma: &mut Pragma,
    name: &str,
    value: &Value,
    info: &Info,
    dialect: &Dialect,
) -> Result<()> {
    let list = |value: &Value| -> Result<Vec<String>> {
        let strs = value
            .as_list()
            .and_then(|l| l.iter().map(|v| v.as_str().map(str::to_owned)).collect());
        strs.ok_or_else(|| QapiError::sem(info, format!("pragma {name} must be a list of strings")))
    };
    let unknown = || QapiError::sem(info, format!("unknown pragma '{name}'"));
    // The whitelists of older releases were renamed; each one's meaning is
    // what its successor's is in the checks that exist in those releases.
    let whitelists = dialect.pragmas == PragmaSet::Whitelists;
    match name {
        "doc-required" => {
            pragma.doc_required = value
                .as_bool()
                .ok_or_else(|| QapiError::sem(info, "pragma 'doc-required' must be boolean"))?;
        }
        "returns-whitelist" if whitelists => pragma.command_returns_exceptions = list(value)?,
        "name-case-whitelist" if whitelists => pragma.member_name_exceptions = list(value)?,
        _ if whitelists => return Err(unknown()),
        "command-name-exceptions" => pragma.command_name_exceptions = list(value)?,
        "command-returns-exceptions" => pragma.command_returns_exceptions = list(value)?,
        "documentation-exceptions" if dialect.pragmas == PragmaSet::ExceptionsAndDoc => {
            pragma.documentation_exceptions = list(value)?
        }
        "member-name-exceptions" => pragma.member_name_exceptions = list(value)?,
        _ => return Err(unknown()),
    }
    Ok(())
}

/// QEMU's column after the text `line` (1-based; tabs to the next
/// multiple of 8).
pub(crate) fn column(line: &str) -> u32 {
    let mut col: u32 = 1;
    if line.is_ascii() && !line.contains('\t') {
        return col.saturating_add(u32::try_from(line.len()).unwrap_or(u32::MAX - 1));
    }
    for ch in line.chars() {
        col = if ch == '\t' {
            (col + 7) % 8 + 1
        } else {
            col.saturating_add(1)
        };
    }
    col
}

//! Syntax: schema files into expressions and doc blocks.
//!
//! Reads a file, tokenizes it with the pest grammar, and builds values by
//! recursive descent over the tokens, so that every syntax error is reported
//! where and as QEMU reports it. Includes are expanded in place (each file
//! once), pragmas are applied, and doc-comment blocks are parsed and
//! attached to the definition that follows them.

use std::collections::HashSet;
use std::sync::Arc;

use crate::ast::{Dict, Expression, ParsedSchema, Span, Value, ValueKind};
use crate::dialect::PragmaSet;
use crate::error::{QapiError, Result};
use crate::lexer::{legacy_decode, tokenize, unescape, Tok, TokKind};
use crate::paths;
use crate::source::{Info, Pragma, SourceInfo};
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
    if !Prefetcher::has_includes(path, &src) {
        let toks = tokenize(&src, dialect.full_escapes);
        FileParser::new(&src, toks, file, None, dialect, None).parse(&mut out, &mut included)?;
        return Ok(out);
    }
    let prefetch = Prefetcher::new(dialect.full_escapes);
    std::thread::scope(|scope| {
        scope.spawn(|| prefetch.run());
        prefetch.enqueue_includes(path, &src);
        let toks = tokenize(&src, dialect.full_escapes);
        let parsed = FileParser::new(&src, toks, file, None, dialect, Some(&prefetch))
            .parse(&mut out, &mut included);
        prefetch.finish();
        parsed
    })?;
    Ok(out)
}

/// Objects and arrays nested deeper than this are refused.
const MAX_DEPTH: usize = 1000;

/// The parser of one file. Lexer state follows QEMU's: the current token,
/// where it starts, the current line and where that line starts.
pub(crate) struct FileParser<'s, 'd> {
    src: &'s str,
    toks: Vec<Tok>,
    /// Index of the current token in `toks`.
    idx: usize,
    /// The current token; `None` at end of file.
    tok: Option<Tok>,
    file: Arc<str>,
    parent: Option<Info>,
    line: u32,
    line_pos: usize,
    /// The location of the current line, shared by everything that starts on it.
    line_info: Option<Info>,
    dialect: &'d Dialect,
    /// Included files read ahead, when there are any.
    prefetch: Option<&'d Prefetcher>,
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
        toks: Vec<Tok>,
        file: Arc<str>,
        parent: Option<Info>,
        dialect: &'d Dialect,
        prefetch: Option<&'d Prefetcher>,
    ) -> Self {
        FileParser {
            src,
            toks,
            prefetch,
            idx: 0,
            tok: None,
            file,
            parent,
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
        let i = SourceInfo::new(self.file.clone(), self.line, self.parent.clone());
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
            let Some(&t) = self.toks.get(self.idx) else {
                self.tok = None;
                return Ok(());
            };
            self.idx += 1;
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
        let mut seen: HashSet<String> = HashSet::new();
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
            if seen.contains(&key) {
                return Err(self.error(self.texts().duplicate_key(&key)));
            }
            let value = self.get_expr()?;
            seen.insert(key.clone());
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

    fn parse(mut self, out: &mut ParsedSchema, included: &mut HashSet<String>) -> Result<()> {
        self.accept(true)?;
        let mut cur_doc: Option<usize> = None;
        while self.tok.is_some() {
            let info = self.info();
            if self.is_kind(TokKind::Comment) {
                reject_expr_doc(out, cur_doc, self.texts())?;
                // Releases before 9.1 may split one block into several.
                out.docs.extend(self.get_docs()?);
                cur_doc = out.docs.len().checked_sub(1);
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
                reject_expr_doc(out, cur_doc, self.texts())?;
                if expr.len() != 1 {
                    return Err(QapiError::sem(&info, self.texts().invalid_include()));
                }
                let Some(name) = include.as_str() else {
                    return Err(QapiError::sem(&info, self.texts().include_not_str()));
                };
                let incl_fname = paths::join(paths::dirname(&self.file), name);
                let mut d = Dict::default();
                d.insert("include", Value::str(incl_fname.clone(), include.span));
                out.exprs.push(Expression {
                    expr: d,
                    info: info.clone(),
                    doc: None,
                });
                self.include(name, &info, &incl_fname, out, included)?;
            } else if let Some(pragma) = expr.get("pragma") {
                reject_expr_doc(out, cur_doc, self.texts())?;
                if expr.len() != 1 {
                    return Err(QapiError::sem(&info, self.texts().invalid_pragma()));
                }
                let Some(pragma) = pragma.as_dict() else {
                    return Err(QapiError::sem(&info, self.texts().pragma_not_dict()));
                };
                for (name, value) in pragma.iter() {
                    apply_pragma(&mut out.pragma, name, value, &info, self.dialect).map_err(
                        |mut e| {
                            e.msg = self.texts().pragma_error(e.msg);
                            e
                        },
                    )?;
                }
            } else {
                if let Some(d) = cur_doc.and_then(|i| out.docs.get(i)) {
                    if d.symbol.is_none() {
                        return Err(QapiError::sem(&d.info, self.texts().doc_without_symbol()));
                    }
                }
                out.exprs.push(Expression {
                    expr,
                    info,
                    doc: cur_doc,
                });
            }
            cur_doc = None;
        }
        reject_expr_doc(out, cur_doc, self.texts())
    }

    fn include(
        &self,
        name: &str,
        info: &Info,
        incl_fname: &str,
        out: &mut ParsedSchema,
        included: &mut HashSet<String>,
    ) -> Result<()> {
        let incl_abs = paths::abspath(incl_fname);
        if info.chain().any(|i| paths::abspath(&i.file) == incl_abs) {
            return Err(QapiError::sem(info, self.texts().inclusion_loop(name)));
        }
        if included.contains(&incl_abs) {
            return Ok(());
        }
        included.insert(incl_abs);
        let file: Arc<str> = Arc::from(incl_fname);
        let parent = Some(info.clone());
        if let Some(lexed) = self.prefetch.and_then(|p| p.take(incl_fname)) {
            return FileParser::new(
                &lexed.text,
                lexed.toks,
                file,
                parent,
                self.dialect,
                self.prefetch,
            )
            .parse(out, included);
        }
        let src = paths::read_source(incl_fname).map_err(|e| {
            QapiError::sem(info, self.texts().unreadable_include(incl_fname, &e.text()))
        })?;
        let src = src.into_text(&file, parent.clone())?;
        if let Some(p) = self.prefetch {
            p.enqueue_includes(incl_fname, &src);
        }
        let toks = tokenize(&src, self.dialect.full_escapes);
        FileParser::new(&src, toks, file, parent, self.dialect, self.prefetch).parse(out, included)
    }
}

/// A doc block naming a definition must be followed by that definition.
fn reject_expr_doc(out: &ParsedSchema, doc: Option<usize>, texts: Texts) -> Result<()> {
    if let Some(d) = doc.and_then(|i| out.docs.get(i)) {
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

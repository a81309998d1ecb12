//! Doc-comment blocks as releases up to 8.2 read them (parser generations
//! 1 to 4): each line is fed to a state machine whose state is the section
//! being written and, from 4.1, a mode (body, member descriptions, feature
//! descriptions, other sections). Every error is reported at the line
//! being read.

use super::docs::is_py_space;
use super::FileParser;
use crate::dialect::{DocMessages, DocParser};
use crate::doc::{Doc, DocRules, SectionKind};
use crate::error::Result;
use crate::lexer::TokKind;

/// What the next line of a definition block may start (from 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Args,
    Features,
    Various,
}

/// The first space-separated word of a line, as `str.split(' ', 1)[0]`.
fn first_word(line: &str) -> &str {
    line.split(' ').next().unwrap_or("")
}

/// A word `@NAME:` (generations 1 to 3).
fn is_name_word(word: &str) -> bool {
    word.len() >= 2 && word.starts_with('@') && word.ends_with(':')
}

/// A section tag word (generations 1 to 3).
fn is_tag_word(word: &str) -> bool {
    matches!(
        word,
        "Returns:" | "Since:" | "Note:" | "Notes:" | "Example:" | "Examples:" | "TODO:"
    )
}

/// Generation 4's `@([^:]*): *`: the name and where the text starts.
fn match_at_name_colon(line: &str) -> Option<(&str, usize)> {
    let rest = line.strip_prefix('@')?;
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    Some((&rest[..colon], 1 + colon + 1 + spaces))
}

/// Generation 4's `(Returns|Since|Notes?|Examples?|TODO): *`.
fn match_tag(line: &str) -> Option<(&'static str, usize)> {
    const TAGS: [&str; 7] = [
        "Returns", "Since", "Notes", "Note", "Examples", "Example", "TODO",
    ];
    TAGS.iter().find_map(|&tag| {
        let after = line.strip_prefix(tag)?.strip_prefix(':')?;
        let spaces = after.len() - after.trim_start_matches(' ').len();
        Some((tag, tag.len() + 1 + spaces))
    })
}

/// The end of `@\S*:\s*` (or `\S*:\s*` without the `@`) at the start of
/// `line`, whose first word ends with `:`: in characters and in bytes.
fn header_end(line: &str) -> (usize, usize) {
    let word = line
        .find(|c: char| is_py_space(c))
        .map_or(line, |i| &line[..i]);
    // The greedy `\S*` stops at the last colon of the first word.
    let colon = word.rfind(':').map_or(0, |i| i + 1);
    let rest = &line[colon..];
    let ws = rest.len() - rest.trim_start_matches(is_py_space).len();
    let bytes = colon + ws;
    (line[..bytes].chars().count(), bytes)
}

/// `(@\S+:)` at the start of a line: what free-form text may not contain.
fn free_form_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('@')?;
    let run = rest
        .find(|c: char| is_py_space(c))
        .map_or(rest, |i| &rest[..i]);
    let colon = run.rfind(':').filter(|&i| i > 0)?;
    Some(&line[..colon + 2])
}

/// Drops the first `n` characters.
fn skip_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or("", |(i, _)| &s[i..])
}

fn leading_spaces(s: &str) -> usize {
    s.chars().take_while(|&c| is_py_space(c)).count()
}

/// A block being read.
struct Builder {
    doc: Doc,
    gen: DocParser,
    msgs: DocMessages,
    mode: Mode,
    /// The section lines go to; `None` once the block is over.
    cur: Option<usize>,
    /// Characters to remove from the start of the current section's lines
    /// (generation 3 and 4); `None` while generation 4 has not fixed it.
    indent: Option<usize>,
}

type Msg = String;

impl Builder {
    fn new(doc: Doc, rules: DocRules) -> Self {
        Builder {
            doc,
            gen: rules.parser,
            msgs: rules.messages,
            mode: Mode::Body,
            cur: Some(0),
            indent: Some(0),
        }
    }

    fn caps(&self, lower: &str, upper: &str) -> String {
        if self.msgs == DocMessages::Capitalised {
            upper.to_owned()
        } else {
            lower.to_owned()
        }
    }

    fn cur_text(&self) -> &str {
        self.cur
            .and_then(|i| self.doc.all_sections.get(i))
            .map_or("", |s| s.text.as_str())
    }

    fn cur_kind(&self) -> Option<SectionKind> {
        self.cur
            .and_then(|i| self.doc.all_sections.get(i))
            .map(|s| s.kind)
    }

    /// Whether the current section describes a member or feature.
    fn in_description(&self) -> bool {
        matches!(
            self.cur_kind(),
            Some(SectionKind::Member | SectionKind::Feature)
        )
    }

    /// A comment line of the block, with its `#`.
    fn append(&mut self, val: &str) -> std::result::Result<(), Msg> {
        let line = val.get(1..).unwrap_or("");
        if line.is_empty() {
            return self.append_freeform("");
        }
        let Some(line) = line.strip_prefix(' ') else {
            return Err(self.caps("missing space after #", "Missing space after #"));
        };
        if self.gen == DocParser::V1 {
            return self.append_v1(line);
        }
        match self.mode {
            Mode::Body => self.body_line(line),
            Mode::Args => self.described_line(line, SectionKind::Member),
            Mode::Features => self.described_line(line, SectionKind::Feature),
            Mode::Various => self.various_line(line),
        }
    }

    /// Whether `line` is the symbol line of a definition block.
    fn symbol_line(&mut self, line: &str) -> Option<std::result::Result<(), Msg>> {
        if self.doc.symbol.is_some() || !self.doc.body().text.is_empty() || !line.starts_with('@') {
            return None;
        }
        let Some(symbol) = line.strip_suffix(':') else {
            return Some(Err(
                self.caps("line should end with ':'", "Line should end with :")
            ));
        };
        let symbol = &symbol[1..];
        if symbol.is_empty() {
            return Some(Err(match self.msgs {
                DocMessages::Capitalised => "Invalid name".to_owned(),
                DocMessages::Lower => "invalid name".to_owned(),
                DocMessages::NameRequired => "name required after '@'".to_owned(),
            }));
        }
        self.doc.symbol = Some(symbol.to_owned());
        Some(Ok(()))
    }

    fn append_v1(&mut self, line: &str) -> std::result::Result<(), Msg> {
        if self.doc.symbol.is_none() {
            if let Some(r) = self.symbol_line(line) {
                return r;
            }
            return self.append_freeform(line);
        }
        let word = first_word(line);
        let mut rest = line;
        if is_name_word(word) {
            rest = line.get(word.len() + 1..).unwrap_or("");
            self.start_description(&word[1..word.len() - 1], SectionKind::Member, 0)?;
        } else if is_tag_word(word) {
            rest = line.get(word.len() + 1..).unwrap_or("");
            self.start_section(Some(&word[..word.len() - 1]), 0)?;
        }
        self.append_freeform(rest)
    }

    fn body_line(&mut self, line: &str) -> std::result::Result<(), Msg> {
        if let Some(r) = self.symbol_line(line) {
            return r;
        }
        let stripped = self.strip_if_v2(line);
        if self.doc.symbol.is_none() {
            return self.append_freeform(&stripped);
        }
        if self.name_line(line) {
            self.mode = Mode::Args;
            self.described_line(line, SectionKind::Member)
        } else if line == "Features:" {
            self.mode = Mode::Features;
            Ok(())
        } else if self.tag_line(line) {
            self.mode = Mode::Various;
            self.various_line(line)
        } else {
            self.append_freeform(&stripped)
        }
    }

    fn name_line(&self, line: &str) -> bool {
        if self.gen == DocParser::V4 {
            match_at_name_colon(line).is_some()
        } else {
            is_name_word(first_word(line))
        }
    }

    fn tag_line(&self, line: &str) -> bool {
        if self.gen == DocParser::V4 {
            match_tag(line).is_some()
        } else {
            is_tag_word(first_word(line))
        }
    }

    /// Generation 2 strips lines outside example sections.
    fn strip_if_v2(&self, line: &str) -> String {
        if self.gen == DocParser::V2 {
            line.trim_matches(is_py_space).to_owned()
        } else {
            line.to_owned()
        }
    }

    /// A line in member (`kind` Member) or feature description mode.
    fn described_line(&mut self, line: &str, kind: SectionKind) -> std::result::Result<(), Msg> {
        if self.gen == DocParser::V4 {
            if let Some((name, text_at)) = match_at_name_colon(line) {
                let name = name.to_owned();
                self.start_description(&name, kind, 0)?;
                return self.append_freeform(&line[text_at..]);
            }
        } else {
            let word = first_word(line);
            if is_name_word(word) {
                let name = &word[1..word.len() - 1];
                if self.gen == DocParser::V2 {
                    let rest = line.get(word.len() + 1..).unwrap_or("");
                    self.start_description(name, kind, 0)?;
                    return self.append_freeform(rest.trim_matches(is_py_space));
                }
                let (indent, end) = header_end(line);
                let rest = &line[end..];
                if rest.is_empty() {
                    self.start_description(name, kind, 0)?;
                    return self.append_freeform("");
                }
                self.start_description(name, kind, indent)?;
                let padded = format!("{}{rest}", " ".repeat(indent));
                return self.append_freeform(&padded);
            }
        }
        if self.tag_line(line) {
            self.mode = Mode::Various;
            return self.various_line(line);
        }
        let starts_paragraph = self.cur_text().ends_with("\n\n")
            && line.chars().next().is_some_and(|c| !is_py_space(c));
        if starts_paragraph {
            if kind == SectionKind::Member && line == "Features:" {
                self.mode = Mode::Features;
            } else {
                self.start_section(None, 0)?;
                self.mode = Mode::Various;
                self.various_line(line)?;
            }
            return Ok(());
        }
        let line = self.strip_if_v2(line);
        self.append_freeform(&line)
    }

    fn various_line(&mut self, line: &str) -> std::result::Result<(), Msg> {
        let mut line = line.to_owned();
        if self.gen == DocParser::V4 {
            if let Some((name, _)) = match_at_name_colon(&line) {
                return Err(format!("description of '@{name}:' follows a section"));
            }
            if let Some((tag, text_at)) = match_tag(&line) {
                line = line[text_at..].to_owned();
                self.start_section(Some(tag), 0)?;
            }
            return self.append_freeform(&line);
        }
        let word = first_word(&line).to_owned();
        if is_name_word(&word) {
            let first = self.first_section_name();
            return Err(format!("'{word}' can't follow '{first}' section"));
        }
        if is_tag_word(&word) {
            let tag = &word[..word.len() - 1];
            if self.gen == DocParser::V2 {
                line = line.get(word.len() + 1..).unwrap_or("").to_owned();
                self.start_section(Some(tag), 0)?;
            } else {
                let (indent, end) = header_end(&line);
                let rest = &line[end..];
                if rest.is_empty() {
                    line = String::new();
                    self.start_section(Some(tag), 0)?;
                } else {
                    line = format!("{}{rest}", " ".repeat(indent));
                    self.start_section(Some(tag), indent)?;
                }
            }
        }
        if self.gen == DocParser::V2 && !self.in_example() {
            line = line.trim_matches(is_py_space).to_owned();
        }
        self.append_freeform(&line)
    }

    fn in_example(&self) -> bool {
        matches!(
            self.cur_kind(),
            Some(SectionKind::Example | SectionKind::Examples)
        )
    }

    /// The name of the first section after the descriptions, as Python
    /// prints it (`None` when untagged).
    fn first_section_name(&self) -> String {
        self.doc
            .sections()
            .next()
            .map_or_else(|| "None".to_owned(), |s| legacy_name(s.kind))
    }

    fn start_description(
        &mut self,
        name: &str,
        kind: SectionKind,
        indent: usize,
    ) -> std::result::Result<(), Msg> {
        if name.is_empty() {
            return Err(self.caps("invalid parameter name", "Invalid parameter name"));
        }
        let dup = match kind {
            SectionKind::Feature => self.doc.feature(name).is_some(),
            _ => self.doc.arg(name).is_some(),
        };
        if dup {
            return Err(format!("'{name}' parameter name duplicated"));
        }
        if self.gen == DocParser::V1 && self.doc.sections().next().is_some() {
            let first = self.first_section_name();
            return Err(format!("'@{name}:' can't follow '{first}' section"));
        }
        self.end_section()?;
        let info = self.doc.info.clone();
        self.doc.push_section(info, kind, Some(name.to_owned()));
        self.cur = Some(self.doc.all_sections.len() - 1);
        self.indent = self.initial_indent(true, indent);
        Ok(())
    }

    /// `None` (untagged) or a tag such as `Returns`.
    fn start_section(&mut self, tag: Option<&str>, indent: usize) -> std::result::Result<(), Msg> {
        let kind = match tag {
            None => SectionKind::Plain,
            Some(t) => SectionKind::from_tag(t).unwrap_or(SectionKind::Todo),
        };
        if matches!(kind, SectionKind::Returns | SectionKind::Since)
            && self.doc.sections().any(|s| s.kind == kind)
        {
            let tag = tag.unwrap_or_default();
            return Err(self.caps(
                &format!("duplicated '{tag}' section"),
                &format!("Duplicated '{tag}' section"),
            ));
        }
        self.end_section()?;
        let info = self.doc.info.clone();
        self.doc.push_section(info, kind, None);
        self.cur = Some(self.doc.all_sections.len() - 1);
        self.indent = self.initial_indent(tag.is_some(), indent);
        Ok(())
    }

    fn initial_indent(&self, named: bool, indent: usize) -> Option<usize> {
        match self.gen {
            DocParser::V3 => Some(indent),
            DocParser::V4 if named => None,
            _ => Some(0),
        }
    }

    /// Strips the current section's text; a named section must have some.
    fn end_section(&mut self) -> std::result::Result<(), Msg> {
        let gen = self.gen;
        let Some(s) = self
            .cur
            .take()
            .and_then(|i| self.doc.all_sections.get_mut(i))
        else {
            return Ok(());
        };
        let text = if gen == DocParser::V4 {
            s.text.trim_matches('\n')
        } else {
            s.text.trim_matches(is_py_space)
        };
        if text.len() != s.text.len() {
            s.text = text.to_owned();
        }
        if s.text.is_empty() && s.kind != SectionKind::Plain {
            let name = match s.kind {
                SectionKind::Member | SectionKind::Feature => s.name.clone().unwrap_or_default(),
                k => legacy_name(k),
            };
            return Err(self.caps(
                &format!("empty doc section '{name}'"),
                &format!("Empty doc section '{name}'"),
            ));
        }
        Ok(())
    }

    fn append_freeform(&mut self, line: &str) -> std::result::Result<(), Msg> {
        let mut line = line.to_owned();
        if self.gen == DocParser::V1 {
            let in_arg = self.in_description();
            if in_arg
                && self.cur_text().ends_with("\n\n")
                && line.chars().next().is_some_and(|c| !is_py_space(c))
            {
                self.start_section(None, 0)?;
            }
            if in_arg || !self.in_example() {
                line = line.trim_matches(is_py_space).to_owned();
            }
        }
        if let Some(name) = free_form_name(&line) {
            return Err(format!("'{name}' not allowed in free-form documentation"));
        }
        self.section_append(&line)
    }

    fn section_append(&mut self, line: &str) -> std::result::Result<(), Msg> {
        let gen = self.gen;
        let Some(s) = self.cur.and_then(|i| self.doc.all_sections.get_mut(i)) else {
            return Ok(());
        };
        let mut line = line;
        match gen {
            DocParser::V3 if !line.is_empty() => {
                let want = self.indent.unwrap_or(0);
                if leading_spaces(line) < want {
                    return Err(format!(
                        "unexpected de-indent (expected at least {want} spaces)"
                    ));
                }
                line = skip_chars(line, want);
            }
            DocParser::V4 => {
                line = line.trim_end_matches(is_py_space);
                if !line.is_empty() {
                    let indent = leading_spaces(line);
                    match self.indent {
                        None if !s.text.is_empty() => self.indent = Some(indent),
                        Some(want) if indent < want => {
                            return Err(format!(
                                "unexpected de-indent (expected at least {want} spaces)"
                            ));
                        }
                        _ => {}
                    }
                    if let Some(n) = self.indent {
                        line = skip_chars(line, n);
                    }
                }
            }
            _ => {}
        }
        s.text.push_str(line.trim_end_matches(is_py_space));
        s.text.push('\n');
        Ok(())
    }
}

/// A section's name as releases up to 8.2 have it.
pub(crate) fn legacy_name(kind: SectionKind) -> String {
    match kind {
        SectionKind::Plain => "None".to_owned(),
        SectionKind::Todo => "TODO".to_owned(),
        k => k.to_string(),
    }
}

impl FileParser<'_, '_> {
    fn legacy_err(&mut self, msgs: DocMessages, lower: &str, upper: &str) -> crate::QapiError {
        if msgs == DocMessages::Capitalised {
            self.error(upper)
        } else {
            self.error(lower)
        }
    }

    /// A doc block as releases up to 8.2 read it, the current token being
    /// its opening `##`. From 5.2, `# =` lines split a free-form block.
    pub(super) fn get_docs_legacy(&mut self, rules: DocRules) -> Result<Vec<Doc>> {
        let msgs = rules.messages;
        if self.tok.map(|t| self.text(t)) != Some("##") {
            return Err(self.legacy_err(
                msgs,
                "junk after '##' at start of documentation comment",
                "Junk after '##' at start of documentation comment",
            ));
        }
        let info = self.info();
        let splits = matches!(rules.parser, DocParser::V3 | DocParser::V4);
        let mut docs = Vec::new();
        let mut cur = Builder::new(Doc::with_rules(info.clone(), None, rules), rules);
        self.accept(false)?;
        while let Some(t) = self.tok.filter(|t| t.kind == TokKind::Comment) {
            let val = self.text(t);
            if val.starts_with("##") {
                if val != "##" {
                    return Err(self.legacy_err(
                        msgs,
                        "junk after '##' at end of documentation comment",
                        "Junk after '##' at end of documentation comment",
                    ));
                }
                if let Err(m) = cur.end_section() {
                    return Err(self.error(m));
                }
                docs.push(cur.doc);
                self.accept(true)?;
                return Ok(docs);
            }
            if splits && val.starts_with("# =") {
                if cur.doc.symbol.is_some() {
                    return Err(self.error("unexpected '=' markup in definition documentation"));
                }
                if !cur.doc.body().text.is_empty() {
                    if let Err(m) = cur.end_section() {
                        return Err(self.error(m));
                    }
                    let next = Builder::new(Doc::with_rules(info.clone(), None, rules), rules);
                    docs.push(std::mem::replace(&mut cur, next).doc);
                }
            }
            if let Err(m) = cur.append(val) {
                return Err(self.error(m));
            }
            self.accept(false)?;
        }
        Err(self.legacy_err(
            msgs,
            "documentation comment must end with '##'",
            "Documentation comment must end with '##'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_end_counts_characters() {
        assert_eq!(header_end("@a:  text"), (5, 5));
        assert_eq!(header_end("@a:b: x"), (6, 6));
        assert_eq!(header_end("@é: x"), (4, 5));
        assert_eq!(header_end("Returns:"), (8, 8));
    }

    #[test]
    fn free_form_names() {
        assert_eq!(free_form_name("@a: x"), Some("@a:"));
        assert_eq!(free_form_name("@a:b:c x"), Some("@a:b:"));
        assert_eq!(free_form_name("@: x"), None);
        assert_eq!(free_form_name("@::"), Some("@::"));
        assert_eq!(free_form_name(" @a:"), None);
    }

    #[test]
    fn v4_tags() {
        assert_eq!(match_tag("Returns:x"), Some(("Returns", 8)));
        assert_eq!(match_tag("Notes:  y"), Some(("Notes", 8)));
        assert_eq!(match_tag("Notesx:"), None);
        assert_eq!(match_at_name_colon("@a b: c"), Some(("a b", 6)));
    }
}

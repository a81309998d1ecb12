//! Doc-comment blocks: `##` ... `##`, split into the body, member and
//! feature descriptions and tagged sections, with QEMU's line rules.

use std::sync::OnceLock;

use regex::Regex;

use super::FileParser;
use crate::dialect::DocParser;
use crate::doc::{Doc, DocRules, SectionKind};
use crate::error::Result;
use crate::lexer::TokKind;

/// Python's `str.isspace()`.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Number of leading white-space characters.
fn indent_of(line: &str) -> usize {
    line.chars().take_while(|&c| is_py_space(c)).count()
}

/// Matches `@NAME: ` at the start of a line: the name and where the text
/// after it starts.
fn match_at_name_colon(line: &str) -> Option<(&str, usize)> {
    let rest = line.strip_prefix('@')?;
    let colon = rest.find(':')?;
    let name = &rest[..colon];
    let after = &rest[colon + 1..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    Some((name, 1 + colon + 1 + spaces))
}

/// Matches a tagged section's heading (`Returns:`, `Since: ...`), but not
/// rST's `Word::`: the tag and where the text after it starts.
fn match_tag(line: &str) -> Option<(&'static str, usize)> {
    const TAGS: [&str; 8] = [
        "Returns", "Errors", "Since", "Notes", "Note", "Examples", "Example", "TODO",
    ];
    TAGS.iter().find_map(|&tag| {
        let rest = line.strip_prefix(tag)?;
        if rest.starts_with("::") || !rest.starts_with(':') {
            return None;
        }
        let after = &rest[1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        Some((tag, tag.len() + 1 + spaces))
    })
}

/// Whether `.`, `!` or `?` is followed by one space and then a capital,
/// a digit or `(` somewhere: the only lines the sentence-spacing rule can
/// reject (its error needs the regex's `([.!?]) [A-Z0-9(]` branch). Most
/// lines with a full stop follow it with two spaces, and skip the regex.
fn has_stop_then_space(line: &str) -> bool {
    line.as_bytes().windows(3).any(|w| {
        w[1] == b' '
            && matches!(w[0], b'.' | b'!' | b'?')
            && matches!(w[2], b'A'..=b'Z' | b'0'..=b'9' | b'(')
    })
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are fixed strings of this module, known to compile.
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

fn literal_start_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"^(\.\. +qmp-example)? *::$")
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"^ *(https?|ftp)://[^ ]*$")
}

fn single_space_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"(\be\.g\.|^ *\d\.|([.!?])) [A-Z0-9(]")
}

impl<'s> FileParser<'s, '_> {
    /// The current doc line without its `# ` and trailing space; `None` at
    /// the closing `##`. Borrowed from the source: the block's sections
    /// copy what they keep.
    fn get_doc_line(&mut self) -> Result<Option<&'s str>> {
        let t = match self.tok {
            Some(t) if t.kind == TokKind::Comment => t,
            _ => return Err(self.error("documentation comment must end with '##'")),
        };
        let val = self.text(t);
        if val.starts_with("##") {
            if val != "##" {
                return Err(self.error("junk after '##' at end of documentation comment"));
            }
            self.literal_mode = false;
            return Ok(None);
        }
        if val == "#" {
            return Ok(Some(""));
        }
        if !val[1..].starts_with(' ') {
            return Err(self.error("missing space after #"));
        }
        let line = val[2..].trim_end_matches(is_py_space);
        if line.ends_with("::") && literal_start_re().is_match(line) {
            self.literal_mode = true;
            self.literal_indent = 0;
        } else if self.literal_mode && !line.is_empty() {
            let indent = indent_of(line);
            if self.literal_indent == 0 {
                self.literal_indent = indent;
            } else if indent < self.literal_indent {
                // rST directives end where the indentation decreases.
                self.literal_mode = false;
            }
        }
        if !self.literal_mode {
            self.validate_doc_line(line)?;
        }
        Ok(Some(line))
    }

    /// Line length and sentence spacing, outside literal blocks.
    fn validate_doc_line(&mut self, line: &str) -> Result<()> {
        if !matches!(
            self.dialect.doc_parser,
            DocParser::V5 {
                line_rules: true,
                ..
            }
        ) {
            return Ok(());
        }
        // Bytes bound characters from above: count only long lines.
        if line.len() + 2 > 70 && line.chars().count() + 2 > 70 && !url_re().is_match(line) {
            return Err(self.error("documentation line longer than 70 characters"));
        }
        if !has_stop_then_space(line) {
            return Ok(());
        }
        for caps in single_space_re().captures_iter(line) {
            let Some(stop) = caps.get(2) else { continue };
            // Point at the space after the full stop, counting characters
            // from the start of the line as QEMU does.
            let n = 2 + line[..stop.start()].chars().count() + 1;
            let rest = self.src.get(self.line_pos..).unwrap_or("");
            let end = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
            let col = super::column(&rest[..end]);
            return Err(crate::error::QapiError::parse(
                &self.info(),
                col,
                "Use two spaces between sentences\n\
                 If this not the end of a sentence, please report a bug.",
            ));
        }
        Ok(())
    }

    fn next_doc_line(&mut self) -> Result<Option<&'s str>> {
        self.accept(false)?;
        self.get_doc_line()
    }

    /// The rest of an indented description: continuation lines must be
    /// indented like the first one that is.
    fn get_doc_indented(&mut self, doc: &mut Doc) -> Result<Option<&'s str>> {
        let mut line = self.next_doc_line()?;
        while line == Some("") {
            doc.append_line("");
            line = self.next_doc_line()?;
        }
        let Some(first) = line else { return Ok(None) };
        let indent = indent_of(first);
        if indent == 0 {
            return Ok(Some(first));
        }
        doc.append_line(first);
        let mut prev_line_blank = false;
        loop {
            let Some(line) = self.next_doc_line()? else {
                return Ok(None);
            };
            if match_at_name_colon(line).is_some() {
                return Ok(Some(line));
            }
            let cur_indent = indent_of(line);
            if !line.is_empty() && cur_indent < indent {
                if prev_line_blank {
                    return Ok(Some(line));
                }
                return Err(self.error(format!(
                    "unexpected de-indent (expected at least {indent} spaces)"
                )));
            }
            doc.append_line(line);
            // QEMU sets this after the first continuation line, blank or not.
            prev_line_blank = true;
        }
    }

    /// The rest of a paragraph, up to a blank line or the end.
    fn get_doc_paragraph(&mut self, doc: &mut Doc) -> Result<Option<&'s str>> {
        loop {
            let line = self.next_doc_line()?;
            match line {
                None | Some("") => return Ok(line),
                Some(l) => doc.append_line(l),
            }
        }
    }

    /// Descriptions `@name: text` for as long as they follow each other.
    fn get_descriptions(
        &mut self,
        doc: &mut Doc,
        mut line: Option<&'s str>,
        kind: SectionKind,
    ) -> Result<Option<&'s str>> {
        while let Some(l) = line.take() {
            let Some((name, text_at)) = match_at_name_colon(l) else {
                return Ok(Some(l));
            };
            let info = self.info();
            match kind {
                SectionKind::Feature => doc.new_feature(&info, name)?,
                _ => doc.new_argument(&info, name)?,
            }
            let text = &l[text_at..];
            if !text.is_empty() {
                doc.append_line(text);
            }
            line = self.get_doc_indented(doc)?;
        }
        Ok(None)
    }

    /// The doc blocks of a `##` comment (several when a release splits it),
    /// the current token being its opening `##`.
    pub(super) fn get_docs(&mut self) -> Result<Vec<Doc>> {
        let rules = DocRules::of(self.dialect);
        match rules.parser {
            DocParser::V5 { .. } => Ok(vec![self.get_doc(rules)?]),
            _ => self.get_docs_legacy(rules),
        }
    }

    /// Whether `=` heading lines are checked (9.1 to 10.0).
    fn eq_rules(&self) -> bool {
        matches!(
            self.dialect.doc_parser,
            DocParser::V5 { eq_rules: true, .. }
        )
    }

    /// A doc block, the current token being its opening `##`.
    fn get_doc(&mut self, rules: DocRules) -> Result<Doc> {
        if self.tok.map(|t| self.text(t)) != Some("##") {
            return Err(self.error("junk after '##' at start of documentation comment"));
        }
        let info = self.info();
        let mut line = self.next_doc_line()?;
        let mut doc;
        match line {
            Some(l) if l.starts_with('@') => {
                if !l.ends_with(':') {
                    return Err(self.error("line should end with ':'"));
                }
                let symbol = &l[1..l.len() - 1];
                if symbol.is_empty() {
                    return Err(self.error("name required after '@'"));
                }
                doc = Doc::with_rules(info, Some(symbol.to_owned()), rules);
                line = self.next_doc_line()?;
                let mut no_more_args = false;
                while line.is_some() {
                    while line == Some("") {
                        line = self.next_doc_line()?;
                    }
                    let Some(l) = line.take() else { break };
                    if l == "Features:" {
                        if doc.has_features() {
                            return Err(self.error("duplicated 'Features:' line"));
                        }
                        line = self.next_doc_line()?;
                        while line == Some("") {
                            line = self.next_doc_line()?;
                        }
                        line = self.get_descriptions(&mut doc, line, SectionKind::Feature)?;
                        if !doc.has_features() {
                            return Err(self.error("feature descriptions expected"));
                        }
                        no_more_args = true;
                    } else if let Some((name, _)) = match_at_name_colon(l) {
                        if no_more_args {
                            return Err(
                                self.error(format!("description of '@{name}:' follows a section"))
                            );
                        }
                        line = self.get_descriptions(&mut doc, Some(l), SectionKind::Member)?;
                        no_more_args = true;
                    } else if let Some((tag, text_at)) = match_tag(l) {
                        if tag.contains("Note") {
                            return Err(self.error(format!(
                                "The '{tag}' section is no longer supported. Please use \
                                 rST's '.. note::' or '.. admonition:: notes' directives, \
                                 or another suitable admonition instead."
                            )));
                        }
                        if tag.contains("Example") {
                            return Err(self.error(format!(
                                "The '{tag}' section is no longer supported. Please use \
                                 the '.. qmp-example::' directive, or other suitable \
                                 markup instead."
                            )));
                        }
                        let kind = SectionKind::from_tag(tag).unwrap_or(SectionKind::Todo);
                        let info = self.info();
                        doc.new_tagged_section(&info, kind)?;
                        let text = &l[text_at..];
                        if !text.is_empty() {
                            doc.append_line(text);
                        }
                        line = self.get_doc_indented(&mut doc)?;
                        no_more_args = true;
                    } else if l.starts_with('=') && self.eq_rules() {
                        return Err(self.error("unexpected '=' markup in definition documentation"));
                    } else {
                        let info = self.info();
                        doc.ensure_untagged_section(&info);
                        doc.append_line(l);
                        line = self.get_doc_paragraph(&mut doc)?;
                    }
                }
            }
            _ => {
                doc = Doc::with_rules(info, None, rules);
                let info = self.info();
                doc.ensure_untagged_section(&info);
                let mut first = true;
                while let Some(l) = line {
                    if let Some((name, _)) = match_at_name_colon(l) {
                        return Err(self
                            .error(format!("'@{name}:' not allowed in free-form documentation")));
                    }
                    if l.starts_with('=') && !first && self.eq_rules() {
                        return Err(self.error("'=' heading must come first in a comment block"));
                    }
                    doc.append_line(l);
                    line = self.next_doc_line()?;
                    first = false;
                }
            }
        }
        self.accept(true)?;
        doc.end()?;
        Ok(doc)
    }
}

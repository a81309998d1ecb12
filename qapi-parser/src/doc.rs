//! Documentation comment blocks: a definition's docs (body, member and
//! feature descriptions, tagged sections) or a free-form block.

use std::fmt;

use crate::ast::Dict;
use crate::dialect::{DocCheck, DocMessages, DocParser};
use crate::error::{QapiError, Result};
use crate::source::{Info, Pragma};
use crate::Dialect;

/// The doc rules of a release that a block keeps, so that checking and
/// rendering it follow the release that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocRules {
    pub parser: DocParser,
    pub messages: DocMessages,
    pub check: DocCheck,
}

impl DocRules {
    pub fn of(dialect: &Dialect) -> Self {
        DocRules {
            parser: dialect.doc_parser,
            messages: dialect.doc_messages,
            check: dialect.doc_check,
        }
    }
}

impl Default for DocRules {
    fn default() -> Self {
        DocRules::of(&Dialect::newest())
    }
}

/// What a section documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// Untagged text (the body, and paragraphs after the descriptions).
    Plain,
    /// A member or argument description (`@name: ...`).
    Member,
    /// A feature description (`@name: ...` after `Features:`).
    Feature,
    Returns,
    Errors,
    Since,
    Todo,
    /// Up to 8.2: `Note:` and its plural.
    Note,
    Notes,
    /// Up to 8.2: `Example:` and its plural.
    Example,
    Examples,
}

impl SectionKind {
    /// The tag of a tagged section as written (`Returns`, ..., `TODO`).
    pub fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "Returns" => SectionKind::Returns,
            "Errors" => SectionKind::Errors,
            "Since" => SectionKind::Since,
            "TODO" => SectionKind::Todo,
            "Note" => SectionKind::Note,
            "Notes" => SectionKind::Notes,
            "Example" => SectionKind::Example,
            "Examples" => SectionKind::Examples,
            _ => return None,
        })
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SectionKind::Plain => "Plain",
            SectionKind::Member => "Member",
            SectionKind::Feature => "Feature",
            SectionKind::Returns => "Returns",
            SectionKind::Errors => "Errors",
            SectionKind::Since => "Since",
            SectionKind::Todo => "Todo",
            SectionKind::Note => "Note",
            SectionKind::Notes => "Notes",
            SectionKind::Example => "Example",
            SectionKind::Examples => "Examples",
        })
    }
}

/// One section of a doc block.
#[derive(Debug, Clone)]
pub struct Section {
    /// Where the section begins.
    pub info: Info,
    pub kind: SectionKind,
    /// The text without its tag, lines joined with `\n`, without leading or
    /// trailing blank lines.
    pub text: String,
    /// For member and feature descriptions: the name described.
    pub name: Option<String>,
    /// For member and feature descriptions: whether the schema has what is
    /// described (set while the schema is checked).
    pub connected: bool,
    /// A description QEMU inserts for a member the block does not describe
    /// (allowed by the `documentation-exceptions` pragma).
    pub stub: bool,
}

impl Section {
    fn new(info: Info, kind: SectionKind, name: Option<String>) -> Self {
        Section {
            info,
            kind,
            text: String::new(),
            name,
            connected: false,
            stub: false,
        }
    }

    fn append_line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// A documentation block.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The block's first line (`##`).
    pub info: Info,
    /// The definition documented; `None` for free-form documentation.
    pub symbol: Option<String>,
    /// Every section in textual order. The first is the body, always
    /// present, possibly empty.
    pub all_sections: Vec<Section>,
    /// The rules of the release that read the block.
    pub rules: DocRules,
}

impl Doc {
    pub fn new(info: Info, symbol: Option<String>) -> Self {
        Doc::with_rules(info, symbol, DocRules::default())
    }

    pub fn with_rules(info: Info, symbol: Option<String>, rules: DocRules) -> Self {
        let body = Section::new(info.clone(), SectionKind::Plain, None);
        Doc {
            info,
            symbol,
            all_sections: vec![body],
            rules,
        }
    }

    /// How QEMU's test harness names a section (`section=...`): up to 9.2
    /// by its tag, `None` when untagged; from 10.0 by its kind.
    pub fn section_title(&self, s: &Section) -> String {
        match self.rules.parser {
            DocParser::V5 {
                kind_titles: true, ..
            } => s.kind.to_string(),
            _ => match s.kind {
                SectionKind::Plain => "None".to_owned(),
                SectionKind::Todo => "TODO".to_owned(),
                k => k.to_string(),
            },
        }
    }

    /// The body section.
    pub fn body(&self) -> &Section {
        &self.all_sections[0]
    }

    /// Member/argument descriptions, in the order they were written (stubs
    /// for undocumented members last).
    pub fn args(&self) -> impl Iterator<Item = &Section> {
        self.described(SectionKind::Member)
    }

    /// Feature descriptions in the order they were written.
    pub fn features(&self) -> impl Iterator<Item = &Section> {
        self.described(SectionKind::Feature)
    }

    /// Sections other than the body and the descriptions, in textual order.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.all_sections[1..]
            .iter()
            .filter(|s| !matches!(s.kind, SectionKind::Member | SectionKind::Feature))
            .filter(|s| !s.stub)
    }

    pub fn returns(&self) -> Option<&Section> {
        self.tagged(SectionKind::Returns)
    }

    pub fn errors(&self) -> Option<&Section> {
        self.tagged(SectionKind::Errors)
    }

    pub fn since(&self) -> Option<&Section> {
        self.tagged(SectionKind::Since)
    }

    fn tagged(&self, kind: SectionKind) -> Option<&Section> {
        self.all_sections.iter().find(|s| s.kind == kind && !s.stub)
    }

    /// The description of a member or feature by name.
    pub fn arg(&self, name: &str) -> Option<&Section> {
        self.args().find(|s| s.name.as_deref() == Some(name))
    }

    pub fn feature(&self, name: &str) -> Option<&Section> {
        self.features().find(|s| s.name.as_deref() == Some(name))
    }

    fn described(&self, kind: SectionKind) -> impl Iterator<Item = &Section> {
        // QEMU keeps these in dicts ordered by insertion; stubs are inserted
        // last, whatever their place in the section list.
        let written = self
            .all_sections
            .iter()
            .filter(move |s| s.kind == kind && !s.stub);
        let stubs = self
            .all_sections
            .iter()
            .filter(move |s| s.kind == kind && s.stub);
        written.chain(stubs)
    }

    fn has_description(&self, kind: SectionKind, name: &str) -> bool {
        self.described(kind)
            .any(|s| s.name.as_deref() == Some(name))
    }

    // ---- building, used by the parser ----

    pub(crate) fn push_section(&mut self, info: Info, kind: SectionKind, name: Option<String>) {
        self.all_sections.push(Section::new(info, kind, name));
    }

    pub(crate) fn append_line(&mut self, line: &str) {
        if let Some(s) = self.all_sections.last_mut() {
            s.append_line(line);
        }
    }

    pub(crate) fn ensure_untagged_section(&mut self, info: &Info) {
        if let Some(last) = self.all_sections.last_mut() {
            if last.kind == SectionKind::Plain {
                let moves = !matches!(
                    self.rules.parser,
                    DocParser::V5 {
                        kind_titles: false,
                        ..
                    }
                );
                if last.text.is_empty() && moves {
                    // Empty so far: the section starts here (10.0+).
                    last.info = info.clone();
                }
                last.text.push('\n');
                return;
            }
        }
        self.all_sections
            .push(Section::new(info.clone(), SectionKind::Plain, None));
    }

    pub(crate) fn new_tagged_section(&mut self, info: &Info, kind: SectionKind) -> Result<()> {
        if matches!(
            kind,
            SectionKind::Returns | SectionKind::Errors | SectionKind::Since
        ) && self.tagged(kind).is_some()
        {
            return Err(QapiError::sem(info, format!("duplicated '{kind}' section")));
        }
        self.all_sections
            .push(Section::new(info.clone(), kind, None));
        Ok(())
    }

    fn new_description(&mut self, info: &Info, name: &str, kind: SectionKind) -> Result<()> {
        if name.is_empty() {
            return Err(QapiError::sem(info, "invalid parameter name"));
        }
        if self.has_description(kind, name) {
            return Err(QapiError::sem(
                info,
                format!("'{name}' parameter name duplicated"),
            ));
        }
        self.all_sections
            .push(Section::new(info.clone(), kind, Some(name.to_owned())));
        Ok(())
    }

    pub(crate) fn new_argument(&mut self, info: &Info, name: &str) -> Result<()> {
        self.new_description(info, name, SectionKind::Member)
    }

    pub(crate) fn new_feature(&mut self, info: &Info, name: &str) -> Result<()> {
        self.new_description(info, name, SectionKind::Feature)
    }

    pub(crate) fn has_features(&self) -> bool {
        self.features().next().is_some()
    }

    /// Finishes the block: strips blank lines around each section's text and
    /// rejects empty tagged sections.
    pub(crate) fn end(&mut self) -> Result<()> {
        for s in &mut self.all_sections {
            let t = s.text.trim_matches('\n');
            if t.len() != s.text.len() {
                s.text = t.to_owned();
            }
            if s.kind != SectionKind::Plain && s.text.is_empty() {
                let title = match (self.rules.parser, s.kind) {
                    (
                        DocParser::V5 {
                            kind_titles: true, ..
                        },
                        k,
                    ) => k.to_string(),
                    (_, SectionKind::Member | SectionKind::Feature) => {
                        format!("@{}", s.name.as_deref().unwrap_or_default())
                    }
                    (_, SectionKind::Todo) => "TODO".to_owned(),
                    (_, k) => k.to_string(),
                };
                return Err(QapiError::sem(
                    &s.info,
                    format!("text required after '{title}:'"),
                ));
            }
        }
        Ok(())
    }

    // ---- connecting to the schema, used by the checker ----

    /// Connects the description of a member (`role` is how QEMU names it
    /// in messages: `member`, `value`, ...). A member without description is
    /// an error unless the definition is exempted by pragma, in which case a
    /// stub description is inserted after the other member descriptions.
    pub fn connect_member(
        &mut self,
        name: &str,
        role: &str,
        member_info: &Info,
        pragma: &Pragma,
    ) -> Result<()> {
        // Every member of every definition comes here: one pass finds the
        // description to mark.
        if let Some(i) = self.find_description(SectionKind::Member, name) {
            self.all_sections[i].connected = true;
            return Ok(());
        }
        // Before 9.1 undocumented members pass silently.
        let outlawed = matches!(self.rules.check, DocCheck::AfterAll { .. });
        let exempt = !outlawed
            || self
                .symbol
                .as_ref()
                .is_some_and(|s| pragma.documentation_exceptions.iter().any(|e| e == s));
        if !exempt {
            return Err(QapiError::sem(
                member_info,
                format!("{role} '{name}' lacks documentation"),
            ));
        }
        let mut stub = Section::new(self.info.clone(), SectionKind::Member, Some(name.into()));
        stub.stub = true;
        // The only description of the name, so the one connected.
        stub.connected = true;
        let mut index = 1;
        while index < self.all_sections.len()
            && self.all_sections[index].kind == SectionKind::Member
        {
            index += 1;
        }
        self.all_sections.insert(index, stub);
        Ok(())
    }

    /// The description of `name` a dict lookup would find: the first one
    /// written, else the first stub.
    fn find_description(&self, kind: SectionKind, name: &str) -> Option<usize> {
        let mut stub = None;
        for (i, s) in self.all_sections.iter().enumerate() {
            if s.kind == kind && s.name.as_deref() == Some(name) {
                if !s.stub {
                    return Some(i);
                }
                stub = stub.or(Some(i));
            }
        }
        stub
    }

    pub fn connect_feature(&mut self, name: &str, feature_info: &Info) -> Result<()> {
        match self.find_description(SectionKind::Feature, name) {
            Some(i) => {
                self.all_sections[i].connected = true;
                Ok(())
            }
            None => Err(QapiError::sem(
                feature_info,
                format!("feature '{name}' lacks documentation"),
            )),
        }
    }

    /// Ensures a command that returns something has a `Returns` section in
    /// the section list, inserting an empty one where QEMU does (after the
    /// member descriptions, else before `Errors`, else before the features,
    /// else after the body).
    pub fn ensure_returns(&mut self, info: &Info) {
        if self
            .all_sections
            .iter()
            .any(|s| s.kind == SectionKind::Returns)
        {
            return;
        }
        let mut stub = Section::new(info.clone(), SectionKind::Returns, None);
        stub.stub = true;
        let near = |kind: SectionKind| self.all_sections.iter().rposition(|s| s.kind == kind);
        let pos = if let Some(p) = near(SectionKind::Member) {
            p + 1
        } else if let Some(p) = near(SectionKind::Errors) {
            p
        } else {
            near(SectionKind::Feature).unwrap_or(1)
        };
        self.all_sections.insert(pos, stub);
    }

    /// Checks the block against the expression it documents.
    pub fn check_expr(&self, expr: &Dict) -> Result<()> {
        if !matches!(self.rules.check, DocCheck::AfterAll { .. }) {
            if self.returns().is_some() && !expr.contains_key("command") {
                return Err(QapiError::sem(
                    &self.info,
                    "'Returns:' is only valid for commands",
                ));
            }
            return Ok(());
        }
        if expr.contains_key("command") {
            if let Some(r) = self.returns() {
                if !expr.contains_key("returns") {
                    return Err(QapiError::sem(
                        &r.info,
                        "'Returns' section, but command doesn't return anything",
                    ));
                }
            }
        } else {
            if let Some(r) = self.returns() {
                return Err(QapiError::sem(
                    &r.info,
                    "'Returns' section is only valid for commands",
                ));
            }
            if let Some(e) = self.errors() {
                return Err(QapiError::sem(
                    &e.info,
                    "'Errors' section is only valid for commands",
                ));
            }
        }
        Ok(())
    }

    /// Rejects descriptions of members and features the definition lacks.
    pub fn check(&self) -> Result<()> {
        match self.rules.check {
            DocCheck::Legacy => {
                let bogus: Vec<&str> = self
                    .args()
                    .filter(|s| !s.connected)
                    .filter_map(|s| s.name.as_deref())
                    .collect();
                if bogus.is_empty() {
                    return Ok(());
                }
                Err(QapiError::sem(
                    &self.info,
                    format!(
                        "The following documented members are not in the declaration: {}",
                        bogus.join(", ")
                    ),
                ))
            }
            DocCheck::PerDefinition { feature_word, .. } => {
                self.check_described(SectionKind::Member, "member")?;
                let what = if feature_word { "feature" } else { "member" };
                self.check_described(SectionKind::Feature, what)
            }
            DocCheck::AfterAll { .. } => {
                self.check_described(SectionKind::Member, "member")?;
                self.check_described(SectionKind::Feature, "feature")
            }
        }
    }

    fn check_described(&self, kind: SectionKind, what: &str) -> Result<()> {
        let bogus: Vec<&Section> = self.described(kind).filter(|s| !s.connected).collect();
        let Some(first) = bogus.first() else {
            return Ok(());
        };
        let names: Vec<&str> = bogus.iter().filter_map(|s| s.name.as_deref()).collect();
        let many = bogus.len() > 1;
        // Before 9.1 at the block's first line, later at the first bogus
        // description.
        let info = match self.rules.check {
            DocCheck::AfterAll { .. } => &first.info,
            _ => &self.info,
        };
        Err(QapiError::sem(
            info,
            format!(
                "documented {what}{} '{}' {} not exist",
                if many { "s" } else { "" },
                names.join("', '"),
                if many { "do" } else { "does" }
            ),
        ))
    }
}

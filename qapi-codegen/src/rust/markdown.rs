//! QEMU's doc text (reStructuredText, with `@name` references) as the
//! Markdown rustdoc reads, keeping every word.
//!
//! What changes:
//! - `@name` becomes an intra-doc link `` [`name`](path) `` when the
//!   caller resolves it, else code text `` `name` ``; `` `name` `` (a
//!   cross-reference in QEMU's rST) becomes a link the same way;
//! - literal blocks (after `::`), examples (`.. qmp-example::`), tables
//!   and other directives rustdoc has no counterpart for become fenced
//!   ```` ```text ```` blocks, so that rustdoc neither runs them as
//!   doctests nor reads them as Markdown;
//! - admonitions (`.. note::`, `.. admonition:: Title`, ...) become a
//!   `Note:` (or `Title:`) paragraph with their content unindented;
//! - text indented so far that Markdown would take it for code is
//!   unindented to its list's level;
//! - `[`, `]` and `<` outside code are escaped, bare URLs become
//!   autolinks.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

/// Resolves a referenced name to an intra-doc link target.
pub type Resolve<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Directives shown as a `Title:` paragraph with their content.
const ADMONITIONS: &[&str] = &[
    "note",
    "caution",
    "warning",
    "important",
    "tip",
    "hint",
    "attention",
    "danger",
    "error",
    "seealso",
    "admonition",
];

// The block path reads lines borrowed from the text and writes its
// Markdown into one `String`, each line ended by `\n` (the last one's is
// dropped at the end): most of its lines are copied once, from the text
// to the output.

/// The Markdown for `text`.
pub fn markdown(text: &str, resolve: &Resolve<'_>) -> String {
    if is_plain_paragraph(text) {
        return inline(text.trim_end_matches('\n'), resolve);
    }
    markdown_blocks(text, resolve)
}

/// [`markdown`] line by line, block by block.
fn markdown_blocks(text: &str, resolve: &Resolve<'_>) -> String {
    let text = expand_tabs(text);
    let lines: Vec<&str> = Lines(&text).collect();
    let mut out = String::with_capacity(text.len() + 64);
    blocks(&lines, resolve, &mut out);
    finish(out)
}

/// Is `text` one paragraph of unindented lines with no block markup,
/// which [`blocks`] would pass to [`inline`] whole? Most descriptions
/// are, and skip the line-by-line work.
fn is_plain_paragraph(text: &str) -> bool {
    let text = text.trim_end_matches('\n');
    !text.is_empty()
        && memchr::memchr2(b'\t', b'\r', text.as_bytes()).is_none()
        && Lines(text).all(|line| {
            !is_blank(line)
                && !line.starts_with(' ')
                && !line.ends_with("::")
                && !line.starts_with(".. ")
                && !is_rule(line)
        })
}

/// `text` shown as written, in a fenced block.
pub fn fenced(text: &str) -> String {
    let text = expand_tabs(text);
    let lines: Vec<&str> = Lines(&text).collect();
    let mut out = String::with_capacity(text.len() + 16);
    push_fence(&lines, &mut out);
    out.pop();
    out
}

/// A description's text (member, feature): its first line follows the
/// `@name:` tag and the rest carry a hanging indent, which is removed.
pub fn dedent_hanging(text: &str) -> Cow<'_, str> {
    let mut lines = Lines(text);
    let first = lines.next().unwrap_or_default();
    if lines.0.is_empty() {
        // One line (most descriptions): no copy needed.
        return Cow::Borrowed(first.trim_start());
    }
    let indent = min_indent(lines.clone());
    let mut out = String::with_capacity(text.len());
    out.push_str(first.trim_start());
    for l in lines {
        out.push('\n');
        out.push_str(dedent_line(l, indent));
    }
    Cow::Owned(out)
}

/// `text` with each tab expanded to the next multiple of 8 columns of
/// its line; borrowed when there is none.
fn expand_tabs(text: &str) -> Cow<'_, str> {
    if !text.contains('\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    // Characters since the start of the line.
    let mut col = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let pad = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', pad));
                col += pad;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// `text.lines()`, finding the line ends with SIMD: lines end at `\n`
/// or `\r\n`, the last one's end is optional.
#[derive(Clone)]
struct Lines<'a>(&'a str);

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        let Some(nl) = memchr::memchr(b'\n', self.0.as_bytes()) else {
            return Some(std::mem::take(&mut self.0));
        };
        // `\n` is ASCII, so `nl` and `nl + 1` are char boundaries.
        let line = &self.0[..nl];
        self.0 = &self.0[nl + 1..];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// The first byte after the line's indentation, when it is an ASCII
/// character other than whitespace, as most lines' is: it shows the
/// line is not blank, and what kind of line it may be, without the
/// Unicode-aware `trim`.
fn ascii_start(line: &str) -> Option<u8> {
    let b = *line.as_bytes().get(indent_of(line))?;
    (b.is_ascii() && !char::from(b).is_whitespace()).then_some(b)
}

fn is_blank(line: &str) -> bool {
    ascii_start(line).is_none() && line.trim().is_empty()
}

/// The smallest indentation of the non-blank lines.
fn min_indent<'a>(lines: impl Iterator<Item = &'a str>) -> usize {
    lines
        .filter(|l| !is_blank(l))
        .map(indent_of)
        .min()
        .unwrap_or(0)
}

/// `line` without `n` columns of indentation (all of it when shorter,
/// as a blank line may be).
fn dedent_line(line: &str, n: usize) -> &str {
    line.get(n..).unwrap_or_else(|| line.trim_start())
}

/// `lines` without their common indentation.
fn dedent<'l, 'a>(lines: &'l [&'a str]) -> impl Iterator<Item = &'a str> + Clone + 'l {
    let n = min_indent(lines.iter().copied());
    lines.iter().map(move |l| dedent_line(l, n))
}

/// Appends `line` and its line end to `out`.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// The last line of `out`, if any.
fn last_line(out: &str) -> Option<&str> {
    let body = out.strip_suffix('\n')?;
    Some(body.rfind('\n').map_or(body, |nl| &body[nl + 1..]))
}

/// `out` without its trailing blank lines and final line end.
fn finish(mut out: String) -> String {
    while let Some(last) = last_line(&out).filter(|l| is_blank(l)) {
        out.truncate(out.len() - last.len() - 1);
    }
    out.pop();
    out
}

/// The lines after `start` that belong to a block introduced at
/// `indent`: blank ones and those indented deeper. Returns the end.
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut end = start;
    while let Some(l) = lines.get(end) {
        if !is_blank(l) && indent_of(l) <= indent {
            break;
        }
        end += 1;
    }
    // Trailing blank lines separate the block from what follows.
    while end > start && lines.get(end - 1).is_some_and(|l| is_blank(l)) {
        end -= 1;
    }
    end
}

fn push_fence(body: &[&str], out: &mut String) {
    let mut body = dedent(body).skip_while(|l| is_blank(l)).peekable();
    if body.peek().is_none() {
        return;
    }
    // A fence longer than any backtick run inside cannot end early.
    let ticks = body
        .clone()
        .map(|l| longest_run(l, b'`'))
        .max()
        .unwrap_or(0)
        .max(2)
        + 1;
    push_ticks(out, ticks);
    out.push_str("text\n");
    for l in body {
        push_line(out, l.trim_end());
    }
    push_ticks(out, ticks);
    out.push('\n');
}

fn push_ticks(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n('`', n));
}

/// The longest run of ASCII byte `c` in `s` (a byte that is part of no
/// multi-byte character in UTF-8).
fn longest_run(s: &str, c: u8) -> usize {
    if memchr::memchr(c, s.as_bytes()).is_none() {
        return 0;
    }
    let (mut best, mut cur) = (0, 0);
    for &b in s.as_bytes() {
        cur = if b == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

fn push_blank(out: &mut String) {
    if last_line(out).is_some_and(|l| !is_blank(l)) {
        out.push('\n');
    }
}

/// A directive line `.. name:: argument`: (name, argument).
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix(".. ")?;
    let (name, arg) = rest.split_once("::")?;
    let name = name.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some((name, arg.trim()))
}

/// Is the line made only of table or transition characters (rST simple
/// and grid tables, section underlines)?
fn is_rule(line: &str) -> bool {
    if ascii_start(line).is_some_and(|b| !b"=-+|~^".contains(&b)) {
        return false;
    }
    let t = line.trim();
    t.len() >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '+' | '|' | ' ' | '~' | '^'))
        && t.chars().any(|c| c != ' ')
}

/// Does a list item start on this line? Returns its content's column.
fn list_item(line: &str) -> Option<usize> {
    let indent = indent_of(line);
    // `indent` counts ASCII spaces at the start, a char boundary.
    let t = line.get(indent..)?;
    let marker = if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        1
    } else {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let after = t.get(digits..)?;
        if digits == 0 || !(after.starts_with(". ") || after.starts_with(") ")) {
            return None;
        }
        digits + 1
    };
    let spaces = indent_of(t.get(marker..)?);
    Some(indent + marker + spaces)
}

/// A run of text lines, converted inline together since code spans may
/// cross lines.
struct Run<'r, 'f> {
    /// The lines so far, joined by `\n`. Every line added is non-empty,
    /// so an empty run has none.
    text: String,
    /// Where [`inline`] writes before the lines are copied to the output.
    converted: String,
    resolve: &'r Resolve<'f>,
}

impl Run<'_, '_> {
    fn push(&mut self, line: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
    }

    /// Converts the lines so far into `out`, and empties the run.
    fn flush(&mut self, out: &mut String) {
        if self.text.is_empty() {
            return;
        }
        self.converted.clear();
        inline_into(&self.text, self.resolve, &mut self.converted);
        // Line by line, as `\r\n` ends a line like `\n`.
        for l in Lines(&self.converted) {
            push_line(out, l);
        }
        self.text.clear();
    }
}

fn blocks(lines: &[&str], resolve: &Resolve<'_>, out: &mut String) {
    let mut run = Run {
        text: String::new(),
        converted: String::new(),
        resolve,
    };
    // Column of the list item the text belongs to, if any.
    let mut list_col: Option<usize> = None;
    let mut after_blank = true;
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        let indent = indent_of(line);
        if is_blank(line) {
            run.flush(out);
            push_blank(out);
            after_blank = true;
            i += 1;
            continue;
        }
        if let Some((name, arg)) = directive(line) {
            run.flush(out);
            let end = block_end(lines, i + 1, indent);
            let body = lines.get(i + 1..end).unwrap_or_default();
            push_blank(out);
            if ADMONITIONS.contains(&name) {
                push_admonition(name, arg, body, resolve, out);
            } else {
                push_directive(name, arg, body, resolve, out);
            }
            push_blank(out);
            after_blank = true;
            i = end;
            continue;
        }
        // A paragraph holding a table or rule is shown as written.
        if after_blank && paragraph(lines, i).iter().any(|l| is_rule(l)) {
            run.flush(out);
            let para = paragraph(lines, i);
            i += para.len();
            push_fence(para, out);
            after_blank = false;
            continue;
        }
        if let Some(col) = list_item(line) {
            list_col = Some(col);
        } else if list_col.is_some_and(|c| indent < c) {
            list_col = None;
        }
        // Markdown reads 4 columns more than the enclosing list's as code.
        let base = list_col.filter(|&c| indent >= c).unwrap_or(0);
        let shown = if after_blank && indent >= base + 4 {
            Cow::Owned(format!("{}{}", " ".repeat(base), line.trim_start()))
        } else {
            Cow::Borrowed(line)
        };
        after_blank = false;
        if let Some(intro) = shown.strip_suffix("::") {
            // `text::` shows as `text:`, a lone `::` not at all; the
            // indented block after it is literal.
            if !intro.trim().is_empty() {
                if intro.ends_with(' ') {
                    run.push(intro.trim_end());
                } else {
                    run.push(intro);
                    run.text.push(':');
                }
            }
            run.flush(out);
            let start = i + 1;
            let end = block_end(lines, start, indent);
            let block = lines.get(start..end).unwrap_or_default();
            if block.iter().any(|l| !is_blank(l)) {
                push_blank(out);
                push_fence(block, out);
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        run.push(&shown);
        i += 1;
    }
    run.flush(out);
}

/// An admonition directive with its `body`: a `Title:` paragraph.
fn push_admonition(name: &str, arg: &str, body: &[&str], resolve: &Resolve<'_>, out: &mut String) {
    let title = if name == "admonition" {
        Cow::Borrowed(arg)
    } else {
        Cow::Owned(capitalize(name))
    };
    let mut content = Vec::with_capacity(body.len() + 1);
    if name != "admonition" && !arg.is_empty() {
        content.push(arg);
    }
    content.extend(dedent(body));
    // Converted on its own: its blank lines do not depend on `out`'s.
    let mut inner = String::new();
    blocks(&content, resolve, &mut inner);
    out.push_str(&title);
    match inner.split_once('\n') {
        Some((first, rest)) if name != "admonition" && !is_blank(first) => {
            out.push_str(": ");
            push_line(out, first.trim_start());
            out.push_str(rest);
        }
        _ => {
            out.push_str(":\n\n");
            out.push_str(&inner);
        }
    }
}

/// Any other directive with its `body`: a `Title:` line, then the body
/// as written.
fn push_directive(name: &str, arg: &str, body: &[&str], resolve: &Resolve<'_>, out: &mut String) {
    match name {
        "qmp-example" | "code-block" | "code" => out.push_str("Example"),
        _ => out.push_str(&capitalize(name)),
    }
    out.push(':');
    if !arg.is_empty() && !matches!(name, "code-block" | "code") {
        out.push(' ');
        inline_into(arg, resolve, out);
    }
    out.push_str("\n\n");
    push_fence(body, out);
}

/// The paragraph starting at line `i`: up to the next blank line.
fn paragraph<'l, 'a>(lines: &'l [&'a str], i: usize) -> &'l [&'a str] {
    let rest = lines.get(i..).unwrap_or_default();
    let len = rest.iter().position(|l| is_blank(l)).unwrap_or(rest.len());
    rest.get(..len).unwrap_or_default()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Characters of a QAPI name after `@`.
fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')
}

/// Converts the inline markup of a run of text lines.
///
/// The markup is ASCII, so the text is scanned byte by byte and copied
/// in runs between the bytes that matter.
fn inline(text: &str, resolve: &Resolve<'_>) -> String {
    let mut out = String::new();
    inline_into(text, resolve, &mut out);
    out
}

/// [`inline`], appended to `out`.
fn inline_into(text: &str, resolve: &Resolve<'_>, out: &mut String) {
    let bytes = text.as_bytes();
    out.reserve(text.len() + 16);
    let mut specials = Specials::new(bytes);
    // Text without markup, escapes or links is its own Markdown.
    if specials.next_at(0).is_none() {
        out.push_str(text);
        return;
    }
    // `text[copied..i]` is still to be written.
    let mut copied = 0;
    let mut i = 0;
    let link = |out: &mut String, name: &str, path: &str| {
        out.push_str("[`");
        out.push_str(name);
        out.push_str("`](");
        out.push_str(path);
        out.push(')');
    };
    // Bytes between the ones that may matter are skipped.
    while let Some(&c) = specials.next_at(i).and_then(|at| {
        i = at;
        bytes.get(at)
    }) {
        match c {
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                out.push_str(&text[copied..i]);
                match find_run(bytes, i + run, run) {
                    Some(close) => {
                        let inner = &text[i + run..close];
                        let is_ref = run == 1
                            && bytes.get(close + 1) != Some(&b'_')
                            && !inner.is_empty()
                            && inner.bytes().all(is_name_char);
                        match is_ref.then(|| resolve(inner)).flatten() {
                            Some(path) => link(out, inner, &path),
                            None => out.push_str(&text[i..close + run]),
                        }
                        i = close + run;
                    }
                    None => {
                        // An unmatched backtick is shown as itself.
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
                copied = i;
            }
            b'@' if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() => {
                let len = bytes[i + 1..]
                    .iter()
                    .take_while(|&&b| is_name_char(b))
                    .count();
                // A sentence's full stop is not part of the name.
                let name = text[i + 1..i + 1 + len].trim_end_matches('.');
                if name.is_empty() {
                    i += 1;
                    continue;
                }
                out.push_str(&text[copied..i]);
                match resolve(name) {
                    Some(path) => link(out, name, &path),
                    None => {
                        out.push('`');
                        out.push_str(name);
                        out.push('`');
                    }
                }
                i += 1 + name.len();
                copied = i;
            }
            b'[' | b']' | b'<' => {
                out.push_str(&text[copied..i]);
                out.push('\\');
                out.push(char::from(c));
                i += 1;
                copied = i;
            }
            b'h' if text[i..].starts_with("http://") || text[i..].starts_with("https://") => {
                let rest = &text[i..];
                let len = rest
                    .char_indices()
                    .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '`'))
                    .map_or(rest.len(), |(j, _)| j);
                let url = rest[..len].trim_end_matches(['.', ',', ')', ';', ':', '\'', '"']);
                out.push_str(&text[copied..i]);
                out.push('<');
                out.push_str(url);
                out.push('>');
                i += url.len();
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
}

/// `http`, the start of a URL.
static HTTP: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("http"));

/// The places in a text where [`inline`] may act: markup, characters to
/// escape and the starts of URLs. Each kind is searched for with SIMD,
/// and its next place kept until passed, so that the text is read about
/// once whatever the number of places.
struct Specials<'t> {
    bytes: &'t [u8],
    /// The next `` ` ``, `@` or `[`; the next `]` or `<`; the next
    /// `http`; each at or after the last place asked from, if any.
    next: [Option<usize>; 3],
}

impl<'t> Specials<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        let mut s = Specials {
            bytes,
            next: [None; 3],
        };
        for kind in 0..s.next.len() {
            s.next[kind] = s.find(kind, 0);
        }
        s
    }

    fn find(&self, kind: usize, from: usize) -> Option<usize> {
        let rest = self.bytes.get(from..)?;
        let at = match kind {
            0 => memchr::memchr3(b'`', b'@', b'[', rest),
            1 => memchr::memchr2(b']', b'<', rest),
            _ => HTTP.find(rest),
        };
        at.map(|at| from + at)
    }

    /// The first place at or after `from`.
    fn next_at(&mut self, from: usize) -> Option<usize> {
        for kind in 0..self.next.len() {
            if self.next[kind].is_some_and(|at| at < from) {
                self.next[kind] = self.find(kind, from);
            }
        }
        self.next.iter().flatten().min().copied()
    }
}

/// The start of the next run of exactly `n` backticks at or after
/// `from`.
fn find_run(bytes: &[u8], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while let Some(at) = bytes.get(j..).and_then(|rest| memchr::memchr(b'`', rest)) {
        let start = j + at;
        let run = bytes[start..].iter().take_while(|&&b| b == b'`').count();
        if run == n {
            return Some(start);
        }
        j = start + run;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> String {
        markdown(text, &|name| {
            (name == "node-name").then(|| "Self::node_name".into())
        })
    }

    #[test]
    fn references() {
        assert_eq!(
            md("Use @node-name, not @other."),
            "Use [`node-name`](Self::node_name), not `other`."
        );
        assert_eq!(md("see `node-name`"), "see [`node-name`](Self::node_name)");
        assert_eq!(md("a ``literal`` here"), "a ``literal`` here");
        assert_eq!(md("mail me@example.org"), "mail me@example.org");
    }

    #[test]
    fn escapes() {
        assert_eq!(md("[3, 1] and <id>"), "\\[3, 1\\] and \\<id>");
        assert_eq!(md("``[x]``"), "``[x]``");
        assert_eq!(
            md("See https://qemu.org/docs."),
            "See <https://qemu.org/docs>."
        );
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(
            md("looks like::\n\n   5| *\n   1| *  *\n\nafter"),
            "looks like:\n\n```text\n5| *\n1| *  *\n```\n\nafter"
        );
        assert_eq!(
            md(".. qmp-example::\n\n   -> { \"execute\": \"x\" }\n   <- { \"return\": {} }"),
            "Example:\n\n```text\n-> { \"execute\": \"x\" }\n<- { \"return\": {} }\n```"
        );
    }

    #[test]
    fn admonitions() {
        assert_eq!(
            md(".. note:: First line\n   goes on.\n\n   More, [x].\n\nAfter."),
            "Note: First line\ngoes on.\n\nMore, \\[x\\].\n\nAfter."
        );
        assert_eq!(
            md(".. admonition:: Notes\n\n    1. One\n\n    2. Two"),
            "Notes:\n\n1. One\n\n2. Two"
        );
    }

    #[test]
    fn deep_indentation_is_not_code() {
        assert_eq!(md("para\n\n     quoted"), "para\n\nquoted");
        assert_eq!(md("- item\n\n      more of it"), "- item\n\n  more of it");
    }

    #[test]
    fn tables_are_shown_as_written() {
        assert_eq!(
            md("==  ==\na   b\n==  =="),
            "```text\n==  ==\na   b\n==  ==\n```"
        );
    }

    #[test]
    fn plain_paragraphs_take_the_short_way_to_the_same_text() {
        let resolve = |name: &str| (name == "node-name").then(|| "Self::node_name".to_owned());
        for text in [
            "one line",
            "two\nlines\n",
            "ends with blank lines\n\n\n",
            "- a list item\n- another one",
            "1. numbered\n2. items",
            "refers to @node-name and `node-name`, not @other.",
            "escapes [x] <y> and https://example.org/x.",
            "trailing spaces   \nkept",
            "non-ASCII — é",
        ] {
            assert!(is_plain_paragraph(text), "{text:?}");
            assert_eq!(
                markdown(text, &resolve),
                markdown_blocks(text, &resolve),
                "{text:?}"
            );
        }
        for text in [
            "a\n\nb",
            "  indented",
            "intro::",
            ".. note:: x",
            "a\tb",
            "====\na",
            "",
        ] {
            assert!(!is_plain_paragraph(text) || text.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn lines_end_as_str_lines_say() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\n\nb",
            "a\r\nb\r\n",
            "a\r\r\nb\r",
            "\r",
            "é\n—\r\n",
        ] {
            assert_eq!(
                Lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn blank_lines_and_rules_as_trim_says() {
        for line in [
            "",
            " ",
            "   ",
            "\t",
            " \u{a0}",
            "\u{3000}x",
            " x",
            "x ",
            "\x0b",
            "===",
            " -- ",
            "é",
        ] {
            assert_eq!(is_blank(line), line.trim().is_empty(), "{line:?}");
        }
        assert!(is_rule("  ==== ===="));
        assert!(is_rule("+--+--+"));
        assert!(is_rule("\t~~~"));
        assert!(!is_rule("a==="));
        assert!(!is_rule("   "));
        assert!(!is_rule("--"));
    }

    #[test]
    fn tabs_expand_per_line() {
        assert_eq!(
            md("para::\n\n\tab\tc\n  x\ty\n\nafter"),
            "para:\n\n```text\n      ab      c\nx     y\n```\n\nafter"
        );
        assert_eq!(
            fenced("a\tb\nabcdefgh\tc"),
            "```text\na       b\nabcdefgh        c\n```"
        );
    }

    #[test]
    fn literal_blocks_keep_their_backticks_and_lone_colons() {
        assert_eq!(
            md("Run:\n\n::\n\n  ``code``\n  a ```x```\n"),
            "Run:\n\n````text\n``code``\na ```x```\n````"
        );
        assert_eq!(md("intro ::\n\nnot indented"), "intro\n\nnot indented");
        assert_eq!(fenced("\n\n"), "");
    }

    #[test]
    fn directives_and_nested_admonitions() {
        assert_eq!(
            md(".. code-block:: json\n\n   {}\n\n.. todo:: see @x\n\n   body"),
            "Example:\n\n```text\n{}\n```\n\nTodo: see `x`\n\n```text\nbody\n```"
        );
        assert_eq!(
            md(".. warning::\n\n   .. note:: inner\n\n   outer"),
            "Warning: Note: inner\n\nouter"
        );
        assert_eq!(md(".. note::"), "Note:");
        assert_eq!(md(".. admonition:: Title\n   text\n"), "Title:\n\ntext");
    }

    #[test]
    fn nested_lists_and_tables_in_context() {
        assert_eq!(
            md("- a\n\n  - b\n\n          deep\n\n- c\r\n  d"),
            "- a\n\n  - b\n\n    deep\n\n- c\n  d"
        );
        assert_eq!(
            md("Table:\n\n+---+\n| x |\n+---+\n\ntext [y]"),
            "Table:\n\n```text\n+---+\n| x |\n+---+\n```\n\ntext \\[y\\]"
        );
    }

    #[test]
    fn inline_finds_markup_anywhere() {
        assert_eq!(
            md("a `node-name`, ``x`` @other, [http://a.b/c] and a`b."),
            "a [`node-name`](Self::node_name), ``x`` `other`, \\[<http://a.b/c]> and a\\`b."
        );
        assert_eq!(md("hhttp https:x http://x"), "hhttp https:x <http://x>");
        assert_eq!(md("a@b @ @. end@"), "a@b @ @. end@");
        assert_eq!(md("```a`` b```"), "```a`` b```");
    }

    #[test]
    fn hanging_indent() {
        assert_eq!(
            dedent_hanging("first\n    second\n      third"),
            "first\nsecond\n  third"
        );
        assert_eq!(dedent_hanging("  one line  "), "one line  ");
        assert_eq!(dedent_hanging("a\n"), "a");
        assert_eq!(dedent_hanging("a\n\n  b\r\n"), "a\n\nb");
        assert_eq!(dedent_hanging(""), "");
    }
}

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

/// The Markdown for `text`.
pub fn markdown(text: &str, resolve: &Resolve<'_>) -> String {
    if is_plain_paragraph(text) {
        return inline(text.trim_end_matches('\n'), resolve);
    }
    markdown_blocks(text, resolve)
}

/// [`markdown`] line by line, block by block.
fn markdown_blocks(text: &str, resolve: &Resolve<'_>) -> String {
    let lines: Vec<String> = text.lines().map(expand_tabs).collect();
    let mut out = Vec::new();
    blocks(&lines, resolve, &mut out);
    while out.last().is_some_and(|l: &String| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Is `text` one paragraph of unindented lines with no block markup,
/// which [`blocks`] would pass to [`inline`] whole? Most descriptions
/// are, and skip the line-by-line work.
fn is_plain_paragraph(text: &str) -> bool {
    !text.contains(['\t', '\r'])
        && text.trim_end_matches('\n').split('\n').all(|line| {
            !is_blank(line)
                && !line.starts_with(' ')
                && !line.ends_with("::")
                && !line.starts_with(".. ")
                && !is_rule(line)
        })
}

/// `text` shown as written, in a fenced block.
pub fn fenced(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(expand_tabs).collect();
    let mut out = Vec::new();
    push_fence(&lines, &mut out);
    out.join("\n")
}

/// A description's text (member, feature): its first line follows the
/// `@name:` tag and the rest carry a hanging indent, which is removed.
pub fn dedent_hanging(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    let indent = min_indent(rest.iter().copied());
    let mut out = first.trim_start().to_owned();
    for l in rest {
        out.push('\n');
        out.push_str(l.get(indent..).unwrap_or(l.trim_start()));
    }
    out
}

fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::new();
    for c in line.chars() {
        if c == '\t' {
            let pad = 8 - out.chars().count() % 8;
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.push(c);
        }
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The smallest indentation of the non-blank lines.
fn min_indent<'a>(lines: impl Iterator<Item = &'a str>) -> usize {
    lines
        .filter(|l| !is_blank(l))
        .map(indent_of)
        .min()
        .unwrap_or(0)
}

/// `lines` without `n` columns of indentation.
fn dedent(lines: &[String], n: usize) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.get(n..).unwrap_or(l.trim_start()).to_owned())
        .collect()
}

/// The lines after `start` that belong to a block introduced at
/// `indent`: blank ones and those indented deeper. Returns the end.
fn block_end(lines: &[String], start: usize, indent: usize) -> usize {
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

fn push_fence(body: &[String], out: &mut Vec<String>) {
    let body = dedent(body, min_indent(body.iter().map(String::as_str)));
    let first = body.iter().position(|l| !is_blank(l)).unwrap_or(body.len());
    let body = body.get(first..).unwrap_or_default();
    if body.is_empty() {
        return;
    }
    // A fence longer than any backtick run inside cannot end early.
    let ticks = body
        .iter()
        .map(|l| longest_run(l, '`'))
        .max()
        .unwrap_or(0)
        .max(2)
        + 1;
    let fence = "`".repeat(ticks);
    out.push(format!("{fence}text"));
    out.extend(body.iter().map(|l| l.trim_end().to_owned()));
    out.push(fence);
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for ch in s.chars() {
        cur = if ch == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

fn push_blank(out: &mut Vec<String>) {
    if out.last().is_some_and(|l| !l.trim().is_empty()) {
        out.push(String::new());
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

fn blocks(lines: &[String], resolve: &Resolve<'_>, out: &mut Vec<String>) {
    // Text lines of the current run (converted inline together, since
    // code spans may cross lines).
    let mut text: Vec<String> = Vec::new();
    // Column of the list item the text belongs to, if any.
    let mut list_col: Option<usize> = None;
    let mut after_blank = true;
    let mut i = 0;
    let flush = |text: &mut Vec<String>, out: &mut Vec<String>| {
        if !text.is_empty() {
            let joined = text.join("\n");
            out.extend(inline(&joined, resolve).lines().map(str::to_owned));
            text.clear();
        }
    };
    while let Some(line) = lines.get(i) {
        let indent = indent_of(line);
        if is_blank(line) {
            flush(&mut text, out);
            push_blank(out);
            after_blank = true;
            i += 1;
            continue;
        }
        if let Some((name, arg)) = directive(line) {
            flush(&mut text, out);
            let end = block_end(lines, i + 1, indent);
            let body = lines.get(i + 1..end).unwrap_or_default();
            push_blank(out);
            if ADMONITIONS.contains(&name) {
                let title = if name == "admonition" {
                    arg.to_owned()
                } else {
                    capitalize(name)
                };
                let mut content = Vec::new();
                if name != "admonition" && !arg.is_empty() {
                    content.push(arg.to_owned());
                }
                content.extend(dedent(body, min_indent(body.iter().map(String::as_str))));
                let mut inner = Vec::new();
                blocks(&content, resolve, &mut inner);
                match inner.first_mut() {
                    Some(first) if name != "admonition" && !first.trim().is_empty() => {
                        *first = format!("{title}: {}", first.trim_start());
                    }
                    _ => {
                        out.push(format!("{title}:"));
                        out.push(String::new());
                    }
                }
                out.extend(inner);
            } else {
                let title = match name {
                    "qmp-example" | "code-block" | "code" => "Example".to_owned(),
                    _ => capitalize(name),
                };
                if arg.is_empty() || matches!(name, "code-block" | "code") {
                    out.push(format!("{title}:"));
                } else {
                    out.push(format!("{title}: {}", inline(arg, resolve)));
                }
                out.push(String::new());
                push_fence(body, out);
            }
            push_blank(out);
            after_blank = true;
            i = end;
            continue;
        }
        // A paragraph holding a table or rule is shown as written.
        if after_blank && paragraph(lines, i).iter().any(|l| is_rule(l)) {
            flush(&mut text, out);
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
            format!("{}{}", " ".repeat(base), line.trim_start())
        } else {
            line.clone()
        };
        after_blank = false;
        if let Some(intro) = shown.strip_suffix("::") {
            // `text::` shows as `text:`, a lone `::` not at all; the
            // indented block after it is literal.
            if !intro.trim().is_empty() {
                text.push(if intro.ends_with(' ') {
                    intro.trim_end().to_owned()
                } else {
                    format!("{intro}:")
                });
            }
            flush(&mut text, out);
            let start = i + 1;
            let end = block_end(lines, start, indent);
            if lines
                .get(start..end)
                .is_some_and(|b| b.iter().any(|l| !is_blank(l)))
            {
                push_blank(out);
                push_fence(lines.get(start..end).unwrap_or_default(), out);
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        text.push(shown);
        i += 1;
    }
    flush(&mut text, out);
}

/// The paragraph starting at line `i`: up to the next blank line.
fn paragraph(lines: &[String], i: usize) -> &[String] {
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
    // Text without markup, escapes or links is its own Markdown.
    if !text.contains(['`', '@', '[', ']', '<']) && !text.contains("http") {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
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
    while let Some(&c) = bytes.get(i) {
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
                            Some(path) => link(&mut out, inner, &path),
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
                    Some(path) => link(&mut out, name, &path),
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
    out
}

/// The start of the next run of exactly `n` backticks at or after
/// `from`.
fn find_run(bytes: &[u8], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while j < bytes.len() {
        if bytes[j] == b'`' {
            let run = bytes[j..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
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
    fn hanging_indent() {
        assert_eq!(
            dedent_hanging("first\n    second\n      third"),
            "first\nsecond\n  third"
        );
    }
}

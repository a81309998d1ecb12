//! `cargo xtask docs-diff [SCHEMA]`: does the generated Rust carry every
//! word of the schema's documentation?
//!
//! The bindings are generated in memory and parsed with syn; each item's
//! rustdoc (`#[doc]` attributes) is collected by its Rust path. Every
//! piece of a definition's doc comment (each body paragraph, member,
//! feature and section) must appear, as a run of words, in the rustdoc
//! of the items that piece maps to: types, fields and variants through
//! the generator's own naming ([`qapi_codegen::rust::doc_targets`]);
//! commands and events through the `const NAME` of the impls that name
//! them, else the Rust names the naming rules give them. Markup is not
//! compared: words are runs of letters and digits, compared without
//! case, after dropping what the generator adds (link targets, code
//! fences) and reading the rST it rewrites (directives) as shown.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qapi_codegen::names;
use qapi_codegen::rust::{doc_targets, generate, Options};
use qapi_parser::doc::Doc;
use qapi_parser::schema::DefKind;
use qapi_parser::Schema;

use crate::cargo::workspace_root;
use crate::Failed;

/// Rustdoc by Rust path (`Type`, `Type::field`, `Trait::method`), and
/// the types that `impl` a trait with `const NAME = "wire-name"`.
#[derive(Debug, Default)]
struct RustDocs {
    docs: HashMap<String, String>,
    by_wire_name: HashMap<String, Vec<String>>,
}

fn doc_of(attrs: &[syn::Attribute]) -> String {
    let mut out = String::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                out.push_str(&s.value());
                out.push('\n');
            }
        }
    }
    out
}

fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

impl RustDocs {
    fn add(&mut self, path: String, attrs: &[syn::Attribute]) {
        let doc = doc_of(attrs);
        self.docs.entry(path).or_default().push_str(&doc);
    }

    /// Collects `items`, whose paths start with `prefix` (`""` at the
    /// top, `commands::` inside that module).
    fn collect(&mut self, items: &[syn::Item], prefix: &str) {
        for item in items {
            match item {
                syn::Item::Struct(s) => {
                    let ty = format!("{prefix}{}", unraw(&s.ident));
                    for f in &s.fields {
                        if let Some(name) = &f.ident {
                            self.add(format!("{ty}::{}", unraw(name)), &f.attrs);
                        }
                    }
                    self.add(ty, &s.attrs);
                }
                syn::Item::Enum(e) => {
                    let ty = format!("{prefix}{}", unraw(&e.ident));
                    for v in &e.variants {
                        self.add(format!("{ty}::{}", unraw(&v.ident)), &v.attrs);
                    }
                    self.add(ty, &e.attrs);
                }
                syn::Item::Fn(f) => self.add(format!("{prefix}{}", unraw(&f.sig.ident)), &f.attrs),
                syn::Item::Const(c) => self.add(format!("{prefix}{}", unraw(&c.ident)), &c.attrs),
                syn::Item::Static(s) => self.add(format!("{prefix}{}", unraw(&s.ident)), &s.attrs),
                syn::Item::Type(t) => self.add(format!("{prefix}{}", unraw(&t.ident)), &t.attrs),
                syn::Item::Trait(t) => {
                    let ty = format!("{prefix}{}", unraw(&t.ident));
                    for i in &t.items {
                        if let syn::TraitItem::Fn(f) = i {
                            self.add(format!("{ty}::{}", unraw(&f.sig.ident)), &f.attrs);
                        }
                    }
                    self.add(ty, &t.attrs);
                }
                syn::Item::Impl(i) => self.collect_impl(i, prefix),
                syn::Item::Mod(m) => {
                    let name = format!("{prefix}{}", unraw(&m.ident));
                    self.add(name.clone(), &m.attrs);
                    if let Some((_, items)) = &m.content {
                        self.collect(items, &format!("{name}::"));
                    }
                }
                _ => {}
            }
        }
    }

    fn collect_impl(&mut self, i: &syn::ItemImpl, prefix: &str) {
        let syn::Type::Path(p) = &*i.self_ty else {
            return;
        };
        let Some(ty) = p
            .path
            .segments
            .last()
            .map(|s| format!("{prefix}{}", unraw(&s.ident)))
        else {
            return;
        };
        for item in &i.items {
            match item {
                syn::ImplItem::Fn(f) => {
                    self.add(format!("{ty}::{}", unraw(&f.sig.ident)), &f.attrs)
                }
                syn::ImplItem::Const(c) => {
                    if c.ident == "NAME" && i.trait_.is_some() {
                        if let syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) = &c.expr
                        {
                            self.by_wire_name
                                .entry(s.value())
                                .or_default()
                                .push(ty.clone());
                        }
                    }
                    self.add(format!("{ty}::{}", unraw(&c.ident)), &c.attrs);
                }
                _ => {}
            }
        }
    }
}

/// Lowercased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Rustdoc without what the generator adds: code fences and link
/// targets.
fn rust_words(doc: &str) -> Vec<String> {
    let mut text = String::with_capacity(doc.len());
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            continue;
        }
        let mut rest = line;
        // The slices start and end at what `find` found: char boundaries.
        while let Some(at) = rest.find("](") {
            text.push_str(&rest[..at]);
            match rest[at..].find(')') {
                Some(close) => rest = &rest[at + close + 1..],
                None => rest = "",
            }
        }
        text.push_str(rest);
        text.push('\n');
    }
    words(&text)
}

/// Schema doc text as the generator shows it: directives read as their
/// titles.
fn schema_words(text: &str) -> Vec<String> {
    let mut shown = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim_start();
        let directive = t
            .strip_prefix(".. ")
            .and_then(|d| d.split_once("::"))
            .filter(|(name, _)| !name.contains(' '));
        match directive {
            Some(("qmp-example" | "code-block" | "code", _)) => shown.push_str("Example:"),
            Some(("admonition", title)) => shown.push_str(title),
            Some((name, arg)) => {
                shown.push_str(name);
                shown.push(' ');
                shown.push_str(arg);
            }
            None => shown.push_str(line),
        }
        shown.push('\n');
    }
    words(&shown)
}

fn contains(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The paragraphs of a text (split at blank lines).
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            if out.last().is_some_and(|p| !p.is_empty()) {
                out.push(String::new());
            }
        } else if let Some(p) = out.last_mut() {
            p.push_str(line);
            p.push('\n');
        }
    }
    out.retain(|p| !p.trim().is_empty());
    out
}

/// One piece of doc text that must reach the bindings.
struct Piece {
    /// `member 'x'`, `feature 'x'`, `body`, `section Since`.
    what: String,
    member: Option<String>,
    text: String,
}

fn pieces(doc: &Doc) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in paragraphs(&doc.body().text) {
        out.push(Piece {
            what: "body".into(),
            member: None,
            text: p,
        });
    }
    for f in doc.features().filter(|f| !f.stub) {
        let name = f.name.clone().unwrap_or_default();
        out.push(Piece {
            what: format!("feature '{name}'"),
            member: None,
            text: format!("{name}: {}", f.text),
        });
    }
    for s in doc.sections() {
        // The heading the generator gives the section.
        let tag = qapi_codegen::rust::section_tag(s.kind).unwrap_or("");
        for (i, p) in paragraphs(&s.text).into_iter().enumerate() {
            let text = if i == 0 && !tag.is_empty() {
                format!("{tag}: {p}")
            } else {
                p
            };
            let what = if tag.is_empty() {
                "body".to_owned()
            } else {
                format!("section {tag}")
            };
            out.push(Piece {
                what,
                member: None,
                text,
            });
        }
    }
    for a in doc.args().filter(|a| !a.stub) {
        let name = a.name.clone().unwrap_or_default();
        out.push(Piece {
            what: format!("member '{name}'"),
            member: Some(name),
            text: a.text.clone(),
        });
    }
    out
}

/// What one run found.
#[derive(Default)]
struct Report {
    checked: usize,
    lost: Vec<String>,
    /// Definitions without any Rust item, by kind.
    not_generated: Vec<(String, &'static str)>,
}

fn kind_name(kind: &DefKind) -> &'static str {
    match kind {
        DefKind::Command(_) => "command",
        DefKind::Event(_) => "event",
        _ => "type",
    }
}

fn diff(schema: &Schema, rust: &RustDocs, types_only: bool) -> Report {
    let opts = Options::default();
    let mut targets: HashMap<(String, Option<String>), Vec<String>> = HashMap::new();
    for t in doc_targets(schema, &opts) {
        targets
            .entry((t.definition, t.member))
            .or_default()
            .extend(t.paths);
    }
    // Rust names the types took; a command's name may turn into one of
    // them (`drive-backup` and its arguments type `DriveBackup`).
    let type_items: std::collections::HashSet<String> = targets
        .iter()
        .filter(|((_, member), _)| member.is_none())
        .flat_map(|(_, paths)| paths.iter().cloned())
        .collect();
    let mut report = Report::default();
    for doc in schema.docs() {
        let Some(symbol) = doc.symbol.as_deref() else {
            continue;
        };
        let Some(def) = schema.lookup_def(symbol) else {
            continue;
        };
        let kind = kind_name(&def.kind);
        if types_only && kind != "type" {
            continue;
        }
        // The items standing for the definition.
        let mut owners: Vec<String> = targets
            .get(&(symbol.to_owned(), None))
            .cloned()
            .unwrap_or_default();
        if kind != "type" {
            owners.extend(rust.by_wire_name.get(symbol).into_iter().flatten().cloned());
            let (ty, method) = (names::type_name(symbol), names::field_name(symbol));
            let method = method.strip_prefix("r#").unwrap_or(&method).to_owned();
            owners.extend([
                format!("commands::{ty}"),
                format!("events::{ty}"),
                format!("commands::Handler::{method}"),
                ty,
            ]);
            owners.retain(|p| !type_items.contains(p));
        }
        owners.retain(|p| rust.docs.contains_key(p));
        let member_paths = |member: &str| -> Vec<String> {
            let mut paths = targets
                .get(&(symbol.to_owned(), Some(member.to_owned())))
                .cloned()
                .unwrap_or_default();
            let field = names::field_name(member);
            let field = field.strip_prefix("r#").unwrap_or(&field).to_owned();
            paths.extend(owners.iter().map(|o| format!("{o}::{field}")));
            paths.retain(|p| rust.docs.contains_key(p));
            paths
        };
        let all = pieces(doc);
        let has_member_items = all
            .iter()
            .filter_map(|p| p.member.as_deref())
            .any(|m| !member_paths(m).is_empty());
        if owners.is_empty() {
            // Checked once the definition has an item; its members may
            // already have theirs (a command's implicit arguments type).
            report.not_generated.push((symbol.to_owned(), kind));
            if !has_member_items {
                continue;
            }
        }
        for piece in all {
            if owners.is_empty() && piece.member.is_none() {
                continue;
            }
            report.checked += 1;
            let paths = match &piece.member {
                Some(m) => member_paths(m),
                None => owners.clone(),
            };
            let want = schema_words(&piece.text);
            let found = paths
                .iter()
                .filter_map(|p| rust.docs.get(p))
                .any(|d| contains(&rust_words(d), &want));
            if !found {
                let excerpt: String = piece.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let excerpt: String = excerpt.chars().take(70).collect();
                let place = if paths.is_empty() {
                    "no Rust item".to_owned()
                } else {
                    paths.join(", ")
                };
                report.lost.push(format!(
                    "{kind} '{symbol}', {}: \"{excerpt}\" (in {place})",
                    piece.what
                ));
            }
        }
    }
    report
}

pub fn run(schema: Option<PathBuf>, dialect: Option<&str>, types_only: bool) -> Result<(), Failed> {
    let path = schema.unwrap_or_else(|| workspace_root().join("schemas/qapi-schema.json"));
    let dialect = match dialect {
        Some(d) => qapi_codegen::release::parse_dialect(d)?,
        None => qapi_parser::Dialect::default(),
    };
    let schema = Schema::from_file(&path.to_string_lossy(), &dialect).map_err(|e| e.to_string())?;
    let text = generate(&schema, &Options::default(), &display(&path))
        .map_err(|e| format!("generated code does not parse: {e}"))?;
    let file = syn::parse_file(&text).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut rust = RustDocs::default();
    rust.collect(&file.items, "");
    let report = diff(&schema, &rust, types_only);
    for line in &report.lost {
        println!("lost: {line}");
    }
    let mut by_kind: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, kind) in &report.not_generated {
        by_kind.entry(kind).or_default().push(name);
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (kind, names) in &kinds {
        println!(
            "not generated: {} {kind}s ({}{})",
            names.len(),
            names.iter().take(5).copied().collect::<Vec<_>>().join(", "),
            if names.len() > 5 { ", ..." } else { "" }
        );
    }
    println!(
        "{} pieces checked: {} lost; {} documented definitions without Rust items",
        report.checked,
        report.lost.len(),
        report.not_generated.len()
    );
    if report.lost.is_empty() && report.not_generated.is_empty() {
        Ok(())
    } else {
        Err(Failed(None))
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn markup_is_not_compared() {
        let rust = "Its [`node-name`](Self::node_name) \\[3, 1\\]\n```text\n-> {}\n```";
        assert_eq!(rust_words(rust), w("its node name 3 1 -> {}"));
        assert_eq!(
            schema_words(".. qmp-example::\n\n   -> {}"),
            w("example -> {}")
        );
        assert_eq!(
            schema_words(".. admonition:: Notes\n\n   1. a"),
            w("notes 1 a")
        );
        assert_eq!(schema_words(".. note:: Be careful"), w("note be careful"));
    }

    fn report_of(path: &Path, types_only: bool) -> Report {
        let schema = Schema::from_file(&path.to_string_lossy(), &qapi_parser::Dialect::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let text = generate(&schema, &Options::default(), "x").expect("generated code parses");
        let file = syn::parse_file(&text).expect("generated code parses");
        let mut rust = RustDocs::default();
        rust.collect(&file.items, "");
        diff(&schema, &rust, types_only)
    }

    #[test]
    fn our_schema_loses_no_type_documentation() {
        let report = report_of(&workspace_root().join("schemas/qapi-schema.json"), true);
        assert!(
            report.checked > 100,
            "only {} pieces checked",
            report.checked
        );
        assert_eq!(report.lost, Vec::<String>::new());
    }

    #[test]
    fn a_lost_piece_is_reported() {
        let dir = std::env::temp_dir().join(format!("docs-diff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cannot create a scratch folder");
        let path = dir.join("s.json");
        std::fs::write(
            &path,
            "##\n# @Ev:\n#\n# Body.\n#\n# @a: first\n#\n# Since: 1.0\n##\n\
             { 'enum': 'Ev', 'data': ['a'] }\n",
        )
        .expect("cannot write the schema");
        let report = report_of(&path, false);
        assert_eq!(report.checked, 3);
        assert_eq!(report.lost, Vec::<String>::new());
        // The same schema against rustdoc that lacks the Since section.
        let schema = Schema::from_file(&path.to_string_lossy(), &qapi_parser::Dialect::default())
            .expect("checks");
        let mut rust = RustDocs::default();
        rust.docs.insert("Ev".into(), "Body.\n".into());
        rust.docs.insert("Ev::A".into(), "first\n".into());
        let report = diff(&schema, &rust, false);
        assert_eq!(report.lost.len(), 1, "{:?}", report.lost);
        assert!(
            report.lost[0].contains("section Since"),
            "{:?}",
            report.lost
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn pieces_must_be_whole() {
        let hay = w("the node name of the node");
        assert!(contains(&hay, &w("node name")));
        assert!(!contains(&hay, &w("name node")));
        assert!(contains(&hay, &[]));
    }
}

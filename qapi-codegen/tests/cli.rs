//! The `qapi-gen` command line as CONTRACTS.md describes it: exit status,
//! what goes to stdout and stderr, and the `--dialect` option.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qapi_gen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cannot run qapi-gen")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn qemu_tests() -> PathBuf {
    workspace().join("../shared/qemu-tests/qapi-schema")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = workspace();
    for args in [
        &[][..],
        &["dump"],
        &["no-such-command"],
        &["dump", "a.json", "b.json"],
        &["--dialect", "3.5", "dump", "schemas/qapi-schema.json"],
        &["--dialect", "ten", "dump", "schemas/qapi-schema.json"],
        &["dump", "--no-such-option", "schemas/qapi-schema.json"],
    ] {
        let out = qapi_gen(&dir, args);
        assert_eq!(out.status.code(), Some(2), "qapi-gen {args:?}");
        assert!(out.stdout.is_empty(), "qapi-gen {args:?} wrote to stdout");
    }
}

#[test]
fn unreadable_schema_is_reported_like_qemu() {
    let out = qapi_gen(&workspace(), &["dump", "missing-schema.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "can't read schema file 'missing-schema.json': No such file or directory\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn schema_error_goes_to_stderr_only() {
    let out = qapi_gen(&qemu_tests(), &["dump", "alternate-base.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "alternate-base.json: In alternate 'Alt':\n\
         alternate-base.json:4: alternate has unknown key 'base'\n\
         Valid keys are 'alternate', 'data', 'features', 'if'.\n"
    );
    assert!(out.stdout.is_empty());
}

/// Our own schema reads the same to us as to QEMU's front end, whose
/// dump of it is `tests/data/schemas.out`.
#[test]
fn our_schema_dumps_as_qemu_dumps_it() {
    let expected = include_str!("data/schemas.out");
    for args in [
        &["dump", "qapi-schema.json"][..],
        &["--dialect", "10.2", "dump", "qapi-schema.json"],
        &["dump", "--dialect", "10.2", "qapi-schema.json"],
    ] {
        let out = qapi_gen(&workspace().join("schemas"), args);
        assert_eq!(text(&out.stderr), "", "qapi-gen {args:?}");
        assert_eq!(out.status.code(), Some(0), "qapi-gen {args:?}");
        assert!(
            text(&out.stdout) == expected,
            "qapi-gen {args:?}: dump differs"
        );
    }
}

#[test]
fn unformatted_rust_is_the_same_code() {
    let dir = workspace();
    let tmp = std::env::temp_dir().join(format!("qapi-unformatted-{}", std::process::id()));
    let mut texts: Vec<String> = Vec::new();
    for (sub, extra) in [("formatted", None), ("unformatted", Some("--unformatted"))] {
        let out_dir = tmp.join(sub);
        let mut args = vec!["rust", "schemas/qapi-schema.json", "-o"];
        let out_str = out_dir.to_string_lossy().into_owned();
        args.push(&out_str);
        args.extend(extra);
        let out = qapi_gen(&dir, &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        texts.push(std::fs::read_to_string(out_dir.join("qapi_types.rs")).unwrap());
    }
    let _ = std::fs::remove_dir_all(&tmp);
    // Formatting the unformatted code gives the formatted code, once
    // each run of doc lines is one attribute, as unformatted code has it,
    // and string literals are spelled one way (raw or escaped).
    let format = |t: &str| {
        let tokens: proc_macro2::TokenStream = t.parse().expect("generated code lexes");
        let file = syn::parse2(join_docs(tokens)).expect("generated code parses");
        prettyplease::unparse(&file)
    };
    assert!(texts[0].lines().count() > 1000, "formatted code has lines");
    // One line per run of types the generator's threads share, besides
    // the introspection JSON's (a raw string, one entry a line).
    let json_lines = texts[1].matches("\n{\"").count();
    assert!(json_lines > 10, "the introspection JSON has its lines");
    assert!(
        (texts[1].lines().count() - json_lines) * 20 < texts[0].lines().count(),
        "unformatted code is not formatted"
    );
    let (formatted, unformatted) = (format(&texts[0]), format(&texts[1]));
    if formatted != unformatted {
        let at = formatted
            .bytes()
            .zip(unformatted.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(formatted.len().min(unformatted.len()));
        let around = |t: &str| {
            t.get(at.saturating_sub(200)..(at + 200).min(t.len()))
                .unwrap_or("")
                .to_owned()
        };
        panic!(
            "the code differs:\n{}\n----\n{}",
            around(&formatted),
            around(&unformatted)
        );
    }
}

/// `tokens` with every run of `#[doc]` (or `#![doc]`) attributes made
/// one attribute holding their lines, and every string literal escaped.
fn join_docs(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};

    let doc_value = |group: &Group| -> Option<String> {
        let attr: syn::MetaNameValue = syn::parse2(group.stream()).ok()?;
        if !attr.path.is_ident("doc") {
            return None;
        }
        match attr.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    };
    let flush = |out: &mut Vec<TokenTree>, run: &mut Option<(bool, Vec<String>)>| {
        if let Some((inner, lines)) = run.take() {
            let text = lines.join("\n");
            out.push(Punct::new('#', Spacing::Alone).into());
            if inner {
                out.push(Punct::new('!', Spacing::Alone).into());
            }
            let attr: TokenStream = quote::quote!(doc = #text);
            out.push(Group::new(Delimiter::Bracket, attr).into());
        }
    };
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    // The kind (inner or not) and lines of the run of doc attributes.
    let mut run: Option<(bool, Vec<String>)> = None;
    let mut i = 0;
    while i < trees.len() {
        let pound = matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == '#');
        let bang =
            pound && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let at = if bang { i + 2 } else { i + 1 };
        let doc = match trees.get(at) {
            Some(TokenTree::Group(g)) if pound && g.delimiter() == Delimiter::Bracket => {
                doc_value(g)
            }
            _ => None,
        };
        if let Some(line) = doc {
            match &mut run {
                Some((inner, lines)) if *inner == bang => lines.push(line),
                _ => {
                    flush(&mut out, &mut run);
                    run = Some((bang, vec![line]));
                }
            }
            i = at + 1;
            continue;
        }
        flush(&mut out, &mut run);
        out.push(match &trees[i] {
            TokenTree::Group(g) => {
                let mut joined = Group::new(g.delimiter(), join_docs(g.stream()));
                joined.set_span(g.span());
                joined.into()
            }
            TokenTree::Literal(l) => {
                match syn::parse2::<syn::LitStr>(TokenTree::from(l.clone()).into()) {
                    Ok(s) => proc_macro2::Literal::string(&s.value()).into(),
                    Err(_) => l.clone().into(),
                }
            }
            other => other.clone(),
        });
        i += 1;
    }
    flush(&mut out, &mut run);
    out.into_iter().collect()
}

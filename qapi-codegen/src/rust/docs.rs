//! Schema documentation as rustdoc attributes.

use proc_macro2::TokenStream;
use qapi_parser::doc::{Doc, SectionKind};
use quote::quote;

/// `#[doc]` attributes for `text`, one per line, as `///` would write.
pub fn lines(text: &str) -> TokenStream {
    let attrs = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

fn tag(kind: SectionKind) -> Option<&'static str> {
    Some(match kind {
        SectionKind::Returns => "Returns",
        SectionKind::Errors => "Errors",
        SectionKind::Since => "Since",
        SectionKind::Todo => "TODO",
        SectionKind::Note => "Note",
        SectionKind::Notes => "Notes",
        SectionKind::Example => "Example",
        SectionKind::Examples => "Examples",
        SectionKind::Plain | SectionKind::Member | SectionKind::Feature => return None,
    })
}

/// A definition's documentation: the body, its features, then the other
/// sections in order (members are documented on their fields).
pub fn definition(doc: Option<&Doc>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let mut text = doc.body().text.trim_end().to_owned();
    let features: Vec<String> = doc
        .features()
        .filter(|f| !f.stub)
        .map(|f| {
            format!(
                "- `{}`: {}",
                f.name.as_deref().unwrap_or_default(),
                f.text.trim()
            )
        })
        .collect();
    if !features.is_empty() {
        push_para(&mut text, &format!("Features:\n\n{}", features.join("\n")));
    }
    for s in doc.sections() {
        let para = match tag(s.kind) {
            Some(t) => format!("{t}: {}", s.text.trim()),
            None => s.text.trim_end().to_owned(),
        };
        push_para(&mut text, &para);
    }
    lines(&text)
}

fn push_para(text: &mut String, para: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(para);
}

/// A member's (or branch's, or enum value's) description.
pub fn member(doc: Option<&Doc>, name: &str) -> TokenStream {
    match doc.and_then(|d| d.arg(name)).filter(|s| !s.stub) {
        Some(s) => lines(&s.text),
        None => TokenStream::new(),
    }
}

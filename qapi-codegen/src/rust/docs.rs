//! Schema documentation as rustdoc attributes: a definition's body,
//! features and sections on its type, each description on the field or
//! variant it describes, in Markdown ([`super::markdown`]) with `@name`
//! references as intra-doc links where the target exists.

use proc_macro2::TokenStream;
use qapi_parser::doc::{Doc, Section, SectionKind};
use qapi_parser::schema::{EnumMember, IfCond, Member, TypeId, Variant};
use quote::quote;

use super::literal::{doc_lit, lit_str};
use super::markdown::{dedent_hanging, fenced, markdown};
use super::moved::moved;
use super::plan::Plan;

/// `#[doc]` attributes for `text`: one per line, as `///` would write,
/// or for output that is not formatted one for the whole text (rustdoc
/// reads both the same; the formatter writes only the first as `///`).
pub fn lines(plan: &Plan<'_>, text: &str) -> TokenStream {
    let text = text.trim_end();
    if text.is_empty() {
        return TokenStream::new();
    }
    if plan.unformatted() {
        let text = moved(doc_lit(text));
        return quote!(#[doc = #text]);
    }
    let attrs = text.lines().map(|line| {
        let line = if line.is_empty() {
            lit_str("", true)
        } else {
            lit_str(&format!(" {line}"), true)
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Where the references of one doc attribute lead.
pub struct Refs<'a> {
    plan: Option<&'a Plan<'a>>,
    /// The type whose members, values and branches `@name` means.
    owner: Option<TypeId>,
    /// The Rust type the text is attached to: links into it use `Self`.
    carrier: Option<String>,
    /// The conditions the documented item exists under; with conditions
    /// as features, a link must not lead to an item that may be absent.
    conds: Vec<&'a IfCond>,
}

impl<'a> Refs<'a> {
    /// References that stay code text.
    #[allow(dead_code)]
    pub fn none() -> Self {
        Refs {
            plan: None,
            owner: None,
            carrier: None,
            conds: Vec::new(),
        }
    }

    /// References from text attached to the Rust type of `owner` (or to
    /// `carrier`, a type generated for it), in the scope of `owner`'s
    /// members, under `conds`.
    pub fn new(
        plan: &'a Plan<'a>,
        owner: TypeId,
        carrier: Option<String>,
        conds: &[Option<&'a IfCond>],
    ) -> Self {
        let carrier = carrier.or_else(|| plan.type_name(owner).map(str::to_owned));
        let mut all: Vec<&IfCond> = plan.schema.def(owner).ifcond.iter().collect();
        all.extend(conds.iter().flatten());
        Refs {
            plan: Some(plan),
            owner: Some(owner),
            carrier,
            conds: all,
        }
    }

    /// Does an item under `conds` exist whenever the documented one does?
    fn exists(&self, conds: &[Option<&IfCond>]) -> bool {
        let features = self.plan.is_some_and(|p| p.cfg_features());
        !features || conds.iter().flatten().all(|c| self.conds.contains(c))
    }

    fn path(&self, ty: &str, item: &str) -> String {
        // Links name raw identifiers without their `r#`.
        let item = item.strip_prefix("r#").unwrap_or(item);
        if self.carrier.as_deref() == Some(ty) {
            format!("Self::{item}")
        } else {
            format!("{ty}::{item}")
        }
    }

    /// The intra-doc link target of `name`, if it names something emitted.
    pub fn resolve(&self, name: &str) -> Option<String> {
        let plan = self.plan?;
        self.member(plan, name).or_else(|| {
            let id = plan.schema.lookup_type(name)?;
            let ty = plan.type_name(id)?;
            self.exists(&[plan.schema.def(id).ifcond.as_ref()])
                .then(|| ty.to_owned())
        })
    }

    /// A member, value or branch of the owner.
    fn member(&self, plan: &Plan<'_>, name: &str) -> Option<String> {
        let schema = plan.schema;
        let owner = self.owner?;
        let ty = plan.type_name(owner)?;
        let def = schema.def(owner);
        if let Some(e) = def.as_enum() {
            let v = plan.variant_name(owner, name)?;
            let m = e.members.iter().find(|m| m.name == name)?;
            return self.exists(&[m.ifcond.as_ref()]).then(|| self.path(ty, v));
        }
        if let Some(a) = def.as_alternate() {
            let v = plan.variant_name(owner, name)?;
            let b = a.alternatives.variants.iter().find(|b| b.name == name)?;
            return self.exists(&[b.ifcond.as_ref()]).then(|| self.path(ty, v));
        }
        let branches = def.as_object()?.branches.as_ref();
        let tag = branches.and_then(|b| schema.tag_member(b));
        if let Some(m) = schema.members(owner).find(|m| m.name == name) {
            if tag.is_some_and(|t| t.name == name) {
                return Some(self.path(ty, "branch"));
            }
            let f = plan.field_name(owner, name)?;
            return self.exists(&[m.ifcond.as_ref()]).then(|| self.path(ty, f));
        }
        let (branches, tag) = (branches?, tag?);
        let b = branches.variants.iter().find(|b| b.name == name)?;
        let v = plan.variant_name(tag.ty, name)?;
        let value = schema.def(tag.ty).as_enum()?;
        let value_cond = value
            .members
            .iter()
            .find(|m| m.name == name)?
            .ifcond
            .as_ref();
        self.exists(&[b.ifcond.as_ref(), value_cond])
            .then(|| self.path(&plan.branch_type_name(owner), v))
    }
}

/// The word a section of this kind is headed by in rustdoc; `None` for
/// kinds that have no heading.
pub fn tag(kind: SectionKind) -> Option<&'static str> {
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

/// A description (member, feature, tagged section) as Markdown.
fn description(text: &str, refs: &Refs<'_>) -> String {
    markdown(&dedent_hanging(text), &|n| refs.resolve(n))
}

/// Appends `para` as the rest of the line `out` ends with (a lead such
/// as `Tag:`), or below it when it opens with a block.
fn push_after_lead(out: &mut String, para: &str) {
    if para.starts_with("```") {
        out.push_str("\n\n");
    } else if !para.is_empty() {
        out.push(' ');
    }
    out.push_str(para);
}

/// Appends a tagged section as a paragraph: `Tag: text`; examples
/// (before QEMU 8.2 a transcript in a section of its own) shown as
/// written.
fn push_section(text: &mut String, s: &Section, refs: &Refs<'_>) {
    let Some(t) = tag(s.kind) else {
        push_para(text, &markdown(&s.text, &|n| refs.resolve(n)));
        return;
    };
    let para = match s.kind {
        SectionKind::Example | SectionKind::Examples => fenced(&s.text),
        _ => description(&s.text, refs),
    };
    start_para(text);
    text.push_str(t);
    text.push(':');
    push_after_lead(text, &para);
}

/// A definition's documentation as Markdown: the body, its features,
/// then the other sections in order (members are documented on their
/// fields).
pub fn definition_text(doc: &Doc, refs: &Refs<'_>) -> String {
    let mut text = markdown(&doc.body().text, &|n| refs.resolve(n));
    let mut features = doc.features().filter(|f| !f.stub).peekable();
    if features.peek().is_some() {
        start_para(&mut text);
        text.push_str("Features:\n");
        for f in features {
            let body = description(&f.text, refs);
            // Continuation lines stay inside the list item.
            let body = body.replace('\n', "\n  ").replace("\n  \n", "\n\n");
            text.push_str("\n- `");
            text.push_str(f.name.as_deref().unwrap_or_default());
            text.push_str("`:");
            push_after_lead(&mut text, &body);
        }
    }
    for s in doc.sections() {
        push_section(&mut text, s, refs);
    }
    text
}

/// A definition's documentation, references left as code text (for
/// what has no type of the plan: commands and events).
pub fn definition(plan: &Plan<'_>, doc: Option<&Doc>) -> TokenStream {
    doc.map_or_else(TokenStream::new, |d| {
        lines(plan, &definition_text(d, &Refs::none()))
    })
}

fn push_para(text: &mut String, para: &str) {
    if !para.is_empty() {
        start_para(text);
        text.push_str(para);
    }
}

/// Separates the paragraph about to be appended from the text before.
fn start_para(text: &mut String) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
}

/// The description of `name` in `doc` as Markdown, if written.
pub fn described(doc: Option<&Doc>, name: &str, refs: &Refs<'_>) -> Option<String> {
    let s = doc?.arg(name).filter(|s| !s.stub)?;
    Some(description(&s.text, refs))
}

/// The documentation of emitted type `id`.
pub fn type_doc(plan: &Plan<'_>, id: TypeId) -> TokenStream {
    let Some(doc) = plan.schema.doc_of(id) else {
        return TokenStream::new();
    };
    lines(plan, &definition_text(doc, &Refs::new(plan, id, None, &[])))
}

/// The documentation of field `m` of object type `owner`: its
/// description where the member was written (a base documents its own
/// members; a command its implicit arguments type's).
pub fn field_doc(plan: &Plan<'_>, owner: TypeId, m: &Member) -> TokenStream {
    let schema = plan.schema;
    let doc = schema
        .doc_of(plan.doc_owner(m.defined_in))
        .or_else(|| schema.doc_of(plan.doc_owner(owner)));
    let refs = Refs::new(plan, owner, None, &[m.ifcond.as_ref()]);
    lines(plan, &described(doc, &m.name, &refs).unwrap_or_default())
}

/// The documentation of value `m` of enum `id`.
pub fn value_doc(plan: &Plan<'_>, id: TypeId, m: &EnumMember) -> TokenStream {
    let refs = Refs::new(plan, id, None, &[m.ifcond.as_ref()]);
    lines(
        plan,
        &described(plan.schema.doc_of(id), &m.name, &refs).unwrap_or_default(),
    )
}

/// The documentation of branch `v` of union or alternate `owner`,
/// attached to `carrier` (the union's branch enum), existing under
/// `conds`.
pub fn branch_doc(
    plan: &Plan<'_>,
    owner: TypeId,
    v: &Variant,
    carrier: Option<String>,
    conds: &[Option<&IfCond>],
) -> TokenStream {
    let refs = Refs::new(plan, owner, carrier, conds);
    lines(
        plan,
        &described(plan.schema.doc_of(owner), &v.name, &refs).unwrap_or_default(),
    )
}

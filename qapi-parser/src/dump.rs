//! The checked schema as text, in the format of QEMU's `tests/qapi-schema/*.out`.

use std::fmt::Write;

use crate::schema::{
    Branches, DefKind, Definition, Entity, EnumMember, Feature, IfCond, Member, Schema, Variant,
    Visit,
};

/// Renders `schema` as QEMU's front-end test harness prints it.
pub fn dump(schema: &Schema) -> String {
    let mut d = Dumper {
        schema,
        out: String::new(),
    };
    for step in schema.visit() {
        match step {
            Visit::Module(_, m) => d.line(0, format_args!("module {}", m.name)),
            Visit::Entity(_, Entity::Include(inc)) => {
                let target = &schema.module(inc.target).name;
                d.line(0, format_args!("include {target}"));
            }
            Visit::Entity(_, Entity::Definition(def)) => d.definition(def),
        }
    }
    for doc in schema.docs() {
        match &doc.symbol {
            Some(s) => d.line(0, format_args!("doc symbol={s}")),
            None => d.line(0, format_args!("doc freeform")),
        }
        d.line(4, format_args!("body=\n{}", doc.body().text));
        for s in doc.args() {
            let name = s.name.as_deref().unwrap_or_default();
            d.line(4, format_args!("arg={name}\n{}", s.text));
        }
        for s in doc.features() {
            let name = s.name.as_deref().unwrap_or_default();
            d.line(4, format_args!("feature={name}\n{}", s.text));
        }
        for s in doc.sections() {
            d.line(
                4,
                format_args!("section={}\n{}", doc.section_title(s), s.text),
            );
        }
    }
    d.out
}

struct Dumper<'a> {
    schema: &'a Schema,
    out: String,
}

impl<'a> Dumper<'a> {
    fn line(&mut self, indent: usize, text: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    fn name(&self, id: crate::schema::EntityId) -> &'a str {
        self.schema.name(id)
    }

    fn definition(&mut self, def: &Definition) {
        let name = &def.name;
        match &def.kind {
            // The harness leaves built-in types out.
            DefKind::Builtin(_) => return,
            DefKind::Enum(e) => {
                self.line(0, format_args!("enum {name}"));
                if let Some(p) = &e.prefix {
                    self.line(4, format_args!("prefix {p}"));
                }
                for m in &e.members {
                    self.enum_member(m);
                }
            }
            DefKind::Array(a) => {
                // Built-in arrays have no location and are left out too.
                if def.info.is_none() {
                    return;
                }
                let elt = self.name(a.element_type);
                self.line(0, format_args!("array {name} {elt}"));
                self.ifcond(&def.ifcond, 4);
                return;
            }
            DefKind::Object(o) => {
                self.line(0, format_args!("object {name}"));
                if let Some(base) = o.base {
                    let base = self.name(base);
                    self.line(4, format_args!("base {base}"));
                }
                for m in &o.local_members {
                    self.member(m);
                }
                if let Some(b) = &o.branches {
                    self.branches(b);
                }
            }
            DefKind::Alternate(a) => {
                self.line(0, format_args!("alternate {name}"));
                self.line(4, format_args!("tag {}", a.alternatives.tag_member.name));
                for v in &a.alternatives.variants {
                    self.variant(v);
                }
            }
            DefKind::Command(c) => {
                let arg = self.opt_name(c.arg_type);
                let ret = self.opt_name(c.ret_type);
                self.line(0, format_args!("command {name} {arg} -> {ret}"));
                self.line(
                    4,
                    format_args!(
                        "gen={} success_response={} boxed={} oob={} preconfig={}{}",
                        py_bool(c.gen),
                        py_bool(c.success_response),
                        py_bool(c.boxed),
                        py_bool(c.allow_oob),
                        py_bool(c.allow_preconfig),
                        if c.coroutine { " coroutine=True" } else { "" }
                    ),
                );
            }
            DefKind::Event(e) => {
                let arg = self.opt_name(e.arg_type);
                self.line(0, format_args!("event {name} {arg}"));
                self.line(4, format_args!("boxed={}", py_bool(e.boxed)));
            }
        }
        self.ifcond(&def.ifcond, 4);
        self.features(&def.features, 4);
    }

    fn opt_name(&self, id: Option<crate::schema::EntityId>) -> String {
        match id {
            Some(id) => self.name(id).to_owned(),
            None => "None".to_owned(),
        }
    }

    fn enum_member(&mut self, m: &EnumMember) {
        self.line(4, format_args!("member {}", m.name));
        self.ifcond(&m.ifcond, 8);
        self.features(&m.features, 8);
    }

    fn member(&mut self, m: &Member) {
        let ty = self.name(m.ty);
        self.line(
            4,
            format_args!("member {}: {ty} optional={}", m.name, py_bool(m.optional)),
        );
        self.ifcond(&m.ifcond, 8);
        self.features(&m.features, 8);
    }

    fn branches(&mut self, b: &Branches) {
        let schema: &'a Schema = self.schema;
        let tag = schema
            .tag_member(b)
            .map_or(b.tag_name.as_str(), |m| m.name.as_str());
        self.line(4, format_args!("tag {tag}"));
        for v in &b.variants {
            self.variant(v);
        }
    }

    fn variant(&mut self, v: &Variant) {
        let ty = self.name(v.ty);
        self.line(4, format_args!("case {}: {ty}", v.name));
        self.ifcond(&v.ifcond, 8);
    }

    fn ifcond(&mut self, ifcond: &Option<IfCond>, indent: usize) {
        if let Some(c) = ifcond {
            self.line(indent, format_args!("if {c}"));
        }
    }

    fn features(&mut self, features: &[Feature], indent: usize) {
        for f in features {
            self.line(indent, format_args!("feature {}", f.name));
            self.ifcond(&f.ifcond, indent + 4);
        }
    }
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

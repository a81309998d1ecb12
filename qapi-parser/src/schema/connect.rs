//! Connecting definitions to their documentation: every member, value,
//! branch and feature must be described (or exempted by pragma), and a
//! command returning something gets a `Returns` section.

use crate::dialect::DocCheck;
use crate::doc::Doc;
use crate::source::Pragma;
use crate::Result;

use super::entity::{DefKind, Entity};
use super::members::Feature;
use super::{EntityId, Schema};

/// Connects definition `id` to its own documentation block, if any.
pub(super) fn connect_doc(schema: &mut Schema, id: EntityId) -> Result<()> {
    let Schema {
        entities,
        docs,
        pragma,
        ..
    } = schema;
    let Some(Entity::Definition(def)) = entities.get(id.index()) else {
        return Ok(());
    };
    let Some(doc) = def.doc.and_then(|d| docs.get_mut(d.index())) else {
        return Ok(());
    };
    let ctx = Ctx { entities, pragma };
    match &def.kind {
        DefKind::Object(_) => ctx.connect_object(id, doc),
        _ => {
            connect_features(doc, &def.features)?;
            let returns_stub = matches!(doc.rules.check, DocCheck::AfterAll { returns_stub: true });
            match &def.kind {
                DefKind::Enum(e) => {
                    for m in &e.members {
                        if let Some(info) = &m.info {
                            doc.connect_member(&m.name, "value", info, pragma)?;
                        }
                        connect_features(doc, &m.features)?;
                    }
                }
                DefKind::Alternate(a) => {
                    for v in &a.alternatives.variants {
                        doc.connect_member(&v.name, "branch", &v.info, pragma)?;
                    }
                }
                DefKind::Command(c) => {
                    if let Some(arg) = c.arg_type {
                        ctx.connect_implicit(arg, doc)?;
                    }
                    if let (true, Some(_), Some(info)) = (returns_stub, c.ret_type, &def.info) {
                        doc.ensure_returns(info);
                    }
                }
                DefKind::Event(e) => {
                    if let Some(arg) = e.arg_type {
                        ctx.connect_implicit(arg, doc)?;
                    }
                }
                DefKind::Builtin(_) | DefKind::Array(_) | DefKind::Object(_) => {}
            }
            Ok(())
        }
    }
}

/// Whether a block is checked after every definition (9.1+), rather than
/// right after its own.
pub(super) fn checked_after_all(doc: &Doc) -> bool {
    matches!(doc.rules.check, DocCheck::AfterAll { .. })
}

/// Before 9.1, a definition's block is checked right after the definition
/// is; up to 4.1 only for types whose members the block describes.
pub(super) fn check_doc_early(schema: &Schema, id: EntityId) -> Result<()> {
    let Some(Entity::Definition(def)) = schema.entities.get(id.index()) else {
        return Ok(());
    };
    let Some(doc) = def.doc.and_then(|d| schema.docs.get(d.index())) else {
        return Ok(());
    };
    let checks = match doc.rules.check {
        DocCheck::AfterAll { .. } => false,
        DocCheck::PerDefinition { .. } => true,
        DocCheck::Legacy => match &def.kind {
            DefKind::Object(_) | DefKind::Alternate(_) => true,
            DefKind::Command(c) => c.arg_type.is_some_and(|a| is_implicit(schema, a)),
            DefKind::Event(e) => e.arg_type.is_some_and(|a| is_implicit(schema, a)),
            _ => false,
        },
    };
    if checks {
        doc.check()?;
    }
    Ok(())
}

fn is_implicit(schema: &Schema, id: EntityId) -> bool {
    schema
        .entities
        .get(id.index())
        .and_then(Entity::as_definition)
        .is_some_and(|d| d.is_implicit())
}

fn connect_features(doc: &mut Doc, features: &[Feature]) -> Result<()> {
    // Up to 4.1 features are never connected.
    if doc.rules.check == DocCheck::Legacy {
        return Ok(());
    }
    for f in features {
        if let Some(info) = &f.info {
            doc.connect_feature(&f.name, info)?;
        }
    }
    Ok(())
}

struct Ctx<'a> {
    entities: &'a [Entity],
    pragma: &'a Pragma,
}

impl Ctx<'_> {
    /// Connects an implicit type's members to the block of the definition
    /// that made it; written types have blocks of their own.
    fn connect_implicit(&self, id: EntityId, doc: &mut Doc) -> Result<()> {
        match self
            .entities
            .get(id.index())
            .and_then(Entity::as_definition)
        {
            Some(def) if def.is_implicit() => self.connect_object(id, doc),
            _ => Ok(()),
        }
    }

    /// An object type's features, implicit base and own members.
    fn connect_object(&self, id: EntityId, doc: &mut Doc) -> Result<()> {
        let Some(def) = self
            .entities
            .get(id.index())
            .and_then(Entity::as_definition)
        else {
            return Ok(());
        };
        connect_features(doc, &def.features)?;
        let DefKind::Object(obj) = &def.kind else {
            return Ok(());
        };
        if let Some(base) = obj.base {
            self.connect_implicit(base, doc)?;
        }
        for m in &obj.local_members {
            doc.connect_member(&m.name, "member", &m.info, self.pragma)?;
            connect_features(doc, &m.features)?;
        }
        Ok(())
    }
}

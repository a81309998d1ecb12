//! The checked, resolved schema model: the one representation every
//! emitter consumes.
//!
//! [`Schema::from_file`] parses a schema, checks its expressions, defines
//! one entity per directive and definition (plus the built-in and implicit
//! types QEMU makes), then checks the entities in definition order,
//! connecting each to its documentation, as QEMU's `QAPISchema` does: the
//! first error it would report is the one reported here.
//!
//! Entities live in an arena and refer to each other by [`EntityId`]; the
//! model is read-only once built. Emitters walk it module by module in the
//! order QEMU visits it ([`Schema::visit`]).

mod build;
mod check;
mod connect;
pub mod entity;
mod fasthash;
pub mod ifcond;
pub mod members;
pub mod module;
pub mod names;
mod pipeline;
#[cfg(test)]
mod tests;

pub use entity::{
    AlternateType, ArrayType, BuiltinType, Command, DefKind, Definition, Entity, EnumType, Event,
    Include, JsonType, ObjectType,
};
pub use ifcond::IfCond;
pub use members::{Alternatives, Branches, EnumMember, Feature, Member, Variant, SPECIAL_FEATURES};
pub use module::Module;
pub use names::{c_name, POINTER_SUFFIX};

use crate::ast::{Expression, ParsedSchema};
use crate::dialect::{FrontEnd, VisitOrder};
use crate::doc::Doc;
use crate::source::Pragma;
use crate::{Dialect, Result};

/// An entity in the arena. Ids of types are also called [`TypeId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(u32);

/// An [`EntityId`] known to name a type.
pub type TypeId = EntityId;

impl EntityId {
    /// Stands for a type not resolved yet while the model is being built;
    /// a checked schema holds none.
    pub(crate) const PENDING: EntityId = EntityId(u32::MAX);

    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn from_index(i: usize) -> Self {
        // A schema has far fewer than 2^32 entities: each takes a line.
        EntityId(u32::try_from(i).unwrap_or(u32::MAX - 1))
    }
}

/// A module in [`Schema::modules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(u32);

impl ModuleId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn from_index(i: usize) -> Self {
        ModuleId(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// A documentation block in [`Schema::docs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(u32);

impl DocId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn from_index(i: usize) -> Self {
        DocId(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// A checked schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Every entity in definition order (built-ins first).
    entities: Vec<Entity>,
    /// Definitions by name.
    by_name: fasthash::FastMap<String, EntityId>,
    /// Modules in the order they were first met: `./builtin`, the main
    /// file, then included files.
    modules: Vec<Module>,
    docs: Vec<Doc>,
    /// Every feature name used, with its first use, the special ones first.
    features: Vec<Feature>,
    pragma: Pragma,
    the_empty_object: EntityId,
    /// The release whose rules built the schema; emitters ask it too.
    dialect: Dialect,
}

/// One step of the walk QEMU's backends take: each module, then the
/// entities emitted in it.
#[derive(Debug, Clone, Copy)]
pub enum Visit<'a> {
    Module(ModuleId, &'a Module),
    Entity(EntityId, &'a Entity),
}

impl Schema {
    /// Parses, checks and resolves the schema at `path` under `dialect`'s
    /// rules.
    pub fn from_file(path: &str, dialect: &Dialect) -> Result<Schema> {
        let mut parsed = crate::parser::parse_schema(path, dialect)?;
        if dialect.front_end == FrontEnd::Legacy {
            crate::expr::check_exprs(&mut parsed, dialect)?;
            return Schema::from_parsed(parsed, path, dialect);
        }
        // The entities are defined while the expressions are checked.
        Schema::build(parsed, path, dialect, |exprs, docs, pragma, builder| {
            pipeline::check_and_define(exprs, docs, pragma, dialect, builder)
        })
    }

    /// Builds and checks the model of expressions already parsed and
    /// checked (`path` is the main file's name as given to the parser).
    pub fn from_parsed(parsed: ParsedSchema, path: &str, dialect: &Dialect) -> Result<Schema> {
        Schema::build(parsed, path, dialect, |exprs, _, _, builder| {
            builder.def_predefineds()?;
            builder.def_exprs(exprs)
        })
    }

    /// The model of `parsed`, whose entities `define` defines.
    fn build(
        parsed: ParsedSchema,
        path: &str,
        dialect: &Dialect,
        define: impl FnOnce(&mut [Expression], &[Doc], &Pragma, &mut build::Builder) -> Result<()>,
    ) -> Result<Schema> {
        let ParsedSchema {
            mut exprs,
            docs,
            pragma,
        } = parsed;
        let mut builder = build::Builder::new(path, dialect);
        define(&mut exprs, &docs, &pragma, &mut builder)?;
        builder.attach(docs, pragma);
        Schema::check_built(builder, exprs)
    }

    /// Checks the entities defined from `exprs`, and frees those.
    fn check_built(mut builder: build::Builder, exprs: Vec<Expression>) -> Result<Schema> {
        // The model took the expressions' strings; freeing what is left
        // (keys, containers) is a good part of the build, and the
        // serial check leaves the other core idle.
        std::thread::scope(|scope| {
            // Should no thread start, the expressions are freed at once.
            let _ = std::thread::Builder::new().spawn_scoped(scope, move || drop(exprs));
            builder.check()
        })?;
        Ok(builder.finish())
    }

    // ---- entities ----

    /// Every entity with its id, in definition order.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId::from_index(i), e))
    }

    /// Every definition with its id, in definition order.
    pub fn definitions(&self) -> impl Iterator<Item = (EntityId, &Definition)> {
        self.entities()
            .filter_map(|(id, e)| e.as_definition().map(|d| (id, d)))
    }

    /// The entity `id`. Panics on an id not from this schema.
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    /// The definition `id`. Panics on an id not from this schema or naming
    /// an `include`; ids the model hands out for types, commands and events
    /// are always definitions.
    pub fn def(&self, id: EntityId) -> &Definition {
        match self.entity(id) {
            Entity::Definition(d) => d,
            Entity::Include(_) => panic!("entity {} is not a definition", id.index()),
        }
    }

    /// The definition's name.
    pub fn name(&self, id: EntityId) -> &str {
        &self.def(id).name
    }

    /// The definition named `name`.
    pub fn lookup(&self, name: &str) -> Option<EntityId> {
        self.by_name.get(name).copied()
    }

    pub fn lookup_def(&self, name: &str) -> Option<&Definition> {
        self.lookup(name).map(|id| self.def(id))
    }

    /// The type named `name` (not a command or event).
    pub fn lookup_type(&self, name: &str) -> Option<TypeId> {
        self.lookup(name).filter(|&id| self.def(id).is_type())
    }

    /// The built-in empty object type `q_empty` (the type of union
    /// branches that add nothing).
    pub fn the_empty_object(&self) -> TypeId {
        self.the_empty_object
    }

    // ---- object types ----

    /// All members of an object type: the base's (recursively), then its
    /// own. Empty for other definitions.
    pub fn members(&self, id: TypeId) -> impl Iterator<Item = &Member> {
        self.member_slots(id).map(|(_, _, m)| m)
    }

    /// [`Schema::members`] with where each is defined: the owning type and
    /// the index among its local members.
    pub fn member_slots(&self, id: TypeId) -> impl Iterator<Item = (TypeId, usize, &Member)> {
        let mut chain = Vec::new();
        let mut next = Some(id);
        while let Some(cur) = next {
            let Some(obj) = self.def(cur).as_object() else {
                break;
            };
            chain.push((cur, obj));
            next = obj.base;
            // Bases cannot form a cycle in a checked schema; stop anyway
            // rather than loop.
            if chain.len() > self.entities.len() {
                break;
            }
        }
        chain.into_iter().rev().flat_map(|(owner, o)| {
            o.local_members
                .iter()
                .enumerate()
                .map(move |(i, m)| (owner, i, m))
        })
    }

    /// The discriminator member of a union's branches.
    pub fn tag_member(&self, branches: &Branches) -> Option<&Member> {
        let (owner, index) = branches.tag?;
        self.def(owner).as_object()?.local_members.get(index)
    }

    /// Does the object type have no members and no branches?
    pub fn is_empty_object(&self, id: TypeId) -> bool {
        self.members(id).next().is_none()
            && self
                .def(id)
                .as_object()
                .is_some_and(|o| o.branches.is_none())
    }

    /// Does any member (own or inherited) have a condition?
    pub fn has_conditional_members(&self, id: TypeId) -> bool {
        self.members(id).any(|m| m.ifcond.is_some())
    }

    /// Does an optional member need a separate "present" flag in QEMU's C?
    pub fn need_has(&self, member: &Member) -> bool {
        member.optional && self.def(member.ty).need_has_if_optional()
    }

    /// How documentation names a type: its name, `array of X`, the JSON
    /// type of built-ins; `None` for implicit types.
    pub fn doc_type(&self, id: TypeId) -> Option<String> {
        let def = self.def(id);
        match &def.kind {
            DefKind::Builtin(b) => Some(b.json_type.as_str().to_owned()),
            DefKind::Array(a) => Some(format!("array of {}", self.doc_type(a.element_type)?)),
            _ if def.is_implicit() => None,
            _ => Some(def.name.clone()),
        }
    }

    // ---- modules and visiting ----

    /// Modules in visit order.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// The module an entity is emitted in.
    pub fn module_of(&self, id: EntityId) -> &Module {
        self.module(self.entity(id).module())
    }

    /// The module named `name`.
    pub fn lookup_module(&self, name: &str) -> Option<ModuleId> {
        self.modules
            .iter()
            .position(|m| m.name == name)
            .map(ModuleId::from_index)
    }

    /// Walks the schema as QEMU's backends do: every module in order, each
    /// followed by its entities in definition order.
    pub fn visit(&self) -> Box<dyn Iterator<Item = Visit<'_>> + '_> {
        match self.dialect.visit_order {
            VisitOrder::ByModule => {
                Box::new(self.modules.iter().enumerate().flat_map(move |(i, m)| {
                    std::iter::once(Visit::Module(ModuleId::from_index(i), m)).chain(
                        m.entities
                            .iter()
                            .map(move |&id| Visit::Entity(id, self.entity(id))),
                    )
                }))
            }
            VisitOrder::EntityList { initial_module } => {
                // Before 5.0 QEMU walked the entity list, announcing the
                // module whenever it changed.
                let builtin = self.lookup_module(Module::BUILTIN);
                let mut current = if initial_module { None } else { builtin };
                Box::new(self.entities().flat_map(move |(id, e)| {
                    let module = e.module();
                    let announce = (current != Some(module)).then(|| {
                        current = Some(module);
                        Visit::Module(module, self.module(module))
                    });
                    announce
                        .into_iter()
                        .chain(std::iter::once(Visit::Entity(id, e)))
                }))
            }
        }
    }

    // ---- documentation and schema-wide settings ----

    /// Every documentation block in source order.
    pub fn docs(&self) -> &[Doc] {
        &self.docs
    }

    pub fn doc(&self, id: DocId) -> &Doc {
        &self.docs[id.index()]
    }

    /// The documentation block of a definition.
    pub fn doc_of(&self, id: EntityId) -> Option<&Doc> {
        let doc = self.entity(id).as_definition()?.doc?;
        self.docs.get(doc.index())
    }

    /// Every feature name the schema uses, each with its first use, the
    /// [`SPECIAL_FEATURES`] first.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    pub fn pragma(&self) -> &Pragma {
        &self.pragma
    }
}

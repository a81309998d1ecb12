//! Entities: the directives and definitions of a schema, and what each
//! kind of definition holds.

use std::borrow::Cow;

use crate::source::Info;

use super::ifcond::IfCond;
use super::members::{Alternatives, Branches, EnumMember, Feature, Member};
use super::names::{c_name, POINTER_SUFFIX};
use super::{DocId, EntityId, ModuleId};

/// A schema entity, in the order the schema defines it.
// Includes are few; boxing definitions would cost every lookup an
// indirection to save little.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Entity {
    Include(Include),
    Definition(Definition),
}

impl Entity {
    pub fn info(&self) -> Option<&Info> {
        match self {
            Entity::Include(i) => Some(&i.info),
            Entity::Definition(d) => d.info.as_ref(),
        }
    }

    /// The module the entity is emitted in.
    pub fn module(&self) -> ModuleId {
        match self {
            Entity::Include(i) => i.module,
            Entity::Definition(d) => d.module,
        }
    }

    pub fn as_definition(&self) -> Option<&Definition> {
        match self {
            Entity::Definition(d) => Some(d),
            Entity::Include(_) => None,
        }
    }

    pub(crate) fn as_definition_mut(&mut self) -> Option<&mut Definition> {
        match self {
            Entity::Definition(d) => Some(d),
            Entity::Include(_) => None,
        }
    }
}

/// An `include` directive.
#[derive(Debug, Clone)]
pub struct Include {
    pub info: Info,
    /// The including module.
    pub module: ModuleId,
    /// The included module.
    pub target: ModuleId,
}

/// A named definition: a type, command or event.
#[derive(Debug, Clone)]
pub struct Definition {
    pub name: String,
    /// Where it is defined. Built-in types have none; implicit types have
    /// the location of the definition that made them (for array types,
    /// the first use).
    pub info: Option<Info>,
    pub doc: Option<DocId>,
    /// For array types, the element type's condition.
    pub ifcond: Option<IfCond>,
    pub features: Vec<Feature>,
    pub module: ModuleId,
    pub kind: DefKind,
}

/// What a definition is.
#[derive(Debug, Clone)]
pub enum DefKind {
    Builtin(BuiltinType),
    Enum(EnumType),
    Array(ArrayType),
    Object(ObjectType),
    Alternate(AlternateType),
    Command(Command),
    Event(Event),
}

/// A type's JSON representation on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    String,
    Number,
    Int,
    Boolean,
    Null,
    /// Any JSON value.
    Value,
    Array,
    Object,
}

impl JsonType {
    /// The name QEMU uses (`string`, `number`, ..., `value`).
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Int => "int",
            JsonType::Boolean => "boolean",
            JsonType::Null => "null",
            JsonType::Value => "value",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The `QType` value an alternate's branch of this JSON type is
    /// recognized by; `None` when such a branch cannot be told apart.
    pub fn alternate_qtype(self) -> Option<&'static str> {
        Some(match self {
            JsonType::Null => "QTYPE_QNULL",
            JsonType::String => "QTYPE_QSTRING",
            JsonType::Number | JsonType::Int => "QTYPE_QNUM",
            JsonType::Boolean => "QTYPE_QBOOL",
            JsonType::Array => "QTYPE_QLIST",
            JsonType::Object => "QTYPE_QDICT",
            JsonType::Value => return None,
        })
    }
}

/// A built-in scalar type (`str`, `int`, ..., `any`, `null`).
#[derive(Debug, Clone)]
pub struct BuiltinType {
    pub json_type: JsonType,
    /// QEMU's C type, pointers marked with [`POINTER_SUFFIX`].
    pub c_type: Cow<'static, str>,
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub members: Vec<EnumMember>,
    pub prefix: Option<String>,
    /// Made by the schema: `QType`, and a simple union's `<Union>Kind`
    /// (releases up to 6.1).
    pub implicit: bool,
}

impl EnumType {
    pub fn member_names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|m| m.name.as_str())
    }
}

/// An array type `FooList`, made for each element type used in brackets
/// (and for every built-in type).
#[derive(Debug, Clone)]
pub struct ArrayType {
    pub element_type_name: String,
    /// Resolved by the check.
    pub element_type: EntityId,
}

/// A struct (no branches) or union (base and branches).
#[derive(Debug, Clone)]
pub struct ObjectType {
    pub base_name: Option<String>,
    /// Resolved by the check.
    pub base: Option<EntityId>,
    /// The members written in this definition (not the base's).
    pub local_members: Vec<Member>,
    pub branches: Option<Branches>,
}

#[derive(Debug, Clone)]
pub struct AlternateType {
    pub alternatives: Alternatives,
}

#[derive(Debug, Clone)]
pub struct Command {
    pub arg_type_name: Option<String>,
    /// Resolved by the check; always an object type.
    pub arg_type: Option<EntityId>,
    pub ret_type_name: Option<String>,
    pub ret_type: Option<EntityId>,
    pub gen: bool,
    pub success_response: bool,
    pub boxed: bool,
    pub allow_oob: bool,
    pub allow_preconfig: bool,
    pub coroutine: bool,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub arg_type_name: Option<String>,
    /// Resolved by the check; always an object type.
    pub arg_type: Option<EntityId>,
    pub boxed: bool,
}

impl Definition {
    /// The meta-type as QEMU names it in messages.
    pub fn meta(&self) -> &'static str {
        match &self.kind {
            DefKind::Builtin(_) => "built-in",
            DefKind::Enum(_) => "enum",
            DefKind::Array(_) => "array",
            DefKind::Object(o) if o.branches.is_some() => "union",
            DefKind::Object(_) => "struct",
            DefKind::Alternate(_) => "alternate",
            DefKind::Command(_) => "command",
            DefKind::Event(_) => "event",
        }
    }

    pub fn is_type(&self) -> bool {
        !matches!(self.kind, DefKind::Command(_) | DefKind::Event(_))
    }

    /// How messages refer to the definition: `struct type 'Foo'`,
    /// `array type ['Foo']`, `command 'foo'`.
    pub fn describe(&self) -> String {
        match &self.kind {
            DefKind::Array(a) => format!("array type ['{}']", a.element_type_name),
            _ if self.is_type() => format!("{} type '{}'", self.meta(), self.name),
            _ => format!("{} '{}'", self.meta(), self.name),
        }
    }

    /// Was the definition made by the schema rather than written in it?
    /// (Built-ins, array types, `q_obj_*` argument and base types,
    /// `q_empty`, `QType`.)
    pub fn is_implicit(&self) -> bool {
        match &self.kind {
            DefKind::Enum(e) => e.implicit,
            DefKind::Array(_) => true,
            DefKind::Object(_) => self.name.starts_with("q_"),
            _ => self.info.is_none(),
        }
    }

    /// The name as a C identifier (built-in types keep theirs).
    pub fn c_name(&self) -> Cow<'_, str> {
        match &self.kind {
            DefKind::Builtin(_) => Cow::Borrowed(&self.name),
            _ => c_name(&self.name, true),
        }
    }

    /// QEMU's C type for the type, pointers marked with
    /// [`POINTER_SUFFIX`]; `None` for commands and events.
    pub fn c_type(&self) -> Option<Cow<'_, str>> {
        Some(match &self.kind {
            DefKind::Builtin(b) => Cow::Borrowed(&*b.c_type),
            DefKind::Enum(_) => c_name(&self.name, true),
            DefKind::Array(_) | DefKind::Object(_) | DefKind::Alternate(_) => {
                Cow::Owned(format!("{}{POINTER_SUFFIX}", c_name(&self.name, true)))
            }
            DefKind::Command(_) | DefKind::Event(_) => return None,
        })
    }

    /// Does an optional member of this type need a separate "present"
    /// flag? (Pointers tell by being null, except arrays, where null is
    /// the empty array.)
    pub fn need_has_if_optional(&self) -> bool {
        match &self.kind {
            DefKind::Array(_) => true,
            _ => !self.c_type().is_some_and(|t| t.ends_with(POINTER_SUFFIX)),
        }
    }

    /// The JSON type of a type's values; `None` for commands and events.
    pub fn json_type(&self) -> Option<JsonType> {
        Some(match &self.kind {
            DefKind::Builtin(b) => b.json_type,
            DefKind::Enum(_) => JsonType::String,
            DefKind::Array(_) => JsonType::Array,
            DefKind::Object(_) => JsonType::Object,
            DefKind::Alternate(_) => JsonType::Value,
            DefKind::Command(_) | DefKind::Event(_) => return None,
        })
    }

    /// See [`JsonType::alternate_qtype`].
    pub fn alternate_qtype(&self) -> Option<&'static str> {
        self.json_type()?.alternate_qtype()
    }

    pub fn as_enum(&self) -> Option<&EnumType> {
        match &self.kind {
            DefKind::Enum(e) => Some(e),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&ObjectType> {
        match &self.kind {
            DefKind::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&ArrayType> {
        match &self.kind {
            DefKind::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_alternate(&self) -> Option<&AlternateType> {
        match &self.kind {
            DefKind::Alternate(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_command(&self) -> Option<&Command> {
        match &self.kind {
            DefKind::Command(c) => Some(c),
            _ => None,
        }
    }

    pub fn as_event(&self) -> Option<&Event> {
        match &self.kind {
            DefKind::Event(e) => Some(e),
            _ => None,
        }
    }
}

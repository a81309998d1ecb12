//! What definitions are made of: object members, enum values, union and
//! alternate branches, features.

use crate::source::Info;

use super::ifcond::IfCond;
use super::EntityId;

/// The special features every schema knows, in the order QEMU numbers them.
pub const SPECIAL_FEATURES: [&str; 2] = ["deprecated", "unstable"];

/// A feature of a definition, member or enum value.
#[derive(Debug, Clone)]
pub struct Feature {
    pub name: String,
    /// The definition's location (QEMU has no finer one); `None` for the
    /// special features the schema predefines.
    pub info: Option<Info>,
    pub ifcond: Option<IfCond>,
}

impl Feature {
    /// Is this one of the [`SPECIAL_FEATURES`], which the generated code
    /// knows by name?
    pub fn is_special(&self) -> bool {
        SPECIAL_FEATURES.contains(&self.name.as_str())
    }
}

/// A member of an object type (struct member, command or event argument,
/// union base member).
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    /// The location of the definition that wrote the member.
    pub info: Info,
    /// The type's name as written (`FooList` for `['Foo']`).
    pub type_name: String,
    /// The type, resolved by the check.
    pub ty: EntityId,
    pub optional: bool,
    pub ifcond: Option<IfCond>,
    pub features: Vec<Feature>,
    /// The object type the member belongs to.
    pub defined_in: EntityId,
}

/// A value of an enum type.
#[derive(Debug, Clone)]
pub struct EnumMember {
    pub name: String,
    /// `None` for the values of the built-in `QType`.
    pub info: Option<Info>,
    pub ifcond: Option<IfCond>,
    pub features: Vec<Feature>,
}

/// A branch of a union or an alternate.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The tag value (unions) or branch name (alternates).
    pub name: String,
    pub info: Info,
    pub type_name: String,
    /// The branch's type, resolved by the check.
    pub ty: EntityId,
    pub ifcond: Option<IfCond>,
    /// The definition the branch belongs to. For branches a union leaves
    /// out, which the check adds with the empty type, this is the type
    /// defining the discriminator, as in QEMU.
    pub defined_in: EntityId,
}

/// The branches of a union, selected by the discriminator member of its
/// base.
#[derive(Debug, Clone)]
pub struct Branches {
    /// The union's location.
    pub info: Info,
    /// The discriminator's name as written.
    pub tag_name: String,
    /// The discriminator member, set by the check: the owning object type
    /// and the index among its local members.
    pub tag: Option<(EntityId, usize)>,
    /// Written branches in order, then one branch of the empty type for
    /// each discriminator value not written (added by the check).
    pub variants: Vec<Variant>,
}

/// The branches of an alternate, told apart by JSON type.
#[derive(Debug, Clone)]
pub struct Alternatives {
    pub info: Info,
    /// The implicit `type` member of type `QType`.
    pub tag_member: Member,
    pub variants: Vec<Variant>,
}

//! The language rules of each QEMU release.
//!
//! The schema language changed between QEMU releases. Every rule that
//! differs is a field here, filled in per release by one table
//! ([`Dialect::for_release`]), so the checks ask the dialect what to do
//! instead of comparing release numbers.

/// Which expression checker a release has: QEMU rewrote its front end in
/// 4.2, changing the order of checks and the wording of most messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontEnd {
    /// 2.12 to 4.1: one module, three passes, capitalised messages.
    Legacy,
    /// 4.2 onwards.
    Modern,
}

/// What `stray` characters the lexer reports in one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrayStyle {
    /// Up to 4.1: the single character.
    SingleChar,
    /// 4.2 to 8.0: a run up to structural, white-space or quote characters.
    RunStopAtQuotes,
    /// 8.1 onwards: a run up to structural, white-space or `'` characters.
    RunStopAtSingleQuote,
}

/// The pragma names a release knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaSet {
    /// Up to 5.2: `returns-whitelist`, `name-case-whitelist`.
    Whitelists,
    /// 6.0 to 8.2: `*-exceptions`.
    Exceptions,
    /// 9.1 onwards: also `documentation-exceptions`.
    ExceptionsAndDoc,
}

/// Where and how name case rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRules {
    /// Up to 4.1: uppercase letters checked on the model.
    ModelUppercase,
    /// 4.2 to 5.2: uppercase letters checked on expressions.
    ExprUppercase,
    /// 6.0 onwards: CamelCase types, lower-case members, UPPER events.
    Stem,
}

/// Which names feature names may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureNameRule {
    /// Any valid name (subject to the case rules of the era).
    Valid,
    /// Lower-case names only.
    Lower,
}

/// Which definitions the `Kind`/`List` name suffixes are reserved for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuffixRule {
    /// Up to 6.0: `Kind` and `List` for every definition.
    KindListAllMetas,
    /// 6.1: `Kind` and `List` for types.
    KindListTypes,
    /// 6.2 onwards: `List` for types.
    ListTypes,
}

/// The forms an `if` condition may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfSyntax {
    /// 2.12: no conditions.
    None,
    /// 3.0 to 6.1: a string (a C preprocessor expression) or a list of
    /// them (all must hold).
    StrList {
        /// Up to 4.1 only an exactly empty list is refused.
        exact_empty_only: bool,
    },
    /// 6.2 onwards: a name, `{'all': [...]}`, `{'any': [...]}`, `{'not': ...}`.
    Tree,
}

/// How `if` on members, branches and enum values is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberIf {
    /// Up to 3.1: not allowed.
    None,
    /// 4.0 to 4.1: enum values validated, others only key-checked.
    UncheckedExceptEnum,
    /// 4.2 onwards.
    Checked,
}

/// Where `features` may appear, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeatureSites(pub u8);

impl FeatureSites {
    pub const NONE: Self = FeatureSites(0);
    pub const STRUCT: Self = FeatureSites(1);
    pub const COMMAND: Self = FeatureSites(2);
    /// Every definition, and object members.
    pub const ALL_DEFS_AND_MEMBERS: Self = FeatureSites(4);
    pub const ENUM_VALUES: Self = FeatureSites(8);

    pub const fn with(self, other: Self) -> Self {
        FeatureSites(self.0 | other.0)
    }

    pub const fn has(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The order in which entities are visited (dump, introspection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitOrder {
    /// Up to 4.2: definition order over the whole schema, announcing the
    /// module whenever it changes.
    EntityList {
        /// The built-in module is announced first (4.0 to 4.2); before,
        /// the built-ins come without a module.
        initial_module: bool,
    },
    /// 5.0 onwards: grouped by module.
    ByModule,
}

/// How the expression checker finds a definition's meta-type key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaRule {
    /// Up to 6.1: the first of enum, union, alternate, struct, command,
    /// event; a second one is reported later as an unknown key.
    FirstOf,
    /// 6.2 onwards: exactly one of them.
    ExactlyOne,
}

/// How type references in `data`, `base`, `returns` and branches are
/// checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeChecks {
    /// 4.2 to 8.0: one `check_type` with allow-array/allow-dict switches.
    CheckType,
    /// 8.1 onwards: one function per allowed shape, with their own messages.
    Split,
}

/// Which generation of doc-comment parser a release has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocParser {
    /// 2.12 to 4.0: every line of a definition block goes through one
    /// handler; lines are stripped.
    V1,
    /// 4.1 to 5.1: body, member, feature and "various" modes; `Features:`.
    V2,
    /// 5.2 to 8.0: indentation rules; `# =` splits free-form blocks.
    V3,
    /// 8.1 to 8.2: tags and names matched by regex, indentation fixed by
    /// the second line of a section.
    V4,
    V5 {
        /// 10.0 onwards: empty sections are named by kind (`Member`), not
        /// by tag (`@name`).
        kind_titles: bool,
        /// Up to 10.0: `# =` heading rules.
        eq_rules: bool,
        /// 10.2: line length and sentence spacing.
        line_rules: bool,
    },
}

/// The wording of doc-comment syntax errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocMessages {
    /// Up to 4.1: capitalised (`Invalid name`).
    Capitalised,
    /// 4.2 to 6.1: lower case (`invalid name`).
    Lower,
    /// 6.2 onwards: an empty symbol is `name required after '@'`.
    NameRequired,
}

/// When and how documentation blocks are checked against the definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocCheck {
    /// Up to 4.1: object types (also implicit ones) and alternates connect
    /// their members while they are checked and check their block at the
    /// end; features are never connected.
    Legacy,
    /// 4.2 to 8.2: each definition's block is connected and checked right
    /// after the definition; undocumented members get silent stubs.
    PerDefinition {
        /// 4.2: features are connected while the definition is checked.
        features_in_check: bool,
        /// 6.2 onwards: bogus feature descriptions are called features
        /// (before: members).
        feature_word: bool,
    },
    /// 9.1 onwards: blocks are checked after every definition; members
    /// without description are errors.
    AfterAll {
        /// 10.1 onwards: commands that return something get a stub
        /// `Returns` section.
        returns_stub: bool,
    },
}

/// A QEMU release's QAPI language rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// The release, as (major, minor).
    pub release: (u32, u32),
    pub front_end: FrontEnd,
    // lexer and parser
    /// `null` is a literal (up to 4.1).
    pub null_literal: bool,
    /// JSON-like string escapes (up to 4.1); later only `\\`.
    pub full_escapes: bool,
    pub stray: StrayStyle,
    /// Syntax messages still offer `null` (4.2 to 5.2; it no longer lexes).
    pub parse_msgs_mention_null: bool,
    /// Any value may start a top-level expression, and one that is not an
    /// object is a semantic error (6.1+); before, `{` is expected.
    pub top_level_any_value: bool,
    // directives
    pub pragmas: PragmaSet,
    // names
    pub case_rules: CaseRules,
    pub feature_name_rule: FeatureNameRule,
    pub suffix_rule: SuffixRule,
    // conditions
    pub ifcond: IfSyntax,
    pub member_if: MemberIf,
    // features
    pub features_on: FeatureSites,
    /// Feature names with a meaning of their own.
    pub special_features: &'static [&'static str],
    /// The most features a definition may have.
    pub max_features: Option<usize>,
    // flags
    pub allow_preconfig: bool,
    pub coroutine: bool,
    /// Conditional command/event arguments need `'boxed': true` (8.1+).
    pub conditional_args_need_boxed: bool,
    // unions and alternates
    /// Unions without `base` and `discriminator` (up to 6.1).
    pub simple_unions: bool,
    /// A flat union must have a branch for every tag value (2.12).
    pub flat_union_must_cover_enum: bool,
    /// Values without a branch get an implicit empty one (3.0+).
    pub implicit_empty_branches: bool,
    /// A union branch may itself be a union (8.1+).
    pub union_branch_may_be_union: bool,
    pub alternate_min_branches: usize,
    /// Alternates may have array branches (7.1+).
    pub alternate_arrays: bool,
    // model
    pub visit_order: VisitOrder,
    /// The name of the built-in module (`./builtin` from 6.0).
    pub builtin_module: Option<&'static str>,
    /// QType's `prefix` (up to 9.1).
    pub qtype_prefix: Option<&'static str>,
    // expression checker details
    pub meta_rule: MetaRule,
    pub type_checks: TypeChecks,
    /// Definition features are checked inside the struct and command
    /// checks, before the definition's `if` (4.2).
    pub features_in_meta_check: bool,
    /// The reserved-member-name test sees the optional member's `*`, so
    /// optional `*has-x` and `*u` escape it (up to 5.2).
    pub reserved_check_keeps_star: bool,
    /// Messages name the command or type owning an implicit argument or
    /// base type's member when it is not the one being checked (8.1+).
    pub describe_implicit_owner: bool,
    // docs
    pub doc_parser: DocParser,
    pub doc_messages: DocMessages,
    pub doc_check: DocCheck,
    // introspection
    /// `allow-oob` emitted for every command (2.12).
    pub intro_allow_oob_always: bool,
    pub intro_features: FeatureSites,
    /// Enum entries have `members` (6.2+).
    pub intro_enum_members: bool,
}

impl Dialect {
    /// The newest release this crate knows; its rules are the strictest.
    pub fn newest() -> Self {
        Dialect::for_release((10, 2))
    }

    /// The rules of a release (`(4, 0)` for 4.0 and for the commit that
    /// added `x-blockdev-reopen`). Releases between known ones take the
    /// rules of the newest known release before them.
    pub fn for_release(release: (u32, u32)) -> Self {
        let at_least = |major: u32, minor: u32| release >= (major, minor);
        let features_on = {
            let mut f = FeatureSites::NONE;
            if at_least(4, 1) {
                f = f.with(FeatureSites::STRUCT);
            }
            if at_least(4, 2) {
                f = f.with(FeatureSites::COMMAND);
            }
            if at_least(5, 0) {
                f = f.with(FeatureSites::ALL_DEFS_AND_MEMBERS);
            }
            if at_least(6, 2) {
                f = f.with(FeatureSites::ENUM_VALUES);
            }
            f
        };
        Dialect {
            release,
            front_end: if at_least(4, 2) {
                FrontEnd::Modern
            } else {
                FrontEnd::Legacy
            },
            null_literal: !at_least(4, 2),
            full_escapes: !at_least(4, 2),
            stray: if at_least(8, 1) {
                StrayStyle::RunStopAtSingleQuote
            } else if at_least(4, 2) {
                StrayStyle::RunStopAtQuotes
            } else {
                StrayStyle::SingleChar
            },
            parse_msgs_mention_null: !at_least(6, 0),
            top_level_any_value: at_least(6, 1),
            pragmas: if at_least(9, 1) {
                PragmaSet::ExceptionsAndDoc
            } else if at_least(6, 0) {
                PragmaSet::Exceptions
            } else {
                PragmaSet::Whitelists
            },
            case_rules: if at_least(6, 0) {
                CaseRules::Stem
            } else if at_least(4, 2) {
                CaseRules::ExprUppercase
            } else {
                CaseRules::ModelUppercase
            },
            feature_name_rule: if at_least(7, 1) || (at_least(6, 0) && !at_least(6, 1)) {
                FeatureNameRule::Lower
            } else {
                FeatureNameRule::Valid
            },
            suffix_rule: if at_least(6, 2) {
                SuffixRule::ListTypes
            } else if at_least(6, 1) {
                SuffixRule::KindListTypes
            } else {
                SuffixRule::KindListAllMetas
            },
            ifcond: if at_least(6, 2) {
                IfSyntax::Tree
            } else if at_least(3, 0) {
                IfSyntax::StrList {
                    exact_empty_only: !at_least(4, 2),
                }
            } else {
                IfSyntax::None
            },
            member_if: if at_least(4, 2) {
                MemberIf::Checked
            } else if at_least(4, 0) {
                MemberIf::UncheckedExceptEnum
            } else {
                MemberIf::None
            },
            features_on,
            special_features: if at_least(6, 2) {
                &["deprecated", "unstable"]
            } else if at_least(5, 0) {
                &["deprecated"]
            } else {
                &[]
            },
            max_features: at_least(10, 0).then_some(64),
            allow_preconfig: at_least(3, 0),
            coroutine: at_least(5, 2),
            conditional_args_need_boxed: at_least(8, 1),
            simple_unions: !at_least(6, 2),
            flat_union_must_cover_enum: !at_least(3, 0),
            implicit_empty_branches: at_least(3, 0),
            union_branch_may_be_union: at_least(8, 1),
            alternate_min_branches: if at_least(4, 2) { 1 } else { 2 },
            alternate_arrays: at_least(7, 1),
            visit_order: if at_least(5, 0) {
                VisitOrder::ByModule
            } else {
                VisitOrder::EntityList {
                    initial_module: at_least(4, 0),
                }
            },
            builtin_module: at_least(6, 0).then_some("./builtin"),
            qtype_prefix: (!at_least(9, 2)).then_some("QTYPE"),
            meta_rule: if at_least(6, 2) {
                MetaRule::ExactlyOne
            } else {
                MetaRule::FirstOf
            },
            type_checks: if at_least(8, 1) {
                TypeChecks::Split
            } else {
                TypeChecks::CheckType
            },
            features_in_meta_check: !at_least(5, 0),
            reserved_check_keeps_star: !at_least(6, 0),
            describe_implicit_owner: at_least(8, 1),
            doc_parser: if at_least(9, 1) {
                DocParser::V5 {
                    kind_titles: at_least(10, 0),
                    eq_rules: !at_least(10, 1),
                    line_rules: at_least(10, 2),
                }
            } else if at_least(8, 1) {
                DocParser::V4
            } else if at_least(5, 2) {
                DocParser::V3
            } else if at_least(4, 1) {
                DocParser::V2
            } else {
                DocParser::V1
            },
            doc_messages: if at_least(6, 2) {
                DocMessages::NameRequired
            } else if at_least(4, 2) {
                DocMessages::Lower
            } else {
                DocMessages::Capitalised
            },
            doc_check: if at_least(9, 1) {
                DocCheck::AfterAll {
                    returns_stub: at_least(10, 1),
                }
            } else if at_least(4, 2) {
                DocCheck::PerDefinition {
                    features_in_check: !at_least(5, 0),
                    feature_word: at_least(6, 2),
                }
            } else {
                DocCheck::Legacy
            },
            intro_allow_oob_always: !at_least(3, 0),
            intro_features: features_on,
            intro_enum_members: at_least(6, 2),
        }
    }
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::newest()
    }
}

//! The check: resolves every type name and enforces the rules that need
//! the whole schema, entity by entity in definition order, each
//! definition's documentation connected right after it is checked, as in
//! QEMU (whose order decides which error is reported first).

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use crate::source::Info;
use crate::{Dialect, QapiError, Result};

use super::build::Builder;
use super::connect;
use super::entity::{DefKind, Definition, Entity};
use super::fasthash::{FastMap as HashMap, FastSet as HashSet};
use super::members::{Member, Variant};
use super::names::{c_name, push_c_name};
use super::{EntityId, Schema};

/// Where a definition is in the check: object types check their base and
/// branch types first, which reveals types that contain themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Unchecked,
    InProgress,
    Done,
}

/// A name taken in a clash check, and what took it.
#[derive(Debug, Clone, Copy)]
enum Who {
    /// An object type's local member.
    Member { owner: EntityId, index: usize },
    /// An alternate's branch.
    Branch { owner: EntityId, index: usize },
    /// An enum's value.
    Value { owner: EntityId, index: usize },
    /// A definition's feature.
    Feature { owner: EntityId, index: usize },
    /// A feature of an object type's local member.
    MemberFeature {
        owner: EntityId,
        member: usize,
        index: usize,
    },
}

/// Names taken so far, by C name.
///
/// Every member, value and feature name of the schema passes through
/// here, so taking one allocates nothing: the C names are written back
/// to back into one buffer and found by their hash.
#[derive(Default)]
struct Seen {
    /// The C names taken (and removed ones, which stay).
    text: String,
    /// By hash of the C name: the C name and who took it.
    taken: HashMap<u64, Taken>,
    /// Names whose hash an earlier name has (possible, never seen).
    collided: Vec<(u64, Taken)>,
}

#[derive(Debug, Clone, Copy)]
struct Taken {
    start: usize,
    end: usize,
    who: Who,
}

impl Seen {
    /// Writes `name`'s C name at the end of the buffer; returns its hash
    /// and where it starts.
    fn push(&mut self, name: &str) -> (u64, usize) {
        let start = self.text.len();
        push_c_name(name, true, &mut self.text);
        let hash = foldhash::fast::FixedState::default().hash_one(&self.text[start..]);
        (hash, start)
    }

    /// Who took the C name written at `start`, and where that entry is
    /// (`None` in `taken`, `Some(i)` in `collided`).
    fn find(&self, hash: u64, start: usize) -> Option<(Option<usize>, Who)> {
        let name = &self.text[start..];
        let is = |t: &Taken| self.text.get(t.start..t.end) == Some(name);
        if let Some(t) = self.taken.get(&hash).filter(|t| is(t)) {
            return Some((None, t.who));
        }
        self.collided
            .iter()
            .position(|(h, t)| *h == hash && is(t))
            .map(|i| (Some(i), self.collided[i].1.who))
    }

    /// Forgets every name, keeping the buffers.
    fn clear(&mut self) {
        self.text.clear();
        self.taken.clear();
        self.collided.clear();
    }

    /// Who took `name`'s C name.
    fn get(&mut self, name: &str) -> Option<Who> {
        let (hash, start) = self.push(name);
        let found = self.find(hash, start).map(|(_, who)| who);
        self.text.truncate(start);
        found
    }

    /// Takes `name`'s C name for `who`, or tells who has it.
    fn take(&mut self, name: &str, who: Who) -> std::result::Result<(), Who> {
        let (hash, start) = self.push(name);
        if let Some((_, other)) = self.find(hash, start) {
            self.text.truncate(start);
            return Err(other);
        }
        let taken = Taken {
            start,
            end: self.text.len(),
            who,
        };
        match self.taken.entry(hash) {
            Entry::Occupied(_) => self.collided.push((hash, taken)),
            Entry::Vacant(slot) => {
                slot.insert(taken);
            }
        }
        Ok(())
    }

    /// Gives `name`'s C name back.
    fn remove(&mut self, name: &str) {
        let (hash, start) = self.push(name);
        match self.find(hash, start) {
            Some((None, _)) => {
                self.taken.remove(&hash);
            }
            Some((Some(i), _)) => {
                self.collided.swap_remove(i);
            }
            None => {}
        }
        self.text.truncate(start);
    }
}

fn error(info: Option<&Info>, msg: String) -> QapiError {
    match info {
        Some(info) => QapiError::sem(info, msg),
        None => QapiError::bare(msg),
    }
}

/// How releases up to 4.1 name a member: `'NAME' (ROLE of OWNER)`, the
/// owner of an implicit type being what made it.
fn describe_member_legacy(role: &str, name: &str, defined_in: &str) -> String {
    let role = if role == "value" { "member" } else { role };
    let (role, owner) = if let Some(rest) = defined_in.strip_prefix("q_obj_") {
        if let Some(command) = rest.strip_suffix("-arg") {
            ("parameter", command)
        } else if let Some(union) = rest.strip_suffix("-base") {
            ("base", union)
        } else {
            (role, defined_in)
        }
    } else if let Some(union) = defined_in.strip_suffix("Kind") {
        ("branch", union)
    } else {
        (role, defined_in)
    };
    format!("'{name}' ({role} of {owner})")
}

/// How messages name a member, reported on behalf of the definition at
/// `info`: the definition it belongs to is named only when that is
/// another one, and implicit argument and base types are named after
/// the command or union that made them.
fn describe_member(
    dialect: &Dialect,
    role: &str,
    name: &str,
    defined_in: &str,
    info: Option<&Info>,
) -> String {
    if dialect.front_end == crate::dialect::FrontEnd::Legacy {
        return describe_member_legacy(role, name, defined_in);
    }
    let mut role = role.to_owned();
    let mut meta = "type";
    let mut owner = defined_in;
    let implicit = defined_in.starts_with("q_obj_");
    // A simple union's implicit enum holds its branch names.
    if dialect.simple_unions && !implicit && defined_in.ends_with("Kind") {
        return format!("branch '{name}'");
    }
    if implicit && !dialect.describe_implicit_owner {
        if defined_in.ends_with("-arg") {
            return format!("parameter '{name}'");
        }
        if defined_in.ends_with("-base") {
            return format!("base {role} '{name}'");
        }
    }
    if let Some(rest) = defined_in.strip_prefix("q_obj_") {
        if let Some(command) = rest.strip_suffix("-arg") {
            role = "parameter".to_owned();
            meta = "command";
            owner = command;
        } else if let Some(union) = rest.strip_suffix("-base") {
            role = format!("base {role}");
            owner = union;
        }
    }
    let defn = info.and_then(|i| i.defn());
    if defn.as_ref().map(|d| d.name.as_str()) != Some(owner) {
        format!("{role} '{name}' of {meta} '{owner}'")
    } else {
        format!("{role} '{name}'")
    }
}

struct Checker<'s> {
    s: &'s mut Schema,
    state: Vec<State>,
    /// Cleared name sets kept for reuse: most enums and objects take
    /// their names in one, whose buffers are worth keeping.
    spare: Vec<Seen>,
}

impl Builder {
    /// Checks every entity and connects its documentation, places the
    /// entities in modules, then checks the documentation blocks and the
    /// schema-wide limits.
    pub(super) fn check(&mut self) -> Result<()> {
        let n = self.schema.entities.len();
        let mut checker = Checker {
            s: &mut self.schema,
            state: vec![State::Unchecked; n],
            spare: Vec::new(),
        };
        for i in 0..n {
            let id = EntityId::from_index(i);
            checker.check_entity(id)?;
            connect::connect_doc(checker.s, id)?;
            connect::check_doc_early(checker.s, id)?;
        }
        self.set_modules();
        for doc in &self.schema.docs {
            if connect::checked_after_all(doc) {
                doc.check()?;
            }
        }
        // Generated code keeps a definition's features in a bit mask.
        if let Some(max) = self.schema.dialect.max_features {
            if let Some(f) = self.schema.features.get(max) {
                return Err(error(
                    f.info.as_ref(),
                    format!("Maximum of {max} schema features is permitted"),
                ));
            }
        }
        Ok(())
    }
}

impl Checker<'_> {
    fn def(&self, id: EntityId) -> &Definition {
        self.s.def(id)
    }

    fn def_mut(&mut self, id: EntityId) -> Option<&mut Definition> {
        self.s.entities.get_mut(id.index())?.as_definition_mut()
    }

    fn info(&self, id: EntityId) -> Option<Info> {
        self.def(id).info.clone()
    }

    fn local_member(&self, owner: EntityId, index: usize) -> Option<&Member> {
        self.def(owner).as_object()?.local_members.get(index)
    }

    /// An empty name set, reusing a spare one's buffers.
    fn new_seen(&mut self) -> Seen {
        self.spare.pop().unwrap_or_default()
    }

    /// Keeps a name set's buffers for [`Checker::new_seen`].
    fn recycle(&mut self, mut seen: Seen) {
        seen.clear();
        self.spare.push(seen);
    }

    fn legacy(&self) -> bool {
        self.s.dialect.front_end == crate::dialect::FrontEnd::Legacy
    }

    fn describe(&self, who: Who, info: Option<&Info>) -> String {
        let (role, name, defined_in) = self.parts(who);
        describe_member(&self.s.dialect, role, name, defined_in, info)
    }

    /// What `who` is: its role, its name and the definition it belongs to.
    fn parts(&self, who: Who) -> (&'static str, &str, &str) {
        let def = |id: EntityId| self.def(id);
        match who {
            Who::Member { owner, index } => match self.local_member(owner, index) {
                Some(m) => ("member", &m.name, &def(m.defined_in).name),
                None => ("member", "", ""),
            },
            Who::Branch { owner, index } => {
                match def(owner)
                    .as_alternate()
                    .and_then(|a| a.alternatives.variants.get(index))
                {
                    Some(v) => ("branch", &v.name, &def(v.defined_in).name),
                    None => ("branch", "", ""),
                }
            }
            Who::Value { owner, index } => {
                let d = def(owner);
                match d.as_enum().and_then(|e| e.members.get(index)) {
                    Some(m) => ("value", &m.name, &d.name),
                    None => ("value", "", ""),
                }
            }
            Who::Feature { owner, index } => {
                let d = def(owner);
                match d.features.get(index) {
                    Some(f) => ("feature", &f.name, &d.name),
                    None => ("feature", "", ""),
                }
            }
            Who::MemberFeature {
                owner,
                member,
                index,
            } => match self.local_member(owner, member) {
                Some(m) => match m.features.get(index) {
                    Some(f) => ("feature", &f.name, &m.name),
                    None => ("feature", "", ""),
                },
                None => ("feature", "", ""),
            },
        }
    }

    fn describe_variant(&self, v: &Variant, info: Option<&Info>) -> String {
        describe_member(
            &self.s.dialect,
            "branch",
            &v.name,
            &self.def(v.defined_in).name,
            info,
        )
    }

    /// Takes `name` for `who`, failing when its C name is taken.
    fn clash(&self, seen: &mut Seen, name: &str, who: Who, info: Option<&Info>) -> Result<()> {
        if self.s.dialect.case_rules == crate::dialect::CaseRules::ModelUppercase {
            let cname = c_name(name, true);
            let (_, _, owner) = self.parts(who);
            let exempt = self
                .s
                .pragma
                .member_name_exceptions
                .iter()
                .any(|e| e == owner);
            if cname.to_lowercase() != cname && !exempt {
                return Err(error(
                    info,
                    format!("{} should not use uppercase", self.describe(who, info)),
                ));
            }
        }
        seen.take(name, who).map_err(|other| {
            error(
                info,
                format!(
                    "{} collides with {}",
                    self.describe(who, info),
                    self.describe(other, info)
                ),
            )
        })
    }

    /// The type named `name`, or QEMU's "uses unknown type" error.
    fn resolve(
        &self,
        name: &str,
        info: Option<&Info>,
        what: impl FnOnce() -> String,
    ) -> Result<EntityId> {
        match self.s.lookup_type(name) {
            Some(id) => Ok(id),
            None => Err(error(
                info,
                format!("{} uses unknown type '{name}'", what()),
            )),
        }
    }

    // ---- definitions ----

    fn check_entity(&mut self, id: EntityId) -> Result<()> {
        let Entity::Definition(def) = self.s.entity(id) else {
            return Ok(());
        };
        match &def.kind {
            DefKind::Object(_) => return self.check_object(id),
            DefKind::Builtin(_) => self.check_definition(id)?,
            DefKind::Enum(_) => self.check_enum(id)?,
            DefKind::Array(_) => self.check_array(id)?,
            DefKind::Alternate(_) => self.check_alternate(id)?,
            DefKind::Command(_) => self.check_command(id)?,
            DefKind::Event(_) => self.check_event(id)?,
        }
        self.state[id.index()] = State::Done;
        Ok(())
    }

    /// What every definition checks: its features' names don't clash,
    /// and types use no special feature.
    fn check_definition(&mut self, id: EntityId) -> Result<()> {
        self.state[id.index()] = State::InProgress;
        let def = self.def(id);
        let info = def.info.as_ref();
        let mut seen = Seen::default();
        for (index, f) in def.features.iter().enumerate() {
            self.clash(&mut seen, &f.name, Who::Feature { owner: id, index }, info)?;
        }
        if def.is_type() {
            let special = self.s.dialect.special_features;
            if let Some(f) = def
                .features
                .iter()
                .find(|f| special.contains(&f.name.as_str()))
            {
                return Err(error(
                    info,
                    format!("feature '{}' is not supported for types", f.name),
                ));
            }
        }
        Ok(())
    }

    fn check_enum(&mut self, id: EntityId) -> Result<()> {
        self.check_definition(id)?;
        let mut seen = self.new_seen();
        let def = self.def(id);
        let info = def.info.as_ref();
        if let Some(e) = def.as_enum() {
            for (index, m) in e.members.iter().enumerate() {
                self.clash(&mut seen, &m.name, Who::Value { owner: id, index }, info)?;
            }
        }
        self.recycle(seen);
        Ok(())
    }

    fn check_array(&mut self, id: EntityId) -> Result<()> {
        self.check_definition(id)?;
        let def = self.def(id);
        let Some(a) = def.as_array() else {
            return Ok(());
        };
        let info = def.info.as_ref();
        let element = self.resolve(&a.element_type_name, info, || {
            info.and_then(|i| i.defn())
                .map(|d| d.meta)
                .unwrap_or_default()
        })?;
        let ifcond = self.def(element).ifcond.clone();
        if let Some(def) = self.def_mut(id) {
            def.ifcond = ifcond;
            if let DefKind::Array(a) = &mut def.kind {
                a.element_type = element;
            }
        }
        Ok(())
    }

    /// Checks an object type: its base, its members, its branches. Safe
    /// to call again; calling it while it runs means the type contains
    /// itself.
    fn check_object(&mut self, id: EntityId) -> Result<()> {
        match self.state[id.index()] {
            State::Done => return Ok(()),
            State::InProgress => {
                return Err(error(
                    self.def(id).info.as_ref(),
                    format!(
                        "{} {} contains itself",
                        if self.legacy() { "Object" } else { "object" },
                        self.def(id).name
                    ),
                ))
            }
            State::Unchecked => {}
        }
        self.check_definition(id)?;
        let info = self.info(id);
        let info = info.as_ref();
        let Some(obj) = self.def(id).as_object() else {
            return Ok(());
        };
        let n_local = obj.local_members.len();
        let has_branches = obj.branches.is_some();
        let base = obj
            .base_name
            .as_deref()
            .map(|name| self.resolve(name, info, || "'base'".to_owned()));
        let mut seen = self.new_seen();
        if let Some(base) = base {
            let base = base?;
            let base_def = self.def(base);
            if base_def.as_object().is_none_or(|o| o.branches.is_some()) {
                return Err(error(
                    info,
                    format!(
                        "'base' requires a struct type, {} isn't",
                        base_def.describe()
                    ),
                ));
            }
            if let Some(DefKind::Object(o)) = self.def_mut(id).map(|d| &mut d.kind) {
                o.base = Some(base);
            }
            self.check_object(base)?;
            self.clash_object(base, info, &mut seen)?;
        }
        for index in 0..n_local {
            self.check_member(id, index)?;
            if let Some(m) = self.local_member(id, index) {
                self.clash(&mut seen, &m.name, Who::Member { owner: id, index }, info)?;
            }
        }
        if has_branches {
            self.check_branches(id, &mut seen)?;
            self.clash_branches(id, info, &mut seen)?;
        }
        self.recycle(seen);
        self.inherit_wrapped_ifcond(id);
        self.state[id.index()] = State::Done;
        Ok(())
    }

    /// A simple union's branch wrapper `q_obj_T-wrapper` exists when `T`
    /// does (its users may be conditional, but it is shared).
    fn inherit_wrapped_ifcond(&mut self, id: EntityId) {
        let def = self.def(id);
        // `q_` names are the schema's own, so only wrappers end so.
        if !(def.name.starts_with("q_obj_") && def.name.ends_with("-wrapper")) {
            return;
        }
        let Some(ty) = def
            .as_object()
            .and_then(|o| o.local_members.first())
            .map(|m| m.ty)
        else {
            return;
        };
        let ifcond = self.s.entities.get(ty.index()).and_then(|e| match e {
            Entity::Definition(d) => d.ifcond.clone(),
            Entity::Include(_) => None,
        });
        if let Some(def) = self.def_mut(id) {
            def.ifcond = ifcond;
        }
    }

    /// Resolves a local member's type and checks its features' names.
    fn check_member(&mut self, owner: EntityId, index: usize) -> Result<()> {
        let Some(m) = self.local_member(owner, index) else {
            return Ok(());
        };
        let info = Some(&m.info);
        let ty = self.resolve(&m.type_name, info, || {
            self.describe(Who::Member { owner, index }, info)
        })?;
        let mut seen = Seen::default();
        for (i, f) in m.features.iter().enumerate() {
            let who = Who::MemberFeature {
                owner,
                member: index,
                index: i,
            };
            self.clash(&mut seen, &f.name, who, info)?;
        }
        if let Some(DefKind::Object(o)) = self.def_mut(owner).map(|d| &mut d.kind) {
            if let Some(m) = o.local_members.get_mut(index) {
                m.ty = ty;
            }
        }
        Ok(())
    }

    /// Takes the C names of an object type's members (and, branch by
    /// branch, its branches') on behalf of the definition at `info`.
    fn clash_object(&self, id: EntityId, info: Option<&Info>, seen: &mut Seen) -> Result<()> {
        for (owner, index, m) in self.s.member_slots(id) {
            self.clash(seen, &m.name, Who::Member { owner, index }, info)?;
        }
        if self
            .def(id)
            .as_object()
            .is_some_and(|o| o.branches.is_some())
        {
            self.clash_branches(id, info, seen)?;
        }
        Ok(())
    }

    /// Each branch's members must not clash with the common members; the
    /// branches don't clash with each other.
    fn clash_branches(&self, id: EntityId, info: Option<&Info>, seen: &mut Seen) -> Result<()> {
        let Some(branches) = self.def(id).as_object().and_then(|o| o.branches.as_ref()) else {
            return Ok(());
        };
        for v in &branches.variants {
            self.clash_object(v.ty, info, seen)?;
            // Give back what the branch took: each branch starts from the
            // common members. Nothing was overwritten, as taking a name
            // twice fails.
            for m in self.s.members(v.ty) {
                seen.remove(&m.name);
            }
        }
        Ok(())
    }

    /// Checks a union's discriminator and branches: `seen` holds the
    /// common members.
    fn check_branches(&mut self, id: EntityId, seen: &mut Seen) -> Result<()> {
        let info = self.info(id);
        let info = info.as_ref();
        let Some(branches) = self.def(id).as_object().and_then(|o| o.branches.as_ref()) else {
            return Ok(());
        };
        let tag_name = branches.tag_name.as_str();
        let tag = match seen.get(tag_name) {
            Some(Who::Member { owner, index }) => self
                .local_member(owner, index)
                .filter(|m| m.name == tag_name)
                .map(|m| (owner, index, m)),
            _ => None,
        };
        let Some((owner, index, tag_member)) = tag else {
            return Err(error(
                info,
                format!("discriminator '{tag_name}' is not a member of 'base'"),
            ));
        };
        let owner_def = self.def(owner);
        let base = if owner_def.is_implicit() {
            "'base'".to_owned()
        } else {
            format!("base type '{}'", owner_def.name)
        };
        let Some(tag_enum) = self.def(tag_member.ty).as_enum() else {
            return Err(error(
                info,
                format!("discriminator member '{tag_name}' of {base} must be of enum type"),
            ));
        };
        if tag_member.optional {
            return Err(error(
                info,
                format!("discriminator member '{tag_name}' of {base} must not be optional"),
            ));
        }
        if tag_member.ifcond.is_some() {
            return Err(error(
                info,
                format!("discriminator member '{tag_name}' of {base} must not be conditional"),
            ));
        }
        // Values without a branch get one of the empty type.
        let cases: HashSet<&str> = branches.variants.iter().map(|v| v.name.as_str()).collect();
        let implicit: Vec<Variant> = tag_enum
            .members
            .iter()
            .filter(|m| !cases.contains(m.name.as_str()))
            .map(|m| Variant {
                name: m.name.clone(),
                info: branches.info.clone(),
                type_name: "q_empty".to_owned(),
                ty: EntityId::PENDING,
                ifcond: m.ifcond.clone(),
                defined_in: owner,
            })
            .collect();
        let tag_type = tag_member.ty;
        let n_variants = branches.variants.len() + implicit.len();
        if let Some(DefKind::Object(o)) = self.def_mut(id).map(|d| &mut d.kind) {
            if let Some(b) = &mut o.branches {
                b.tag = Some((owner, index));
                b.variants.extend(implicit);
            }
        }
        if n_variants == 0 {
            return Err(error(info, "union has no branches".to_owned()));
        }
        for vi in 0..n_variants {
            let ty = {
                let Some(v) = self.union_variant(id, vi) else {
                    continue;
                };
                let vinfo = Some(&v.info);
                let ty = self.resolve(&v.type_name, vinfo, || self.describe_variant(v, vinfo))?;
                let tag_enum = self.def(tag_type);
                let is_value = tag_enum
                    .as_enum()
                    .is_some_and(|e| e.member_names().any(|n| n == v.name));
                if !is_value {
                    return Err(error(
                        info,
                        format!(
                            "branch '{}' is not a value of {}",
                            v.name,
                            tag_enum.describe()
                        ),
                    ));
                }
                let may_be_union = self.s.dialect.union_branch_may_be_union;
                if self
                    .def(ty)
                    .as_object()
                    .is_none_or(|o| o.branches.is_some() && !may_be_union)
                {
                    return Err(error(
                        info,
                        format!(
                            "{} cannot use {}",
                            self.describe_variant(v, info),
                            self.def(ty).describe()
                        ),
                    ));
                }
                ty
            };
            if let Some(DefKind::Object(o)) = self.def_mut(id).map(|d| &mut d.kind) {
                if let Some(v) = o.branches.as_mut().and_then(|b| b.variants.get_mut(vi)) {
                    v.ty = ty;
                }
            }
            self.check_object(ty)?;
        }
        Ok(())
    }

    fn union_variant(&self, id: EntityId, index: usize) -> Option<&Variant> {
        self.def(id)
            .as_object()?
            .branches
            .as_ref()?
            .variants
            .get(index)
    }

    fn check_alternate(&mut self, id: EntityId) -> Result<()> {
        self.check_definition(id)?;
        let info = self.info(id);
        let info = info.as_ref();
        let Some(alt) = self.def(id).as_alternate() else {
            return Ok(());
        };
        let alts = &alt.alternatives;
        let tag = &alts.tag_member;
        let tag_ty = self.resolve(&tag.type_name, Some(&tag.info), || {
            describe_member(
                &self.s.dialect,
                "member",
                &tag.name,
                &self.def(id).name,
                Some(&tag.info),
            )
        })?;
        let mut types = Vec::with_capacity(alts.variants.len());
        for v in &alts.variants {
            let vinfo = Some(&v.info);
            types.push(self.resolve(&v.type_name, vinfo, || self.describe_variant(v, vinfo))?);
        }
        if let Some(DefKind::Alternate(a)) = self.def_mut(id).map(|d| &mut d.kind) {
            a.alternatives.tag_member.ty = tag_ty;
            for (v, ty) in a.alternatives.variants.iter_mut().zip(&types) {
                v.ty = *ty;
            }
        }
        let Some(alt) = self.def(id).as_alternate() else {
            return Ok(());
        };
        let mut seen = Seen::default();
        let mut types_seen: HashMap<&str, &str> = HashMap::default();
        for (index, v) in alt.alternatives.variants.iter().enumerate() {
            let who = Who::Branch { owner: id, index };
            self.clash(&mut seen, &v.name, who, info)?;
            let ty = self.def(v.ty);
            let Some(qtype) = ty.alternate_qtype() else {
                return Err(error(
                    info,
                    format!("{} cannot use {}", self.describe(who, info), ty.describe()),
                ));
            };
            let mut conflicting = vec![qtype];
            let mut add = |qt: &'static str| {
                if !conflicting.contains(&qt) {
                    conflicting.push(qt);
                }
            };
            if qtype == "QTYPE_QSTRING" {
                if let Some(e) = ty.as_enum() {
                    // Strings that could be parsed as numbers or booleans
                    // (keyval input) make the enum ambiguous.
                    for m in &e.members {
                        if m.name == "on" || m.name == "off" {
                            add("QTYPE_QBOOL");
                        }
                        if m.name.starts_with([
                            '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                        ]) {
                            add("QTYPE_QNUM");
                        }
                    }
                } else {
                    add("QTYPE_QNUM");
                    add("QTYPE_QBOOL");
                }
            }
            for qt in conflicting {
                if let Some(other) = types_seen.get(qt) {
                    return Err(error(
                        info,
                        format!(
                            "{} can't be distinguished from '{}'",
                            self.describe(who, info),
                            other
                        ),
                    ));
                }
                types_seen.insert(qt, &v.name);
            }
        }
        Ok(())
    }

    /// Resolves a command's or event's `data`, which must be an object
    /// type, a union only when boxed, with conditional members only when
    /// boxed.
    fn check_arg_type(
        &mut self,
        meta: &str,
        name: Option<&str>,
        boxed: bool,
        info: Option<&Info>,
    ) -> Result<Option<EntityId>> {
        let Some(name) = name else {
            // From 4.2 the expression checker refuses this.
            if boxed && self.legacy() {
                return Err(error(info, "Use of 'boxed' requires 'data'".to_owned()));
            }
            return Ok(None);
        };
        let arg = self.resolve(name, info, || format!("{meta}'s 'data'"))?;
        let arg_def = self.def(arg);
        let Some(obj) = arg_def.as_object() else {
            return Err(error(
                info,
                format!("{meta}'s 'data' cannot take {}", arg_def.describe()),
            ));
        };
        if obj.branches.is_some() && !boxed {
            return Err(error(
                info,
                format!(
                    "{meta}'s 'data' can take {} only with 'boxed': true",
                    arg_def.describe()
                ),
            ));
        }
        self.check_object(arg)?;
        if self.s.dialect.conditional_args_need_boxed
            && self.s.has_conditional_members(arg)
            && !boxed
        {
            return Err(error(
                info,
                format!("conditional {meta} arguments require 'boxed': true"),
            ));
        }
        Ok(Some(arg))
    }

    fn check_command(&mut self, id: EntityId) -> Result<()> {
        self.check_definition(id)?;
        let info = self.info(id);
        let info = info.as_ref();
        let def = self.def(id);
        let Some(cmd) = def.as_command() else {
            return Ok(());
        };
        let (arg_name, ret_name, boxed) = (
            cmd.arg_type_name.clone(),
            cmd.ret_type_name.clone(),
            cmd.boxed,
        );
        let arg = self.check_arg_type("command", arg_name.as_deref(), boxed, info)?;
        if let Some(DefKind::Command(c)) = self.def_mut(id).map(|d| &mut d.kind) {
            c.arg_type = arg;
        }
        let Some(ret_name) = ret_name else {
            return Ok(());
        };
        let ret = self.resolve(&ret_name, info, || "command's 'returns'".to_owned())?;
        if let Some(DefKind::Command(c)) = self.def_mut(id).map(|d| &mut d.kind) {
            c.ret_type = Some(ret);
        }
        let name = &self.def(id).name;
        if !self
            .s
            .pragma
            .command_returns_exceptions
            .iter()
            .any(|e| e == name)
        {
            let ret_def = self.def(ret);
            let returned = match ret_def.as_array() {
                // The array type may be defined (and resolved) only later;
                // QEMU breaks down then, we look its element up.
                Some(a) => self
                    .s
                    .lookup_type(&a.element_type_name)
                    .map(|e| self.def(e)),
                None => Some(ret_def),
            };
            if returned.is_none_or(|r| r.as_object().is_none()) {
                return Err(error(
                    info,
                    format!("command's 'returns' cannot take {}", ret_def.describe()),
                ));
            }
        }
        Ok(())
    }

    fn check_event(&mut self, id: EntityId) -> Result<()> {
        self.check_definition(id)?;
        let info = self.info(id);
        let info = info.as_ref();
        let Some(ev) = self.def(id).as_event() else {
            return Ok(());
        };
        let (arg_name, boxed) = (ev.arg_type_name.clone(), ev.boxed);
        let arg = self.check_arg_type("event", arg_name.as_deref(), boxed, info)?;
        if let Some(DefKind::Event(e)) = self.def_mut(id).map(|d| &mut d.kind) {
            e.arg_type = arg;
        }
        Ok(())
    }
}

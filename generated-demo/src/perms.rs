//! QEMU's permission model for these drivers: each edge carries the
//! permissions the parent takes on the child and those it lets other
//! parents take; a graph is valid when no two parents of a node conflict,
//! no writer sits on a read-only node, and no two file nodes on one host
//! file hold locks that exclude each other.

use std::collections::{BTreeMap, HashSet};

use qapi_runtime::Error;

use crate::drivers::DriverState;
use crate::graph::{Graph, Role};
use crate::qapi::BlockPermission;

pub const CONSISTENT_READ: u8 = 1;
pub const WRITE: u8 = 1 << 1;
pub const WRITE_UNCHANGED: u8 = 1 << 2;
pub const RESIZE: u8 = 1 << 3;
pub const ALL: u8 = 0xf;

const BITS: [(u8, BlockPermission, &str); 4] = [
    (
        CONSISTENT_READ,
        BlockPermission::ConsistentRead,
        "consistent read",
    ),
    (WRITE, BlockPermission::Write, "write"),
    (
        WRITE_UNCHANGED,
        BlockPermission::WriteUnchanged,
        "write unchanged",
    ),
    (RESIZE, BlockPermission::Resize, "resize"),
];

/// The permissions of a set as QEMU's debug graph lists them (highest
/// bit first).
pub fn to_list(perm: u8) -> Vec<BlockPermission> {
    BITS.iter()
        .rev()
        .filter(|(bit, _, _)| perm & bit != 0)
        .map(|(_, p, _)| *p)
        .collect()
}

/// QEMU's names for a set, as in its error messages.
pub fn names(perm: u8) -> String {
    BITS.iter()
        .filter(|(bit, _, _)| perm & bit != 0)
        .map(|(_, _, n)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one edge takes and shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgePerm {
    pub perm: u8,
    pub shared: u8,
}

/// The permissions of every edge, keyed by (parent, role).
pub struct Perms {
    pub edges: BTreeMap<(String, &'static str), EdgePerm>,
}

impl Perms {
    pub fn compute(g: &Graph) -> Perms {
        let mut edges = BTreeMap::new();
        let mut done = HashSet::new();
        for name in g.nodes.keys() {
            visit(g, name, &mut edges, &mut done);
        }
        Perms { edges }
    }

    pub fn edge(&self, parent: &str, role: Role) -> EdgePerm {
        self.edges
            .get(&(parent.to_owned(), role.as_str()))
            .copied()
            .unwrap_or(EdgePerm {
                perm: 0,
                shared: ALL,
            })
    }

    /// What all parents of `name` take together, and share together.
    pub fn cumulative(&self, g: &Graph, name: &str) -> EdgePerm {
        let mut out = EdgePerm {
            perm: 0,
            shared: ALL,
        };
        for (parent, role, _) in g.parents(name) {
            let e = self.edge(&parent, role);
            out.perm |= e.perm;
            out.shared &= e.shared;
        }
        out
    }
}

/// Computes the edges below `name` once all edges into it are known; the
/// graph has no cycles, so parents are done first by recursion.
fn visit(
    g: &Graph,
    name: &str,
    edges: &mut BTreeMap<(String, &'static str), EdgePerm>,
    done: &mut HashSet<String>,
) {
    if done.contains(name) {
        return;
    }
    done.insert(name.to_owned());
    let parents = g.parents(name);
    for (parent, _, _) in &parents {
        visit(g, parent, edges, done);
    }
    let mut cum = EdgePerm {
        perm: 0,
        shared: ALL,
    };
    for (parent, role, _) in &parents {
        if let Some(e) = edges.get(&(parent.clone(), role.as_str())) {
            cum.perm |= e.perm;
            cum.shared &= e.shared;
        }
    }
    let Some(node) = g.node(name) else { return };
    for child in &node.children {
        let mut e = child_perm(g, name, child.role, cum);
        if g.node(&child.node).is_some_and(|c| c.flags.force_share) {
            e.shared = ALL;
        }
        edges.insert((name.to_owned(), child.role.as_str()), e);
    }
}

fn storage_data(mut e: EdgePerm) -> EdgePerm {
    e.shared &= !RESIZE;
    if e.perm & WRITE_UNCHANGED != 0 {
        e.perm |= WRITE;
    }
    if e.perm & WRITE != 0 {
        e.perm |= RESIZE;
    }
    e
}

/// The permissions a parent takes on one child, given what the parent's
/// own parents take and share.
fn child_perm(g: &Graph, parent: &str, role: Role, cum: EdgePerm) -> EdgePerm {
    let Some(node) = g.node(parent) else {
        return EdgePerm {
            perm: 0,
            shared: ALL,
        };
    };
    let writable = !node.flags.read_only && node.flags.active;
    let filter = EdgePerm {
        perm: cum.perm,
        shared: cum.shared,
    };
    match (&node.driver, role) {
        (DriverState::Qcow2(_), Role::File) => {
            // The image: metadata and data.
            let mut e = filter;
            if writable {
                e.perm |= WRITE | RESIZE;
            }
            e.perm |= CONSISTENT_READ;
            e.shared &= !(WRITE | RESIZE);
            let mut e = storage_data(e);
            if !node.flags.active {
                e.shared |= WRITE | RESIZE;
            }
            e
        }
        (DriverState::Qcow2(_), Role::Backing) => {
            let perm = cum.perm & CONSISTENT_READ;
            let mut shared = if cum.shared & WRITE != 0 {
                WRITE | RESIZE
            } else {
                0
            };
            shared |= CONSISTENT_READ | WRITE_UNCHANGED;
            if !node.flags.active {
                shared |= WRITE | RESIZE;
            }
            EdgePerm { perm, shared }
        }
        (DriverState::Raw(r), _) => {
            let mut e = if r.slices {
                storage_data(filter)
            } else {
                filter
            };
            // raw only takes write and resize when its users do.
            e.perm &= !(WRITE | RESIZE);
            e.perm |= cum.perm & (WRITE | RESIZE);
            e
        }
        _ => filter,
    }
}

/// Nodes with their parents before them.
fn topological(g: &Graph) -> Vec<String> {
    fn dfs(g: &Graph, name: &str, seen: &mut HashSet<String>, out: &mut Vec<String>) {
        if !seen.insert(name.to_owned()) {
            return;
        }
        if let Some(n) = g.node(name) {
            for c in n.children_newest_first() {
                dfs(g, &c.node, seen, out);
            }
        }
        out.push(name.to_owned());
    }
    let mut roots: Vec<_> = g
        .nodes
        .values()
        .filter(|n| g.parents(&n.name).is_empty())
        .collect();
    roots.sort_by_key(|n| std::cmp::Reverse(n.seq));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in roots {
        dfs(g, &r.name, &mut seen, &mut out);
    }
    out.reverse();
    out
}

/// Checks the whole graph. `was_writable` names nodes that were writable
/// before a reopen made them read-only, for QEMU's other message.
pub fn check(g: &Graph, was_writable: &HashSet<String>) -> Result<(), Error> {
    let perms = Perms::compute(g);
    for name in topological(g) {
        let parents = g.parents(&name);
        for (a, a_role, _) in &parents {
            for (b, b_role, _) in &parents {
                if a == b && a_role == b_role {
                    continue;
                }
                let ea = perms.edge(a, *a_role);
                let eb = perms.edge(b, *b_role);
                let missing = eb.perm & !ea.shared;
                if missing != 0 {
                    return Err(Error::generic(format!(
                        "Permission conflict on node '{name}': permissions '{}' are both required by node '{b}' (uses node '{name}' as '{}' child) and unshared by node '{a}' (uses node '{name}' as '{}' child).",
                        names(missing),
                        b_role.as_str(),
                        a_role.as_str()
                    )));
                }
            }
        }
        let Some(node) = g.node(&name) else { continue };
        let cum = perms.cumulative(g, &name);
        if cum.perm & (WRITE | WRITE_UNCHANGED) != 0 && node.flags.read_only {
            return Err(if was_writable.contains(&name) {
                Error::generic(format!(
                    "Read-only block node '{name}' cannot support read-write users"
                ))
            } else {
                Error::generic("Block node is read-only")
            });
        }
    }
    check_locks(g, &perms)
}

/// File nodes on one host file take byte-range locks for what they use
/// and what they do not share; a newer node fails against an older one.
fn check_locks(g: &Graph, perms: &Perms) -> Result<(), Error> {
    let mut files: Vec<_> = g
        .nodes
        .values()
        .filter_map(|n| match &n.driver {
            DriverState::File(f) if f.locking && !n.flags.force_share => Some((n, f)),
            _ => None,
        })
        .collect();
    files.sort_by_key(|(n, _)| n.seq);
    for (i, (new, nf)) in files.iter().enumerate() {
        let mine = perms.cumulative(g, &new.name);
        for (old, of) in &files[..i] {
            if (nf.dev, nf.ino) != (of.dev, of.ino) {
                continue;
            }
            let theirs = perms.cumulative(g, &old.name);
            for (bit, _, name) in BITS {
                if mine.perm & bit != 0 && theirs.shared & bit == 0 {
                    return Err(Error::generic(format!("Failed to get \"{name}\" lock")));
                }
            }
            for (bit, _, name) in BITS {
                if mine.shared & bit == 0 && theirs.perm & bit != 0 {
                    return Err(Error::generic(format!(
                        "Failed to get shared \"{name}\" lock"
                    )));
                }
            }
        }
    }
    Ok(())
}

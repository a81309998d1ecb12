//! The block-node graph: nodes with their driver state, options and
//! children, and the bookkeeping QEMU does around them (node names, the
//! order nodes were named in, which nodes the monitor owns).
//!
//! Every command works on a copy and swaps it in only when it succeeds,
//! so a failed command leaves the graph exactly as it was; only the
//! counter behind automatic node names moves on, as in QEMU.

use std::collections::BTreeMap;

use qapi_runtime::Error;
use serde_json::{Map, Value};

use crate::drivers::DriverState;
use crate::qapi::BlockdevDetectZeroesOptions;

/// The role a child plays for its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    File,
    Backing,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::File => "file",
            Role::Backing => "backing",
        }
    }
}

/// One edge from a parent to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub role: Role,
    pub node: String,
    /// When the edge was made; QEMU lists a node's children and parents
    /// newest first.
    pub attached: u64,
}

/// The options every driver understands, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Flags {
    pub read_only: bool,
    pub auto_read_only: bool,
    pub force_share: bool,
    pub detect_zeroes: BlockdevDetectZeroesOptions,
    pub discard_unmap: bool,
    pub cache_direct: bool,
    pub cache_no_flush: bool,
    /// An inactive node leaves its image to another process.
    pub active: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            read_only: false,
            auto_read_only: false,
            force_share: false,
            detect_zeroes: BlockdevDetectZeroesOptions::Off,
            discard_unmap: false,
            cache_direct: false,
            cache_no_flush: false,
            active: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    /// When the node got its name: QEMU lists nodes by this order.
    pub seq: u64,
    /// Created by `blockdev-add` or `--blockdev` at the top level; only
    /// such nodes can be deleted with `blockdev-del`.
    pub monitor_owned: bool,
    /// The parent that created this node implicitly (its options follow
    /// that parent's on reopen).
    pub inherits_from: Option<String>,
    pub flags: Flags,
    /// The options as given (typed), without child definitions or
    /// references.
    pub options: Map<String, Value>,
    pub driver: DriverState,
    pub children: Vec<Child>,
}

impl Node {
    pub fn child(&self, role: Role) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.role == role)
            .map(|c| c.node.as_str())
    }

    /// The children in QEMU's list order: the most recently attached
    /// first.
    pub fn children_newest_first(&self) -> Vec<&Child> {
        let mut children: Vec<&Child> = self.children.iter().collect();
        children.sort_by_key(|c| std::cmp::Reverse(c.attached));
        children
    }

    pub fn driver_name(&self) -> &'static str {
        self.driver.name()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: BTreeMap<String, Node>,
    pub next_seq: u64,
    pub next_attach: u64,
    /// The counter of automatic node names; it survives failed commands.
    pub auto_counter: u64,
    rand_state: u64,
}

/// The longest node name QEMU stores is 31 bytes.
const NODE_NAME_MAX: usize = 31;

/// QEMU's rule for user-chosen ids: a letter, then letters, digits, '-',
/// '.' and '_'.
pub fn id_wellformed(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

impl Graph {
    pub fn new() -> Graph {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Graph {
            rand_state: seed | 1,
            ..Graph::default()
        }
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.get(name)
    }

    /// `bdrv_lookup_bs(device, node)`'s error when nothing is found.
    pub fn lookup(&self, device: &str, name: &str) -> Result<&Node, Error> {
        self.nodes.get(name).ok_or_else(|| {
            Error::generic(format!(
                "Cannot find device='{device}' nor node-name='{name}'"
            ))
        })
    }

    /// Checks a user-chosen name, or makes one up (`#blockNNNRR`).
    pub fn assign_name(&mut self, wanted: Option<&str>) -> Result<String, Error> {
        let name = match wanted {
            Some(name) => {
                if !id_wellformed(name) {
                    return Err(Error::generic(format!("Invalid node-name: '{name}'")));
                }
                name.to_owned()
            }
            None => {
                let n = self.auto_counter;
                self.auto_counter += 1;
                format!("#block{n}{:02}", self.random_percent())
            }
        };
        if self.nodes.contains_key(&name) {
            return Err(Error::generic(format!(
                "Duplicate nodes with node-name='{name}'"
            )));
        }
        if name.len() > NODE_NAME_MAX {
            return Err(Error::generic("Node name too long"));
        }
        Ok(name)
    }

    /// QEMU adds `rand() % 100` to generated names so that nobody relies
    /// on them.
    fn random_percent(&mut self) -> u64 {
        let mut x = self.rand_state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rand_state = x;
        x % 100
    }

    pub fn insert(&mut self, mut node: Node) {
        node.seq = self.next_seq;
        self.next_seq += 1;
        self.nodes.insert(node.name.clone(), node);
    }

    pub fn attach(&mut self, parent: &str, role: Role, child: &str) {
        let attached = self.next_attach;
        self.next_attach += 1;
        if let Some(p) = self.nodes.get_mut(parent) {
            p.children.retain(|c| c.role != role);
            p.children.push(Child {
                role,
                node: child.to_owned(),
                attached,
            });
        }
    }

    pub fn detach(&mut self, parent: &str, role: Role) {
        if let Some(p) = self.nodes.get_mut(parent) {
            p.children.retain(|c| c.role != role);
        }
    }

    /// The edges into `name`, newest first, as `(parent, role, attached)`.
    pub fn parents(&self, name: &str) -> Vec<(String, Role, u64)> {
        let mut out: Vec<(String, Role, u64)> = self
            .nodes
            .values()
            .flat_map(|p| {
                p.children
                    .iter()
                    .filter(|c| c.node == name)
                    .map(|c| (p.name.clone(), c.role, c.attached))
            })
            .collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.2));
        out
    }

    /// Whether `child` is `node` or below it.
    pub fn reaches(&self, node: &str, child: &str) -> bool {
        if node == child {
            return true;
        }
        self.nodes.get(node).is_some_and(|n| {
            n.children
                .iter()
                .any(|c| self.reaches(c.node.as_str(), child))
        })
    }

    /// Nodes sorted the way QEMU's list of named nodes runs: the most
    /// recently named first.
    pub fn named_nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.nodes.values().collect();
        nodes.sort_by_key(|n| std::cmp::Reverse(n.seq));
        nodes
    }

    /// Drops nodes that nobody holds any more: neither the monitor nor a
    /// parent. Closing a node releases its children in turn.
    pub fn collect_garbage(&mut self) {
        loop {
            let orphan = self
                .nodes
                .values()
                .find(|n| !n.monitor_owned && self.parents(&n.name).is_empty())
                .map(|n| n.name.clone());
            match orphan {
                Some(name) => {
                    self.nodes.remove(&name);
                }
                None => break,
            }
        }
    }

    /// `blockdev-del`.
    pub fn delete(&mut self, name: &str) -> Result<(), Error> {
        let Some(node) = self.nodes.get(name) else {
            return Err(Error::generic(format!(
                "Failed to find node with node-name='{name}'"
            )));
        };
        let parents = self.parents(name);
        // A backing parent blocks every operation on its backing node,
        // and that check comes first.
        if let Some((parent, _, _)) = parents.iter().find(|p| p.1 == Role::Backing) {
            return Err(Error::generic(format!(
                "Node '{name}' is busy: node is used as backing hd of '{parent}'"
            )));
        }
        if !node.monitor_owned {
            return Err(Error::generic(format!(
                "Node {name} is not owned by the monitor"
            )));
        }
        if !parents.is_empty() {
            return Err(Error::generic(format!("Block device {name} is in use")));
        }
        self.nodes.remove(name);
        self.collect_garbage();
        Ok(())
    }
}

impl Graph {
    /// Puts a saved graph back after a failed command; automatic names
    /// already handed out stay used, as in QEMU.
    pub fn rollback(&mut self, backup: Graph) {
        let counter = self.auto_counter;
        let rand = self.rand_state;
        *self = backup;
        self.auto_counter = counter;
        self.rand_state = rand;
    }

    pub fn set_inherits_from(&mut self, child: &str, parent: &str) {
        if let Some(c) = self.nodes.get_mut(child) {
            c.inherits_from = Some(parent.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_qemu_rules() {
        let mut g = Graph::new();
        assert_eq!(
            g.assign_name(Some("1a")).unwrap_err().desc(),
            "Invalid node-name: '1a'"
        );
        assert_eq!(
            g.assign_name(Some("")).unwrap_err().desc(),
            "Invalid node-name: ''"
        );
        assert_eq!(
            g.assign_name(Some(&"a".repeat(32))).unwrap_err().desc(),
            "Node name too long"
        );
        assert!(g.assign_name(Some(&"a".repeat(31))).is_ok());
        let auto = g.assign_name(None).unwrap();
        assert!(auto.starts_with("#block0") && auto.len() == 9, "{auto}");
        assert!(g.assign_name(None).unwrap().starts_with("#block1"));
    }
}

//! Reopening nodes with new options: `x-blockdev-reopen` (QEMU 4.0's
//! rules, one node, only `backing` may be replaced or detached) and
//! `blockdev-reopen` (QEMU 10's rules, several nodes at once, `file` may
//! be replaced too). Options left out go back to their defaults, node
//! names never change, and either every node is reopened or none is.

use std::collections::HashSet;

use qapi_runtime::Error;
use serde_json::{Map, Value};

use crate::drivers::{self, raw, DriverState};
use crate::graph::{Graph, Role};
use crate::open::{check_flags, resolve_flags, Inherit};
use crate::qapi::BlockdevOptions;
use crate::qdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// `x-blockdev-reopen` as QEMU 4.0 had it (QEMU 10's own schema has
    /// no such command).
    #[cfg_attr(not(own_schema), allow(dead_code))]
    Qemu40,
    /// `blockdev-reopen` as QEMU 10 has it.
    Qemu10,
}

/// Options every driver handles during reopen, so they may be changed or
/// left out.
const COMMON_OPTIONS: &[&str] = &[
    "node-name",
    "active",
    "discard",
    "cache.direct",
    "cache.no-flush",
    "read-only",
    "auto-read-only",
    "detect-zeroes",
];

/// One node to reopen, with its new options (children included).
struct Entry {
    name: String,
    options: Map<String, Value>,
    /// Reopened with the options it has (a child named by reference):
    /// nothing is reset and `backing` need not be given.
    keep_old: bool,
    /// Child roles whose options were handed to the child's own entry.
    extracted: Vec<Role>,
}

pub fn reopen(g: &mut Graph, list: &[BlockdevOptions], rules: Rules) -> Result<(), Error> {
    if list.is_empty() {
        // QEMU 10.0 crashes on an empty list; refuse it instead.
        return Err(Error::generic(
            "Parameter 'options' must list at least one node",
        ));
    }
    let mut queue: Vec<Entry> = Vec::new();
    for o in list {
        let Some(name) = o.node_name.as_deref() else {
            return Err(Error::generic(match rules {
                Rules::Qemu40 => "Node name not specified",
                Rules::Qemu10 => "node-name not specified",
            }));
        };
        if g.node(name).is_none() {
            return Err(Error::generic(match rules {
                Rules::Qemu40 => format!("Cannot find node named '{name}'"),
                Rules::Qemu10 => format!("Failed to find node with node-name='{name}'"),
            }));
        }
        let options = match serde_json::to_value(o) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        enqueue(g, &mut queue, name, options, false);
    }
    let backup = g.clone();
    let was_writable: HashSet<String> = queue
        .iter()
        .filter(|e| g.node(&e.name).is_some_and(|n| !n.flags.read_only))
        .map(|e| e.name.clone())
        .collect();
    let result = (|| {
        for entry in &queue {
            prepare(g, entry, rules)?;
        }
        crate::perms::check(g, &was_writable)?;
        g.collect_garbage();
        Ok(())
    })();
    if result.is_err() {
        g.rollback(backup);
    }
    result
}

/// Queues a node, then the children it created itself: a child given
/// by definition gets those options, one named by its current name keeps
/// its options, one replaced or detached is left alone.
fn enqueue(
    g: &Graph,
    queue: &mut Vec<Entry>,
    name: &str,
    options: Map<String, Value>,
    keep_old: bool,
) {
    let Some(node) = g.node(name) else { return };
    let options = match queue.iter().position(|e| e.name == name) {
        // A node queued twice: what the later entry gives wins, the rest
        // of the earlier one stays.
        Some(i) if !keep_old => {
            let earlier = queue.remove(i);
            let mut merged = if earlier.keep_old {
                Map::new()
            } else {
                earlier.options
            };
            for (k, v) in options {
                merged.insert(k, v);
            }
            merged
        }
        Some(_) => return,
        None => options,
    };
    let mut children = Vec::new();
    let mut extracted = Vec::new();
    for child in &node.children {
        let implicit = g
            .node(&child.node)
            .is_some_and(|c| c.inherits_from.as_deref() == Some(name));
        if !implicit {
            continue;
        }
        match options.get(child.role.as_str()) {
            Some(Value::String(s)) if *s == child.node => {
                children.push((child.node.clone(), stored_options(g, &child.node), true));
            }
            Some(Value::Object(map)) => {
                extracted.push(child.role);
                children.push((child.node.clone(), map.clone(), false));
            }
            Some(_) => {}
            None if keep_old => {
                children.push((child.node.clone(), stored_options(g, &child.node), true));
            }
            None => {
                children.push((child.node.clone(), Map::new(), false));
            }
        }
    }
    queue.push(Entry {
        name: name.to_owned(),
        options,
        keep_old,
        extracted,
    });
    for (child, opts, keep) in children {
        enqueue(g, queue, &child, opts, keep);
    }
}

fn stored_options(g: &Graph, name: &str) -> Map<String, Value> {
    g.node(name).map(|n| n.options.clone()).unwrap_or_default()
}

fn prepare(g: &mut Graph, entry: &Entry, rules: Rules) -> Result<(), Error> {
    let name = entry.name.as_str();
    let Some(node) = g.node(name).cloned() else {
        return Ok(());
    };
    let new = &entry.options;
    let inherit_parent = node.inherits_from.as_deref().and_then(|p| {
        let parent = g.node(p)?;
        let role = parent.children.iter().find(|c| c.node == name)?.role;
        Some((role, parent.flags.clone()))
    });
    let mut flags = resolve_flags(
        new,
        inherit_parent.as_ref().map(|(role, flags)| Inherit {
            role: *role,
            parent: flags,
        }),
    );
    // The file driver keeps read-only fallbacks; no other flag sticks.
    check_flags_on_reopen(&flags)?;

    let is_qcow2 = matches!(node.driver, DriverState::Qcow2(_));
    if let DriverState::Qcow2(q) = &node.driver {
        if !entry.keep_old
            && !new.contains_key("backing")
            && (node.child(Role::Backing).is_some() || q.header.backing_file.is_some())
        {
            return Err(Error::generic(format!("backing is missing for '{name}'")));
        }
    }
    let mut consumed: Vec<&str> = Vec::new();
    if is_qcow2 {
        if let Some(v) = new.get("backing") {
            if !v.is_object() {
                set_child(g, name, Role::Backing, v, rules)?;
                consumed.push("backing");
            }
        }
    }
    if rules == Rules::Qemu10 {
        if let Some(v @ Value::String(_)) = new.get("file") {
            set_child(g, name, Role::File, v, rules)?;
            consumed.push("file");
        }
    }

    let new_flat = qdict::flatten(new);
    let has = |key: &str| new_flat.iter().any(|(k, _)| k == key);
    let old_flat = qdict::flatten(&node.options);
    if !entry.keep_old {
        let mutable = node.driver.mutable_options();
        let old_keys = qdict::iteration_order(old_flat.iter().map(|(k, _)| k.as_str()));
        for key in old_keys {
            if !has(key) && !COMMON_OPTIONS.contains(&key) && !mutable.contains(&key) {
                return Err(Error::generic(format!(
                    "Option '{key}' cannot be reset to its default value"
                )));
            }
        }
    }

    // The driver's own step.
    let get_int = |key: &str| new.get(key).and_then(Value::as_i64);
    let mut driver = node.driver.clone();
    match &mut driver {
        DriverState::Raw(r) => {
            let offset = raw::size_option("offset", get_int("offset"))?.unwrap_or(0);
            let size = raw::size_option("size", get_int("size"))?;
            let child_len = g
                .node(name)
                .and_then(|n| n.child(Role::File))
                .map_or(0, |c| drivers::sector_length(g, c));
            raw::check(offset, size, child_len)?;
            r.offset = offset;
            r.size = size;
        }
        DriverState::Qcow2(q) => {
            if new.get("lazy-refcounts").and_then(Value::as_bool) == Some(true)
                && q.header.version < 3
            {
                return Err(Error::generic(
                    "Lazy refcounts require a qcow2 image with at least qemu 1.1 compatibility level",
                ));
            }
        }
        DriverState::File(_) | DriverState::Null(_) => {}
    }

    // Whatever is left must not change.
    let consumes = node.driver.reopen_consumes();
    let leftover: Vec<&(String, Value)> = new_flat
        .iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            (k == "node-name" || !COMMON_OPTIONS.contains(&k))
                && !consumes.contains(&k)
                && !consumed.contains(&k)
                && !entry
                    .extracted
                    .iter()
                    .any(|r| k.starts_with(&format!("{}.", r.as_str())))
        })
        .collect();
    let order = qdict::iteration_order(leftover.iter().map(|(k, _)| k.as_str()));
    let current = g.node(name).cloned().unwrap_or(node);
    for key in order {
        let Some((_, value)) = leftover.iter().find(|(k, _)| k == key) else {
            continue;
        };
        if let Value::String(s) = value {
            let is_child_ref = current
                .children
                .iter()
                .any(|c| c.role.as_str() == key && c.node == *s);
            if is_child_ref {
                continue;
            }
        }
        let own_name = Value::String(current.name.clone());
        let old = if key == "node-name" {
            Some(&own_name)
        } else {
            old_flat.iter().find(|(k, _)| k == key).map(|(_, v)| v)
        };
        if old != Some(value) {
            return Err(Error::generic(format!("Cannot change the option '{key}'")));
        }
    }

    // Commit this node's part.
    if let DriverState::File(_) = &driver {
        // A file node that had fallen back to read-only stays usable.
        flags.read_only = flags.read_only || (current.flags.read_only && flags.auto_read_only);
    }
    let mut options = new.clone();
    for key in ["file", "backing", "data-file"] {
        options.remove(key);
    }
    if let Some(n) = g.nodes.get_mut(name) {
        n.flags = flags;
        n.options = options;
        n.driver = driver;
    }
    Ok(())
}

fn check_flags_on_reopen(flags: &crate::graph::Flags) -> Result<(), Error> {
    // force-share is compared like any option that cannot change; only
    // the detect-zeroes rule is checked as on open.
    let mut f = flags.clone();
    f.force_share = false;
    check_flags(&f)
}

/// Replaces or detaches a child named by a `backing` or `file` option.
fn set_child(
    g: &mut Graph,
    name: &str,
    role: Role,
    value: &Value,
    rules: Rules,
) -> Result<(), Error> {
    let current = g.node(name).and_then(|n| n.child(role)).map(str::to_owned);
    if role == Role::File && current.is_none() && value.is_string() {
        return Err(Error::generic(
            "Cannot set file child to format node without file child",
        ));
    }
    let new = match value {
        Value::Null => None,
        Value::String(s) => {
            if g.node(s).is_none() {
                return Err(Error::generic(format!(
                    "Cannot find device='' nor node-name='{s}'"
                )));
            }
            if g.reaches(s, name) {
                return Err(Error::generic(match rules {
                    Rules::Qemu40 => {
                        format!("Making '{s}' a backing file of '{name}' would create a cycle")
                    }
                    Rules::Qemu10 => format!(
                        "Making '{s}' a {} child of '{name}' would create a cycle",
                        role.as_str()
                    ),
                }));
            }
            Some(s.clone())
        }
        _ => return Ok(()),
    };
    if current == new {
        return Ok(());
    }
    match new {
        Some(child) => g.attach(name, role, &child),
        None => g.detach(name, role),
    }
    Ok(())
}

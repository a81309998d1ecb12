//! The file name QEMU shows for a node: the host file name when opening
//! that file would rebuild the same nodes, otherwise `json:{...}` with the
//! options that matter.

use serde_json::{Map, Value};

use crate::drivers::DriverState;
use crate::graph::{Graph, Role};

pub struct Names {
    pub filename: String,
    /// The options that rebuild the node (QEMU's `full_open_options`).
    pub full: Map<String, Value>,
    exact: Option<String>,
}

/// Whether the backing node is not the one the image header names.
pub fn backing_overridden(g: &Graph, name: &str) -> bool {
    let Some(node) = g.node(name) else {
        return false;
    };
    let DriverState::Qcow2(q) = &node.driver else {
        return false;
    };
    match node.child(Role::Backing) {
        Some(b) => q.auto_backing_file != refresh(g, b).filename,
        None => q.header.backing_file.is_some(),
    }
}

pub fn refresh(g: &Graph, name: &str) -> Names {
    let Some(node) = g.node(name) else {
        return Names {
            filename: String::new(),
            full: Map::new(),
            exact: None,
        };
    };
    let mut full = Map::new();
    full.insert("driver".into(), Value::from(node.driver_name()));
    if let Some(f) = node.options.get("filename") {
        full.insert("filename".into(), f.clone());
    }
    let mut json = false;
    for opt in node.driver.strong_options() {
        if let Some(v) = node.options.get(*opt) {
            full.insert((*opt).into(), v.clone());
            json = true;
        }
    }
    let overridden = backing_overridden(g, name);
    json |= overridden;
    for child in node.children_newest_first() {
        if child.role == Role::Backing && !overridden {
            continue;
        }
        full.insert(
            child.role.as_str().into(),
            Value::Object(refresh(g, &child.node).full),
        );
    }
    if overridden && node.child(Role::Backing).is_none() {
        full.insert("backing".into(), Value::Null);
    }

    let exact = match &node.driver {
        DriverState::File(f) => Some(f.filename.clone()),
        DriverState::Null(_) => {
            let plain = full
                .keys()
                .all(|k| matches!(k.as_str(), "filename" | "driver" | "latency-ns"));
            plain.then(|| "null-co://".to_owned())
        }
        DriverState::Raw(_) | DriverState::Qcow2(_) => node.child(Role::File).and_then(|c| {
            let child = g.node(c)?;
            let names = refresh(g, c);
            (child.driver.is_protocol() && !json)
                .then_some(names.exact)
                .flatten()
        }),
    };
    let filename = match &exact {
        Some(e) => e.clone(),
        None => format!(
            "json:{}",
            crate::qdict::to_qemu_json(&Value::Object(full.clone()))
        ),
    };
    Names {
        filename,
        full,
        exact,
    }
}

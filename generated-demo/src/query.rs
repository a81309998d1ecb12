//! `query-named-block-nodes` and `x-debug-query-block-graph`: what QEMU 10
//! reports for each node, in its order.
//!
//! Replies are built as JSON rather than as the generated structs so that
//! the daemon also builds against QEMU's own, larger schema; the tests
//! check that they decode as the generated types of the project's schema.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::drivers::{self, DriverState};
use crate::filename;
use crate::graph::{Graph, Node, Role};
use crate::perms::{self, Perms};

pub fn named_block_nodes(g: &Graph, flat: bool) -> Value {
    Value::Array(
        g.named_nodes()
            .into_iter()
            .map(|n| device_info(g, n, flat))
            .collect(),
    )
}

fn device_info(g: &Graph, node: &Node, flat: bool) -> Value {
    let backing = node.child(Role::Backing);
    let mut depth = 0u64;
    if !flat {
        let mut cur = backing;
        while let Some(b) = cur {
            depth += 1;
            cur = g.node(b).and_then(|n| n.child(Role::Backing));
        }
    }
    let mut info = json!({
        "file": filename::refresh(g, &node.name).filename,
        "node-name": node.name,
        "ro": node.flags.read_only,
        "drv": node.driver_name(),
        "backing_file_depth": depth,
        "active": node.flags.active,
        "encrypted": false,
        "detect_zeroes": node.flags.detect_zeroes.as_str(),
        "bps": 0, "bps_rd": 0, "bps_wr": 0,
        "iops": 0, "iops_rd": 0, "iops_wr": 0,
        "image": image_info(g, node, flat),
        "cache": {
            "writeback": true,
            "direct": node.flags.cache_direct,
            "no-flush": node.flags.cache_no_flush,
        },
        "write_threshold": 0,
    });
    if let (Some(b), Some(map)) = (backing, info.as_object_mut()) {
        map.insert(
            "backing_file".into(),
            Value::from(filename::refresh(g, b).filename),
        );
    }
    info
}

fn image_info(g: &Graph, node: &Node, flat: bool) -> Value {
    let mut info = Map::new();
    info.insert(
        "filename".into(),
        Value::from(filename::refresh(g, &node.name).filename),
    );
    info.insert("format".into(), Value::from(node.driver_name()));
    if drivers::has_info(g, &node.name) {
        let dirty = match &node.driver {
            DriverState::Qcow2(q) => q.header.dirty(),
            _ => false,
        };
        info.insert("dirty-flag".into(), Value::from(dirty));
    }
    if let Some(size) = drivers::allocated(g, &node.name) {
        info.insert("actual-size".into(), Value::from(size));
    }
    info.insert(
        "virtual-size".into(),
        Value::from(drivers::sector_length(g, &node.name)),
    );
    if let Some(size) = drivers::cluster_size(g, &node.name) {
        info.insert("cluster-size".into(), Value::from(size));
    }
    match &node.driver {
        DriverState::File(_) => {
            info.insert(
                "format-specific".into(),
                json!({"type": "file", "data": {}}),
            );
        }
        DriverState::Qcow2(q) => {
            let h = &q.header;
            let mut data = Map::new();
            let v3 = h.version >= 3;
            data.insert(
                "compat".into(),
                Value::from(if v3 { "1.1" } else { "0.10" }),
            );
            if v3 {
                data.insert("lazy-refcounts".into(), Value::from(h.lazy_refcounts()));
                data.insert("corrupt".into(), Value::from(h.corrupt()));
                data.insert("extended-l2".into(), Value::from(h.extended_l2()));
            }
            data.insert(
                "refcount-bits".into(),
                Value::from(1u64 << h.refcount_order.min(62)),
            );
            let compression = if h.compression_type == 1 {
                "zstd"
            } else {
                "zlib"
            };
            data.insert("compression-type".into(), Value::from(compression));
            info.insert(
                "format-specific".into(),
                json!({"type": "qcow2", "data": data}),
            );
            if let Some(b) = &h.backing_file {
                info.insert("backing-filename".into(), Value::from(b.clone()));
                let image = drivers::storage_filename(g, &node.name);
                info.insert(
                    "full-backing-filename".into(),
                    Value::from(drivers::qcow2::full_backing_filename(&image, b)),
                );
                if let Some(f) = &h.backing_format {
                    info.insert("backing-filename-format".into(), Value::from(f.clone()));
                }
            }
        }
        DriverState::Null(_) | DriverState::Raw(_) => {}
    }
    if !flat {
        if let Some(b) = node.child(Role::Backing).and_then(|b| g.node(b)) {
            info.insert("backing-image".into(), image_info(g, b, false));
        }
    }
    Value::Object(info)
}

/// The graph as QEMU's debug command lists it: nodes in reverse naming
/// order, ids handed out while walking nodes in naming order (a child
/// met through an edge gets its id then), edges newest node first.
pub fn block_graph(g: &Graph) -> Value {
    let perms = Perms::compute(g);
    let mut order: Vec<&Node> = g.nodes.values().collect();
    order.sort_by_key(|n| n.seq);
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut next = 1;
    let mut id_of = |name: &str, ids: &mut HashMap<String, u64>| -> u64 {
        if let Some(id) = ids.get(name) {
            return *id;
        }
        let id = next;
        next += 1;
        ids.insert(name.to_owned(), id);
        id
    };
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for node in &order {
        let id = id_of(&node.name, &mut ids);
        nodes.push(json!({"id": id, "type": "block-driver", "name": node.name}));
        for child in node.children_newest_first() {
            let cid = id_of(&child.node, &mut ids);
            let e = perms.edge(&node.name, child.role);
            let list = |p: u8| -> Vec<&'static str> {
                perms::to_list(p).into_iter().map(|p| p.as_str()).collect()
            };
            edges.push(json!({
                "parent": id,
                "child": cid,
                "name": child.role.as_str(),
                "perm": list(e.perm),
                "shared-perm": list(e.shared),
            }));
        }
    }
    nodes.reverse();
    edges.reverse();
    json!({"nodes": nodes, "edges": edges})
}

#[cfg(test)]
mod tests {
    use qapi_runtime::decode::Decode;

    use super::*;
    use crate::qapi::{BlockDeviceInfo, BlockdevOptions, XDbgBlockGraph};

    /// The replies decode as the generated types of the schema.
    #[test]
    fn replies_follow_the_schema() {
        let mut g = Graph::new();
        for opts in [
            json!({"driver": "null-co", "node-name": "n0", "size": 4096}),
            json!({"driver": "raw", "node-name": "r0", "file": "n0", "offset": 512}),
            json!({"driver": "raw", "node-name": "r1", "file": {"driver": "null-co"}}),
        ] {
            let o = BlockdevOptions::from_value(&opts).unwrap();
            crate::open::blockdev_add(&mut g, &o).unwrap();
        }
        for flat in [false, true] {
            let Value::Array(list) = named_block_nodes(&g, flat) else {
                panic!("not a list")
            };
            assert_eq!(list.len(), 4);
            for info in &list {
                BlockDeviceInfo::from_value(info).unwrap();
            }
        }
        let graph = block_graph(&g);
        XDbgBlockGraph::from_value(&graph).unwrap();
        assert_eq!(graph["edges"].as_array().unwrap().len(), 2);
    }
}

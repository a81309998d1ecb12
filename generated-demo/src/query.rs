//! `query-named-block-nodes` and `x-debug-query-block-graph`: what QEMU 10
//! reports for each node, in its order.

use std::collections::HashMap;

use crate::drivers::{self, DriverState};
use crate::filename;
use crate::graph::{Graph, Node, Role};
use crate::perms::{self, Perms};
use crate::qapi::{
    BlockDeviceInfo, BlockdevCacheInfo, ImageInfo, ImageInfoSpecific, ImageInfoSpecificBranch,
    ImageInfoSpecificFile, ImageInfoSpecificFileWrapper, ImageInfoSpecificQCow2,
    ImageInfoSpecificQCow2Wrapper, Qcow2CompressionType, XDbgBlockGraph, XDbgBlockGraphEdge,
    XDbgBlockGraphNode, XDbgBlockGraphNodeType,
};

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub fn named_block_nodes(g: &Graph, flat: bool) -> Vec<BlockDeviceInfo> {
    g.named_nodes()
        .into_iter()
        .map(|n| device_info(g, n, flat))
        .collect()
}

fn device_info(g: &Graph, node: &Node, flat: bool) -> BlockDeviceInfo {
    let name = filename::refresh(g, &node.name).filename;
    let backing = node.child(Role::Backing);
    let mut depth = 0;
    if !flat {
        let mut cur = backing;
        while let Some(b) = cur {
            depth += 1;
            cur = g.node(b).and_then(|n| n.child(Role::Backing));
        }
    }
    BlockDeviceInfo {
        file: name,
        node_name: node.name.clone(),
        ro: node.flags.read_only,
        drv: node.driver_name().to_owned(),
        backing_file: backing.map(|b| filename::refresh(g, b).filename),
        backing_file_depth: depth,
        active: node.flags.active,
        encrypted: false,
        detect_zeroes: node.flags.detect_zeroes,
        bps: 0,
        bps_rd: 0,
        bps_wr: 0,
        iops: 0,
        iops_rd: 0,
        iops_wr: 0,
        image: image_info(g, node, flat),
        cache: BlockdevCacheInfo {
            writeback: true,
            direct: node.flags.cache_direct,
            no_flush: node.flags.cache_no_flush,
        },
        write_threshold: 0,
    }
}

fn image_info(g: &Graph, node: &Node, flat: bool) -> ImageInfo {
    let has_info = drivers::has_info(g, &node.name);
    let mut info = ImageInfo {
        filename: filename::refresh(g, &node.name).filename,
        format: node.driver_name().to_owned(),
        dirty_flag: has_info.then_some(false),
        actual_size: drivers::allocated(g, &node.name).map(to_i64),
        virtual_size: to_i64(drivers::sector_length(g, &node.name)),
        cluster_size: drivers::cluster_size(g, &node.name).map(to_i64),
        encrypted: None,
        compressed: None,
        backing_filename: None,
        full_backing_filename: None,
        backing_filename_format: None,
        format_specific: None,
        backing_image: None,
    };
    match &node.driver {
        DriverState::File(_) => {
            info.format_specific = Some(ImageInfoSpecific {
                branch: ImageInfoSpecificBranch::File(ImageInfoSpecificFileWrapper {
                    data: ImageInfoSpecificFile {
                        extent_size_hint: None,
                    },
                }),
            });
        }
        DriverState::Qcow2(q) => {
            let h = &q.header;
            info.dirty_flag = Some(h.dirty());
            let v3 = h.version >= 3;
            info.format_specific = Some(ImageInfoSpecific {
                branch: ImageInfoSpecificBranch::Qcow2(ImageInfoSpecificQCow2Wrapper {
                    data: ImageInfoSpecificQCow2 {
                        compat: if v3 { "1.1" } else { "0.10" }.to_owned(),
                        data_file: None,
                        data_file_raw: None,
                        extended_l2: v3.then(|| h.extended_l2()),
                        lazy_refcounts: v3.then(|| h.lazy_refcounts()),
                        corrupt: v3.then(|| h.corrupt()),
                        refcount_bits: 1i64 << h.refcount_order.min(62),
                        compression_type: if h.compression_type == 1 {
                            Qcow2CompressionType::Zstd
                        } else {
                            Qcow2CompressionType::Zlib
                        },
                    },
                }),
            });
            if let Some(b) = &h.backing_file {
                info.backing_filename = Some(b.clone());
                let image = drivers::storage_filename(g, &node.name);
                info.full_backing_filename =
                    Some(crate::drivers::qcow2::full_backing_filename(&image, b));
                info.backing_filename_format = h.backing_format.clone();
            }
        }
        DriverState::Null(_) | DriverState::Raw(_) => {}
    }
    if !flat {
        if let Some(b) = node.child(Role::Backing).and_then(|b| g.node(b)) {
            info.backing_image = Some(Box::new(image_info(g, b, false)));
        }
    }
    info
}

/// The graph as QEMU's debug command lists it: nodes in reverse naming
/// order, ids handed out while walking nodes in naming order (a child
/// met through an edge gets its id then), edges newest node first.
pub fn block_graph(g: &Graph) -> XDbgBlockGraph {
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
        nodes.push(XDbgBlockGraphNode {
            id,
            r#type: XDbgBlockGraphNodeType::BlockDriver,
            name: node.name.clone(),
        });
        for child in node.children_newest_first() {
            let cid = id_of(&child.node, &mut ids);
            let e = perms.edge(&node.name, child.role);
            edges.push(XDbgBlockGraphEdge {
                parent: id,
                child: cid,
                name: child.role.as_str().to_owned(),
                perm: perms::to_list(e.perm),
                shared_perm: perms::to_list(e.shared),
            });
        }
    }
    nodes.reverse();
    edges.reverse();
    XDbgBlockGraph { nodes, edges }
}

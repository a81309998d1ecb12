//! Opening nodes: `blockdev-add` and `--blockdev`, with the children a
//! node creates on the way (its `file` child and, for qcow2, the backing
//! file its image names).

use std::collections::HashSet;

use qapi_runtime::decode::Decode;
use qapi_runtime::Error;
use serde_json::{json, Map, Value};

use crate::drivers::{self, file, null, qcow2, raw, DriverState};
use crate::graph::{Flags, Graph, Node, Role};
use crate::qapi::{
    BlockdevDetectZeroesOptions, BlockdevDiscardOptions, BlockdevOptions, BlockdevOptionsBranch,
    BlockdevRef, BlockdevRefOrNull, OnOffAuto,
};

/// The parent a child is opened for, whose options it inherits.
#[derive(Clone, Copy)]
pub struct Inherit<'a> {
    pub role: Role,
    pub parent: &'a Flags,
}

/// The flags of a node: what its options give, else what it inherits
/// from the parent that created it, else QEMU's defaults.
pub fn resolve_flags(o: &Map<String, Value>, inherit: Option<Inherit<'_>>) -> Flags {
    let mut f = Flags::default();
    match inherit {
        None => {}
        Some(Inherit {
            role: Role::File,
            parent,
        }) => {
            f.read_only = parent.read_only;
            f.auto_read_only = parent.auto_read_only;
            f.force_share = parent.force_share;
            f.cache_direct = parent.cache_direct;
            f.cache_no_flush = parent.cache_no_flush;
            // Format drivers pass discards on as they see fit, so the
            // layer below may always unmap.
            f.discard_unmap = true;
        }
        Some(Inherit {
            role: Role::Backing,
            parent,
        }) => {
            f.read_only = true;
            f.force_share = parent.force_share;
            f.cache_direct = parent.cache_direct;
            f.cache_no_flush = parent.cache_no_flush;
        }
    }
    let flag = |key: &str| o.get(key).and_then(Value::as_bool);
    if let Some(v) = flag("read-only") {
        f.read_only = v;
    }
    if let Some(v) = flag("auto-read-only") {
        f.auto_read_only = v;
    }
    if let Some(v) = flag("active") {
        f.active = v;
    }
    if let Some(v) = flag("force-share") {
        f.force_share = v;
    }
    if let Some(v) = o.get("detect-zeroes").and_then(Value::as_str) {
        if let Ok(v) = v.parse::<BlockdevDetectZeroesOptions>() {
            f.detect_zeroes = v;
        }
    }
    if let Some(v) = o.get("discard").and_then(Value::as_str) {
        f.discard_unmap = v == BlockdevDiscardOptions::Unmap.as_str();
    }
    if let Some(cache) = o.get("cache").and_then(Value::as_object) {
        if let Some(v) = cache.get("direct").and_then(Value::as_bool) {
            f.cache_direct = v;
        }
        if let Some(v) = cache.get("no-flush").and_then(Value::as_bool) {
            f.cache_no_flush = v;
        }
    }
    f
}

/// The checks QEMU makes on the common options of every node.
pub fn check_flags(f: &Flags) -> Result<(), Error> {
    if f.force_share && !f.read_only {
        return Err(Error::generic(
            "force-share=on can only be used with read-only images",
        ));
    }
    if f.detect_zeroes == BlockdevDetectZeroesOptions::Unmap && !f.discard_unmap {
        return Err(Error::generic(
            "setting detect-zeroes to unmap is not allowed without setting discard operation to unmap",
        ));
    }
    Ok(())
}

/// The options of a node as stored: typed, without child definitions
/// or references.
pub fn own_options(o: &BlockdevOptions) -> Map<String, Value> {
    let mut map = match serde_json::to_value(o) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in ["file", "backing", "data-file"] {
        map.remove(key);
    }
    map
}

/// `blockdev-add`: opens the node and what it creates, and commits the
/// result only when the permissions of the whole graph hold.
pub fn blockdev_add(g: &mut Graph, o: &BlockdevOptions) -> Result<(), Error> {
    if o.node_name.is_none() {
        return Err(Error::generic(
            "'node-name' must be specified for the root node",
        ));
    }
    let backup = g.clone();
    let result = open(g, o, None).and_then(|name| {
        crate::perms::check(g, &HashSet::new())?;
        if let Some(n) = g.nodes.get_mut(&name) {
            n.monitor_owned = true;
        }
        Ok(())
    });
    if result.is_err() {
        g.rollback(backup);
    }
    result
}

/// Opens a child given by definition or by reference; returns its name.
fn open_ref(g: &mut Graph, r: &BlockdevRef, inherit: Inherit<'_>) -> Result<(String, bool), Error> {
    match r {
        BlockdevRef::Reference(name) => Ok((g.lookup(name, name)?.name.clone(), false)),
        BlockdevRef::Definition(o) => Ok((open(g, o, Some(inherit))?, true)),
    }
}

/// Opens one node and the children it creates.
pub fn open(
    g: &mut Graph,
    o: &BlockdevOptions,
    inherit: Option<Inherit<'_>>,
) -> Result<String, Error> {
    let flags = resolve_flags(&own_options(o), inherit);
    let file_ref = match &o.branch {
        BlockdevOptionsBranch::Raw(r) => Some(&*r.file),
        BlockdevOptionsBranch::Qcow2(q) => Some(&*q.file),
        _ => None,
    };
    // The file child is opened before the node gets its name.
    let file_child = match file_ref {
        Some(r) => Some(open_ref(
            g,
            r,
            Inherit {
                role: Role::File,
                parent: &flags,
            },
        )?),
        None => None,
    };
    check_flags(&flags)?;
    if let BlockdevOptionsBranch::File(f) = &o.branch {
        if f.filename.is_empty() {
            return Err(Error::generic(
                "The 'file' block driver requires a file name",
            ));
        }
    }
    let name = g.assign_name(o.node_name.as_deref())?;
    let mut flags = flags;
    let child_name = file_child.as_ref().map(|c| c.0.clone());
    // Drivers with a file child read their options, attach the child
    // (which checks permissions) and only then look at its data.
    let early = match &o.branch {
        BlockdevOptionsBranch::Raw(r) => {
            let offset = raw::size_option("offset", r.offset)?.unwrap_or(0);
            let size = raw::size_option("size", r.size)?;
            Some(DriverState::Raw(raw::RawState {
                offset,
                size,
                slices: r.offset.is_some() || r.size.is_some(),
            }))
        }
        BlockdevOptionsBranch::Qcow2(q) => {
            if q.data_file.is_some() {
                return Err(Error::generic(
                    "generated-demo does not model qcow2 external data files",
                ));
            }
            Some(DriverState::Qcow2(qcow2::Qcow2State {
                header: qcow2::Header::default(),
                auto_backing_file: String::new(),
            }))
        }
        _ => None,
    };
    if let (Some(placeholder), Some((child, implicit))) = (&early, &file_child) {
        g.insert(Node {
            name: name.clone(),
            seq: 0,
            monitor_owned: false,
            inherits_from: None,
            flags: flags.clone(),
            options: own_options(o),
            driver: placeholder.clone(),
            children: Vec::new(),
        });
        g.attach(&name, Role::File, child);
        if *implicit {
            g.set_inherits_from(child, &name);
        }
        crate::perms::check(g, &HashSet::new())?;
    }
    let driver = match &o.branch {
        BlockdevOptionsBranch::File(f) => {
            let locking = f.locking != Some(OnOffAuto::Off);
            let (state, ro) =
                file::open(&f.filename, flags.read_only, flags.auto_read_only, locking)?;
            flags.read_only = ro;
            DriverState::File(state)
        }
        BlockdevOptionsBranch::NullCo(n) => {
            let size = raw::size_option("size", n.size)?.unwrap_or(null::DEFAULT_SIZE);
            DriverState::Null(null::NullState { size })
        }
        BlockdevOptionsBranch::Raw(_) => {
            let Some(DriverState::Raw(r)) = early.clone() else {
                return Err(Error::generic("raw lost its options"));
            };
            let child_len = child_name
                .as_deref()
                .map_or(0, |c| drivers::sector_length(g, c));
            raw::check(r.offset, r.size, child_len)?;
            DriverState::Raw(r)
        }
        BlockdevOptionsBranch::Qcow2(q) => {
            let header = qcow2::read_header(g, child_name.as_deref().unwrap_or_default())?;
            if header.external_data_file() {
                return Err(Error::generic("'data-file' is required for this image"));
            }
            if q.lazy_refcounts == Some(true) && header.version < 3 {
                return Err(Error::generic(
                    "Lazy refcounts require a qcow2 image with at least qemu 1.1 compatibility level",
                ));
            }
            DriverState::Qcow2(qcow2::Qcow2State {
                auto_backing_file: header.backing_file.clone().unwrap_or_default(),
                header,
            })
        }
        // Only with QEMU's own schema, which names more drivers.
        #[allow(unreachable_patterns)]
        other => {
            return Err(Error::generic(format!(
                "generated-demo does not model the '{}' driver",
                other.tag()
            )))
        }
    };
    if early.is_some() && file_child.is_some() {
        if let Some(n) = g.nodes.get_mut(&name) {
            n.driver = driver;
        }
    } else {
        g.insert(Node {
            name: name.clone(),
            seq: 0,
            monitor_owned: false,
            inherits_from: None,
            flags: flags.clone(),
            options: own_options(o),
            driver,
            children: Vec::new(),
        });
    }
    if let BlockdevOptionsBranch::Qcow2(q) = &o.branch {
        open_backing(g, &name, q.backing.as_deref(), &flags)
            .map_err(|e| Error::generic(format!("Could not open backing file: {}", e.desc())))?;
    }
    Ok(name)
}

/// Opens the backing child of a qcow2 node as its `backing` option says.
fn open_backing(
    g: &mut Graph,
    name: &str,
    backing: Option<&BlockdevRefOrNull>,
    flags: &Flags,
) -> Result<(), Error> {
    let inherit = Inherit {
        role: Role::Backing,
        parent: flags,
    };
    match backing {
        Some(BlockdevRefOrNull::Null(())) => Ok(()),
        // The older spelling of null.
        Some(BlockdevRefOrNull::Reference(r)) if r.is_empty() => Ok(()),
        Some(BlockdevRefOrNull::Reference(r)) => {
            let child = g.lookup(r, r)?.name.clone();
            g.attach(name, Role::Backing, &child);
            Ok(())
        }
        Some(BlockdevRefOrNull::Definition(o)) => {
            // With a file name in the image header, QEMU opens a backing
            // definition by that name, which a file reference contradicts.
            let names_file = matches!(
                g.node(name).map(|n| &n.driver),
                Some(DriverState::Qcow2(q)) if q.header.backing_file.is_some()
            );
            let file_by_reference = matches!(
                &o.branch,
                BlockdevOptionsBranch::Raw(r) if matches!(*r.file, BlockdevRef::Reference(_))
            ) || matches!(
                &o.branch,
                BlockdevOptionsBranch::Qcow2(q) if matches!(*q.file, BlockdevRef::Reference(_))
            );
            if names_file && file_by_reference {
                return Err(Error::generic(
                    "Cannot reference an existing block device with additional options or a new filename",
                ));
            }
            let child = open(g, o, Some(inherit))?;
            g.attach(name, Role::Backing, &child);
            g.set_inherits_from(&child, name);
            Ok(())
        }
        None => {
            let Some(node) = g.node(name) else {
                return Ok(());
            };
            let DriverState::Qcow2(q) = &node.driver else {
                return Ok(());
            };
            let Some(backing_file) = q.header.backing_file.clone() else {
                return Ok(());
            };
            let format = q.header.backing_format.clone();
            let image = drivers::storage_filename(g, name);
            let path = qcow2::full_backing_filename(&image, &backing_file);
            let format = format.unwrap_or_else(|| probe(&path).to_owned());
            let value = json!({"driver": format, "file": {"driver": "file", "filename": path}});
            let opts = BlockdevOptions::from_value(&value)
                .map_err(|_| Error::generic(format!("Unknown driver '{format}'")))?;
            let child = open(g, &opts, Some(inherit))?;
            g.attach(name, Role::Backing, &child);
            g.set_inherits_from(&child, name);
            let child_filename = crate::filename::refresh(g, &child).filename;
            if let Some(DriverState::Qcow2(q)) = g.nodes.get_mut(name).map(|n| &mut n.driver) {
                q.auto_backing_file = child_filename;
            }
            Ok(())
        }
    }
}

/// The format of an image file without a format in its overlay's header.
fn probe(path: &str) -> &'static str {
    let mut magic = [0u8; 4];
    let ok = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok();
    if ok && &magic == b"QFI\xfb" {
        "qcow2"
    } else {
        "raw"
    }
}

//! The four block drivers the model knows: their state once open, and
//! what each reports.

pub mod file;
pub mod null;
pub mod qcow2;
pub mod raw;

use crate::graph::{Graph, Role};

#[derive(Debug, Clone)]
pub enum DriverState {
    File(file::FileState),
    Null(null::NullState),
    Raw(raw::RawState),
    Qcow2(qcow2::Qcow2State),
}

impl DriverState {
    /// The driver's format name.
    pub fn name(&self) -> &'static str {
        match self {
            DriverState::File(_) => "file",
            DriverState::Null(_) => "null-co",
            DriverState::Raw(_) => "raw",
            DriverState::Qcow2(_) => "qcow2",
        }
    }

    /// Protocol drivers sit at the bottom and name their data themselves.
    pub fn is_protocol(&self) -> bool {
        matches!(self, DriverState::File(_) | DriverState::Null(_))
    }

    /// The options that change what the node shows, which QEMU's
    /// `json:{...}` file names keep (besides `driver` and `filename`).
    pub fn strong_options(&self) -> &'static [&'static str] {
        match self {
            DriverState::File(_) => &[],
            DriverState::Null(_) => &["size", "read-zeroes"],
            DriverState::Raw(_) => &["offset", "size"],
            DriverState::Qcow2(_) => &["data-file"],
        }
    }

    /// Options a reopen may change or leave out (reset to the default).
    pub fn mutable_options(&self) -> &'static [&'static str] {
        match self {
            DriverState::File(_) | DriverState::Null(_) => &[],
            DriverState::Raw(_) => &["offset", "size"],
            DriverState::Qcow2(_) => qcow2::RUNTIME_OPTIONS,
        }
    }

    /// Options the driver's own reopen step takes in (and may change).
    pub fn reopen_consumes(&self) -> &'static [&'static str] {
        match self {
            DriverState::File(_) => &["drop-cache"],
            DriverState::Null(_) => &[],
            DriverState::Raw(_) => &["offset", "size"],
            DriverState::Qcow2(_) => qcow2::RUNTIME_OPTIONS,
        }
    }
}

/// The node's length in bytes, as its users see it.
pub fn length(g: &Graph, name: &str) -> u64 {
    let Some(node) = g.node(name) else { return 0 };
    match &node.driver {
        DriverState::File(f) => file::current_length(f),
        DriverState::Null(n) => n.size,
        DriverState::Raw(r) => match r.size {
            Some(size) => size,
            None => {
                let child = node.child(Role::File).map_or(0, |c| length(g, c));
                child.saturating_sub(r.offset)
            }
        },
        DriverState::Qcow2(q) => q.header.size,
    }
}

/// The length rounded up to whole sectors, as QEMU reports sizes.
pub fn sector_length(g: &Graph, name: &str) -> u64 {
    length(g, name).div_ceil(512) * 512
}

/// Bytes the node takes up on the host (`actual-size`), if it can tell.
pub fn allocated(g: &Graph, name: &str) -> Option<u64> {
    let node = g.node(name)?;
    match &node.driver {
        DriverState::File(f) => Some(file::allocated(f)),
        DriverState::Null(_) => Some(0),
        DriverState::Raw(_) | DriverState::Qcow2(_) => allocated(g, node.child(Role::File)?),
    }
}

/// Whether the node answers `bdrv_get_info` (and so reports a dirty flag).
pub fn has_info(g: &Graph, name: &str) -> bool {
    let Some(node) = g.node(name) else {
        return false;
    };
    match &node.driver {
        DriverState::File(_) | DriverState::Qcow2(_) => true,
        DriverState::Null(_) => false,
        DriverState::Raw(_) => node.child(Role::File).is_some_and(|c| has_info(g, c)),
    }
}

/// Reads `len` bytes at `offset` of the node's data; bytes past the end
/// or that the model does not hold read as zeroes.
pub fn read(g: &Graph, name: &str, offset: u64, len: usize) -> Vec<u8> {
    let Some(node) = g.node(name) else {
        return vec![0; len];
    };
    match &node.driver {
        DriverState::File(f) => file::read_at(f, offset, len),
        DriverState::Raw(r) => match node.child(Role::File) {
            Some(child) => read(g, child, r.offset.saturating_add(offset), len),
            None => vec![0; len],
        },
        DriverState::Null(_) | DriverState::Qcow2(_) => vec![0; len],
    }
}

/// The cluster size `bdrv_get_info` reports: qcow2's own, passed up
/// through raw.
pub fn cluster_size(g: &Graph, name: &str) -> Option<u64> {
    let node = g.node(name)?;
    match &node.driver {
        DriverState::Qcow2(q) => Some(1u64 << q.header.cluster_bits.min(62)),
        DriverState::Raw(_) => cluster_size(g, node.child(Role::File)?),
        DriverState::File(_) | DriverState::Null(_) => None,
    }
}

/// The file name relative backing file names resolve against: that of
/// the node at the bottom of the chain of `file` children.
pub fn storage_filename(g: &Graph, name: &str) -> String {
    match g.node(name).and_then(|n| n.child(Role::File)) {
        Some(child) => storage_filename(g, child),
        None => crate::filename::refresh(g, name).filename,
    }
}

//! The `qcow2` format driver: what its header says (the model reads no
//! guest data).

use qapi_runtime::Error;

use crate::graph::Graph;

/// The qcow2 options a reopen may change, or reset by leaving them out.
pub const RUNTIME_OPTIONS: &[&str] = &[
    "lazy-refcounts",
    "pass-discard-request",
    "pass-discard-snapshot",
    "pass-discard-other",
    "discard-no-unref",
    "cache-size",
    "l2-cache-size",
    "l2-cache-entry-size",
    "refcount-cache-size",
    "cache-clean-interval",
];

const MAGIC: &[u8; 4] = b"QFI\xfb";
const EXT_BACKING_FORMAT: u32 = 0xE279_2ACA;
const EXT_END: u32 = 0;
const INCOMPAT_DIRTY: u64 = 1;
const INCOMPAT_CORRUPT: u64 = 1 << 1;
const INCOMPAT_DATA_FILE: u64 = 1 << 2;
const INCOMPAT_EXTL2: u64 = 1 << 4;
const COMPAT_LAZY_REFCOUNTS: u64 = 1;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub version: u32,
    pub cluster_bits: u32,
    pub size: u64,
    pub incompatible: u64,
    pub compatible: u64,
    pub refcount_order: u32,
    pub compression_type: u8,
    pub backing_file: Option<String>,
    pub backing_format: Option<String>,
}

impl Header {
    pub fn dirty(&self) -> bool {
        self.incompatible & INCOMPAT_DIRTY != 0
    }
    pub fn corrupt(&self) -> bool {
        self.incompatible & INCOMPAT_CORRUPT != 0
    }
    pub fn extended_l2(&self) -> bool {
        self.incompatible & INCOMPAT_EXTL2 != 0
    }
    pub fn lazy_refcounts(&self) -> bool {
        self.compatible & COMPAT_LAZY_REFCOUNTS != 0
    }
    pub fn external_data_file(&self) -> bool {
        self.incompatible & INCOMPAT_DATA_FILE != 0
    }
}

#[derive(Debug, Clone)]
pub struct Qcow2State {
    pub header: Header,
    /// The backing file name QEMU compares the backing node's file name
    /// with to tell whether the user overrode the backing chain: the
    /// default backing node's file name when the image header's file was
    /// opened, else the header's name itself.
    pub auto_backing_file: String,
}

fn be32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, u32::from_be_bytes)
}

fn be64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_be_bytes)
}

/// Reads the header of the image held by node `child`.
pub fn read_header(g: &Graph, child: &str) -> Result<Header, Error> {
    let head = crate::drivers::read(g, child, 0, 112);
    if head.get(..4) != Some(&MAGIC[..]) {
        return Err(Error::generic("Image is not in qcow2 format"));
    }
    let version = be32(&head, 4);
    if !(2..=3).contains(&version) {
        return Err(Error::generic(format!(
            "Unsupported qcow2 version {version}"
        )));
    }
    let backing_offset = be64(&head, 8);
    let backing_size = be32(&head, 16);
    let (incompatible, compatible, refcount_order, header_length) = if version >= 3 {
        (
            be64(&head, 72),
            be64(&head, 80),
            be32(&head, 96),
            be32(&head, 100),
        )
    } else {
        (0, 0, 4, 72)
    };
    let compression_type = if header_length > 104 {
        head.get(104).copied().unwrap_or(0)
    } else {
        0
    };
    let backing_file = if backing_offset != 0 && backing_size != 0 {
        let bytes = crate::drivers::read(g, child, backing_offset, backing_size.min(1023) as usize);
        Some(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        None
    };
    let mut backing_format = None;
    // Header extensions follow the header; each is magic, length, data
    // padded to 8 bytes, up to the end marker or the first cluster.
    let cluster_bits = be32(&head, 20);
    let cluster_size = 1u64 << cluster_bits.min(32);
    let mut at = u64::from(header_length);
    while at + 8 <= cluster_size {
        let ext = crate::drivers::read(g, child, at, 8);
        let magic = be32(&ext, 0);
        let len = be32(&ext, 4);
        if magic == EXT_END {
            break;
        }
        if magic == EXT_BACKING_FORMAT {
            let data = crate::drivers::read(g, child, at + 8, len.min(1023) as usize);
            backing_format = Some(String::from_utf8_lossy(&data).into_owned());
        }
        at += 8 + u64::from(len).div_ceil(8) * 8;
    }
    Ok(Header {
        version,
        cluster_bits,
        size: be64(&head, 24),
        incompatible,
        compatible,
        refcount_order,
        compression_type,
        backing_file,
        backing_format,
    })
}

/// The backing file name resolved against the image's own file name.
pub fn full_backing_filename(image_filename: &str, backing: &str) -> String {
    if backing.starts_with('/') || backing.contains("://") || backing.starts_with("json:") {
        return backing.to_owned();
    }
    match image_filename.rfind('/') {
        Some(cut) => format!("{}{backing}", &image_filename[..=cut]),
        None => backing.to_owned(),
    }
}

//! What the fuzz targets share: the bindings of QEMU 10.0's storage-daemon
//! schema (configured like Debian's qemu-storage-daemon 10.0.2), generated
//! by `build.rs`, as the conformance crate has them.

/// The generated types; the targets use `BlockdevOptions`.
pub mod qsd_10_0 {
    include!(concat!(env!("OUT_DIR"), "/qsd_10_0/qapi.rs"));
}

//! Bindings generated from QEMU's own schemas, for checking the generated
//! code against QEMU: its decoders against the error replies the real
//! qemu-storage-daemon gives (`tests/qsd_table.rs`), and decoding and
//! encoding against each other on random schema-valid values
//! (`tests/roundtrip.rs`).

/// QEMU 10.2's full QMP schema, every condition true.
pub mod qemu_10_2 {
    include!(concat!(env!("OUT_DIR"), "/qemu_10_2/qapi.rs"));
}

/// QEMU 10.0's storage-daemon schema with the configuration of Debian's
/// qemu-storage-daemon 10.0.2: the types the installed daemon has.
pub mod qsd_10_0 {
    include!(concat!(env!("OUT_DIR"), "/qsd_10_0/qapi.rs"));
}

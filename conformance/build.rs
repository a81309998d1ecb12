//! Generates the bindings this crate checks into `OUT_DIR`: QEMU 10.2's
//! full schema with every condition true (`qemu_10_2`), and QEMU 10.0's
//! storage-daemon schema under the configuration of Debian's
//! qemu-storage-daemon 10.0.2 (`qsd_10_0`), so its types are exactly the
//! installed daemon's. Both are formatted: clippy's formatting lints
//! misread the unformatted text.

use std::path::PathBuf;

use qapi_codegen::Config;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let qemu = manifest.join("../../shared/qemu");
    if !qemu.is_dir() {
        return Err(format!(
            "{} is missing: the conformance bindings are generated from QEMU's schemas \
             in the read-only ground-truth folder ../shared next to the workspace",
            qemu.display()
        )
        .into());
    }
    Config::new()
        .dialect("10.2")
        .out_dir(out.join("qemu_10_2"))
        .generate(qemu.join("10.2.0/qapi/qapi-schema.json"))?;
    let qsd = qemu.join("10.0.0");
    Config::new()
        .dialect("10.0")
        .cfg_file(qsd.join("qsd-debian-10.0.2.cfg"))?
        .out_dir(out.join("qsd_10_0"))
        .generate(qsd.join("storage-daemon/qapi/qapi-schema.json"))?;
    Ok(())
}

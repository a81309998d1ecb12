//! Generates QEMU 10.0's storage-daemon bindings (under the configuration
//! of Debian's qemu-storage-daemon 10.0.2) into `OUT_DIR/qsd_10_0`, for
//! the targets that decode `BlockdevOptions`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let qsd = manifest.join("../../shared/qemu/10.0.0");
    qapi_codegen::Config::new()
        .dialect("10.0")
        .cfg_file(qsd.join("qsd-debian-10.0.2.cfg"))?
        // Unformatted: nobody reads this copy, and formatting takes time.
        .format(false)
        .out_dir(out.join("qsd_10_0"))
        .generate(qsd.join("storage-daemon/qapi/qapi-schema.json"))?;
    Ok(())
}

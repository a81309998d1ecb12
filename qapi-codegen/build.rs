//! Links `qapi-gen` as a position-dependent executable on Linux.
//!
//! A build runs the generator as a short process, where start-up counts:
//! as a position-independent executable the loader first applies some
//! 14,000 relocations, writing to (and so copying) every page of tables
//! that hold addresses, about a third of a millisecond before `main`.
//! Address randomization of the generator's own code buys nothing for a
//! tool that reads trusted schema files.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu_like = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && gnu_like {
        println!("cargo:rustc-link-arg-bin=qapi-gen=-no-pie");
    }
}

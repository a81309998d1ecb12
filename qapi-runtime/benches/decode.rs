//! Decoding 10,000 `BlockdevOptions` objects from JSON text, against
//! parsing the same text into `serde_json::Value` (with `preserve_order`,
//! so objects are `IndexMap`s) and against the older path, a `Value`
//! decoded with `from_value`.
//!
//! The type comes from the project's schema (`schemas/`), whose
//! `BlockdevOptions` mirrors QEMU's, through the checked-in copy of its
//! bindings in `generated/schemas/` (which qapi-codegen's `checked_in`
//! test keeps current): qapi-runtime must not depend on the code
//! generator, not even through a build script.
//!
//! The objects are a fixed pseudo-random mix of what a management tool
//! sends: qcow2 over file with cache, discard and backing chains given as
//! nested definitions or references, raw over null-co with offsets and
//! sizes, and file nodes with their own options.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qapi_runtime::decode::{Decode, Decoder, Mode, Tree};
use serde_json::{json, Value};

// A library's public API is exempt from clippy's naming lints; included
// as a private module here, the bindings are not. The schema has no
// events, and its empty event set leaves parameters unused.
#[allow(dead_code, unused_variables, clippy::enum_variant_names)]
#[rustfmt::skip]
#[path = "../../generated/schemas/qapi_types.rs"]
mod qapi;

const OBJECTS: usize = 10_000;

/// A small deterministic generator, so that every run measures the same
/// input.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn flag(&mut self) -> bool {
        self.below(2) == 0
    }
}

fn file_node(rng: &mut Lcg, i: usize) -> Value {
    let mut node = json!({
        "driver": "file",
        "filename": format!("/var/lib/images/vm{i}/disk{}.qcow2", rng.below(8)),
    });
    if rng.flag() {
        node["aio"] = json!(if rng.flag() { "native" } else { "threads" });
    }
    if rng.below(3) == 0 {
        node["locking"] = json!("off");
        node["aio-max-batch"] = json!(rng.below(64));
    }
    if rng.flag() {
        node["cache"] = json!({"direct": rng.flag(), "no-flush": false});
    }
    node
}

fn qcow2_node(rng: &mut Lcg, i: usize, depth: u32) -> Value {
    let mut node = json!({
        "driver": "qcow2",
        "node-name": format!("fmt{i}-{depth}"),
        "file": file_node(rng, i),
    });
    if rng.flag() {
        node["discard"] = json!("unmap");
        node["pass-discard-request"] = json!(true);
    }
    if rng.flag() {
        node["cache"] = json!({"direct": true, "no-flush": rng.flag()});
        node["l2-cache-size"] = json!(1u64 << (20 + rng.below(4)));
        node["cache-clean-interval"] = json!(600);
    }
    if rng.below(4) == 0 {
        node["detect-zeroes"] = json!("unmap");
        node["lazy-refcounts"] = json!(true);
    }
    match rng.below(4) {
        0 if depth < 3 => node["backing"] = qcow2_node(rng, i, depth + 1),
        1 => node["backing"] = json!(format!("base{}", rng.below(100))),
        2 => node["backing"] = Value::Null,
        _ => {}
    }
    if depth > 0 {
        node["read-only"] = json!(true);
    }
    node
}

fn raw_node(rng: &mut Lcg, i: usize) -> Value {
    let mut node = json!({
        "driver": "raw",
        "node-name": format!("raw{i}"),
        "file": {"driver": "null-co", "size": 1u64 << 30, "read-zeroes": true},
    });
    if rng.flag() {
        node["offset"] = json!(rng.below(1 << 20) * 512);
        node["size"] = json!(rng.below(1 << 16) * 65_536);
    }
    if rng.flag() {
        node["auto-read-only"] = json!(true);
        node["discard"] = json!("ignore");
    }
    node
}

/// The benchmark's objects as JSON text.
fn objects() -> Vec<String> {
    let mut rng = Lcg(0x5eed);
    (0..OBJECTS)
        .map(|i| {
            let node = match rng.below(10) {
                0..=5 => qcow2_node(&mut rng, i, 0),
                6..=8 => raw_node(&mut rng, i),
                _ => file_node(&mut rng, i),
            };
            node.to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = objects();
    // The objects must be valid, or the benchmark measures error paths.
    for text in &texts {
        if let Err(e) = qapi_runtime::decode::from_str::<qapi::BlockdevOptions>(text) {
            panic!("{text}: {e}");
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "{OBJECTS} objects, {bytes} bytes of JSON ({} per object)",
        bytes / OBJECTS
    );

    let mut group = c.benchmark_group("blockdev-options-10k");
    group.throughput(Throughput::Elements(OBJECTS as u64));
    group.bench_function("serde_json::Value from text", |b| {
        b.iter(|| {
            for text in &texts {
                let v: Value = serde_json::from_str(black_box(text)).unwrap_or(Value::Null);
                black_box(v);
            }
        })
    });
    group.bench_function("decode::from_str", |b| {
        b.iter(|| {
            for text in &texts {
                let v = qapi_runtime::decode::from_str::<qapi::BlockdevOptions>(black_box(text));
                black_box(v.ok());
            }
        })
    });
    group.bench_function("Value from text, then from_value", |b| {
        b.iter(|| {
            for text in &texts {
                let v: Value = serde_json::from_str(black_box(text)).unwrap_or(Value::Null);
                black_box(qapi_runtime::decode::from_value::<qapi::BlockdevOptions>(&v).ok());
            }
        })
    });
    // Where the time of `from_str` goes: parsing the text, then decoding.
    group.bench_function("Tree::parse alone", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(Tree::parse(black_box(text)).ok());
            }
        })
    });
    let trees: Vec<Tree<'_>> = texts.iter().filter_map(|t| Tree::parse(t).ok()).collect();
    group.bench_function("decoding a Tree alone", |b| {
        b.iter(|| {
            for tree in &trees {
                let mut d = Decoder::new(Mode::Strict);
                black_box(qapi::BlockdevOptions::decode(tree.into(), &mut d).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

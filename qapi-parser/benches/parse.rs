//! Parsing and checking QEMU's full QMP schema, the largest schema there is.
//!
//! `cargo xtask bench` runs this and then measures peak memory of one
//! `qapi-gen dump` of the same schema.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use qapi_parser::{Dialect, Schema};

fn qemu_schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu/10.2.0/qapi/qapi-schema.json")
}

fn parse_and_check(c: &mut Criterion) {
    let path = qemu_schema();
    let path = path.to_string_lossy();
    let dialect = Dialect::default();
    // Timing a schema that fails early would measure the wrong thing.
    if let Err(err) = Schema::from_file(&path, &dialect) {
        eprintln!("skipping: {path} does not check: {err}");
        return;
    }
    let mut group = c.benchmark_group("qemu-10.2");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(10));
    group.bench_function("Schema::from_file", |b| {
        b.iter(|| Schema::from_file(black_box(&path), &dialect))
    });
    group.finish();
}

criterion_group!(benches, parse_and_check);
criterion_main!(benches);

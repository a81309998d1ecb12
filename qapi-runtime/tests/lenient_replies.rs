//! A client decoding replies of a QEMU newer than its schema: members
//! the schema lacks are ignored, and an enum value it does not know
//! drops the innermost optional member around it, or fails the decoding
//! where no optional member encloses it.
//!
//! The reply is what qemu-storage-daemon 10.0 answers to
//! `query-named-block-nodes` for a qcow2 node, with `children` added (the
//! project's schema has it from 10.1 on).

// A library's public API is exempt from clippy's naming lints; included
// as a private module here, the bindings are not. The schema has no
// events, and its empty event set leaves parameters unused.
#[allow(dead_code, unused_variables, clippy::enum_variant_names)]
#[rustfmt::skip]
#[path = "../../generated/schemas/qapi_types.rs"]
mod qapi;

use qapi_runtime::decode::{from_str, from_str_lenient, from_value, from_value_lenient};
use serde_json::{json, Value};

fn reply() -> Value {
    json!({"iops_rd": 0, "detect_zeroes": "off", "active": true,
        "image": {"virtual-size": 1048576, "filename": "/tmp/dec/a.qcow2",
            "cluster-size": 65536, "format": "qcow2", "actual-size": 200704,
            "format-specific": {"type": "qcow2", "data": {"compat": "1.1",
                "compression-type": "zlib", "lazy-refcounts": false, "refcount-bits": 16,
                "corrupt": false, "extended-l2": false}},
            "dirty-flag": false},
        "iops_wr": 0, "ro": false, "node-name": "top", "backing_file_depth": 0,
        "drv": "qcow2", "iops": 0, "bps_wr": 0, "write_threshold": 0, "encrypted": false,
        "bps": 0, "bps_rd": 0, "cache": {"no-flush": false, "direct": false, "writeback": true},
        "file": "/tmp/dec/a.qcow2", "children": []})
}

type Info = qapi::BlockDeviceInfo;

fn both(v: &Value) -> Result<Info, String> {
    let a = from_value_lenient::<Info>(v).map_err(|e| e.to_string());
    let b = from_str_lenient::<Info>(&v.to_string()).map_err(|e| e.to_string());
    assert_eq!(a, b, "{v}");
    a
}

#[test]
fn the_reply_decodes_strictly_and_leniently() {
    let v = reply();
    let strict = from_value::<Info>(&v).expect("decodes");
    assert_eq!(from_str::<Info>(&v.to_string()), Ok(strict.clone()));
    assert_eq!(both(&v), Ok(strict));
}

#[test]
fn members_a_newer_qemu_adds_are_ignored() {
    let mut v = reply();
    v["dirty-bitmaps"] = json!([{"name": "b", "granularity": 65536}]);
    v["image"]["format-specific"]["data"]["bitmaps"] = json!([]);
    assert_eq!(
        from_value::<Info>(&v).unwrap_err().to_string(),
        "Parameter 'image.format-specific.data.bitmaps' is unexpected"
    );
    let info = both(&v).expect("decodes");
    assert_eq!(info.node_name, "top");
    assert!(info.image.format_specific.is_some());
}

#[test]
fn an_unknown_union_branch_drops_its_optional_member() {
    let mut v = reply();
    v["image"]["format-specific"] = json!({"type": "vmdk", "data": {"cid": 1}});
    assert_eq!(
        from_value::<Info>(&v).unwrap_err().to_string(),
        "Parameter 'type' does not accept value 'vmdk'"
    );
    let info = both(&v).expect("decodes");
    assert_eq!(info.image.format_specific, None);
    assert_eq!(info.image.virtual_size, 1_048_576);
}

#[test]
fn an_unknown_value_deep_inside_drops_the_optional_member_around_it() {
    let mut v = reply();
    v["image"]["format-specific"]["data"]["compression-type"] = json!("lz4hc");
    // `compression-type` is required in its struct, so the optional
    // member around it goes.
    let info = both(&v).expect("decodes");
    assert_eq!(info.image.format_specific, None);
}

#[test]
fn an_unknown_value_no_optional_member_encloses_fails() {
    let mut v = reply();
    v["detect_zeroes"] = json!("sometimes");
    let err = from_value_lenient::<Info>(&v).unwrap_err();
    assert!(err.is_unknown_value());
    assert_eq!(
        err.to_string(),
        "Parameter 'detect_zeroes' does not accept value 'sometimes'"
    );
}

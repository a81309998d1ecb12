//! The generated BlockdevOptions decoder on arbitrary bytes as JSON text:
//! a value or QEMU's error, never a panic; what decodes serializes to JSON
//! that decodes to an equal value, and that JSON decodes the same from
//! text as from a `serde_json::Value`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qsd_10_0::BlockdevOptions;
use qapi_runtime::decode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(opts) = decode::from_str::<BlockdevOptions>(text) else {
        return;
    };
    let json = serde_json::to_value(&opts).expect("BlockdevOptions serializes");
    let again = decode::from_value::<BlockdevOptions>(&json)
        .unwrap_or_else(|e| panic!("{json} does not decode again: {e}"));
    assert_eq!(opts, again, "round trip through {json}");
    let from_text = decode::from_str::<BlockdevOptions>(&json.to_string())
        .unwrap_or_else(|e| panic!("{json} does not decode from text: {e}"));
    assert_eq!(opts, from_text, "text round trip through {json}");
});

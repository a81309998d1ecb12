//! The keyval parser and the keyval decoder on arbitrary text, as
//! `qemu-storage-daemon --blockdev TEXT` reads it: a value or QEMU's
//! error, never a panic. What decodes serializes to JSON that decodes to
//! the same value (keyval's strings become typed JSON members).

#![no_main]

use libfuzzer_sys::fuzz_target;
use qapi_fuzz::qsd_10_0::BlockdevOptions;
use qapi_runtime::{decode, keyval};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dict = match keyval::parse(text, Some("driver")) {
        Ok(dict) => dict,
        Err(e) => {
            assert!(!e.message().is_empty(), "empty keyval error for {text:?}");
            return;
        }
    };
    assert!(dict.is_object(), "keyval gave a non-object: {dict}");
    match decode::from_keyval::<BlockdevOptions>(&dict) {
        Ok(opts) => {
            let json = serde_json::to_value(&opts).expect("BlockdevOptions serializes");
            let again = decode::from_value::<BlockdevOptions>(&json)
                .unwrap_or_else(|e| panic!("{json} does not decode again: {e}"));
            assert_eq!(opts, again, "round trip through {json}");
        }
        Err(e) => assert!(!e.to_string().is_empty(), "empty decode error for {text:?}"),
    }
});

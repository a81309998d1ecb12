//! The order in which QEMU walks a JSON object's members.
//!
//! QEMU keeps an object in a hash table of 512 buckets and walks it bucket
//! by bucket, the most recently added member of a bucket first. Which
//! member of a request it complains about first, and the order of the
//! members of a reply on the wire, follow from that walk.

use serde_json::{Map, Value};

const BUCKETS: u32 = 512;

/// QEMU's hash of a member name (the TDB hash).
fn hash(name: &str) -> u32 {
    let bytes = name.as_bytes();
    // The name's length seeds the hash; only its low 32 bits count.
    let mut value = 0x238F_13AF_u32.wrapping_mul(bytes.len() as u32);
    for (i, &b) in bytes.iter().enumerate() {
        let shift = (i * 5 % 24) as u32;
        value = value.wrapping_add(u32::from(b) << shift);
    }
    1_103_515_243_u32.wrapping_mul(value).wrapping_add(12345)
}

fn bucket(name: &str) -> u32 {
    hash(name) % BUCKETS
}

/// Where the member `name`, added as the `index`th, comes in QEMU's walk:
/// members sort by this key.
pub fn walk_key(name: &str, index: usize) -> (u32, std::cmp::Reverse<usize>) {
    (bucket(name), std::cmp::Reverse(index))
}

/// The keys of `map` (in insertion order, as the JSON text had them) in
/// the order QEMU walks them.
pub fn walk_order(map: &Map<String, Value>) -> Vec<&str> {
    walk_order_of(map.keys().map(String::as_str))
}

/// `keys`, given in insertion order, in the order QEMU walks them.
pub fn walk_order_of<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keys: Vec<(usize, &str)> = keys.into_iter().enumerate().collect();
    // Later insertions go to the head of their bucket's list.
    keys.sort_by_key(|&(i, k)| walk_key(k, i));
    keys.into_iter().map(|(_, k)| k).collect()
}

/// An object with `members` (each added in turn) laid out as QEMU writes
/// it.
pub fn object(members: Vec<(&str, Value)>) -> Value {
    let mut built = Map::new();
    for (k, v) in members {
        built.insert(k.to_owned(), v);
    }
    let order: Vec<String> = walk_order(&built).into_iter().map(str::to_owned).collect();
    let mut out = Map::new();
    for k in order {
        if let Some(v) = built.remove(&k) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn replies_come_out_in_qemus_order() {
        // QEMU writes `{"return": {}, "id": 1}` and
        // `{"id": 1, "error": {"class": ..., "desc": ...}}`.
        let reply = object(vec![("return", json!({})), ("id", json!(1))]);
        assert_eq!(reply.to_string(), r#"{"return":{},"id":1}"#);
        let err = object(vec![("class", json!("c")), ("desc", json!("d"))]);
        assert_eq!(err.to_string(), r#"{"class":"c","desc":"d"}"#);
    }
}

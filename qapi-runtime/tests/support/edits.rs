//! Random edits of seed strings, for the property tests that stand in
//! for fuzz targets; `conformance`'s tests include this file too.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

/// An insertion, deletion or replacement, with characters from `chars`.
pub fn edit(chars: impl Strategy<Value = char> + Clone) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), chars.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), chars).prop_map(|(i, c)| Edit::Replace(i, c)),
    ]
}

/// `seed` with `edits` applied; positions wrap around its length.
pub fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for e in edits {
        let len = chars.len();
        match *e {
            Edit::Insert(i, c) => chars.insert(i % (len + 1), c),
            Edit::Delete(i) if len > 0 => {
                chars.remove(i % len);
            }
            Edit::Replace(i, c) if len > 0 => chars[i % len] = c,
            _ => {}
        }
    }
    chars.into_iter().collect()
}

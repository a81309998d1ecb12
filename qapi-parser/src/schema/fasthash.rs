//! The hash maps of the model's names. The keys are short identifiers
//! from a schema the user controls, so hash flooding is no concern, and
//! SipHash dominated the check's time; foldhash is several times faster.

pub(crate) type FastMap<K, V> = foldhash::HashMap<K, V>;
pub(crate) type FastSet<K> = foldhash::HashSet<K>;

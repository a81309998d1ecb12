//! qapi-runtime (being written).

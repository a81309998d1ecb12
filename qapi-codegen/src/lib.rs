//! qapi-codegen (being written).

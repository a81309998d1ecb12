//! The `null-co` driver: a node without data.

#[derive(Debug, Clone)]
pub struct NullState {
    pub size: u64,
}

/// The size a null node has when none is given: 1 GiB.
pub const DEFAULT_SIZE: u64 = 1 << 30;

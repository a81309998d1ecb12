//! Schema model (to be written).

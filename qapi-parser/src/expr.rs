//! Expression checks (to be written).

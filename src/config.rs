//! Typed settings (being written).

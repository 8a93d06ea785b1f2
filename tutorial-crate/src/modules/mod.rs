//! The example modules: layer 3, written against the safe layer only.
//!
//! A test (`tests/layers.rs`) checks that no file here names the raw
//! bindings (`ffi::`, `cpython_sys`).

pub mod spam;

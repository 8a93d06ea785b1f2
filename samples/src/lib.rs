//! The book's samples, as tests: see `build.rs` (the include expander and
//! skeptic), `tests/skeptic.rs` (every ```rust fence, compiled and run) and
//! `tests/anchors.rs` (every anchor in the repository is shown somewhere).
//!
//! The library itself is empty: this crate exists so that the samples'
//! build is apart from the safe layer's. A sample is compiled against the
//! crates this one depends on (`tutorial`, `examples`, `tutorial-embed`),
//! each built once: no crate of the workspace has features, so every build
//! of a crate in one target folder is the same build, and skeptic finds
//! one rlib per crate to link.
#![forbid(unsafe_code)]

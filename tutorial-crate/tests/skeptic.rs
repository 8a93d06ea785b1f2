//! Every ```rust fence in the book (`../src/**/*.md`), compiled against this
//! crate and run.
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));

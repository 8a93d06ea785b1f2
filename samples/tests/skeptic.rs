//! Every ```rust fence in the book (`../src/**/*.md`), compiled against the
//! safe layer and the examples, and run.
// Test names are made from section headings, which may give `a__b`.
#![allow(non_snake_case)]

include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));

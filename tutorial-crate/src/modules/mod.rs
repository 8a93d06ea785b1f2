//! The example modules: layer 3, written against the safe layer only.
//!
//! Each lives in a file named as CPython names its C modules
//! (`Modules/spammodule.c` becomes `spammodule.rs`), and `module!` in it
//! defines a Rust module of the import name, re-exported here, whose `init`
//! is the exported `PyInit_<name>`: `tutorial::modules::spam::init`.
//!
//! A test (`tests/layers.rs`) checks that no file here names the raw
//! bindings or uses `unsafe`.

mod spammodule;
pub use spammodule::spam;
mod custommodule;
pub use custommodule::custom;
mod custom2module;
pub use custom2module::custom2;
mod custom3module;
pub use custom3module::custom3;
mod custom4module;
pub use custom4module::custom4;
mod sublistmodule;
pub use sublistmodule::sublist;

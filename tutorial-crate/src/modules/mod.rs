//! The example modules: layer 3, written against the safe layer only.
//!
//! Each lives in a file named as CPython names its C modules
//! (`Modules/spammodule.c` becomes `spammodule.rs`), and `module!` in it
//! defines a Rust module of the import name, re-exported here, whose `init`
//! is the module's `PyInit_<name>` function: `tutorial::modules::spam::init`
//! (exported under its C name by the extension crate, `tutorial-crate/ext`).
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
mod _bisectmodule;
pub use _bisectmodule::_bisect;
mod _heapqmodule;
pub use _heapqmodule::_heapq;
mod _base64module;
pub use _base64module::_base64;

//! The book's modules: layer 3, written against the safe layer only.
//!
//! Each lives in a file named as CPython names its C modules
//! (`Modules/spammodule.c` becomes `spammodule.rs`), and `module!` in it
//! defines a Rust module of the import name, re-exported here, whose `init`
//! is the module's `PyInit_<name>` function: `examples::spam::init`.
//!
//! The file names are the list of modules: `cargo xtask test` builds,
//! installs and checks one module per `src/<name>module.rs`, and the
//! extension library (`ext/`) exports one `PyInit_<name>` per file. A file
//! that is not declared here is a build error there.
//!
//! No `unsafe` here: the layering is the compiler's to enforce, not a
//! convention's. Where a module needs something the safe layer lacks, the
//! safe layer gains it (see the book's "How the pieces fit").
#![forbid(unsafe_code)]

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
mod statsmodule;
pub use statsmodule::stats;
mod zlibmodule;
pub use zlibmodule::zlib;

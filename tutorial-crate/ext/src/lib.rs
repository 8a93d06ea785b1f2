//! The extension-module build of the tutorial crate's modules.
//!
//! The library is rlib-only (so that skeptic can link the book's samples
//! against it); this crate is the `cdylib` that CPython loads. Each
//! module's `PyInit_<name>` comes from the tutorial crate's `module!`
//! invocation and is exported from this library as it is. The file is
//! installed once per module name (`spam.cpython-311-x86_64-linux-gnu.so`,
//! ...), because the import system looks for `PyInit_<name>` of the file's
//! own name.
//!
//! No libpython is linked: the interpreter that imports the module provides
//! the C API.

pub use tutorial::modules::custom;
pub use tutorial::modules::custom2;
pub use tutorial::modules::custom3;
pub use tutorial::modules::custom4;
pub use tutorial::modules::spam;
pub use tutorial::modules::sublist;

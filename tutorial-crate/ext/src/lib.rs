//! The extension-module build of the tutorial crate's modules.
//!
//! The library is rlib-only (so that skeptic can link the book's samples
//! against it); this crate is the `cdylib` that CPython loads. Each
//! module's `PyInit_<name>` is written by the tutorial crate's `module!` and
//! exported here, under its C name, by `export_modules!`. The file is
//! installed once per module name (`spam.cpython-311-x86_64-linux-gnu.so`,
//! ...), because the import system looks for `PyInit_<name>` of the file's
//! own name.
//!
//! No libpython is linked: the interpreter that imports the module provides
//! the C API.

// ANCHOR: export
tutorial::export_modules! {
    _base64 => tutorial::modules::_base64,
    _bisect => tutorial::modules::_bisect,
    _heapq => tutorial::modules::_heapq,
    custom => tutorial::modules::custom,
    custom2 => tutorial::modules::custom2,
    custom3 => tutorial::modules::custom3,
    custom4 => tutorial::modules::custom4,
    spam => tutorial::modules::spam,
    sublist => tutorial::modules::sublist,
}
// ANCHOR_END: export

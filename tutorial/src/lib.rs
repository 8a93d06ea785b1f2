//! The safe layer of "Rust for CPython: the developer's guide".
//!
//! The layers, as in Rust for Linux (bindings, abstractions, drivers), each
//! a crate of its own so that Cargo, not a convention, keeps them apart:
//!
//! 1. [`ffi`]: the raw bindings (`cpython-sys`), generated from the target
//!    interpreter's headers, with the C macros and inline functions written
//!    by hand and checked against the C compiler.
//! 2. This crate, the safe layer: a token proving the thread is attached
//!    ([`Python`]), owned and borrowed object handles ([`Bound`],
//!    [`Borrowed`], [`Py`]), the error type ([`PyErr`], [`PyResult`]),
//!    argument parsing ([`args`]), and module and type definition
//!    ([`module!`], [`class!`]). The C entry points the macros write call
//!    the trampolines of [`impl_`], the one place where a panic is caught
//!    before it can reach C.
//! 3. The modules (`examples/`): written against this crate only, with
//!    `#![forbid(unsafe_code)]`.
//!
//! `tutorial-embed` starts an interpreter inside a Rust program: the tests
//! and the book's samples use it to run Python code against a module.

// Lets code in this crate say `tutorial::...`, as the book's samples and
// outside users do, so that a module's source reads the same everywhere.
extern crate self as tutorial;

pub use cpython_sys as ffi;

pub mod args;
pub mod class;
mod conversion;
mod err;
mod err_extra;
pub mod exceptions;
#[doc(hidden)]
pub mod impl_;
mod instance;
#[doc(hidden)]
pub mod macros;
pub mod module;
mod python;
pub mod sync;
pub mod types;

pub use conversion::{FromPyObject, IntoPyObject};
pub use err::{PyErr, PyResult};
pub use instance::{Borrowed, Bound, Py};
pub use module::{ModuleState, Visit};
pub use python::Python;

/// What a module author imports: `use tutorial::prelude::*;`.
pub mod prelude {
    pub use crate::exceptions;
    pub use crate::types::{
        PyAny, PyBuffer, PyByteArray, PyBytes, PyDict, PyIterator, PyList, PyLong,
        PyModule, PyStr, PyTuple, PyType, PyUnicodeWriter,
    };
    pub use crate::{
        Borrowed, Bound, FromPyObject, IntoPyObject, ModuleState, Py, PyErr,
        PyResult, Python, Visit,
    };
}

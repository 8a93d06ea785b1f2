//! The safe layer of "Rust for CPython: the developer's guide", and the
//! book's example modules.
//!
//! Three layers, as in Rust for Linux (bindings, abstractions, drivers):
//!
//! 1. [`ffi`]: the raw bindings (`cpython-sys`), generated from the target
//!    interpreter's headers. Only this crate's safe layer uses them.
//! 2. The safe layer (everything at this crate's root): a token proving the
//!    thread is attached ([`Python`]), owned and borrowed object handles
//!    ([`Bound`], [`Borrowed`], [`Py`]), the error type ([`PyErr`],
//!    [`PyResult`]), trampolines that keep panics out of C ([`trampoline`]),
//!    and module definition ([`module!`]).
//! 3. [`modules`]: example modules, written against the safe layer only.
//!
//! [`embed`] starts an interpreter inside a Rust program: the tests and the
//! book's samples use it to run Python code against a module.

// Lets code in this crate say `tutorial::...`, as the book's samples and
// outside users do, so that a module's source reads the same everywhere.
extern crate self as tutorial;

pub use cpython_sys as ffi;

pub mod args;
pub mod class;
mod conversion;
pub mod embed;
mod err;
pub mod exceptions;
mod instance;
#[doc(hidden)]
pub mod macros;
pub mod module;
pub mod modules;
mod python;
pub mod trampoline;
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
        PyAny, PyBuffer, PyByteArray, PyBytes, PyDict, PyList, PyLong, PyModule, PyStr, PyTuple, PyType,
    };
    pub use crate::{
        Borrowed, Bound, FromPyObject, IntoPyObject, ModuleState, Py, PyErr, PyResult, Python, Visit,
    };
}

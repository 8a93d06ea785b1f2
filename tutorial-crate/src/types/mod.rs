//! Marker types for Python's built-in types, and the methods each adds to
//! [`Bound`].
//!
//! `Bound<'py, PyList>` is an owned reference known to be a list; the marker
//! types themselves are never instantiated.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;

mod any;
mod buffer;
mod bytes;
mod dict;
mod list;
mod long;
mod module;
mod string;
mod tuple;
mod typeobject;

pub use buffer::PyBuffer;
pub use module::PyModule;

/// A Python type that handles can be checked against.
pub trait PyTypeCheck {
    /// The Python name, for error messages.
    const NAME: &'static str;
    /// Whether `obj` is an instance of this type (subclasses included).
    fn type_check(obj: &Bound<'_, PyAny>) -> bool;
}

macro_rules! marker {
    ($(#[$doc:meta])* $name:ident, $py:literal, |$o:ident| $check:expr) => {
        $(#[$doc])*
        pub enum $name {}

        impl PyTypeCheck for $name {
            const NAME: &'static str = $py;
            fn type_check($o: &Bound<'_, PyAny>) -> bool {
                let $o = $o.as_ptr();
                // SAFETY: `$o` is a live object and the thread attached
                // (the Bound's invariant); the checks only read its type
                // (`tp_flags` directly, as `PyType_HasFeature` does outside
                // the limited API, rather than calling `PyType_GetFlags`).
                unsafe { $check }
            }
        }
    };
}

/// `object`: any Python object.
pub enum PyAny {}

impl PyTypeCheck for PyAny {
    const NAME: &'static str = "object";
    fn type_check(_: &Bound<'_, PyAny>) -> bool {
        true
    }
}
marker!(
    /// `int` (`PyLongObject`).
    PyLong, "int", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_LONG_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `str` (`PyUnicodeObject`).
    PyStr, "str", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_UNICODE_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `bytes`.
    PyBytes, "bytes", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_BYTES_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `bytearray`.
    PyByteArray, "bytearray", |o| ffi::PyObject_TypeCheck(o, &raw mut ffi::PyByteArray_Type)
);
marker!(
    /// `tuple`.
    PyTuple, "tuple", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_TUPLE_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `list`.
    PyList, "list", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_LIST_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `dict`.
    PyDict, "dict", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_DICT_SUBCLASS as core::ffi::c_ulong != 0
);
marker!(
    /// `type`: a type object (`PyTypeObject`).
    PyType, "type", |o| (*ffi::Py_TYPE(o)).tp_flags & ffi::Py_TPFLAGS_TYPE_SUBCLASS as core::ffi::c_ulong != 0
);

/// The `TypeError` of a failed downcast, in CPython's wording:
/// `expected str, got int`... phrased as the C API's converters phrase it.
pub(crate) fn downcast_error(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let py = obj.py();
    let got = obj.get_type().name().unwrap_or_else(|_| "?".to_owned());
    crate::exceptions::TypeError::new_err(py, &format!("expected {expected}, got {got}"))
}

/// Converts a C API status (`-1` with an exception set, else success).
pub(crate) fn check_status(py: crate::Python<'_>, status: core::ffi::c_int) -> PyResult<()> {
    if status == -1 { Err(PyErr::already_set(py)) } else { Ok(()) }
}

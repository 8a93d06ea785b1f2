//! Marker types for Python's built-in types, and the methods each adds to
//! [`Bound`].
//!
//! `Bound<'py, PyList>` is an owned reference known to be a list; the marker
//! types themselves are never instantiated.

use crate::err::PyErr;
use crate::ffi;
use crate::instance::Bound;

mod any;
mod buffer;
mod bytes;
pub use bytes::BytesOut;
mod call;
mod dict;
mod iterator;
mod list;
mod long;
mod module;
mod string;
mod tuple;
mod typeobject;
mod unicode_writer;

pub use buffer::PyBuffer;
pub use list::ListSection;
pub use module::PyModule;
pub use unicode_writer::PyUnicodeWriter;

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
                // (the Bound's invariant); the check is the C macro of the
                // same name (`PyList_Check`, ...), from the bindings.
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
    PyLong, "int", |o| ffi::PyLong_Check(o)
);
marker!(
    /// `str` (`PyUnicodeObject`).
    PyStr, "str", |o| ffi::PyUnicode_Check(o)
);
marker!(
    /// `bytes`.
    PyBytes, "bytes", |o| ffi::PyBytes_Check(o)
);
marker!(
    /// `bytearray`.
    PyByteArray, "bytearray", |o| ffi::PyByteArray_Check(o)
);
marker!(
    /// `tuple`.
    PyTuple, "tuple", |o| ffi::PyTuple_Check(o)
);
marker!(
    /// `list`.
    PyList, "list", |o| ffi::PyList_Check(o)
);
marker!(
    /// `dict`.
    PyDict, "dict", |o| ffi::PyDict_Check(o)
);
marker!(
    /// `type`: a type object (`PyTypeObject`).
    PyType, "type", |o| ffi::PyType_Check(o)
);
marker!(
    /// An iterator: an object with `__next__` (`tp_iternext`), which
    /// [`Bound::iter`] returns and which is a Rust [`Iterator`].
    PyIterator, "iterator", |o| ffi::PyIter_Check(o) != 0
);

/// The `TypeError` of a failed downcast, in CPython's wording:
/// `expected str, got int`... phrased as the C API's converters phrase it.
pub(crate) fn downcast_error(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let py = obj.py();
    // A type whose `__name__` fails (a metaclass can make it) is named "?":
    // the error is dropped, which releases its exception (a `PyErr` owns it).
    let got = obj.get_type().name().unwrap_or_else(|_released| "?".to_owned());
    crate::exceptions::TypeError::new_err(
        py,
        &format!("expected {expected}, got {got}"),
    )
}

//! The built-in exception types, as in `Include/pyerrors.h`.

use crate::err::PyErr;
use crate::instance::Borrowed;
use crate::python::Python;
use crate::types::PyType;

macro_rules! builtin_exceptions {
    ($($(#[$doc:meta])* $name:ident => $ffi:ident;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl $name {
            /// The type object.
            pub fn type_object(py: Python<'_>) -> Borrowed<'_, '_, PyType> {
                // SAFETY: the PyExc_* variables hold a reference to a
                // built-in type for the life of the interpreter; only the
                // pointer is read.
                unsafe { Borrowed::from_ptr_unchecked(py, crate::ffi::$ffi) }
            }

            /// Raises it with a message: `PyErr_SetString(PyExc_..., msg)`.
            pub fn new_err(py: Python<'_>, msg: &str) -> PyErr {
                PyErr::new_from_type(&Self::type_object(py), msg)
            }
        }
    )*};
}

builtin_exceptions! {
    /// `Exception`.
    Exception => PyExc_Exception;
    /// `TypeError`: an argument of the wrong type.
    TypeError => PyExc_TypeError;
    /// `ValueError`: an argument of the right type but a wrong value.
    ValueError => PyExc_ValueError;
    /// `OverflowError`: a number too large for the C type.
    OverflowError => PyExc_OverflowError;
    /// `IndexError`: an index out of range.
    IndexError => PyExc_IndexError;
    /// `KeyError`: a missing key.
    KeyError => PyExc_KeyError;
    /// `OSError`.
    OSError => PyExc_OSError;
    /// `RuntimeError`.
    RuntimeError => PyExc_RuntimeError;
    /// `SystemError`: an internal error, a bug in the interpreter or in an
    /// extension; what a Rust panic becomes.
    SystemError => PyExc_SystemError;
    /// `MemoryError`.
    MemoryError => PyExc_MemoryError;
    /// `BufferError`: a buffer cannot be exported or used as asked.
    BufferError => PyExc_BufferError;
    /// `EOFError`: input ended, or a stream was read past its end.
    EOFError => PyExc_EOFError;
    /// `UnicodeEncodeError`.
    UnicodeEncodeError => PyExc_UnicodeEncodeError;
    /// `AttributeError`.
    AttributeError => PyExc_AttributeError;
    /// `ZeroDivisionError`.
    ZeroDivisionError => PyExc_ZeroDivisionError;
    /// `UnicodeDecodeError`.
    UnicodeDecodeError => PyExc_UnicodeDecodeError;
    /// `StopIteration`: an iterator's `__next__` has no more items. C code
    /// rarely raises it: a `tp_iternext` slot returns NULL without an
    /// exception instead, and `PyIter_Next` clears it.
    StopIteration => PyExc_StopIteration;
    /// `RecursionError`: the recursion limit, or the C stack, is exhausted.
    RecursionError => PyExc_RecursionError;
    /// `ImportError`: a module could not be imported or initialised.
    ImportError => PyExc_ImportError;
    /// `DeprecationWarning`: issue it with [`DeprecationWarning::warn`].
    DeprecationWarning => PyExc_DeprecationWarning;
}

impl DeprecationWarning {
    /// Issues the warning, as `PyErr_WarnEx(PyExc_DeprecationWarning, msg,
    /// stacklevel)`: `stacklevel` 1 names the Python code that called the
    /// builtin function, as C modules' warnings do.
    ///
    /// # Errors
    ///
    /// The exception, if the warning filters turned it into one (`-W
    /// error`), or if `msg` has a NUL byte.
    pub fn warn(
        py: Python<'_>,
        msg: &str,
        stacklevel: isize,
    ) -> crate::err::PyResult<()> {
        let msg = std::ffi::CString::new(msg)
            .map_err(|_| ValueError::new_err(py, "embedded null byte"))?;
        // SAFETY: attached; the category is a live built-in type and `msg`
        // a NUL-terminated string that outlives the call.
        let status = unsafe {
            crate::ffi::PyErr_WarnEx(
                Self::type_object(py).as_ptr(),
                msg.as_ptr(),
                stacklevel as _,
            )
        };
        if status < 0 { Err(PyErr::already_set(py)) } else { Ok(()) }
    }
}

//! The error type: "a Python exception is set".

use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyType};
use core::marker::PhantomData;

/// The error of every fallible call: the interpreter's error indicator is
/// set, as after a C API call that returned NULL or -1.
///
/// A `PyErr` carries no data: the exception lives where the C API keeps it,
/// in the thread state. Returning `Err(PyErr)` up to the trampoline is
/// returning NULL to CPython, which then raises the exception.
///
/// # Invariants
///
/// While a `PyErr` exists, the current thread's error indicator is set.
/// Anything that clears it ([`PyErr::take`], a call into Python that
/// replaces it) consumes or must not coexist with the `PyErr`.
#[must_use = "an exception is set: return it, or clear it with PyErr::take"]
#[derive(Debug)]
pub struct PyErr {
    _not_send: PhantomData<*mut ()>,
}

/// `Result<T, PyErr>`, so that `?` returns the exception to the caller.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    /// The exception a failed C API call has set.
    ///
    /// A call that failed without setting one is a bug in that call; it
    /// becomes `SystemError: error return without exception set`, as
    /// CPython reports the same bug in C code.
    pub fn already_set(py: Python<'_>) -> PyErr {
        // SAFETY: attached (token).
        if unsafe { ffi::PyErr_Occurred() }.is_null() {
            return crate::exceptions::SystemError::new_err(
                py,
                "error return without exception set",
            );
        }
        // INVARIANT: the indicator is set.
        PyErr { _not_send: PhantomData }
    }

    /// Raises an instance of the exception type `ty` with message `msg`:
    /// `PyErr_SetString`.
    pub fn new_from_type(ty: &Bound<'_, PyType>, msg: &str) -> PyErr {
        match crate::types::PyStr::new(ty.py(), msg) {
            Ok(msg) => PyErr::new_from_type_str(ty, &msg),
            Err(e) => e,
        }
    }

    /// Raises an instance of the exception type `ty` whose message is the
    /// `str` object `msg`: `PyErr_SetObject`. For a message that holds text
    /// a Rust `&str` cannot (a lone surrogate from a caller's `str`), as
    /// C's `PyErr_Format` with `%S` or `%U` does.
    pub fn new_from_type_str(
        ty: &Bound<'_, PyType>,
        msg: &Bound<'_, crate::types::PyStr>,
    ) -> PyErr {
        // SAFETY: attached; `ty` is a type and `msg` a str, both valid for
        // the call. PyErr_SetObject takes its own references.
        unsafe { ffi::PyErr_SetObject(ty.as_ptr(), msg.as_ptr()) };
        // INVARIANT: set just now.
        PyErr { _not_send: PhantomData }
    }

    /// Whether an exception is set.
    pub fn occurred(_py: Python<'_>) -> bool {
        // SAFETY: attached (token); only reads the thread state.
        !unsafe { ffi::PyErr_Occurred() }.is_null()
    }

    /// Clears the error indicator and returns the exception object.
    pub fn take(self, py: Python<'_>) -> Bound<'_, PyAny> {
        take_raised(py).unwrap_or_else(|| {
            // Unreachable while the invariant holds; None is a safe answer.
            py.None().to_owned()
        })
    }

    /// Raises `OSError` (or the subclass CPython picks for the errno, such
    /// as `FileNotFoundError`) for a Rust I/O error:
    /// `PyErr_SetFromErrno`, with the error's own errno when it has one.
    pub fn from_io(py: Python<'_>, error: &std::io::Error) -> PyErr {
        let Some(errno) = error.raw_os_error() else {
            return crate::exceptions::OSError::new_err(py, &error.to_string());
        };
        // CPython builds `OSError(errno, strerror)`, whose constructor picks
        // the subclass; calling the type does the same.
        let ty = crate::exceptions::OSError::type_object(py);
        let args = (|| {
            let code = crate::IntoPyObject::into_pyobject(i64::from(errno), py)?;
            let text = std::io::Error::from_raw_os_error(errno).to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            let text = crate::IntoPyObject::into_pyobject(text, py)?;
            ty.call(&[&code, &text])
        })();
        match args {
            Ok(exc) => restore_raised(exc),
            Err(e) => e,
        }
    }

    /// Sets `cause` as the `__cause__` of the set exception, as
    /// `raise new from cause` does (`PyException_SetCause`).
    pub fn with_cause(self, py: Python<'_>, cause: Bound<'_, PyAny>) -> PyErr {
        let exc = self.take(py);
        // SAFETY: attached; `exc` is an exception instance; SetCause steals
        // the reference to `cause`.
        unsafe { ffi::PyException_SetCause(exc.as_ptr(), cause.into_ptr()) };
        restore_raised(exc)
    }

    /// Sets `context` as the `__context__` of the set exception, as raising
    /// inside an `except` block does (`PyException_SetContext`).
    pub fn with_context(self, py: Python<'_>, context: Bound<'_, PyAny>) -> PyErr {
        let exc = self.take(py);
        // SAFETY: attached; `exc` is an exception instance; SetContext
        // steals the reference to `context`.
        unsafe { ffi::PyException_SetContext(exc.as_ptr(), context.into_ptr()) };
        restore_raised(exc)
    }

    /// Whether the set exception is an instance of `ty` (or a subclass):
    /// `PyErr_ExceptionMatches`.
    pub fn matches(&self, ty: &Bound<'_, PyType>) -> bool {
        // SAFETY: attached (`ty` proves it), an exception is set (invariant).
        unsafe { ffi::PyErr_ExceptionMatches(ty.as_ptr()) != 0 }
    }
}

/// The C convention of a function returning a status: `-1` with an
/// exception set is an error, anything else success (`PyList_Append`,
/// `PyObject_SetAttr`, ...).
///
/// # Errors
///
/// The exception the call set.
#[inline]
pub(crate) fn check_status(
    py: Python<'_>,
    status: core::ffi::c_int,
) -> PyResult<()> {
    if status == -1 { Err(PyErr::already_set(py)) } else { Ok(()) }
}

/// The C convention of a function returning a number (`PyLong_AsLong`,
/// `PyFloat_AsDouble`, `PyNumber_AsSsize_t`, ...): `error` (`-1`) *and*
/// `PyErr_Occurred()` is an error; `error` alone is a value like any other.
///
/// # Errors
///
/// The exception the call set.
#[inline]
pub(crate) fn check_number<T: PartialEq>(
    py: Python<'_>,
    value: T,
    error: T,
) -> PyResult<T> {
    if value == error && PyErr::occurred(py) {
        Err(PyErr::already_set(py))
    } else {
        Ok(value)
    }
}

/// Clears the error indicator, returning the exception object if one was set.
pub(crate) fn take_raised(py: Python<'_>) -> Option<Bound<'_, PyAny>> {
    #[cfg(Py_3_12)]
    // SAFETY: attached; the result is a new reference or NULL.
    let raised = unsafe { ffi::PyErr_GetRaisedException() };
    #[cfg(not(Py_3_12))]
    // SAFETY: attached; Fetch hands over three new references (or NULLs),
    // Normalize turns them into an exception instance, and only the
    // instance is kept: the type and traceback references are released
    // (the traceback is also attached to the instance).
    let raised = unsafe {
        let (mut ty, mut value, mut tb) =
            (core::ptr::null_mut(), core::ptr::null_mut(), core::ptr::null_mut());
        ffi::PyErr_Fetch(&mut ty, &mut value, &mut tb);
        if ty.is_null() {
            core::ptr::null_mut()
        } else {
            ffi::PyErr_NormalizeException(&mut ty, &mut value, &mut tb);
            if !tb.is_null() && !value.is_null() {
                ffi::PyException_SetTraceback(value, tb);
            }
            ffi::Py_XDECREF(ty);
            ffi::Py_XDECREF(tb);
            value
        }
    };
    if raised.is_null() {
        None
    } else {
        // SAFETY: a new reference to an exception instance.
        Some(unsafe { Bound::from_owned_ptr(py, raised) })
    }
}

/// Sets `exc` (an exception instance) as the current exception.
pub(crate) fn restore_raised(exc: Bound<'_, PyAny>) -> PyErr {
    #[cfg(Py_3_12)]
    // SAFETY: attached; SetRaisedException steals the reference.
    unsafe {
        ffi::PyErr_SetRaisedException(exc.into_ptr())
    };
    #[cfg(not(Py_3_12))]
    // SAFETY: attached; Restore steals the three references (type, value,
    // traceback), the type's taken here, the others handed over.
    unsafe {
        let value = exc.into_ptr();
        let ty = ffi::Py_TYPE(value).cast::<ffi::PyObject>();
        ffi::Py_INCREF(ty);
        ffi::PyErr_Restore(ty, value, ffi::PyException_GetTraceback(value));
    }
    // INVARIANT: set just now.
    PyErr { _not_send: PhantomData }
}

//! The error type: a Python exception, owned.

use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyType};
use core::marker::PhantomData;
use core::ptr::NonNull;

/// The error of every fallible call: a Python exception, taken out of the
/// thread state and owned by this value.
///
/// A failed C API call leaves its exception in the thread state (the *error
/// indicator*); the constructors take it out at once (`PyErr_Fetch`), so
/// that a `PyErr` is an ordinary value. Returning `Err(PyErr)` up to the
/// trampoline puts the exception back ([`PyErr::restore`]) and returns NULL
/// to CPython, which then raises it. Dropping a `PyErr` (after `.ok()`,
/// `unwrap_or_default`, `if let Ok`) releases the exception, as
/// `except Exception: pass` does: nothing is left set for an unrelated
/// call to trip over, and no `Ok` leaves with a stale exception.
///
/// The exception and its interpreter sit in a box, so that a `PyErr` is
/// one pointer and a `PyResult` of a pointer or a `bool` two words,
/// returned in registers. With the two fields inline every such result was
/// returned through memory, which cost the ports 3 to 6% more
/// instructions per call (`bisect_left` n=10: 663 against 641, `heapify`
/// n=1000: 133,127 against 125,813; the callgrind step); the box costs an
/// allocation when an error is made, next to the exception object's own.
///
/// # Invariants
///
/// `state.exc` is a strong reference to an exception instance, owned by
/// this value, created on this thread (the type is not `Send`) while it was
/// attached to the interpreter `state.interp` (a thread can switch
/// interpreters, and a `thread_local!` could keep a `PyErr` across the
/// switch: it is used and released only in its own). The thread's error
/// indicator is not part of the state: a `PyErr` may exist with the
/// indicator clear, or set by another error.
#[must_use = "an exception was raised: return it with `?`, or handle it"]
pub struct PyErr {
    state: Box<ErrState>,
    _not_send: PhantomData<*mut ()>,
}

/// What a [`PyErr`] owns.
struct ErrState {
    exc: NonNull<ffi::PyObject>,
    interp: crate::python::InterpreterId,
}

/// `Result<T, PyErr>`, so that `?` returns the exception to the caller.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    /// The exception a failed C API call has set, taken out of the thread
    /// state (the indicator is clear afterwards).
    ///
    /// A call that failed without setting one is a bug in that call; it
    /// becomes `SystemError: error return without exception set`, as
    /// CPython reports the same bug in C code.
    #[cold]
    pub fn already_set(py: Python<'_>) -> PyErr {
        match take_raised(py) {
            Some(exc) => PyErr::from_value(exc),
            None => crate::exceptions::SystemError::new_err(
                py,
                "error return without exception set",
            ),
        }
    }

    /// The error of an exception instance, as `raise exc` would raise it.
    #[cold]
    pub(crate) fn from_value(exc: Bound<'_, PyAny>) -> PyErr {
        let interp = crate::python::InterpreterId::current(exc.py());
        // INVARIANT: an owned reference to an exception instance, made on
        // this thread attached to `interp` (`exc` is bound to a token).
        PyErr {
            state: Box::new(ErrState {
                exc: NonNull::new(exc.into_ptr()).expect("a live object"),
                interp,
            }),
            _not_send: PhantomData,
        }
    }

    /// An instance of the exception type `ty` with message `msg`, as
    /// `PyErr_SetString` raises it.
    pub fn new_from_type(ty: &Bound<'_, PyType>, msg: &str) -> PyErr {
        match crate::types::PyStr::new(ty.py(), msg) {
            Ok(msg) => PyErr::new_from_type_str(ty, &msg),
            Err(e) => e,
        }
    }

    /// An instance of the exception type `ty` whose message is the `str`
    /// object `msg`, as `PyErr_SetObject` raises it. For a message that holds
    /// text a Rust `&str` cannot (a lone surrogate from a caller's `str`), as
    /// C's `PyErr_Format` with `%S` or `%U` does.
    pub fn new_from_type_str(
        ty: &Bound<'_, PyType>,
        msg: &Bound<'_, crate::types::PyStr>,
    ) -> PyErr {
        // SAFETY: attached; `ty` is a type and `msg` a str, both valid for
        // the call. PyErr_SetObject takes its own references; it also
        // normalises the exception and chains the one being handled as
        // `__context__`, which taking it out keeps.
        unsafe { ffi::PyErr_SetObject(ty.as_ptr(), msg.as_ptr()) };
        PyErr::already_set(ty.py())
    }

    /// Whether the error indicator is set: by a raw C call that failed, or
    /// by [`PyErr::restore`]. A `PyErr` does not set it.
    pub fn occurred(_py: Python<'_>) -> bool {
        // SAFETY: attached (token); only reads the thread state.
        !unsafe { ffi::PyErr_Occurred() }.is_null()
    }

    /// The exception object, handed over.
    ///
    /// # Panics
    ///
    /// In another interpreter than the one the error was made in (see
    /// [`crate::Py::bind`]).
    pub fn take(self, py: Python<'_>) -> Bound<'_, PyAny> {
        self.check_interpreter(py);
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is not used or dropped again, so the box is moved
        // out of it once, and freed here.
        let state = *unsafe { core::ptr::read(&this.state) };
        // SAFETY: the reference the error owned (invariant) is handed over,
        // and the error is not dropped; `py` proves the attachment.
        unsafe { Bound::from_owned_ptr(py, state.exc.as_ptr()) }
    }

    /// Sets the exception as the thread's error indicator, for a C caller
    /// that is about to be given NULL or -1: `PyErr_SetRaisedException`
    /// (3.12), `PyErr_Restore` (3.11). The trampolines do this with the
    /// error a body returns.
    ///
    /// In another interpreter than the error's own (a `PyErr` kept in a
    /// `thread_local!` across a switch), it raises `SystemError` instead and
    /// leaks the error: this runs where a panic could not be caught.
    pub fn restore(self, py: Python<'_>) {
        let here = crate::python::InterpreterId::current(py);
        if here != self.state.interp {
            let msg = format!(
                "a PyErr of interpreter {} raised in interpreter {}",
                self.state.interp.0, here.0
            );
            // Leaked (counted, with a line on stderr) by the drop.
            drop(self);
            return crate::exceptions::SystemError::new_err(py, &msg).restore(py);
        }
        let exc = self.take(py);
        #[cfg(Py_3_12)]
        // SAFETY: attached; SetRaisedException steals the reference.
        unsafe {
            ffi::PyErr_SetRaisedException(exc.into_ptr())
        };
        #[cfg(not(Py_3_12))]
        // SAFETY: attached; Restore steals the three references (type,
        // value, traceback), the type's taken here, the traceback's by
        // GetTraceback (a new reference or NULL), the value handed over.
        unsafe {
            let value = exc.into_ptr();
            let ty = ffi::Py_TYPE(value).cast::<ffi::PyObject>();
            ffi::Py_INCREF(ty);
            ffi::PyErr_Restore(ty, value, ffi::PyException_GetTraceback(value));
        }
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
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }

    /// Sets `cause` as the exception's `__cause__`, as `raise new from
    /// cause` does (`PyException_SetCause`).
    pub fn with_cause(self, py: Python<'_>, cause: Bound<'_, PyAny>) -> PyErr {
        self.check_interpreter(py);
        // SAFETY: attached; `self.state.exc` is an exception instance (invariant);
        // SetCause steals the reference to `cause`.
        unsafe {
            ffi::PyException_SetCause(self.state.exc.as_ptr(), cause.into_ptr())
        };
        self
    }

    /// Sets `context` as the exception's `__context__`, as raising inside an
    /// `except` block does (`PyException_SetContext`).
    pub fn with_context(self, py: Python<'_>, context: Bound<'_, PyAny>) -> PyErr {
        self.check_interpreter(py);
        // SAFETY: attached; `self.state.exc` is an exception instance (invariant);
        // SetContext steals the reference to `context`.
        unsafe {
            ffi::PyException_SetContext(self.state.exc.as_ptr(), context.into_ptr())
        };
        self
    }

    /// Whether the exception is an instance of `ty` (or of a subclass):
    /// `PyErr_GivenExceptionMatches`.
    pub fn matches(&self, ty: &Bound<'_, PyType>) -> bool {
        self.check_interpreter(ty.py());
        // SAFETY: attached (`ty` proves it); both pointers are live.
        unsafe {
            ffi::PyErr_GivenExceptionMatches(self.state.exc.as_ptr(), ty.as_ptr())
                != 0
        }
    }
}

impl PyErr {
    /// Panics unless the thread is attached to the error's interpreter.
    fn check_interpreter(&self, py: Python<'_>) {
        let here = crate::python::InterpreterId::current(py);
        assert!(
            here == self.state.interp,
            "a PyErr of interpreter {} used in interpreter {}",
            self.state.interp.0,
            here.0,
        );
    }
}

/// `PyErr { type: "ValueError", ptr: 0x7f... }`: no Python code runs.
impl core::fmt::Debug for PyErr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut s = f.debug_struct("PyErr");
        let state = crate::python::current_thread_state();
        let here = (!state.is_null()).then(|| {
            // SAFETY: `state` is this thread's attached thread state,
            // checked non-NULL.
            unsafe { crate::python::InterpreterId::of(state) }
        });
        if here == Some(self.state.interp) {
            // SAFETY: attached to the error's interpreter, checked; `exc` is
            // live (invariant) and keeps its type alive, whose `tp_name` is
            // a C string it owns.
            let name = unsafe {
                core::ffi::CStr::from_ptr(
                    (*ffi::Py_TYPE(self.state.exc.as_ptr())).tp_name,
                )
            };
            s.field("type", &name.to_string_lossy());
        }
        s.field("ptr", &self.state.exc.as_ptr()).finish()
    }
}

impl Drop for PyErr {
    fn drop(&mut self) {
        // The thread may have detached since the error was made (an error
        // returned out of an embedding's `attach`): leak then, loudly.
        crate::python::decref_if_attached_to(
            self.state.exc.as_ptr(),
            self.state.interp,
            "PyErr",
        );
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

//! Three error facilities of `Include/pyerrors.h` that modules meet
//! outside the happy path: signals in long loops, exceptions nobody can
//! receive, and the file name in an `OSError`.

use crate::err::{PyErr, PyResult};
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;
use crate::{IntoPyObject, ffi};

// ANCHOR: check_signals
impl Python<'_> {
    /// Runs the Python signal handlers that are due: `PyErr_CheckSignals`.
    ///
    /// CPython's C signal handler only records a signal; the Python handler
    /// (for SIGINT, the one raising `KeyboardInterrupt`) runs when the eval
    /// loop next checks, which it does not do while a C or Rust function
    /// runs. A long loop calls this every so often so that Ctrl-C stops it.
    /// It is cheap when no signal is pending (one atomic read), and does
    /// nothing outside the main thread of the main interpreter.
    ///
    /// # Errors
    ///
    /// What a handler raised: `KeyboardInterrupt` for Ctrl-C.
    pub fn check_signals(self) -> PyResult<()> {
        // SAFETY: attached (the token); 0, or -1 with an exception set.
        crate::err::check_status(self, unsafe { ffi::PyErr_CheckSignals() })
    }
}
// ANCHOR_END: check_signals

// ANCHOR: write_unraisable
impl PyErr {
    /// Reports the exception through `sys.unraisablehook` and clears it:
    /// `PyErr_WriteUnraisable(obj)`.
    ///
    /// For errors that have no caller to go to: in a destructor, a
    /// callback from C, a `__del__`. `obj` says where it happened (the hook
    /// prints `Exception ignored in: <repr of obj>`); `None` prints no
    /// location.
    pub fn write_unraisable(self, py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) {
        // The hook reads the thread's error indicator: set it to this error.
        self.restore(py);
        // SAFETY: attached; the indicator holds the exception set just now,
        // which the call reports and clears.
        unsafe {
            ffi::PyErr_WriteUnraisable(
                obj.map_or(core::ptr::null_mut(), |o| o.as_ptr()),
            );
        }
    }
}
// ANCHOR_END: write_unraisable

// ANCHOR: with_filename
impl PyErr {
    /// Raises `OSError(errno, strerror, filename)` for a Rust I/O error, as
    /// `PyErr_SetFromErrnoWithFilenameObject` does for C's `errno`: the
    /// constructor picks the subclass (`FileNotFoundError`, ...), and the
    /// message names the file, as `open()`'s does.
    ///
    /// `filename` is the object the caller passed (a `str`, `bytes` or
    /// path-like), so that `e.filename` is what the caller gave. An error
    /// without an errno becomes a plain `OSError` with the error's text.
    pub fn from_io_with_filename(
        py: Python<'_>,
        error: &std::io::Error,
        filename: &Bound<'_, PyAny>,
    ) -> PyErr {
        let Some(errno) = error.raw_os_error() else {
            return PyErr::from_io(py, error);
        };
        let raised = (|| {
            let code = i64::from(errno).into_pyobject(py)?;
            let text = std::io::Error::from_raw_os_error(errno).to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            let ty = crate::exceptions::OSError::type_object(py);
            ty.call(&[&code, &text.into_pyobject(py)?, filename])
        })();
        match raised {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }
}
// ANCHOR_END: with_filename

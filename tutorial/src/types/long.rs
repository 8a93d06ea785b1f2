//! `int` (`Include/longobject.h`).

use super::PyLong;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyLong {
    /// A new `int` from an `i64`: `PyLong_FromLongLong`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new(py: Python<'_>, value: i64) -> PyResult<Bound<'_, PyLong>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromLongLong(value)) }
    }
}

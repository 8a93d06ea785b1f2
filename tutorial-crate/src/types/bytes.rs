//! `bytes` (`Include/bytesobject.h`).

use super::PyBytes;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyBytes {
    /// A new `bytes` holding a copy of `data`: `PyBytes_FromStringAndSize`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        // SAFETY: attached; pointer and length describe `data`, which the
        // call copies; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyBytes_FromStringAndSize(data.as_ptr().cast(), data.len() as ffi::Py_ssize_t),
            )
        }
    }
}

impl<'py> Bound<'py, PyBytes> {
    /// The bytes, borrowed from the object (immutable, so no copy is needed).
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the object is a bytes (invariant): AS_STRING and SIZE
        // cannot fail, and the buffer lives, unchanged, as long as `self`.
        unsafe {
            let data = ffi::PyBytes_AsString(self.as_ptr());
            core::slice::from_raw_parts(data.cast(), ffi::Py_SIZE(self.as_ptr()) as usize)
        }
    }
}

impl super::PyByteArray {
    /// A new `bytearray` holding a copy of `data`: `PyByteArray_FromStringAndSize`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, super::PyByteArray>> {
        // SAFETY: attached; pointer and length describe `data`, which the
        // call copies; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyByteArray_FromStringAndSize(data.as_ptr().cast(), data.len() as ffi::Py_ssize_t),
            )
        }
    }
}

impl<'py> Bound<'py, super::PyByteArray> {
    /// Resizes in place: `PyByteArray_Resize`.
    ///
    /// # Errors
    ///
    /// `BufferError: Existing exports of data: object cannot be re-sized`
    /// while a buffer of it is held.
    pub fn resize(&self, len: usize) -> PyResult<()> {
        // SAFETY: attached; the object is a bytearray (invariant).
        let status = unsafe { ffi::PyByteArray_Resize(self.as_ptr(), len as ffi::Py_ssize_t) };
        if status == -1 { Err(crate::PyErr::already_set(self.py())) } else { Ok(()) }
    }
}

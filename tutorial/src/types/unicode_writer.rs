//! Building a `str` piece by piece: 3.14's `PyUnicodeWriter`
//! (`Include/cpython/unicodeobject.h`).
//!
//! Before 3.14 the C API had no public way to do this: C code called
//! `PyUnicode_FromFormat`, or concatenated, or used the private
//! `_PyUnicodeWriter`. On older interpreters this writer keeps its pieces in
//! a list and joins them at the end (`PyUnicode_Join`), which gives the same
//! string.

use super::PyStr;
#[cfg(Py_3_14)]
use crate::err::PyErr;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

/// A `str` being written: [`PyUnicodeWriter::finish`] makes it.
///
/// Each `write_*` appends to it; an error leaves the pieces written before
/// it in place. A writer dropped without `finish` is discarded.
///
/// # Invariants
///
/// On 3.14 and later, `raw` is a writer made by `PyUnicodeWriter_Create`,
/// neither finished nor discarded yet; before 3.14, `pieces` is a list of
/// `str` objects. Either way it belongs to the interpreter `py` is attached
/// to, and `py`'s lifetime keeps the writer on the attached thread.
pub struct PyUnicodeWriter<'py> {
    py: Python<'py>,
    #[cfg(Py_3_14)]
    raw: core::ptr::NonNull<ffi::PyUnicodeWriter>,
    #[cfg(not(Py_3_14))]
    pieces: Bound<'py, super::PyList>,
}

impl<'py> PyUnicodeWriter<'py> {
    /// A new, empty writer: `PyUnicodeWriter_Create(0)`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new(py: Python<'py>) -> PyResult<Self> {
        #[cfg(Py_3_14)]
        {
            // SAFETY: attached; the result is a new writer or NULL with an
            // exception set.
            let raw = unsafe { ffi::PyUnicodeWriter_Create(0) };
            // INVARIANT: a writer just made by PyUnicodeWriter_Create.
            core::ptr::NonNull::new(raw)
                .map(|raw| Self { py, raw })
                .ok_or_else(|| PyErr::already_set(py))
        }
        #[cfg(not(Py_3_14))]
        {
            Ok(Self { py, pieces: super::PyList::empty(py)? })
        }
    }

    /// Appends `s`: `PyUnicodeWriter_WriteUTF8`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn write_str(&mut self, s: &str) -> PyResult<()> {
        #[cfg(Py_3_14)]
        {
            // SAFETY: attached; `raw` is live (invariant); the pointer and
            // length describe valid UTF-8, which the call copies.
            let status = unsafe {
                ffi::PyUnicodeWriter_WriteUTF8(
                    self.raw.as_ptr(),
                    s.as_ptr().cast(),
                    s.len() as ffi::Py_ssize_t,
                )
            };
            crate::err::check_status(self.py, status)
        }
        #[cfg(not(Py_3_14))]
        {
            self.pieces.append(PyStr::new(self.py, s)?.as_any())
        }
    }

    /// Appends `str(obj)`: `PyUnicodeWriter_WriteStr`. Unlike formatting
    /// with Rust's `{}` after [`Bound::to_str`], this keeps every
    /// character, lone surrogates included.
    ///
    /// # Errors
    ///
    /// What `str(obj)` raises.
    pub fn write<T>(&mut self, obj: &Bound<'py, T>) -> PyResult<()> {
        #[cfg(Py_3_14)]
        {
            // SAFETY: attached; `raw` is live (invariant) and `obj` is live
            // for the call, which may run `__str__`.
            let status = unsafe {
                ffi::PyUnicodeWriter_WriteStr(self.raw.as_ptr(), obj.as_ptr())
            };
            crate::err::check_status(self.py, status)
        }
        #[cfg(not(Py_3_14))]
        {
            self.pieces.append(obj.str()?.as_any())
        }
    }

    /// Appends `repr(obj)`: `PyUnicodeWriter_WriteRepr`.
    ///
    /// # Errors
    ///
    /// What `repr(obj)` raises.
    pub fn write_repr<T>(&mut self, obj: &Bound<'py, T>) -> PyResult<()> {
        #[cfg(Py_3_14)]
        {
            // SAFETY: as in `write`; the call may run `__repr__`.
            let status = unsafe {
                ffi::PyUnicodeWriter_WriteRepr(self.raw.as_ptr(), obj.as_ptr())
            };
            crate::err::check_status(self.py, status)
        }
        #[cfg(not(Py_3_14))]
        {
            self.pieces.append(obj.repr()?.as_any())
        }
    }

    /// The string written so far: `PyUnicodeWriter_Finish`, which frees the
    /// writer whether or not it succeeds.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn finish(self) -> PyResult<Bound<'py, PyStr>> {
        #[cfg(Py_3_14)]
        {
            let this = core::mem::ManuallyDrop::new(self);
            // SAFETY: attached; `raw` is live (invariant) and, kept from
            // Drop by the ManuallyDrop, is not used again: Finish frees it.
            // The result is a new str or NULL with an exception set.
            unsafe {
                Bound::<PyStr>::from_owned_ptr_or_err(
                    this.py,
                    ffi::PyUnicodeWriter_Finish(this.raw.as_ptr()),
                )
            }
        }
        #[cfg(not(Py_3_14))]
        {
            let empty = PyStr::new(self.py, "")?;
            // SAFETY: attached; the separator is a str and the pieces a list
            // of str, both live for the call; the result is a new str or
            // NULL with an exception set.
            unsafe {
                Bound::<PyStr>::from_owned_ptr_or_err(
                    self.py,
                    ffi::PyUnicode_Join(empty.as_ptr(), self.pieces.as_ptr()),
                )
            }
        }
    }
}

#[cfg(Py_3_14)]
impl Drop for PyUnicodeWriter<'_> {
    fn drop(&mut self) {
        // SAFETY: attached (the 'py lifetime); `raw` is live (invariant) and
        // is not used after this.
        unsafe { ffi::PyUnicodeWriter_Discard(self.raw.as_ptr()) }
    }
}

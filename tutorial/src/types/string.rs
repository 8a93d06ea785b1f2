//! `str` (`Include/unicodeobject.h`).

use super::PyStr;
use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyStr {
    /// A new `str` from UTF-8: `PyUnicode_FromStringAndSize`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyStr>> {
        // SAFETY: attached; the pointer and length describe valid UTF-8 that
        // the call copies; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyUnicode_FromStringAndSize(
                    s.as_ptr().cast(),
                    s.len() as ffi::Py_ssize_t,
                ),
            )
        }
    }
}

impl<'py> Bound<'py, PyStr> {
    // ANCHOR: to_str
    /// The string as UTF-8, borrowed from the object: `PyUnicode_AsUTF8AndSize`.
    ///
    /// CPython caches the UTF-8 form inside the `str` object, so this copies
    /// nothing after the first call, and the `&str` lives as long as the
    /// borrow of the handle.
    ///
    /// # Errors
    ///
    /// `UnicodeEncodeError` for a string with lone surrogates, which UTF-8
    /// cannot encode.
    pub fn to_str(&self) -> PyResult<&str> {
        let mut len: ffi::Py_ssize_t = 0;
        // SAFETY: attached; the object is a str (invariant).
        let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(self.as_ptr(), &mut len) };
        if data.is_null() {
            return Err(PyErr::already_set(self.py()));
        }
        // SAFETY: CPython returns `len` bytes of valid UTF-8 kept in the
        // object, which `self` keeps alive (and str is immutable) for the
        // returned borrow.
        Ok(unsafe {
            core::str::from_utf8_unchecked(core::slice::from_raw_parts(
                data.cast(),
                len as usize,
            ))
        })
    }
    // ANCHOR_END: to_str

    /// `self + other`, a new `str`: `PyUnicode_Concat`.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or `OverflowError` for a result too long.
    pub fn concat(&self, other: &Bound<'py, PyStr>) -> PyResult<Bound<'py, PyStr>> {
        // SAFETY: attached; both are live strs; a new reference or NULL
        // with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyUnicode_Concat(self.as_ptr(), other.as_ptr()),
            )
        }
    }

    /// The characters of an ASCII string, borrowed from the object, or
    /// `None` for a string with any other character: C's
    /// `PyUnicode_IS_ASCII` check and `PyUnicode_1BYTE_DATA`.
    ///
    /// Only the string's `ascii` flag is read, and its characters are lent
    /// where they are: unlike [`Bound::to_str`], nothing is converted or
    /// cached, whatever the length, and a string with lone surrogates is
    /// simply not ASCII.
    ///
    /// # Errors
    ///
    /// `MemoryError`, on 3.11 only, for a legacy string (made by the
    /// deprecated `Py_UNICODE` API) that must first be made ready.
    pub fn ascii_bytes(&self) -> PyResult<Option<&[u8]>> {
        let op = self.as_ptr();
        // SAFETY: attached; `op` is a live str (invariant). PyUnicode_READY:
        // a string that is not ready gets its canonical form, or an
        // exception, from `_PyUnicode_Ready`.
        #[cfg(not(Py_3_12))]
        unsafe {
            if !ffi::PyUnicode_IS_READY(op) && ffi::_PyUnicode_Ready(op) < 0 {
                return Err(PyErr::already_set(self.py()));
            }
        }
        // SAFETY: `op` is a live str, ready (above, or always from 3.12).
        // An ASCII string's `PyUnicode_GET_LENGTH` characters are one byte
        // each at `PyUnicode_DATA`, and the str, immutable, keeps them for
        // as long as `self` is borrowed.
        Ok(unsafe {
            ffi::PyUnicode_IS_ASCII(op).then(|| {
                let len = ffi::PyUnicode_GET_LENGTH(op) as usize;
                core::slice::from_raw_parts(
                    ffi::PyUnicode_DATA(op).cast::<u8>(),
                    len,
                )
            })
        })
    }

    /// The string as UTF-8, refusing embedded NUL characters, for passing to
    /// C or to the OS: what the `s` converter of `PyArg_Parse` does.
    ///
    /// # Errors
    ///
    /// As [`Bound::to_str`], and `ValueError: embedded null character`.
    pub fn to_str_no_nul(&self) -> PyResult<&str> {
        let s = self.to_str()?;
        if s.contains('\0') {
            return Err(crate::exceptions::ValueError::new_err(
                self.py(),
                "embedded null character",
            ));
        }
        Ok(s)
    }
}

//! `dict` (`Include/dictobject.h`).

use super::{PyAny, PyDict};
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyDict {
    /// A new, empty dict.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyDict_New()) }
    }
}

impl<'py> Bound<'py, PyDict> {
    /// `d[key] = value` with a `str` key: `PyDict_SetItemString`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn set_item(&self, key: &str, value: &Bound<'py, PyAny>) -> PyResult<()> {
        let key = super::PyStr::new(self.py(), key)?;
        // SAFETY: attached; all live; SetItem takes its own references.
        crate::err::check_status(self.py(), unsafe {
            ffi::PyDict_SetItem(self.as_ptr(), key.as_ptr(), value.as_ptr())
        })
    }
}

impl<'py> Bound<'py, PyDict> {
    /// `d.get(key)` with a `str` key: `PyDict_GetItemWithError`, as an owned
    /// reference (the dict's own is borrowed, and a later `__del__` or
    /// `__eq__` could drop it).
    ///
    /// # Errors
    ///
    /// What hashing or comparing the key raises.
    pub fn get_item(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = self.py();
        let key = super::PyStr::new(py, key)?;
        // SAFETY: attached; both live; the result is borrowed from the dict
        // (or NULL, with or without an exception), and is increfed before
        // any other code can run.
        unsafe {
            let item = ffi::PyDict_GetItemWithError(self.as_ptr(), key.as_ptr());
            if item.is_null() {
                return if crate::PyErr::occurred(py) {
                    Err(crate::PyErr::already_set(py))
                } else {
                    Ok(None)
                };
            }
            ffi::Py_INCREF(item);
            Ok(Some(Bound::from_owned_ptr(py, item)))
        }
    }
}

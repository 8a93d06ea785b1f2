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

// ANCHOR: get_item_ref
impl<'py> Bound<'py, PyDict> {
    /// `d.get(key)`: a strong reference to the value, `None` if the key is
    /// missing, and the error if hashing or comparing the key raised.
    ///
    /// This is C's rule since 3.13, `PyDict_GetItemRef`, which returns a
    /// new reference and tells the three cases apart (1, 0, -1). On 3.11
    /// and 3.12 it is `PyDict_GetItemWithError` (a borrowed reference, or
    /// NULL with or without an exception) with the incref done at once,
    /// before any other code can run and drop the dict's own reference.
    /// Never `PyDict_GetItem`, which answers "missing" for an error and
    /// clears it.
    ///
    /// # Errors
    ///
    /// What hashing or comparing the key raises (`TypeError: unhashable
    /// type: 'list'`, or what the key's `__eq__` raises).
    pub fn get_item_ref<K>(
        &self,
        key: &Bound<'py, K>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = self.py();
        #[cfg(Py_3_13)]
        {
            let mut item = core::ptr::null_mut();
            // SAFETY: attached; both live; `item` receives a new reference
            // (status 1) or NULL (0: missing, -1: an exception is set).
            match unsafe {
                ffi::PyDict_GetItemRef(self.as_ptr(), key.as_ptr(), &mut item)
            } {
                // SAFETY: status 1: `item` is a new reference, owned here.
                1 => Ok(Some(unsafe { Bound::from_owned_ptr(py, item) })),
                0 => Ok(None),
                _ => Err(crate::PyErr::already_set(py)),
            }
        }
        #[cfg(not(Py_3_13))]
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
// ANCHOR_END: get_item_ref

impl<'py> Bound<'py, PyDict> {
    /// `d.get(key)` with a `str` key: [`get_item_ref`](Self::get_item_ref).
    ///
    /// # Errors
    ///
    /// `MemoryError` making the key; what comparing it raises.
    pub fn get_item(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.get_item_ref(&super::PyStr::new(self.py(), key)?)
    }
}

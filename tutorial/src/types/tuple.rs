//! `tuple` (`Include/tupleobject.h`).

use super::{PyAny, PyTuple};
use crate::err::PyResult;
use crate::ffi;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;

impl PyTuple {
    /// A new tuple of the given items (each gets a new reference).
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(
        py: Python<'py>,
        items: &[&Bound<'py, PyAny>],
    ) -> PyResult<Bound<'py, PyTuple>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        let tuple: Bound<'py, PyTuple> = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyTuple_New(items.len() as ffi::Py_ssize_t),
            )?
        };
        for (i, item) in items.iter().enumerate() {
            // SAFETY: a fresh tuple of len(items) empty slots; SET_ITEM
            // steals the new reference made by clone_ref.
            unsafe {
                ffi::PyTuple_SET_ITEM(
                    tuple.as_ptr(),
                    i as ffi::Py_ssize_t,
                    item.clone_ref().into_ptr(),
                )
            };
        }
        Ok(tuple)
    }
}

impl<'py> Bound<'py, PyTuple> {
    /// Item `i`, borrowed from the tuple, or `None` past the end.
    ///
    /// A tuple is immutable, so the borrow is valid as long as the tuple is:
    /// the lifetime ties it to `&self`.
    pub fn get(&self, i: usize) -> Option<Borrowed<'_, 'py, PyAny>> {
        // SAFETY: the object is a tuple (invariant).
        let len = unsafe { ffi::PyTuple_GET_SIZE(self.as_ptr()) } as usize;
        if i >= len {
            return None;
        }
        // SAFETY: in bounds; the tuple owns the item and cannot change, and
        // `self` keeps the tuple alive for the borrow.
        Some(unsafe {
            Borrowed::from_ptr_unchecked(
                self.py(),
                ffi::PyTuple_GET_ITEM(self.as_ptr(), i as ffi::Py_ssize_t),
            )
        })
    }
}

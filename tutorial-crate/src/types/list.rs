//! `list` (`Include/listobject.h`).

use super::{PyAny, PyList};
use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyList {
    /// A new list holding `items` (each gets a new reference).
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(py: Python<'py>, items: &[&Bound<'py, PyAny>]) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py)?;
        for item in items {
            list.append(item)?;
        }
        Ok(list)
    }

    /// A new, empty list.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn empty(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyList_New(0)) }
    }
}

impl<'py> Bound<'py, PyList> {
    /// Item `i` as a new (owned) reference, or `None` past the end.
    ///
    /// Owned, not borrowed: a list can change under a borrowed item as soon
    /// as any Python code runs (a `__eq__`, a `__del__`), so this layer never
    /// hands out a borrowed list item.
    pub fn get(&self, i: usize) -> Option<Bound<'py, PyAny>> {
        // SAFETY: the object is a list (invariant).
        let len = unsafe { ffi::PyList_GET_SIZE(self.as_ptr()) } as usize;
        if i >= len {
            return None;
        }
        // SAFETY: in bounds, and no Python code runs between the check and
        // the incref; the incref makes the handle's own reference.
        unsafe {
            let item = ffi::PyList_GET_ITEM(self.as_ptr(), i as ffi::Py_ssize_t);
            ffi::Py_INCREF(item);
            Some(Bound::from_owned_ptr(self.py(), item))
        }
    }

    /// The number of items: `PyList_GET_SIZE`.
    pub fn size(&self) -> usize {
        // SAFETY: the object is a list (invariant).
        unsafe { ffi::PyList_GET_SIZE(self.as_ptr()) as usize }
    }

    /// `list[i] = item`: `PyList_SetItem`, which *steals* the reference to
    /// `item`. Taking `item` by value is what stealing means in Rust: the
    /// caller's handle is moved into the list and cannot be used again.
    ///
    /// # Errors
    ///
    /// `IndexError: list assignment index out of range`.
    pub fn set_item(&self, i: usize, item: Bound<'py, PyAny>) -> PyResult<()> {
        // SAFETY: attached; SetItem steals the reference `into_ptr` gives
        // up, even when it fails (it then releases it itself).
        let status = unsafe { ffi::PyList_SetItem(self.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) };
        if status == -1 { Err(PyErr::already_set(self.py())) } else { Ok(()) }
    }

    /// `list.insert(i, item)`: `PyList_Insert`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn insert(&self, i: usize, item: &Bound<'py, PyAny>) -> PyResult<()> {
        // SAFETY: attached; both live; Insert takes its own reference.
        let status = unsafe { ffi::PyList_Insert(self.as_ptr(), i as ffi::Py_ssize_t, item.as_ptr()) };
        if status == -1 { Err(PyErr::already_set(self.py())) } else { Ok(()) }
    }

    /// `list.append(item)`: `PyList_Append`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn append(&self, item: &Bound<'py, PyAny>) -> PyResult<()> {
        // SAFETY: attached; both live; Append takes its own reference.
        if unsafe { ffi::PyList_Append(self.as_ptr(), item.as_ptr()) } == -1 {
            return Err(PyErr::already_set(self.py()));
        }
        Ok(())
    }
}

//! Iteration (`Include/abstract.h`): `iter(obj)` and `next(it)`.
//!
//! C's loop is `PyObject_GetIter`, then `PyIter_Next` until it returns
//! NULL, then `PyErr_Occurred()` to tell the end from an error: a NULL
//! means either. Here [`Bound::iter`] gives a [`PyIterator`] handle, which
//! is a Rust [`Iterator`] whose items are `PyResult`s: the end is `None`,
//! an error is `Some(Err(..))`, and the check cannot be forgotten.

use super::{PyAny, PyIterator};
use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;

impl<'py, T> Bound<'py, T> {
    /// `iter(obj)`: `PyObject_GetIter`.
    ///
    /// # Errors
    ///
    /// `TypeError: 'int' object is not iterable` for an object that is not
    /// iterable, or what its `__iter__` raises (`TypeError` too if that
    /// returns something that is not an iterator).
    pub fn iter(&self) -> PyResult<Bound<'py, PyIterator>> {
        // SAFETY: attached; the object is live; the result is a new
        // reference to an iterator (PyObject_GetIter checks PyIter_Check of
        // what `__iter__` returns) or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyObject_GetIter(self.as_ptr()),
            )
        }
    }
}

// ANCHOR: next
/// `next(it)`: `PyIter_Next`, with its NULL told apart. `None` is the end
/// (NULL, no exception: `StopIteration` was raised and cleared, or the
/// iterator is exhausted); `Some(Err(..))` is the exception `__next__`
/// raised (NULL with `PyErr_Occurred()`).
impl<'py> Iterator for Bound<'py, PyIterator> {
    type Item = PyResult<Bound<'py, PyAny>>;

    fn next(&mut self) -> Option<Self::Item> {
        let py = self.py();
        // An exception already set means the caller kept an earlier
        // `Err` and went on: calling into Python now would run code with
        // an exception pending, so the iteration ends there instead.
        if PyErr::occurred(py) {
            return None;
        }
        // SAFETY: attached; the object is an iterator (type invariant),
        // live for the call; the result is a new reference, or NULL.
        let item = unsafe { ffi::PyIter_Next(self.as_ptr()) };
        if item.is_null() {
            // NULL is the end *or* an error: only the indicator tells.
            return PyErr::occurred(py).then(|| Err(PyErr::already_set(py)));
        }
        // SAFETY: a new reference, owned from here on.
        Some(Ok(unsafe { Bound::from_owned_ptr(py, item) }))
    }
}
// ANCHOR_END: next

//! `list` (`Include/listobject.h`).

use super::{PyAny, PyList};
use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use crate::sync::critical_section;

impl PyList {
    /// A new list holding `items` (each gets a new reference).
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(
        py: Python<'py>,
        items: &[&Bound<'py, PyAny>],
    ) -> PyResult<Bound<'py, PyList>> {
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

    /// Whether `obj` is a list and not an instance of a subclass:
    /// `PyList_CheckExact`.
    ///
    /// C code takes shortcuts (`PyList_Insert` instead of calling the
    /// `insert` method) only for exact lists, because a subclass may
    /// override the method.
    pub fn check_exact(obj: &Bound<'_, PyAny>) -> bool {
        // SAFETY: the object is live and the thread attached (the handle's
        // invariant); the check reads the type pointer only.
        unsafe { ffi::Py_IS_TYPE(obj.as_ptr(), &raw mut ffi::PyList_Type) }
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
        // Without a GIL another thread can shrink the list between the check
        // and the read: `PyList_GetItemRef` (3.13) checks and increfs in one
        // step, as the list's own methods do.
        #[cfg(Py_GIL_DISABLED)]
        // SAFETY: attached; a list; the result is a new reference, or NULL
        // with an IndexError if the list shrank meanwhile.
        unsafe {
            let item = ffi::PyList_GetItemRef(self.as_ptr(), i as ffi::Py_ssize_t);
            if item.is_null() {
                drop(PyErr::already_set(self.py())); // the IndexError
                return None;
            }
            Some(Bound::from_owned_ptr(self.py(), item))
        }
        #[cfg(not(Py_GIL_DISABLED))]
        // SAFETY: in bounds, and no Python code runs between the check and
        // the incref (and with a GIL no other thread does); the incref makes
        // the handle's own reference.
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
        let status = unsafe {
            ffi::PyList_SetItem(
                self.as_ptr(),
                i as ffi::Py_ssize_t,
                item.into_ptr(),
            )
        };
        crate::err::check_status(self.py(), status)
    }

    /// `list.insert(i, item)`: `PyList_Insert`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn insert(&self, i: usize, item: &Bound<'py, PyAny>) -> PyResult<()> {
        // SAFETY: attached; both live; Insert takes its own reference.
        let status = unsafe {
            ffi::PyList_Insert(self.as_ptr(), i as ffi::Py_ssize_t, item.as_ptr())
        };
        crate::err::check_status(self.py(), status)
    }

    /// `list.append(item)`: `PyList_Append`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn append(&self, item: &Bound<'py, PyAny>) -> PyResult<()> {
        // SAFETY: attached; both live; Append takes its own reference.
        let status = unsafe { ffi::PyList_Append(self.as_ptr(), item.as_ptr()) };
        crate::err::check_status(self.py(), status)
    }
}

// ANCHOR: section
/// A list inside its critical section: what [`Bound::<PyList>::locked`]
/// lends its closure. Its methods read and write the list's item array
/// directly (`PyList_GET_ITEM`, `PyList_SET_ITEM`), which is sound only
/// while no other thread can resize the list.
///
/// # Invariants
///
/// Exists only inside a critical section on the list (it is made by
/// `locked` and lent to a closure, which cannot keep it). The section may be
/// suspended while Python code runs (a comparison), so every method checks
/// its indices again after any such call, as C's `_heapq` does.
pub struct ListSection<'a, 'py>(&'a Bound<'py, PyList>);

impl<'py> Bound<'py, PyList> {
    /// Runs `f` with the list inside its critical section
    /// ([`critical_section`]): a run of item operations that no other
    /// thread's change can come between, without a GIL as with one (C's
    /// `_heapq` holds the same section for a whole `heappush`).
    pub fn locked<R>(&self, f: impl FnOnce(&ListSection<'_, 'py>) -> R) -> R {
        // INVARIANT: lent only inside the section.
        critical_section(self.as_any(), || f(&ListSection(self)))
    }

    /// Exchanges items `i` and `j`: [`ListSection::swap`] in a section of
    /// its own.
    ///
    /// # Errors
    ///
    /// As [`ListSection::swap`].
    pub fn swap(&self, i: usize, j: usize) -> PyResult<()> {
        self.locked(|list| list.swap(i, j))
    }

    /// Puts `item` at `i` and returns the old item: [`ListSection::replace`]
    /// in a section of its own.
    ///
    /// # Errors
    ///
    /// As [`ListSection::replace`].
    pub fn replace(
        &self,
        i: usize,
        item: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.locked(|list| list.replace(i, item))
    }

    /// `list[i] < list[j]`: [`ListSection::lt_items`] in a section of its own.
    ///
    /// # Errors
    ///
    /// As [`ListSection::lt_items`].
    #[inline(always)]
    pub fn lt_items(&self, i: usize, j: usize) -> PyResult<bool> {
        self.locked(|list| list.lt_items(i, j))
    }

    /// Removes and returns the last item: [`ListSection::pop`] in a section
    /// of its own.
    ///
    /// # Errors
    ///
    /// As [`ListSection::pop`].
    pub fn pop(&self) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.locked(|list| list.pop())
    }
}

impl<'py> ListSection<'_, 'py> {
    /// The list itself, for what needs no section.
    pub fn list(&self) -> &Bound<'py, PyList> {
        self.0
    }

    /// The number of items: `PyList_GET_SIZE`.
    pub fn size(&self) -> usize {
        self.0.size()
    }

    /// Item `i`, owned, or `None` past the end: as [`Bound::<PyList>::get`].
    pub fn get(&self, i: usize) -> Option<Bound<'py, PyAny>> {
        self.0.get(i)
    }

    /// `list.append(item)`: as [`Bound::<PyList>::append`] (CPython's own
    /// function takes the section again, which it allows).
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn append(&self, item: &Bound<'py, PyAny>) -> PyResult<()> {
        self.0.append(item)
    }
}
// ANCHOR_END: section

impl<'py> ListSection<'_, 'py> {
    /// The `IndexError` of an index past the end, in `list`'s words.
    fn index_error(&self) -> PyErr {
        crate::exceptions::IndexError::new_err(
            self.0.py(),
            "list index out of range",
        )
    }

    /// Exchanges items `i` and `j` in place, without touching their
    /// reference counts: the list owns both before and after.
    ///
    /// No Python code runs, and the section keeps other threads out, so the
    /// list cannot change between the bounds check and the exchange.
    ///
    /// # Errors
    ///
    /// `IndexError: list index out of range` if either index is past the end.
    pub fn swap(&self, i: usize, j: usize) -> PyResult<()> {
        let len = self.0.size();
        if i >= len || j >= len {
            return Err(self.index_error());
        }
        // SAFETY: the object is a list (invariant) and both indices are in
        // bounds (checked just now, and nothing has run since). Exchanging
        // two owned pointers keeps every reference owned exactly once.
        unsafe {
            let a = ffi::PyList_GET_ITEM(self.0.as_ptr(), i as ffi::Py_ssize_t);
            let b = ffi::PyList_GET_ITEM(self.0.as_ptr(), j as ffi::Py_ssize_t);
            ffi::PyList_SET_ITEM(self.0.as_ptr(), i as ffi::Py_ssize_t, b);
            ffi::PyList_SET_ITEM(self.0.as_ptr(), j as ffi::Py_ssize_t, a);
        }
        Ok(())
    }

    /// Puts `item` at index `i` and returns the item that was there: the
    /// list's reference to the old item moves to the caller, the caller's
    /// reference to `item` moves into the list (`std::mem::replace` for a
    /// list slot).
    ///
    /// C writes this as `old = PyList_GET_ITEM(l, i); PyList_SET_ITEM(l, i,
    /// item);`, a borrowed reference that silently becomes an owned one.
    /// Here both transfers are in the types: `item` is taken by value and
    /// the old item comes back as a `Bound`.
    ///
    /// # Errors
    ///
    /// `IndexError: list index out of range` if `i` is past the end (then
    /// `item` is released).
    pub fn replace(
        &self,
        i: usize,
        item: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if i >= self.0.size() {
            return Err(self.index_error());
        }
        // SAFETY: a list, `i` in bounds, checked just now with no code run
        // since. The slot's reference is handed to the returned Bound and
        // `item`'s (given up by `into_ptr`) to the slot: no count changes,
        // and no object is released, so no `__del__` can run here.
        unsafe {
            let old = ffi::PyList_GET_ITEM(self.0.as_ptr(), i as ffi::Py_ssize_t);
            ffi::PyList_SET_ITEM(
                self.0.as_ptr(),
                i as ffi::Py_ssize_t,
                item.into_ptr(),
            );
            Ok(Bound::from_owned_ptr(self.0.py(), old))
        }
    }

    /// `list[i] < list[j]`: `PyObject_RichCompareBool` on two items.
    ///
    /// Each item is owned while the comparison runs (it may run `__lt__`,
    /// which may change the list) and released right after it, as C code
    /// that increfs around the call does. When both items are exact `int`s
    /// or `float`s no Python code can run, and they are compared in place,
    /// without touching their reference counts (see [`Bound::lt`]).
    ///
    /// # Errors
    ///
    /// `IndexError: list index out of range` if either index is past the
    /// end, or what `__lt__` raises.
    // Always inlined: it runs once per comparison in the sifting loops of
    // `heapq`, where a call per comparison costs as much as the C's whole
    // loop body.
    #[inline(always)]
    pub fn lt_items(&self, i: usize, j: usize) -> PyResult<bool> {
        let len = self.0.size();
        if i >= len || j >= len {
            return Err(self.index_error());
        }
        // SAFETY: a list, both indices in bounds (checked just now, no code
        // run since), so both pointers are live items; exact_number_lt only
        // reads them and runs no Python code.
        let (a, b) = unsafe {
            (
                ffi::PyList_GET_ITEM(self.0.as_ptr(), i as ffi::Py_ssize_t),
                ffi::PyList_GET_ITEM(self.0.as_ptr(), j as ffi::Py_ssize_t),
            )
        };
        if let Some(less) = super::any::exact_number_lt(a, b) {
            return Ok(less);
        }
        // SAFETY: still no code has run, so both items are live; the increfs
        // make references of our own, released by the handles' drops after
        // the comparison, whatever `__lt__` does to the list meanwhile.
        let (a, b): (Bound<'py, PyAny>, Bound<'py, PyAny>) = unsafe {
            ffi::Py_INCREF(a);
            ffi::Py_INCREF(b);
            (
                Bound::from_owned_ptr(self.0.py(), a),
                Bound::from_owned_ptr(self.0.py(), b),
            )
        };
        // SAFETY: attached; both live for the call; -1 with an exception.
        match unsafe {
            ffi::PyObject_RichCompareBool(
                a.as_ptr(),
                b.as_ptr(),
                ffi::Py_LT as core::ffi::c_int,
            )
        } {
            -1 => Err(PyErr::already_set(self.0.py())),
            r => Ok(r == 1),
        }
    }

    /// Removes the last item and returns it, or `None` if the list is empty
    /// (`list.pop()` without the `IndexError`).
    ///
    /// # Errors
    ///
    /// `MemoryError`, in principle: `PyList_SetSlice` may reallocate.
    pub fn pop(&self) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(last) = self.0.size().checked_sub(1) else { return Ok(None) };
        let item = self
            .get(last)
            .expect("the index is in bounds: nothing ran since the size was read");
        // SAFETY: attached; a list; a NULL value deletes the slice. The
        // list's reference to the item is released, but `item` holds its
        // own, so the item is not freed and no `__del__` runs.
        let status = unsafe {
            ffi::PyList_SetSlice(
                self.0.as_ptr(),
                last as ffi::Py_ssize_t,
                (last + 1) as ffi::Py_ssize_t,
                core::ptr::null_mut(),
            )
        };
        crate::err::check_status(self.0.py(), status).map(|()| Some(item))
    }
}

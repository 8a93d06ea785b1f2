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
        // Without a GIL another thread can shrink the list between a check
        // and the read: `PyList_GetItemRef` (3.13) checks and increfs in one
        // step, as the list's own methods do.
        #[cfg(Py_GIL_DISABLED)]
        // SAFETY: attached; a list; the result is a new reference, or NULL
        // with an IndexError if `i` is past the end (checked first, so that
        // the usual end of a loop makes no exception).
        unsafe {
            if i >= self.size() {
                return None;
            }
            let item = ffi::PyList_GetItemRef(self.as_ptr(), i as ffi::Py_ssize_t);
            if item.is_null() {
                drop(PyErr::already_set(self.py())); // the IndexError
                return None;
            }
            Some(Bound::from_owned_ptr(self.py(), item))
        }
        // With a GIL the bounds check and an incref are enough: what
        // `ListSection::get` does (the section is nothing there).
        #[cfg(not(Py_GIL_DISABLED))]
        self.locked(|list| list.get(i))
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
/// Whether this thread may take a critical section on an object whose
/// section it holds already at no cost: on a build with a GIL (sections are
/// nothing), and from 3.14, where CPython skips locking a mutex the
/// thread's top-most section holds. On 3.13's free-threaded build the inner
/// section waits for the mutex, and waiting *suspends* the outer section:
/// another thread can then change the list in the middle of what the outer
/// section was meant to keep whole.
const NESTED_SECTIONS_ARE_FREE: bool = cfg!(any(not(Py_GIL_DISABLED), Py_3_14));

/// A list lent by [`Bound::<PyList>::locked`]. Its methods read and write
/// the list's item array directly (`PyList_GET_ITEM`, `PyList_SET_ITEM`),
/// which is sound only while no other thread can resize the list.
///
/// # Invariants
///
/// Made only by `locked` and lent to a closure, which cannot keep it. Where
/// [`NESTED_SECTIONS_ARE_FREE`], `locked` holds the list's critical section
/// for the whole closure; on 3.13's free-threaded build each method takes
/// the section for itself instead (CPython's own list functions, such as
/// `PyList_Append`, take it too, and nesting them inside ours would suspend
/// ours). Either way the section may be suspended while Python code runs (a
/// comparison), so every method checks its indices again after any such
/// call, as C's `_heapq` does.
pub struct ListSection<'a, 'py>(&'a Bound<'py, PyList>);

impl<'py> Bound<'py, PyList> {
    /// Runs `f` with the list inside its critical section
    /// ([`critical_section`]): a run of item operations that no other
    /// thread's change can come between, without a GIL as with one (C's
    /// `_heapq` holds the same section for a whole `heappush` from 3.14).
    ///
    /// On 3.13's free-threaded build the run is not kept whole: each
    /// operation is, on its own (see [`ListSection`]), which is what 3.13's C
    /// `_heapq` offers too (it takes no lock at all).
    pub fn locked<R>(&self, f: impl FnOnce(&ListSection<'_, 'py>) -> R) -> R {
        // INVARIANT: lent only to `f`, inside the section where nesting is
        // free; otherwise each method takes its own.
        if NESTED_SECTIONS_ARE_FREE {
            critical_section(self.as_any(), || f(&ListSection(self)))
        } else {
            f(&ListSection(self))
        }
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

    /// Runs `f` where the list's section is held: inside `locked`'s own
    /// where nesting is free, else in one taken for `f` alone.
    #[inline(always)]
    fn held<R>(&self, f: impl FnOnce() -> R) -> R {
        if NESTED_SECTIONS_ARE_FREE {
            f()
        } else {
            critical_section(self.0.as_any(), f)
        }
    }

    /// The number of items: `PyList_GET_SIZE`.
    pub fn size(&self) -> usize {
        self.0.size()
    }

    /// Item `i`, owned, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<Bound<'py, PyAny>> {
        self.held(|| {
            if i >= self.0.size() {
                return None;
            }
            // SAFETY: in bounds, checked just now with the section held and
            // no code run since; the incref makes the handle's reference.
            unsafe {
                let item =
                    ffi::PyList_GET_ITEM(self.0.as_ptr(), i as ffi::Py_ssize_t);
                ffi::Py_INCREF(item);
                Some(Bound::from_owned_ptr(self.0.py(), item))
            }
        })
    }

    /// `list.append(item)`: as [`Bound::<PyList>::append`] (CPython's own
    /// function takes the section again: free where nesting is).
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
        self.held(|| self.swap_held(i, j))
    }

    /// [`swap`](Self::swap) with the section held.
    #[inline(always)]
    fn swap_held(&self, i: usize, j: usize) -> PyResult<()> {
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
        self.held(|| self.replace_held(i, item))
    }

    /// [`replace`](Self::replace) with the section held.
    fn replace_held(
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
        let (a, b) = match self.held(|| self.items_for_lt(i, j))? {
            Ok(pair) => pair,
            Err(less) => return Ok(less),
        };
        // SAFETY: attached; both live for the call (the handles own them);
        // -1 with an exception.
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

    /// The first half of [`lt_items`](Self::lt_items), with the section
    /// held: the answer (`Err`) if both items are exact numbers, else both
    /// items, owned for the comparison (`Ok`), which runs Python code and so
    /// runs after the section.
    #[inline(always)]
    #[allow(clippy::type_complexity)]
    fn items_for_lt(
        &self,
        i: usize,
        j: usize,
    ) -> PyResult<Result<(Bound<'py, PyAny>, Bound<'py, PyAny>), bool>> {
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
            return Ok(Err(less));
        }
        // SAFETY: still no code has run, so both items are live; the increfs
        // make references of our own, released by the handles' drops after
        // the comparison, whatever `__lt__` does to the list meanwhile.
        unsafe {
            ffi::Py_INCREF(a);
            ffi::Py_INCREF(b);
            Ok(Ok((
                Bound::from_owned_ptr(self.0.py(), a),
                Bound::from_owned_ptr(self.0.py(), b),
            )))
        }
    }

    /// Removes the last item and returns it, or `None` if the list is empty
    /// (`list.pop()` without the `IndexError`).
    ///
    /// # Errors
    ///
    /// `MemoryError`, in principle: `PyList_SetSlice` may reallocate.
    pub fn pop(&self) -> PyResult<Option<Bound<'py, PyAny>>> {
        if !NESTED_SECTIONS_ARE_FREE {
            // 3.13 without the GIL: the read and the removal must be one
            // step, which `PyList_SetSlice` inside a section of ours would
            // not be (it takes the section again, and waiting for it
            // suspends ours). `list.pop` is one step: called on `list`
            // itself, so that a subclass's override is not, as C skips it.
            if self.0.size() == 0 {
                return Ok(None);
            }
            let py = self.0.py();
            // SAFETY: PyList_Type is a static type, alive for ever.
            let list_type = unsafe {
                crate::Borrowed::<PyAny>::from_ptr_unchecked(
                    py,
                    (&raw mut ffi::PyList_Type).cast(),
                )
            };
            return match list_type.getattr("pop")?.call(&[self.0.as_any()]) {
                Ok(item) => Ok(Some(item)),
                // Emptied by another thread since the size was read.
                Err(e)
                    if e.matches(&crate::exceptions::IndexError::type_object(
                        py,
                    )) =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            };
        }
        let Some(last) = self.0.size().checked_sub(1) else { return Ok(None) };
        let Some(item) = self.get(last) else { return Ok(None) };
        // SAFETY: attached; a list; a NULL value deletes the slice. The
        // list's reference to the item is released, but `item` holds its
        // own, so the item is not freed and no `__del__` runs. Inside
        // `locked`'s section (nesting is free here), nothing changed the
        // list since `last` was read.
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

//! `_bisect`, the C half of the standard library's `bisect` module, ported
//! to Rust from CPython's `Modules/_bisectmodule.c`, as each version from
//! 3.11 has it.
//!
//! `bisect.py` ends with `from _bisect import *`: when this module is
//! importable as `_bisect`, its four functions replace the Python ones.
//! Arguments, results and error messages are those of the C module of the
//! interpreter the port is built for; where versions differ, a `cfg`
//! (`Py_3_12`, ...) selects the code. The book's "Porting _bisect" chapter
//! walks through the port.

// ANCHOR: all
use tutorial::args::{FromArg, IndexOrNone};
use tutorial::prelude::*;

// ANCHOR: search
/// Which end of a run of equal items a search lands on.
#[derive(Clone, Copy)]
enum Side {
    /// Before the leftmost item equal to `x`: every item left of the
    /// result is `< x`.
    Left,
    /// After the rightmost item equal to `x`: every item left of the
    /// result is `<= x`.
    Right,
}

/// The index where `x` belongs in `a[lo:hi]`, which is assumed sorted (by
/// `key(item)` when `key` is given): the shared body of the four functions.
///
/// `a` is any sequence: items are read with `PySequence_GetItem`, so a
/// list subclass's `__getitem__` is honoured, and an item is owned while
/// its comparison runs Python code.
fn search<'py>(
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<IndexOrNone>,
    key: Option<&Bound<'py, PyAny>>,
    side: Side,
) -> PyResult<isize> {
    if lo < 0 {
        return Err(negative_lo(a.py()));
    }
    // `hi=None` means "to the end". The C code stores None as -1, so an
    // explicit `hi=-1` means the end too; a drop-in must keep that.
    let mut hi = match hi {
        Some(IndexOrNone(hi)) if hi != -1 => hi,
        _ => a.sequence_size()? as isize,
    };
    // From 3.12 the C looks up the type's `sq_item` once, before the loop,
    // and so refuses a non-sequence even when there is nothing to search.
    #[cfg(Py_3_12)]
    a.sequence_check_item()?;
    // A plain list is read directly: what `PySequence_GetItem` would do
    // for it, without the two indirect calls on every step.
    let list =
        if PyList::check_exact(a) { Some(a.downcast::<PyList>()?) } else { None };
    let mut compare = Compare::new();
    let mut lo = lo;
    while lo < hi {
        // Both ends are non-negative here, so this cannot overflow.
        let mid = lo + (hi - lo) / 2;
        let item = match list {
            Some(list) => {
                list.get(mid as usize).ok_or_else(|| out_of_range(a.py()))?
            }
            None => a.sequence_get_item(mid)?,
        };
        let item = match key {
            Some(key) => key.call_one_arg(&item)?,
            None => item,
        };
        let x_goes_after = match side {
            Side::Left => compare.lt(&item, x)?,
            Side::Right => !compare.lt(x, &item)?,
        };
        if x_goes_after {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}
// ANCHOR_END: search

// ANCHOR: bounds
/// `hi` converted, and from 3.15 `lo` checked first, as Clinic does.
///
/// Up to 3.14 Clinic converts `hi` with the other arguments and the search
/// checks `lo` (after `insort` has called `key(x)`): a bad `hi` is reported
/// first. From 3.15 Clinic checks `lo` itself while it converts it
/// (`Py_ssize_t(allow_negative=False)`), before it looks at `hi`, and words
/// it differently. `hi` arrives as an object so that the two can be ordered.
fn bounds<'py>(
    py: Python<'py>,
    lo: isize,
    hi: Option<&Bound<'py, PyAny>>,
) -> PyResult<(isize, Option<IndexOrNone>)> {
    if cfg!(Py_3_15) && lo < 0 {
        return Err(negative_lo(py));
    }
    Ok((lo, hi.map(IndexOrNone::from_arg).transpose()?))
}

/// The `ValueError` of a negative `lo`.
fn negative_lo(py: Python<'_>) -> PyErr {
    // 3.15 reworded C's message.
    let message = if cfg!(Py_3_15) {
        "lo cannot be negative"
    } else {
        "lo must be non-negative"
    };
    exceptions::ValueError::new_err(py, message)
}
// ANCHOR_END: bounds

// ANCHOR: compare
/// How the search compares an item with `x`.
///
/// In 3.11 every comparison is `PyObject_RichCompareBool`. From 3.12 the C
/// calls the `tp_richcompare` slot of `x`'s type itself when the item has
/// exactly that type, until the slot first returns `NotImplemented`: that
/// comparison is then made again the usual way (so `__lt__` runs a second
/// time, then the reflected method), and so is every later one.
struct Compare {
    /// Whether items of `x`'s own type still go to the slot (C's `compare`
    /// pointer, set to NULL after a `NotImplemented`).
    #[cfg(Py_3_12)]
    by_slot: bool,
}

impl Compare {
    fn new() -> Compare {
        Compare {
            #[cfg(Py_3_12)]
            by_slot: true,
        }
    }

    /// `a < b`, where `a` or `b` is `x`.
    #[inline(always)]
    fn lt<'py>(
        &mut self,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
    ) -> PyResult<bool> {
        #[cfg(Py_3_12)]
        if self.by_slot && a.same_type_as(b) {
            if let Some(less) = a.lt_by_slot(b)? {
                return Ok(less);
            }
            self.by_slot = false;
        }
        a.lt(b)
    }
}
// ANCHOR_END: compare

/// The `IndexError` of `PySequence_GetItem` on a list, for an index past
/// its end (`hi` greater than the length).
fn out_of_range(py: Python<'_>) -> PyErr {
    exceptions::IndexError::new_err(py, "list index out of range")
}

// ANCHOR: insort
/// Inserts `x` into `a` where [`search`] says: the body of `insort_left`
/// and `insort_right`. `key` applies to the items and to `x`.
fn insort<'py>(
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<IndexOrNone>,
    key: Option<&Bound<'py, PyAny>>,
    side: Side,
) -> PyResult<()> {
    let index = match key {
        Some(key) => search(a, &key.call_one_arg(x)?, lo, hi, Some(key), side)?,
        None => search(a, x, lo, hi, None, side)?,
    };
    if PyList::check_exact(a) {
        // A plain list: insert directly, as `list.insert` would.
        a.downcast::<PyList>()?.insert(index as usize, x)
    } else {
        // Anything else (a list subclass, a UserList): its own `insert`.
        a.call_method("insert", &[&index.into_pyobject(a.py())?, x])?;
        Ok(())
    }
}
// ANCHOR_END: insort

// ANCHOR: functions
fn bisect_right<'py>(
    _module: &Bound<'py, PyModule>,
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<&Bound<'py, PyAny>>,
    key: Option<&Bound<'py, PyAny>>,
) -> PyResult<isize> {
    let (lo, hi) = bounds(a.py(), lo, hi)?;
    search(a, x, lo, hi, key, Side::Right)
}

fn bisect_left<'py>(
    _module: &Bound<'py, PyModule>,
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<&Bound<'py, PyAny>>,
    key: Option<&Bound<'py, PyAny>>,
) -> PyResult<isize> {
    let (lo, hi) = bounds(a.py(), lo, hi)?;
    search(a, x, lo, hi, key, Side::Left)
}

fn insort_right<'py>(
    _module: &Bound<'py, PyModule>,
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<&Bound<'py, PyAny>>,
    key: Option<&Bound<'py, PyAny>>,
) -> PyResult<()> {
    let (lo, hi) = bounds(a.py(), lo, hi)?;
    insort(a, x, lo, hi, key, Side::Right)
}

fn insort_left<'py>(
    _module: &Bound<'py, PyModule>,
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<&Bound<'py, PyAny>>,
    key: Option<&Bound<'py, PyAny>>,
) -> PyResult<()> {
    let (lo, hi) = bounds(a.py(), lo, hi)?;
    insort(a, x, lo, hi, key, Side::Left)
}
// ANCHOR_END: functions

// ANCHOR: docs
// The docstrings are the C module's, and they changed: 3.12 added a
// sentence on `key`, and 3.14 wrapped one line of the bisect functions'
// differently.
/// The docstrings' last paragraphs.
#[cfg(not(Py_3_12))]
macro_rules! bounds_and_key {
    () => {
        "

Optional args lo (default 0) and hi (default len(a)) bound the
slice of a to be searched."
    };
}
#[cfg(Py_3_12)]
macro_rules! bounds_and_key {
    () => {
        "

Optional args lo (default 0) and hi (default len(a)) bound the
slice of a to be searched.

A custom key function can be supplied to customize the sort order."
    };
}

/// Where the line breaks in "a.insert(i, x) will insert" (see
/// `bisect_docs_rewrapped` in `build.rs`).
#[cfg(not(bisect_docs_rewrapped))]
macro_rules! insert_will {
    () => {
        "a.insert(i, x) will\ninsert"
    };
}
#[cfg(bisect_docs_rewrapped)]
macro_rules! insert_will {
    () => {
        "a.insert(i, x)\nwill insert"
    };
}
// ANCHOR_END: docs

tutorial::module! {
    name: _bisect,
    doc: "Bisection algorithms.

This module provides support for maintaining a list in sorted order without
having to sort the list after each insertion. For long lists of items with
expensive comparison operations, this can be an improvement over the more
common approach.
",

    methods: [
        tutorial::meth_fastcall!(
            bisect_right(a, x, lo = 0, hi = None, *, key = None),
            concat!(
                "\
Return the index where to insert item x in list a, assuming a is sorted.

The return value i is such that all e in a[:i] have e <= x, and all e in
a[i:] have e > x.  So if x already appears in the list, ",
                insert_will!(),
                " just after the rightmost x already there.",
                bounds_and_key!()
            )
        ),
        tutorial::meth_fastcall!(
            insort_right(a, x, lo = 0, hi = None, *, key = None),
            concat!(
                "Insert item x in list a, and keep it sorted assuming a is sorted.

If x is already in a, insert it to the right of the rightmost x.",
                bounds_and_key!()
            )
        ),
        tutorial::meth_fastcall!(
            bisect_left(a, x, lo = 0, hi = None, *, key = None),
            concat!(
                "\
Return the index where to insert item x in list a, assuming a is sorted.

The return value i is such that all e in a[:i] have e < x, and all e in
a[i:] have e >= x.  So if x already appears in the list, ",
                insert_will!(),
                " just before the leftmost x already there.",
                bounds_and_key!()
            )
        ),
        tutorial::meth_fastcall!(
            insort_left(a, x, lo = 0, hi = None, *, key = None),
            concat!(
                "Insert item x in list a, and keep it sorted assuming a is sorted.

If x is already in a, insert it to the left of the leftmost x.",
                bounds_and_key!()
            )
        ),
    ],
}
// ANCHOR_END: all

#[cfg(test)]
mod tests {
    use tutorial_embed::doctest;

    #[test]
    fn bisect_and_insort_find_the_same_places_as_python() {
        doctest(
            &[("_bisect", super::_bisect::init)],
            r#"
>>> import _bisect
>>> a = [1, 2, 2, 2, 3]
>>> _bisect.bisect_left(a, 2), _bisect.bisect_right(a, 2)
(1, 4)
>>> _bisect.bisect_left(a, 2, 2), _bisect.bisect_right(a, 2, 0, 2), _bisect.bisect_right(a, 2, hi=-1)
(2, 2, 4)
>>> _bisect.insort_left(a, 2.0); _bisect.insort_right(a, 2.5); a
[1, 2.0, 2, 2, 2, 2.5, 3]
>>> _bisect.bisect_left(["a", "bb", "ccc"], 2, key=len)
1
>>> _bisect.bisect_left(a, 2, -1)
Traceback (most recent call last):
  ...
ValueError: lo ...
>>> _bisect.bisect_left(a, 2, hi="3")
Traceback (most recent call last):
  ...
TypeError: argument should be integer or None, not 'str'
>>> _bisect.bisect_left(a, 2, hi=2**100)
Traceback (most recent call last):
  ...
OverflowError: cannot fit 'int' into an index-sized integer
>>> _bisect.bisect_left(a, 2, hi=100)
Traceback (most recent call last):
  ...
IndexError: list index out of range
>>> _bisect.bisect_left({}, 2)
Traceback (most recent call last):
  ...
TypeError: dict is not a sequence
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }

    #[test]
    fn insort_calls_insert_on_anything_but_an_exact_list() {
        doctest(
            &[("_bisect", super::_bisect::init)],
            r#"
>>> import _bisect
>>> class Spy(list):
...     def insert(self, i, x):
...         print("insert", i, x); super().insert(i, x)
>>> s = Spy([1, 3])
>>> _bisect.insort_left(s, 2)
insert 1 2
>>> s
[1, 2, 3]
>>> _bisect.insort_right((1, 3), 2)
Traceback (most recent call last):
  ...
AttributeError: 'tuple' object has no attribute 'insert'...
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

//! Iteration: `Bound::iter` (`PyObject_GetIter`) and the Rust `Iterator`
//! over a `PyIterator` (`PyIter_Next`), whose NULL means the end *or* an
//! error; and `Debug` of the handles, which runs no Python code.

use tutorial::exceptions::StopIteration;
use tutorial::prelude::*;
use tutorial_embed::{attach, doctest};

/// `sum(iterable)` for ints, the loop written as a Rust `for`.
fn total(
    _module: &Bound<'_, PyModule>,
    iterable: &Bound<'_, PyAny>,
) -> PyResult<i64> {
    let mut total = 0;
    for item in iterable.iter()? {
        total += item?.extract::<i64>()?;
    }
    Ok(total)
}

/// How many items an iterable yields; each is dropped at once.
fn count(
    _module: &Bound<'_, PyModule>,
    iterable: &Bound<'_, PyAny>,
) -> PyResult<usize> {
    let mut n = 0;
    for item in iterable.iter()? {
        item?;
        n += 1;
    }
    Ok(n)
}

/// `next(iter(iterable))`, raising `StopIteration` from Rust when empty.
fn first<'py>(
    module: &Bound<'py, PyModule>,
    iterable: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match iterable.iter()?.next() {
        Some(item) => item,
        None => Err(StopIteration::new_err(module.py(), "empty")),
    }
}

/// The `Debug` text of the argument.
fn debug(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<String> {
    Ok(format!("{obj:?}"))
}

tutorial::module! {
    name: iteration,
    doc: "Loops over Python iterables.",
    methods: [
        tutorial::meth_o!(total(iterable), "Sum of the ints in iterable."),
        tutorial::meth_o!(count(iterable), "Number of items in iterable."),
        tutorial::meth_o!(first(iterable), "The first item of iterable."),
        tutorial::meth_o!(debug(obj), "The Debug text of obj."),
    ],
}

#[test]
fn a_rust_loop_sums_lists_generators_and_custom_iterators() {
    doctest(
        &[("iteration", iteration::init)],
        r#"
>>> import iteration
>>> iteration.total([1, 2, 3]), iteration.total(x * x for x in range(4))
(6, 14)
>>> iteration.total({}), iteration.total(range(0)), iteration.total("")
(0, 0, 0)
>>> class Countdown:
...     def __init__(self, n): self.n = n
...     def __iter__(self): return self
...     def __next__(self):
...         if self.n == 0: raise StopIteration
...         self.n -= 1
...         return self.n + 1
>>> iteration.total(Countdown(3)), iteration.count(Countdown(4))
(6, 4)
>>> iteration.first(Countdown(2))
2
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn an_error_in_next_propagates_and_is_not_taken_for_the_end() {
    doctest(
        &[("iteration", iteration::init)],
        r#"
>>> import iteration
>>> class Broken:
...     def __init__(self): self.calls = 0
...     def __iter__(self): return self
...     def __next__(self):
...         self.calls += 1
...         if self.calls == 3: raise ValueError("broken after 2")
...         return 1
>>> b = Broken()
>>> iteration.total(b)
Traceback (most recent call last):
  ...
ValueError: broken after 2
>>> b.calls
3
>>> def gen():
...     yield 1
...     raise KeyError("in the generator")
>>> iteration.count(gen())
Traceback (most recent call last):
  ...
KeyError: 'in the generator'
>>> iteration.total([1, "two"])
Traceback (most recent call last):
  ...
TypeError: 'str' object cannot be interpreted as an integer
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_non_iterable_raises_type_error() {
    // PyObject_GetIter's message for an __iter__ that returns a
    // non-iterator: 3.15 names the method.
    let bad_iter = if tutorial::ffi::build_info::VERSION >= (3, 15) {
        "BadIter.__iter__() must return an iterator, not int"
    } else {
        "iter() returned non-iterator of type 'int'"
    };
    let session = r#"
>>> import iteration
>>> iteration.total(5)
Traceback (most recent call last):
  ...
TypeError: 'int' object is not iterable
>>> class BadIter:
...     def __iter__(self): return 42
>>> iteration.total(BadIter())
Traceback (most recent call last):
  ...
TypeError: BAD_ITER
>>> iteration.first([])
Traceback (most recent call last):
  ...
StopIteration: empty
"#
    .replace("BAD_ITER", bad_iter);
    doctest(&[("iteration", iteration::init)], &session)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn iterating_leaks_no_reference_to_the_items_or_the_iterable() {
    doctest(
        &[("iteration", iteration::init)],
        r#"
>>> import iteration, sys
>>> items = [object() for _ in range(5)]
>>> numbers = [10**20 + i for i in range(5)]
>>> before = [sys.getrefcount(x) for x in items + numbers + [items, numbers]]
>>> for _ in range(100):
...     n = iteration.count(items), iteration.count(iter(items))
...     n = iteration.count(x for x in numbers), iteration.first(items)
>>> del n
>>> after = [sys.getrefcount(x) for x in items + numbers + [items, numbers]]
>>> before == after
True
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn an_iterator_checks_as_one_and_ends_with_none() {
    attach(&[], |py| -> PyResult<()> {
        let list = PyList::new(py, &[py.None().as_any()])?;
        assert!(!list.is_instance_of::<PyIterator>(), "a list is not an iterator");
        let mut it = list.iter()?;
        assert!(it.is_instance_of::<PyIterator>());
        assert!(it.next().is_some_and(|item| item.is_ok_and(|o| o.is_none())));
        assert!(it.next().is_none(), "the end");
        assert!(it.next().is_none(), "and again");
        assert!(!PyErr::occurred(py), "the end sets no exception");
        assert_eq!(
            list.downcast::<PyIterator>()
                .err()
                .map(|e| {
                    e.take(py).str().and_then(|s| s.to_str().map(str::to_owned))
                })
                .transpose()?
                .as_deref(),
            Some("expected iterator, got list")
        );
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn debug_shows_the_type_and_address_and_runs_no_python() {
    doctest(
        &[("iteration", iteration::init)],
        r#"
>>> import iteration
>>> iteration.debug([1, 2])
'Bound { type: "list", ptr: 0x... }'
>>> class LoudRepr:
...     def __repr__(self): raise RuntimeError("repr ran")
>>> iteration.debug(LoudRepr())
'Bound { type: "LoudRepr", ptr: 0x... }'
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
    attach(&[], |py| -> PyResult<()> {
        let list = PyList::empty(py)?;
        let address = format!("{:?}", list.as_ptr());
        assert_eq!(
            format!("{list:?}"),
            format!("Bound {{ type: \"list\", ptr: {address} }}")
        );
        assert_eq!(
            format!("{:?}", list.as_borrowed()),
            format!("Borrowed {{ type: \"list\", ptr: {address} }}")
        );
        let stored = list.clone_ref().unbind();
        assert_eq!(
            format!("{stored:?}"),
            format!("Py {{ type: \"list\", ptr: {address} }}")
        );
        let detached = py.detach(|| format!("{stored:?}"));
        assert_eq!(detached, format!("Py {{ type: <detached>, ptr: {address} }}"));
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

//! A `PyErr` that is discarded (`.ok()`, `unwrap_or_default`, `if let Ok`)
//! must not leave its exception behind (issue 12, item 4): the error owns
//! its exception, and dropping it releases the exception, as
//! `except Exception: pass` does. Before that design, each function below
//! returned `Ok` with the `AttributeError` still set, and the caller got
//! `SystemError: <built-in function ...> returned a result with an
//! exception set`.

use tutorial::prelude::*;
use tutorial_embed::doctest;

/// `getattr(obj, name, default)` written with `.ok()`.
fn ok_discards<'py>(
    _module: &Bound<'py, PyModule>,
    obj: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    Ok(obj.getattr("missing").ok().unwrap_or_else(|| py.None().to_owned()))
}

/// The type's name or `""`, with `unwrap_or_default` on a failed call.
fn default_discards(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<String> {
    Ok(obj
        .getattr("missing")
        .and_then(|a| a.extract::<String>())
        .unwrap_or_default())
}

/// A discarded error, then more calls into Python: they must run with no
/// exception set (a debug interpreter asserts that many of them do).
fn then_calls_python(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<String> {
    if let Ok(value) = obj.getattr("missing") {
        return value.extract();
    }
    obj.get_type().name()
}

/// Replacing an error with another: the first is dropped after the second
/// is made, and must not take the second with it.
fn replaces(_module: &Bound<'_, PyModule>, obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = obj.py();
    match obj.getattr("missing") {
        Ok(_) => Ok(()),
        Err(_) => Err(exceptions::ValueError::new_err(py, "replaced")),
    }
}

/// What only `unsafe` code can do: leave an exception set and return `Ok`.
fn raw_stale(_module: &Bound<'_, PyModule>) -> PyResult<i64> {
    // SAFETY: attached (a module function); the arguments are a live
    // exception type and a NUL-terminated string.
    unsafe {
        tutorial::ffi::PyErr_SetString(
            tutorial::ffi::PyExc_KeyError,
            c"left".as_ptr(),
        )
    };
    Ok(1)
}

tutorial::module! {
    name: stale,
    doc: "Discarded errors.",
    methods: [
        tutorial::meth_o!(ok_discards(obj), ""),
        tutorial::meth_o!(default_discards(obj), ""),
        tutorial::meth_o!(then_calls_python(obj), ""),
        tutorial::meth_o!(replaces(obj), ""),
        tutorial::meth_noargs!(raw_stale, ""),
    ],
}

#[test]
fn a_discarded_error_leaves_no_exception_set() {
    doctest(
        &[("stale", stale::init)],
        r#"
>>> import stale
>>> print(stale.ok_discards(object()))
None
>>> stale.default_discards(object())
''
>>> stale.then_calls_python(3)
'int'
>>> stale.replaces(object())
Traceback (most recent call last):
  ...
ValueError: replaced
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
// The trampoline's check of `Ok` is made in debug builds only; a release
// build leaves it to CPython (`returned a result with an exception set`).
#[cfg_attr(not(debug_assertions), ignore = "the Ok check is a debug-build check")]
fn an_ok_with_an_exception_left_by_unsafe_code_is_a_system_error() {
    doctest(
        &[("stale", stale::init)],
        r#"
>>> import stale
>>> try:
...     stale.raw_stale()
... except SystemError as e:
...     print(e, "|", repr(e.__context__))
Rust function returned Ok with an exception set | KeyError('left')
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_discarded_error_can_be_dropped_by_value_in_any_order() {
    // Nothing panics inside `attach` (that would leave the thread attached
    // for the other tests): the facts are collected, then checked.
    let (left_set, text) = tutorial_embed::attach(&[], |py| {
        let first = py.None().getattr("a").unwrap_err();
        let second = py.None().getattr("b").unwrap_err();
        drop(first);
        let left_set = PyErr::occurred(py);
        let text = second.take(py).str().and_then(|s| s.extract::<String>());
        (left_set, text.unwrap_or_else(|e| format!("{e:?}")))
    });
    assert!(!left_set, "an error's exception was left set");
    assert!(text.contains("'b'"), "{text}");
}

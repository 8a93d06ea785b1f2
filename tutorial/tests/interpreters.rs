//! A `Py` or a `PyErr` used outside its interpreter (issue 12,
//! subinterpreters). Safe code can keep a `Py` in a `static` (here
//! `STASH`) or a `PyErr` in a `thread_local!`, and another interpreter's
//! call can then reach it. With a GIL per interpreter (3.12+) that is a
//! data race, and a decref there frees the object into the wrong
//! interpreter's allocator. Each handle records its interpreter: `bind` and
//! `take` elsewhere panic (a `SystemError` in Python), a drop elsewhere
//! leaks, counted, and the object's count is not touched. Before the
//! handles recorded it, `get()` below returned the subinterpreter's object
//! in the main interpreter and `drop_stash()` decref'd it there.

use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard, PoisonError};
use tutorial::prelude::*;
use tutorial_embed::doctest;

/// One reference, for whichever interpreter calls next.
static STASH: Mutex<Option<Py<PyAny>>> = Mutex::new(None);

/// The stash, locked; `get()`'s panic while it holds the lock poisons it,
/// which the next call ignores.
fn stash() -> MutexGuard<'static, Option<Py<PyAny>>> {
    STASH.lock().unwrap_or_else(PoisonError::into_inner)
}

std::thread_local! {
    /// One error, for whichever interpreter this thread runs next.
    static ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// `put(obj)`: keeps a new reference to `obj` in the `static`.
fn put(_module: &Bound<'_, PyModule>, obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let old = stash().replace(obj.clone_ref().unbind());
    drop(old);
    Ok(())
}

/// `get()`: the object in the `static`, bound to the calling interpreter.
fn get<'py>(module: &Bound<'py, PyModule>) -> PyResult<Bound<'py, PyAny>> {
    let py = module.py();
    let stash = stash();
    let obj = stash.as_ref().expect("put() first");
    Ok(obj.bind(py).clone_ref())
}

/// `drop_stash()`: drops the `Py` in the `static`, in the calling
/// interpreter.
fn drop_stash(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    let taken = stash().take();
    drop(taken);
    Ok(())
}

/// `keep_error()`: makes a `ValueError` and keeps it in the thread-local.
fn keep_error(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let err = tutorial::exceptions::ValueError::new_err(module.py(), "kept");
    ERROR.with_borrow_mut(|e| *e = Some(err));
    Ok(())
}

/// `raise_kept()`: raises the error in the thread-local.
fn raise_kept(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let _ = module;
    match ERROR.with_borrow_mut(Option::take) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// `leaked()`: how many references the safe layer has leaked so far.
fn leaked(_module: &Bound<'_, PyModule>) -> PyResult<usize> {
    Ok(Python::leaked_references())
}

tutorial::module! {
    name: stash,
    doc: "",
    methods: [
        tutorial::meth_o!(put(obj), ""),
        tutorial::meth_noargs!(get, ""),
        tutorial::meth_noargs!(drop_stash, ""),
        tutorial::meth_noargs!(keep_error, ""),
        tutorial::meth_noargs!(raise_kept, ""),
        tutorial::meth_noargs!(leaked, ""),
    ],
}

/// Makes a subinterpreter (with its own GIL from 3.12; sharing the main
/// one's on 3.11, where nothing else exists), and `run(code)` runs code in
/// it. The subinterpreter's results come back through a file, the channel
/// that works the same from 3.11 to 3.15.
const SETUP: &str = r#"
>>> import os, stash, sys, tempfile
>>> try:
...     import _interpreters as I                       # 3.13+
...     sub = I.create(I.new_config("isolated"))
... except ImportError:
...     import _xxsubinterpreters as I                  # 3.11, 3.12
...     sub = I.create(isolated=True) if sys.version_info >= (3, 12) else I.create()
>>> out = tempfile.mktemp()
>>> def run(code):
...     I.run_string(sub, code.replace("OUT", repr(out)))
...     with open(out) as f:
...         return f.read()
"#;

#[test]
fn a_py_is_used_and_released_only_in_its_own_interpreter() {
    let session = format!(
        "{SETUP}{}",
        r#"
>>> run("import stash, sys\no = object()\nstash.put(o)\nbase = sys.getrefcount(o)\n"
...     "open(OUT, 'w').write(str(stash.get() is o))")
'True'
>>> leaked = stash.leaked()
>>> try:
...     stash.get()
... except SystemError as e:
...     print(str(e).replace(str(int(sub)), "N"))
Rust panic: a Py of interpreter N used in interpreter 0
>>> stash.drop_stash()                 # in the main interpreter: leaked
>>> stash.leaked() - leaked
1
>>> run("open(OUT, 'w').write(str(sys.getrefcount(o) - base))")
'0'
>>> I.destroy(sub); os.remove(out)
"#
    );
    doctest(&[("stash", stash::init)], &session)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_pyerr_is_raised_and_released_only_in_its_own_interpreter() {
    let session = format!(
        "{SETUP}{}",
        r#"
>>> run("import stash\nstash.keep_error()\nopen(OUT, 'w').write('kept')")
'kept'
>>> leaked = stash.leaked()
>>> try:
...     stash.raise_kept()             # the subinterpreter's error, here
... except SystemError as e:
...     print(str(e).replace(str(int(sub)), "N"))
a PyErr of interpreter N raised in interpreter 0
>>> stash.leaked() - leaked            # not raised here: leaked
1
>>> stash.keep_error(); stash.raise_kept()
Traceback (most recent call last):
  ...
ValueError: kept
>>> I.destroy(sub); os.remove(out)
"#
    );
    doctest(&[("stash", stash::init)], &session)
        .unwrap_or_else(|report| panic!("{report}"));
}

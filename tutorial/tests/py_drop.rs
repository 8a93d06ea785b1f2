//! A `Py` dropped on a thread with no attached thread state is never
//! decref'd there (issue 12, item 2). `Py::drop` used to ask
//! `PyGILState_Check()`, which answers 1 on a detached thread once any
//! subinterpreter exists, and so released the reference inside `detach`,
//! without a thread state. Now it asks for the thread state itself, and a
//! reference it cannot release is leaked, with a line on stderr.

use tutorial::prelude::*;
use tutorial_embed::doctest;

/// `drop_detached(obj)`: a new `Py` to `obj`, dropped inside `detach`.
fn drop_detached(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let owned = obj.clone_ref().unbind();
    obj.py().detach(move || drop(owned));
    Ok(())
}

/// `leaked()`: how many references the safe layer has leaked so far.
fn leaked(_module: &Bound<'_, PyModule>) -> PyResult<usize> {
    Ok(Python::leaked_references())
}

tutorial::module! {
    name: drops,
    doc: "",
    methods: [
        tutorial::meth_o!(drop_detached(obj), ""),
        tutorial::meth_noargs!(leaked, ""),
    ],
}

#[test]
fn a_py_dropped_while_detached_is_leaked_not_decrefd() {
    doctest(
        &[("drops", drops::init)],
        r#"
>>> import drops, sys
>>> try:
...     import _interpreters as interpreters        # 3.13+
... except ImportError:
...     import _xxsubinterpreters as interpreters   # 3.11, 3.12
>>> sub = interpreters.create()   # PyGILState_Check() now always says 1
>>> o = object(); refs = sys.getrefcount(o); leaked = drops.leaked()
>>> drops.drop_detached(o)
>>> sys.getrefcount(o) - refs, drops.leaked() - leaked
(1, 1)
>>> interpreters.destroy(sub)
>>> drops.drop_detached(o)        # the same with no subinterpreter
>>> sys.getrefcount(o) - refs, drops.leaked() - leaked
(2, 2)
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

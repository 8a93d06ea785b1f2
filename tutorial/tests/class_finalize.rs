//! `PyClass::FINALIZE`: the finalizer (`tp_finalize`) runs once, before
//! the teardown, when the count drops to zero, in a cycle the collector
//! frees, and for Python subclasses; its errors (and panics) go to
//! `sys.unraisablehook`, and an exception set when it runs is kept.

use tutorial::class::{Class, ObjectBase, PyClass};
use tutorial::module::TraverseError;
use tutorial::prelude::*;
use tutorial_embed::doctest;

/// Calls `on_close(self)` when finalized; can hold one more object, to
/// make cycles.
struct Resource {
    on_close: Option<Py<PyAny>>,
    held: Option<Py<PyAny>>,
}

impl PyClass for Resource {
    type Base = ObjectBase;
    const FINALIZE: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Resource { on_close: None, held: None })
    }
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        self.on_close.iter().chain(&self.held).try_for_each(|obj| visit.call(obj))
    }
    fn clear(&mut self) {
        self.on_close = None;
        self.held = None;
    }
    fn finalize(slf: &Bound<'_, Class<Self>>) -> PyResult<()> {
        let py = slf.py();
        let on_close =
            slf.with(|this| this.on_close.as_ref().map(|f| f.clone_ref(py)))?;
        if let Some(on_close) = on_close {
            on_close.bind(py).call(&[slf.as_any()])?;
        }
        Ok(())
    }
}

fn init(
    slf: &Bound<'_, Class<Resource>>,
    on_close: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let on_close = on_close.clone_ref().unbind();
    let old = slf.with_mut(|this| this.on_close.replace(on_close))?;
    drop(old);
    Ok(())
}

fn hold(slf: &Bound<'_, Class<Resource>>, obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let old = slf.with_mut(|this| this.held.replace(obj.clone_ref().unbind()))?;
    drop(old);
    Ok(())
}

tutorial::class! {
    type: Resource,
    name: "fin.Resource",
    doc: "Calls on_close(self) when finalized.",
    init: init(on_close),
    methods: [hold(obj, /): "Hold obj (to make a cycle)."],
    getset: [],
}

/// A finalizer that panics.
struct Panicky;

impl PyClass for Panicky {
    type Base = ObjectBase;
    const FINALIZE: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Panicky)
    }
    fn finalize(_slf: &Bound<'_, Class<Self>>) -> PyResult<()> {
        panic!("finalizer bug")
    }
}

tutorial::class! {
    type: Panicky,
    name: "fin.Panicky",
    doc: "Its finalizer panics.",
    methods: [],
    getset: [],
}

struct FinState {
    types: [tutorial::class::TypeState; 2],
}

impl tutorial::ModuleState for FinState {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        self.types.iter().try_for_each(|t| visit.call(&t.ty))
    }
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<FinState> {
    Ok(FinState {
        types: [
            tutorial::class::add_type::<Resource>(module, "Resource")?,
            tutorial::class::add_type::<Panicky>(module, "Panicky")?,
        ],
    })
}

/// Makes a Resource, sets ValueError on the thread, then drops the
/// Resource: its finalizer runs with the ValueError set, which must still
/// be there after it (else `already_set` makes a `SystemError`).
fn fail_while_dropping<'py>(
    module: &Bound<'py, PyModule>,
    on_close: &Bound<'py, PyAny>,
) -> PyResult<()> {
    let py = module.py();
    let resource = module.as_any().getattr("Resource")?.call(&[on_close])?;
    exceptions::ValueError::new_err(py, "outer").restore(py);
    drop(resource);
    Err(PyErr::already_set(py))
}

tutorial::module! {
    name: fin,
    doc: "Types with finalizers.",
    state: FinState,
    exec: exec,
    methods: [tutorial::meth_o!(fail_while_dropping(on_close), "See the test.")],
}

fn run(session: &str) {
    doctest(&[("fin", fin::init)], session)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn finalizer_runs_once_even_when_it_resurrects_the_object() {
    run(r#"
>>> import fin
>>> calls, keep = [], []
>>> def on_close(obj):
...     calls.append(type(obj).__name__)
...     keep.append(obj)
>>> r = fin.Resource(on_close)
>>> del r
>>> calls, len(keep)
(['Resource'], 1)
>>> keep.clear()
>>> calls
['Resource']
"#);
}

#[test]
fn finalizer_error_goes_to_unraisablehook_and_an_earlier_exception_survives() {
    run(r#"
>>> import fin, sys
>>> seen = []
>>> def hook(u):
...     seen.append((type(u.exc_value).__name__, str(u.exc_value), type(u.object).__name__))
>>> def fail(obj):
...     raise KeyError("close failed")
>>> sys.unraisablehook = hook
>>> try:
...     r = fin.Resource(fail)
...     del r
...     fin.fail_while_dropping(fail)
... except ValueError as e:
...     print("raised:", e)
... finally:
...     sys.unraisablehook = sys.__unraisablehook__
raised: outer
>>> seen
[('KeyError', "'close failed'", 'Resource'), ('KeyError', "'close failed'", 'Resource')]
"#);
}

#[test]
fn finalizer_panic_is_reported_as_unraisable_system_error() {
    run(r#"
>>> import fin, sys
>>> seen = []
>>> sys.unraisablehook = lambda u: seen.append((type(u.exc_value).__name__, str(u.exc_value)))
>>> try:
...     del_me = fin.Panicky()
...     del del_me
... finally:
...     sys.unraisablehook = sys.__unraisablehook__
>>> seen
[('SystemError', 'Rust panic: finalizer bug')]
"#);
}

#[test]
fn finalizers_run_when_the_collector_frees_a_cycle() {
    run(r#"
>>> import fin, gc
>>> calls = []
>>> a = fin.Resource(lambda obj: calls.append("a"))
>>> b = fin.Resource(lambda obj: calls.append("b"))
>>> a.hold(b); b.hold(a)
>>> del a, b
>>> calls
[]
>>> _ = gc.collect()
>>> sorted(calls)
['a', 'b']
"#);
}

#[test]
fn python_subclasses_finalize_once_and_reach_it_with_super() {
    run(r#"
>>> import fin
>>> calls = []
>>> class Sub(fin.Resource):
...     pass
>>> s = Sub(lambda obj: calls.append(type(obj).__name__))
>>> del s
>>> calls
['Sub']
>>> class Del(fin.Resource):
...     def __del__(self):
...         calls.append("Del.__del__")
...         super().__del__()
>>> d = Del(lambda obj: calls.append("finalize"))
>>> del d
>>> calls
['Sub', 'Del.__del__', 'finalize']
"#);
}

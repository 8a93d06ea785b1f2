//! `cls: defining_class` methods (`METH_METHOD`, PEP 573): the method gets
//! the class that defines it, and through it its own module's state, for
//! an instance of a Python subclass too, and with two module objects made
//! from one definition; `type(self)` would not do.

use std::sync::atomic::{AtomicUsize, Ordering};
use tutorial::class::{Class, ObjectBase, PyClass, get_module};
use tutorial::module::TraverseError;
use tutorial::prelude::*;
use tutorial_embed::doctest;

struct Counter;

impl PyClass for Counter {
    type Base = ObjectBase;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Counter)
    }
}

/// The module's state: the type, and how many hits its methods counted.
struct CounterState {
    ty: Py<PyType>,
    hits: AtomicUsize,
}

impl tutorial::ModuleState for CounterState {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        visit.call(&self.ty)
    }
}

/// Adds `n` to the defining class's module's count, and returns it.
fn add<'py>(
    _slf: &Bound<'py, Class<Counter>>,
    cls: &Bound<'py, PyType>,
    n: usize,
) -> PyResult<usize> {
    let module = get_module(cls)?;
    let state = tutorial::module::state::<CounterState>(&module)?;
    Ok(state.hits.fetch_add(n, Ordering::SeqCst) + n)
}

/// `add(1)`, with no parameter but the defining class.
fn hit<'py>(
    slf: &Bound<'py, Class<Counter>>,
    cls: &Bound<'py, PyType>,
) -> PyResult<usize> {
    add(slf, cls, 1)
}

/// The module of `type(self)`: what a method must not rely on.
fn own_type_module<'py>(
    slf: &Bound<'py, Class<Counter>>,
) -> PyResult<Bound<'py, PyModule>> {
    get_module(&slf.as_any().get_type())
}

tutorial::class! {
    type: Counter,
    name: "dc.Counter",
    doc: "Counts in its module's state.",
    methods: [
        hit(cls: defining_class): "Count one hit in the defining module.",
        add(cls: defining_class, /, n = 1): "Count n hits in the defining module.",
        own_type_module(): "The module of type(self).",
    ],
    getset: [],
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<CounterState> {
    let ty = tutorial::class::create_type::<Counter>(module)?;
    module.add("Counter", &ty)?;
    Ok(CounterState { ty: ty.unbind(), hits: AtomicUsize::new(0) })
}

fn hits(module: &Bound<'_, PyModule>) -> PyResult<usize> {
    Ok(tutorial::module::state::<CounterState>(module)?.hits.load(Ordering::SeqCst))
}

tutorial::module! {
    name: dc,
    doc: "Methods that receive their defining class.",
    state: CounterState,
    exec: exec,
    methods: [tutorial::meth_noargs!(hits, "Hits counted in this module.")],
}

fn run(session: &str) {
    doctest(&[("dc", dc::init)], session)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn method_finds_its_defining_module_for_subclass_instances_and_each_module_object()
{
    run(r#"
>>> import dc, importlib.util
>>> again = importlib.util.module_from_spec(dc.__spec__)
>>> dc.__spec__.loader.exec_module(again)
>>> a, b = dc.Counter(), again.Counter()
>>> a.hit(), a.hit(), b.hit(), a.add(n=10)
(1, 2, 1, 12)
>>> dc.hits(), again.hits()
(12, 1)
>>> class Sub(again.Counter):
...     pass
>>> Sub().hit(), Sub().add(5), again.hits(), dc.hits()
(2, 7, 7, 12)
>>> Sub().own_type_module()
Traceback (most recent call last):
  ...
TypeError: PyType_GetModule: Type 'Sub' has no associated module
>>> a.own_type_module() is dc
True
"#);
}

#[test]
fn defining_class_methods_parse_arguments_as_clinic_does() {
    run(r#"
>>> import dc, inspect
>>> c = dc.Counter()
>>> inspect.signature(dc.Counter.hit), inspect.signature(dc.Counter.add)
(<Signature (self, /)>, <Signature (self, /, n=1)>)
>>> c.hit(1)
Traceback (most recent call last):
  ...
TypeError: hit() takes no arguments
>>> c.hit(x=1)
Traceback (most recent call last):
  ...
TypeError: hit() takes no arguments
>>> c.add(1, 2)
Traceback (most recent call last):
  ...
TypeError: add() takes at most 1 argument (2 given)
>>> dc.Counter.add(object())
Traceback (most recent call last):
  ...
TypeError: descriptor 'add' for 'dc.Counter' objects doesn't apply to a 'object' object
"#);
}

//! `PyClass::WEAKREF`: weak references to `class!` objects, their callbacks,
//! the order of the teardown (callbacks before the value's `Drop`), Python
//! subclasses, a type in the collector, and the `TypeError` of a type
//! without the option.

use std::sync::atomic::{AtomicUsize, Ordering};
use tutorial::class::{ObjectBase, PyClass, add_type};
use tutorial::prelude::*;
use tutorial_embed::doctest;

/// How many `Target` values were dropped: the callbacks compare it with
/// what they saw, to prove they ran first. Only one test makes `Target`s.
static TARGET_DROPS: AtomicUsize = AtomicUsize::new(0);

struct Target;

impl Drop for Target {
    fn drop(&mut self) {
        TARGET_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

impl PyClass for Target {
    type Base = ObjectBase;
    const WEAKREF: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Target)
    }
}

tutorial::class! {
    type: Target,
    name: "weak.Target",
    doc: "Weakly referenceable.",
    methods: [],
    getset: [],
}

/// Weakly referenceable and in the collector, holding one object.
struct Holder {
    item: Option<Py<PyAny>>,
}

impl PyClass for Holder {
    type Base = ObjectBase;
    const GC: bool = true;
    const WEAKREF: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Holder { item: None })
    }
    fn traverse(
        &self,
        visit: &mut Visit<'_>,
    ) -> Result<(), tutorial::module::TraverseError> {
        match &self.item {
            Some(item) => visit.call(item),
            None => Ok(()),
        }
    }
    fn clear(&mut self) {
        self.item = None;
    }
}

fn set_item(
    slf: &Bound<'_, tutorial::class::Class<Holder>>,
    item: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let old = slf.with_mut(|this| this.item.replace(item.clone_ref().unbind()))?;
    drop(old);
    Ok(())
}

tutorial::class! {
    type: Holder,
    name: "weak.Holder",
    doc: "Weakly referenceable, in the collector.",
    methods: [set_item(item, /): "Hold item."],
    getset: [],
}

/// Not weakly referenceable: the default.
struct Plain;

impl PyClass for Plain {
    type Base = ObjectBase;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Plain)
    }
}

tutorial::class! {
    type: Plain,
    name: "weak.Plain",
    doc: "Not weakly referenceable.",
    methods: [],
    getset: [],
}

struct WeakState {
    types: [tutorial::class::TypeState; 3],
}

impl tutorial::ModuleState for WeakState {
    fn traverse(
        &self,
        visit: &mut Visit<'_>,
    ) -> Result<(), tutorial::module::TraverseError> {
        self.types.iter().try_for_each(|t| visit.call(&t.ty))
    }
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<WeakState> {
    Ok(WeakState {
        types: [
            add_type::<Target>(module, "Target")?,
            add_type::<Holder>(module, "Holder")?,
            add_type::<Plain>(module, "Plain")?,
        ],
    })
}

fn target_drops(_module: &Bound<'_, PyModule>) -> PyResult<usize> {
    Ok(TARGET_DROPS.load(Ordering::SeqCst))
}

tutorial::module! {
    name: weak,
    doc: "Weakly referenceable types.",
    state: WeakState,
    exec: exec,
    methods: [tutorial::meth_noargs!(target_drops, "Target values dropped so far.")],
}

fn run(session: &str) {
    doctest(&[("weak", weak::init)], session)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn weak_reference_dies_with_the_object_and_its_callback_runs_before_drop() {
    run(r#"
>>> import weak, weakref
>>> t = weak.Target()
>>> r = weakref.ref(t)
>>> r() is t
True
>>> before = weak.target_drops()
>>> seen = []
>>> r2 = weakref.ref(t, lambda ref: seen.append(weak.target_drops() - before))
>>> weakref.getweakrefcount(t)
2
>>> del t
>>> r() is None, seen
(True, [0])
>>> weak.target_drops() - before
1
>>> p = weakref.proxy(weak.Target())
>>> p.anything
Traceback (most recent call last):
  ...
ReferenceError: weakly-referenced object no longer exists
"#);
}

#[test]
fn python_subclass_of_a_weakref_type_is_weakly_referenceable() {
    run(r#"
>>> import weak, weakref
>>> class Sub(weak.Holder):
...     pass
>>> s = Sub()
>>> seen = []
>>> r = weakref.ref(s, lambda ref: seen.append("gone"))
>>> r() is s, isinstance(r(), weak.Holder)
(True, True)
>>> d = weakref.WeakValueDictionary({"s": s})
>>> del s
>>> r() is None, seen, len(d)
(True, ['gone'], 0)
"#);
}

#[test]
fn weak_reference_callback_runs_when_the_collector_frees_a_cycle() {
    run(r#"
>>> import gc, weak, weakref
>>> a, b = weak.Holder(), weak.Holder()
>>> a.set_item(b); b.set_item(a)
>>> seen = []
>>> r = weakref.ref(a, lambda ref: seen.append("a"))
>>> del a, b
>>> _ = gc.collect()
>>> r() is None, seen
(True, ['a'])
"#);
}

#[test]
fn type_without_weakref_refuses_weak_references() {
    run(r#"
>>> import weak, weakref
>>> weakref.ref(weak.Plain())
Traceback (most recent call last):
  ...
TypeError: cannot create weak reference to 'weak.Plain' object
>>> class Sub(weak.Plain):
...     pass
>>> weakref.ref(Sub()) is not None
True
"#);
}

//! The last step of CPython's type tutorial (`sublist.c`), in Rust:
//! `SubList` extends the built-in `list` with a counter and an
//! `increment()` method.

use tutorial::class::{Class, ListBase, PyClass, TypeState, add_type};
use tutorial::prelude::*;

// ANCHOR: type
/// The Rust value after the `PyListObject` of each `sublist.SubList`.
pub struct SubList {
    state: i64,
}

impl PyClass for SubList {
    /// The instances start with a whole `PyListObject`: every list
    /// function works on them, and `list.__init__` fills them.
    type Base = ListBase;
    /// A list holds objects, so it takes part in the collector; the base's
    /// own traverse and clear are called too.
    const GC: bool = true;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(SubList { state: 0 })
    }
}
// ANCHOR_END: type

/// `increment()`: add one to the counter and return it.
fn increment(slf: &Bound<'_, Class<SubList>>) -> PyResult<i64> {
    slf.with_mut(|this| {
        this.state += 1;
        this.state
    })
}

/// The counter, read-only.
fn get_state(slf: &Bound<'_, Class<SubList>>) -> PyResult<i64> {
    slf.with(|this| this.state)
}

tutorial::class! {
    type: SubList,
    name: "sublist.SubList",
    doc: "SubList objects",
    methods: [increment(): "Increment the state counter"],
    getset: [state: { get: get_state, doc: "the state counter" }],
}

/// Creates the type and keeps it in the module's state.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<TypeState> {
    add_type::<SubList>(module, "SubList")
}

tutorial::module! {
    name: sublist,
    doc: "Example module that creates an extension type that extends list.",
    state: TypeState,
    exec: exec,
    methods: [],
}

#[cfg(test)]
mod tests {
    #[test]
    fn sublist_is_a_list_with_a_counter() {
        tutorial_embed::doctest(
            &[("sublist", super::sublist::init)],
            r#"
>>> import sublist
>>> s = sublist.SubList(range(3))
>>> s, isinstance(s, list), len(s)
([0, 1, 2], True, 3)
>>> s.increment(), s.increment(), s.state
(1, 2, 2)
>>> s.append(s); s[-1] is s
True
>>> import gc, weakref
>>> class Sub(sublist.SubList): pass
>>> t = Sub([1]); t.increment()
1
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

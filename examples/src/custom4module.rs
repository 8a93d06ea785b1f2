//! Step 4 of CPython's type tutorial (`custom4.c`), in Rust: `Custom` takes
//! part in the cyclic garbage collector. A `str` subclass can hold any
//! attribute, so `c.first` can lead back to `c`: a cycle that reference
//! counting alone never frees.

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, add_type};
use tutorial::module::TraverseError;
use tutorial::prelude::*;

/// The Rust value inside each `custom4.Custom` object. The names are
/// `Option`s only so that `clear` can drop them to break a cycle.
pub struct Custom {
    first: Option<Py<PyStr>>,
    last: Option<Py<PyStr>>,
    number: i32,
}

// ANCHOR: gc
impl PyClass for Custom {
    type Base = ObjectBase;
    const GC: bool = true;

    fn new(py: Python<'_>) -> PyResult<Self> {
        let empty = PyStr::new(py, "")?;
        Ok(Custom {
            first: Some(empty.clone_ref().unbind()),
            last: Some(empty.unbind()),
            number: 0,
        })
    }

    /// `tp_traverse`: every object this value holds (`Py_VISIT`).
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        if let Some(first) = &self.first {
            visit.call(first)?;
        }
        if let Some(last) = &self.last {
            visit.call(last)?;
        }
        Ok(())
    }

    /// `tp_clear`: drop them, to break a cycle (`Py_CLEAR`).
    fn clear(&mut self) {
        self.first = None;
        self.last = None;
    }
}
// ANCHOR_END: gc

fn init(
    slf: &Bound<'_, Class<Custom>>,
    first: Option<&Bound<'_, PyAny>>,
    last: Option<&Bound<'_, PyAny>>,
    number: i32,
) -> PyResult<()> {
    if let Some(first) = first {
        set_first(slf, Some(first))?;
    }
    if let Some(last) = last {
        set_last(slf, Some(last))?;
    }
    slf.with_mut(|this| this.number = number)
}

fn checked_name<'py>(
    which: &str,
    value: Option<&Bound<'py, PyAny>>,
    py: Python<'py>,
) -> PyResult<Py<PyStr>> {
    let Some(value) = value else {
        return Err(exceptions::TypeError::new_err(
            py,
            &format!("Cannot delete the {which} attribute"),
        ));
    };
    if !value.is_instance_of::<PyStr>() {
        let msg = format!("The {which} attribute value must be a string");
        return Err(exceptions::TypeError::new_err(py, &msg));
    }
    Ok(value.clone_ref().downcast_into::<PyStr>()?.unbind())
}

fn set_first(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = checked_name("first", value, slf.py())?;
    let old = slf.with_mut(|this| this.first.replace(new))?;
    drop(old);
    Ok(())
}

fn set_last(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = checked_name("last", value, slf.py())?;
    let old = slf.with_mut(|this| this.last.replace(new))?;
    drop(old);
    Ok(())
}

/// A name, or `""` if a collection cleared it (the object is then garbage,
/// but a finaliser could still look at it).
fn name_or_empty<'py>(
    py: Python<'py>,
    name: &Option<Py<PyStr>>,
) -> PyResult<Bound<'py, PyStr>> {
    match name {
        Some(name) => Ok(name.bind(py).clone_ref()),
        None => PyStr::new(py, ""),
    }
}

fn get_first<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyStr>> {
    slf.with(|this| name_or_empty(slf.py(), &this.first))?
}

fn get_last<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyStr>> {
    slf.with(|this| name_or_empty(slf.py(), &this.last))?
}

fn get_number(slf: &Bound<'_, Class<Custom>>) -> PyResult<i64> {
    slf.with(|this| i64::from(this.number))
}

fn set_number(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let Some(value) = value else {
        return Err(exceptions::TypeError::new_err(
            slf.py(),
            "can't delete numeric/char attribute",
        ));
    };
    let number = value.extract()?;
    slf.with_mut(|this| this.number = number)
}

fn name(slf: &Bound<'_, Class<Custom>>) -> PyResult<String> {
    let (first, last) = (get_first(slf)?, get_last(slf)?);
    Ok(format!("{} {}", first.to_str()?, last.to_str()?))
}

tutorial::class! {
    type: Custom,
    name: "custom4.Custom",
    doc: "Custom objects",
    init: init(first = None, last = None, number = 0),
    methods: [name(): "Return the name, combining the first and last name"],
    getset: [
        first: { get: get_first, set: set_first, doc: "first name" },
        last: { get: get_last, set: set_last, doc: "last name" },
        number: { get: get_number, set: set_number, doc: "custom number" },
    ],
}

/// Creates the type and keeps it in the module's state.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<TypeState> {
    add_type::<Custom>(module, "Custom")
}

tutorial::module! {
    name: custom4,
    doc: "Example module that creates an extension type.",
    state: TypeState,
    exec: exec,
    methods: [],
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cycle_through_custom_is_collected() {
        tutorial_embed::doctest(
            &[("custom4", super::custom4::init)],
            r#"
>>> import custom4, gc
>>> freed = []
>>> class Name(str):
...     def __del__(self): freed.append(str(self))
>>> c = custom4.Custom(Name("Alan"), "Turing")
>>> c.first.owner = c          # c -> first -> c: a cycle
>>> gc.is_tracked(c), c.name()
(True, 'Alan Turing')
>>> del c
>>> freed                      # reference counting alone cannot free it
[]
>>> gc.collect() > 0, freed
(True, ['Alan'])
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

//! Step 3 of CPython's type tutorial (`custom3.c`), in Rust: `first` and
//! `last` are always strings. Their setters check the type and refuse
//! deletion, so `name()` cannot fail, and `__init__` takes `str` only.

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, add_type};
use tutorial::prelude::*;

/// The Rust value inside each `custom3.Custom` object: never a missing name.
pub struct Custom {
    first: Py<PyStr>,
    last: Py<PyStr>,
    number: i32,
}

impl PyClass for Custom {
    type Base = ObjectBase;

    fn new(py: Python<'_>) -> PyResult<Self> {
        let empty = PyStr::new(py, "")?;
        Ok(Custom {
            first: empty.clone_ref().unbind(),
            last: empty.unbind(),
            number: 0,
        })
    }
}

/// `Custom(first="", last="", number=0)`, names as `str` only.
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

// ANCHOR: setter
/// Checks a new name: no deletion, `str` only (the C tutorial's messages).
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
    let old = slf.with_mut(|this| std::mem::replace(&mut this.first, new))?;
    drop(old); // released after the borrow ends
    Ok(())
}
// ANCHOR_END: setter

fn set_last(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = checked_name("last", value, slf.py())?;
    let old = slf.with_mut(|this| std::mem::replace(&mut this.last, new))?;
    drop(old);
    Ok(())
}

fn get_first<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyStr>> {
    slf.with(|this| this.first.bind(slf.py()).clone_ref())
}

fn get_last<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyStr>> {
    slf.with(|this| this.last.bind(slf.py()).clone_ref())
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

/// `name()`: cannot fail now that both names are always strings.
fn name(slf: &Bound<'_, Class<Custom>>) -> PyResult<String> {
    let py = slf.py();
    slf.with(|this| {
        let (first, last) = (this.first.bind(py), this.last.bind(py));
        Ok(format!("{} {}", first.to_str()?, last.to_str()?))
    })?
}

tutorial::class! {
    type: Custom,
    name: "custom3.Custom",
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
    name: custom3,
    doc: "Example module that creates an extension type.",
    state: TypeState,
    exec: exec,
    methods: [],
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_always_strings() {
        tutorial_embed::doctest(
            &[("custom3", super::custom3::init)],
            r#"
>>> import custom3
>>> c = custom3.Custom("Grace", "Hopper")
>>> c.name(), c.number
('Grace Hopper', 0)
>>> c.first = 1
Traceback (most recent call last):
  ...
TypeError: The first attribute value must be a string
>>> del c.last
Traceback (most recent call last):
  ...
TypeError: Cannot delete the last attribute
>>> custom3.Custom(first=b"x")
Traceback (most recent call last):
  ...
TypeError: The first attribute value must be a string
>>> c.first = "Rear Admiral Grace"; c.name()
'Rear Admiral Grace Hopper'
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

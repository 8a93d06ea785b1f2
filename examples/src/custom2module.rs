//! Step 2 of CPython's type tutorial (`custom2.c`), in Rust: `Custom` has
//! `first`, `last` and `number` attributes, an `__init__` that sets them,
//! and a `name()` method.

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, add_type};
use tutorial::prelude::*;

/// The Rust value inside each `custom2.Custom` object.
pub struct Custom {
    /// `None` after `del obj.first` (a `T_OBJECT_EX` member in the C).
    first: Option<Py<PyAny>>,
    last: Option<Py<PyAny>>,
    number: i32,
}

impl PyClass for Custom {
    type Base = ObjectBase;

    /// `tp_new`: empty names, number 0, before `__init__` runs.
    fn new(py: Python<'_>) -> PyResult<Self> {
        let empty = PyStr::new(py, "")?.into_any();
        Ok(Custom {
            first: Some(empty.clone_ref().unbind()),
            last: Some(empty.unbind()),
            number: 0,
        })
    }
}

// ANCHOR: init
/// `Custom(first=..., last=..., number=0)`: any objects for the names.
fn init(
    slf: &Bound<'_, Class<Custom>>,
    first: Option<&Bound<'_, PyAny>>,
    last: Option<&Bound<'_, PyAny>>,
    number: i32,
) -> PyResult<()> {
    // Take what is replaced out of the object before it is released: its
    // __del__ could run Python code that looks at this object.
    let old = slf.with_mut(|this| {
        let old_first = match first {
            Some(first) => this.first.replace(first.clone_ref().unbind()),
            None => None,
        };
        let old_last = match last {
            Some(last) => this.last.replace(last.clone_ref().unbind()),
            None => None,
        };
        this.number = number;
        (old_first, old_last)
    })?;
    drop(old); // after the borrow ends: a `__del__` may call back
    Ok(())
}
// ANCHOR_END: init

// ANCHOR: accessors
/// The getter of a name: `AttributeError` after `del`, as a member does.
fn get_name<'py>(
    slf: &Bound<'py, Class<Custom>>,
    which: &str,
    name: &Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match name {
        Some(value) => Ok(value.bind(slf.py()).clone_ref()),
        None => {
            let ty = slf.get_type().fully_qualified_name()?;
            Err(exceptions::AttributeError::new_err(
                slf.py(),
                &format!("'{ty}' object has no attribute '{which}'"),
            ))
        }
    }
}

fn get_first<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyAny>> {
    slf.with(|this| get_name(slf, "first", &this.first))?
}

fn set_first(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = value.map(|v| v.clone_ref().unbind());
    let old = slf.with_mut(|this| std::mem::replace(&mut this.first, new))?;
    drop(old); // after the borrow ends
    Ok(())
}

fn get_last<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyAny>> {
    slf.with(|this| get_name(slf, "last", &this.last))?
}

fn set_last(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = value.map(|v| v.clone_ref().unbind());
    let old = slf.with_mut(|this| std::mem::replace(&mut this.last, new))?;
    drop(old);
    Ok(())
}

fn get_number(slf: &Bound<'_, Class<Custom>>) -> PyResult<i64> {
    slf.with(|this| i64::from(this.number))
}

/// As a `T_INT` member: an int that fits a C int; no deletion.
fn set_number(
    slf: &Bound<'_, Class<Custom>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let py = slf.py();
    let Some(value) = value else {
        return Err(exceptions::TypeError::new_err(
            py,
            "can't delete numeric/char attribute",
        ));
    };
    let number = i32::try_from(value.extract::<i64>()?).map_err(|_| {
        exceptions::OverflowError::new_err(
            py,
            "Python int too large to convert to C int",
        )
    })?;
    slf.with_mut(|this| this.number = number)
}
// ANCHOR_END: accessors

/// `name()`: the first and last name, joined by a space, as C's
/// `PyUnicode_FromFormat("%S %S", ...)` joins them: each is converted with
/// `str()` and every character kept.
fn name<'py>(slf: &Bound<'py, Class<Custom>>) -> PyResult<Bound<'py, PyStr>> {
    let py = slf.py();
    // Both names are taken out of the borrow: str() below runs Python code.
    let (first, last) = slf.with(|this| match (&this.first, &this.last) {
        (Some(first), Some(last)) => {
            Ok((first.bind(py).clone_ref(), last.bind(py).clone_ref()))
        }
        _ => {
            let missing = if this.first.is_none() { "first" } else { "last" };
            Err(exceptions::AttributeError::new_err(py, missing))
        }
    })??;
    let mut name = PyUnicodeWriter::new(py)?;
    name.write(&first)?;
    name.write_str(" ")?;
    name.write(&last)?;
    name.finish()
}

// ANCHOR: class
tutorial::class! {
    type: Custom,
    name: "custom2.Custom",
    doc: "Custom objects",
    init: init(first = None, last = None, number = 0),
    methods: [name(): "Return the name, combining the first and last name"],
    getset: [
        first: { get: get_first, set: set_first, doc: "first name" },
        last: { get: get_last, set: set_last, doc: "last name" },
        number: { get: get_number, set: set_number, doc: "custom number" },
    ],
}
// ANCHOR_END: class

/// Creates the type and keeps it in the module's state.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<TypeState> {
    add_type::<Custom>(module, "Custom")
}

tutorial::module! {
    name: custom2,
    doc: "Example module that creates an extension type.",
    state: TypeState,
    exec: exec,
    methods: [],
}

#[cfg(test)]
mod tests {
    #[test]
    fn attributes_init_and_name_behave_as_in_the_c_tutorial() {
        tutorial_embed::doctest(
            &[("custom2", super::custom2::init)],
            r#"
>>> import custom2
>>> c = custom2.Custom("Ada", "Lovelace", 36)
>>> c.first, c.last, c.number, c.name()
('Ada', 'Lovelace', 36, 'Ada Lovelace')
>>> custom2.Custom().name(), custom2.Custom(number=3).number
(' ', 3)
>>> c.first = 42; c.name()
'42 Lovelace'
>>> del c.first
>>> c.first
Traceback (most recent call last):
  ...
AttributeError: 'custom2.Custom' object has no attribute 'first'
>>> c.name()
Traceback (most recent call last):
  ...
AttributeError: first
>>> del c.number
Traceback (most recent call last):
  ...
TypeError: can't delete numeric/char attribute
>>> custom2.Custom(1, 2, 3, 4)
Traceback (most recent call last):
  ...
TypeError: __init__() takes at most 3 arguments (4 given)
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

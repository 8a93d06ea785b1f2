//! Step 1 of CPython's "Defining Extension Types: Tutorial" (`custom.c`),
//! in Rust: a module `custom` with a type `Custom` that does nothing yet,
//! made as a heap type and kept in the module's state.

// ANCHOR: all
use tutorial::class::{ObjectBase, PyClass, create_type};
use tutorial::module::TraverseError;
use tutorial::prelude::*;

/// The Rust value inside each `custom.Custom` object: nothing yet.
pub struct Custom;

impl PyClass for Custom {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Custom)
    }
}

tutorial::class! {
    type: Custom,
    name: "custom.Custom",
    doc: "Custom objects",
    methods: [],
    getset: [],
}

// ANCHOR: state
/// The module's state: its type, so that each module object has its own.
pub struct CustomState {
    custom_type: Py<PyType>,
}

impl ModuleState for CustomState {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        visit.call(&self.custom_type)
    }
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<CustomState> {
    let custom_type = create_type::<Custom>(module)?;
    module.add("Custom", &custom_type)?;
    Ok(CustomState { custom_type: custom_type.unbind() })
}
// ANCHOR_END: state

tutorial::module! {
    name: custom,
    doc: "Example module that creates an extension type.",
    state: CustomState,
    exec: exec,
    methods: [],
}
// ANCHOR_END: all

#[cfg(test)]
mod tests {
    #[test]
    fn custom_objects_are_made_and_typed() {
        tutorial_embed::doctest(
            &[("custom", super::custom::init)],
            r#"
>>> import custom
>>> c = custom.Custom()
>>> type(c).__name__, type(c).__module__, custom.Custom.__doc__
('Custom', 'custom', 'Custom objects')
>>> class Sub(custom.Custom): pass
>>> isinstance(Sub(), custom.Custom)
True
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}

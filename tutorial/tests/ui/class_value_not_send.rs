// The Rust value inside a Python object must be Send (and Sync, see
// class_value_not_sync.rs): the object can be used from any thread that
// attaches to the interpreter.
use std::rc::Rc;
use tutorial::class::{ObjectBase, PyClass};
use tutorial::prelude::*;

struct Counter {
    shared: Rc<u32>,
}

impl PyClass for Counter {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Counter { shared: Rc::new(0) })
    }
}

fn main() {
    let _ = Counter::new;
}

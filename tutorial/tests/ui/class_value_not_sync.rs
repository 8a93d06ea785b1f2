// The Rust value inside a Python object must be Sync as well as Send:
// without a GIL, two threads can hold `&T` at once (`with` on both), so a
// `Cell` inside the value would be a data race.
use std::cell::Cell;
use tutorial::class::{ObjectBase, PyClass};
use tutorial::prelude::*;

struct Counter {
    count: Cell<u32>,
}

impl PyClass for Counter {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Counter { count: Cell::new(0) })
    }
}

fn main() {
    let _ = Counter::new;
}

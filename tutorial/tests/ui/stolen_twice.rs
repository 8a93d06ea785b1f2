// PyList_SetItem steals the item: set_item takes the handle by value, so
// the same reference cannot be given away twice.
use tutorial::prelude::*;

fn fill(list: &Bound<'_, PyList>, item: Bound<'_, PyAny>) -> PyResult<()> {
    list.set_item(0, item)?;
    list.set_item(1, item)
}

fn main() {
    let _ = fill;
}

// A C API call that can fail returns a PyResult: the NULL case cannot be
// ignored by accident.
use tutorial::prelude::*;

fn name_of(obj: &Bound<'_, PyAny>) -> usize {
    let name = obj.getattr("__name__");
    name.len()
}

fn main() {
    let _ = name_of;
}

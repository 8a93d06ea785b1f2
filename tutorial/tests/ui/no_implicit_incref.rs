// A new reference is taken with clone_ref(), never implicitly: no Clone.
use tutorial::prelude::*;

fn twice<'py>(obj: Bound<'py, PyAny>) -> (Bound<'py, PyAny>, Bound<'py, PyAny>) {
    (obj.clone(), obj)
}

fn main() {
    let _ = twice;
}

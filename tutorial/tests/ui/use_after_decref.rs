// Dropping an owned handle is the Py_DECREF: the handle is gone after it.
use tutorial::prelude::*;

fn describe(obj: Bound<'_, PyAny>) -> PyResult<String> {
    drop(obj);
    Ok(obj.repr()?.to_str()?.to_owned())
}

fn main() {
    let _ = describe;
}

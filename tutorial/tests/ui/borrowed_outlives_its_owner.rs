// A borrowed reference cannot outlive the reference it borrows from.
use tutorial::prelude::*;

fn first<'py>(py: Python<'py>) -> PyResult<Borrowed<'static, 'py, PyAny>> {
    let tuple = PyTuple::new(py, &[py.None().to_owned().as_any()])?;
    Ok(tuple.get(0).expect("one item"))
}

fn main() {
    let _ = first;
}

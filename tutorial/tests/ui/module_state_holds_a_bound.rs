// Module state outlives every call and attachment: it holds Py<T>, which
// needs a token to use, never a Bound<'py, T> tied to one attachment.
use tutorial::prelude::*;

struct State<'py> {
    error: Bound<'py, PyType>,
}

impl<'py> ModuleState for State<'py> {}

fn main() {
    let _ = |s: State<'_>| s.error;
}

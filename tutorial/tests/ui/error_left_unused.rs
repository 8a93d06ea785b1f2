// A PyErr means "an exception is set": dropping it silently leaves the
// exception set for some later, unrelated call to trip over. The lint
// (#[must_use]) is made an error here, as a project can do.
#![deny(unused_must_use)]
use tutorial::prelude::*;

fn check_attached(py: Python<'_>) {
    PyErr::already_set(py);
}

fn main() {
    let _ = check_attached;
}

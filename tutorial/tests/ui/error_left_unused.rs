// A PyErr is a raised exception: dropping it unused releases it, so an
// error ignored by accident would vanish without a word. The lint
// (#[must_use]) is made an error here, as a project can do.
#![deny(unused_must_use)]
use tutorial::prelude::*;

fn check_attached(py: Python<'_>) {
    PyErr::already_set(py);
}

fn main() {
    let _ = check_attached;
}

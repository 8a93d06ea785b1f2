// An object handle cannot outlive the attachment it was made under.
use tutorial::prelude::*;

fn main() {
    let escaped = tutorial_embed::attach(&[], |py| PyList::empty(py));
    drop(escaped);
}

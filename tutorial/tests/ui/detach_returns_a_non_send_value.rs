// What a detached closure returns crosses back to the attached thread: it
// must be Send too.
use tutorial::prelude::*;

fn shared_counter(py: Python<'_>) -> std::rc::Rc<u32> {
    py.detach(|| std::rc::Rc::new(0))
}

fn main() {
    let _ = shared_counter;
}

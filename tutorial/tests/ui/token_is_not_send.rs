// The token proves this thread is attached: it cannot go to another thread.
use tutorial::prelude::*;

fn spawn_with(py: Python<'_>) {
    std::thread::scope(|s| {
        s.spawn(move || {
            let _ = py.None();
        });
    });
}

fn main() {
    let _ = spawn_with;
}

// A detached closure cannot touch a Python object: handles are not Send.
use tutorial::prelude::*;

fn module_name_is_ascii(module: &Bound<'_, PyModule>) -> bool {
    let py = module.py();
    py.detach(|| module.name().is_ok_and(|name| name.is_ascii()))
}

fn main() {
    let _ = module_name_is_ascii;
}

// Names and docstrings become C strings at compile time; a NUL inside one
// would cut it short, so it does not compile.
use tutorial::prelude::*;

fn ping(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}


tutorial::module! {
    name: nul,
    doc: "A module.",
    methods: [tutorial::meth_noargs!(ping, "Ping.\0Then more.")],
}

fn main() {
    let _ = nul::init;
}

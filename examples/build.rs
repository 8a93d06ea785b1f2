//! Sets the interpreter cfgs, so that a module can follow the C module of
//! the version it is built for, and gives this crate's test binaries an
//! rpath to the target's libpython.

fn main() {
    let python = match cpython_build_config::Forwarded::from_env() {
        Ok(python) => python,
        Err(problem) => {
            eprintln!("error: examples: {problem}");
            std::process::exit(1);
        }
    };
    python.emit_cfgs();
    python.rpath_for_tests();
}

//! Sets the interpreter cfgs that `cpython-sys` forwards (`DEP_PYTHON_CFGS`),
//! so this crate selects version-specific code the way the bindings do, and
//! gives this crate's test binaries an rpath to the target's libpython.

fn main() {
    let python = match cpython_build_config::Forwarded::from_env() {
        Ok(python) => python,
        Err(problem) => {
            eprintln!("error: tutorial: {problem}");
            std::process::exit(1);
        }
    };
    python.emit_cfgs();
    python.rpath_for_tests();
}

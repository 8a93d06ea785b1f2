//! Links the target interpreter's libpython into every program that uses
//! this crate: a program that embeds Python, unlike an extension module,
//! must bring the interpreter with it.

fn main() {
    let python = cpython_build_config::Forwarded::from_env().and_then(|python| {
        python.link_libpython()?;
        Ok(python)
    });
    match python {
        Ok(python) => {
            python.emit_cfgs();
            python.rpath_for_tests();
        }
        Err(problem) => {
            eprintln!("error: tutorial-embed: {problem}");
            std::process::exit(1);
        }
    }
}

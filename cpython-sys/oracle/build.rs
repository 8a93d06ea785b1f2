//! Compiles the C oracle against the headers `cpython-sys` was generated
//! from (forwarded as `DEP_PYTHON_INCLUDE`).

fn main() {
    println!("cargo::rerun-if-changed=oracle.c");
    let python = match cpython_build_config::Forwarded::from_env() {
        Ok(python) => python,
        Err(problem) => {
            eprintln!("error: cpython-sys-oracle: {problem}");
            std::process::exit(1);
        }
    };
    python.emit_cfgs();
    let mut build = cc::Build::new();
    build.file("oracle.c").warnings(true);
    for dir in &python.include_dirs {
        build.include(dir);
    }
    build.compile("cpython_sys_oracle");
}

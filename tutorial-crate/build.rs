//! Turns every ```rust fence of the book into a test (skeptic), and gives
//! this crate's test binaries an rpath to the target interpreter's libpython.

fn main() {
    // skeptic only reruns for files that existed when it last ran: watching
    // the directory makes a new chapter show up too.
    println!("cargo::rerun-if-changed=../src");
    let chapters = skeptic::markdown_files_of_directory("../src/");
    skeptic::generate_doc_tests(&chapters);

    // DEP_PYTHON_LIBDIR comes from cpython-sys (`links = "python"`). Without
    // the rpath a test binary can load another libpython with the same
    // soname (the system's), and run against the wrong interpreter.
    if let Ok(libdir) = std::env::var("DEP_PYTHON_LIBDIR") {
        println!("cargo::rustc-link-arg=-Wl,-rpath,{libdir}");
    }
    // Re-export the interpreter cfgs, so this crate can select code the way
    // cpython-sys does.
    for name in ["Py_3_12", "Py_3_13", "Py_DEBUG", "Py_REF_DEBUG", "Py_GIL_DISABLED"] {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    if let Ok(cfgs) = std::env::var("DEP_PYTHON_CFGS") {
        for cfg in cfgs.split(',').filter(|c| !c.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}

//! Generates the raw bindings from the target interpreter's own headers.
//!
//! The interpreter is the one named by `PYTHON`, else `python3` on `PATH`.
//! Every problem is reported as one line that says what to install.

use cpython_build_config as probe;

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    if let Err(problem) = run() {
        // One line, no backtrace: the reader needs what to install, not how
        // the build script failed.
        eprintln!("error: cpython-sys: {problem}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), probe::Problem> {
    probe::rerun_if_python_changes();
    println!("cargo::rerun-if-env-changed=LIBCLANG_PATH");
    println!("cargo::rerun-if-changed=build.rs");

    let python = probe::python_command();
    let interp = probe::probe(&python)?;
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    probe::emit_cfgs(&interp.cfgs());
    // The free-threaded Py_INCREF/Py_DECREF fast path (src/object.rs) reads
    // the thread pointer as the headers do on x86-64 Linux; a debug build
    // also counts a total, so it keeps calling the exported functions.
    println!("cargo::rustc-check-cfg=cfg(free_threaded_fast_path)");
    let target_is =
        |var: &str, value: &str| env::var(var).is_ok_and(|v| v == value);
    if interp.gil_disabled
        && !interp.py_debug
        && target_is("CARGO_CFG_TARGET_ARCH", "x86_64")
        && target_is("CARGO_CFG_TARGET_OS", "linux")
    {
        println!("cargo::rustc-cfg=free_threaded_fast_path");
    }
    generate_bindings(&interp, &out)?;
    write_build_info(&interp, &out);

    // This crate's own tests (the oracle tests) embed the interpreter: link
    // libpython into them, with an rpath so that the target's copy is the one
    // loaded (a binary without it may silently load another libpython with
    // the same soname, such as the system's). Nothing else of this crate
    // links libpython: an extension module must not.
    println!("cargo::rustc-link-arg-tests=-Wl,-rpath,{}", interp.libdir.display());
    println!("cargo::rustc-link-arg-tests=-L{}", interp.libdir.display());
    println!("cargo::rustc-link-arg-tests=-l{}", interp.libname);
    // For dependents' build scripts (DEP_PYTHON_LIBDIR, ...).
    interp.emit_metadata();
    Ok(())
}

/// What an extension module includes: `PY_SSIZE_T_CLEAN`, then `Python.h`.
///
/// Handed to bindgen as text, not as a file: a file the build script writes
/// on every run would be newer than the run, and Cargo would rerun the
/// script (and rebuild everything above the bindings) on every build.
const WRAPPER_H: &str =
    "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n#include <structmember.h>\n";

/// The hand-written functions of `src/` that some headers also declare as
/// exported functions.
const HAND_WRITTEN: &[&str] =
    &["Py_REFCNT", "Py_TYPE", "Py_SIZE", "Py_IS_TYPE", "PyUnicode_DATA"];

fn generate_bindings(
    interp: &probe::Interpreter,
    out: &Path,
) -> Result<(), probe::Problem> {
    let mut builder = bindgen::Builder::default()
        .header_contents("wrapper.h", WRAPPER_H)
        .clang_args(interp.include_dirs.iter().map(|d| format!("-I{}", d.display())))
        .allowlist_function("_?Py.*")
        .allowlist_type("_?Py.*")
        .allowlist_var("_?Py.*|PY_.*|PYTHON_.*")
        // Hand-written in src/ with the C types the API expects (c_int, not
        // u32); each is checked against the C macro by the oracle tests.
        .blocklist_item("METH_.*|Py_mod_.*|PyModuleDef_HEAD_INIT|Py_T_.*|Py_READONLY|T_.*|READONLY")
        // Static inline functions are re-implemented in Rust (src/object.rs ...).
        .generate_inline_functions(false)
        // From 3.14 some of them are also exported functions, for the stable
        // ABI (`PyAPI_FUNC(Py_ssize_t) Py_REFCNT(PyObject *ob)`): the Rust
        // version, which inlines, is the one these bindings offer.
        .blocklist_function(HAND_WRITTEN.join("|"))
        .use_core()
        .layout_tests(true)
        .derive_default(true)
        .derive_debug(false)
        .generate_comments(false)
        .merge_extern_blocks(true)
        .wrap_unsafe_ops(true)
        .rust_edition(bindgen::RustEdition::Edition2024)
        .parse_callbacks(Box::new(bindgen::CargoCallbacks::new()));
    if interp.py_debug {
        builder = builder.clang_arg("-DPy_DEBUG");
    }

    // bindgen panics when it cannot load libclang; turn that into the
    // one-line message.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            builder.generate()
        }));
    std::panic::set_hook(default_hook);
    let bindings = match result {
        Ok(Ok(bindings)) => bindings,
        Ok(Err(e)) => {
            return Err(probe::Problem(format!(
                "bindgen could not read the headers in {}: {e}",
                interp.include_dirs[0].display()
            )));
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("bindgen panicked");
            if msg.contains("libclang") {
                return Err(probe::Problem(
                    "libclang not found, and bindgen needs it: apt-get install libclang-dev \
                     (or set LIBCLANG_PATH to the directory holding libclang.so)"
                        .to_owned(),
                ));
            }
            return Err(probe::Problem(format!("bindgen failed: {msg}")));
        }
    };
    bindings
        .write_to_file(out.join("bindings.rs"))
        .map_err(|e| probe::Problem(format!("cannot write the bindings: {e}")))
}

fn write_build_info(interp: &probe::Interpreter, out: &Path) {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "/// `sys.executable` of the interpreter the bindings were generated for."
    );
    let _ = writeln!(
        s,
        "pub const EXECUTABLE: &str = {:?};",
        interp.executable.to_string_lossy()
    );
    let _ = writeln!(s, "/// `sys.version_info[:2]` of that interpreter.");
    let _ = writeln!(s, "pub const VERSION: (u32, u32) = {:?};", interp.version);
    let _ = writeln!(s, "/// `sys.hexversion` of that interpreter.");
    let _ = writeln!(s, "pub const HEXVERSION: u32 = {:#x};", interp.hexversion);
    let _ = writeln!(
        s,
        "/// `sysconfig.get_config_var(\"LIBDIR\")`: where its libpython lives."
    );
    let _ = writeln!(
        s,
        "pub const LIBDIR: &str = {:?};",
        interp.libdir.to_string_lossy()
    );
    let _ = writeln!(s, "/// The library an embedding program links (`-l` form).");
    let _ = writeln!(s, "pub const LIBNAME: &str = {:?};", interp.libname);
    let _ =
        writeln!(s, "/// `EXT_SUFFIX`: how an extension module's file name ends.");
    let _ = writeln!(s, "pub const EXT_SUFFIX: &str = {:?};", interp.ext_suffix);
    let _ = writeln!(s, "/// `Py_DEBUG`: a debug build (with `Py_REF_DEBUG`).");
    let _ = writeln!(s, "pub const PY_DEBUG: bool = {};", interp.py_debug);
    let _ = writeln!(s, "/// `Py_GIL_DISABLED`: a free-threaded build.");
    let _ = writeln!(s, "pub const GIL_DISABLED: bool = {};", interp.gil_disabled);
    std::fs::write(out.join("build_info.rs"), s).expect("OUT_DIR is writable");
}

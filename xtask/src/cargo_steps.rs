//! The steps that are one cargo run each (or one per interpreter): format,
//! clippy, the build of every test target, and the tests on the target, the
//! debug and the other interpreters.

use std::path::Path;
use std::process::Command;

use cpython_build_config::probe;

use crate::runner::Ctx;
use crate::{interpreters, process};

/// The crates whose tests also run on the debug interpreter: all but the
/// tools (xtask) and the libraries only Python loads (the extension and
/// the planted module, which the refleak hunt loads there).
const DEBUG_TESTED: &[&str] =
    &["cpython-sys", "tutorial", "tutorial-embed", "examples", "samples"];

/// Checks that every crate is formatted as `rustfmt.toml` says.
///
/// # Errors
///
/// A message if `cargo fmt` would change a file.
pub fn format(ctx: &mut Ctx) -> Result<(), String> {
    process::run(
        process::cargo().args(["fmt", "--all", "--check"]).current_dir(&ctx.root),
    )
}

/// Lints every crate and target, warnings included.
///
/// # Errors
///
/// A message if clippy reports anything.
pub fn clippy(ctx: &mut Ctx) -> Result<(), String> {
    process::run(
        process::cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(&ctx.root),
    )
}

/// Compiles every test target against the target interpreter, with the
/// environment of [`tests`], so that a compile error shows before the slow
/// steps and `tests` only runs what is built.
///
/// # Errors
///
/// A message if something does not compile or link.
pub fn build(ctx: &mut Ctx) -> Result<(), String> {
    process::run(&mut workspace_tests(ctx, &["--no-run"])?)
}

/// Runs every crate's tests (the book's samples included) against the target interpreter.
///
/// # Errors
///
/// A message if a test fails.
pub fn tests(ctx: &mut Ctx) -> Result<(), String> {
    // Every test binary runs, so that one report shows every failure.
    process::run(&mut workspace_tests(ctx, &["--no-fail-fast"])?)
}

/// `cargo test --workspace ARGS` for the target interpreter.
fn workspace_tests(ctx: &Ctx, args: &[&str]) -> Result<Command, String> {
    let libdir = ctx.interp()?.libdir.clone();
    let mut cmd = process::cargo();
    cmd.args(["test", "--workspace"]).args(args).current_dir(&ctx.root);
    with_libpython(&mut cmd, &libdir)?;
    Ok(cmd)
}

/// Runs the bindings', the safe layer's, the modules' and the samples'
/// tests against the debug interpreter.
///
/// A debug build checks reference counts (`sys.gettotalrefcount`) and
/// asserts inside the C API, so it catches a missing or extra incref that a
/// release build lets pass. It has its own ABI, hence its own target folder.
///
/// # Errors
///
/// A message if the debug interpreter is unusable or a test fails.
pub fn tests_debug(ctx: &mut Ctx) -> Result<(), String> {
    let interp = interpreters::debug()?;
    let mut cmd = process::cargo();
    cmd.args(["test", "--no-fail-fast"])
        .args(DEBUG_TESTED.iter().flat_map(|krate| ["-p", krate]))
        .env("PYTHON", interpreters::debug_python())
        .env("CARGO_TARGET_DIR", ctx.target_dir().join("dbg"))
        .current_dir(&ctx.root);
    process::run(with_libpython(&mut cmd, &interp.libdir)?)
}

/// Lets programs built by `cmd` link and load the libpython in `libdir`.
///
/// Cargo's own test binaries get `-L` and an rpath from the build scripts,
/// but skeptic compiles each book sample by calling rustc itself, without
/// either. `LIBRARY_PATH` is where the linker (through cc) looks for
/// `-lpython3.x`, and `LD_LIBRARY_PATH` is where the loader finds it when
/// the sample runs; without them a sample links against no libpython, or
/// loads another one with the same soname (such as the system's).
///
/// # Errors
///
/// A message if `libdir` cannot be put in a path list.
pub fn with_libpython<'a>(
    cmd: &'a mut Command,
    libdir: &Path,
) -> Result<&'a mut Command, String> {
    for var in ["LIBRARY_PATH", "LD_LIBRARY_PATH"] {
        cmd.env(var, process::prepend_paths(var, &[libdir])?);
    }
    Ok(cmd)
}

/// Runs the bindings' oracle tests against every other CPython 3.12 or 3.13
/// found here (pyenv's versions, or `python3.12`/`python3.13` on `PATH`), so
/// that the version cfgs (`Py_3_12`, `Py_3_13`: immortal objects, the new
/// `PyObject_HEAD_INIT`) are checked against real headers, not only
/// written; then builds the extension for it and runs CPython's own tests
/// of the ports with that interpreter's test files (`test_bisect`,
/// `test_heapq`, `test_zlib`, and the base64 classes), as the
/// `cpython-tests` step does on the target. Each gets its own target folder.
///
/// # Errors
///
/// A message if a test fails. Finding no such interpreter is not an error:
/// the step says so and passes, as the target and debug runs still ran.
pub fn other_interpreters(ctx: &mut Ctx) -> Result<(), String> {
    let found = interpreters::other_cpythons();
    if found.is_empty() {
        println!(
            "no CPython 3.12 or 3.13 found besides the target: nothing more to check"
        );
        return Ok(());
    }
    for python in found {
        let interp = match probe(&python) {
            Ok(interp) => interp,
            Err(problem) => {
                println!("skipping {python}: {problem}");
                continue;
            }
        };
        let dir = ctx
            .target_dir()
            .join(format!("py{}.{}", interp.version.0, interp.version.1));
        println!(
            "bindings against {} (Python {}.{})",
            interp.executable.display(),
            interp.version.0,
            interp.version.1
        );
        let mut cmd = process::cargo();
        cmd.args(["test", "-p", "cpython-sys", "--test", "oracle"])
            .env("PYTHON", &python)
            .env("CARGO_TARGET_DIR", &dir)
            .current_dir(&ctx.root);
        process::run(with_libpython(&mut cmd, &interp.libdir)?)?;
        cpython_tests_on(ctx, &interp, &dir)?;
        let (version, build) =
            crate::tested_on::describe(&mut Command::new(&python))?;
        ctx.tested.push(crate::tested_on::Row {
            place: "host".to_owned(),
            version,
            build,
            steps: vec!["other-interpreters"],
        });
    }
    Ok(())
}

/// Builds the extension for `interp` in `dir`, installs it under every
/// module name in `dir/python`, and runs CPython's tests of the ports
/// there (`examples/python/run_cpython_tests.py`, which proves the Rust
/// modules ran).
///
/// # Errors
///
/// A message if the build or a test fails.
fn cpython_tests_on(
    ctx: &Ctx,
    interp: &cpython_build_config::Interpreter,
    dir: &Path,
) -> Result<(), String> {
    let mut build = process::cargo();
    build
        .args(["build", "-p", "tutorial-ext"])
        .env("PYTHON", &interp.executable)
        .env("CARGO_TARGET_DIR", dir)
        .current_dir(&ctx.root);
    process::run(&mut build)?;
    let modules = dir.join("python");
    crate::modules::install(
        &dir.join("debug").join("libtutorial_ext.so"),
        &modules,
        &interp.ext_suffix,
        &crate::modules::exported(&ctx.root)?,
    )?;
    let runner =
        ctx.root.join(crate::extension::PYTHON_TESTS).join("run_cpython_tests.py");
    let path = crate::extension::python_path(ctx, &modules)?;
    for what in ["regrtest", "base64"] {
        let mut cmd = Command::new(&interp.executable);
        cmd.arg(&runner)
            .arg(what)
            .arg(&modules)
            .env("PYTHONPATH", &path)
            .current_dir(&ctx.root);
        process::run(&mut cmd)?;
    }
    Ok(())
}

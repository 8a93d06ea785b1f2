//! The steps that test the extension from Python: build it and install it
//! under each module name (`pytest`), run CPython's own tests of the ports
//! against it (`cpython-tests`), and build and install the wheel (`wheel`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::runner::Ctx;
use crate::{modules, process, venv};

/// pytest's exit code when it collected no tests.
const PYTEST_NO_TESTS: i32 = 5;

/// The pytest suites of the modules.
pub const PYTHON_TESTS: &str = "examples/python";

/// The harnesses, and `ports.py`, which the scripts outside this folder import.
pub const CHECKS: &str = "checks";

/// `PYTHONPATH` for a script that imports the modules in `modules` and `ports.py`.
pub fn python_path(
    ctx: &Ctx,
    modules: &Path,
) -> Result<std::ffi::OsString, String> {
    std::env::join_paths([modules.to_path_buf(), ctx.root.join(CHECKS)])
        .map_err(|e| format!("PYTHONPATH: {e}"))
}

/// Where the `pytest` step installs the modules: `target/python`.
pub fn installed(ctx: &Ctx) -> PathBuf {
    ctx.target_dir().join("python")
}

/// Builds the extension, puts it where Python finds each module, and runs the pytest suite.
///
/// # Errors
///
/// A message if the build, the virtual environment, or a test fails, or if
/// pytest found no tests.
pub fn pytest(ctx: &mut Ctx) -> Result<(), String> {
    let interp = ctx.interp()?;
    let tests = ctx.root.join(PYTHON_TESTS);
    if !tests.is_dir() {
        return Err(format!(
            "no pytest suite: {} does not exist yet",
            tests.display()
        ));
    }
    process::run(
        process::cargo()
            .args(["build", "-p", "tutorial-ext"])
            .current_dir(&ctx.root),
    )?;
    let modules = installed(ctx);
    let lib = ctx.target_dir().join("debug/libtutorial_ext.so");
    modules::install(
        &lib,
        &modules,
        &interp.ext_suffix,
        &modules::exported(&ctx.root)?,
    )?;
    let python =
        venv::ensure(&ctx.target_dir().join("venv"), interp, venv::TEST_PACKAGES)?;
    let mut pytest = Command::new(&python);
    pytest
        .args(["-m", "pytest", "-q"])
        .arg(&tests)
        .env("PYTHONPATH", python_path(ctx, &modules)?)
        .current_dir(&ctx.root);
    println!("$ {}", process::describe(&pytest));
    let status = pytest.status().map_err(|e| format!("cannot run pytest: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(PYTEST_NO_TESTS) => {
            Err(format!("pytest collected no tests in {}", tests.display()))
        }
        _ => Err(format!("pytest failed ({status})")),
    }
}

/// Runs CPython's own tests of the ported modules against the Rust ports,
/// then the benchmarks' smoke run and the check of the benchmark page.
///
/// `pytest` has put the extension in `target/python` under each module
/// name; with that folder first on `sys.path`, `import _bisect` and
/// `import _heapq` find the Rust modules instead of the interpreter's C
/// ones. The runner (`examples/python/run_cpython_tests.py`) runs the
/// CPython tests of every port in that folder (`checks/ports.py` says which
/// those are) and proves it while they run: it records every extension
/// module loaded and counts the calls into the Rust functions.
///
/// # Errors
///
/// A message if a test fails, the record shows a C module ran, the smoke run
/// fails, or the benchmark page disagrees with its data.
pub fn cpython_tests(ctx: &mut Ctx) -> Result<(), String> {
    let python = venv::ensure(
        &ctx.target_dir().join("venv"),
        ctx.interp()?,
        venv::TEST_PACKAGES,
    )?;
    let modules = installed(ctx);
    let runner = ctx.root.join(PYTHON_TESTS).join("run_cpython_tests.py");
    let bench = ctx.root.join("bench");
    let path = python_path(ctx, &modules)?;
    let with_modules = |cmd: &mut Command| {
        cmd.env("PYTHONPATH", &path).current_dir(&ctx.root);
    };
    let mut regrtest = Command::new(&python);
    regrtest.arg(&runner).arg("regrtest").arg(&modules);
    with_modules(&mut regrtest);
    if ctx.interp()?.gil_disabled {
        // CPython's tests with the GIL off whatever is imported, as the
        // zlib issue asks: a free-threaded build re-enables the GIL for a
        // module without `Py_mod_gil`, which would hide a race.
        regrtest.env("PYTHON_GIL", "0");
    }
    process::run(&mut regrtest)?;
    let mut base64 = Command::new(&python);
    base64.arg(&runner).arg("base64").arg(&modules);
    with_modules(&mut base64);
    process::run(&mut base64)?;
    let mut smoke = Command::new(&python);
    smoke
        .arg(bench.join("bench_ports.py"))
        .arg("--rust-dir")
        .arg(&modules)
        .arg("--smoke");
    with_modules(&mut smoke);
    process::run(&mut smoke)?;
    let mut zlib_smoke = Command::new(&python);
    zlib_smoke
        .arg(bench.join("bench_zlib.py"))
        .arg("--rust-dir")
        .arg(&modules)
        .arg("--smoke");
    with_modules(&mut zlib_smoke);
    process::run(&mut zlib_smoke)?;
    process::run(
        Command::new(&python)
            .arg(bench.join("bench_page.py"))
            .args(["check", "--book"])
            .arg(ctx.root.join("src"))
            .current_dir(&ctx.root),
    )
}

/// Builds the examples' wheel with pip (PEP 517, setuptools-rust) and imports every module from it.
///
/// # Errors
///
/// A message if there is no `pyproject.toml` yet, the wheel does not build
/// or install, or the installed module misbehaves.
pub fn wheel(ctx: &mut Ctx) -> Result<(), String> {
    let interp = ctx.interp()?;
    let project = ctx.root.join("examples");
    if !project.join("pyproject.toml").is_file() {
        return Err(format!("no {} yet", project.join("pyproject.toml").display()));
    }
    let venv = ctx.target_dir().join("venv-wheel");
    let python = venv::ensure(&venv, interp, &[])?;
    // PYTHON makes the build script target this interpreter whatever PATH
    // pip's isolated build sets up.
    process::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--force-reinstall",
                "--no-deps",
                "./examples",
            ])
            .env("PYTHON", &interp.executable)
            .current_dir(&ctx.root),
    )?;
    // Every module must come from the wheel (no PYTHONPATH, run from the
    // venv), and spam must work. Each is looked up in the venv's
    // site-packages itself: for a port, `import _bisect` would find the
    // interpreter's own C module first, in lib-dynload.
    let names = modules::exported(&ctx.root)?;
    let script = format!(
        "import importlib.machinery, importlib.util, sysconfig\n\
         site = sysconfig.get_paths()['platlib']\n\
         for name in {names:?}:\n    \
             spec = importlib.machinery.PathFinder.find_spec(name, [site])\n    \
             assert spec is not None, f'{{name}} is not in {{site}}'\n    \
             module = importlib.util.module_from_spec(spec)\n    \
             spec.loader.exec_module(module)\n\
         import spam\n\
         assert spam.__file__.startswith(site), spam.__file__\n\
         print(len({names:?}), spam.system('exit 3'))"
    );
    let mut check = Command::new(&python);
    check.args(["-c", &script]).env_remove("PYTHONPATH").current_dir(&venv);
    println!("$ {}", process::describe(&check));
    let out = process::output(&mut check)?;
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    let expected = format!("{} 768", names.len());
    if out.status.success() && printed == expected {
        println!(
            "the wheel installed {} modules: {}",
            names.len(),
            names.join(", ")
        );
        Ok(())
    } else {
        Err(format!(
            "the installed wheel printed `{printed}` ({}), expected `{expected}`",
            out.status
        ))
    }
}
